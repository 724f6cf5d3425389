import { signToken, type Principal } from '@fbl/auth';
import { residentIdCheckChar } from '@fbl/codes';
import { AssessAbility, allMessages, createMessage, MessageRegistry, newId } from '@fbl/contracts';
import { openDatabase, type Database, type Tx } from '@fbl/db';
import { InProcessBus } from '@fbl/messaging';
import { createLogger, createMetrics } from '@fbl/observability';
import { generateKey } from '@fbl/privacy';
import { buildHttpServer, startService, type RunningService } from '@fbl/service-kit';
import { createTestDatabase, describeWithPostgres, genericPlan, type TestDatabase } from '@fbl/testing';
import { testSuite, testTokenKey } from '@fbl/testing/suite';
import { and, desc, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AssessmentStore } from '../src/adapters/db/assessment-store.js';
import { scopeCondition } from '../src/adapters/db/elder-queries.js';
import { elders } from '../src/adapters/db/schema.js';
import { civilAffairsService, type CivilAffairsService } from '../src/index.js';

let now = new Date('2026-05-01T02:00:00Z');
// The run's suite: under CRYPTO_SUITE=sm (the `sm` test project) SM4 seals, HMAC-SM3 hashes, SM2-SM3 tokens.
const secrets = { authSecret: testTokenKey('elder-search-test-secret'), piiEncryptionKey: generateKey(), piiHashKey: generateKey(), suite: testSuite };
const idOf = (first17: string) => first17 + residentIdCheckChar(first17);

/** Fictional elders: three of one name in two counties of Heze and one of Jining, and two more. */
const people = {
  mudan: { name: '王秀英', first17: '37170219360105004', division: '371702' },
  chengwu: { name: '王秀英', first17: '37172319380212006', division: '371723' },
  jining: { name: '王秀英', first17: '37081119400303008', division: '370811' },
  liu: { name: '刘建国', first17: '37170219440708005', division: '371702' },
  uyghur: { name: '买买提·艾力', first17: '37170219450909001', division: '371702' },
} as const;
type Who = keyof typeof people;

const answers = {
  eating: 4, grooming: 4, bathing: 2, dressingUpper: 4, dressingLower: 2, urineControl: 4, bowelControl: 4, toileting: 2,
  bedPositioning: 4, bedChairTransfer: 2, walkingFlat: 2, stairs: 1,
  orientationTime: 4, orientationPlace: 4, orientationPerson: 4, memory: 2, understanding: 4, expression: 4, aggression: 1, depressiveSymptoms: 1, consciousness: 2,
  vision: 2, hearing: 2, dailyAffairs: 2, goingOut: 1, socialInteraction: 2,
};

interface Found {
  elderRef: string;
  name: string;
  gender: string;
  birthYear: number;
  age: number;
  divisionCode: string;
  divisionName: string | null;
  idNumberMasked: string;
  ability: { level: number; assessedOn: string } | null;
  reassessmentDue: boolean;
}

