import { signToken, type Principal } from '@fbl/auth';
import { bedService, type Attributes, type BedService, type BedTypePolicy } from '@fbl/bed-inventory';
import {
  allMessages,
  bedCommandsTopic,
  bedEventsTopic,
  createMessage,
  MessageRegistry,
  newId,
  ReleaseBed,
  ReserveBed,
  type Envelope,
} from '@fbl/contracts';
import { openDatabase, type Database } from '@fbl/db';
import { createConsumer, InProcessBus, toRecord } from '@fbl/messaging';
import { createLogger, createMetrics } from '@fbl/observability';
import { chainPass, generateKey, Sealer, verifyChain } from '@fbl/privacy';
import { buildHttpServer, startService, type RunningService, type ServiceDeps } from '@fbl/service-kit';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { unitCountsMigrationCase } from './bed-counts-migration.js';
import { sealedLeftoversMigrationCase } from './bed-sealed-migration.js';
import { testCreditCode } from './credit-code.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { genericPlan } from './plans.js';
import { outboxSent } from './published.js';
import { describeWithPostgres } from './requirements.js';
import { testSealingKeys, testSuite } from './suite.js';
import { waitFor } from './wait-for.js';

/** What the suite needs to know to exercise one bed service. */
export interface BedServiceCase {
  policy: BedTypePolicy;
  /** A kind of institution the policy accepts. */
  institutionKind: string;
  /** The unit kind and attributes of the units the suite registers. */
  unit: { kind: 'bed' | 'slot'; attributes: Attributes };
  /** The division the institution sits in (and serves, for home beds). */
  divisionCode?: string;
}

/**
 * One behaviour suite for every bed service, run against each of them on real PostgreSQL:
 * registration and bad input, hold, conversion to a stay, expiry across a restart, release,
 * discharge, urgent transfer with the kept bed where the policy keeps beds, home sick bed
 * episodes, and fifty concurrent holds for the last unit. Messages travel the in-process bus;
 * the events each step publishes are asserted.
 */
