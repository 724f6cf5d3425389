import { signToken } from '@fbl/auth';
import { AdmissionRecorded, BedHeld, bedEventsTopic, createMessage, DischargeRecorded, dlqTopic } from '@fbl/contracts';
import { HEADERS, toRecord } from '@fbl/messaging';
import { generateKey } from '@fbl/privacy';
import { describeWithPostgres, waitFor } from '@fbl/testing';
import { testSealingKeys, testTokenKey } from '@fbl/testing/suite';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorkflow, type WorkflowUnderTest } from './harness.js';

/*
 * Where each elder is, on a real PostgreSQL: the workflow follows every bed service's admissions
 * and discharges, refuses a person's referral into a second bed beside one held elsewhere unless
 * the move is confirmed (a home care bed beside a home sick bed excepted), and tells the
 * receiving providers of the move.
 */

const HOSPITAL = '0192f3b2-7c1a-7000-8000-0000000000b1';
const CARE_HOME = '0192f3b2-7c1a-7000-8000-0000000000b2';
const HOME_CARE = '0192f3b2-7c1a-7000-8000-0000000000b3';
// The run's suite: under CRYPTO_SUITE=sm (the `sm` test project) SM4 seals and SM2-SM3 tokens.
const secrets = { authSecret: testTokenKey('stays-test-secret'), encryptionKey: testSealingKeys(generateKey()) };
const origin = { source: 'care-beds' };

