/**
 * The referral lifecycle load: the bench plays the discharge planner, the providers, the family
 * and the care home's staff through the public HTTP API only, and times each step from the HTTP
 * action until the next state is announced on the live-update stream (or, without it, visible on
 * `GET /api/referrals/:id`).
 */
import { signToken, type Principal } from '@fbl/auth';
import { randomBytes } from 'node:crypto';
import { careHome, dischargeRequest as discharge, FOLLOW_UP } from '../support/builders.js';
import { LiveStates } from './live.js';
import { log, secondsSince } from './report.js';

// Response bodies are read loosely; the driver checks the fields it relies on.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

/** A made-up hospital the referrals leave from (no medical-beds service is needed for the loop). */
export const ORIGIN_ID = '0192f3b2-7c1a-7000-8000-00000000be4c';

/** The steps timed, each from an HTTP action to the state it leads to. */
export const STEPS = ['request_to_offering', 'accept_to_choosing', 'choice_to_transferring', 'admission_to_followUp', 'followUp_to_closed'] as const;
export type Step = (typeof STEPS)[number];

/** The token secret the bench gives the systems it starts (AUTH_SECRET), so it can act as each person. */
export const BENCH_AUTH_SECRET = randomBytes(24).toString('base64url');

/** The people the bench acts for, each with a token as sign-in would give them (valid for the run). */
const token = (who: Principal) => signToken(who, BENCH_AUTH_SECRET, { now: new Date(), ttlSeconds: 6 * 3600 });
const ADMIN = token({ userId: 'bench-admin', role: 'admin' });
const PLANNER = token({ userId: 'bench-planner', role: 'planner', institutionId: ORIGIN_ID });
const staffTokens = new Map<string, string>();
const staffOf = (institutionId: string) => {
  let t = staffTokens.get(institutionId);
  if (!t) staffTokens.set(institutionId, (t = token({ userId: `bench-staff-${institutionId.slice(-6)}`, role: 'provider', institutionId })));
  return t;
};

/** Counts the HTTP requests the driver makes, to say how many one lifecycle costs. */
let requests = 0;

/** A JSON request; returns status and parsed body. */
export async function call(baseUrl: string, method: string, path: string, body?: unknown, as = ADMIN): Promise<{ status: number; body: Body }> {
  requests += 1;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${as}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Body) : {} };
}

/** A request that must answer `status`; anything else is the system misbehaving. */
async function expectStatus(baseUrl: string, method: string, path: string, body: unknown, status: number, as = ADMIN): Promise<Body> {
  const r = await call(baseUrl, method, path, body, as);
  if (r.status !== status) throw new Error(`${method} ${path} answered ${r.status}, expected ${status}: ${JSON.stringify(r.body).slice(0, 500)}`);
  return r.body;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll until `probe` returns a value; throws after `timeoutMs` with `what`. */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs: number, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: last });
    await sleep(intervalMs);
  }
}

/** Register `count` care homes of `beds` nursing-type beds each, and wait until matching sees them. */
export async function registerCareHomes(baseUrl: string, count: number, beds: number, label: string): Promise<string[]> {
  const homes: string[] = [];
  for (let i = 0; i < count; i++) {
    const body = await expectStatus(baseUrl, 'POST', '/api/care-beds/institutions', careHome(`压测护理院${label}${i + 1}`, beds, '371702'), 201);
    homes.push(body['id'] as string);
  }
  await pollUntil(
    async () => {
      const r = await call(baseUrl, 'GET', '/api/referrals/capacity');
      const seen = r.body as unknown as { institutionId: string; free: number }[];
      return homes.every((h) => seen.some((c) => c.institutionId === h && c.free >= beds)) ? true : undefined;
    },
    'the workflow to see the care homes’ capacity',
    60_000,
  );
  return homes;
}

