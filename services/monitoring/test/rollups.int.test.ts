import { openDatabase, type Database } from '@fbl/db';
import { InProcessBus, toRecord } from '@fbl/messaging';
import { REFERRAL, eventsTopic } from '@fbl/contracts';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@fbl/testing';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricStatement, type MetricQuery } from '../src/adapters/db/metrics-queries.js';
import { PERCENTILE_ROLLUPS, ROLLUPS } from '../src/adapters/db/rollups.js';
import { metricOf, type MetricKey } from '../src/domain/definitions.js';
import { GROUPINGS } from '../src/domain/periods.js';
import { eventsOf, generateHistory, type History } from './support/history.js';
import { quietLogger, startMonitoring } from './support/harness.js';
import { generateVisitHistory, visitEventsOf, type VisitHistory } from './support/visits-history.js';

const SEED = Number(process.env['MONITORING_TEST_SEED'] ?? 20261206);
const ROLLED_UP = [...Object.keys(ROLLUPS), ...Object.keys(PERCENTILE_ROLLUPS)] as MetricKey[];
const TABLES = ['referral_months', 'arrival_months', 'offer_months', 'offer_place_months', 'flow_months', 'flow_place_months', 'breach_months', 'breach_place_months', 'visit_months', 'durations', 'duration_months'];
/** The count each roll-up's cells hold. */
const COUNT: Record<string, string> = { referral_months: 'started', arrival_months: 'arrived', flow_months: 'arrived', flow_place_months: 'arrived', breach_months: 'breaches', breach_place_months: 'breaches', visit_months: 'planned', duration_months: 'n' };

