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

let now = new Date('2026-01-05T01:00:00Z');
// The run's suite: under CRYPTO_SUITE=sm (the `sm` test project) SM4 seals, HMAC-SM3 hashes, SM2-SM3 tokens.
const secrets = { authSecret: testTokenKey('waiting-list-test-secret'), piiEncryptionKey: generateKey(), piiHashKey: generateKey(), suite: testSuite };
const HOME = '0192f3b2-7c1a-7000-8000-0000000000a1';
const OTHER_HOME = '0192f3b2-7c1a-7000-8000-0000000000a2';
const TRANSFER_HOME = '0192f3b2-7c1a-7000-8000-0000000000a3';

/** Fictional elders: ID base (division 371702, birth date, sequence: odd male, even female). */
const people = {
  lowIncome: { birthDate: '1956-03-01', seq: '131', name: '轮候测试甲' },
  entitled: { birthDate: '1955-07-07', seq: '151', name: '轮候测试乙' },
  familyPlanning: { birthDate: '1958-08-08', seq: '162', name: '轮候测试丙' },
  old: { birthDate: '1944-02-02', seq: '171', name: '轮候测试丁' },
  plain: { birthDate: '1960-06-06', seq: '182', name: '轮候测试戊' },
  poor: { birthDate: '1952-04-04', seq: '191', name: '轮候测试己' },
  withdrawer: { birthDate: '1950-10-10', seq: '213', name: '轮候测试庚' },
  refuser: { birthDate: '1951-11-11', seq: '224', name: '轮候测试辛' },
} as const;
type Who = keyof typeof people;
const idOf = (p: { birthDate: string; seq: string }) => {
  const first17 = `371702${p.birthDate.replaceAll('-', '')}${p.seq}`;
  return first17 + residentIdCheckChar(first17);
};

/** A full answer set (total 70, level 1) from the roles test; with eight items at 0 the total is 38: level 3. */
const answers = {
  eating: 4, grooming: 4, bathing: 2, dressingUpper: 4, dressingLower: 2, urineControl: 4, bowelControl: 4, toileting: 2,
  bedPositioning: 4, bedChairTransfer: 2, walkingFlat: 2, stairs: 1,
  orientationTime: 4, orientationPlace: 4, orientationPerson: 4, memory: 2, understanding: 4, expression: 4, aggression: 1, depressiveSymptoms: 1, consciousness: 2,
  vision: 2, hearing: 2, dailyAffairs: 2, goingOut: 1, socialInteraction: 2,
};
const severe = { ...answers, eating: 0, grooming: 0, dressingUpper: 0, urineControl: 0, bowelControl: 0, bedPositioning: 0, orientationTime: 0, orientationPlace: 0 };

