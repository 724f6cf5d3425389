import { openDatabase, type Database } from '@fbl/db';
import { InProcessBus } from '@fbl/messaging';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@fbl/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_KEYS } from '../src/index.js';
import { eventsOf, generateHistory, type History } from './support/history.js';
import { ADMIN, quietLogger, recordsOf, startMonitoring } from './support/harness.js';
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
  ];
}

const query = (f: Filter, asOf: number) =>
  new URLSearchParams({ from: f.from, to: f.to, groupBy: f.groupBy, asOf: new Date(asOf).toISOString(), ...(f.division ? { division: f.division } : {}), ...(f.bedType ? { bedType: f.bedType } : {}), ...(f.provider ? { provider: f.provider } : {}) }).toString();

const comparable = (rows: Row[]) => rows.map((r) => ({ key: r.key, ...(r.sub !== undefined ? { sub: r.sub } : {}), values: r.values }));

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

    for (const metric of METRIC_KEYS) {
      it(`${metric}: every filter and grouping matches the oracle`, async () => {
        let nonEmpty = 0;
        for (const filter of filtersFor(history)) {
          const response = await monitoring.get(`/api/monitoring/metrics/${metric}?${query(filter, history.asOf)}`, ADMIN);
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