/** Settings of one load run. */
export interface LoadOptions {
  baseUrl: string;
  referrals: number;
  concurrency: number;
  /** A referral that does not reach a state within this long is a failure of the system. */
  stepTimeoutMs: number;
  /** Poll interval once the first quick polls found nothing; with the live stream, a hundred times this is how long silence lasts before a GET. */
  pollMs: number;
  label: string;
  /** Wait on the live-update stream as the UI does (polls only as a fallback). */
  live: boolean;
}

/** What one load run measured. */
export interface LoadResult {
  referrals: number;
  seconds: number;
  lifecyclesPerSecond: number;
  steps: Record<Step, number[]>;
  lifecycleMs: number[];
  httpRequests: number;
  /** GETs of the referral made while waiting for a state the live stream had not announced (or every one without it). */
  polls: number;
  /** GETs of the referral for its body once the stream announced the state (the offers, the hold). */
  reads: number;
  /** Events heard on the live stream, streams opened and resyncs, when it was used. */
  live: { events: number; streams: number; resyncs: number } | undefined;
}

/**
 * Run `referrals` lifecycles, `concurrency` at a time, each intake → closed. Any referral that
 * goes astray (an unexpected status or state, or no progress within the step timeout) stops the
 * run with an error: that is the system misbehaving, not a slow figure.
 */
