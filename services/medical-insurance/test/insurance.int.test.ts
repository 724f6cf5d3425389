import { signToken, type Principal } from '@fbl/auth';
import { allMessages, AuthoriseLtci, createMessage, MessageRegistry, newId, type OutgoingMessage } from '@fbl/contracts';
import { openDatabase, type Database } from '@fbl/db';
import { InProcessBus, toRecord } from '@fbl/messaging';
import { createLogger, createMetrics } from '@fbl/observability';
import { buildHttpServer, startService, type RunningService } from '@fbl/service-kit';
import { createTestDatabase, describeWithPostgres, outboxSent, waitFor, watchPublished, type PublishedWatch, type TestDatabase } from '@fbl/testing';
import { testSealingKeys, testSuite, testTokenKey } from '@fbl/testing/suite';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FileHomeSickBed } from '@fbl/contracts';
import { generateKey } from '@fbl/privacy';
import { medicalInsuranceService, type MedicalInsuranceService } from '../src/index.js';

// The run's suite: under CRYPTO_SUITE=sm (the `sm` test project) SM4 seals and SM2-SM3 tokens.
const secret = testTokenKey('medical-insurance-test-secret');
/** How a value sealed under the run's suite begins: AES-256-GCM `v1.`, SM4 `s1.`. */
const SEALED = testSuite === 'sm' ? /^s1\./ : /^v1\./;
const DAY = 86_400_000;
const provider = '0192f3b2-7c1a-7000-8000-0000000000aa';
const institution = '0192f3b2-7c1a-7000-8000-0000000000bb';

/** NHSA 2021 answers graded 4 (daily living 15: severe; perception 6: moderate). */
const grade4 = {
  feeding: 10, bathing: 0, grooming: 0, dressing: 0, bowelControl: 0, bladderControl: 0, toiletUse: 0, transfer: 5, mobility: 0, stairs: 0,
  timeOrientation: 4, personOrientation: 4, placeOrientation: 4, memory: 4,
  vision: 2, hearing: 2, communication: 2,
};
/** Graded 5 (daily living 0: severe; cognition 0: severe). */
const grade5 = { ...grade4, feeding: 0, transfer: 0, timeOrientation: 0, personOrientation: 0, placeOrientation: 0, memory: 0 };
/** Graded 2 (daily living 50: moderate; the rest intact): below the threshold. */
const grade2 = { ...grade4, feeding: 10, bathing: 5, grooming: 5, dressing: 10, bowelControl: 10, bladderControl: 10, transfer: 0, vision: 4, hearing: 4, communication: 4 };

interface Envelope {
  type: string;
  subject: string;
  correlationId: string;
  data: Record<string, unknown>;
}
interface View {
  id: string;
  status: string;
  grade: number | null;
  referralIds: string[];
  [key: string]: unknown;
}

