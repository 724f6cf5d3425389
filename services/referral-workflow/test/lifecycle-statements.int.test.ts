import { signToken } from '@fbl/auth';
import { AdmissionRecorded, BedAvailabilityChanged, BedHeld, bedEventsTopic, createMessage } from '@fbl/contracts';
import { toRecord } from '@fbl/messaging';
import { generateKey } from '@fbl/privacy';
import { describeWithPostgres, waitFor } from '@fbl/testing';
import { testSealingKeys, testTokenKey } from '@fbl/testing/suite';
import { randomUUID } from 'node:crypto';
import { openDatabase, type Database } from '@fbl/db';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorkflow, type WorkflowUnderTest } from './harness.js';

/*
 * What one referral costs the workflow's database, step by step, on a real PostgreSQL: every
 * statement the service sends is counted from a request (or a bed service's message) until the
 * referral has settled in its next state. Printed as `[statements]` lines; the bounds below hold
 * the host to its shape (no re-sync of every offer, no version re-read after a save).
 */

const HOSPITAL = '0192f3b2-7c1a-7000-8000-0000000000c1';
const HOMES = ['0192f3b2-7c1a-7000-8000-0000000000c2', '0192f3b2-7c1a-7000-8000-0000000000c3', '0192f3b2-7c1a-7000-8000-0000000000c4'];
// The run's suite: under CRYPTO_SUITE=sm (the `sm` test project) SM4 seals and SM2-SM3 tokens.
const secrets = { authSecret: testTokenKey('statements-test-secret'), encryptionKey: testSealingKeys(generateKey()) };
const origin = { source: 'care-beds' };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

