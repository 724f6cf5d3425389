import { signToken, type Principal } from '@fbl/auth';
import { AbilityAssessed, BedAvailabilityChanged, bedEventsTopic, CIVIL_AFFAIRS, createMessage, ElderRegistered, EmergencyTransferRequested, LtciAuthorised, MEDICAL_INSURANCE, eventsTopic } from '@fbl/contracts';
import { toRecord } from '@fbl/messaging';
import { generateKey, Sealer } from '@fbl/privacy';
import { describeWithPostgres, waitFor } from '@fbl/testing';
import { testSealingKeys, testTokenKey } from '@fbl/testing/suite';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorkflow, type WorkflowUnderTest } from './harness.js';

/*
 * An urgent transfer's reason (转院原因) on a real PostgreSQL: the bed service sends it sealed with
 * the shared key (or, in an older message, in clear), the workflow keeps it sealed beside the
 * referral it starts, and the offered hospital's staff read it in their inbox with what is known
 * of the elder, without a consent record (PIPL art. 13 (1)(4)); every such read is audited, and
 * nobody else gets it.
 */

const CARE_HOME = '0192f3b2-7c1a-7000-8000-0000000000d1';
const HOSPITAL_A = '0192f3b2-7c1a-7000-8000-0000000000d2';
const HOSPITAL_B = '0192f3b2-7c1a-7000-8000-0000000000d3';
// The run's suite: under CRYPTO_SUITE=sm (the `sm` test project) SM4 seals and SM2-SM3 tokens.
const secrets = { authSecret: testTokenKey('urgent-transfers-test-secret'), encryptionKey: testSealingKeys(generateKey()) };
/** The bed services seal with the same PII_ENCRYPTION_KEY as the workflow. */
const bedSealer = new Sealer(secrets.encryptionKey);

interface InboxLine {
  offerId: string;
  referralId: string;
  status: string;
  sendingInstitution: { id: string };
  summary: { basis: string; transferReason: string | null; ageBand: { from: number; to: number } | null; sex: string | null; countyCode: string | null; abilityLevel: number | null; ltciGrade: number | null } | null;
}

