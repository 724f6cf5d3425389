import { describeWithKafkaAndPostgres, waitFor } from '@fbl/testing';
import { privateServersUnavailable, startPrivateKafka, startPrivatePostgres, type PrivateServer } from '@fbl/testing/private-servers';
import { prng } from '@fbl/testing/random';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOf, plannerAt, staffOf } from '../support/actors.js';
import { FOLLOW_UP } from '../support/builders.js';
import { call } from '../support/http.js';
import { startDistributedSystem, type DistributedSystem } from '../support/system.js';
import { careHome, dischargeRequest, register, waitUntilMatchable } from './scenarios.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;
type Outcome = 'closed' | 'escalated' | 'cancelled';

const missing = privateServersUnavailable();
if (missing && process.env['CI']) throw new Error(`the fault test needs a Kafka broker and a PostgreSQL server of its own in CI: ${missing}`);

const REFERRALS = 150;
const CONCURRENCY = 15;
const HOMES = 10;
const BEDS = 25;
const SEED = Number(process.env['FAULT_TEST_SEED'] ?? 20261206);
const HOSPITAL = '0192f3b2-7c1a-7000-8000-00000000bbbb';
const WORKFLOW = 'referral-workflow';
const REPLICA = `${WORKFLOW}#1` as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The counters and gauges of a process's `/metrics`, summed by name and the labels asked for; null when it does not answer. */
async function scrape(url: string): Promise<Map<string, number> | null> {
  try {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    const figures = new Map<string, number>();
    for (const line of text.split('\n')) {
      const match = /^(fbl_outbox_relay_active|fbl_outbox_published_total|fbl_messages_handled_total)\{([^}]*)\} (\S+)$/.exec(line);
      if (!match) continue;
      if (match[1] === 'fbl_messages_handled_total' && !match[2]!.includes('outcome="handled"')) continue;
      figures.set(match[1]!, (figures.get(match[1]!) ?? 0) + Number(match[3]));
    }
    return figures;
  } catch {
    return null;
  }
}

/**
 * Faults under load. Two workflow replicas, a bed service and monitoring run as separate processes
 * on a Kafka broker and a PostgreSQL server of the test's own, while a stream of referrals with
 * random answers goes through them. During the stream one replica is killed with SIGKILL and
 * started again at once, PostgreSQL is restarted, and Kafka is stopped for 20 s. The test's own
 * record of the answers it gave (the oracle) says how each referral must end; afterwards every
 * store must agree with it and with each other.
 */
