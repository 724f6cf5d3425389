import { signToken, type Principal } from '@fbl/auth';
import { residentIdCheckChar } from '@fbl/codes';
import { allMessages, BED_SERVICES, CIVIL_AFFAIRS, createMessage, eventsTopic, HomeVisitCompleted, MessageRegistry, newId, type DataOf } from '@fbl/contracts';
import { openDatabase, type Database, type MessagingTables } from '@fbl/db';
import { createKafkaBus, toRecord, type Bus } from '@fbl/messaging';
import { createLogger, createMetrics } from '@fbl/observability';
import { generateKey } from '@fbl/privacy';
import { buildHttpServer, startService, type RunningService } from '@fbl/service-kit';
import { createTestDatabase, describeWithKafkaAndPostgres, kafkaBrokers, outboxSent, waitFor, watchPublished, type PublishedWatch, type TestDatabase } from '@fbl/testing';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RUSHAN_2022 } from '../src/domain/home-care-hours.js';
import { civilAffairsService } from '../src/index.js';

let now = new Date('2026-03-01T01:00:00Z');
const secrets = { authSecret: 'home-care-hours-test-secret', piiEncryptionKey: generateKey(), piiHashKey: generateKey() };
const PROVIDER = '0192f3b2-7c1a-7000-8000-0000000000b1';
const OTHER_PROVIDER = '0192f3b2-7c1a-7000-8000-0000000000b2';
const RUSHAN = '371083';
/** From April 2026 the rate is raised to 25 元 an hour (a rule set of the deployment's configuration). */
const RAISED = { ...RUSHAN_2022, version: 'rushan-2026.4', effectiveFrom: '2026-04', rateFen: 2500 };

/** A full answer set totalling 70 (level 1); others derived from it. */
const mild = {
  eating: 4, grooming: 4, bathing: 2, dressingUpper: 4, dressingLower: 2, urineControl: 4, bowelControl: 4, toileting: 2,
  bedPositioning: 4, bedChairTransfer: 2, walkingFlat: 2, stairs: 1,
  orientationTime: 4, orientationPlace: 4, orientationPerson: 4, memory: 2, understanding: 4, expression: 4, aggression: 1, depressiveSymptoms: 1, consciousness: 2,
  vision: 2, hearing: 2, dailyAffairs: 2, goingOut: 1, socialInteraction: 2,
};
const moderateAnswers = { ...mild, eating: 0, grooming: 0, dressingUpper: 0 }; // 58: level 2
const severeAnswers = { ...mild, eating: 0, grooming: 0, dressingUpper: 0, urineControl: 0, bowelControl: 0, bedPositioning: 0, orientationTime: 0, orientationPlace: 0 }; // 38: level 3
const completeLoss = Object.fromEntries(Object.keys(mild).map((k) => [k, 0])); // level 4

const people = {
  severe: { birthDate: '1940-03-01', seq: '131', name: '时长测试甲', answers: completeLoss, level: 4 },
  moderate: { birthDate: '1945-07-07', seq: '142', name: '时长测试乙', answers: moderateAnswers, level: 2 },
  merit: { birthDate: '1938-08-08', seq: '151', name: '时长测试丙', answers: severeAnswers, level: 3 },
  notEntitled: { birthDate: '1950-02-02', seq: '162', name: '时长测试丁', answers: mild, level: 1 },
} as const;
type Who = keyof typeof people;
const idOf = (p: { birthDate: string; seq: string }) => {
  const first17 = `${RUSHAN}${p.birthDate.replaceAll('-', '')}${p.seq}`;
  return first17 + residentIdCheckChar(first17);
};

