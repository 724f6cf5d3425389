import { signToken, type Principal } from '@fbl/auth';
import { allMessages, bedCommandsTopic, bedEventsTopic, createMessage, MessageRegistry, newId, ReserveBed } from '@fbl/contracts';
import { openDatabase, type Database } from '@fbl/db';
import { createKafkaBus, toRecord, type Bus } from '@fbl/messaging';
import { createLogger, createMetrics } from '@fbl/observability';
import { randomBytes } from 'node:crypto';
import { buildHttpServer, startService, type RunningService } from '@fbl/service-kit';
import { testCreditCode } from './credit-code.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { watchPublished, type PublishedWatch } from './published.js';
import { describeWithKafkaAndPostgres, kafkaBrokers } from './requirements.js';
import { waitFor } from './wait-for.js';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BED_POLICIES, bedService, type BedService, type BedTypePolicy } from '@fbl/bed-inventory';

const CASES = {
  'home-care': { kind: 'home-care-provider', unitAttributes: { careLevel: 'standard' }, items: ['bathing', 'meals'] },
  'home-sick': { kind: 'community-health-centre', unitAttributes: { team: '一组' }, items: ['rounds', 'dressing-change'] },
} as const;

/**
 * Home bed visits over real PostgreSQL and Kafka: a plan set at admission and changed (versions),
 * check-in and check-out with a signature and with the one-time code, a review visit renewing a
 * home sick bed episode, a missed visit flagged by its timer, and the events each publishes.
 * Run by each home bed service against its policy.
 */