(missing ? describe.skip : describeWithKafkaAndPostgres)(`faults under a stream of ${REFERRALS} referrals`, () => {
  let kafka: PrivateServer;
  let database: PrivateServer;
  let system: DistributedSystem;
  const homes: string[] = [];
  const died: string[] = [];

  beforeAll(async () => {
    [kafka, database] = await Promise.all([startPrivateKafka(), startPrivatePostgres()]);
    system = await startDistributedSystem(['care-beds', WORKFLOW, 'monitoring'], {}, {}, { brokers: kafka.value, databaseServerUrl: database.value });
    await system.replica(WORKFLOW);
    for (let i = 0; i < HOMES; i++) homes.push(await register(system, 'care-beds', careHome(`故障测试护理院${i + 1}`, BEDS, '371702')));
    for (const home of homes) await waitUntilMatchable(system, home, BEDS);
    await groupStable(2, 120_000);
  }, 300_000);

  afterAll(async () => {
    if (system) {
      const started = Date.now();
      const codes = await system.stop();
      console.log(`[faults] every process stopped on SIGTERM in ${seconds(Date.now() - started)}: exit codes ${codes.join(', ')}`);
      expect(codes.every((c) => c === 0), `every service stops cleanly: ${codes.join(', ')}`).toBe(true);
    }
    await Promise.all([kafka?.remove(), database?.remove()]);
  }, 180_000);

  /** Wait until the workflow's consumer group is stable with `members` members that all own partitions; returns when. */
  async function groupStable(members: number, timeoutMs: number): Promise<number> {
    const admin = new Kafka({ brokers: [kafka.value], logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
    try {
      return await waitFor(async () => {
        try {
          await admin.connect();
          const { groups } = await admin.describeGroups([`${system.namespace}.${WORKFLOW}`]);
          const owning = (groups[0]?.members ?? []).filter((m) => {
            const assignment = AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {};
            return Object.values(assignment).some((partitions) => partitions.length > 0);
          });
          return groups[0]?.state === 'Stable' && groups[0].members.length === members && owning.length === members ? Date.now() : undefined;
        } catch {
          return undefined;
        }
      }, { what: `the workflow group stable with ${members} members owning partitions`, timeoutMs, intervalMs: 250 });
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  it('closes every referral as the oracle says, with bounded duplicates, one relay at a time and every store in agreement', async () => {
    const workflowSql = postgres(system.databaseUrl(WORKFLOW), { max: 2, onnotice: () => {}, connect_timeout: 5 });
    const bedsSql = postgres(system.databaseUrl('care-beds'), { max: 2, onnotice: () => {}, connect_timeout: 5 });
    const monitoringSql = postgres(system.databaseUrl('monitoring'), { max: 2, onnotice: () => {}, connect_timeout: 5 });
    const workflowUrl = system.processes.get(WORKFLOW)!.url;
    const admin = adminOf(system);
    const planner = plannerAt(system, HOSPITAL);
    const random = prng(SEED);
    const plans = Array.from({ length: REFERRALS }, (_, index) => {
      const r = random();
      const outcome: Outcome = r < 0.15 ? 'escalated' : r < 0.25 ? 'cancelled' : 'closed';
      return { index, outcome, pick: random(), subset: random() };
    });
    const oracle = new Map<string, Outcome>();
    const placedAt = new Map<string, string>();
    let finished = 0;
    let retried = 0;
    let holdsRefused = 0;

    /**
     * A request as a careful client sends it: when the service cannot be reached or answers 502/503/504
     * (a replica or the database restarting), it tries again; a 409 after such a retry means the first
     * attempt went through.
     */
    const send = async (base: string, method: string, path: string, body: object | undefined, token: string, expected: number) => {
      let attempts = 0;
      const deadline = Date.now() + 240_000;
      for (;;) {
        attempts += 1;
        const response = await call(base, method, path, body, token).catch((error: unknown) => ({ status: 0, body: { error: String(error) } as Body, headers: new Headers() }));
        if (response.status === expected || (attempts > 1 && response.status === 409)) return response;
        if (![0, 502, 503, 504].includes(response.status) || Date.now() > deadline) {
          throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)} after ${attempts} attempts`);
        }
        retried += 1;
        await sleep(500);
      }
    };
    const read = async (id: string): Promise<Body | undefined> => {
      const response = await call(workflowUrl, 'GET', `/api/referrals/${id}`, undefined, admin).catch(() => undefined);
      return response?.status === 200 ? response.body : undefined;
    };
    const until = async (id: string, test: (r: Body) => boolean, what: string) => {
      try {
        return await waitFor(async () => {
          const r = await read(id);
          return r && test(r) ? r : undefined;
        }, { what: `${id}: ${what}`, timeoutMs: 300_000, intervalMs: 200 });
      } catch (error) {
        // Where the referral stopped, for the record: its state, offers, hold and timeline.
        const answer = await call(workflowUrl, 'GET', `/api/referrals/${id}`, undefined, admin).catch((e: unknown) => ({ status: 0, body: { error: String(e) } as Body }));
        const r = answer.status === 200 ? answer.body : { unreadable: answer.status, body: answer.body };
        console.log(`[faults] ${id} never reached ${what}: ${JSON.stringify('unreadable' in r ? r : { state: r['state'], hold: r['hold'], offers: r['offers'], timeline: r['timeline'] }).slice(0, 6000)}`);
        // And what each process said meanwhile (warnings and errors: failed handlers, dead letters).
        for (const [key, p] of system.processes) {
          const said = p.output().split('\n').filter((line) => (/"level":(40|50|60)/.test(line) || /warn|error|dead/i.test(line)) && !line.includes('"component":"kafkajs"'));
          console.log(`[faults] ${key} warnings and errors (last 15 of ${said.length}):\n${said.slice(-15).join('\n').slice(0, 5000)}`);
        }
        throw error;
      }
    };
    const answerAll = async (id: string, accept: (index: number) => boolean) => {
      const r = await until(id, (x) => x['state'] !== 'matching' && (x['offers'] as Body[]).some((o) => o['status'] === 'open'), 'open offers');
      const open = (r['offers'] as Body[]).filter((o) => o['status'] === 'open');
      for (const [i, offer] of open.entries()) {
        const yes = accept(i);
        await send(workflowUrl, 'POST', `/api/referrals/${id}/offers/${offer['id']}/${yes ? 'accept' : 'decline'}`, yes ? {} : { reasonCode: 'no-capacity' }, staffOf(system, offer['institutionId'] as string), 200);
      }
      return open;
    };
    /** Create a referral; a request whose answer was lost may have created it, so look before trying again. */
    const create = async (index: number): Promise<string> => {
      const elderRef = `fault-${index}`;
      for (;;) {
        const response = await call(workflowUrl, 'POST', '/api/referrals', dischargeRequest(HOSPITAL, { elderRef }), planner).catch(() => ({ status: 0, body: {} as Body }));
        if (response.status === 202) return response.body['id'] as string;
        if (![0, 502, 503, 504].includes(response.status)) throw new Error(`create ${elderRef}: ${response.status} ${JSON.stringify(response.body)}`);
        retried += 1;
        await sleep(500);
        const existing = await workflowSql<{ id: string }[]>`select id from referral.referrals where elder_ref = ${elderRef}`.catch(() => []);
        if (existing[0]) return existing[0].id;
      }
    };

    const run = async (plan: (typeof plans)[number]) => {
      const id = await create(plan.index);
      oracle.set(id, plan.outcome);
      if (plan.outcome === 'escalated') {
        await answerAll(id, () => false);
        await answerAll(id, () => false);
        await until(id, (r) => r['state'] === 'escalated', 'escalated');
        return;
      }
      const open = await answerAll(id, (i) => i === 0 || plan.subset > 0.5);
      let accepted = plan.subset > 0.5 ? open : open.slice(0, 1);
      let chosen = accepted[Math.floor(plan.pick * accepted.length)]!;
      await until(id, (r) => r['state'] === 'choosing', 'choosing');
      await send(workflowUrl, 'POST', `/api/referrals/${id}/choice`, { offerId: chosen['id'] }, planner, 200);
      // The chosen home may have filled meanwhile (its bed service refuses the hold, whatever the
      // offer said): the referral is offered again, and the planner chooses again among the new offers.
      let moving = await until(id, (r) => r['state'] === 'transferring' || (r['offers'] as Body[]).some((o) => o['id'] === chosen['id'] && o['status'] === 'unavailable'), 'transferring');
      for (let again = 0; moving['state'] !== 'transferring'; again++) {
        if (again >= 10) throw new Error(`${id}: no home could hold a bed after ${again} choices`);
        holdsRefused += 1;
        // Back to another home that accepted, or to new offers, which the homes accept.
        const next = await until(id, (r) => r['state'] === 'choosing' || (r['state'] !== 'matching' && (r['offers'] as Body[]).some((o) => o['status'] === 'open')), 'another choice');
        if (next['state'] !== 'choosing') await answerAll(id, () => true);
        const choosing = await until(id, (r) => r['state'] === 'choosing', 'choosing');
        accepted = (choosing['offers'] as Body[]).filter((o) => o['status'] === 'accepted');
        chosen = accepted[Math.floor(plan.pick * accepted.length)]!;
        await send(workflowUrl, 'POST', `/api/referrals/${id}/choice`, { offerId: chosen['id'] }, planner, 200);
        moving = await until(id, (r) => r['state'] === 'transferring' || (r['offers'] as Body[]).some((o) => o['id'] === chosen['id'] && o['status'] === 'unavailable'), 'transferring');
      }
      if (plan.outcome === 'cancelled') {
        await send(workflowUrl, 'POST', `/api/referrals/${id}/cancel`, { reason: 'condition-changed' }, planner, 200);
        return;
      }
      const home = chosen['institutionId'] as string;
      await send(system.url, 'POST', `/api/care-beds/holds/${moving['hold']['holdId']}/admission`, {}, staffOf(system, home), 200);
      placedAt.set(id, home);
      await until(id, (r) => r['state'] === 'followUp', 'followUp');
      await send(workflowUrl, 'POST', `/api/referrals/${id}/follow-up`, FOLLOW_UP, staffOf(system, home), 200);
    };

    // Every half second: which workflow relays say they are active, and whose published counters grew.
    const workflowUrls = () => [system.processes.get(WORKFLOW)!.url, system.processes.get(REPLICA)!.url];
    const samples: { at: number; active: number[]; published: (number | null)[] }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const figures = await Promise.all(workflowUrls().map(scrape));
        samples.push({ at: Date.now(), active: figures.map((f) => f?.get('fbl_outbox_relay_active') ?? 0), published: figures.map((f) => f?.get('fbl_outbox_published_total') ?? null) });
        await sleep(500);
      }
    })();
    const handledNow = async () => (await Promise.all(workflowUrls().map(scrape))).reduce((n, f) => n + (f?.get('fbl_messages_handled_total') ?? 0), 0);
    const ready = async (url: string) => (await fetch(`${url}/ready`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined))?.status;
    const progress = (share: number) => waitFor(async () => finished >= REFERRALS * share || undefined, { what: `${share * 100}% of the referrals finished`, timeoutMs: 600_000, intervalMs: 200 });

    const figures: Record<string, string> = {};
    let databaseRestartedAt = 0;
    let notReadyWhileKafkaDown: (number | undefined)[] = [];
    const faults = (async () => {
      await progress(0.2);
      // 1. A replica dies with SIGKILL and is started again at once (within the session timeout).
      const killedAt = Date.now();
      await system.restart(REPLICA, undefined, 'SIGKILL');
      figures['replica restarted and ready'] = seconds(Date.now() - killedAt);
      figures['kill → group stable with both replicas'] = seconds((await groupStable(2, 180_000)) - killedAt);

      await progress(0.45);
      // 2. PostgreSQL restarts under every service.
      databaseRestartedAt = Date.now();
      await database.stop();
      await sleep(3_000);
      await database.start();
      await waitFor(async () => {
        const statuses = await Promise.all([...system.processes.values()].filter((p) => p.name !== 'gateway').map((p) => ready(p.url)));
        return statuses.every((s) => s === 200) || undefined;
      }, { what: 'every service ready after the database restart', timeoutMs: 180_000, intervalMs: 250 });
      figures['database back → every service ready'] = seconds(Date.now() - databaseRestartedAt - 3_000);

      await progress(0.7);
      // 3. Kafka goes away for 20 s.
      const stoppedAt = Date.now();
      await kafka.stop();
      notReadyWhileKafkaDown = await waitFor(async () => {
        const statuses = await Promise.all(workflowUrls().map(ready));
        return statuses.every((s) => s === 503) ? statuses : undefined;
      }, { what: 'the workflow replicas to say they are not ready while Kafka is down', timeoutMs: 60_000, intervalMs: 250 });
      figures['Kafka down → replicas not ready'] = seconds(Date.now() - stoppedAt);
      await sleep(Math.max(0, 20_000 - (Date.now() - stoppedAt)));
      const handledBefore = await handledNow();
      await kafka.start();
      const backAt = Date.now();
      await waitFor(async () => (await handledNow()) > handledBefore || undefined, { what: 'a message handled after Kafka returned', timeoutMs: 180_000, intervalMs: 250 });
      figures['Kafka back → first message handled'] = seconds(Date.now() - backAt);
      await waitFor(async () => (await Promise.all(workflowUrls().map(ready))).every((s) => s === 200) || undefined, { what: 'both replicas ready after Kafka returned', timeoutMs: 180_000, intervalMs: 250 }).catch(async (error: unknown) => {
        // Why not: each replica's own answer, and what it logged.
        const why = await Promise.all(
          [WORKFLOW, REPLICA].map(async (key) => {
            const p = system.processes.get(key)!;
            const answer = await fetch(`${p.url}/ready`).then((r) => r.text(), (e: unknown) => String(e));
            return `${key}: ${answer}\n${p.output().slice(-3000)}`;
          }),
        );
        throw new Error(why.join('\n---\n'), { cause: error });
      });
      figures['Kafka back → both replicas ready'] = seconds(Date.now() - backAt);
    })();

    const queue = [...plans];
    const started = Date.now();
    const stream = Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let plan = queue.shift(); plan; plan = queue.shift()) {
          await run(plan);
          finished += 1;
        }
      }),
    );
    try {
      await Promise.all([stream, faults]);
    } finally {
      sampling = false;
      await sampler;
    }
    console.log(`[faults] ${REFERRALS} referrals in ${seconds(Date.now() - started)} (seed ${SEED}), ${retried} requests retried by the client, ${holdsRefused} choices made again after a full home refused the hold`);
    for (const [what, value] of Object.entries(figures)) console.log(`[faults] ${what}: ${value}`);
    expect(notReadyWhileKafkaDown).toEqual([503, 503]);

    try {
      // Every referral ends as the oracle says, in the workflow and in monitoring.
      const ids = [...oracle.keys()];
      expect(ids).toHaveLength(REFERRALS);
      await waitFor(async () => {
        const rows = await workflowSql<{ id: string; state: string }[]>`select id, state from referral.referrals where elder_ref like 'fault-%'`;
        return rows.length === REFERRALS && rows.every((r) => r.state === oracle.get(r.id)) || undefined;
      }, { what: 'every referral in its oracle state', timeoutMs: 120_000, intervalMs: 500 }).catch(async (error: unknown) => {
        const rows = await workflowSql<{ id: string; state: string }[]>`select id, state from referral.referrals where elder_ref like 'fault-%'`;
        const wrong = rows.filter((r) => r.state !== oracle.get(r.id)).slice(0, 5).map((r) => ({ ...r, expected: oracle.get(r.id) }));
        throw new Error(`${rows.length} referrals; mismatches: ${JSON.stringify(wrong)}`, { cause: error });
      });
      for (const outcome of ['closed', 'escalated', 'cancelled'] as const) expect([...oracle.values()].filter((o) => o === outcome).length).toBeGreaterThan(5);
      await waitFor(async () => {
        const rows = await monitoringSql<{ referral_id: string; stage: string }[]>`select referral_id, stage from monitoring.referrals where referral_id = any(${ids})`;
        return rows.length === REFERRALS && rows.every((r) => r.stage === oracle.get(r.referral_id)) || undefined;
      }, { what: 'monitoring to see every referral in the state the workflow has', timeoutMs: 120_000, intervalMs: 500 });

      // No message advanced a referral twice.
      const twice = await workflowSql`select referral_id, caused_by, event, count(*)::int as n from referral.timeline
        where caused_by in (select message_id::text from referral.inbox) group by 1, 2, 3 having count(*) > 1`;
      expect(twice).toEqual([]);

      // The beds: at most one hold that counts per referral, at most one stay, none still held,
      // and per home the units agree with the stays the oracle placed there.
      const schema = (await bedsSql<{ table_schema: string }[]>`select table_schema from information_schema.tables where table_name = 'holds'`)[0]!.table_schema;
      const doubleHolds = await bedsSql.unsafe(`select referral_id from ${schema}.holds where status in ('active', 'admitted') group by 1 having count(*) > 1`);
      expect(doubleHolds, 'referrals with two holds').toEqual([]);
      const doubleStays = await bedsSql.unsafe(`select referral_id from ${schema}.stays group by 1 having count(*) > 1`);
      expect(doubleStays, 'referrals with two stays').toEqual([]);
      await waitFor(async () => (await bedsSql.unsafe(`select count(*)::int as n from ${schema}.holds where status = 'active'`))[0]!['n'] === 0 || undefined, { what: 'no hold left active', timeoutMs: 60_000 });
      const stays = await bedsSql.unsafe<{ referral_id: string; institution_id: string }[]>(`select referral_id, institution_id from ${schema}.stays where status = 'in-care'`);
      expect(new Map(stays.map((s) => [s.referral_id, s.institution_id]))).toEqual(placedAt);
      const units = await bedsSql.unsafe<{ institution_id: string; status: string; n: number }[]>(`select institution_id, status, count(*)::int as n from ${schema}.units group by 1, 2`);
      for (const home of homes) {
        const count = (status: string) => units.find((u) => u.institution_id === home && u.status === status)?.n ?? 0;
        const placedHere = [...placedAt.values()].filter((h) => h === home).length;
        expect({ home, occupied: count('occupied'), held: count('held'), free: count('free') }).toEqual({ home, occupied: placedHere, held: 0, free: BEDS - placedHere });
        // What the bed service says of the home, and what the workflow's matching sees, agree with the units.
        const capacity = (await call(system.url, 'GET', `/api/care-beds/institutions/${home}`, undefined, admin)).body['capacity'] as Body;
        expect(capacity).toMatchObject({ total: BEDS, free: BEDS - placedHere, held: 0 });
        await waitFor(async () => {
          const seen = (await call(workflowUrl, 'GET', '/api/referrals/capacity', undefined, admin)).body as unknown as { institutionId: string; free: number }[];
          return seen.find((c) => c.institutionId === home)?.free === BEDS - placedHere || undefined;
        }, { what: `the workflow to see ${home} with ${BEDS - placedHere} free`, timeoutMs: 60_000 });
      }

      // Every outbox drained.
      for (const [name, sql] of [['care-beds', bedsSql], [WORKFLOW, workflowSql], ['monitoring', monitoringSql]] as const) {
        const outboxes = await sql<{ table_schema: string }[]>`select table_schema from information_schema.tables where table_name = 'outbox'`;
        for (const { table_schema } of outboxes) {
          await waitFor(async () => (await sql.unsafe(`select count(*)::int as n from ${table_schema}.outbox where published_at is null`))[0]!['n'] === 0 || undefined, { what: `${name}'s outbox drained`, timeoutMs: 60_000 });
        }
      }
    } finally {
      await Promise.all([workflowSql.end(), bedsSql.end(), monitoringSql.end()]);
    }

    // Duplicated message ids on the topics: only what a crash window leaves (a batch published whose
    // rows could not be marked), not a second relay publishing for minutes.
    const duplicates = await duplicatedMessageIds(kafka.value, system.namespace);
    console.log(`[faults] messages on the topics: ${duplicates.total}, duplicated ids: ${duplicates.duplicated}`);
    expect(duplicates.total).toBeGreaterThan(REFERRALS * 5);
    expect(duplicates.duplicated).toBeLessThanOrEqual(100);

    // After the database restart exactly one relay publishes: never both replicas' published
    // counters growing in the same half second but for a single handover, and one active at the end.
    const after = samples.filter((s) => s.at > databaseRestartedAt);
    let both = 0;
    for (let i = 1; i < after.length; i++) {
      const grew = after[i]!.published.map((p, r) => p !== null && after[i - 1]!.published[r] !== null && p > after[i - 1]!.published[r]!);
      if (grew.every(Boolean)) both += 1;
    }
    console.log(`[faults] half-second windows after the database restart with both relays publishing: ${both} of ${after.length}`);
    expect(both).toBeLessThanOrEqual(1);
    expect(samples.every((s) => s.active.reduce((a, b) => a + b, 0) <= 2)).toBe(true);
    await waitFor(async () => {
      const active = (await Promise.all(workflowUrls().map(scrape))).map((f) => f?.get('fbl_outbox_relay_active') ?? 0);
      return active.reduce((a, b) => a + b, 0) === 1 || undefined;
    }, { what: 'exactly one workflow relay active', timeoutMs: 30_000 });

    // No process died on its own: only the replica the test killed was replaced.
    for (const [key, p] of system.processes) if (p.child.exitCode !== null || p.child.signalCode !== null) died.push(`${key}: ${p.child.exitCode ?? p.child.signalCode}\n${p.output().slice(-2000)}`);
    expect(died).toEqual([]);
  }, 1_200_000);
});

/** Read every topic of a namespace from the start and count message ids seen more than once. */
async function duplicatedMessageIds(broker: string, namespace: string): Promise<{ total: number; duplicated: number }> {
  const kafka = new Kafka({ brokers: [broker], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${namespace}.`));
  let expected = 0;
  for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) expected += Number(p.high) - Number(p.low);
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `${namespace}.duplicates-${Date.now()}` });
  const seen = new Map<string, number>();
  let total = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        total += 1;
        const id = message.headers?.['message-id']?.toString() ?? JSON.parse(message.value?.toString() ?? '{}')['id'];
        seen.set(id, (seen.get(id) ?? 0) + 1);
      },
    });
    await waitFor(async () => total >= expected || undefined, { what: `all ${expected} messages read back`, timeoutMs: 120_000, intervalMs: 250 });
  } finally {
    await consumer.disconnect();
  }
  return { total, duplicated: [...seen.values()].reduce((n, c) => n + c - 1, 0) };
}
