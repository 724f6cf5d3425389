import { signToken, type Principal } from '@fbl/auth';
import { residentIdCheckChar } from '@fbl/codes';
import { allMessages, MessageRegistry } from '@fbl/contracts';
import { openDatabase, type Database, type MessagingTables } from '@fbl/db';
import { InProcessBus } from '@fbl/messaging';
import { createLogger, createMetrics } from '@fbl/observability';
import { generateKey } from '@fbl/privacy';
import { buildHttpServer, startService, type RunningService } from '@fbl/service-kit';
import { createTestDatabase, describeWithPostgres, outboxSent, watchPublished, type PublishedWatch, type TestDatabase } from '@fbl/testing';
import { testSuite, testTokenKey } from '@fbl/testing/suite';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { civilAffairsService } from '../src/index.js';

const now = new Date('2026-05-01T08:00:00Z');
// The run's suite: under CRYPTO_SUITE=sm (the `sm` test project) SM4 seals, HMAC-SM3 hashes, SM2-SM3 tokens.
const secrets = { authSecret: testTokenKey('role-matrix-test-secret'), piiEncryptionKey: generateKey(), piiHashKey: generateKey(), suite: testSuite };
const first17 = '37170219500101123';
const ID_NUMBER = first17 + residentIdCheckChar(first17); // born 1950-01-01, odd sequence: male
const NAME = '测试老人甲';

/** Every answer of GB/T 42195 at its maximum but a few, for a known total. */
const answers = {
  eating: 4, grooming: 4, bathing: 2, dressingUpper: 4, dressingLower: 2, urineControl: 4, bowelControl: 4, toileting: 2,
  bedPositioning: 4, bedChairTransfer: 2, walkingFlat: 2, stairs: 1,
  orientationTime: 4, orientationPlace: 4, orientationPerson: 4, memory: 2, understanding: 4, expression: 4, aggression: 1, depressiveSymptoms: 1, consciousness: 2,
  vision: 2, hearing: 2, dailyAffairs: 2, goingOut: 1, socialInteraction: 2,
};