describeWithPostgres('medical insurance: LTCI lifecycle, AuthoriseLtci, roles, audit', () => {
  let testDb: TestDatabase;
  let database: Database;
  let bus: InProcessBus;
  let service: MedicalInsuranceService;
  let running: RunningService;
  let http: FastifyInstance;
  let now = new Date('2026-05-01T08:00:00Z');

  const encryptionKey = testSealingKeys(generateKey());
  const token = (p: Principal) => signToken(p, secret, { now, ttlSeconds: 3600 });
  const insurer = () => token({ userId: 'insurer-1', role: 'insurer', divisionCode: '371700' });
  const planner = () => token({ userId: 'planner-1', role: 'planner', institutionId: institution });
  const admin = () => token({ userId: 'admin-1', role: 'admin' });
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, who?: string, payload?: object) =>
    http.inject({ method, url: `/api/medical-insurance${url}`, headers: who ? { authorization: `Bearer ${who}` } : {}, ...(payload ? { payload } : {}) });
  const ok = async (method: 'GET' | 'POST', url: string, payload?: object, expected = 200) => {
    const r = await call(method, url, insurer(), payload);
    expect(r.statusCode, r.body).toBe(expected);
    return r.json() as View;
  };
  let published: PublishedWatch;
  /** What the service published of a type about a subject, once everything committed so far is published. */
  const sent = async (type: string, subject: string) => {
    await outboxSent(database, service.kit.tables);
    return published.of(type, subject) as unknown as Envelope[];
  };
  const timerOf = async (key: string) =>
    (await database.rows<{ due_at: Date | string; fired_at: Date | string | null; topic: string; message_key: string }>(database.db, sql`select due_at, fired_at, topic, message_key from medical_insurance.timers where key = ${key}`))[0];
  const statusOf = async (id: string) => (await database.rows<{ status: string }>(database.db, sql`select status from medical_insurance.applications where id = ${id}`))[0]?.status;
  /** Deliver a command to the service the way the bus would: through its consumer and inbox. */
  const deliver = (message: OutgoingMessage) => bus.publish([toRecord(message.topic, message.key, message.envelope)]);
  const authoriseLtci = (elderRef: string, referralId: string) =>
    deliver(createMessage(AuthoriseLtci, elderRef, { elderRef, referralId, requestedAt: now.toISOString() }, { source: 'referral-workflow', correlationId: referralId }));
  const applicationOf = async (elderRef: string) => (await database.rows<{ id: string }>(database.db, sql`select id from medical_insurance.applications where elder_ref = ${elderRef} order by applied_at desc limit 1`))[0]?.id;

  beforeAll(async () => {
    testDb = await createTestDatabase('medical_insurance');
    database = await openDatabase({ url: testDb.url });
    const logger = createLogger({ name: 'medical-insurance-test', level: 'warn', destination: new Writable({ write: (_c: Buffer, _e, done) => done() }) });
    bus = new InProcessBus(logger);
    const registry = new MessageRegistry(allMessages);
    service = medicalInsuranceService({ database, bus, logger, metrics: createMetrics(), registry, clock: () => now }, { authSecret: secret, encryptionKey });
    published = await watchPublished(bus, service.produces ?? []);
    running = await startService(service);
    // Deadlines fire when the test says so, not when the background poller happens to look.
    await service.kit.timerPoller.stop();
    http = await buildHttpServer({ title: 'medical-insurance', logger, metrics: createMetrics(), readiness: [], plugins: [service.routes!] });
  });
  afterAll(async () => {
    await http?.close();
    await running?.stop();
    await database?.close();
    await testDb?.drop();
  });

  it('takes a referral from AuthoriseLtci to authorised benefits: accepted, graded, noticed, effective after the notice', async () => {
    const elderRef = newId();
    const referralId = newId();
    await authoriseLtci(elderRef, referralId);
    const id = await waitFor(() => applicationOf(elderRef), { what: 'an application opened by AuthoriseLtci' });

    const queue = (await ok('GET', '/applications?status=applied')) as unknown as View[];
    expect(queue.find((a) => a.id === id)).toMatchObject({ status: 'applied', source: 'referral', referralIds: [referralId] });

    expect(await ok('POST', `/applications/${id}/accept`)).toMatchObject({ status: 'accepted' });
    expect((await sent('LtciApplicationAccepted', elderRef)).map((e) => e.data)).toEqual([{ applicationId: id, elderRef, referralIds: [referralId], acceptedOn: '2026-05-01' }]);

    const assessed = await ok('POST', `/applications/${id}/assessment`, { answers: grade4, assessors: ['assessor-a', 'assessor-b'], assessedOn: '2026-05-01' }, 201);
    expect(assessed).toMatchObject({ status: 'notice', grade: 4, assessment: { grade: 4, eligible: true, rulesVersion: 'NHSA-2021-37' } });
    const [graded] = await sent('LtciGraded', elderRef);
    expect(graded?.data).toMatchObject({ applicationId: id, grade: 4, purpose: 'first', eligible: true, indicators: { dailyLiving: 15, cognition: 16, perception: 6 }, rulesVersion: 'NHSA-2021-37' });
    expect((await sent('LtciNoticePublished', elderRef)).map((e) => e.data)).toEqual([{ applicationId: id, elderRef, grade: 4, noticeEndsOn: '2026-05-06' }]);
    const noticeTimer = await timerOf(`ltci-notice:${id}`);
    expect(noticeTimer).toMatchObject({ topic: 'medical-insurance.commands', message_key: id, fired_at: null });
    expect(new Date(noticeTimer!.due_at).toISOString()).toBe('2026-05-06T08:00:00.000Z');
    expect(await sent('LtciAuthorised', elderRef)).toEqual([]);

    // Before the notice ends nothing fires.
    now = new Date(now.getTime() + 4 * DAY);
    expect(await service.kit.timerPoller.fireDue()).toBe(0);
    now = new Date(now.getTime() + 1 * DAY + 60_000);
    expect(await service.kit.timerPoller.fireDue()).toBe(1);
    await waitFor(async () => (await statusOf(id)) === 'effective', { what: 'the application to take effect when its notice ended' });
    expect((await timerOf(`ltci-notice:${id}`))?.fired_at).not.toBeNull();

    const authorised = await sent('LtciAuthorised', elderRef);
    expect(authorised).toHaveLength(1);
    expect(authorised[0]).toMatchObject({ correlationId: referralId, data: { elderRef, grade: 4, referralId, effectiveFrom: '2026-06-01' } });
    expect(new Date((await timerOf(`ltci-reassessment:${id}`))!.due_at).toISOString()).toBe('2028-05-06T08:01:00.000Z');

    const chosen = await ok('POST', `/applications/${id}/care-mode`, { careMode: 'institutional-care', providerInstitutionId: provider });
    expect(chosen).toMatchObject({ status: 'in-benefit', careMode: 'institutional-care', providerInstitutionId: provider, hospitalLevel: null, benefitsFrom: '2026-06-01' });

    // A second referral for an authorised elder is answered at once.
    const second = newId();
    await authoriseLtci(elderRef, second);
    await waitFor(async () => (await sent('LtciAuthorised', elderRef)).length === 2, { what: 'LtciAuthorised for the second referral' });
    expect((await sent('LtciAuthorised', elderRef))[1]?.data).toEqual({ elderRef, grade: 4, referralId: second, effectiveFrom: '2026-06-01' });
    expect(await applicationOf(elderRef)).toBe(id);

    expect(await ok('POST', `/applications/${id}/end`, { reason: 'death' })).toMatchObject({ status: 'ended', endReason: 'death', endedOn: '2026-05-06' });
    expect((await sent('LtciEnded', elderRef)).map((e) => e.data)).toEqual([{ applicationId: id, elderRef, reason: 'death', endedOn: '2026-05-06' }]);
    expect(await timerOf(`ltci-reassessment:${id}`)).toBeUndefined();
  });

  it('refuses an application on a ground, answers a waiting referral, and bars a new one for six months', async () => {
    const elderRef = newId();
    const created = await ok('POST', '/applications', { elderRef }, 201);
    expect(created).toMatchObject({ status: 'applied', source: 'officer', referralIds: [] });
    const again = await call('POST', '/applications', insurer(), { elderRef });
    expect(again.statusCode).toBe(409);

    const unknownGround = await call('POST', `/applications/${created.id}/refuse`, insurer(), { ground: 'too-old' });
    expect(unknownGround.statusCode).toBe(400);
    expect((unknownGround.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('ground');

    expect(await ok('POST', `/applications/${created.id}/refuse`, { ground: 'not-insured' })).toMatchObject({ status: 'refused', refusalGround: 'not-insured', reapplyFrom: '2026-11-06' });
    expect((await sent('LtciApplicationRefused', elderRef)).map((e) => e.data)).toEqual([{ applicationId: created.id, elderRef, ground: 'not-insured', reapplyFrom: '2026-11-06' }]);
    expect((await sent('LtciRefused', elderRef)).map((e) => e.data)).toEqual([{ elderRef, ground: 'not-insured' }]);
    expect((await call('POST', `/applications/${created.id}/accept`, insurer())).statusCode).toBe(409);

    const barred = await call('POST', '/applications', insurer(), { elderRef });
    expect(barred.statusCode).toBe(409);
    expect(barred.json()).toMatchObject({ detail: expect.stringContaining('2026-11-06') as unknown });

    // A referral asking within the bar hears the refusal at once; no application opens.
    const referralId = newId();
    await authoriseLtci(elderRef, referralId);
    await waitFor(async () => (await sent('LtciRefused', elderRef)).length === 2, { what: 'LtciRefused for the referral' });
    expect((await sent('LtciRefused', elderRef))[1]).toMatchObject({ correlationId: referralId, data: { elderRef, referralId, ground: 'not-insured' } });
    expect(await applicationOf(elderRef)).toBe(created.id);
  });

  it('refuses a referral whose elder is graded below the threshold', async () => {
    const elderRef = newId();
    const referralId = newId();
    await authoriseLtci(elderRef, referralId);
    const id = await waitFor(() => applicationOf(elderRef), { what: 'an application opened by AuthoriseLtci' });
    await ok('POST', `/applications/${id}/accept`);
    const assessed = await ok('POST', `/applications/${id}/assessment`, { answers: grade2, assessors: ['assessor-a', 'assessor-b'], assessedOn: '2026-05-06' }, 201);
    expect(assessed).toMatchObject({ status: 'not-eligible', grade: 2, assessment: { eligible: false } });
    expect((await sent('LtciRefused', elderRef)).map((e) => e.data)).toEqual([{ elderRef, referralId, ground: 'conditions-not-met' }]);
    expect(await timerOf(`ltci-notice:${id}`)).toBeUndefined();
  });

  it('takes an objection during the notice: the notice timer is cancelled, the re-assessment decides', async () => {
    const elderRef = newId();
    const { id } = await ok('POST', '/applications', { elderRef }, 201);
    await ok('POST', `/applications/${id}/accept`);
    await ok('POST', `/applications/${id}/assessment`, { answers: grade4, assessors: ['assessor-a', 'assessor-b'], assessedOn: '2026-05-06' }, 201);
    expect(await timerOf(`ltci-notice:${id}`)).toBeDefined();

    const objected = await ok('POST', `/applications/${id}/objection`, { reason: 'the family says the grade understates the need' });
    expect(objected).toMatchObject({ status: 'objected', objectionReason: 'the family says the grade understates the need' });
    expect(await timerOf(`ltci-notice:${id}`)).toBeUndefined();
    expect((await call('POST', `/applications/${id}/objection`, insurer(), { reason: 'again' })).statusCode).toBe(409);

    now = new Date(now.getTime() + 6 * DAY);
    expect(await service.kit.timerPoller.fireDue()).toBe(0);
    expect(await statusOf(id)).toBe('objected');

    const reassessed = await ok('POST', `/applications/${id}/assessment`, { answers: grade5, assessors: ['assessor-c', 'assessor-d'], assessedOn: '2026-05-12' }, 201);
    expect(reassessed).toMatchObject({ status: 'effective', grade: 5, effectiveFrom: '2026-06-01' });
    expect((await sent('LtciGraded', elderRef)).map((e) => e.data['purpose'])).toEqual(['first', 'objection']);
    expect((await sent('LtciAuthorised', elderRef)).map((e) => e.data)).toEqual([{ elderRef, grade: 5, effectiveFrom: '2026-06-01' }]);

    const detail = await ok('GET', `/applications/${id}`);
    const kept = detail['assessments'] as { purpose: string; answers: Record<string, number>; assessors: string[] }[];
    expect(kept.map((a) => a.purpose)).toEqual(['first', 'objection']);
    expect(kept[1]).toMatchObject({ answers: grade5, assessors: ['assessor-c', 'assessor-d'] });
  });

  it('keeps raw answers sealed at rest, opens them for the officer, and seals answers stored in plain before', async () => {
    const elderRef = newId();
    const { id } = await ok('POST', '/applications', { elderRef }, 201);
    await ok('POST', `/applications/${id}/accept`);
    await ok('POST', `/applications/${id}/assessment`, { answers: grade4, assessors: ['assessor-a', 'assessor-b'], assessedOn: '2026-05-01' }, 201);
    const stored = await database.rows<{ answers: unknown; answers_sealed: string | null }>(database.db, sql`select answers, answers_sealed from medical_insurance.assessments where application_id = ${id}`);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.answers).toBeNull();
    expect(stored[0]!.answers_sealed).toMatch(SEALED);
    expect(stored[0]!.answers_sealed).not.toContain('feeding');
    const detail = await ok('GET', `/applications/${id}`);
    expect((detail['assessments'] as { answers: Record<string, number> }[])[0]!.answers).toEqual(grade4);

    // An assessment written in plain (before sealing existed) is sealed by the start-up job, and reads the same.
    await database.db.execute(sql`update medical_insurance.assessments set answers = ${JSON.stringify(grade4)}::jsonb, answers_sealed = null where application_id = ${id}`);
    expect(await service.ltci.sealPlainAnswers()).toBe(1);
    const resealed = await database.rows<{ answers: unknown; answers_sealed: string | null }>(database.db, sql`select answers, answers_sealed from medical_insurance.assessments where application_id = ${id}`);
    expect(resealed[0]).toMatchObject({ answers: null, answers_sealed: expect.stringMatching(SEALED) });
    expect(((await ok('GET', `/applications/${id}`))['assessments'] as { answers: Record<string, number> }[])[0]!.answers).toEqual(grade4);
    expect(await service.ltci.sealPlainAnswers()).toBe(0);
  });

  it('refuses bad answers by field and stores nothing', async () => {
    const elderRef = newId();
    const { id } = await ok('POST', '/applications', { elderRef }, 201);
    await ok('POST', `/applications/${id}/accept`);
    const { stairs: _omitted, ...missingStairs } = grade4;
    const bad = await call('POST', `/applications/${id}/assessment`, insurer(), { answers: { ...missingStairs, feeding: 7, walking: 5 }, assessors: ['assessor-a', 'assessor-b'], assessedOn: '2026-05-12' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['answers.feeding', 'answers.stairs', 'answers.walking']);

    const sameAssessor = await call('POST', `/applications/${id}/assessment`, insurer(), { answers: grade4, assessors: ['assessor-a', 'assessor-a'], assessedOn: '2026-05-12' });
    expect((sameAssessor.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['assessors.1']);
    const oneAssessor = await call('POST', `/applications/${id}/assessment`, insurer(), { answers: grade4, assessors: ['assessor-a'], assessedOn: '2026-05-12' });
    expect(oneAssessor.statusCode).toBe(400);

    expect(await statusOf(id)).toBe('accepted');
    expect((await database.rows<{ n: number }>(database.db, sql`select count(*)::int as n from medical_insurance.assessments where application_id = ${id}`))[0]?.n).toBe(0);
    expect(await sent('LtciGraded', elderRef)).toEqual([]);
  });

  it("keeps the applicant's self-assessment (自评) sealed, grades it, and shows it to the officer beside the on-site grade: advisory, never refusing", async () => {
    const elderRef = newId();
    const opened = await ok('POST', '/applications', { elderRef, selfAssessment: { filledBy: 'guardian', answers: grade2 } }, 201);
    // Below the threshold (2 < 3): flagged, and the application is open for 受理审核 all the same.
    expect(opened).toMatchObject({ status: 'applied', selfAssessment: { filledBy: 'guardian', grade: 2, gradeName: { zh: '中度失能' }, rulesVersion: 'NHSA-2021-37', advisory: true, preScreen: { belowThreshold: true, minGrade: 3, proceedsToReview: true, onSiteGrade: null, gradesDiffer: false } } });
    const id = opened.id;

    // At rest the answers are sealed: neither an item code nor the answers' text is in clear anywhere in the row or the audit log.
    const stored = await database.rows<Record<string, unknown>>(database.db, sql`select * from medical_insurance.self_assessments where application_id = ${id}`);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ filled_by: 'guardian', grade: 2, rules_version: 'NHSA-2021-37', recorded_by: 'insurer-1' });
    expect(stored[0]!['answers_sealed']).toMatch(SEALED);
    const row = JSON.stringify(stored[0]);
    for (const code of Object.keys(grade2)) expect(row).not.toContain(code);
    expect(row).not.toContain(JSON.stringify(grade2));
    const auditText = JSON.stringify(await database.rows(database.db, sql`select * from medical_insurance.audit_log where object_id = ${id}`));
    expect(auditText).not.toContain('feeding');

    // A self-assessment never refuses: the officer accepts, and the on-site assessment (grade 5) decides.
    expect(await ok('POST', `/applications/${id}/accept`)).toMatchObject({ status: 'accepted' });
    const before = await ok('GET', `/applications/${id}`);
    expect(before['selfAssessment']).toMatchObject({ grade: 2, answers: grade2, preScreen: { belowThreshold: true, onSiteGrade: null, gap: null, gradesDiffer: false } });
    await ok('POST', `/applications/${id}/assessment`, { answers: grade5, assessors: ['assessor-a', 'assessor-b'], assessedOn: '2026-05-01' }, 201);
    const after = await ok('GET', `/applications/${id}`);
    expect(after).toMatchObject({ status: 'notice', grade: 5, selfAssessment: { grade: 2, preScreen: { belowThreshold: true, proceedsToReview: true, onSiteGrade: 5, gap: 3, gradesDiffer: true } } });

    // Each change and read is audited; reads that opened the self-assessment say so.
    const trail = (await call('GET', `/audit?objectId=${id}`, admin())).json() as { action: string; outcome: string; detail?: Record<string, unknown> }[];
    const actions = trail.reverse().map((t) => [t.action, t.outcome]);
    expect(actions.slice(0, 2)).toEqual([['apply', 'allowed'], ['record-self-assessment', 'allowed']]);
    expect(trail.find((t) => t.action === 'record-self-assessment')?.detail).toEqual({ filledBy: 'guardian' });
    expect(trail.filter((t) => t.action === 'read').map((t) => t.detail)).toEqual([{ selfAssessment: 'opened' }, { selfAssessment: 'opened' }]);

    // An application without one shows none.
    const plain = await ok('POST', '/applications', { elderRef: newId() }, 201);
    expect((await ok('GET', `/applications/${plain.id}`))['selfAssessment']).toBeNull();
  });

  it('refuses a bad self-assessment with 400 naming the field, and opens no application', async () => {
    const elderRef = newId();
    const { stairs: _omitted, ...missingStairs } = grade4;
    const bad = await call('POST', '/applications', insurer(), { elderRef, selfAssessment: { filledBy: 'self', answers: { ...missingStairs, feeding: 7 } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((bad.json() as { errors: { field: string; reason: string }[] }).errors).toEqual([
      expect.objectContaining({ field: 'selfAssessment.answers.feeding', reason: 'must be one of 0, 5, 10, not 7' }),
      expect.objectContaining({ field: 'selfAssessment.answers.stairs' }),
    ]);
    const who = await call('POST', '/applications', insurer(), { elderRef, selfAssessment: { filledBy: 'neighbour', answers: grade4 } });
    expect(who.statusCode).toBe(400);
    expect(JSON.stringify((who.json() as { errors: unknown[] }).errors)).toContain('selfAssessment.filledBy');
    expect(await applicationOf(elderRef)).toBeUndefined();
    expect((await database.rows<{ n: number }>(database.db, sql`select count(*)::int as n from medical_insurance.audit_log where object_id = ${elderRef} and action = 'apply' and outcome = 'invalid'`))[0]?.n).toBe(1);
  });

  it('keeps insurer routes from a planner (403) and anyone signed out (401); the quote is for everyone signed in', async () => {
    const elderRef = newId();
    const { id } = await ok('POST', '/applications', { elderRef }, 201);
    const denied = [
      await call('POST', '/applications', planner(), { elderRef: newId() }),
      await call('GET', '/applications', planner()),
      await call('GET', `/applications/${id}`, planner()),
      await call('POST', `/applications/${id}/accept`, planner()),
      await call('POST', `/applications/${id}/refuse`, planner(), { ground: 'other' }),
      await call('POST', '/home-sick-bed-filings', planner(), { elderRef, institutionId: institution }),
    ];
    for (const r of denied) {
      expect(r.statusCode, r.body).toBe(403);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    expect((await call('POST', `/applications/${id}/accept`)).statusCode).toBe(401);
    expect(await statusOf(id)).toBe('applied');

    const quote = await call('GET', '/quote?careMode=medical-special-care&hospitalLevel=3&dailyCost=200&on=2026-05-01', planner());
    expect(quote.statusCode, quote.body).toBe(200);
    expect(quote.json()).toMatchObject({ fundPays: 120, elderPays: 80, capApplied: true, standardVersion: 'shandong-default-2024' });
    const noLevel = await call('GET', '/quote?careMode=medical-special-care&dailyCost=200', planner());
    expect(noLevel.statusCode).toBe(400);
    expect((noLevel.json() as { errors: { field: string; in: string }[] }).errors).toMatchObject([{ field: 'hospitalLevel', in: 'query' }]);
    expect((await call('GET', '/quote?careMode=spa&dailyCost=200', planner())).statusCode).toBe(400);
    expect((await call('GET', '/quote?careMode=home-self-care&dailyCost=20')).statusCode).toBe(401);
  });

  it("keeps each officer to the applications of their division: the elder's home from the workflow, else the officer's own", async () => {
    const jinan = () => token({ userId: 'insurer-jinan', role: 'insurer', divisionCode: '370100' });
    const province = () => token({ userId: 'insurer-province', role: 'insurer', divisionCode: '370000' });
    // From the workflow: the elder lives in 单县 (371722, 菏泽).
    const elderRef = newId();
    const referralId = newId();
    await deliver(createMessage(AuthoriseLtci, elderRef, { elderRef, referralId, requestedAt: now.toISOString(), divisionCode: '371722' }, { source: 'referral-workflow', correlationId: referralId }));
    const id = await waitFor(() => applicationOf(elderRef), { what: 'the application opened by AuthoriseLtci' });
    const listed = async (who: string) => ((await call('GET', '/applications', who)).json() as View[]).map((a) => a['id']);
    expect(await listed(insurer())).toContain(id);
    expect(await listed(province())).toContain(id);
    expect(await listed(jinan())).not.toContain(id);
    for (const r of [await call('GET', `/applications/${id}`, jinan()), await call('POST', `/applications/${id}/accept`, jinan())]) {
      expect(r.statusCode, r.body).toBe(403);
      expect(r.body).not.toContain(elderRef);
    }
    expect(await statusOf(id)).toBe('applied');
    expect((await call('GET', `/applications/${id}`, province())).json()).toMatchObject({ id, divisionCode: '371722' });
    // An officer opens applications in their own division, or one within it, not elsewhere.
    const own = await call('POST', '/applications', jinan(), { elderRef: newId() });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json()).toMatchObject({ divisionCode: '370100' });
    expect((await call('POST', '/applications', jinan(), { elderRef: newId(), divisionCode: '371702' })).statusCode).toBe(403);
    expect((await call('POST', '/applications', province(), { elderRef: newId(), divisionCode: '371702' })).statusCode).toBe(201);
    // Applying for an elder whose application is in another division says nothing of it.
    const blocked = await call('POST', '/applications', jinan(), { elderRef });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.body).not.toContain(id);
    expect((blocked.json() as { detail: string }).detail).toBe('the elder already has an application in another division');
    // The refusals are in the access log (newest first): the blocked application, the denied change and read.
    const trail = (await call('GET', `/audit?objectId=${id}`, admin())).json() as { actor: string; outcome: string; action: string }[];
    expect(trail.filter((e) => e.actor === 'insurer-jinan').map((e) => `${e.action}:${e.outcome}`)).toEqual(['apply:invalid', 'accept:denied', 'read:denied']);
  });

  it('files home sick beds once per elder and institution, by officers and by command', async () => {
    const elderRef = newId();
    const first = await call('POST', '/home-sick-bed-filings', insurer(), { elderRef, institutionId: institution });
    expect(first.statusCode, first.body).toBe(201);
    const { filingId, validFrom } = first.json() as { filingId: string; validFrom: string };
    const again = await call('POST', '/home-sick-bed-filings', insurer(), { elderRef, institutionId: institution });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ filingId });
    expect((await sent('HomeSickBedFiled', elderRef)).map((e) => e.data)).toEqual([{ filingId, elderRef, institutionId: institution, validFrom }]);

    const referralId = newId();
    await deliver(createMessage(FileHomeSickBed, elderRef, { elderRef, institutionId: institution, referralId }, { source: 'referral-workflow', correlationId: referralId }));
    await waitFor(async () => (await sent('HomeSickBedFiled', elderRef)).length === 2, { what: 'HomeSickBedFiled answering FileHomeSickBed' });
    expect((await sent('HomeSickBedFiled', elderRef))[1]).toMatchObject({ correlationId: referralId, data: { filingId, referralId } });

    const other = newId();
    await deliver(createMessage(FileHomeSickBed, other, { elderRef: other, institutionId: institution }, { source: 'referral-workflow' }));
    await waitFor(async () => (await sent('HomeSickBedFiled', other)).length === 1, { what: 'a new filing by command' });
  });

  it('audits every read and change of an application, allowed or not, and never lets an audit row change', async () => {
    const elderRef = newId();
    const { id } = await ok('POST', '/applications', { elderRef }, 201);
    await ok('GET', `/applications/${id}`);
    await call('GET', `/applications/${id}`, planner());
    await call('POST', `/applications/${id}/objection`, insurer(), { reason: 'too early' });
    await ok('POST', `/applications/${id}/accept`);
    await call('POST', `/applications/${id}/assessment`, insurer(), { answers: { ...grade4, feeding: 7 }, assessors: ['a', 'b'], assessedOn: '2026-05-12' });
    await call('GET', `/applications/${newId()}`, insurer());

    const trail = (await call('GET', `/audit?objectId=${id}`, admin())).json() as { actor: string; role: string; action: string; outcome: string }[];
    expect(trail.reverse().map((t) => [t.actor, t.role, t.action, t.outcome])).toEqual([
      ['insurer-1', 'insurer', 'apply', 'allowed'],
      ['insurer-1', 'insurer', 'read', 'allowed'],
      ['insurer-1', 'insurer', 'object', 'invalid'],
      ['insurer-1', 'insurer', 'accept', 'allowed'],
      ['insurer-1', 'insurer', 'record-assessment', 'invalid'],
    ]);
    // Within days in China time: the day of the clock holds them all, the day before none; a period backwards names `from`.
    const chinaDay = (offsetDays: number) => new Date(now.getTime() + 8 * 3600_000 + offsetDays * DAY).toISOString().slice(0, 10);
    expect(((await call('GET', `/audit?objectId=${id}&from=${chinaDay(0)}&to=${chinaDay(0)}`, admin())).json() as unknown[]).length).toBe(trail.length);
    expect((await call('GET', `/audit?objectId=${id}&to=${chinaDay(-1)}`, admin())).json()).toEqual([]);
    expect((await call('GET', `/audit?from=${chinaDay(1)}&to=${chinaDay(0)}`, admin())).json()).toMatchObject({ status: 400, errors: [{ field: 'from' }] });
    // The planner was stopped at the door (403 before any record was touched): nothing of the record was read.
    expect((await call('GET', '/audit', insurer())).statusCode).toBe(403);

    const byService = await database.rows<{ actor: string; action: string }>(database.db, sql`select actor, action from medical_insurance.audit_log where actor like 'service:%' order by seq`);
    expect(byService.map((r) => r.action)).toEqual(expect.arrayContaining(['apply', 'end-notice', 'authorise-request']));
    expect(byService.find((r) => r.action === 'end-notice')?.actor).toBe('service:medical-insurance');

    await expect(database.db.execute(sql`update medical_insurance.audit_log set outcome = 'allowed'`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from medical_insurance.audit_log`)).rejects.toThrow();
  });

  it("pages an officer's applications on the server: work queue or all, by status, by number, with X-Total-Count", async () => {
    // An officer of 东明县 (371728) alone: nothing else in these tests is in that county.
    const dongming = () => token({ userId: 'insurer-dongming', role: 'insurer', divisionCode: '371728' });
    const opened: View[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await call('POST', '/applications', dongming(), { elderRef: newId() });
      expect(r.statusCode, r.body).toBe(201);
      opened.push(r.json() as View);
      now = new Date(now.getTime() + 60_000);
    }
    const [first, second, third] = opened as [View, View, View];
    expect(first['reference']).toMatch(/^\d{8}-\d{6}$/);
    expect(new Set(opened.map((a) => a['reference'])).size).toBe(3);
    const refuse = await call('POST', `/applications/${third.id}/refuse`, dongming(), { ground: 'other' });
    expect(refuse.statusCode, refuse.body).toBe(200);

    const list = async (query: string) => {
      const r = await call('GET', `/applications${query}`, dongming());
      expect(r.statusCode, r.body).toBe(200);
      return { ids: (r.json() as View[]).map((a) => a.id), total: Number(r.headers['x-total-count']) };
    };
    // Applications kept before divisions were (none here but those AuthoriseLtci opened without one) are every officer's, and older.
    const legacy = await database.rows<{ status: string }>(database.db, sql`select status from medical_insurance.applications where division_code is null`);
    const legacyIn = (...statuses: string[]) => legacy.filter((l) => statuses.includes(l.status)).length;
    const queued = legacyIn('applied', 'accepted', 'objected', 'reassessment-due');
    // The work queue, oldest first, a page at a time.
    expect(await list(`?limit=1&offset=${queued}`)).toEqual({ ids: [first.id], total: queued + 2 });
    expect(await list(`?limit=1&offset=${queued + 1}`)).toEqual({ ids: [second.id], total: queued + 2 });
    expect(await list(`?limit=1&offset=${queued + 2}`)).toEqual({ ids: [], total: queued + 2 });
    // All of them, newest first; one status.
    expect(await list('?view=all&limit=3')).toEqual({ ids: [third.id, second.id, first.id], total: legacy.length + 3 });
    expect(await list('?status=refused&limit=1')).toEqual({ ids: [third.id], total: legacyIn('refused') + 1 });
    // By number, written whole or as the number alone; something that is no number finds nothing.
    expect(await list(`?view=all&reference=${String(second['reference'])}`)).toEqual({ ids: [second.id], total: 1 });
    expect(await list(`?view=all&reference=${Number(String(second['reference']).slice(9))}`)).toEqual({ ids: [second.id], total: 1 });
    expect(await list('?view=all&reference=abc')).toEqual({ ids: [], total: 0 });
    // Another division's officer does not find them by number either.
    const jinan = await call('GET', `/applications?view=all&reference=${String(second['reference'])}`, token({ userId: 'insurer-jinan', role: 'insurer', divisionCode: '370100' }));
    expect(jinan.json()).toEqual([]);
    expect(jinan.headers['x-total-count']).toBe('0');
    const bad = await call('GET', '/applications?view=mine&offset=-1', dongming());
    expect(bad.statusCode).toBe(400);
    expect([...new Set((bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field))].sort()).toEqual(['offset', 'view']);
  });

  it('says why an elder may not apply in a problem type of its own, with the day a refused elder may apply again', async () => {
    const elderRef = newId();
    const { id } = await ok('POST', '/applications', { elderRef }, 201);
    const inProgress = await call('POST', '/applications', insurer(), { elderRef });
    expect(inProgress.statusCode).toBe(409);
    expect(inProgress.json()).toMatchObject({ type: '/problems/ltci-in-progress', status: 409, applicationId: id });
    await ok('POST', `/applications/${id}/refuse`, { ground: 'materials-incomplete-or-false' });
    const barred = await call('POST', '/applications', insurer(), { elderRef });
    expect(barred.statusCode).toBe(409);
    expect(barred.headers['content-type']).toContain('application/problem+json');
    const reapplyFrom = (barred.json() as { reapplyFrom: string }).reapplyFrom;
    expect(barred.json()).toMatchObject({ type: '/problems/ltci-barred', applicationId: id, reapplyFrom: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as unknown });
    expect((await ok('GET', `/applications/${id}`))['reapplyFrom']).toBe(reapplyFrom);
  });

  it("lets the officer make a conclusion effective once the notice ended (not before), and end benefits on a day that can be", async () => {
    const elderRef = newId();
    const { id } = await ok('POST', '/applications', { elderRef }, 201);
    await ok('POST', `/applications/${id}/accept`);
    const assessed = await ok('POST', `/applications/${id}/assessment`, { answers: grade4, assessors: ['assessor-a', 'assessor-b'], assessedOn: new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10) }, 201);
    expect(assessed.status).toBe('notice');
    const noticeEndsAt = assessed['noticeEndsAt'] as string;

    // While the notice runs: refused, with the end of the notice; nothing changes.
    const early = await call('POST', `/applications/${id}/effect`, insurer());
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ type: '/problems/ltci-notice-running', noticeEndsAt });
    expect(await statusOf(id)).toBe('notice');
    expect(await sent('LtciAuthorised', elderRef)).toEqual([]);

    // The notice has ended but its timer has not fired yet: the officer makes it effective, and the timer goes.
    now = new Date(Date.parse(noticeEndsAt) + 60_000);
    const effective = await ok('POST', `/applications/${id}/effect`);
    expect(effective).toMatchObject({ status: 'effective', effectiveFrom: expect.stringMatching(/^\d{4}-\d{2}-01$/) as unknown });
    expect(await timerOf(`ltci-notice:${id}`)).toBeUndefined();
    expect((await sent('LtciAuthorised', elderRef)).map((e) => e.data)).toEqual([{ elderRef, grade: 4, effectiveFrom: effective['effectiveFrom'] }]);
    expect(await timerOf(`ltci-reassessment:${id}`)).toBeDefined();
    // A late objection is refused as such.
    const late = await call('POST', `/applications/${id}/objection`, insurer(), { reason: 'too late' });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ type: '/problems/conflict' });
    // Made effective once only.
    expect((await call('POST', `/applications/${id}/effect`, insurer())).statusCode).toBe(409);

    const chosen = await ok('POST', `/applications/${id}/care-mode`, { careMode: 'medical-special-care', providerInstitutionId: provider, hospitalLevel: 2 });
    expect(chosen).toMatchObject({ status: 'in-benefit', careMode: 'medical-special-care', hospitalLevel: 2 });

    const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const tomorrow = new Date(now.getTime() + 8 * 3600_000 + DAY).toISOString().slice(0, 10);
    const longAgo = '2020-01-01';
    for (const endedOn of [tomorrow, longAgo]) {
      const r = await call('POST', `/applications/${id}/end`, insurer(), { reason: 'death', endedOn });
      expect(r.statusCode, r.body).toBe(400);
      expect((r.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['endedOn']);
    }
    expect((await call('POST', `/applications/${id}/end`, insurer(), { reason: 'death', endedOn: '2026-13-01' })).statusCode).toBe(400);
    expect(await statusOf(id)).toBe('in-benefit');
    expect(await sent('LtciEnded', elderRef)).toEqual([]);

    const ended = await ok('POST', `/applications/${id}/end`, { reason: 'insurance-lost', endedOn: today });
    expect(ended).toMatchObject({ status: 'ended', endReason: 'insurance-lost', endedOn: today });
    expect((await sent('LtciEnded', elderRef)).map((e) => e.data)).toEqual([{ applicationId: id, elderRef, reason: 'insurance-lost', endedOn: today }]);
    expect(await timerOf(`ltci-reassessment:${id}`)).toBeUndefined();
    const trail = (await call('GET', `/audit?objectId=${id}`, admin())).json() as { action: string; outcome: string }[];
    expect(trail.map((e) => `${e.action}:${e.outcome}`).reverse()).toEqual(expect.arrayContaining(['end-notice:invalid', 'end-notice:allowed', 'end:invalid', 'end:allowed']));
  });

  it('dead-lettered nothing: every message it sent itself or was sent was understood', () => {
    expect(bus.deadLetters.map((d) => d.headers['dlq-reason'])).toEqual([]);
  });
});
