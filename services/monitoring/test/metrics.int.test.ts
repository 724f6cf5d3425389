import { openDatabase, type Database } from '@fbl/db';
import { InProcessBus } from '@fbl/messaging';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@fbl/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_KEYS, VISIT_METRIC_KEYS } from '../src/index.js';
import { eventsOf, generateHistory, type History } from './support/history.js';
import { ADMIN, comparable, metricPath, quietLogger, recordsOf, startMonitoring } from './support/harness.js';
import { expected, type Filter, type Row } from './support/oracle.js';

const SEED = Number(process.env['MONITORING_TEST_SEED'] ?? 20261122);

/** Filters of every kind: period, grouping, division (city and county), bed type, provider. */
function filtersFor(history: History): Filter[] {
  const care = history.institutions.find((i) => i.bedType === 'care')!;
  const homeCare = history.institutions.find((i) => i.bedType === 'home-care')!;
  return [
    { from: '2026-08-01', to: '2026-12-31', groupBy: 'total' },
    { from: '2026-09-01', to: '2026-11-30', groupBy: 'month' },
    { from: '2026-08-01', to: '2026-12-31', groupBy: 'county', division: '371700' },
    { from: '2026-10-01', to: '2026-10-31', groupBy: 'week', bedType: 'care' },
    { from: '2026-08-01', to: '2026-12-31', groupBy: 'provider' },
    { from: '2026-09-15', to: '2026-10-15', groupBy: 'day', division: '371702' },
    { from: '2026-08-01', to: '2026-12-31', groupBy: 'city' },
    { from: '2026-08-01', to: '2026-12-31', groupBy: 'bedType', provider: care.id },
    { from: '2026-11-02', to: '2026-12-12', groupBy: 'week', provider: homeCare.id, division: '370000' },
    // Part months at both ends around whole ones: bed-days from days and months together.
    { from: '2026-08-15', to: '2026-12-10', groupBy: 'total' },
    { from: '2026-08-15', to: '2026-12-10', groupBy: 'month', bedType: 'care' },
    // Thirty days without a whole month: whole weeks and the days around them; by month, no week across its end.
    { from: '2026-11-18', to: '2026-12-17', groupBy: 'county' },
    { from: '2026-10-19', to: '2026-11-22', groupBy: 'month', division: '370000' },
  ];
}


const drivers: { name: string; open: () => Promise<{ database: Database; drop: () => Promise<void> }> }[] = [
  {
    name: 'PostgreSQL',
    open: async () => {
      const testDb: TestDatabase = await createTestDatabase('monitoring');
      const database = await openDatabase({ url: testDb.url });
      return { database, drop: () => testDb.drop() };
    },
  },
  { name: 'PGlite', open: async () => ({ database: await openDatabase({ dataDir: 'memory' }), drop: async () => {} }) },
];