describeWithPostgres('civil affairs: finding elders by name or ID number, and the assessors\' queue with the green channel first', () => {
  let testDb: TestDatabase;
  let database: Database;
  let bus: InProcessBus;
  let service: CivilAffairsService;
  let running: RunningService;
  let http: FastifyInstance;
  const ids = {} as Record<Who, string>;
  const logLines: string[] = [];

  const principals: Record<string, Principal> = {
    assessor: { userId: 'assessor-heze', role: 'assessor', divisionCode: '371700' },
    jiningAssessor: { userId: 'assessor-jining', role: 'assessor', divisionCode: '370800' },
    chengwuInsurer: { userId: 'insurer-chengwu', role: 'insurer', divisionCode: '371723' },
    planner: { userId: 'planner-1', role: 'planner', institutionId: '0192f3b2-7c1a-7000-8000-000000000001' },
    analyst: { userId: 'analyst-1', role: 'analyst', divisionCode: '371700' },
    provider: { userId: 'staff-1', role: 'provider', institutionId: '0192f3b2-7c1a-7000-8000-000000000002' },
    admin: { userId: 'admin-1', role: 'admin' },
  };
  type As = keyof typeof principals;
  const call = (method: 'GET' | 'POST', url: string, who: As, payload?: object) =>
    http.inject({ method, url, headers: { authorization: `Bearer ${signToken(principals[who]!, secrets.authSecret, { now, ttlSeconds: 3600 })}` }, ...(payload ? { payload } : {}) });
  const search = async (who: As, query: { q?: string; due?: boolean; limit?: number; offset?: number }) => {
    const r = await call('POST', '/api/civil-affairs/elders/search', who, query);
    expect(r.statusCode, r.body).toBe(200);
    return { items: r.json() as Found[], total: Number(r.headers['x-total-count']) };
  };
  const namesOf = (found: Found[]) => found.map((f) => Object.entries(ids).find(([, id]) => id === f.elderRef)?.[0]);

  beforeAll(async () => {
    testDb = await createTestDatabase('civil_affairs');
    database = await openDatabase({ url: testDb.url });
    const logger = createLogger({ name: 'civil-affairs-search-test', level: 'info', destination: new Writable({ write: (c: Buffer, _e, done) => { logLines.push(c.toString()); done(); } }) });
    bus = new InProcessBus(logger);
    service = civilAffairsService({ database, bus, logger, metrics: createMetrics(), registry: new MessageRegistry(allMessages), clock: () => now }, secrets);
    running = await startService(service);
    http = await buildHttpServer({ title: 'civil-affairs', logger, metrics: createMetrics(), readiness: [], plugins: [service.routes!] });
    for (const [who, p] of Object.entries(people) as [Who, (typeof people)[Who]][]) {
      const birthDate = `${p.first17.slice(6, 10)}-${p.first17.slice(10, 12)}-${p.first17.slice(12, 14)}`;
      const r = await call('POST', '/api/civil-affairs/elders', 'admin', {
        idNumber: idOf(p.first17),
        name: p.name,
        gender: Number(p.first17[16]) % 2 === 1 ? 'male' : 'female',
        birthDate,
        address: { divisionCode: p.division, line: '某街道某社区' },
        consent: { healthData: true, givenBy: 'elder' },
      });
      expect(r.statusCode, r.body).toBe(201);
      ids[who] = (r.json() as { id: string }).id;
    }
    // Mudan's 王秀英 assessed this spring, Chengwu's last June (due again); the others never.
    for (const [who, assessedOn] of [['mudan', '2026-03-02'], ['chengwu', '2025-06-01']] as const) {
      const r = await call('POST', `/api/civil-affairs/elders/${ids[who]}/assessments`, 'assessor', { answers, adjustments: {}, assessors: ['甲', '乙'], reason: 'first', assessedOn });
      expect(r.statusCode, r.body).toBe(201);
    }
  });
  afterAll(async () => {
    await http?.close();
    await running?.stop();
    await database?.close();
    await testDb?.drop();
  });

  it('finds the elders of a name within the caller\'s division only, newest registered first, with what a list shows', async () => {
    const heze = await search('assessor', { q: '王秀英' });
    expect(namesOf(heze.items)).toEqual(['chengwu', 'mudan']);
    expect(heze.total).toBe(2);
    const [chengwu, mudan] = heze.items;
    expect(mudan).toEqual({
      elderRef: ids.mudan,
      name: '王秀英',
      gender: 'female',
      birthYear: 1936,
      age: 90,
      divisionCode: '371702',
      divisionName: '牡丹区',
      idNumberMasked: `371702********${idOf(people.mudan.first17).slice(14)}`,
      ability: { level: 1, assessedOn: '2026-03-02' },
      reassessmentDue: false,
    });
    expect(chengwu).toMatchObject({ divisionName: '成武县', ability: { assessedOn: '2025-06-01' }, reassessmentDue: true });
    // The same name however it is spaced; part of a name finds nobody.
    expect(namesOf((await search('assessor', { q: ' 王 秀英 ' })).items)).toEqual(['chengwu', 'mudan']);
    expect(await search('assessor', { q: '王秀' })).toEqual({ items: [], total: 0 });
    expect(namesOf((await search('assessor', { q: '买买提・艾力' })).items)).toEqual(['uyghur']);
    // Another city's assessor, a county's insurance officer, and a planner (every elder, masked ID).
    expect(namesOf((await search('jiningAssessor', { q: '王秀英' })).items)).toEqual(['jining']);
    expect(namesOf((await search('chengwuInsurer', { q: '王秀英' })).items)).toEqual(['chengwu']);
    const planner = await search('planner', { q: '王秀英' });
    expect(namesOf(planner.items)).toEqual(['jining', 'chengwu', 'mudan']);
    for (const item of planner.items) expect(item.idNumberMasked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
  });

  it('finds an elder by whole ID number, lists the division a page at a time, and keeps those due an assessment', async () => {
    expect(namesOf((await search('assessor', { q: idOf(people.liu.first17) })).items)).toEqual(['liu']);
    expect(await search('assessor', { q: idOf(people.jining.first17) })).toEqual({ items: [], total: 0 });
    const first = await search('assessor', { limit: 2 });
    expect(first.total).toBe(4);
    expect(namesOf(first.items)).toEqual(['uyghur', 'liu']);
    expect(namesOf((await search('assessor', { limit: 2, offset: 2 })).items)).toEqual(['chengwu', 'mudan']);
    const due = await search('assessor', { due: true });
    expect(namesOf(due.items)).toEqual(['uyghur', 'liu', 'chengwu']);
    expect(due.total).toBe(3);
  });

  it('refuses bad parameters with a problem naming the field, a planner browsing the register, and roles that may not search', async () => {
    const bad: [As, object, string][] = [
      ['assessor', { q: '3717' }, 'q'],
      ['assessor', { q: `${people.liu.first17}${residentIdCheckChar(people.liu.first17) === '0' ? '1' : '0'}` }, 'q'],
      ['assessor', { q: '王1' }, 'q'],
      ['assessor', { q: 'x'.repeat(51) }, 'q'],
      ['assessor', { limit: 0 }, 'limit'],
      ['assessor', { limit: 101 }, 'limit'],
      ['assessor', { offset: -1 }, 'offset'],
      ['assessor', { due: 'maybe' }, 'due'],
      ['assessor', { name: '王秀英' }, ''],
      ['planner', { limit: 20 }, 'q'],
    ];
    for (const [who, body, field] of bad) {
      const r = await call('POST', '/api/civil-affairs/elders/search', who, body);
      expect(r.statusCode, `${JSON.stringify(body)}: ${r.body}`).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      if (field) expect((r.json() as { errors: { field: string }[] }).errors.map((e) => e.field), JSON.stringify(body)).toContain(field);
    }
    expect((await call('POST', '/api/civil-affairs/elders/search', 'analyst', { q: '王秀英' })).statusCode).toBe(403);
    expect((await call('POST', '/api/civil-affairs/elders/search', 'provider', { q: '王秀英' })).statusCode).toBe(403);
  });

  it('audits each elder a search shows and a search that found nobody, never the words searched for; names stay sealed', async () => {
    const before = Number((await database.rows<{ n: number }>(database.db, sql`select coalesce(max(seq), 0)::int as n from civil_affairs.audit_log`))[0]!.n);
    await search('chengwuInsurer', { q: '王秀英' });
    await search('chengwuInsurer', { q: '刘建国' });
    const rows = await database.rows<{ actor: string; action: string; object_id: string; outcome: string; detail: unknown }>(
      database.db,
      sql`select actor, action, object_id, outcome, detail from civil_affairs.audit_log where seq > ${before} order by seq`,
    );
    expect(rows).toEqual([
      { actor: 'insurer-chengwu', action: 'search', object_id: ids.chengwu, outcome: 'allowed', detail: { by: 'name' } },
      { actor: 'insurer-chengwu', action: 'search', object_id: 'by-name', outcome: 'not-found', detail: null },
    ]);
    // Nor in the service's log (names and ID numbers travel in the body, never in a logged URL).
    const logged = logLines.join('');
    expect(logged).toContain('/api/civil-affairs/elders/search');
    for (const secret of ['王秀英', '刘建国', idOf(people.liu.first17)]) expect(logged).not.toContain(secret);
    const stored = await database.rows<{ text: string }>(database.db, sql`select (select string_agg(t::text, ' ') from civil_affairs.audit_log t) || (select string_agg(e::text, ' ') from civil_affairs.elders e) as text`);
    for (const secret of ['王秀英', '刘建国', '买买提']) expect(stored[0]!.text).not.toContain(secret);
  });

  it('indexes at start-up the names of elders registered before the index existed', async () => {
    await database.db.execute(sql`update civil_affairs.elders set name_hash = null where id = ${ids.liu}`);
    expect(await search('assessor', { q: '刘建国' })).toEqual({ items: [], total: 0 });
    // The service starts again (a new process on the same database); its start-up job fills the index.
    await running.stop();
    const logger = createLogger({ name: 'civil-affairs-search-test', level: 'silent' });
    bus = new InProcessBus(logger);
    service = civilAffairsService({ database, bus, logger, metrics: createMetrics(), registry: new MessageRegistry(allMessages), clock: () => now }, secrets);
    running = await startService(service);
    await expect.poll(async () => namesOf((await search('assessor', { q: '刘建国' })).items), { timeout: 10_000 }).toEqual(['liu']);
    expect(await service.directory.indexNames()).toBe(0);
  });

  it('queues green-channel assessment requests before routine ones, even when due later, naming each elder', async () => {
    const ask = async (who: Who, urgency?: 'routine' | 'green-channel') => {
      const referralId = newId();
      const message = createMessage(AssessAbility, ids[who], { elderRef: ids[who], referralId, reason: 'immediate', ...(urgency ? { urgency } : {}) }, { source: 'referral-workflow', correlationId: referralId });
      await bus.publish([{ topic: message.topic, key: message.key, value: JSON.stringify(message.envelope), headers: {} }]);
      return referralId;
    };
    const routine = await ask('liu', 'routine');
    now = new Date(now.getTime() + 3600_000);
    // As the workflow asked before the urgency was carried: routine.
    const unmarked = await ask('chengwu');
    now = new Date(now.getTime() + 3600_000);
    const jining = await ask('jining', 'green-channel');
    now = new Date(now.getTime() + 3600_000);
    const green = await ask('uyghur', 'green-channel');

    type Queued = { referralId: string; urgency: string; dueAt: string; elder: Found };
    const queue = async (who: As, query = '') => {
      const r = await call('GET', `/api/civil-affairs/assessment-requests${query}`, who);
      expect(r.statusCode, r.body).toBe(200);
      return { items: r.json() as Queued[], total: Number(r.headers['x-total-count']) };
    };
    const heze = await queue('assessor');
    expect(heze.items.map((q) => q.referralId)).toEqual([green, routine, unmarked]);
    expect(heze.items.map((q) => q.urgency)).toEqual(['green-channel', 'routine', 'routine']);
    expect(heze.total).toBe(3);
    // The green one is due last of the three, yet comes first.
    expect(heze.items[0]!.dueAt > heze.items[1]!.dueAt).toBe(true);
    expect(heze.items[0]!.elder).toMatchObject({ name: '买买提·艾力', divisionName: '牡丹区', reassessmentDue: true, ability: null });
    expect(heze.items[0]!.elder.idNumberMasked).toMatch(/^371702\*{8}/);
    const paged = await queue('assessor', '?limit=1&offset=1');
    expect(paged).toMatchObject({ total: 3, items: [{ referralId: routine }] });
    expect((await queue('admin')).items.map((q) => q.referralId)).toEqual([jining, green, routine, unmarked]);
    expect((await queue('jiningAssessor')).items.map((q) => q.referralId)).toEqual([jining]);
    expect((await call('GET', '/api/civil-affairs/assessment-requests?limit=0', 'assessor')).statusCode).toBe(400);
  });

  it("reads a division's elders through an index under a server collation other than C, and the newest first through another", async () => {
    const scoped = and(isNull(elders.erasedAt), scopeCondition({ divisionPrefix: '3717' }));
    const count = database.db.select({ n: sql<number>`count(*)::int` }).from(elders).where(scoped);
    const newest = database.db.select().from(elders).where(isNull(elders.erasedAt)).orderBy(desc(elders.createdAt), desc(elders.id)).limit(20);
    const plans: string[] = [];
    // The test server is C; a city's is often en_US.UTF-8 or ICU, where a plain btree cannot serve LIKE 'prefix%'.
    // The column takes an ICU collation for one transaction, rolled back.
    await database
      .transaction(async (tx) => {
        await tx.execute(sql`alter table civil_affairs.elders alter column division_code type text collate "en-US-x-icu"`);
        await tx.execute(sql`set local enable_seqscan = off`);
        for (const query of [count, newest]) plans.push((await database.rows<{ 'QUERY PLAN': string }>(tx, sql`explain ${query}`)).map((r) => r['QUERY PLAN']).join('\n'));
        throw new Error('rolled back');
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error) || error.message !== 'rolled back') throw error;
      });
    expect(plans[0]).toMatch(/elders_division_idx/);
    expect(plans[0]).toMatch(/Index Cond: \(\(division_code ~>=~ '3717'::text\) AND \(division_code ~<~ '3718'::text\)\)/);
    expect(plans[1]).toMatch(/Index Scan Backward using elders_created_idx/);
    expect(plans[1]).not.toMatch(/Sort/);
  });

  it("reads an elder's open assessment requests through the partial index of open requests, in the plan its prepared statement settles on", async () => {
    // The store's own statement, built and not run (a drizzle query runs only when awaited).
    const query = new AssessmentStore(database).openRequests(database.db as unknown as Tx, ids.liu) as unknown as { toSQL(): { sql: string; params: unknown[] } };
    const { sql: text, params } = query.toSQL();
    expect(params).toEqual([ids.liu]);
    const plan = await genericPlan(database, text, `'${ids.liu}'`);
    expect(plan).toMatch(/assessment_requests_open_elder_idx/);
  });
});