describeWithPostgres("an urgent transfer's reason reaches the offered hospital, sealed at rest and audited", () => {
  let workflow: WorkflowUnderTest;
  const staffA: Principal = { userId: 'ward-a', role: 'provider', institutionId: HOSPITAL_A };
  const staffB: Principal = { userId: 'ward-b', role: 'provider', institutionId: HOSPITAL_B };
  const plannerB: Principal = { userId: 'planner-b', role: 'planner', institutionId: HOSPITAL_B };
  const careStaff: Principal = { userId: 'nurse-c', role: 'provider', institutionId: CARE_HOME };
  const admin: Principal = { userId: 'admin-u', role: 'admin' };
  const inject = (who: Principal, method: 'GET' | 'POST', url: string, payload?: object) =>
    workflow.http.inject({ method, url, headers: { authorization: `Bearer ${signToken(who, secrets.authSecret, { now: new Date(), ttlSeconds: 3600 })}` }, ...(payload ? { payload } : {}) });
  const publish = async (message: { topic: string; key: string; envelope: unknown }) => workflow.bus.publish([toRecord(message.topic, message.key, message.envelope as never)]);
  const inbox = async (who: Principal, institutionId: string) => {
    const r = await inject(who, 'GET', `/api/referrals/inbox/${institutionId}?view=all`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as InboxLine[];
  };
  const hospital = (institutionId: string, name: string, sequence: number) =>
    createMessage(BedAvailabilityChanged, institutionId, {
      institutionId, bedType: 'medical', name, divisionCode: '371702', ownership: 'public', capabilities: [], serviceArea: ['371702'], greenChannelPartners: [CARE_HOME], sequence,
      units: [{ kind: 'bed', attributes: {}, total: 10, free: 10, held: 0, occupied: 0, kept: 0, closed: 0 }],
    }, { source: 'medical-beds' }, { topic: bedEventsTopic('medical') });
  /** The care home's urgent transfer of a resident, as the bed service publishes it (`reason` given: as an older one did). */
  const transfer = (elderRef: string, text: { reasonSealed?: string; reason?: string }) =>
    createMessage(EmergencyTransferRequested, CARE_HOME, {
      transferId: randomUUID(), admissionId: randomUUID(), referralId: null, institutionId: CARE_HOME, bedType: 'care', elderRef, divisionCode: '371702', ...text, bedKept: false, hospitalInstitutionId: HOSPITAL_A, requestedAt: new Date().toISOString(),
    }, { source: 'care-beds' }, { topic: bedEventsTopic('care') });
  /** The referral the transfer started, once it offers the hospital. */
  const referralOf = async (elderRef: string) => {
    const found = async () => (await workflow.database.rows<{ id: string; state: string }>(workflow.database.db, sql`select id, state from referral.referrals where elder_ref = ${elderRef}`))[0];
    await waitFor(async () => (await found())?.state === 'offering', { what: 'the urgent-transfer referral offering the chosen hospital', timeoutMs: 60_000 });
    return (await found())!.id;
  };

  beforeAll(async () => {
    workflow = await startWorkflow('referral_urgent_transfers', { ...secrets, attachmentRetentionDays: 90, clock: () => new Date() });
    await publish(hospital(HOSPITAL_A, '菏泽市立医院', 1));
    await publish(hospital(HOSPITAL_B, '牡丹区人民医院', 1));
    await waitFor(async () => ((await inject(admin, 'GET', '/api/referrals/capacity?bedType=medical')).json() as unknown[]).length === 2, { what: 'both hospitals in the availability view' });
  });
  afterAll(async () => workflow?.stop());

  it('keeps the sealed reason sealed, shows it to the offered hospital alone with the elder facts, and audits every read', async () => {
    const elderRef = randomUUID();
    const reason = '突发高热伴意识模糊，血氧89%';
    const birthYear = new Date().getUTCFullYear() - 83;
    await publish(createMessage(ElderRegistered, elderRef, { elderRef, divisionCode: '371702', birthYear, gender: 'female' }, { source: CIVIL_AFFAIRS }, { topic: eventsTopic(CIVIL_AFFAIRS) }));
    await publish(createMessage(AbilityAssessed, elderRef, { assessmentId: randomUUID(), elderRef, level: 3, assessedOn: new Date().toISOString().slice(0, 10), dementiaDiagnosis: false }, { source: CIVIL_AFFAIRS }));
    await publish(createMessage(LtciAuthorised, elderRef, { elderRef, grade: 4, effectiveFrom: new Date().toISOString().slice(0, 10) }, { source: MEDICAL_INSURANCE }, { topic: eventsTopic(MEDICAL_INSURANCE) }));
    await publish(transfer(elderRef, { reasonSealed: bedSealer.seal(reason) }));
    const id = await referralOf(elderRef);

    // At rest: sealed, in a row written with the referral, and no clear text anywhere in it.
    const [row] = await workflow.database.rows<{ row: string; reason_sealed: string }>(workflow.database.db, sql`select row_to_json(t)::text as row, reason_sealed from referral.transfer_reasons t where referral_id = ${id}`);
    expect(row, 'the transfer reason row').toBeDefined();
    expect(row!.row).not.toContain('高热');
    expect(row!.reason_sealed).toMatch(/^(v1|s1)\./);
    expect(bedSealer.open(row!.reason_sealed)).toBe(reason);

    // The offered hospital's staff: the reason and what is known of the elder, without any consent on record.
    expect((await workflow.database.rows<{ n: number }>(workflow.database.db, sql`select count(*)::int as n from referral.packet_consents where referral_id = ${id}`))[0]!.n).toBe(0);
    const line = (await inbox(staffA, HOSPITAL_A)).find((l) => l.referralId === id);
    expect(line).toMatchObject({ status: 'open', sendingInstitution: { id: CARE_HOME } });
    expect(line!.summary).toMatchObject({ basis: 'emergency', transferReason: reason, ageBand: { from: 80, to: 84 }, sex: 'female', countyCode: '371702', abilityLevel: 3, ltciGrade: 4 });

    // Nobody else: another hospital's staff (not offered, and not let into the offered one's inbox),
    // a planner of another hospital, the sending home's staff, and an admin looking at the inbox.
    expect((await inbox(staffB, HOSPITAL_B)).some((l) => l.referralId === id)).toBe(false);
    for (const [who, url] of [[staffB, `/api/referrals/inbox/${HOSPITAL_A}`], [plannerB, `/api/referrals/inbox/${HOSPITAL_A}`], [plannerB, `/api/referrals/inbox/${HOSPITAL_B}`], [plannerB, `/api/referrals/${id}`], [staffB, `/api/referrals/${id}`], [careStaff, `/api/referrals/inbox/${HOSPITAL_A}`]] as const) {
      const refused = await inject(who, 'GET', url);
      expect(refused.statusCode, `${who.userId} ${url}`).toBe(403);
      expect(refused.body).not.toContain('高热');
    }
    const asAdmin = (await inbox(admin, HOSPITAL_A)).find((l) => l.referralId === id);
    expect(asAdmin).toMatchObject({ summary: null });
    const view = await inject(careStaff, 'GET', `/api/referrals/${id}`);
    expect(view.statusCode, view.body).toBe(200);
    expect(view.body).not.toContain('高热');

    // Audited: the reason written by the bed service's message, and read once by ward-a (no one else read it).
    const audit = await workflow.database.rows<{ actor: string; role: string; action: string; outcome: string; detail: unknown }>(workflow.database.db, sql`select actor, role, action, outcome, detail from referral.audit_log where object_id = ${id} and object_type = 'transfer-reason' order by seq`);
    expect(audit.map((a) => [a.actor, a.role, a.action, a.outcome])).toEqual([['service:care-beds', 'service', 'write', 'allowed'], ['ward-a', 'provider', 'read', 'allowed']]);
    expect(audit[1]!.detail).toEqual({ part: 'summary', basis: 'emergency', reason: true });

    // Declined: no longer live, so the hospital's line loses it; the next hospital offered gets it.
    const declined = await inject(staffA, 'POST', `/api/referrals/${id}/offers/${line!.offerId}/decline`, { reasonCode: 'no-capacity' });
    expect(declined.statusCode, declined.body).toBe(200);
    expect((await inbox(staffA, HOSPITAL_A)).find((l) => l.referralId === id)).toMatchObject({ status: 'declined', summary: null });
    await waitFor(async () => (await inbox(staffB, HOSPITAL_B)).some((l) => l.referralId === id && l.status === 'open'), { what: 'the referral offered to the other hospital', timeoutMs: 60_000 });
    expect((await inbox(staffB, HOSPITAL_B)).find((l) => l.referralId === id)!.summary).toMatchObject({ basis: 'emergency', transferReason: reason });
  }, 120_000);

  it('seals a reason an older message carries in clear, and shows it the same way', async () => {
    const elderRef = randomUUID();
    await publish(transfer(elderRef, { reason: '跌倒后髋部疼痛，不能站立' }));
    const id = await referralOf(elderRef);
    const [row] = await workflow.database.rows<{ row: string; reason_sealed: string }>(workflow.database.db, sql`select row_to_json(t)::text as row, reason_sealed from referral.transfer_reasons t where referral_id = ${id}`);
    expect(row!.row).not.toContain('髋部');
    expect(bedSealer.open(row!.reason_sealed)).toBe('跌倒后髋部疼痛，不能站立');
    expect((await inbox(staffA, HOSPITAL_A)).find((l) => l.referralId === id)!.summary).toMatchObject({ basis: 'emergency', transferReason: '跌倒后髋部疼痛，不能站立', ageBand: null, abilityLevel: null });
  }, 120_000);

  it('starts the urgent referral all the same when the reason was sealed under a key it does not have, and says there is none', async () => {
    const elderRef = randomUUID();
    await publish(transfer(elderRef, { reasonSealed: new Sealer(testSealingKeys(generateKey())).seal('胸闷气短') }));
    const id = await referralOf(elderRef);
    expect(await workflow.database.rows(workflow.database.db, sql`select 1 from referral.transfer_reasons where referral_id = ${id}`)).toEqual([]);
    expect((await inbox(staffA, HOSPITAL_A)).find((l) => l.referralId === id)!.summary).toMatchObject({ basis: 'emergency', transferReason: null });
  }, 120_000);
});