export async function runLifecycles(options: LoadOptions): Promise<LoadResult> {
  const { baseUrl, stepTimeoutMs, pollMs } = options;
  const steps = Object.fromEntries(STEPS.map((s) => [s, [] as number[]])) as Record<Step, number[]>;
  const lifecycleMs: number[] = [];
  const requestsBefore = requests;
  let polls = 0;
  let reads = 0;
  const live = options.live ? await LiveStates.open(baseUrl, ADMIN) : undefined;

  /** A GET of the referral: its body, and the state it shows learnt by the live view. */
  const read = async (id: string): Promise<Body> => {
    const r = await call(baseUrl, 'GET', `/api/referrals/${id}`);
    if (r.status !== 200) throw new Error(`GET referral ${id} answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
    live?.learn(id, r.body['state'] as string, r.body['version'] as number);
    return r.body;
  };

  /**
   * Wait until the referral is in `state`; returns when it was first seen and, when `withBody`, the
   * referral as a GET shows it then. With the live stream, a state is seen when its event arrives
   * and the referral is read only for a body or when the stream said nothing for `pollMs`×100;
   * without it, the referral is polled.
   */
  const until = async (id: string, state: string, withBody: boolean): Promise<{ body: Body | undefined; at: number }> => {
    const deadline = Date.now() + stepTimeoutMs;
    // Quick polls first, so a step that completes at once is measured near its true length.
    const delays = [0, 2, 3, 5];
    // With the stream, read only when it has been silent too long or asked for a reload.
    let mustRead = !live;
    for (let attempt = 0; ; attempt++) {
      const heard = live?.get(id);
      let now: string | undefined = heard?.state;
      if (heard && heard.state === state) {
        if (!withBody) return { body: undefined, at: heard.at };
        reads += 1;
        const body = await read(id);
        if (body['state'] === state) return { body, at: heard.at };
        now = body['state'] as string;
      } else if (mustRead || now === undefined) {
        polls += 1;
        const body = await read(id);
        const at = performance.now();
        if (body['state'] === state) return { body, at };
        now = body['state'] as string;
      }
      if (['escalated', 'cancelled', 'closed'].includes(now)) throw new Error(`referral ${id} reached ${now} while the bench waited for ${state}`);
      if (Date.now() > deadline) throw new Error(`referral ${id} stayed in ${now} for ${stepTimeoutMs} ms; the bench waited for ${state}`);
      if (live) mustRead = !(await live.changeOf(id, pollMs * 100));
      else await sleep(delays[attempt] ?? pollMs);
    }
  };

  const one = async (index: number) => {
    const started = performance.now();
    const created = await expectStatus(baseUrl, 'POST', '/api/referrals', discharge(ORIGIN_ID, { elderRef: `bench-${options.label}-${index}` }), 202, PLANNER);
    const id = created['id'] as string;
    const offering = await until(id, 'offering', true);
    steps.request_to_offering.push(offering.at - started);

    // Providers answer: all but one decline, then one accepts (the answer that ends offering).
    const open = (offering.body!['offers'] as Body[]).filter((o) => o['status'] === 'open');
    if (open.length === 0) throw new Error(`referral ${id} is offering with no open offer`);
    const accepted = open[index % open.length]!;
    for (const offer of open.filter((o) => o !== accepted)) {
      await expectStatus(baseUrl, 'POST', `/api/referrals/${id}/offers/${offer['id']}/decline`, { reasonCode: 'no-capacity' }, 200, staffOf(offer['institutionId'] as string));
    }
    const acceptAt = performance.now();
    await expectStatus(baseUrl, 'POST', `/api/referrals/${id}/offers/${accepted['id']}/accept`, {}, 200, staffOf(accepted['institutionId'] as string));
    const choosing = await until(id, 'choosing', false);
    steps.accept_to_choosing.push(choosing.at - acceptAt);

    // The family chooses; the workflow asks the care home to hold the bed (ReserveBed → BedHeld).
    const choiceAt = performance.now();
    await expectStatus(baseUrl, 'POST', `/api/referrals/${id}/choice`, { offerId: accepted['id'] }, 200, PLANNER);
    const transferring = await until(id, 'transferring', true);
    steps.choice_to_transferring.push(transferring.at - choiceAt);

    // The elder arrives: the care home records the admission (AdmissionRecorded → workflow).
    const holdId = (transferring.body!['hold'] as Body | null)?.['holdId'] as string | undefined;
    if (!holdId) throw new Error(`referral ${id} is transferring without a hold`);
    const admissionAt = performance.now();
    await expectStatus(baseUrl, 'POST', `/api/care-beds/holds/${holdId}/admission`, {}, 200, staffOf(accepted['institutionId'] as string));
    const followUp = await until(id, 'followUp', false);
    steps.admission_to_followUp.push(followUp.at - admissionAt);

    // The receiver's follow-up closes the loop.
    const followUpAt = performance.now();
    await expectStatus(baseUrl, 'POST', `/api/referrals/${id}/follow-up`, FOLLOW_UP, 200, staffOf(accepted['institutionId'] as string));
    const closed = await until(id, 'closed', false);
    steps.followUp_to_closed.push(closed.at - followUpAt);
    lifecycleMs.push(closed.at - started);
  };

  let next = 0;
  let done = 0;
  let failure: unknown;
  const started = performance.now();
  const progress = setInterval(() => log(`${options.label}: ${done}/${options.referrals} closed after ${secondsSince(started).toFixed(1)} s`), 10_000);
  try {
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (failure === undefined && next < options.referrals) {
          const index = next++;
          try {
            await one(index);
            done += 1;
          } catch (error) {
            failure ??= error;
          }
        }
      }),
    );
  } finally {
    clearInterval(progress);
    live?.close();
  }
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
  const seconds = secondsSince(started);
  return { referrals: options.referrals, seconds, lifecyclesPerSecond: options.referrals / seconds, steps, lifecycleMs, httpRequests: requests - requestsBefore, polls, reads, live: live ? { ...live.counts } : undefined };
}

/** Sum of `fbl_messages_handled_total` with `outcome="handled"` (and all outcomes) on a service's /metrics, of one message type when given. */
export async function messagesHandled(serviceUrl: string, type?: string): Promise<{ handled: number; all: number }> {
  const text = await (await fetch(`${serviceUrl}/metrics`)).text();
  let handled = 0;
  let all = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('fbl_messages_handled_total')) continue;
    if (type !== undefined && !line.includes(`type="${type}"`)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (!Number.isFinite(value)) continue;
    all += value;
    if (line.includes('outcome="handled"')) handled += value;
  }
  return { handled, all };
}