describeWithKafkaAndPostgres('civil affairs over Kafka: government-bought home-care hours, statements and the monthly 探访', () => {
  let testDb: TestDatabase;
  let database: Database;
  let bus: Bus;
  let published: PublishedWatch;
  let tables: MessagingTables;
  let running: RunningService;
  let http: FastifyInstance;
  const ids = {} as Record<Who, string>;
  const namespace = `hours-${newId().slice(-12)}`;
  const principals: Record<string, Principal> = {
    officer: { userId: 'officer-1', role: 'assessor', divisionCode: '371000', name: '王科员' },
    elsewhere: { userId: 'officer-2', role: 'assessor', divisionCode: '371700' },
    planner: { userId: 'planner-1', role: 'planner', institutionId: '0192f3b2-7c1a-7000-8000-000000000001' },
    admin: { userId: 'admin-1', role: 'admin' },
  };
  type As = keyof typeof principals;
  const call = (method: 'GET' | 'POST', url: string, who?: As, payload?: object) =>
    http.inject({ method, url, headers: who ? { authorization: `Bearer ${signToken(principals[who]!, secrets.authSecret, { now, ttlSeconds: 3600 })}` } : {}, ...(payload ? { payload } : {}) });
  const ok = async (method: 'GET' | 'POST', url: string, as: As, payload?: object, status = method === 'POST' ? 201 : 200) => {
    const r = await call(method, url, as, payload);
    expect(r.statusCode, r.body).toBe(status);
    return r;
  };
  const visitsKept = async () => Number((await database.rows<{ n: number }>(database.db, sql`select count(*)::int as n from civil_affairs.home_visits where tanfang_id is null`))[0]!.n);

  /** A provider's visit as the home-care bed service publishes it, items with their minutes. */
  const visit = (who: Who | string, checkedInAt: string, items: [string, number][], institutionId = PROVIDER) => {
    const minutes = items.reduce((n, [, m]) => n + m, 0);
    const start = new Date(checkedInAt);
    const data: DataOf<typeof HomeVisitCompleted> = {
      visitId: newId(),
      elderRef: ids[who as Who] ?? who,
      divisionCode: RUSHAN,
      institutionId,
      bedType: 'home-care',
      planId: newId(),
      purpose: 'service',
      channel: 'home',
      windowStart: start.toISOString(),
      windowEnd: new Date(start.getTime() + 4 * 3600_000).toISOString(),
      checkedInAt: start.toISOString(),
      checkedOutAt: new Date(start.getTime() + Math.min(minutes, 24 * 60) * 60_000).toISOString(),
      minutes: Math.min(minutes, 24 * 60),
      items: items.map(([code, m]) => ({ code, minutes: m })),
      confirmation: 'signature',
      late: false,
    };
    return createMessage(HomeVisitCompleted, data.visitId, data, { source: BED_SERVICES['home-care'] }, { topic: eventsTopic(BED_SERVICES['home-care']) });
  };
  const deliver = async (messages: ReturnType<typeof visit>[], duplicate = true) => {
    const before = await visitsKept();
    const records = messages.map((m) => toRecord(m.topic, m.key, m.envelope));
    await bus.publish(duplicate ? [...records, records[0]!] : records);
    await waitFor(async () => ((await visitsKept()) === before + messages.length ? true : undefined), { what: 'the visits kept', timeoutMs: 180_000 });
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('civil_affairs_hours');
    database = await openDatabase({ url: testDb.url });
    const logger = createLogger({ name: 'civil-affairs-hours-test', level: 'warn', destination: new Writable({ write: (_c: Buffer, _e, done) => done() }) });
    bus = await createKafkaBus({ brokers: kafkaBrokers(), clientId: 'civil-affairs-hours-test', logger, namespace, partitions: 2 });
    const deps = { database, bus, logger, metrics: createMetrics(), registry: new MessageRegistry(allMessages), clock: () => now };
    const service = civilAffairsService(deps, secrets, { homeCareRules: [RAISED] });
    tables = service.kit.tables;
    published = await watchPublished(bus, [eventsTopic(CIVIL_AFFAIRS)]);
    running = await startService(service);
    http = await buildHttpServer({ title: 'civil-affairs', logger, metrics: createMetrics(), readiness: [], plugins: [service.routes!] });
    for (const [key, p] of Object.entries(people) as [Who, (typeof people)[Who]][]) {
      const gender = Number(p.seq) % 2 === 1 ? 'male' : 'female';
      const r = await ok('POST', '/api/civil-affairs/elders', 'officer', { idNumber: idOf(p), name: p.name, gender, birthDate: p.birthDate, address: { divisionCode: RUSHAN, line: '乳山市测试路1号' }, consent: { healthData: true, givenBy: 'elder' } });
      ids[key] = (r.json() as { id: string }).id;
      const a = await ok('POST', `/api/civil-affairs/elders/${ids[key]}/assessments`, 'officer', { answers: p.answers, adjustments: {}, assessors: ['officer-1', 'officer-3'], reason: 'first', assessedOn: '2026-02-20' });
      expect((a.json() as { level: number }).level).toBe(p.level);
    }
  }, 300_000);
  afterAll(async () => {
    await http?.close();
    await running?.stop();
    await published?.stop();
    await bus?.close();
    await database?.close();
    await testDb?.drop();
  });

  it('records register facts with evidence and validity, refusing bad input by field and other roles', async () => {
    const fact = (who: Who, body: object, as: As = 'officer') => call('POST', `/api/civil-affairs/elders/${ids[who]}/facts`, as, body);
    expect((await fact('severe', { fact: 'dispersed-living', evidence: '村委会证明', validFrom: '2025-01-01' }, 'planner')).statusCode).toBe(403);
    const bad = await fact('severe', { fact: 'rich', evidence: 'x', validFrom: '2025-01-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('fact');
    const backwards = await fact('severe', { fact: 'living-alone', evidence: '走访核实', validFrom: '2025-01-01', validUntil: '2024-01-01' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('validUntil');
    expect((await fact('severe', { fact: 'living-alone', evidence: '走访核实' , validFrom: '2025-01-01' }, 'elsewhere')).statusCode).toBe(403);

    await ok('POST', `/api/civil-affairs/elders/${ids.severe}/hardships`, 'officer', { status: 'extreme-poverty', validFrom: '2025-01-01' });
    await ok('POST', `/api/civil-affairs/elders/${ids.moderate}/hardships`, 'officer', { status: 'low-income', validFrom: '2025-01-01' });
    await ok('POST', `/api/civil-affairs/elders/${ids.notEntitled}/hardships`, 'officer', { status: 'extreme-poverty', validFrom: '2025-01-01' });
    const facts: [Who, string, string][] = [
      ['severe', 'dispersed-living', '户籍及居住证明：居家分散供养'],
      ['severe', 'living-alone', '村委会证明：独居'],
      ['moderate', 'dispersed-living', '居住证明'],
      ['moderate', 'empty-nest', '子女均在外地'],
      ['merit', 'model-worker', '威海市劳动模范证书'],
      ['notEntitled', 'dispersed-living', '居住证明'],
    ];
    for (const [who, f, evidence] of facts) await ok('POST', `/api/civil-affairs/elders/${ids[who]}/facts`, 'officer', { fact: f, evidence, validFrom: '2025-01-01' });
    const seen = (await ok('GET', `/api/civil-affairs/elders/${ids.severe}/facts`, 'officer')).json() as { fact: string; evidence?: string }[];
    expect(seen.map((f) => [f.fact, f.evidence])).toEqual([['dispersed-living', '户籍及居住证明：居家分散供养'], ['living-alone', '村委会证明：独居']]);
    // Evidence is personal data: sealed at rest, not shown to a masked view, every record audited.
    const stored = await database.rows<{ e: string }>(database.db, sql`select evidence_sealed as e from civil_affairs.elder_facts`);
    expect(stored.every((r) => !r.e.includes('证明'))).toBe(true);
    const audited = await database.rows<{ n: number }>(database.db, sql`select count(*)::int as n from civil_affairs.audit_log where action = 'record-fact' and outcome = 'allowed'`);
    expect(audited[0]!.n).toBe(6);
  });

  it('counts the visits of home-care bed providers from their topic, each once', async () => {
    await deliver([
      visit('severe', '2026-03-02T01:00:00Z', [['bathing', 600], ['cleaning', 900]]),
      visit('severe', '2026-03-10T01:00:00Z', [['bathing', 600], ['meal', 1440]]),
      visit('severe', '2026-03-20T01:00:00Z', [['meal', 60]]), // 60 h in all
      visit('moderate', '2026-03-05T01:00:00Z', [['cleaning', 1200], ['meal', 600]]), // 30 of 45 h
      visit('merit', '2026-03-06T01:00:00Z', [['meal', 600]]), // 10 of 30 h
      visit('notEntitled', '2026-03-07T01:00:00Z', [['meal', 300]]),
      visit('not-in-this-registry', '2026-03-07T01:00:00Z', [['meal', 300]]),
      visit('moderate', '2026-03-31T16:30:00Z', [['meal', 60]]), // 00:30 on 1 April, China time: April's
    ]);
    expect(await visitsKept()).toBe(8);
  }, 300_000);

  it('issues the month: 60 h × 20 元 = 1,200 元, 30 of 45 h = 600 元, 10 of 30 h = 200 元, no line when not entitled', async () => {
    now = new Date('2026-03-20T02:00:00Z');
    expect((await call('POST', '/api/civil-affairs/home-care/statements', 'officer', { institutionId: PROVIDER, month: '2026-03' })).statusCode).toBe(409); // the month has not ended
    now = new Date('2026-04-03T02:00:00Z');
    expect((await call('POST', '/api/civil-affairs/home-care/statements', 'planner', { institutionId: PROVIDER, month: '2026-03' })).statusCode).toBe(403);
    expect((await call('POST', '/api/civil-affairs/home-care/statements', 'elsewhere', { institutionId: PROVIDER, month: '2026-03' })).statusCode).toBe(403);
    const bad = await call('POST', '/api/civil-affairs/home-care/statements', 'officer', { institutionId: PROVIDER, month: '2026-13' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('month');
    const r = await ok('POST', '/api/civil-affairs/home-care/statements', 'officer', { institutionId: PROVIDER, month: '2026-03' });
    const s = r.json() as { id: string; rulesVersion: string; rateFen: number; correctionOf: string | null; lines: { elderRef: string; entitledMinutes: number; deliveredMinutes: number; amountFen: number; items: { code: string; amountFen: number }[] }[] };
    expect(s).toMatchObject({ rulesVersion: 'rushan-2022.1', rateFen: 2000, correctionOf: null });
    expect(s.lines.map((l) => [l.elderRef, l.entitledMinutes / 60, l.deliveredMinutes / 60, l.amountFen / 100])).toEqual(
      [
        [ids.severe, 60, 60, 1200],
        [ids.moderate, 45, 30, 600],
        [ids.merit, 30, 10, 200],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    await outboxSent(database, tables);
    await waitFor(async () => (published.of('HomeCareStatementIssued').length === 1 ? true : undefined), { what: 'the statement announced', timeoutMs: 120_000 });
    const issued = published.of('HomeCareStatementIssued')[0]!;
    expect(issued.data).toMatchObject({ statementId: s.id, institutionId: PROVIDER, month: '2026-03', rateFen: 2000 });
    expect((issued.data as { lines: { amountFen: number }[] }).lines.reduce((n, l) => n + l.amountFen, 0)).toBe(200000);
    // Closed once issued: the table refuses a change.
    await expect(database.db.execute(sql`update civil_affairs.care_statements set rate_fen = 1 where id = ${s.id}`)).rejects.toThrow();
    // Nothing new: no correction.
    expect((await call('POST', '/api/civil-affairs/home-care/statements', 'officer', { institutionId: PROVIDER, month: '2026-03' })).statusCode).toBe(409);
    // A provider with no entitled elder has nothing to state.
    expect((await call('POST', '/api/civil-affairs/home-care/statements', 'officer', { institutionId: OTHER_PROVIDER, month: '2026-03' })).statusCode).toBe(409);
  });

  it('exports the statement to Excel with the same figures, elders by name', async () => {
    const { statements } = (await ok('GET', '/api/civil-affairs/home-care/months/2026-03', 'officer')).json() as { statements: { id: string }[] };
    const r = await ok('GET', `/api/civil-affairs/home-care/statements/${statements[0]!.id}/xlsx?provider=${encodeURIComponent('乳山市幸福居家养老服务中心')}`, 'officer');
    expect(r.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('结算单')!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows).toContainEqual(['服务机构', '乳山市幸福居家养老服务中心']);
    expect(rows).toContainEqual(['单价（元/小时）', 20]);
    const header = rows.find((row) => row[0] === '老人')!;
    expect(header).toEqual(['老人', '区县', '应享时长（小时）', '实际服务时长（小时）', '结算时长（小时）', '金额（元）', 'bathing（小时）', 'cleaning（小时）', 'meal（小时）']);
    const byName = (name: string) => rows.find((row) => row[0] === name);
    expect(byName('时长测试甲')).toEqual(['时长测试甲', '威海市乳山市', 60, 60, 60, 1200, 20, 15, 25]);
    expect(byName('时长测试乙')).toEqual(['时长测试乙', '威海市乳山市', 45, 30, 30, 600, undefined, 20, 10].map((v) => v ?? 0));
    expect(byName('时长测试丙')).toEqual(['时长测试丙', '威海市乳山市', 30, 10, 10, 200, 0, 0, 10]);
    expect(byName('时长测试丁')).toBeUndefined();
    expect(byName('合计')).toEqual(['合计', '', 135, 100, 100, 2000, 20, 35, 45]);
    const items: unknown[][] = [];
    book.getWorksheet('服务项目明细')!.eachRow((row) => items.push((row.values as unknown[]).slice(1)));
    expect(items.filter((row) => row[0] === '时长测试甲').map((row) => [row[2], row[3], row[5]])).toEqual([['bathing', 20, 400], ['cleaning', 15, 300], ['meal', 25, 500]]);
    // Each elder named in it is an audited read.
    const reads = await database.rows<{ n: number }>(database.db, sql`select count(*)::int as n from civil_affairs.audit_log where action = 'read-name' and actor = 'officer-1'`);
    expect(reads[0]!.n).toBeGreaterThanOrEqual(3);
  });

  it('a late visit makes a correction whose lines are the differences', async () => {
    await deliver([visit('moderate', '2026-03-25T01:00:00Z', [['meal', 300]])], false);
    const r = await ok('POST', '/api/civil-affairs/home-care/statements', 'officer', { institutionId: PROVIDER, month: '2026-03' });
    const c = r.json() as { correctionOf: string; lines: { elderRef: string; entitledMinutes: number; deliveredMinutes: number; amountFen: number }[] };
    const { statements } = (await ok('GET', '/api/civil-affairs/home-care/months/2026-03', 'officer')).json() as { statements: { id: string; correctionOf: string | null }[] };
    expect(c.correctionOf).toBe(statements.find((s) => s.correctionOf === null)!.id);
    expect(c.lines.map((l) => [l.elderRef, l.entitledMinutes, l.deliveredMinutes, l.amountFen])).toEqual([[ids.moderate, 0, 300, 10000]]);
    await outboxSent(database, tables);
    await waitFor(async () => (published.of('HomeCareStatementIssued').length === 2 ? true : undefined), { what: 'the correction announced', timeoutMs: 120_000 });
    expect(published.of('HomeCareStatementIssued')[1]!.data).toMatchObject({ correctionOf: c.correctionOf });
  }, 300_000);

  it('a rate raised from April changes April and later only', async () => {
    await deliver([visit('severe', '2026-04-02T01:00:00Z', [['meal', 1440]]), visit('severe', '2026-04-03T01:00:00Z', [['meal', 1440]]), visit('severe', '2026-04-04T01:00:00Z', [['meal', 720]])], false);
    now = new Date('2026-05-02T02:00:00Z');
    const april = (await ok('POST', '/api/civil-affairs/home-care/statements', 'admin', { institutionId: PROVIDER, month: '2026-04' })).json() as { rulesVersion: string; rateFen: number; lines: { elderRef: string; amountFen: number }[] };
    expect(april).toMatchObject({ rulesVersion: 'rushan-2026.4', rateFen: 2500 });
    // 60 h × 25 元 for the severe elder; the moderate elder's one hour just after midnight of 1 April counts in April.
    expect(april.lines.map((l) => [l.elderRef, l.amountFen / 100])).toEqual([[ids.severe, 1500], [ids.moderate, 25]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    const march = (await ok('GET', '/api/civil-affairs/home-care/months/2026-03', 'officer')).json() as { statements: { rateFen: number }[] };
    expect(march.statements.map((s) => s.rateFen)).toEqual([2000, 2000]);
  }, 300_000);

  it('schedules a monthly 探访 for each elder on the special-hardship register, once, listed until visited', async () => {
    now = new Date('2026-05-02T02:00:00Z');
    const first = (await ok('POST', '/api/civil-affairs/tanfang/schedule', 'officer', {}, 200)).json() as { scheduled: number };
    expect(first.scheduled).toBe(2); // the 独居 and the 空巢 elder
    expect(((await ok('POST', '/api/civil-affairs/tanfang/schedule', 'officer', {}, 200)).json() as { scheduled: number }).scheduled).toBe(0);
    const due = (await ok('GET', '/api/civil-affairs/tanfang?due=true', 'officer')).json() as { tanfangId: string; elderRef: string; name: string; categories: string[]; channel: string; month: string }[];
    expect(due.map((t) => [t.name, t.categories, t.channel, t.month]).sort()).toEqual([
      ['时长测试乙', ['empty-nest'], 'phone', '2026-05'],
      ['时长测试甲', ['living-alone'], 'home', '2026-05'],
    ].sort());
    // Another division's officer sees none of them and may not record them.
    expect((await ok('GET', '/api/civil-affairs/tanfang?due=true', 'elsewhere')).json()).toEqual([]);
    const severe = due.find((t) => t.elderRef === ids.severe)!;
    expect((await call('POST', `/api/civil-affairs/tanfang/${severe.tanfangId}/visit`, 'elsewhere', { channel: 'phone', checkedInAt: '2026-05-02T01:00:00Z', checkedOutAt: '2026-05-02T01:10:00Z' })).statusCode).toBe(403);

    await ok('POST', `/api/civil-affairs/tanfang/${severe.tanfangId}/assign`, 'officer', undefined, 204);
    const bad = await call('POST', `/api/civil-affairs/tanfang/${severe.tanfangId}/visit`, 'officer', { channel: 'phone', checkedInAt: '2026-05-02T01:10:00Z', checkedOutAt: '2026-05-02T01:00:00Z' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('checkedOutAt');
    const made = (await ok('POST', `/api/civil-affairs/tanfang/${severe.tanfangId}/visit`, 'officer', { channel: 'phone', checkedInAt: '2026-05-02T01:00:00Z', checkedOutAt: '2026-05-02T01:12:00Z', confirmation: 'none' })).json() as { visitId: string };
    expect((await call('POST', `/api/civil-affairs/tanfang/${severe.tanfangId}/visit`, 'officer', { channel: 'home', checkedInAt: '2026-05-02T01:00:00Z', checkedOutAt: '2026-05-02T01:12:00Z' })).statusCode).toBe(409);

    const stillDue = (await ok('GET', '/api/civil-affairs/tanfang?due=true', 'officer')).json() as { elderRef: string }[];
    expect(stillDue.map((t) => t.elderRef)).toEqual([ids.moderate]);
    const all = (await ok('GET', '/api/civil-affairs/tanfang', 'officer')).json() as { elderRef: string; visitId: string | null; assignedName: string | null }[];
    expect(all.map((t) => [t.elderRef, t.visitId, t.assignedName])).toEqual([[ids.moderate, null, null], [ids.severe, made.visitId, '王科员']]);

    // The same visit record: kept with the providers' visits, announced as HomeVisitCompleted with its 探访.
    const kept = await database.rows<{ purpose: string; channel: string; minutes: number }>(database.db, sql`select purpose, channel, minutes from civil_affairs.home_visits where visit_id = ${made.visitId}`);
    expect(kept).toEqual([{ purpose: 'tanfang', channel: 'phone', minutes: 12 }]);
    await outboxSent(database, tables);
    await waitFor(async () => (published.of('HomeVisitCompleted').length === 1 && published.of('TanfangScheduled').length >= 4 ? true : undefined), { what: 'the 探访 announced', timeoutMs: 120_000 });
    expect(published.of('HomeVisitCompleted')[0]!.data).toMatchObject({ tanfangId: severe.tanfangId, purpose: 'tanfang', channel: 'phone', elderRef: ids.severe });
  }, 300_000);
});