/** A small deterministic generator, so a failing filter can be found again from the seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/** Random filters over the history's months: periods of whole months, parts of months and both, every grouping and filter. */
function randomQueries(history: History, visits: VisitHistory, n: number, seed: number): Omit<MetricQuery, 'metric'>[] {
  const rand = prng(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const counties = [...new Set(history.institutions.map((i) => i.county))];
  const divisions = [undefined, undefined, '370000', ...counties, ...counties.map((c) => `${c.slice(0, 4)}00`)];
  const first = Date.parse('2026-07-01T00:00:00+08:00');
  const last = Date.parse('2026-12-31T00:00:00+08:00');
  const queries: Omit<MetricQuery, 'metric'>[] = [];
  for (let i = 0; i < n; i++) {
    let from = day(first + Math.floor(rand() * ((last - first) / 86_400_000)) * 86_400_000);
    let to = day(Date.parse(`${from}T00:00:00+08:00`) + Math.floor(rand() * 150) * 86_400_000);
    // Half the periods start or end on a month's edge, so whole months come from the roll-ups.
    if (rand() < 0.5) from = `${from.slice(0, 7)}-01`;
    if (rand() < 0.5) to = day(Date.parse(`${to.slice(0, 7)}-01T00:00:00+08:00`) + 32 * 86_400_000).slice(0, 7) + '-01';
    if (rand() < 0.5 && to.endsWith('-01')) to = day(Date.parse(`${to}T00:00:00+08:00`) - 86_400_000);
    if (to < from) to = from;
    const provider = rand() < 0.25 ? (rand() < 0.7 ? pick(history.institutions).id : pick(visits.providers).id) : undefined;
    const division = pick(divisions);
    const bedType = rand() < 0.3 ? pick(['care', 'home-care', 'home-sick', 'hospice', 'medical']) : undefined;
    queries.push({ from, to, groupBy: pick(GROUPINGS), asOf: new Date(history.asOf), ...(division ? { division } : {}), ...(bedType ? { bedType } : {}), ...(provider ? { provider } : {}) });
  }
  return queries;
}

type Answer = { key: string; sub: string; values: Record<string, number | null> }[];

async function answer(database: Database, query: MetricQuery, rollups: boolean): Promise<Answer> {
  const definition = metricOf(query.metric);
  const rows = await database.rows<Record<string, unknown>>(database.db, metricStatement(definition, query, { rollups }));
  return rows.map((r) => ({
    key: String(r['key']),
    sub: String(r['sub']),
    values: Object.fromEntries(definition.columns.map((c) => [c.name, r[c.name] === null || r[c.name] === undefined ? null : Number(r[c.name])])),
  }));
}

/** A roll-up table's cells that hold rows (a trigger may leave cells at zero), as text, in order. */
async function cells(database: Database, table: string): Promise<string[]> {
  // Every row of durations is one; a cell holds rows while its count is not zero.
  const holds = table === 'durations' ? 'true' : `${COUNT[table] ?? 'offers'} <> 0`;
  const rows = await database.rows<{ cell: string }>(database.db, sql.raw(`select to_jsonb(m)::text as cell from monitoring.${table} m where ${holds}`));
  return rows.map((r) => r.cell).sort();
}

/** Whether a statement reads a roll-up table. */
const readsRollup = (query: MetricQuery) => /monitoring\.(referral|arrival|offer|offer_place|flow|flow_place|breach|breach_place|visit|duration)_months/.test(new PgDialect().sqlToQuery(metricStatement(metricOf(query.metric), query)).sql);

const drivers: { name: string; open: () => Promise<{ database: Database; drop: () => Promise<void> }> }[] = [
  {
    name: 'PostgreSQL',
    open: async () => {
      const testDb: TestDatabase = await createTestDatabase('monitoring_rollups');
      const database = await openDatabase({ url: testDb.url });
      return { database, drop: () => testDb.drop() };
    },
  },
  { name: 'PGlite', open: async () => ({ database: await openDatabase({ dataDir: 'memory' }), drop: async () => {} }) },
];

for (const driver of drivers) {
  const suite = driver.name === 'PostgreSQL' ? describeWithPostgres : describe;
  suite(`monitoring roll-ups on ${driver.name}: the same figures as the rows, kept by every write`, () => {
    const history = generateHistory(SEED, driver.name === 'PostgreSQL' ? 300 : 120);
    const visits = generateVisitHistory(SEED, driver.name === 'PostgreSQL' ? 120 : 50);
    let opened: Awaited<ReturnType<(typeof drivers)[number]['open']>>;
    let monitoring: Awaited<ReturnType<typeof startMonitoring>>;
    // The provider moved to another county afterwards: one with arrivals and expired offers, so both move with it.
    const arrivalsAt = (id: string) => history.journeys.filter((j) => j.admission?.institution.id === id).length;
    const expiriesAt = (id: string) => history.journeys.flatMap((j) => j.offers).filter((o) => o.institution.id === id && o.answer?.kind === 'expired').length;
    const moved = history.institutions
      .filter((i) => i.bedType === 'care' && i.county !== '370102')
      .sort((a, b) => Math.min(arrivalsAt(b.id), expiriesAt(b.id)) - Math.min(arrivalsAt(a.id), expiriesAt(a.id)))[0]!;
    let updated: { referral_id: string }[] = [];
    let expired: { offer_id: string }[] = [];

    beforeAll(async () => {
      opened = await driver.open();
      const bus = new InProcessBus(quietLogger());
      monitoring = await startMonitoring(opened.database, bus, () => new Date(history.asOf));
      // Given the referral topic read before the bed topics: offers counted before their provider's place is known.
      const messages = eventsOf(history);
      const referralFirst = [...messages].sort((a, b) => Number(b.topic === eventsTopic(REFERRAL)) - Number(a.topic === eventsTopic(REFERRAL)) || a.envelope.time.localeCompare(b.envelope.time));
      const records = referralFirst.map((m) => toRecord(m.topic, m.key, m.envelope));
      for (let i = 0; i < records.length; i += 300) await bus.publish(records.slice(i, i + 300));
      // Home visits, shuffled: missed flags read before and after their completion move a visit between cells.
      const visitRecords = visitEventsOf(visits, SEED).map((m) => toRecord(m.topic, m.key, m.envelope));
      for (let i = 0; i < visitRecords.length; i += 300) await bus.publish(visitRecords.slice(i, i + 300));
      // A referral that arrived updated afterwards: its arrival a month later, at the provider that
      // moves, its follow-up closed late; and an open offer expiring.
      updated = await opened.database.rows(
        opened.database.db,
        sql`update monitoring.referrals set arrived_at = arrived_at + interval '31 days', placed_institution_id = ${moved.id}::uuid, placed_bed_type = 'care', bed_type = 'care',
              follow_up_late = true, closed_at = arrived_at + interval '40 days'
            where referral_id = (select referral_id from monitoring.referrals where arrived_at is not null and started_at is not null and placed_institution_id <> ${moved.id}::uuid order by referral_id limit 1)
            returning referral_id`,
      );
      expired = await opened.database.rows(
        opened.database.db,
        sql`update monitoring.offers set answer = 'expired', answered_at = respond_by
            where offer_id = (select offer_id from monitoring.offers where answer is null order by offer_id limit 1) returning offer_id`,
      );
      // And a provider that moves to another county afterwards.
      await opened.database.db.execute(sql`update monitoring.institutions set county = '370102', city = '370100' where institution_id = ${moved.id} and bed_type = 'care'`);
    }, 600_000);
    afterAll(async () => {
      await monitoring?.stop();
      await opened?.database.close();
      await opened?.drop();
    });

    it("moves a provider's arrivals and breaches with its place (before any rebuild)", async () => {
      expect(updated).toHaveLength(1);
      expect(expired).toHaveLength(1);
      const [held] = await opened.database.rows<{ arrived: string | number; breaches: string | number }>(
        opened.database.db,
        sql`select (select sum(arrived) from monitoring.flow_months where institution_id = ${moved.id}) as arrived,
                   (select sum(breaches) from monitoring.breach_months where institution_id = ${moved.id}) as breaches`,
      );
      expect(Number(held!.arrived)).toBeGreaterThan(1);
      expect(Number(held!.breaches)).toBeGreaterThan(1);
      // Every arrival there counts in its new county, as the rows count it.
      const q: MetricQuery = { metric: 'flows-by-district', from: '2026-08-01', to: '2027-01-31', groupBy: 'total', asOf: new Date(history.asOf), provider: moved.id };
      const byProvider = await answer(opened.database, q, true);
      expect(byProvider.length).toBeGreaterThan(0);
      expect(byProvider.every((r) => r.sub.endsWith('→370102'))).toBe(true);
      expect(byProvider.reduce((n, r) => n + r.values['transfers']!, 0)).toBe(Number(held!.arrived));
      const breaches: MetricQuery = { metric: 'deadline-breaches', from: q.from, to: q.to, groupBy: 'provider', division: '370102', asOf: q.asOf };
      expect((await answer(opened.database, breaches, true)).some((r) => r.key === moved.id)).toBe(true);
      expect(await answer(opened.database, breaches, true)).toEqual(await answer(opened.database, breaches, false));
      // And by place, without the provider: the cells the move carried to the new county.
      for (const metric of ['flows-by-district', 'deadline-breaches'] as const) {
        const byPlace: MetricQuery = { metric, from: q.from, to: q.to, groupBy: 'county', asOf: q.asOf };
        expect(readsRollup(byPlace)).toBe(true);
        expect(await answer(opened.database, byPlace, true), metric).toEqual(await answer(opened.database, byPlace, false));
      }
    });

    it('keeps each roll-up equal to the one rebuilt from the rows', async () => {
      const kept = await Promise.all(TABLES.map((t) => cells(opened.database, t)));
      await opened.database.db.execute(sql`select monitoring.rebuild_rollups()`);
      const rebuilt = await Promise.all(TABLES.map((t) => cells(opened.database, t)));
      for (let i = 0; i < TABLES.length; i++) {
        expect(rebuilt[i]!.length, TABLES[i]).toBeGreaterThan(5);
        expect(kept[i], TABLES[i]).toEqual(rebuilt[i]);
      }
    });

    it('answers every rolled-up metric under random filters as the rows do', async () => {
      let fromRollups = 0;
      let percentilesFromRollups = 0;
      for (const query of randomQueries(history, visits, 60, SEED)) {
        for (const metric of ROLLED_UP) {
          const q = { ...query, metric };
          const rowsAnswer = await answer(opened.database, q, false);
          expect(await answer(opened.database, q, true), JSON.stringify(q)).toEqual(rowsAnswer);
          if (readsRollup(q)) fromRollups++;
          if (readsRollup(q) && metric in PERCENTILE_ROLLUPS && rowsAnswer.length > 0) percentilesFromRollups++;
        }
      }
      // Most of the random filters were answered from roll-ups, not only from rows; medians and P90s too, with figures.
      expect(fromRollups).toBeGreaterThan(60);
      expect(percentilesFromRollups).toBeGreaterThan(10);
    });

    it('finds the exact median and P90 of every grouping through the buckets, with ties, a lone duration and a group without any', async () => {
      const asOf = new Date(history.asOf);
      for (const metric of Object.keys(PERCENTILE_ROLLUPS) as MetricKey[]) {
        for (const groupBy of ['total', 'month', 'city', 'county'] as const) {
          const q: MetricQuery = { metric, from: '2026-07-01', to: '2026-12-31', groupBy, asOf };
          expect(readsRollup(q), `${metric} by ${groupBy}`).toBe(true);
          const fromRows = await answer(opened.database, q, false);
          expect(fromRows.length, `${metric} by ${groupBy}`).toBeGreaterThan(0);
          expect(await answer(opened.database, q, true), `${metric} by ${groupBy}`).toEqual(fromRows);
        }
      }
      // Many referrals answered after the same time (equal durations across a rank) and one county with a single answered referral.
      await opened.database.db.execute(sql`update monitoring.referrals set first_response_at = started_at + interval '90 minutes'
        where referral_id in (select referral_id from monitoring.referrals where first_response_at is not null and started_at >= '2026-08-01' order by referral_id limit 40)`);
      await opened.database.db.execute(sql`update monitoring.referrals set origin_county = '379999', origin_city = '379900'
        where referral_id = (select referral_id from monitoring.referrals where first_response_at is not null and started_at >= '2026-09-01' and started_at < '2026-10-01' order by referral_id limit 1)`);
      // LTCI decisions changed afterwards (refused on appeal, withdrawn): the eligibility counts move with them.
      const decided = await opened.database.rows<{ referral_id: string }>(opened.database.db, sql`update monitoring.referrals
        set ltci_decision = case when ltci_decision is null then 'refused' when ltci_decision = 'authorised' then null else 'authorised' end
        where referral_id in (select referral_id from monitoring.referrals where started_at >= '2026-08-01' order by referral_id limit 30) returning referral_id`);
      expect(decided).toHaveLength(30);
      // A county whose only referral waited for no assessment: a group of eligibility without durations.
      await opened.database.db.execute(sql`update monitoring.referrals set origin_county = '379998', origin_city = '379900'
        where referral_id = (select referral_id from monitoring.referrals where assessed_at is null and ltci_decision is null and started_at >= '2026-09-01' and started_at < '2026-10-01' order by referral_id limit 1)`);
      for (const groupBy of ['total', 'county', 'month'] as const) {
        const q: MetricQuery = { metric: 'first-response', from: '2026-08-01', to: '2026-11-15', groupBy, asOf };
        const fromRows = await answer(opened.database, q, false);
        expect(await answer(opened.database, q, true), groupBy).toEqual(fromRows);
        if (groupBy === 'county') expect(fromRows.find((r) => r.key === '379999')?.values['count']).toBe(1);
        const eligibility: MetricQuery = { ...q, metric: 'eligibility' };
        const eligibilityFromRows = await answer(opened.database, eligibility, false);
        expect(await answer(opened.database, eligibility, true), `eligibility by ${groupBy}`).toEqual(eligibilityFromRows);
        if (groupBy === 'county') expect(eligibilityFromRows.find((r) => r.key === '379998')?.values).toEqual({ assessed: 0, medianAssessmentMs: null, ltciAuthorised: 0, ltciRefused: 0 });
      }
      // The triggers kept the durations, their cells and the referral cells as a rebuild makes them.
      const kept = await Promise.all(['durations', 'duration_months', 'referral_months'].map((t) => cells(opened.database, t)));
      await opened.database.db.execute(sql`select monitoring.rebuild_rollups()`);
      expect(await Promise.all(['durations', 'duration_months', 'referral_months'].map((t) => cells(opened.database, t)))).toEqual(kept);
      // Whole months are read from the cells: a cell counted 1,000 more counts in the figure.
      const q: MetricQuery = { metric: 'placement-time', from: '2026-07-01', to: '2026-12-31', groupBy: 'total', asOf };
      const before = await answer(opened.database, q, true);
      expect(before[0]!.values['count']).toBeGreaterThan(0);
      const changed = await opened.database.rows(opened.database.db, sql`update monitoring.duration_months set n = n + 1000 where measure = 'placement'
        and (month, county, city, bucket) = (select month, county, city, bucket from monitoring.duration_months where measure = 'placement' and month >= '2026-07-01' and n > 0 order by month, county, city, bucket limit 1)
        returning n`);
      expect(changed).toHaveLength(1);
      expect((await answer(opened.database, q, true))[0]!.values['count']).toBe(before[0]!.values['count']! + 1000);
      await opened.database.db.execute(sql`select monitoring.rebuild_rollups()`);
      expect(await answer(opened.database, q, true)).toEqual(before);
    });

    it('reads whole months from the roll-ups: a changed cell changes the figure, a rebuild restores it', async () => {
      // A referral count, and an LTCI count of eligibility (whose median reads the durations).
      for (const [metric, column, cell] of [['closed-loop', 'started', 'started'], ['eligibility', 'ltciRefused', 'ltci_refused']] as const) {
        const q: MetricQuery = { metric, from: '2026-09-01', to: '2026-10-31', groupBy: 'total', asOf: new Date(history.asOf) };
        const before = await answer(opened.database, q, true);
        expect(before[0]!.values[column], metric).toBeGreaterThan(0);
        await opened.database.db.execute(sql`update monitoring.referral_months set ${sql.raw(cell)} = ${sql.raw(cell)} + 1000 where month = '2026-09-01' and started > 0 and ctid = (select min(ctid) from monitoring.referral_months where month = '2026-09-01' and started > 0)`);
        expect((await answer(opened.database, q, true))[0]!.values[column], metric).toBe(before[0]!.values[column]! + 1000);
        await opened.database.db.execute(sql`select monitoring.rebuild_rollups()`);
        expect(await answer(opened.database, q, true), metric).toEqual(before);
      }
    });
  });
}
