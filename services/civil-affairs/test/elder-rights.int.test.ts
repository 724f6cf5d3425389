import { signToken, type Principal } from '@fbl/auth';
import { residentIdCheckChar } from '@fbl/codes';
import { allMessages, MessageRegistry } from '@fbl/contracts';
import { openDatabase, type Database, type MessagingTables } from '@fbl/db';
import { InProcessBus } from '@fbl/messaging';
import { createLogger, createMetrics } from '@fbl/observability';
import { FieldProtector, generateKey } from '@fbl/privacy';
import { buildHttpServer, startService, type RunningService } from '@fbl/service-kit';
import { testSuite, testTokenKey } from '@fbl/testing/suite';
import { createTestDatabase, describeWithPostgres, outboxSent, watchPublished, type PublishedWatch, type TestDatabase } from '@fbl/testing';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { civilAffairsService, type CivilAffairsService } from '../src/index.js';
import { protectorKeysOf } from '../src/secrets.js';

const now = new Date('2026-05-01T08:00:00Z');
const secrets = { authSecret: testTokenKey('elder-rights-test-secret'), piiEncryptionKey: generateKey(), piiHashKey: generateKey(), suite: testSuite };
const idOf = (first17: string) => first17 + residentIdCheckChar(first17);
const ID_A = idOf('37170219500101123');
const ID_B = idOf('37170219480315222');
const NAME_A = '更正测试甲';
const NAME_B = '删除测试乙';
const HOME = '0192f3b2-7c1a-7000-8000-0000000000aa';

