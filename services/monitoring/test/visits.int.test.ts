import { openDatabase, type Database } from '@fbl/db';
import { InProcessBus, toRecord } from '@fbl/messaging';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@fbl/testing';
import { prng } from '@fbl/testing/random';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VISIT_METRIC_KEYS } from '../src/index.js';
import { ADMIN, comparable, metricPath, quietLogger, startMonitoring } from './support/harness.js';
import type { Filter, Row } from './support/oracle.js';
import { generateVisitHistory, visitEventsOf, VISIT_COUNTIES, type VisitHistory } from './support/visits-history.js';
import { expectedVisits } from './support/visits-oracle.js';

const SEED = Number(process.env['MONITORING_TEST_SEED'] ?? 20261207);
const GROUPINGS: Filter['groupBy'][] = ['total', 'day', 'week', 'month', 'city', 'county', 'bedType', 'provider'];
const DIVISIONS = [undefined, '370000', '371700', '370800', '370100', ...VISIT_COUNTIES];
const BED_TYPES = [undefined, 'home-care', 'home-sick', 'care'];

/** Filters that surely have figures, then random ones: periods of whole and part months, every grouping, divisions, bed types, providers. */
function filtersFor(history: VisitHistory, seed: number, count: number): Filter[] {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const days: string[] = [];
  for (let d = Date.parse('2026-06-20T00:00:00Z'); d <= Date.parse('2026-12-15T00:00:00Z'); d += 86_400_000) days.push(new Date(d).toISOString().slice(0, 10));
  const fixed: Filter[] = [
    { from: '2026-07-01', to: '2026-11-30', groupBy: 'total' },
    { from: '2026-07-01', to: '2026-12-31', groupBy: 'month' },
    { from: '2026-07-01', to: '2026-11-30', groupBy: 'county', division: '371700' },
    { from: '2026-07-01', to: '2026-11-30', groupBy: 'city' },
    { from: '2026-07-01', to: '2026-11-30', groupBy: 'provider' },
    { from: '2026-07-01', to: '2026-11-30', groupBy: 'bedType' },
    { from: '2026-09-01', to: '2026-09-30', groupBy: 'day', division: '370000' },
    { from: '2026-08-01', to: '2026-10-31', groupBy: 'week', provider: history.providers[0]!.id },
    { from: '2026-07-01', to: '2026-11-30', groupBy: 'month', bedType: 'home-care' },
  ];
  const random: Filter[] = [];
  for (let i = 0; i < count; i++) {
    const a = pick(days);
    const b = pick(days);
    const division = pick(DIVISIONS);
    const bedType = rand() < 0.3 ? pick(BED_TYPES) : undefined;
    const provider = rand() < 0.2 ? pick(history.providers).id : undefined;
    random.push({ from: a < b ? a : b, to: a < b ? b : a, groupBy: pick(GROUPINGS), ...(division ? { division } : {}), ...(bedType ? { bedType } : {}), ...(provider ? { provider } : {}) });
  }
  return [...fixed, ...random];
}

const drivers: { name: string; elders: number; open: () => Promise<{ database: Database; drop: () => Promise<void> }> }[] = [
  {
    name: 'PostgreSQL',
    elders: 160,
    open: async () => {
      const testDb: TestDatabase = await createTestDatabase('monitoring');
      const database = await openDatabase({ url: testDb.url });
      return { database, drop: () => testDb.drop() };
    },
  },
  { name: 'PGlite', elders: 70, open: async () => ({ database: await openDatabase({ dataDir: 'memory' }), drop: async () => {} }) },
];