describeWithPostgres('an elder in a bed: the workflow knows where, and a second bed needs a confirmed move', () => {
  let workflow: WorkflowUnderTest;

  const planner = () => signToken({ userId: 'planner-b', role: 'planner', institutionId: HOSPITAL }, secrets.authSecret, { now: new Date(), ttlSeconds: 3600 });
  const inject = (method: 'GET' | 'POST', url: string, payload?: object) => workflow.http.inject({ method, url, headers: { authorization: `Bearer ${planner()}` }, ...(payload ? { payload } : {}) });
  const referral = (elderRef: string, requestedBedTypes: string[], extra: object = {}) =>
    inject('POST', '/api/referrals', { elderRef, origin: { institutionId: HOSPITAL, divisionCode: '371702' }, requestedBedTypes, ...extra });
  /** The elder admitted by a bed service through a referral of their own (an admission always answers one). */
  const admit = async (elderRef: string, institutionId: string, bedType: 'care' | 'home-care' | 'home-sick') => {
    const admissionId = randomUUID();
    const through = await referral(elderRef, [bedType]);
    expect(through.statusCode, through.body).toBe(202);
    const referralId = (through.json() as { id: string }).id;
    const message = createMessage(AdmissionRecorded, institutionId, { holdId: randomUUID(), referralId, institutionId, bedType, unitId: randomUUID(), admissionId, elderRef, admittedAt: new Date().toISOString() }, origin, { topic: bedEventsTopic(bedType) });
    await workflow.bus.publish([toRecord(message.topic, message.key, message.envelope)]);
    return admissionId;
  };
  const discharge = async (elderRef: string, institutionId: string, admissionId: string) => {
    const message = createMessage(DischargeRecorded, institutionId, { admissionId, referralId: null, institutionId, bedType: 'care', unitId: randomUUID(), elderRef, reason: 'family-request', dischargedAt: new Date().toISOString() }, origin, { topic: bedEventsTopic('care') });
    await workflow.bus.publish([toRecord(message.topic, message.key, message.envelope)]);
  };

  beforeAll(async () => {
    workflow = await startWorkflow('referral_stays', { ...secrets, attachmentRetentionDays: 90, clock: () => new Date() });
  });
  afterAll(async () => workflow?.stop());

  it('refuses a second bed without a confirmed move (409 naming confirmMove), and starts it as a move when confirmed', async () => {
    const elder = `elder-${randomUUID()}`;
    await admit(elder, CARE_HOME, 'care');
    const stays = await inject('GET', `/api/referrals/stays?elderRef=${elder}`);
    expect(stays.statusCode, stays.body).toBe(200);
    expect((stays.json() as { institutionId: string; bedType: string }[]).map((s) => [s.institutionId, s.bedType])).toEqual([[CARE_HOME, 'care']]);

    const refused = await referral(elder, ['home-care']);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const problem = refused.json() as { type: string; errors: { field: string }[] };
    expect(problem.type).toBe('/problems/elder-in-bed');
    expect(problem.errors.map((e) => e.field)).toEqual(['confirmMove']);
    const [none] = await workflow.database.rows<{ n: number }>(workflow.database.db, sql`select count(*)::int as n from referral.referrals where elder_ref = ${elder}`);
    expect(none!.n).toBe(1); // only the one the admission answered

    const moved = await referral(elder, ['home-care'], { confirmMove: true });
    expect(moved.statusCode, moved.body).toBe(202);
    const view = await inject('GET', `/api/referrals/${(moved.json() as { id: string }).id}`);
    expect((view.json() as { movesFrom: { bedType: string }[] }).movesFrom.map((m) => m.bedType)).toEqual(['care']);
  });

  it('lets a home sick bed stand beside a home care bed (两床融合), and forgets a discharged stay', async () => {
    const elder = `elder-${randomUUID()}`;
    await admit(elder, HOME_CARE, 'home-care');
    const fused = await referral(elder, ['home-sick']);
    expect(fused.statusCode, fused.body).toBe(202);
    const view = await inject('GET', `/api/referrals/${(fused.json() as { id: string }).id}`);
    expect((view.json() as { movesFrom: unknown[] }).movesFrom).toEqual([]);

    const other = `elder-${randomUUID()}`;
    const stay = await admit(other, CARE_HOME, 'care');
    expect((await referral(other, ['hospice'])).statusCode).toBe(409);
    await discharge(other, CARE_HOME, stay);
    expect((await inject('GET', `/api/referrals/stays?elderRef=${other}`)).json()).toEqual([]);
    expect((await referral(other, ['hospice'])).statusCode).toBe(202);
  });

  it('dead-letters a bed event for a referral that does not exist, with the reason', async () => {
    const dead: { reason: string; type: string }[] = [];
    const dlq = await workflow.bus.subscribe({
      group: `dlq-reader-${randomUUID()}`,
      topics: [dlqTopic(bedEventsTopic('care'))],
      handle: async (r) => void dead.push({ reason: r.headers[HEADERS.dlqReason] ?? '', type: r.headers[HEADERS.type] ?? '' }),
    });
    try {
      const referralId = randomUUID();
      const message = createMessage(BedHeld, CARE_HOME, { holdId: randomUUID(), referralId, institutionId: CARE_HOME, bedType: 'care', unitId: randomUUID(), unitKind: 'bed', attributes: {}, expiresAt: new Date(Date.now() + 3600_000).toISOString() }, origin, { topic: bedEventsTopic('care') });
      await workflow.bus.publish([toRecord(message.topic, message.key, message.envelope)]);
      await waitFor(() => dead.length > 0, { what: 'the event in the dead-letter topic' });
      expect(dead).toEqual([{ type: 'BedHeld', reason: `cannot be applied: BedHeld names referral ${referralId}, which does not exist` }]);
    } finally {
      await dlq.stop();
    }
  });

  it('audits who looked up where an elder is', async () => {
    const elder = `elder-${randomUUID()}`;
    await inject('GET', `/api/referrals/stays?elderRef=${elder}`);
    const rows = await workflow.database.rows<{ actor: string; object_type: string }>(workflow.database.db, sql`select actor, object_type from referral.audit_log where object_id = ${elder}`);
    expect(rows).toEqual([expect.objectContaining({ actor: 'planner-b', object_type: 'elder-stays' })]);
  });
});