export function homeVisitsBehaviour(bedType: 'home-care' | 'home-sick'): void {
  const { kind, unitAttributes, items } = CASES[bedType];
  const policy: BedTypePolicy = BED_POLICIES[bedType];
  describeWithKafkaAndPostgres(`${policy.service} visits`, () => {
    // Monday 2026-06-01 09:00 China time.
    const clock = { now: new Date('2026-06-01T01:00:00Z') };
    const logger = createLogger({ name: 'visits-test', level: 'silent' });
    const authSecret = 'visits-test-secret';
    const sealing = randomBytes(32).toString('base64');
    let testDb: TestDatabase;
    let database: Database;
    let bus: Bus;
    let service: BedService;
    let running: RunningService;
    let http: FastifyInstance;
    let watch: PublishedWatch;
    let institutionId: string;
    const admin: Principal = { userId: 'admin-visits', role: 'admin' };
    const staff = (): Principal => ({ userId: 'office-1', role: 'provider', institutionId, name: '周站长' });
    const worker = (): Principal => ({ userId: 'worker-1', role: 'provider', institutionId, name: '陈护理员' });
    const api = (method: 'GET' | 'POST' | 'PUT', path: string, payload?: object, who: Principal = staff()) =>
      http.inject({ method, url: `/api/${policy.service}${path}`, headers: { authorization: `Bearer ${signToken(who, authSecret, { now: clock.now, ttlSeconds: 600 })}` }, ...(payload ? { payload } : {}) });
    const ok = async (response: Awaited<ReturnType<typeof api>>, status = 200) => {
      expect(response.statusCode, response.body).toBe(status);
      return response.json() as Record<string, unknown>;
    };
    const admit = async () => {
      const referralId = newId();
      const m = createMessage(ReserveBed, institutionId, { referralId, institutionId, bedType, elderRef: `elder-${referralId.slice(-6)}` }, { source: 'test' }, { topic: bedCommandsTopic(bedType) });
      await bus.publish([toRecord(m.topic, m.key, m.envelope)]);
      const held = await waitFor(() => watch.of('BedHeld').find((e) => (e.data as { referralId: string }).referralId === referralId), { what: 'the hold', timeoutMs: 120_000 });
      const body = policy.servicePlan ? { servicePlan: { services: ['助餐'], visitsPerWeek: 2 } } : {};
      return (await ok(await api('POST', `/holds/${(held.data as { holdId: string }).holdId}/admission`, body))).admissionId as string;
    };
    const plan = (over: Record<string, unknown> = {}) => ({ divisionCode: '370881', workerId: 'worker-1', workerName: '陈护理员', startsOn: '2026-06-01', endsOn: '2026-08-31', graceMinutes: 15, slots: [{ weekdays: [1, 3, 5], start: '08:30', windowMinutes: 120, items: [...items] }], ...over });
    const visitsOf = async (day: string, who = staff(), mine = false) => (await ok(await api('GET', `/institutions/${institutionId}/visits?from=${day}${mine ? '&mine=true' : ''}`, undefined, who))) as { visits: { id: string; status: string; late: boolean | null; windowStart: string; purpose: string; stayId: string }[]; counts: Record<string, number> };

    beforeAll(async () => {
      testDb = await createTestDatabase(`visits_${policy.dbSchema}`);
      database = await openDatabase({ url: testDb.url }, { poolSize: 10 });
      bus = await createKafkaBus({ brokers: kafkaBrokers(), clientId: `visits-test-${bedType}`, logger, namespace: `visits-${newId().slice(-12)}`, partitions: 1 });
      service = bedService(policy, { database, bus, logger, metrics: createMetrics(), registry: new MessageRegistry(allMessages), clock: () => clock.now }, { authSecret, sealing });
      running = await startService(service);
      watch = await watchPublished(bus, [bedEventsTopic(bedType)]);
      http = await buildHttpServer({ title: policy.service, logger, metrics: createMetrics(), readiness: [], plugins: [service.routes!] });
      const registered = await ok(await api('POST', '/institutions', { name: `上门${newId().slice(-6)}`, creditCode: testCreditCode('370881'), divisionCode: '370881', kind, ownership: 'private', serviceArea: ['370881'], units: [{ kind: 'slot', count: 5, attributes: unitAttributes }] }, admin), 201);
      institutionId = registered.id as string;
    }, 180_000);
    afterAll(async () => {
      await watch?.stop();
      await http?.close();
      await running?.stop();
      await bus?.close();
      await database?.close();
      await testDb?.drop();
    });

    it('sets a plan at admission, lays out its visits, and versions a change', async () => {
      const stayId = await admit();
      const bad = await api('PUT', `/admissions/${stayId}/plan`, plan({ slots: [{ weekdays: [1], start: '08:30', windowMinutes: 60, items: ['karaoke'] }] }));
      expect(bad.statusCode).toBe(400);
      expect((bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('slots.0.items.0');
      const first = await ok(await api('PUT', `/admissions/${stayId}/plan`, plan()));
      expect(first).toMatchObject({ version: 1 });
      // Mon, Wed, Fri for 28 days from Monday 09:00 (until Monday 29 June 09:00): today's 08:30 window is open, and the 29th's opens before the horizon: 13 visits.
      expect(first.visitsAdded).toBe(13);
      const today = await visitsOf('2026-06-01', worker(), true);
      expect(today.visits.filter((v) => v.stayId === stayId)).toHaveLength(1);
      // The change moves the slots to Tuesdays: the visits still to come are replaced, today's open one stays.
      const second = await ok(await api('PUT', `/admissions/${stayId}/plan`, plan({ slots: [{ weekdays: [2], start: '14:00', windowMinutes: 60, items: [items[0]] }] })));
      expect(second).toMatchObject({ version: 2, visitsCancelled: 12, visitsAdded: 4 });
      const read = await ok(await api('GET', `/admissions/${stayId}/plan`));
      expect((read.versions as { version: number }[]).map((v) => v.version)).toEqual([1, 2]);
      expect((await visitsOf('2026-06-02')).visits.filter((v) => v.stayId === stayId)).toHaveLength(1);
      // Another provider's staff see nothing of it.
      const stranger: Principal = { userId: 'other', role: 'provider', institutionId: newId() };
      expect((await api('GET', `/admissions/${stayId}/plan`, undefined, stranger)).statusCode).toBe(403);
    });

    it('checks a visit in late and out with a signature; publishes HomeVisitCompleted; seals and audits the record', async () => {
      const stayId = await admit();
      await ok(await api('PUT', `/admissions/${stayId}/plan`, plan({ slots: [{ weekdays: [1], start: '08:30', windowMinutes: 120, items: [...items] }] })));
      const visit = (await visitsOf('2026-06-01', worker(), true)).visits.find((v) => v.stayId === stayId)!;
      const checkedIn = await ok(await api('POST', `/visits/${visit.id}/check-in`, undefined, worker()));
      expect(checkedIn.late).toBe(true); // 09:00 against 08:30 and 15 minutes' grace
      expect((await api('POST', `/visits/${visit.id}/check-in`, undefined, worker())).statusCode).toBe(409);
      clock.now = new Date(clock.now.getTime() + 47 * 60_000);
      const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
      const out = await ok(await api('POST', `/visits/${visit.id}/check-out`, { items: [{ code: items[0], minutes: 30 }, { code: items[1], minutes: 15 }], confirmation: { method: 'signature', png }, notes: '老人血压偏高，已告知家属', photos: [png] }, worker()));
      expect(out.minutes).toBe(47);
      const completed = await waitFor(() => watch.of('HomeVisitCompleted').find((e) => (e.data as { visitId: string }).visitId === visit.id), { what: 'HomeVisitCompleted', timeoutMs: 120_000 });
      expect(completed.data).toMatchObject({ institutionId, bedType, divisionCode: '370881', purpose: 'service', channel: 'home', minutes: 47, confirmation: 'signature', late: true, items: [{ code: items[0], minutes: 30 }, { code: items[1], minutes: 15 }] });
      expect(JSON.stringify(completed.data)).not.toContain('血压');
      const schema = sql.identifier(policy.dbSchema);
      const [row] = await database.rows<{ notes_sealed: string; signature_sealed: string }>(database.db, sql`select notes_sealed, signature_sealed from ${schema}.visits where id = ${visit.id}`);
      expect(row!.notes_sealed).not.toContain('血压');
      expect(row!.signature_sealed).not.toContain('iVBOR');
      const detail = await ok(await api('GET', `/visits/${visit.id}`));
      expect(detail).toMatchObject({ status: 'completed', notes: '老人血压偏高，已告知家属', signature: png, confirmation: 'signature' });
      expect(detail.photos).toEqual([png]);
      const photos = await database.rows<{ sealed: string }>(database.db, sql`select sealed from ${schema}.visit_photos where visit_id = ${visit.id}`);
      expect(photos).toHaveLength(1);
      expect(photos[0]!.sealed).not.toContain('iVBOR');
      const audit = await database.rows<{ action: string; actor: string }>(database.db, sql`select action, actor from ${schema}.audit_log where object_id = ${visit.id} order by seq`);
      expect(audit.map((a) => a.action)).toEqual(['visit.check-in', 'visit.check-out', 'visit.read']);
      await expect(database.db.execute(sql`delete from ${schema}.audit_log where object_id = ${visit.id}`)).rejects.toThrow();
      // The rows are linked into the schema's hash chain by its job.
      const linked = async () => Number((await database.rows<{ n: number }>(database.db, sql`select count(*)::int as n from ${schema}.audit_chain c join ${schema}.audit_log a on a.seq = c.seq where c.log = 'audit_log' and a.object_id = ${visit.id}`))[0]!.n);
      await waitFor(async () => ((await linked()) === 3 ? true : undefined), { what: 'the audit rows chained', timeoutMs: 120_000 });
      clock.now = new Date('2026-06-01T01:00:00Z');
    });

    it('confirms with the one-time code only when it matches', async () => {
      const stayId = await admit();
      const planned = await ok(await api('PUT', `/admissions/${stayId}/plan`, plan()));
      const visitId = ((await ok(await api('POST', `/plans/${planned.planId as string}/visits`, { purpose: 'service', windowStart: clock.now.toISOString(), windowEnd: new Date(clock.now.getTime() + 3_600_000).toISOString(), items: [items[0]] }), 201)).visitId) as string;
      const { code } = (await ok(await api('GET', `/visits/${visitId}/code`))) as { code: string };
      expect(code).toMatch(/^\d{6}$/);
      await ok(await api('POST', `/visits/${visitId}/check-in`, undefined, worker()));
      const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      expect((await api('POST', `/visits/${visitId}/check-out`, { items: [], confirmation: { method: 'code', code: wrong } }, worker())).statusCode).toBe(409);
      await ok(await api('POST', `/visits/${visitId}/check-out`, { items: [{ code: items[0], minutes: 20 }], confirmation: { method: 'code', code } }, worker()));
      await waitFor(() => watch.of('HomeVisitCompleted').find((e) => (e.data as { visitId: string; confirmation: string }).visitId === visitId && (e.data as { confirmation: string }).confirmation === 'code'), { what: 'completed by code', timeoutMs: 120_000 });
    });

    it('flags a visit missed by its timer when its window ends without a check-in, and counts it', async () => {
      const stayId = await admit();
      const planned = await ok(await api('PUT', `/admissions/${stayId}/plan`, plan()));
      const windowEnd = new Date(clock.now.getTime() + 30 * 60_000);
      const visitId = ((await ok(await api('POST', `/plans/${planned.planId as string}/visits`, { purpose: 'service', windowStart: clock.now.toISOString(), windowEnd: windowEnd.toISOString() }), 201)).visitId) as string;
      const before = (await visitsOf('2026-06-01')).counts.missed!;
      clock.now = new Date(windowEnd.getTime() + 60_000);
      const missed = await waitFor(() => watch.of('HomeVisitMissed').find((e) => (e.data as { visitId: string }).visitId === visitId), { what: 'HomeVisitMissed', timeoutMs: 180_000 });
      expect(missed.data).toMatchObject({ institutionId, bedType, planId: planned.planId, divisionCode: '370881', windowEnd: windowEnd.toISOString() });
      const after = await visitsOf('2026-06-01');
      expect(after.visits.find((v) => v.id === visitId)?.status).toBe('missed');
      expect(after.counts.missed).toBeGreaterThan(before);
      expect((await api('POST', `/visits/${visitId}/check-in`, undefined, worker())).statusCode).toBe(409);
      clock.now = new Date('2026-06-01T01:00:00Z');
    });

    if (bedType === 'home-sick') {
      it('a review visit recorded renews the episode; 查床 slots are allowed', async () => {
        const stayId = await admit();
        const planned = await ok(await api('PUT', `/admissions/${stayId}/plan`, plan({ slots: [{ purpose: 'doctor-round', weekdays: [1, 4], start: '08:00', windowMinutes: 180, items: ['rounds'] }] })));
        const round = (await visitsOf('2026-06-01')).visits.find((v) => v.stayId === stayId)!;
        expect(round.purpose).toBe('doctor-round');
        const visitId = ((await ok(await api('POST', `/plans/${planned.planId as string}/visits`, { purpose: 'review', windowStart: clock.now.toISOString(), windowEnd: new Date(clock.now.getTime() + 3_600_000).toISOString() }), 201)).visitId) as string;
        await ok(await api('POST', `/visits/${visitId}/check-in`, undefined, worker()));
        await ok(await api('POST', `/visits/${visitId}/check-out`, { items: [], confirmation: { method: 'none' }, review: { condition: 'stable', decision: 'continue' } }, worker()));
        const renewed = await waitFor(() => watch.of('HomeSickBedEpisodeRenewed').find((e) => (e.data as { episodeId: string }).episodeId === stayId), { what: 'the episode renewed', timeoutMs: 120_000 });
        expect(renewed).toBeDefined();
        await waitFor(() => watch.of('HomeVisitCompleted').find((e) => (e.data as { visitId: string; purpose: string }).visitId === visitId && (e.data as { purpose: string }).purpose === 'review'), { what: 'the review visit', timeoutMs: 120_000 });
      });
    } else {
      it('refuses a 查床 slot on a home care bed', async () => {
        const stayId = await admit();
        const bad = await api('PUT', `/admissions/${stayId}/plan`, plan({ slots: [{ purpose: 'doctor-round', weekdays: [1], start: '08:00', windowMinutes: 60, items: [] }] }));
        expect(bad.statusCode).toBe(400);
        expect((bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('slots.0.purpose');
      });
    }
  });
}