for (const driver of drivers) {
  const suite = driver.name === 'PostgreSQL' ? describeWithPostgres : describe;
  suite(`home visits, 探访 and government-bought hours on ${driver.name}: every figure equals an independent computation over a generated history`, () => {
    const history = generateVisitHistory(SEED, driver.elders);
    const messages = visitEventsOf(history, SEED);
    let opened: Awaited<ReturnType<(typeof drivers)[number]['open']>>;
    let monitoring: Awaited<ReturnType<typeof startMonitoring>>;
    const clock = () => new Date(history.asOf);

    beforeAll(async () => {
      opened = await driver.open();
      const bus = new InProcessBus(quietLogger());
      monitoring = await startMonitoring(opened.database, bus, clock);
      const records = messages.map((m) => toRecord(m.topic, m.key, m.envelope));
      // Every 11th record delivered again as it was (the inbox passes over it).
      const all = [...records, ...records.filter((_, i) => i % 11 === 3)];
      for (let i = 0; i < all.length; i += 500) await bus.publish(all.slice(i, i + 500));
    }, 300_000);
    afterAll(async () => {
      await monitoring?.stop();
      await opened?.database.close();
      await opened?.drop();
    });

    it('reads each message once, and counts a visit, a 探访 and a statement once however often they were sent', async () => {
      const [inbox] = await opened.database.rows<{ n: number | string }>(opened.database.db, sql`select count(*) as n from monitoring.inbox where consumer = 'monitoring'`);
      expect(Number(inbox!.n)).toBe(new Set(messages.map((m) => m.envelope.id)).size);
      const count = async (table: string) => Number((await opened.database.rows<{ n: number | string }>(opened.database.db, sql.raw(`select count(*) as n from monitoring.${table}`)))[0]!.n);
      expect(await count('visits')).toBe(history.visits.length);
      expect(await count('tanfangs')).toBe(history.tanfangs.length);
      expect(await count('statement_lines')).toBe(history.statements.reduce((n, s) => n + s.lines.length, 0));
      // The history has what the figures must cope with.
      expect(history.visits.some((v) => v.flaggedMissed && v.completed)).toBe(true);
      expect(history.visits.some((v) => v.purpose === 'tanfang' && v.completed && v.tanfangId === undefined)).toBe(true);
      expect(history.statements.some((s) => s.correctionOf)).toBe(true);
    });

    for (const metric of VISIT_METRIC_KEYS) {
      it(`${metric}: every filter and grouping, fixed and random, matches the oracle`, async () => {
        let nonEmpty = 0;
        for (const filter of filtersFor(history, SEED + metric.length, 40)) {
          const response = await monitoring.get(metricPath(metric, filter, history.asOf), ADMIN);
          expect(response.statusCode, response.body).toBe(200);
          const body = response.json() as { rows: Row[] };
          const want = expectedVisits(history, metric, filter);
          expect(comparable(body.rows), `${metric} ${JSON.stringify(filter)}`).toEqual(want);
          if (want.length > 0) nonEmpty++;
        }
        expect(nonEmpty).toBeGreaterThanOrEqual(20);
      }, 300_000);
    }

    it('names providers by the name they registered, and shows the 100 % 探访 target in the dashboard and the definitions', async () => {
      const filter: Filter = { from: '2026-07-01', to: '2026-11-30', groupBy: 'provider' };
      const rows = (((await monitoring.get(metricPath('home-visits', filter, history.asOf), ADMIN)).json()) as { rows: (Row & { keyLabel?: string })[] }).rows;
      for (const row of rows) {
        const provider = history.providers.find((p) => p.id === row.key)!;
        expect(row.keyLabel).toBe(provider.registered ? provider.name : undefined);
      }
      expect(rows.some((r) => !history.providers.find((p) => p.id === r.key)!.registered)).toBe(true);
      const board = (await monitoring.get(`/api/monitoring/dashboard?from=2026-07-01&to=2026-11-30&asOf=${new Date(history.asOf).toISOString()}`, ADMIN)).json() as { metrics: { metric: string; rows: Row[] }[] };
      for (const metric of VISIT_METRIC_KEYS) {
        expect(comparable(board.metrics.find((m) => m.metric === metric)!.rows), metric).toEqual(expectedVisits(history, metric, { from: '2026-07-01', to: '2026-11-30', groupBy: 'total' }));
      }
      const tanfang = board.metrics.find((m) => m.metric === 'tanfang-rate')!.rows[0]!;
      expect(tanfang.values['target']).toBe(1);
      expect(tanfang.values['rate']).toBeLessThan(1);
      const definitions = (await monitoring.get('/api/monitoring/definitions', ADMIN)).json() as { tanfangTarget: number; metrics: { key: string; figures: { name: string; format: string; drillable: boolean }[] }[] };
      expect(definitions.tanfangTarget).toBe(1);
      const hours = definitions.metrics.find((m) => m.key === 'home-care-hours')!;
      expect(hours.figures.map((f) => f.format)).toEqual(['hours', 'hours', 'rate']);
      expect(definitions.metrics.filter((m) => VISIT_METRIC_KEYS.includes(m.key as never)).flatMap((m) => m.figures).some((f) => f.drillable)).toBe(false);
    });

    it('shows home visits of the last 30 days as Prometheus gauges', async () => {
      const text = await monitoring.metrics.registry.metrics();
      const now = new Date(history.asOf);
      const day = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
      const want = expectedVisits(history, 'home-visits', { from: day(now.getTime() - 29 * 86_400_000), to: day(now.getTime()), groupBy: 'total' })[0]!;
      expect(want.values['planned']).toBeGreaterThan(0);
      expect(text).toContain(`fbl_monitoring_home_visits_done_rate ${want.values['rate']}`);
      expect(text).toContain(`fbl_monitoring_home_visits_missed ${want.values['missed']}`);
    });

    it('exports the figures as CSV with Chinese headings, hours with one decimal and shares as percentages', async () => {
      const r = await monitoring.get(`/api/monitoring/metrics/home-care-hours/csv?from=2026-07-01&to=2026-11-30&groupBy=county`, ADMIN);
      expect(r.statusCode).toBe(200);
      const lines = r.rawPayload.subarray(3).toString('utf8').trimEnd().split('\r\n');
      expect(lines[0]).toBe('区县,应服务时长（小时）,已服务时长（小时）,服务时长完成率');
      const want = expectedVisits(history, 'home-care-hours', { from: '2026-07-01', to: '2026-11-30', groupBy: 'county' });
      expect(lines).toHaveLength(want.length + 1);
      const first = want[0]!.values;
      expect(lines[1]!.split(',').slice(1)).toEqual([first['entitledHours']!.toFixed(1), first['deliveredHours']!.toFixed(1), `${(first['rate']! * 100).toFixed(1)}%`]);
    });
  });
}