export function bedServiceBehaviour(c: BedServiceCase): void {
  const { policy } = c;
  const division = c.divisionCode ?? '371702';

  describeWithPostgres(`${policy.service} behaviour`, () => {
    const clock = { now: new Date('2026-05-01T08:00:00Z') };
    let testDb: TestDatabase;
    let database: Database;
    let bus: InProcessBus;
    let deps: ServiceDeps;
    let service: BedService;
    let running: RunningService;
    let http: FastifyInstance;
    const events: Envelope[] = [];
    const logger = createLogger({ name: `${policy.service}-suite`, level: 'silent' });
    const registry = new MessageRegistry(allMessages);

    const authSecret = 'bed-service-suite-secret';
    const sealing = testSealingKeys(generateKey());
    const admin: Principal = { userId: 'admin-suite', role: 'admin' };
    const staffOf = (institutionId: string): Principal => ({ userId: `staff-${institutionId.slice(-6)}`, role: 'provider', institutionId });
    const start = async () => {
      service = bedService(policy, deps, { authSecret, sealing });
      running = await startService(service);
    };
    const eventsOf = (type: string, predicate: (e: Envelope) => boolean = () => true) => events.filter((e) => e.type === type && predicate(e));
    const waitForEvent = (type: string, predicate: (e: Envelope) => boolean, what: string) => waitFor(() => eventsOf(type, predicate)[0], { what: `${type}: ${what}` });
    /** A request to the service as `who` (an admin unless said), signed at the suite's clock. */
    const api = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, payload?: object, who: Principal = admin) =>
      http.inject({ method, url: `/api/${policy.service}${path}`, headers: { authorization: `Bearer ${signToken(who, authSecret, { now: clock.now, ttlSeconds: 600 })}` }, ...(payload ? { payload } : {}) });

    const registration = (units: number, extra: Record<string, unknown> = {}) => ({
      name: `测试机构${newId().slice(-6)}`,
      creditCode: testCreditCode(division),
      divisionCode: division,
      kind: c.institutionKind,
      ownership: 'private',
      serviceArea: [division],
      units: [{ kind: c.unit.kind, count: units, attributes: c.unit.attributes }],
      ...extra,
    });
    const register = async (units: number) => {
      const response = await api('POST', '/institutions', registration(units));
      expect(response.statusCode, response.body).toBe(201);
      return (response.json() as { id: string }).id;
    };
    const send = async (message: ReturnType<typeof createMessage>) => bus.publish([toRecord(message.topic, message.key, message.envelope)]);
    const reserve = (institutionId: string, referralId = newId()) =>
      createMessage(ReserveBed, institutionId, { referralId, institutionId, bedType: policy.bedType, elderRef: `elder-${referralId.slice(-6)}` }, { source: 'suite' }, { topic: bedCommandsTopic(policy.bedType) });
    const holdFor = async (institutionId: string) => {
      const command = reserve(institutionId);
      await send(command);
      const held = await waitForEvent('BedHeld', (e) => (e.data as { referralId: string }).referralId === (command.envelope.data as { referralId: string }).referralId, 'the hold');
      return held.data as { holdId: string; referralId: string; unitId: string; expiresAt: string };
    };
    const admissionBody = policy.servicePlan ? { servicePlan: { services: ['助餐', '助浴'], visitsPerWeek: 3 } } : {};
    const admit = async (institutionId: string, holdId: string) => {
      const response = await api('POST', `/holds/${holdId}/admission`, admissionBody, staffOf(institutionId));
      expect(response.statusCode, response.body).toBe(200);
      return (response.json() as { admissionId: string }).admissionId;
    };
    const capacity = async (institutionId: string) => ((await api('GET', `/institutions/${institutionId}`)).json() as { capacity: Record<string, number> }).capacity;
    /** The unit counts the service keeps, and a fresh count of the units, of one institution: they must agree. */
    const countsAgree = async (institutionId: string, when: string) => {
      const schema = sql.identifier(policy.dbSchema);
      const line = (r: Record<string, unknown>) => JSON.stringify([r['kind'], r['attributes'], r['status'], Number(r['count'])]);
      const kept = await database.rows(database.db, sql`select kind, attributes, status, count from ${schema}.unit_counts where institution_id = ${institutionId} and count <> 0`);
      const fresh = await database.rows(database.db, sql`select kind, attributes, status, count(*)::int as count from ${schema}.units where institution_id = ${institutionId} group by kind, attributes, status`);
      expect(kept.map(line).sort(), `unit counts ${when}`).toEqual(fresh.map(line).sort());
    };

    /** Every statement the service sends (and the suite's own reads), as text. */
    const statements: string[] = [];

    beforeAll(async () => {
      testDb = await createTestDatabase(policy.dbSchema);
      database = await openDatabase({ url: testDb.url }, { poolSize: 20, onStatement: (text) => statements.push(text) });
      bus = new InProcessBus(logger);
      deps = { database, bus, logger, metrics: createMetrics(), registry, clock: () => clock.now };
      await start();
      await bus.subscribe({
        group: 'suite-observer',
        topics: [bedEventsTopic(policy.bedType)],
        handle: async (record) => void events.push(JSON.parse(record.value) as Envelope),
      });
      http = await buildHttpServer({ title: policy.service, logger, metrics: createMetrics(), readiness: [], plugins: [service.routes!] });
    });
    afterAll(async () => {
      await http?.close();
      await running?.stop();
      await bus?.close();
      await database?.close();
      await testDb?.drop();
    });

    it('registers an institution and publishes its capacity', async () => {
      const id = await register(3);
      const registered = await waitForEvent('InstitutionRegistered', (e) => e.subject === id, 'the registration');
      expect(registered.data).toMatchObject({ bedType: policy.bedType, divisionCode: division });
      const availability = await waitForEvent('BedAvailabilityChanged', (e) => e.subject === id, 'the first availability');
      expect(availability.data).toMatchObject({ sequence: 1, units: [{ kind: c.unit.kind, attributes: c.unit.attributes, total: 3, free: 3 }] });
    });

    it('refuses bad input, names the field, and stores nothing', async () => {
      const before = ((await api('GET', '/institutions')).json() as unknown[]).length;
      const good = registration(1);
      const wrongCheck = good.creditCode.slice(0, 17) + (good.creditCode.endsWith('0') ? '1' : '0');
      const cases: [Record<string, unknown>, string][] = [
        [{ ...good, creditCode: wrongCheck }, 'creditCode'],
        [{ ...good, divisionCode: '379999' }, 'divisionCode'],
        // Institutions and the areas they serve lie in the deployment's province (Shandong by default).
        [{ ...good, divisionCode: '110101' }, 'divisionCode'],
        [{ ...good, serviceArea: ['110101'] }, 'serviceArea.0'],
        [{ ...good, units: [{ kind: c.unit.kind, count: -1, attributes: c.unit.attributes }] }, 'units.0.count'],
        [{ ...good, units: [{ kind: c.unit.kind, count: 1, attributes: { colour: 'red' } }] }, 'units.0.attributes.colour'],
        [{ ...good, kind: 'bakery' }, 'kind'],
      ];
      for (const [body, field] of cases) {
        const response = await api('POST', '/institutions', body);
        expect(response.statusCode, `${field}: ${response.body}`).toBe(400);
        expect(response.headers['content-type']).toContain('application/problem+json');
        expect((response.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
      }
      expect(((await api('GET', '/institutions')).json() as unknown[]).length).toBe(before);
      const id = await register(1);
      const negative = await api('POST', `/institutions/${id}/units`, { kind: c.unit.kind, count: -2 });
      expect(negative.statusCode).toBe(400);
      expect((negative.json() as { errors: { field: string }[] }).errors[0]?.field).toBe('count');
      expect((await capacity(id))['total']).toBe(1);
    });

    it('accepts a legal early credit code that fails its check only with a recorded reason', async () => {
      const good = registration(1);
      const wrongCheck = good.creditCode.slice(0, 17) + (good.creditCode.endsWith('0') ? '1' : '0');
      const response = await api('POST', '/institutions', { ...good, creditCode: wrongCheck, creditCodeOverrideReason: '2015年前登记的旧代码，经民政部门核实' });
      expect(response.statusCode, response.body).toBe(201);
      const stored = (await api('GET', `/institutions/${(response.json() as { id: string }).id}`)).json() as { creditCodeOverridden: boolean };
      expect(stored.creditCodeOverridden).toBe(true);
    });

    it('holds a unit, converts the hold into a stay, and discharges', async () => {
      const id = await register(2);
      const hold = await holdFor(id);
      expect(await capacity(id)).toMatchObject({ free: 1, held: 1 });
      if (policy.servicePlan) expect((await api('POST', `/holds/${hold.holdId}/admission`, {}, staffOf(id))).statusCode).toBe(400);
      // An admin manages capacity but does not record arrivals; another institution's staff may not either.
      expect((await api('POST', `/holds/${hold.holdId}/admission`, admissionBody)).statusCode).toBe(403);
      expect((await api('POST', `/holds/${hold.holdId}/admission`, admissionBody, staffOf(newId()))).statusCode).toBe(403);
      const admissionId = await admit(id, hold.holdId);
      await waitForEvent('AdmissionRecorded', (e) => (e.data as { holdId: string }).holdId === hold.holdId, 'the admission');
      if (policy.episodes) await waitForEvent('HomeSickBedEpisodeOpened', (e) => (e.data as { episodeId: string }).episodeId === admissionId, 'the episode');
      expect(await capacity(id)).toMatchObject({ free: 1, held: 0, occupied: 1 });
      expect((await api('POST', `/holds/${hold.holdId}/admission`, admissionBody, staffOf(id))).statusCode).toBe(409);
      const residents = (await api('GET', `/institutions/${id}/admissions`, undefined, staffOf(id))).json() as { id: string }[];
      expect(residents.map((r) => r.id)).toEqual([admissionId]);

      const discharged = await api('POST', `/admissions/${admissionId}/discharge`, { reason: 'recovered' }, staffOf(id));
      expect(discharged.statusCode, discharged.body).toBe(200);
      await waitForEvent('DischargeRecorded', (e) => (e.data as { admissionId: string }).admissionId === admissionId, 'the discharge');
      if (policy.episodes) await waitForEvent('HomeSickBedEpisodeClosed', (e) => (e.data as { episodeId: string }).episodeId === admissionId, 'the episode closed');
      expect(await capacity(id)).toMatchObject({ free: 2, occupied: 0 });
    });

    it('picks the unit to hold and finds the referral\'s active hold through partial indexes, in the plans their prepared statements settle on, and appends its messages by one insert', async () => {
      const id = await register(40);
      statements.length = 0;
      const held = await holdFor(id);
      const sent = (table: string, column: string) => {
        const text = statements.find((t) => t.includes(`from "${policy.dbSchema}"."${table}" where`) && t.includes(`"${column}" = $1`));
        expect(text, `${table} by ${column}:\n${statements.join('\n')}`).toBeDefined();
        return text!;
      };
      // The institution, the requirements and the limit are its only parameters: the free status is part of the statement.
      const unit = sent('units', 'institution_id');
      expect(new Set(unit.match(/\$\d+/g))).toEqual(new Set(['$1', '$2', '$3']));
      expect(await genericPlan(database, unit, `'${id}', '{}', 1`)).toMatch(/using units_free_idx/);
      // The hold's messages, BedHeld and the availability it changed, go into the outbox by one insert of two rows.
      const appended = statements.filter((t) => t.startsWith(`insert into "${policy.dbSchema}"."outbox"`));
      expect(appended.map((t) => (t.match(/\(default, \$/g) ?? []).length), appended.join('\n')).toContain(2);
      const hold = sent('holds', 'referral_id');
      expect(new Set(hold.match(/\$\d+/g))).toEqual(new Set(['$1']));
      expect(await genericPlan(database, hold, `'${held.referralId}'`)).toMatch(/using holds_active_referral_uq/);
    });

    it('releases a hold on request', async () => {
      const id = await register(1);
      const hold = await holdFor(id);
      await send(createMessage(ReleaseBed, id, { referralId: hold.referralId, institutionId: id, bedType: policy.bedType, reason: 'not-selected' }, { source: 'suite' }, { topic: bedCommandsTopic(policy.bedType) }));
      await waitForEvent('BedReleased', (e) => (e.data as { holdId: string }).holdId === hold.holdId, 'the release');
      expect(await capacity(id)).toMatchObject({ free: 1, held: 0 });
    });

    it('expires a hold not converted in time, even across a restart, and publishes the freed capacity', async () => {
      const id = await register(1);
      const hold = await holdFor(id);
      await running.stop();
      clock.now = new Date(new Date(hold.expiresAt).getTime() + 60_000);
      await start();
      await waitForEvent('BedHoldExpired', (e) => (e.data as { holdId: string }).holdId === hold.holdId, 'the expiry after the restart');
      const freed = await waitFor(
        () => eventsOf('BedAvailabilityChanged', (e) => e.subject === id).find((e) => (e.data as { units: { free: number }[] }).units[0]?.free === 1 && e.time === clock.now.toISOString()),
        { what: 'the freed capacity published' },
      );
      expect(freed.data).toMatchObject({ units: [{ held: 0, free: 1 }] });
      expect((await api('POST', `/holds/${hold.holdId}/admission`, admissionBody, staffOf(id))).statusCode).toBe(409);
    });

    it('handles an urgent transfer to hospital, keeping the bed where the policy keeps beds', async () => {
      const id = await register(1);
      const admissionId = await admit(id, (await holdFor(id)).holdId);
      const transfer = await api('POST', `/admissions/${admissionId}/emergency-transfer`, { reason: '突发胸痛，疑似急性心梗' }, staffOf(id));
      expect(transfer.statusCode, transfer.body).toBe(200);
      await waitForEvent('EmergencyTransferRequested', (e) => (e.data as { admissionId: string }).admissionId === admissionId, 'the urgent transfer');
      if (!policy.keptBed) {
        expect(transfer.json()).toMatchObject({ bedKept: false });
        await waitForEvent('DischargeRecorded', (e) => (e.data as { admissionId: string }).admissionId === admissionId, 'the stay ended by the transfer');
        expect(await capacity(id)).toMatchObject({ free: 1, occupied: 0 });
        return;
      }
      expect(transfer.json()).toMatchObject({ bedKept: true });
      await waitForEvent('BedKeptForReturn', (e) => (e.data as { admissionId: string }).admissionId === admissionId, 'the kept bed');
      expect(await capacity(id)).toMatchObject({ kept: 1, free: 0 });
      expect((await api('POST', `/admissions/${admissionId}/return`, undefined, staffOf(id))).statusCode).toBe(200);
      await waitForEvent('KeptBedReleased', (e) => (e.data as { reason: string; admissionId: string }).admissionId === admissionId && (e.data as { reason: string }).reason === 'returned', 'the return');
      expect(await capacity(id)).toMatchObject({ kept: 0, occupied: 1 });

      // Away again; this time the kept bed's time runs out.
      expect((await api('POST', `/admissions/${admissionId}/emergency-transfer`, { reason: '肺部感染' }, staffOf(id))).statusCode).toBe(200);
      clock.now = new Date(clock.now.getTime() + (policy.keptBed.days + 1) * 24 * 3600_000);
      await service.kit.timerPoller.fireDue();
      await waitForEvent('KeptBedReleased', (e) => (e.data as { admissionId: string; reason: string }).admissionId === admissionId && (e.data as { reason: string }).reason === 'expired', 'the kept bed released when its time ran out');
      await waitForEvent('DischargeRecorded', (e) => (e.data as { admissionId: string }).admissionId === admissionId, 'the stay ended');
      expect(await capacity(id)).toMatchObject({ kept: 0, free: 1 });
    });

    it(policy.episodes ? 'flags an episode due for review, and renews it' : 'refuses episode reviews for stays that are not episodes', async () => {
      const id = await register(1);
      const admissionId = await admit(id, (await holdFor(id)).holdId);
      if (!policy.episodes) {
        expect((await api('POST', `/admissions/${admissionId}/episode-review`, { condition: 'stable', decision: 'continue' }, staffOf(id))).statusCode).toBe(409);
        return;
      }
      clock.now = new Date(clock.now.getTime() + (policy.episodes.reviewDays + 1) * 24 * 3600_000);
      await service.kit.timerPoller.fireDue();
      await waitForEvent('HomeSickBedReviewDue', (e) => (e.data as { episodeId: string }).episodeId === admissionId, 'the review due');
      // The review's answers are required and coded; a stage review without them is refused, naming the field.
      const empty = await api('POST', `/admissions/${admissionId}/episode-review`, {}, staffOf(id));
      expect(empty.statusCode).toBe(400);
      expect(JSON.stringify(empty.json())).toContain('condition');
      const renewed = await api('POST', `/admissions/${admissionId}/episode-review`, { condition: 'improved', decision: 'adjust-plan' }, staffOf(id));
      expect(renewed.statusCode).toBe(200);
      const next = (renewed.json() as { reviewDueAt: string }).reviewDueAt;
      expect(Date.parse(next)).toBeGreaterThan(clock.now.getTime());
      await waitForEvent('HomeSickBedEpisodeRenewed', (e) => (e.data as { episodeId: string }).episodeId === admissionId, 'the renewal');
      const cases = (await api('GET', `/institutions/${id}/admissions`, undefined, staffOf(id))).json() as { id: string; reviewDueAt: string; lastReview: { condition: string; decision: string; reviewedAt: string } | null }[];
      const episode = cases.find((c) => c.id === admissionId)!;
      expect(episode.reviewDueAt).toBe(next);
      expect(episode.lastReview).toMatchObject({ condition: 'improved', decision: 'adjust-plan', reviewedAt: clock.now.toISOString() });
    });

    it('keeps its unit counts equal to a fresh count through holds, admissions, releases, expiries, transfers, discharges and unit edits', async () => {
      const id = await register(4);
      await countsAgree(id, 'after the registration');
      expect((await api('POST', `/institutions/${id}/units`, { kind: c.unit.kind, count: 2, attributes: {} })).statusCode).toBe(201);
      await countsAgree(id, 'after units were added');
      const [a, b, d] = [await holdFor(id), await holdFor(id), await holdFor(id)];
      await countsAgree(id, 'after three holds');
      const stayId = await admit(id, a.holdId);
      await countsAgree(id, 'after an admission');
      await send(createMessage(ReleaseBed, id, { referralId: b.referralId, institutionId: id, bedType: policy.bedType, reason: 'cancelled' }, { source: 'suite' }, { topic: bedCommandsTopic(policy.bedType) }));
      await waitForEvent('BedReleased', (e) => (e.data as { holdId: string }).holdId === b.holdId, 'the release');
      await countsAgree(id, 'after a release');
      const units = (await api('GET', `/institutions/${id}/units`)).json() as { id: string; status: string; attributes: Record<string, unknown> }[];
      const spare = units.find((u) => u.status === 'free' && Object.keys(u.attributes).length === 0)!;
      const taken = units.find((u) => u.status === 'held')!;
      expect((await api('PATCH', `/units/${spare.id}`, { inService: false })).statusCode).toBe(200);
      expect((await api('PATCH', `/units/${taken.id}`, { inService: false })).statusCode).toBe(409);
      await countsAgree(id, 'after a unit was closed and a held one was not');
      clock.now = new Date(new Date(d.expiresAt).getTime() + 60_000);
      await service.kit.timerPoller.fireDue();
      await waitForEvent('BedHoldExpired', (e) => (e.data as { holdId: string }).holdId === d.holdId, 'the expiry');
      await countsAgree(id, 'after an expiry');
      expect((await api('POST', `/admissions/${stayId}/emergency-transfer`, { reason: '突发胸痛' }, staffOf(id))).statusCode).toBe(200);
      await waitForEvent('EmergencyTransferRequested', (e) => (e.data as { admissionId: string }).admissionId === stayId, 'the urgent transfer');
      await countsAgree(id, 'after an urgent transfer');
      if (policy.keptBed) {
        expect((await api('POST', `/admissions/${stayId}/return`, undefined, staffOf(id))).statusCode).toBe(200);
        await countsAgree(id, 'after the return to the kept bed');
        expect((await api('POST', `/admissions/${stayId}/discharge`, { reason: 'family-request' }, staffOf(id))).statusCode).toBe(200);
        await countsAgree(id, 'after the discharge');
      }
      expect((await api('PATCH', `/units/${spare.id}`, { inService: true })).statusCode).toBe(200);
      await countsAgree(id, 'after the unit was put back');
      expect(await capacity(id)).toMatchObject({ total: 6, free: 6, held: 0, occupied: 0, kept: 0, closed: 0 });
      // The availability published last says the same as the counts.
      await outboxSent(database, service.kit.tables);
      const last = eventsOf('BedAvailabilityChanged', (e) => e.subject === id).sort((x, y) => (x.data as { sequence: number }).sequence - (y.data as { sequence: number }).sequence).at(-1)!;
      expect((last.data as { units: { total: number; free: number }[] }).units.map((u) => [u.total, u.free])).toEqual(expect.arrayContaining([[4, 4], [2, 2]]));
    });

    it("seals residents' health text at rest, opens it for the provider's staff, audits every read and change with who did it, and shows nothing to anyone else", async () => {
      const id = await register(1);
      const staff = staffOf(id);
      const other = staffOf(newId());
      const planner: Principal = { userId: 'planner-suite', role: 'planner' };
      const schema = sql.identifier(policy.dbSchema);
      const hold = await holdFor(id);
      // Another provider's staff may not record the arrival: refused, and the refusal audited.
      expect((await api('POST', `/holds/${hold.holdId}/admission`, admissionBody, other)).statusCode).toBe(403);
      const stayId = await admit(id, hold.holdId);
      if (policy.episodes) expect((await api('POST', `/admissions/${stayId}/episode-review`, { condition: 'worse', decision: 'prepare-closing' }, staff)).statusCode).toBe(200);
      const reason = '夜间突发胸痛，血压180/110，疑似急性心梗';
      expect((await api('POST', `/admissions/${stayId}/emergency-transfer`, { reason }, staff)).statusCode).toBe(200);
      // On the bus the reason is sealed with the shared key (the workflow opens it), never in clear.
      const requested = await waitForEvent('EmergencyTransferRequested', (e) => (e.data as { admissionId: string }).admissionId === stayId, 'the urgent transfer');
      expect(JSON.stringify(requested)).not.toContain('胸痛');
      const onBus = requested.data as { reason?: string; reasonSealed?: string };
      expect(onBus.reason).toBeUndefined();
      expect(new Sealer(sealing).open(onBus.reasonSealed!)).toBe(reason);
      if (policy.keptBed) {
        expect((await api('POST', `/admissions/${stayId}/return`, undefined, staff)).statusCode).toBe(200);
        expect((await api('POST', `/admissions/${stayId}/discharge`, { reason: 'died' }, staff)).statusCode).toBe(200);
      }
      const dischargeReason = policy.keptBed ? 'died' : 'transferred';

      // (a) What is stored is sealed: no clear text in any column of the rows.
      const stored = async (table: string, where: string) => (await database.rows<{ row: string }>(database.db, sql`select row_to_json(t)::text as row from ${schema}.${sql.identifier(table)} t where ${sql.identifier(where)} = ${stayId}`)).map((r) => r.row);
      const [transferRow] = await stored('transfers', 'stay_id');
      expect(transferRow).not.toContain('胸痛');
      expect(JSON.parse(transferRow!)).toMatchObject({ reason: null, reason_sealed: expect.stringMatching(/^(v1|s1)\./) });
      const [stayRow] = await stored('stays', 'id');
      expect(JSON.parse(stayRow!)).toMatchObject({ service_plan: null, discharge_reason: null, discharge_reason_sealed: expect.stringMatching(/^(v1|s1)\./) });
      expect(stayRow).not.toContain(`"${dischargeReason}"`);
      if (policy.servicePlan) expect(stayRow).not.toContain('助浴');
      if (policy.episodes) {
        const [reviewRow] = await stored('episode_reviews', 'stay_id');
        expect(JSON.parse(reviewRow!)).toMatchObject({ condition: null, decision: null, condition_sealed: expect.stringMatching(/^(v1|s1)\./), decision_sealed: expect.stringMatching(/^(v1|s1)\./) });
        expect(reviewRow).not.toMatch(/worse|prepare-closing/);
      }

      // (b) The provider's staff read it in clear: the admission with its transfer's reason, and the residents' list.
      const read = await api('GET', `/admissions/${stayId}`, undefined, staff);
      expect(read.statusCode, read.body).toBe(200);
      const admission = read.json() as { dischargeReason: string; servicePlan: unknown; transfers: { reason: string }[]; reviews: { condition: string; decision: string }[]; lastReview: unknown };
      expect(admission.transfers.map((t) => t.reason)).toEqual([reason]);
      expect(admission.dischargeReason).toBe(dischargeReason);
      expect(admission.servicePlan).toEqual(policy.servicePlan ? admissionBody.servicePlan : null);
      if (policy.episodes) expect(admission.reviews).toMatchObject([{ condition: 'worse', decision: 'prepare-closing' }]);
      const listed = (await api('GET', `/institutions/${id}/admissions?status=discharged`, undefined, staff)).json() as { id: string; dischargeReason: string; lastReview: { condition: string } | null }[];
      expect(listed.find((s) => s.id === stayId)).toMatchObject({ dischargeReason, ...(policy.episodes ? { lastReview: { condition: 'worse' } } : {}) });

      // (d) A planner, and another provider's staff, get 403 and none of it.
      for (const [who, path] of [[planner, `/admissions/${stayId}`], [other, `/admissions/${stayId}`], [planner, `/institutions/${id}/admissions?status=discharged`], [other, `/institutions/${id}/admissions?status=discharged`]] as const) {
        const refused = await api('GET', path, undefined, who);
        expect(refused.statusCode, `${who.role} ${path}`).toBe(403);
        expect(refused.body).not.toContain('胸痛');
        expect(refused.body).not.toMatch(/"transfers"|"dischargeReason"|"elderRef"/);
      }
      expect((await api('POST', `/admissions/${stayId}/emergency-transfer`, { reason: '另一家机构' }, other)).statusCode).toBe(403);

      // (c) Every change and read is in the audit log, naming who and which stay.
      const audit = await database.rows<{ actor: string; role: string; action: string; object_type: string; object_id: string; outcome: string; detail: { parts?: string[] } | null }>(
        database.db,
        sql`select actor, role, action, object_type, object_id, outcome, detail from ${schema}.audit_log where object_id in (${stayId}, ${hold.holdId}, ${id}) order by seq`,
      );
      const allowed = (action: string) => audit.filter((a) => a.action === action && a.outcome === 'allowed' && a.object_id === stayId);
      const changes = ['admission.admit', 'admission.transfer', 'admission.discharge', ...(policy.keptBed ? ['admission.return'] : []), ...(policy.episodes ? ['admission.episode-review'] : [])];
      for (const action of changes) expect(allowed(action).map((a) => [a.actor, a.role]), action).toEqual([[staff.userId, 'provider']]);
      expect(allowed('admission.transfer')[0]!.detail?.parts).toEqual(['transferReason']);
      expect(allowed('admission.read').map((a) => [a.actor, a.detail?.parts])).toEqual([[staff.userId, expect.arrayContaining(['transferReasons', 'dischargeReason'])]]);
      expect(allowed('admission.list').map((a) => a.actor)).toEqual([staff.userId]);
      expect(JSON.stringify(audit)).not.toContain('胸痛');
      const denied = audit.filter((a) => a.outcome === 'denied').map((a) => [a.actor, a.action, a.object_id]);
      expect(denied).toEqual(expect.arrayContaining([[other.userId, 'admission.admit', hold.holdId], [other.userId, 'admission.read', stayId], [other.userId, 'admission.list', id], [other.userId, 'admission.transfer', stayId]]));

      // The log is kept under its hash chain, which links these rows and verifies.
      expect(service.auditChain?.logs).toEqual([{ schema: policy.dbSchema, log: 'audit_log' }]);
      const target = { schema: policy.dbSchema, log: 'audit_log' };
      while ((await chainPass(database, target, testSuite)).linked > 0);
      expect(await verifyChain(database, target)).toMatchObject({ ok: true });
    });

    unitCountsMigrationCase(policy, c.unit.kind, division);
    sealedLeftoversMigrationCase(policy, c.unit.kind, division);

    it('gives the last free unit to exactly one of fifty concurrent requests', async () => {
      const id = await register(1);
      const definition = service.consumers![0]!;
      // Fifty deliveries handled at once, each in its own transaction, as fifty consumers would.
      const handle = createConsumer({ name: 'concurrent-suite', database, tables: service.kit.tables, outbox: service.kit.outbox, registry, handlers: definition.handlers, bus, logger });
      const commands = Array.from({ length: 50 }, () => reserve(id));
      await Promise.all(commands.map((m) => handle(toRecord(m.topic, m.key, m.envelope))));
      const referralIds = new Set(commands.map((m) => (m.envelope.data as { referralId: string }).referralId));
      // Every answer committed is published once the outbox is empty; the suite's observer has them all.
      await outboxSent(database, service.kit.tables);
      const mine = new Map(events.filter((e) => (e.type === 'BedHeld' || e.type === 'BedHoldRejected') && referralIds.has((e.data as { referralId: string }).referralId)).map((e) => [e.id, e]));
      expect([...mine.values()].filter((e) => e.type === 'BedHeld')).toHaveLength(1);
      expect([...mine.values()].filter((e) => e.type === 'BedHoldRejected')).toHaveLength(49);
      expect(await capacity(id)).toMatchObject({ free: 0, held: 1 });
      await countsAgree(id, 'after fifty concurrent requests');
    });
  });
}