describeWithPostgres('statements per step of a referral lifecycle', () => {
  let workflow: WorkflowUnderTest;
  let statements: string[] = [];
  let watcher: Database;

  const token = (claims: object) => signToken({ userId: 'u', ...claims } as never, secrets.authSecret, { now: new Date(), ttlSeconds: 3600 });
  const planner = () => token({ userId: 'planner-c', role: 'planner', institutionId: HOSPITAL });
  const staff = (institutionId: string) => token({ userId: `staff-${institutionId.slice(-4)}`, role: 'provider', institutionId });
  const inject = async (method: 'GET' | 'POST', url: string, who: string, payload?: object) => {
    const response = await workflow.http.inject({ method, url, headers: { authorization: `Bearer ${who}` }, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.json() as Body };
  };
  const publish = async (message: ReturnType<typeof createMessage>) => workflow.bus.publish([toRecord(message.topic, message.key, message.envelope)]);
  const read = async (id: string) => (await inject('GET', `/api/referrals/${id}`, token({ role: 'admin' }))).body;
  /** Count what a step sends until the referral reaches `state` (reads made to watch it are left out). */
  const step = async (name: string, state: string, id: () => string, act: () => Promise<unknown>) => {
    statements = [];
    await act();
    const sent = statements.length;
    // Watched through a client of the test's own, so only the service's statements are counted.
    await waitFor(async () => ((await watcher.rows<{ state: string }>(watcher.db, sql`select state from referral.referrals where id = ${id()}`))[0]?.state === state ? true : undefined), { what: `${name}: ${state}`, timeoutMs: 30_000, intervalMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { name, request: sent, total: statements.length, texts: [...statements] };
  };

  beforeAll(async () => {
    workflow = await startWorkflow('referral_statements', { ...secrets, attachmentRetentionDays: 90, clock: () => new Date(), onStatement: (text) => statements.push(text.replace(/\s+/g, ' ').trim()) });
    watcher = await openDatabase({ url: workflow.databaseUrl }, { poolSize: 1 });
    for (const [i, institutionId] of HOMES.entries()) {
      await publish(createMessage(BedAvailabilityChanged, institutionId, {
        institutionId, bedType: 'care', name: `统计护理院${i + 1}`, divisionCode: '371702', ownership: 'public', capabilities: [], serviceArea: ['371702'], greenChannelPartners: [], sequence: 1,
        units: [{ kind: 'bed', attributes: {}, total: 10, free: 10, held: 0, occupied: 0, kept: 0, closed: 0 }],
      }, origin, { topic: bedEventsTopic('care') }));
    }
    await waitFor(async () => ((await inject('GET', '/api/referrals/capacity', token({ role: 'admin' }))).body as unknown as unknown[]).length === HOMES.length || undefined, { what: 'the homes projected', timeoutMs: 30_000 });
  });
  afterAll(async () => {
    await watcher?.close();
    await workflow?.stop();
  });

  it('counts the statements of each step from request to closed loop', { timeout: 180_000 }, async () => {
    let id = '';
    let offers: Body[] = [];
    const steps = [];
    steps.push(await step('request → offering', 'offering', () => id, async () => {
      const created = await inject('POST', '/api/referrals', planner(), { elderRef: `stmt-${randomUUID()}`, origin: { institutionId: HOSPITAL, divisionCode: '371702' }, requestedBedTypes: ['care'], facts: { abilityLevel: 3, abilityAssessedOn: new Date().toISOString().slice(0, 10) } });
      expect(created.status, JSON.stringify(created.body)).toBe(202);
      id = created.body['id'] as string;
    }));
    offers = ((await read(id))['offers'] as Body[]).filter((o) => o['status'] === 'open');
    expect(offers).toHaveLength(3);
    steps.push(await step('first provider accepts', 'offering', () => id, () => inject('POST', `/api/referrals/${id}/offers/${offers[0]!['id']}/accept`, staff(offers[0]!['institutionId']), {})));
    steps.push(await step('second declines', 'offering', () => id, () => inject('POST', `/api/referrals/${id}/offers/${offers[1]!['id']}/decline`, staff(offers[1]!['institutionId']), { reasonCode: 'no-capacity' })));
    steps.push(await step('third declines → choosing', 'choosing', () => id, () => inject('POST', `/api/referrals/${id}/offers/${offers[2]!['id']}/decline`, staff(offers[2]!['institutionId']), { reasonCode: 'no-capacity' })));
    const chosen = offers[0]!;
    steps.push(await step('family chooses → reserving', 'reserving', () => id, () => inject('POST', `/api/referrals/${id}/choice`, planner(), { offerId: chosen['id'] })));
    const holdId = randomUUID();
    const unitId = randomUUID();
    const institutionId = chosen['institutionId'] as string;
    steps.push(await step('BedHeld → transferring', 'transferring', () => id, () => publish(createMessage(BedHeld, institutionId, { holdId, referralId: id, institutionId, bedType: 'care', unitId, unitKind: 'bed', attributes: {}, expiresAt: new Date(Date.now() + 86_400_000).toISOString() }, origin, { topic: bedEventsTopic('care') }))));
    steps.push(await step('AdmissionRecorded → followUp', 'followUp', () => id, () => publish(createMessage(AdmissionRecorded, institutionId, { holdId, referralId: id, institutionId, bedType: 'care', unitId, admissionId: randomUUID(), elderRef: 'x', admittedAt: new Date().toISOString() }, origin, { topic: bedEventsTopic('care') }))));
    steps.push(await step('follow-up → closed', 'closed', () => id, () => inject('POST', `/api/referrals/${id}/follow-up`, staff(institutionId), { method: 'phone', settling: 'settled', condition: 'stable', satisfaction: 'satisfied', needs: [], note: '老人适应良好' })));

    for (const s of steps) console.log(`[statements] ${s.name}: ${s.request} until answered, ${s.total} until settled`);
    if (process.env["STATEMENTS_SHOW"]) for (const s of steps) console.log(s.name, s.texts.map((t) => t.slice(0, 110)).join("\n  "));
    console.log(`[statements] lifecycle: ${steps.reduce((n, s) => n + s.total, 0)}`);
    const texts = steps.flatMap((s) => s.texts);
    // No offer row is rewritten with the status it already has.
    expect(texts.filter((t) => /^update "referral"\."offers" set "status" = \$1 where \("referral"\."offers"\."id" = \$2 and "referral"\."offers"\."status" <> \$3\)/.test(t))).toEqual([]);
    // A decision does not read the referral's version back after saving it.
    expect(texts.filter((t) => /^select "version" from "referral"\."referrals"/.test(t))).toEqual([]);
    // Who may decide is judged on the referral the decision locks: nothing is read of it before the transaction.
    for (const s of steps.filter((x) => !x.name.startsWith('BedHeld') && !x.name.startsWith('AdmissionRecorded') && !x.name.startsWith('request'))) {
      const before = s.texts.slice(0, s.texts.indexOf('begin'));
      expect(s.texts, s.name).toContain('begin');
      expect(before.filter((t) => /from "referral"\."(referrals|offers)"/.test(t)), s.name).toEqual([]);
    }
  });

  /**
   * The plan `explain` prints as though the tables were large (on a handful of rows any plan scans
   * them all, so sequential scans are ruled out), between `around.before` and `around.after`.
   */
  const plannedAsLarge = (explain: SQL, around?: { before: SQL; after: SQL }) =>
    watcher.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      if (around) await tx.execute(around.before);
      const rows = await watcher.rows<{ 'QUERY PLAN': string }>(tx, explain);
      if (around) await tx.execute(around.after);
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });

  it("reads a provider's pending offers through the index by provider and status, not every offer it ever had", async () => {
    statements = [];
    const pending = await inject('GET', `/api/referrals/inbox/${HOMES[0]}?view=pending`, staff(HOMES[0]!));
    expect(pending.status, JSON.stringify(pending.body)).toBe(200);
    const count = statements.find((t) => /^select count\(\*\)::int from "referral"\."offers"/.test(t));
    expect(count, statements.join('\n')).toBeDefined();
    // The service's own statement.
    const plan = await plannedAsLarge(sql.raw(`explain execute pending_offers('${HOMES[0]!}')`), { before: sql.raw(`prepare pending_offers as ${count!}`), after: sql`deallocate pending_offers` });
    // The provider's offers are read by the index on provider and status, restricted to open and
    // accepted ones there (on a handful of rows the planner checks the status row by row; with a
    // provider's history it becomes part of the index condition). Before, only the join with the
    // referral could judge an offer pending.
    expect(plan).toMatch(/on offers_institution_idx/);
    expect(plan).toMatch(/Scan on offers[\s\S]*status = ANY \('\{open,accepted\}'::text\[\]\)[\s\S]*on referrals/);
  });

  it("reads a referral's page by one statement, and the institutions' names by another", async () => {
    const [closed] = await watcher.rows<{ id: string }>(watcher.db, sql`select id from referral.referrals where state = 'closed' limit 1`);
    expect(closed).toBeDefined();
    // What the page read; the relay's and the timers' polls run meanwhile and are left out.
    const pageReads = () => statements.filter((t) => /^(begin|set transaction)|"referral"\."(referrals|offers|timeline|match_runs|packet_consents|availability)"/.test(t));
    statements = [];
    const page = await read(closed!.id);
    const reads = pageReads();
    expect(reads, reads.join('\n')).toHaveLength(2);
    expect(reads[0]).toMatch(/^select .* from "referral"\."referrals" where "referral"\."referrals"\."id" = \$1$/);
    expect(reads[1]).toMatch(/from "referral"\."availability"/);
    // Everything the page shows came with it: the offers, the whole timeline, the ranking, the consent.
    expect(page['state']).toBe('closed');
    expect((page['offers'] as Body[]).map((o) => o['status']).sort()).toEqual(['accepted', 'declined', 'declined']);
    expect((page['offers'] as Body[]).every((o) => typeof o['institutionName'] === 'string' && !Number.isNaN(Date.parse(o['respondBy'])))).toBe(true);
    expect((page['timeline'] as Body[]).map((t) => t['to'])).toEqual(expect.arrayContaining(['offering', 'choosing', 'reserving', 'transferring', 'followUp', 'closed']));
    expect(page['ranking']).not.toBeNull();
    expect(page['consent']).toEqual({ granted: false, recordedAt: null });
    // A provider that declined sees its own offer and the steps, not the ranking or the consent; a stranger gets 403.
    const declined = (page['offers'] as Body[]).find((o) => o['status'] === 'declined')!;
    const asProvider = await inject('GET', `/api/referrals/${closed!.id}`, staff(declined['institutionId'] as string));
    expect(asProvider.status, JSON.stringify(asProvider.body)).toBe(200);
    expect((asProvider.body['offers'] as Body[]).map((o) => o['id'])).toEqual([declined['id']]);
    expect(asProvider.body).toMatchObject({ ranking: null, consent: null, elderRef: null });
    expect((asProvider.body['timeline'] as Body[]).length).toBe((page['timeline'] as Body[]).length);
    expect((await inject('GET', `/api/referrals/${closed!.id}`, staff(randomUUID()))).status).toBe(403);
    // The referring hospital sees the whole referral, as the admin does.
    expect((await inject('GET', `/api/referrals/${closed!.id}`, planner())).body).toMatchObject({ ranking: page['ranking'], consent: page['consent'], offers: page['offers'] });
  });

  it('reads the state, version and parties of every referral of a live announcement by one statement', async () => {
    const [closed] = await watcher.rows<{ id: string; version: number }>(watcher.db, sql`select id, version from referral.referrals where state = 'closed' limit 1`);
    expect(closed).toBeDefined();
    const created = await inject('POST', '/api/referrals', planner(), { elderRef: `stmt-${randomUUID()}`, origin: { institutionId: HOSPITAL, divisionCode: '371702' }, requestedBedTypes: ['care'], facts: { abilityLevel: 3, abilityAssessedOn: new Date().toISOString().slice(0, 10) } });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const offering = created.body['id'] as string;
    await waitFor(async () => ((await read(offering))['state'] === 'offering' ? true : undefined), { what: 'the second referral offering', timeoutMs: 30_000 });
    const gone = randomUUID();
    statements = [];
    const now = await workflow.service.referrals.current([closed!.id, offering, gone, offering]);
    expect(statements.filter((t) => /from "referral"\."(referrals|offers)"/.test(t)), statements.join('\n')).toHaveLength(1);
    expect([...now.keys()].sort()).toEqual([closed!.id, offering].sort());
    expect(now.get(closed!.id)!.change).toEqual({ id: closed!.id, state: 'closed', version: closed!.version });
    expect(now.get(offering)!.change).toMatchObject({ id: offering, state: 'offering' });
    // The hospital that referred, and every provider offered, however each answered.
    for (const id of [closed!.id, offering]) expect([...now.get(id)!.parties].sort(), id).toEqual([HOSPITAL, ...HOMES].sort());
  });

  it("reads a referral's latest matching run through an index, not a scan of every run", async () => {
    const [run] = await watcher.rows<{ referral_id: string }>(watcher.db, sql`select referral_id from referral.match_runs limit 1`);
    expect(run).toBeDefined();
    const plan = await plannedAsLarge(sql`explain select * from referral.match_runs where referral_id = ${run!.referral_id} order by seq desc limit 1`);
    expect(plan).toMatch(/Index Scan Backward using match_runs_referral_idx/);
    expect(plan).not.toMatch(/Filter:/);
  });
});