for (const driver of drivers) {
  const suite = driver.name === 'PostgreSQL' ? describeWithPostgres : describe;
  suite(`monitoring on ${driver.name}: every metric equals an independent computation over a generated history`, () => {
    const history = generateHistory(SEED, driver.name === 'PostgreSQL' ? 400 : 150);
    const events = eventsOf(history);
    let opened: Awaited<ReturnType<(typeof drivers)[number]['open']>>;
    let monitoring: Awaited<ReturnType<typeof startMonitoring>>;
    const clock = () => new Date(history.asOf);

    beforeAll(async () => {
      opened = await driver.open();
      const bus = new InProcessBus(quietLogger());
      monitoring = await startMonitoring(opened.database, bus, clock);
      const records = recordsOf(events);
      for (let i = 0; i < records.length; i += 500) await bus.publish(records.slice(i, i + 500));
    }, 120_000);
    afterAll(async () => {
      await monitoring?.stop();
      await opened?.database.close();
      await opened?.drop();
    });

    it('counts each event once, however often it was delivered', async () => {
      const [row] = await opened.database.rows<{ n: number | string }>(opened.database.db, sql`select count(*) as n from monitoring.inbox where consumer = 'monitoring'`);
      expect(Number(row!.n)).toBe(events.length);
      expect(history.journeys.length).toBeGreaterThan(100);
    });

    it('keeps the bed-time of each week and month equal to that of its days', async () => {
      const regrouped = (table: string, period: string) =>
        opened.database.rows<Record<string, string>>(
          opened.database.db,
          sql.raw(`select x.*::text as cell from (
             select ${period} as at, institution_id, bed_type, sum(total_ms) as total, sum(open_ms) as open, sum(occupied_ms) as occupied, sum(nursing_ms) as nursing, sum(dementia_ms) as dementia
               from monitoring.${table} group by 1, 2, 3 order by 1, 2, 3) x`),
        );
      const days = await regrouped('bed_days', "date_trunc('week', day)::date");
      expect(days.length).toBeGreaterThan(100);
      expect(await regrouped('bed_weeks', 'week')).toEqual(days);
      expect(await regrouped('bed_months', 'month')).toEqual(await regrouped('bed_days', "date_trunc('month', day)::date"));
    });

    // Home visits, 探访 and hours have their own history and oracle (test/visits.int.test.ts).
    for (const metric of METRIC_KEYS.filter((k) => !VISIT_METRIC_KEYS.includes(k))) {
      it(`${metric}: every filter and grouping matches the oracle`, async () => {
        let nonEmpty = 0;
        for (const filter of filtersFor(history)) {
          const response = await monitoring.get(metricPath(metric, filter, history.asOf), ADMIN);
          expect(response.statusCode, response.body).toBe(200);
          const body = response.json() as { rows: Row[] };
          const want = expected(history, metric, filter);
          expect(comparable(body.rows), `${metric} ${JSON.stringify(filter)}`).toEqual(want);
          if (want.length > 0) nonEmpty++;
        }
        // The history is rich enough that most filters have figures for every metric.
        expect(nonEmpty).toBeGreaterThanOrEqual(5);
      });
    }
  });
}