describeWithPostgres('civil affairs: the public care-home waiting list (轮候)', () => {
  let testDb: TestDatabase;
  let database: Database;
  let published: PublishedWatch;
  let tables: MessagingTables;
  let running: RunningService;
  let http: FastifyInstance;
  const ids = {} as Record<Who, string>;
  const entries = {} as Record<Who, string>;

  const principals: Record<string, Principal> = {
    assessor: { userId: 'assessor-1', role: 'assessor', divisionCode: '371700' },
    planner: { userId: 'planner-1', role: 'planner', institutionId: '0192f3b2-7c1a-7000-8000-000000000001' },
    analyst: { userId: 'analyst-1', role: 'analyst', divisionCode: '371700' },
    otherAnalyst: { userId: 'analyst-2', role: 'analyst', divisionCode: '370800' },
    admin: { userId: 'admin-1', role: 'admin' },
  };
  type As = keyof typeof principals;
  const call = (method: 'GET' | 'POST', url: string, who?: As, payload?: object) =>
    http.inject({ method, url, headers: who ? { authorization: `Bearer ${signToken(principals[who]!, secrets.authSecret, { now, ttlSeconds: 3600 })}` } : {}, ...(payload ? { payload } : {}) });
  const at = (iso: string) => {
    now = new Date(iso);
  };
  const entryAudit = async () => Number((await database.rows<{ n: number }>(database.db, sql`select count(*)::int as n from civil_affairs.audit_log where object_type = 'waiting-list-entry'`))[0]!.n);
  const apply = async (who: Who, home = HOME) => {
    const r = await call('POST', '/api/civil-affairs/waiting-list', 'assessor', { elderId: ids[who], homeInstitutionId: home });
    expect(r.statusCode, r.body).toBe(201);
    entries[who] = (r.json() as { id: string }).id;
    return r.json() as { id: string; class: number; noQueue: boolean; assessmentDueAt: string; assessmentRequested: boolean };
  };
  const move = (who: Who, action: string, as: As = 'assessor', payload?: object) => call('POST', `/api/civil-affairs/waiting-list/entries/${entries[who]}/${action}`, as, payload);
  const list = async (home = HOME, as: As = 'analyst') => {
    const r = await call('GET', `/api/civil-affairs/waiting-list/${home}`, as);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { entries: { entryId: string; elderRef: string; position: number; class: number; noQueue: boolean }[] };
  };
  const order = async () => (await list()).entries.map((e) => (Object.entries(ids).find(([, id]) => id === e.elderRef) ?? ['?'])[0]);
  const position = async (who: Who, as: As = 'planner') => {
    const r = await call('GET', `/api/civil-affairs/waiting-list/entries/${entries[who]}/position`, as);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { position: number | null; class: number; noQueue: boolean; explanation: string };
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('civil_affairs');
    database = await openDatabase({ url: testDb.url });
    const logger = createLogger({ name: 'civil-affairs-wl-test', level: 'warn', destination: new Writable({ write: (_c: Buffer, _e, done) => done() }) });
    const deps = { database, bus: new InProcessBus(logger), logger, metrics: createMetrics(), registry: new MessageRegistry(allMessages), clock: () => now };
    const service = civilAffairsService(deps, secrets);
    tables = service.kit.tables;
    published = await watchPublished(deps.bus, service.produces ?? []);
    running = await startService(service);
    http = await buildHttpServer({ title: 'civil-affairs', logger, metrics: createMetrics(), readiness: [], plugins: [service.routes!] });
    for (const [key, p] of Object.entries(people) as [Who, (typeof people)[Who]][]) {
      const gender = Number(p.seq) % 2 === 1 ? 'male' : 'female';
      const r = await call('POST', '/api/civil-affairs/elders', 'assessor', { idNumber: idOf(p), name: p.name, gender, birthDate: p.birthDate, phone: '13800001234', address: { divisionCode: '371702', line: '牡丹区轮候路1号' }, consent: { healthData: true, givenBy: 'elder' } });
      expect(r.statusCode, r.body).toBe(201);
      ids[key] = (r.json() as { id: string }).id;
    }
  });
  afterAll(async () => {
    await http?.close();
    await running?.stop();
    await database?.close();
    await testDb?.drop();
  });

  it('records hardship statuses with validity, for assessors and admins only, and publishes them', async () => {
    const hardship = (who: Who, body: object, as: As = 'assessor') => call('POST', `/api/civil-affairs/elders/${ids[who]}/hardships`, as, body);
    expect((await hardship('lowIncome', { status: 'low-income', validFrom: '2025-01-01' }, 'planner')).statusCode).toBe(403);
    expect((await hardship('lowIncome', { status: 'rich', validFrom: '2025-01-01' })).statusCode).toBe(400);
    const backwards = await hardship('lowIncome', { status: 'low-income', validFrom: '2025-01-01', validUntil: '2024-12-31' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('validUntil');
    const recorded: [Who, object][] = [
      ['lowIncome', { status: 'low-income', validFrom: '2025-01-01', validUntil: '2027-12-31' }],
      ['entitled', { status: 'key-entitled', validFrom: '2025-01-01', validUntil: '2026-06-30' }],
      ['familyPlanning', { status: 'family-planning-special', validFrom: '2024-01-01' }],
      ['poor', { status: 'extreme-poverty', validFrom: '2025-06-01' }],
    ];
    for (const [who, body] of recorded) expect((await hardship(who, body, who === 'poor' ? 'admin' : 'assessor')).statusCode).toBe(201);
    // An expired status on the plain elder: must not count.
    expect((await hardship('plain', { status: 'severe-disability', validFrom: '2020-01-01', validUntil: '2025-12-31' })).statusCode).toBe(201);
    await outboxSent(database, tables);
    const events = published.of('HardshipStatusChanged');
    expect(events).toHaveLength(5);
    expect(events.map((e) => e.subject)).toContain(ids.poor);
    const listed = (await call('GET', `/api/civil-affairs/elders/${ids.entitled}/hardships`, 'planner')).json() as { status: string; validUntil: string }[];
    expect(listed).toMatchObject([{ status: 'key-entitled', validUntil: '2026-06-30' }]);
  });

  it('records a level-3 assessment for the low-income elder', async () => {
    const r = await call('POST', `/api/civil-affairs/elders/${ids.lowIncome}/assessments`, 'assessor', { answers: severe, adjustments: {}, assessors: ['assessor-1', 'assessor-2'], reason: 'first', assessedOn: '2026-01-05' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ total: 38, level: 3 });
  });

  it('puts elders on the list at different times, with the assessment due in three working days', async () => {
    at('2026-01-15T00:00:00Z');
    expect((await apply('familyPlanning')).class).toBe(2);
    at('2026-02-01T00:00:00Z'); // a Sunday
    const plain = await apply('plain');
    expect(plain).toMatchObject({ class: 4, noQueue: false, assessmentRequested: true, assessmentDueAt: '2026-02-04T00:00:00.000Z' });
    at('2026-02-10T00:00:00Z');
    expect((await apply('old')).class).toBe(3);
    at('2026-02-20T00:00:00Z');
    expect((await apply('entitled')).class).toBe(2);
    at('2026-03-01T00:00:00Z');
    expect(await apply('lowIncome')).toMatchObject({ class: 2, assessmentRequested: false });
    at('2026-03-10T00:00:00Z');
    expect(await apply('poor')).toMatchObject({ class: 1, noQueue: true });
    const queue = await database.rows<{ reason: string }>(database.db, sql`select reason from civil_affairs.assessment_requests where elder_id = ${ids.plain}`);
    expect(queue.map((q) => q.reason)).toEqual(['waiting-list']);
  });

  it('orders by class, then application time; extreme poverty goes first whenever it applied', async () => {
    at('2026-03-15T02:00:00Z');
    expect(await order()).toEqual(['poor', 'familyPlanning', 'entitled', 'lowIncome', 'old', 'plain']);
    expect(await position('poor')).toMatchObject({ position: 1, class: 1, noQueue: true, explanation: 'class 1 (extreme poverty, admitted without queueing), applied 2026-03-10 08:00; no one ahead of you' });
  });

  it('explains every position to anyone who may see the elder', async () => {
    const expected: [Who, number, string][] = [
      ['lowIncome', 4, 'class 2 (low-income and severely disabled), applied 2026-03-01 08:00; 3 ahead of you: 1 in class 1, 2 in class 2 who applied earlier'],
      ['old', 5, 'class 3 (aged 82 (80 or older)), applied 2026-02-10 08:00; 4 ahead of you: 1 in class 1, 3 in class 2'],
      ['plain', 6, 'class 4 (no priority ground), applied 2026-02-01 08:00; 5 ahead of you: 1 in class 1, 3 in class 2, 1 in class 3'],
    ];
    for (const [who, pos, explanation] of expected) expect(await position(who)).toMatchObject({ position: pos, explanation });
    expect((await call('GET', `/api/civil-affairs/waiting-list/entries/${entries.lowIncome}/position`, 'analyst')).statusCode).toBe(200);
    const outside = await call('GET', `/api/civil-affairs/waiting-list/entries/${entries.lowIncome}/position`, 'otherAnalyst');
    expect(outside.statusCode).toBe(403);
    expect(outside.body).not.toContain('class');
    expect((await call('GET', `/api/civil-affairs/waiting-list/entries/${entries.lowIncome}/position`)).statusCode).toBe(401);
    expect((await call('GET', '/api/civil-affairs/waiting-list/entries/0192f3b2-7c1a-7000-8000-00000000ffff/position', 'admin')).statusCode).toBe(404);
  });

  it('shows analysts the list without identity, and not to planners', async () => {
    expect((await call('GET', `/api/civil-affairs/waiting-list/${HOME}`, 'planner')).statusCode).toBe(403);
    const r = await call('GET', `/api/civil-affairs/waiting-list/${HOME}`, 'analyst');
    for (const p of Object.values(people)) {
      expect(r.body).not.toContain(p.name);
      expect(r.body).not.toContain(idOf(p));
      expect(r.body).not.toContain(p.birthDate);
    }
    for (const e of (r.json() as { entries: object[] }).entries) expect(Object.keys(e).sort()).toEqual(['appliedAt', 'assessmentDueAt', 'class', 'elderRef', 'entryId', 'noQueue', 'position', 'status']);
  });

  it('refuses a second application while the elder waits (409, with the reason)', async () => {
    const r = await call('POST', '/api/civil-affairs/waiting-list', 'assessor', { elderId: ids.old, homeInstitutionId: OTHER_HOME });
    expect(r.statusCode).toBe(409);
    expect((r.json() as { detail: string }).detail).toContain('already on the waiting list');
    expect((await call('POST', '/api/civil-affairs/waiting-list', 'planner', { elderId: ids.old, homeInstitutionId: OTHER_HOME })).statusCode).toBe(403);
  });

  it('offers, transfers and admits; an admitted elder leaves the queue', async () => {
    at('2026-03-20T02:00:00Z');
    expect((await move('poor', 'accept')).statusCode).toBe(409);
    expect((await move('poor', 'offer', 'planner', {})).statusCode).toBe(403);
    const offered = await move('poor', 'offer', 'assessor', { institutionId: TRANSFER_HOME });
    expect(offered.statusCode, offered.body).toBe(200);
    expect(offered.json()).toMatchObject({ status: 'offered', offeredInstitutionId: TRANSFER_HOME });
    expect(await order()).toContain('poor');
    expect((await move('poor', 'accept', 'admin')).json()).toMatchObject({ status: 'admitted' });
    expect(await order()).toEqual(['familyPlanning', 'entitled', 'lowIncome', 'old', 'plain']);
    expect((await position('lowIncome')).explanation).toBe('class 2 (low-income and severely disabled), applied 2026-03-01 08:00; 2 ahead of you: 2 in class 2 who applied earlier');
    expect(await position('poor')).toMatchObject({ position: null, explanation: 'no longer queueing: admitted on 2026-03-20' });
  });

  it('counts a status only while it is valid', async () => {
    at('2026-07-01T02:00:00Z'); // the key-entitled status ended on 30 June
    expect(await order()).toEqual(['familyPlanning', 'lowIncome', 'old', 'plain', 'entitled']);
    expect((await position('entitled')).explanation).toBe('class 4 (no priority ground), applied 2026-02-20 08:00; 4 ahead of you: 2 in class 2, 1 in class 3, 1 in class 4 who applied earlier');
  });

  it('bars re-application for a year after two withdrawals within a year', async () => {
    at('2026-03-21T02:00:00Z');
    await apply('withdrawer', OTHER_HOME);
    expect((await move('withdrawer', 'withdraw')).json()).toMatchObject({ status: 'withdrawn' });
    expect((await move('withdrawer', 'withdraw')).statusCode).toBe(409);
    at('2026-04-01T02:00:00Z');
    await apply('withdrawer', OTHER_HOME);
    await move('withdrawer', 'offer');
    expect((await move('withdrawer', 'withdraw')).json()).toMatchObject({ status: 'withdrawn' });
    at('2026-04-02T02:00:00Z');
    const r = await call('POST', '/api/civil-affairs/waiting-list', 'assessor', { elderId: ids.withdrawer, homeInstitutionId: HOME });
    expect(r.statusCode).toBe(409);
    expect((r.json() as { detail: string }).detail).toBe('barred from re-applying until 2027-04-01: withdrew 2 times within 365 days (last on 2026-04-01)');
    at('2027-04-02T02:00:00Z');
    await apply('withdrawer', OTHER_HOME);
  });

  it('bars re-application for a year after refusing every offer', async () => {
    at('2026-04-10T02:00:00Z');
    await apply('refuser', OTHER_HOME);
    expect((await move('refuser', 'refuse')).statusCode).toBe(409);
    const bare = await move('refuser', 'offer');
    expect(bare.statusCode, bare.body).toBe(200);
    expect((await move('refuser', 'refuse')).json()).toMatchObject({ status: 'waiting', offersRefused: 1 });
    await move('refuser', 'offer', 'assessor', { institutionId: TRANSFER_HOME });
    expect((await move('refuser', 'refuse')).json()).toMatchObject({ status: 'refused', offersRefused: 2 });
    at('2026-05-01T02:00:00Z');
    const r = await call('POST', '/api/civil-affairs/waiting-list', 'assessor', { elderId: ids.refuser, homeInstitutionId: HOME });
    expect(r.statusCode).toBe(409);
    expect((r.json() as { detail: string }).detail).toBe('barred from re-applying until 2027-04-10: refused every offer on 2026-04-10');
  });

  it('audits every read and change of an entry, refusals included', async () => {
    at('2026-05-02T02:00:00Z');
    const before = await entryAudit();
    await list(); // five entries queue at HOME
    await position('old');
    await call('GET', `/api/civil-affairs/waiting-list/entries/${entries.old}/position`, 'otherAnalyst');
    await call('POST', '/api/civil-affairs/waiting-list', 'assessor', { elderId: ids.refuser, homeInstitutionId: HOME });
    await move('old', 'offer');
    expect(await entryAudit()).toBe(before + 5 + 1 + 1 + 1 + 1);
    const trail = (await call('GET', `/api/civil-affairs/audit?objectId=${entries.old}`, 'admin')).json() as { actor: string; action: string; outcome: string }[];
    expect(trail.slice(0, 4).map((t) => [t.actor, t.action, t.outcome])).toEqual([
      ['assessor-1', 'offer', 'allowed'],
      ['analyst-2', 'read-position', 'denied'],
      ['planner-1', 'read-position', 'allowed'],
      ['analyst-1', 'list', 'allowed'],
    ]);
    const refusals = await database.rows<{ outcome: string; detail: { reason: string } }>(database.db, sql`select outcome, detail from civil_affairs.audit_log where object_type = 'waiting-list-entry' and action = 'apply' and outcome <> 'allowed' order by seq`);
    expect(refusals.map((r) => r.detail.reason)).toEqual(expect.arrayContaining([expect.stringContaining('already on the waiting list'), expect.stringContaining('withdrew 2 times'), expect.stringContaining('refused every offer')]));
  });
});