describeWithPostgres("civil affairs: an elder's rights over the record (correction, erasure)", () => {
  let testDb: TestDatabase;
  let database: Database;
  let published: PublishedWatch;
  let tables: MessagingTables;
  let service: CivilAffairsService;
  let running: RunningService;
  let http: FastifyInstance;
  const logLines: string[] = [];
  const ids: Record<'a' | 'b', string> = { a: '', b: '' };

  const token = (p: Principal) => signToken(p, secrets.authSecret, { now, ttlSeconds: 3600 });
  const as = {
    assessor: token({ userId: 'assessor-1', role: 'assessor', divisionCode: '371700' }),
    otherAssessor: token({ userId: 'assessor-2', role: 'assessor', divisionCode: '370800' }),
    planner: token({ userId: 'planner-1', role: 'planner', institutionId: '0192f3b2-7c1a-7000-8000-000000000001' }),
    admin: token({ userId: 'admin-1', role: 'admin' }),
  };
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, who: string, payload?: object) => http.inject({ method, url, headers: { authorization: `Bearer ${who}` }, ...(payload ? { payload } : {}) });
  const audits = async (elderId: string) => database.rows<{ action: string; outcome: string; detail: unknown; actor_id: string }>(database.db, sql`select action, outcome, detail, actor as actor_id from civil_affairs.audit_log where object_id = ${elderId} order by seq`);
  const register = async (idNumber: string, name: string, birthDate: string, gender: 'male' | 'female') => {
    const r = await call('POST', '/api/civil-affairs/elders', as.assessor, {
      idNumber, name, gender, birthDate, phone: '13800001234',
      address: { divisionCode: '371702', line: '牡丹区东城街道幸福路8号' },
      guardian: { name: '监护人丙', relation: '女儿', phone: '13900005678' },
      consent: { healthData: true, givenBy: 'elder' },
    });
    expect(r.statusCode, r.body).toBe(201);
    return (r.json() as { id: string }).id;
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('civil_affairs');
    database = await openDatabase({ url: testDb.url });
    const logger = createLogger({ name: 'elder-rights-test', level: 'info', destination: new Writable({ write: (c: Buffer, _e, done) => { logLines.push(c.toString()); done(); } }) });
    const deps = { database, bus: new InProcessBus(logger), logger, metrics: createMetrics(), registry: new MessageRegistry(allMessages), clock: () => now };
    service = civilAffairsService(deps, secrets);
    tables = service.kit.tables;
    published = await watchPublished(deps.bus, service.produces ?? []);
    running = await startService(service);
    http = await buildHttpServer({ title: 'civil-affairs', logger, metrics: createMetrics(), readiness: [], plugins: [service.routes!] });
    ids.a = await register(ID_A, NAME_A, '1950-01-01', 'male');
    ids.b = await register(ID_B, NAME_B, '1948-03-15', 'female');
  });
  afterAll(async () => {
    await http?.close();
    await running?.stop();
    await database?.close();
    await testDb?.drop();
  });

  it('corrects the phone and guardian, sealed, audited by part, with no personal data in the audit row or the event', async () => {
    const r = await call('PATCH', `/api/civil-affairs/elders/${ids.a}`, as.assessor, { phone: '13700009999', guardian: { name: '新监护人', relation: '儿子' } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ parts: ['phone', 'guardian'], homeMoved: false });
    const view = (await call('GET', `/api/civil-affairs/elders/${ids.a}`, as.assessor)).json() as { phone: string; guardian: unknown; address: string };
    expect(view).toMatchObject({ phone: '13700009999', guardian: { name: '新监护人', relation: '儿子' }, address: '牡丹区东城街道幸福路8号' });
    const [row] = await database.rows<{ phone_sealed: string; guardian_sealed: string }>(database.db, sql`select phone_sealed, guardian_sealed from civil_affairs.elders where id = ${ids.a}`);
    expect(row!.phone_sealed).not.toContain('13700009999');
    expect(row!.guardian_sealed).not.toContain('新监护人');
    const corrected = (await audits(ids.a)).filter((a) => a.action === 'correct');
    expect(corrected).toEqual([{ action: 'correct', outcome: 'allowed', detail: { parts: ['phone', 'guardian'] }, actor_id: 'assessor-1' }]);
    await outboxSent(database, tables);
    const events = published.of('ElderRecordCorrected', ids.a);
    expect(events.map((e) => e.data)).toEqual([{ elderRef: ids.a, parts: ['phone', 'guardian'], divisionCode: '371702', homeMoved: false, correctedAt: now.toISOString() }]);
    expect(JSON.stringify(events) + logLines.join('')).not.toMatch(/13700009999|新监护人/);
  });

  it('tells when the home moved, and removes a phone given as null', async () => {
    const r = await call('PATCH', `/api/civil-affairs/elders/${ids.a}`, as.admin, { address: { divisionCode: '371721', line: '曹县青菏街道1号' }, phone: null });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ parts: ['address', 'phone'], homeMoved: true });
    const view = (await call('GET', `/api/civil-affairs/elders/${ids.a}`, as.admin)).json() as { phone: string | null; address: string; divisionCode: string };
    expect(view).toMatchObject({ phone: null, address: '曹县青菏街道1号', divisionCode: '371721' });
    await outboxSent(database, tables);
    expect(published.of('ElderRecordCorrected', ids.a).at(-1)?.data).toMatchObject({ parts: ['address', 'phone'], divisionCode: '371721', homeMoved: true });
  });

  it('refuses bad corrections naming the field, corrections that change nothing, and callers out of scope; each audited', async () => {
    const bad = await call('PATCH', `/api/civil-affairs/elders/${ids.a}`, as.assessor, { address: { divisionCode: '371799', line: ' ' }, guardian: { name: '某人', relation: '女儿', phone: '12345' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['address.divisionCode', 'address.line', 'guardian.phone']);
    expect((await call('PATCH', `/api/civil-affairs/elders/${ids.a}`, as.assessor, {})).statusCode).toBe(400);
    const same = await call('PATCH', `/api/civil-affairs/elders/${ids.a}`, as.assessor, { address: { divisionCode: '371721', line: '曹县青菏街道1号' } });
    expect(same.statusCode).toBe(409);
    expect((same.json() as { type: string }).type).toMatch(/\/unchanged$/);
    expect((await call('PATCH', `/api/civil-affairs/elders/${ids.a}`, as.otherAssessor, { phone: '13700000000' })).statusCode).toBe(403);
    expect((await call('PATCH', `/api/civil-affairs/elders/${ids.a}`, as.planner, { phone: '13700000000' })).statusCode).toBe(403);
    const outcomes = (await audits(ids.a)).filter((a) => a.action === 'correct').map((a) => `${a.outcome}:${a.actor_id}`);
    expect(outcomes).toEqual(['allowed:assessor-1', 'allowed:admin-1', 'invalid:assessor-1', 'invalid:assessor-1', 'invalid:assessor-1', 'denied:assessor-2']);
  });

  it('erases only once nothing needs the record: not while the elder holds a waiting-list place or a provider receives them', async () => {
    const entry = await call('POST', '/api/civil-affairs/waiting-list', as.assessor, { elderId: ids.b, homeInstitutionId: HOME });
    expect(entry.statusCode, entry.body).toBe(201);
    const queued = await call('POST', `/api/civil-affairs/elders/${ids.b}/erasure`, as.assessor, { ground: 'request' });
    expect(queued.statusCode).toBe(409);
    expect((queued.json() as { type: string; detail: string }).type).toMatch(/\/on-waiting-list$/);
    expect((queued.json() as { detail: string }).detail).toContain('waiting list');
    const withdrawn = await call('POST', `/api/civil-affairs/waiting-list/entries/${(entry.json() as { id: string }).id}/withdraw`, as.assessor);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    await database.transaction((tx) => service.elders.providerChosen(tx, { referralId: '0192f3b2-7c1a-7000-8000-0000000000bb', institutionId: HOME, elderRef: ids.b }));
    const cared = await call('POST', `/api/civil-affairs/elders/${ids.b}/erasure`, as.assessor, { ground: 'request' });
    expect(cared.statusCode).toBe(409);
    expect((cared.json() as { type: string }).type).toMatch(/\/in-care$/);
    await database.transaction((tx) => service.elders.providerChoiceLapsed(tx, { referralId: '0192f3b2-7c1a-7000-8000-0000000000bb', institutionId: HOME }));
    expect((await call('POST', `/api/civil-affairs/elders/${ids.b}/erasure`, as.planner, { ground: 'request' })).statusCode).toBe(403);
  });

  it('erases the identity, contacts and assessment answers, keeps what statistics need, and frees the ID number', async () => {
    const assessed = await call('POST', `/api/civil-affairs/elders/${ids.b}/assessments`, as.assessor, {
      answers: { eating: 4, grooming: 4, bathing: 2, dressingUpper: 4, dressingLower: 2, urineControl: 4, bowelControl: 4, toileting: 2, bedPositioning: 4, bedChairTransfer: 2, walkingFlat: 2, stairs: 1, orientationTime: 4, orientationPlace: 4, orientationPerson: 4, memory: 2, understanding: 4, expression: 4, aggression: 1, depressiveSymptoms: 1, consciousness: 2, vision: 2, hearing: 2, dailyAffairs: 2, goingOut: 1, socialInteraction: 2 },
      adjustments: {}, assessors: ['评估员一', '评估员二'], reason: 'first', assessedOn: '2026-04-30',
    });
    expect(assessed.statusCode, assessed.body).toBe(201);
    const fact = await call('POST', `/api/civil-affairs/elders/${ids.b}/facts`, as.assessor, { fact: 'living-alone', evidence: '社区走访核实独居，邻居王某证明', validFrom: '2026-01-01' });
    expect(fact.statusCode, fact.body).toBe(201);
    const erased = await call('POST', `/api/civil-affairs/elders/${ids.b}/erasure`, as.assessor, { ground: 'request' });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json()).toEqual({ erasedAt: now.toISOString() });

    const view = (await call('GET', `/api/civil-affairs/elders/${ids.b}`, as.assessor)).json() as Record<string, unknown>;
    expect(view).toMatchObject({ elderRef: ids.b, divisionCode: '371702', gender: 'female', birthYear: 1948, erasedAt: now.toISOString(), ability: { level: expect.any(Number) } });
    for (const gone of ['name', 'idNumber', 'birthDate', 'phone', 'address', 'guardian']) expect(view).not.toHaveProperty(gone);
    const protector = new FieldProtector(protectorKeysOf(secrets));
    const [row] = await database.rows<{ name_sealed: string; id_number_sealed: string; birth_date_sealed: string; address_sealed: string; phone_sealed: string | null; guardian_sealed: string | null; erasure_ground: string }>(database.db, sql`select * from civil_affairs.elders where id = ${ids.b}`);
    expect([row!.name_sealed, row!.id_number_sealed, row!.birth_date_sealed, row!.address_sealed].map((s) => protector.open(s))).toEqual(['', '', '', '']);
    expect([row!.phone_sealed, row!.guardian_sealed, row!.erasure_ground]).toEqual([null, null, 'request']);
    const answers = await database.rows<{ answers_sealed: string; level: number }>(database.db, sql`select answers_sealed, level from civil_affairs.assessments where elder_id = ${ids.b}`);
    expect(answers.map((a) => protector.open(a.answers_sealed))).toEqual(['{}']);
    const evidence = await database.rows<{ evidence_sealed: string; fact: string }>(database.db, sql`select evidence_sealed, fact from civil_affairs.elder_facts where elder_id = ${ids.b}`);
    expect(evidence.map((f) => [f.fact, protector.open(f.evidence_sealed)])).toEqual([['living-alone', '']]);

    expect((await call('POST', '/api/civil-affairs/elders/lookup', as.assessor, { idNumber: ID_B })).statusCode).toBe(404);
    const search = await call('POST', '/api/civil-affairs/elders/search', as.assessor, { q: NAME_B });
    expect([search.statusCode, search.headers['x-total-count'], search.json()]).toEqual([200, '0', []]);
    const all = (await call('POST', '/api/civil-affairs/elders/search', as.assessor, {})).json() as { elderRef: string }[];
    expect(all.map((e) => e.elderRef)).toEqual([ids.a]);
    const twice = await call('POST', `/api/civil-affairs/elders/${ids.b}/erasure`, as.assessor, { ground: 'request' });
    expect([twice.statusCode, (twice.json() as { type: string }).type.split('/').pop()]).toEqual([409, 'erased']);
    const corrected = await call('PATCH', `/api/civil-affairs/elders/${ids.b}`, as.assessor, { phone: '13700000000' });
    expect([corrected.statusCode, (corrected.json() as { type: string }).type.split('/').pop()]).toEqual([409, 'erased']);

    await outboxSent(database, tables);
    expect(published.of('ElderErased', ids.b).map((e) => e.data)).toEqual([{ elderRef: ids.b, ground: 'request', erasedAt: now.toISOString() }]);
    const erasures = (await audits(ids.b)).filter((a) => a.action === 'erase').map((a) => `${a.outcome}:${JSON.stringify(a.detail)}`);
    expect(erasures[erasures.length - 2]).toBe('allowed:{"ground":"request"}');
    expect(erasures.filter((e) => e.startsWith('invalid')).length).toBe(3);
    const again = await register(ID_B, NAME_B, '1948-03-15', 'female');
    expect(again).not.toBe(ids.b);
  });
});