describe('monitoring API: roles, scopes, bad input, CSV, drill-down and gauges (PGlite)', () => {
  const history = generateHistory(99, 120);
  let database: Database;
  let monitoring: Awaited<ReturnType<typeof startMonitoring>>;
  const clock = () => new Date(history.asOf);
  const analyst = { userId: 'analyst-heze', role: 'analyst', divisionCode: '371700' } as const;
  const period = 'from=2026-08-01&to=2026-12-31';

  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory' });
    const bus = new InProcessBus(quietLogger());
    monitoring = await startMonitoring(database, bus, clock);
    await bus.publish(recordsOf(eventsOf(history), 1_000_000));
  }, 120_000);
  afterAll(async () => {
    await monitoring?.stop();
    await database?.close();
  });

  it('answers no one signed in with 401, and every role but analyst and admin with 403, without figures', async () => {
    expect((await monitoring.get(`/api/monitoring/dashboard?${period}`, null)).statusCode).toBe(401);
    for (const role of ['planner', 'provider', 'assessor', 'insurer'] as const) {
      const r = await monitoring.get(`/api/monitoring/metrics/closed-loop?${period}`, { userId: `${role}-1`, role, divisionCode: '371700', institutionId: history.institutions[0]!.id });
      expect(r.statusCode, role).toBe(403);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r.body).not.toMatch(/started|rows/);
    }
  });

  it("keeps an analyst to their division: their own by default, a county inside it allowed, another city refused", async () => {
    const own = await monitoring.get(`/api/monitoring/metrics/closed-loop?${period}&groupBy=county`, analyst);
    expect(own.statusCode).toBe(200);
    const expectedHeze = expected(history, 'closed-loop', { from: '2026-08-01', to: '2026-12-31', groupBy: 'county', division: '371700' });
    expect(comparable((own.json() as { rows: Row[] }).rows)).toEqual(expectedHeze);
    expect(expectedHeze.length).toBeGreaterThan(1);
    expect((own.json() as { rows: Row[] }).rows.map((r) => r.key).every((k) => k.startsWith('3717'))).toBe(true);
    expect((await monitoring.get(`/api/monitoring/metrics/closed-loop?${period}&division=371702`, analyst)).statusCode).toBe(200);
    const other = await monitoring.get(`/api/monitoring/metrics/closed-loop?${period}&division=370800`, analyst);
    expect(other.statusCode).toBe(403);
    expect(other.body).not.toMatch(/rows|started/);
    const province = await monitoring.get(`/api/monitoring/dashboard?${period}&division=370000`, analyst);
    expect(province.statusCode).toBe(403);
  });

  it('names the field and the reason of bad input, as problem+json', async () => {
    const backwards = await monitoring.get('/api/monitoring/metrics/closed-loop?from=2026-10-01&to=2026-09-01', ADMIN);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(backwards.json()).toMatchObject({ status: 400, errors: [{ field: 'from', in: 'query' }] });
    const unknownMetric = await monitoring.get(`/api/monitoring/metrics/happiness?${period}`, ADMIN);
    expect(unknownMetric.statusCode).toBe(400);
    expect(JSON.stringify(unknownMetric.json())).toContain('metric');
    const badGroup = await monitoring.get(`/api/monitoring/metrics/closed-loop?${period}&groupBy=year`, ADMIN);
    expect(badGroup.statusCode).toBe(400);
    expect(JSON.stringify(badGroup.json())).toContain('groupBy');
    const badDivision = await monitoring.get(`/api/monitoring/metrics/closed-loop?${period}&division=37`, ADMIN);
    expect(badDivision.statusCode).toBe(400);
    expect(JSON.stringify(badDivision.json())).toContain('division');
  });

  it('exports CSV in UTF-8 with a byte-order mark, Chinese headings and names, shares as percentages, one line per row', async () => {
    const r = await monitoring.get(`/api/monitoring/metrics/acceptance-rate/csv?${period}&groupBy=provider`, ADMIN);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toContain('acceptance-rate_2026-08-01_2026-12-31.csv');
    const bytes = r.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('机构,接收,拒收,超时未响应,待响应,接收率');
    const want = expected(history, 'acceptance-rate', { from: '2026-08-01', to: '2026-12-31', groupBy: 'provider' });
    expect(lines).toHaveLength(want.length + 1);
    const first = history.institutions.find((i) => i.id === want[0]!.key)!;
    const rate = want[0]!.values['rate'];
    expect(lines[1]).toBe([first.name, want[0]!.values['accepted'], want[0]!.values['declined'], want[0]!.values['expired'], want[0]!.values['open'], rate === null || rate === undefined ? '' : `${(rate * 100).toFixed(1)}%`].join(','));
  });

  it('drills into open referrals by stage with where and since, and no elder reference or identity', async () => {
    const r = await monitoring.get(`/api/monitoring/open-referrals?${period}&stage=escalated`, ADMIN);
    expect(r.statusCode).toBe(200);
    const items = (r.json() as { items: { referralId: string; stage: string; originInstitutionName: string }[] }).items;
    const want = expected(history, 'open-by-stage', { from: '2026-08-01', to: '2026-12-31', groupBy: 'total' }).find((x) => x.sub === 'escalated')!;
    expect(items).toHaveLength(want.values['open']!);
    expect(r.headers['x-total-count']).toBe(String(want.values['open']));
    expect(items.every((i) => i.stage === 'escalated' && i.originInstitutionName.length > 0)).toBe(true);
    const elderRefs = new Set(history.journeys.map((j) => j.elderRef));
    expect([...elderRefs].some((ref) => r.body.includes(ref))).toBe(false);
    expect(r.body).not.toMatch(/elderRef|elder_ref/);
  });

  it('shows the headline figures as Prometheus gauges', async () => {
    const text = await monitoring.metrics.registry.metrics();
    const now = new Date(history.asOf);
    const from = new Date(now.getTime() - 29 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
    const to = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const loop = expected(history, 'closed-loop', { from, to, groupBy: 'total' })[0]!;
    expect(text).toContain(`fbl_monitoring_referrals_started ${loop.values['started']}`);
    expect(text).toContain(`fbl_monitoring_closed_loop_rate ${loop.values['rate']}`);
    const stages = expected(history, 'open-by-stage', { from, to, groupBy: 'total' });
    for (const s of stages) expect(text).toContain(`fbl_monitoring_open_referrals{stage="${s.sub}"} ${s.values['open']}`);
    const now2 = expected(history, 'capacity-now', { from, to, groupBy: 'total' })[0]!;
    expect(text).toContain(`fbl_monitoring_nursing_bed_share ${now2.values['nursingShare']}`);
  });
});
