import { signToken } from '@fbl/auth';
import { AbilityAssessed, BedAvailabilityChanged, bedEventsTopic, CIVIL_AFFAIRS, createMessage, ElderRecordCorrected, eventsTopic } from '@fbl/contracts';
import { toRecord } from '@fbl/messaging';
import { generateKey } from '@fbl/privacy';
import { describeWithPostgres, waitFor } from '@fbl/testing';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorkflow, type WorkflowUnderTest } from './harness.js';

/*
 * A corrected home (PIPL art. 46) reaches the referrals: civil affairs says the elder's home moved,
 * the unfinished referral's packet takes the new division as a new version, and a home care bed
 * referral no provider could take (none serves the old home) is matched again at once, now with
 * the provider serving the new one.
 */

const HOSPITAL = '0192f3b2-7c1a-7000-8000-0000000000c1';
const HOME_CARE = '0192f3b2-7c1a-7000-8000-0000000000c2';
const secrets = { authSecret: 'home-moves-test-secret', encryptionKey: generateKey() };

describeWithPostgres("an elder's corrected home reaches the referrals", () => {
  let workflow: WorkflowUnderTest;
  const planner = () => signToken({ userId: 'planner-c', role: 'planner', institutionId: HOSPITAL }, secrets.authSecret, { now: new Date(), ttlSeconds: 3600 });
  const inject = (method: 'GET' | 'POST', url: string, payload?: object) => workflow.http.inject({ method, url, headers: { authorization: `Bearer ${planner()}` }, ...(payload ? { payload } : {}) });
  const publish = async (message: { topic: string; key: string; envelope: unknown }) => workflow.bus.publish([toRecord(message.topic, message.key, message.envelope as never)]);
  const stateOf = async (id: string) => ((await inject('GET', `/api/referrals/${id}`)).json() as { state: string }).state;

  beforeAll(async () => {
    workflow = await startWorkflow('referral_home_moves', { ...secrets, attachmentRetentionDays: 90, clock: () => new Date() });
    // A home care provider serving 曹县 (371721) only, with free places.
    await publish(createMessage(BedAvailabilityChanged, HOME_CARE, {
      institutionId: HOME_CARE, bedType: 'home-care', name: '曹县居家养老服务中心', divisionCode: '371721', ownership: 'public', capabilities: [], serviceArea: ['371721'], greenChannelPartners: [], sequence: 1,
      units: [{ kind: 'slot', attributes: {}, total: 10, free: 10, held: 0, occupied: 0, kept: 0, closed: 0 }],
    }, { source: 'home-care-beds' }, { topic: bedEventsTopic('home-care') }));
  });
  afterAll(async () => workflow?.stop());

  it('moves the packet to the new home and matches a stopped home-bed referral again, now with a provider', async () => {
    const elderRef = randomUUID();
    const created = await inject('POST', '/api/referrals', {
      elderRef, origin: { institutionId: HOSPITAL, divisionCode: '371702' }, requestedBedTypes: ['home-care'],
      packet: { reason: '出院后居家照护', eligibility: { homeDivisionCode: '371702' } }, consent: { givenBy: 'elder', method: 'written' },
    });
    expect(created.statusCode, created.body).toBe(202);
    const id = (created.json() as { id: string }).id;
    await publish(createMessage(AbilityAssessed, elderRef, { assessmentId: randomUUID(), elderRef, level: 2, assessedOn: new Date().toISOString().slice(0, 10), dementiaDiagnosis: false }, { source: CIVIL_AFFAIRS }));
    await waitFor(async () => (await stateOf(id)) === 'escalated', { what: 'the referral stopped: no provider serves 牡丹区', timeoutMs: 120_000 });

    // A correction that leaves the home as it was changes nothing here.
    await publish(createMessage(ElderRecordCorrected, elderRef, { elderRef, parts: ['phone'], divisionCode: '371702', homeMoved: false, correctedAt: new Date().toISOString() }, { source: CIVIL_AFFAIRS }, { topic: eventsTopic(CIVIL_AFFAIRS) }));
    await publish(createMessage(ElderRecordCorrected, elderRef, { elderRef, parts: ['address'], divisionCode: '371721', homeMoved: true, correctedAt: new Date().toISOString() }, { source: CIVIL_AFFAIRS }, { topic: eventsTopic(CIVIL_AFFAIRS) }));
    await waitFor(async () => (await stateOf(id)) === 'offering', { what: 'the referral matched again and offered to the provider serving 曹县', timeoutMs: 120_000 });
    const view = (await inject('GET', `/api/referrals/${id}`)).json() as { offers: { institutionId: string }[] };
    expect(view.offers.map((o) => o.institutionId)).toEqual([HOME_CARE]);
    const packet = (await inject('GET', `/api/referrals/${id}/packet`)).json() as { version: number; packet: { reason: string; eligibility: { homeDivisionCode: string } } };
    expect(packet).toMatchObject({ version: 2, packet: { reason: '出院后居家照护', eligibility: { homeDivisionCode: '371721' } } });
    const written = await workflow.database.rows<{ actor: string; role: string; detail: unknown }>(workflow.database.db, sql`select actor, role, detail from referral.audit_log where object_id = ${id} and action = 'write' order by seq`);
    expect(written.map((w) => [w.actor, w.role, w.detail])).toEqual([['planner-c', 'planner', { part: 'full', version: 1 }], ['service:civil-affairs', 'service', { part: 'home', version: 2 }]]);
  }, 300_000);
});