describeWithPostgres('civil affairs: roles, masking, audit, sealed identity', () => {
  let testDb: TestDatabase;
  let database: Database;
  let published: PublishedWatch;
  let tables: MessagingTables;
  let running: RunningService;
  let http: FastifyInstance;
  const logLines: string[] = [];
  let elderId: string;

  const token = (p: Principal) => signToken(p, secrets.authSecret, { now, ttlSeconds: 3600 });
  const as = {
    assessor: token({ userId: 'assessor-1', role: 'assessor', divisionCode: '371700' }),
    planner: token({ userId: 'planner-1', role: 'planner', institutionId: '0192f3b2-7c1a-7000-8000-000000000001' }),
    analyst: token({ userId: 'analyst-1', role: 'analyst', divisionCode: '371700' }),
    otherAnalyst: token({ userId: 'analyst-2', role: 'analyst', divisionCode: '370800' }),
    admin: token({ userId: 'admin-1', role: 'admin' }),
  };
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, who?: string, payload?: object) =>
    http.inject({ method, url, headers: who ? { authorization: `Bearer ${who}` } : {}, ...(payload ? { payload } : {}) });
  const auditCount = async () => Number((await database.rows<{ n: number }>(database.db, sql`select count(*)::int as n from civil_affairs.audit_log`))[0]!.n);
  const registration = (extra: object = {}) => ({
    idNumber: ID_NUMBER,
    name: NAME,
    gender: 'male',
    birthDate: '1950-01-01',
    phone: '13800001234',
    address: { divisionCode: '371702', line: '牡丹区东城街道幸福路8号' },
    consent: { healthData: true, givenBy: 'elder' },
    ...extra,
  });

  beforeAll(async () => {
    testDb = await createTestDatabase('civil_affairs');
    database = await openDatabase({ url: testDb.url });
    const logger = createLogger({ name: 'civil-affairs-test', level: 'info', destination: new Writable({ write: (c: Buffer, _e, done) => { logLines.push(c.toString()); done(); } }) });
    const deps = { database, bus: new InProcessBus(logger), logger, metrics: createMetrics(), registry: new MessageRegistry(allMessages), clock: () => now };
    const service = civilAffairsService(deps, secrets);
    tables = service.kit.tables;
    published = await watchPublished(deps.bus, service.produces ?? []);
    running = await startService(service);
    http = await buildHttpServer({ title: 'civil-affairs', logger, metrics: createMetrics(), readiness: [], plugins: [service.routes!] });
  });
  afterAll(async () => {
    await http?.close();
    await running?.stop();
    await database?.close();
    await testDb?.drop();
  });

  it('refuses bad registrations, naming the field, and stores nothing', async () => {
    const wrongCheck = first17 + (residentIdCheckChar(first17) === '0' ? '1' : '0');
    const cases: [object, string][] = [
      [registration({ idNumber: wrongCheck }), 'idNumber'],
      [registration({ birthDate: '1950-01-02' }), 'birthDate'],
      [registration({ gender: 'female' }), 'gender'],
      [registration({ address: { divisionCode: '379999', line: 'x' } }), 'address.divisionCode'],
    ];
    for (const [body, field] of cases) {
      const r = await call('POST', '/api/civil-affairs/elders', as.assessor, body);
      expect(r.statusCode, r.body).toBe(400);
      expect((r.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
    }
    expect((await database.rows<{ n: number }>(database.db, sql`select count(*)::int as n from civil_affairs.elders`))[0]!.n).toBe(0);
  });

  it('lets an assessor register an elder and a planner not', async () => {
    expect((await call('POST', '/api/civil-affairs/elders', as.planner, registration())).statusCode).toBe(403);
    expect((await call('POST', '/api/civil-affairs/elders', undefined, registration())).statusCode).toBe(401);
    const r = await call('POST', '/api/civil-affairs/elders', as.assessor, registration());
    expect(r.statusCode, r.body).toBe(201);
    elderId = (r.json() as { id: string }).id;
  });

  it('keeps identity sealed at rest and out of the logs', async () => {
    const [row] = await database.rows<Record<string, unknown>>(database.db, sql`select * from civil_affairs.elders`);
    const stored = JSON.stringify(row);
    for (const secret of [ID_NUMBER, NAME, '13800001234', '幸福路']) expect(stored).not.toContain(secret);
    const logged = logLines.join('');
    expect(logged.length).toBeGreaterThan(0);
    for (const secret of [ID_NUMBER, NAME, '13800001234']) expect(logged).not.toContain(secret);
  });

  it('lets an assessor record assessments and a planner not', async () => {
    const body = { answers, adjustments: {}, assessors: ['assessor-1', 'assessor-2'], reason: 'first', assessedOn: '2026-04-30' };
    expect((await call('POST', `/api/civil-affairs/elders/${elderId}/assessments`, as.planner, body)).statusCode).toBe(403);
    const bad = await call('POST', `/api/civil-affairs/elders/${elderId}/assessments`, as.assessor, { ...body, answers: { ...answers, eating: 9 } });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('answers.eating');
    const r = await call('POST', `/api/civil-affairs/elders/${elderId}/assessments`, as.assessor, body);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ total: 70, level: 1 });
    await outboxSent(database, tables);
    expect(published.of('AbilityAssessed')).toHaveLength(1);
  });

  it('shows a planner the name and a masked ID, an assessor everything, an analyst no identity', async () => {
    const planner = (await call('GET', `/api/civil-affairs/elders/${elderId}`, as.planner)).json() as Record<string, unknown>;
    expect(planner['name']).toBe(NAME);
    expect(planner['idNumber']).toBe(`371702********${ID_NUMBER.slice(-4)}`);
    expect(planner['birthDate']).toBeUndefined();
    const assessor = (await call('GET', `/api/civil-affairs/elders/${elderId}`, as.assessor)).json() as Record<string, unknown>;
    expect(assessor).toMatchObject({ name: NAME, idNumber: ID_NUMBER, birthDate: '1950-01-01', phone: '13800001234' });
    const analyst = await call('GET', `/api/civil-affairs/elders/${elderId}`, as.analyst);
    expect(analyst.statusCode).toBe(200);
    const seen = analyst.json() as Record<string, unknown>;
    for (const field of ['name', 'idNumber', 'phone', 'address', 'birthDate', 'guardian']) expect(seen).not.toHaveProperty(field);
    expect(seen).toMatchObject({ elderRef: elderId, divisionCode: '371702', ability: { level: 1 } });
    expect(analyst.body).not.toContain(NAME);
  });

  it('refuses a role outside its division with 403 and no data in the body', async () => {
    const r = await call('GET', `/api/civil-affairs/elders/${elderId}`, as.otherAnalyst);
    expect(r.statusCode).toBe(403);
    expect(r.headers['content-type']).toContain('application/problem+json');
    // Only the problem itself (its `instance` is the caller's own request path), nothing of the record.
    expect(Object.keys(r.json() as object).sort()).toEqual(['detail', 'instance', 'status', 'title', 'type']);
    for (const leak of ['371702', NAME, 'male', '1950']) expect(r.body).not.toContain(leak);
  });

  it('audits every read, allowed or not, and never lets an audit row change', async () => {
    const before = await auditCount();
    await call('GET', `/api/civil-affairs/elders/${elderId}`, as.planner);
    await call('GET', `/api/civil-affairs/elders/${elderId}`, as.otherAnalyst);
    await call('POST', '/api/civil-affairs/elders/lookup', as.planner, { idNumber: ID_NUMBER });
    expect(await auditCount()).toBe(before + 3);
    const trail = (await call('GET', `/api/civil-affairs/audit?objectId=${elderId}`, as.admin)).json() as { actor: string; outcome: string }[];
    expect(trail.slice(0, 3).map((t) => [t.actor, t.outcome])).toEqual([
      ['planner-1', 'allowed'],
      ['analyst-2', 'denied'],
      ['planner-1', 'allowed'],
    ]);
    // Within days in China time (the clock reads 16:00 on 1 May there): the day holds them, the day before none.
    const within = (period: string) => call('GET', `/api/civil-affairs/audit?objectId=${elderId}&${period}`, as.admin);
    expect(((await within('from=2026-05-01&to=2026-05-01')).json() as unknown[]).length).toBe(trail.length);
    expect((await within('to=2026-04-30')).json()).toEqual([]);
    expect((await within('from=2026-05-02')).json()).toEqual([]);
    const backwards = await within('from=2026-05-02&to=2026-05-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json()).toMatchObject({ errors: [{ field: 'from', in: 'query' }] });
    expect((await within('from=1.5.2026')).statusCode).toBe(400);
    expect((await call('GET', '/api/civil-affairs/audit', as.assessor)).statusCode).toBe(403);
    expect((await call('PUT', '/api/civil-affairs/audit', as.admin, {})).statusCode).toBe(404);
    expect((await call('DELETE', '/api/civil-affairs/audit', as.admin)).statusCode).toBe(404);
    await expect(database.db.execute(sql`update civil_affairs.audit_log set outcome = 'allowed'`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from civil_affairs.audit_log`)).rejects.toThrow();
    expect(await auditCount()).toBe(before + 3);
  });
});
