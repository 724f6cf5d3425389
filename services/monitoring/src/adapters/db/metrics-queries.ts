import { shandongDivisions, type DivisionTable } from '@fbl/codes';
import type { Database } from '@fbl/db';
import { sql, type SQL } from 'drizzle-orm';
import { drillableCounts, METRICS, metricOf, type MetricDefinition, type MetricKey, type SourceKey } from '../../domain/definitions.js';
import { divisionPrefix, periodBounds, weekOf, type Grouping } from '../../domain/periods.js';
import { PERCENTILE_ROLLUPS, ROLLUPS, type PercentileRollup, type Rollup } from './rollups.js';

/** What a dashboard asks of one metric. */
export interface MetricQuery {
  metric: MetricKey;
  /** First and last day of the period (China Standard Time), both included. */
  from: string;
  to: string;
  groupBy: Grouping;
  /** A province, city or county code. */
  division?: string;
  bedType?: string;
  provider?: string;
  /** The instant the figures are as of: open capacity is counted up to it, readmission windows must have passed it. */
  asOf: Date;
}

/** One row of figures: its group, its breakdown where the metric has one, and the values. */
export interface MetricRow {
  key: string;
  /** A readable name of the key (a division's or a provider's name), when there is one. */
  keyLabel?: string;
  sub?: string;
  values: Record<string, number | null>;
}

export interface MetricResult {
  metric: MetricKey;
  label: MetricDefinition['label'];
  formula: string;
  rows: MetricRow[];
}

/** The columns of a source that filters and groupings refer to. */
interface Source {
  from: (asOf: Date, period: { fromDay: string; toDay: string }, grouping: Grouping) => SQL;
  county: string;
  city: string;
  bedType: string;
  provider: string;
  /** The time column holds a China day (`date`) rather than an instant. */
  dayColumn?: boolean;
  /** Rows that exist only partly (a referral seen through a later event) and count nowhere. */
  valid?: string;
  /** The referral a row is about, where rows are referrals or offers (what a drill-down lists). */
  referral?: string;
}

const institutionJoin = (alias: string, id: string, bedType: string) =>
  `left join monitoring.institutions ${alias} on ${alias}.institution_id = ${id} and ${alias}.bed_type = ${bedType}`;

const REFERRAL_DIMS = { county: 'r.origin_county', city: 'r.origin_city', bedType: 'r.bed_type', provider: 'r.placed_institution_id', valid: 'r.started_at is not null', referral: 'r.referral_id' };

const SOURCES: Record<SourceKey, Source> = {
  referrals: { from: () => sql.raw('monitoring.referrals r'), ...REFERRAL_DIMS },
  flowsByDistrict: { from: () => sql.raw(`monitoring.referrals r ${institutionJoin('d', 'r.placed_institution_id', 'r.placed_bed_type')}`), ...REFERRAL_DIMS },
  offers: {
    from: () => sql.raw(`monitoring.offers o ${institutionJoin('i', 'o.institution_id', 'o.bed_type')}`),
    county: 'i.county',
    city: 'i.city',
    bedType: 'o.bed_type',
    provider: 'o.institution_id',
    referral: 'o.referral_id',
  },
  breaches: {
    from: () =>
      sql.raw(`(
        select 'offer-expired' as kind, o.respond_by as at, o.institution_id as provider, o.bed_type, i.county, i.city, o.referral_id
          from monitoring.offers o ${institutionJoin('i', 'o.institution_id', 'o.bed_type')} where o.answer = 'expired'
        union all
        select 'follow-up-late', r.closed_at, r.placed_institution_id, r.placed_bed_type, i.county, i.city, r.referral_id
          from monitoring.referrals r ${institutionJoin('i', 'r.placed_institution_id', 'r.placed_bed_type')}
          where r.follow_up_late and r.closed_at is not null
      ) x`),
    county: 'x.county',
    city: 'x.city',
    bedType: 'x.bed_type',
    provider: 'x.provider',
    referral: 'x.referral_id',
  },
  bedDays: {
    // Closed capacity steps are in bed_months (whole months of the period, unless grouped by day
    // or week), bed_weeks (whole weeks of the rest, unless grouped by day) and bed_days (the other
    // days); the step still open runs from its start to `asOf`.
    from: (asOf, { fromDay, toDay }, grouping) => {
      const pieces = bedPeriodPieces(fromDay, toDay, grouping);
      const columns = sql.raw('institution_id, bed_type, county, city, total_ms, open_ms, occupied_ms, nursing_ms, dementia_ms');
      const parts: SQL[] = [];
      if (pieces.months) parts.push(sql`select month as day, ${columns} from monitoring.bed_months where month >= ${pieces.months.first}::date and month <= ${pieces.months.last}::date`);
      if (pieces.weeks.length > 0) parts.push(sql`select week as day, ${columns} from monitoring.bed_weeks where ${rangesOf('week', pieces.weeks)}`);
      if (pieces.days.length > 0 || parts.length === 0) parts.push(sql`select day, ${columns} from monitoring.bed_days where ${pieces.days.length > 0 ? rangesOf('day', pieces.days) : sql`false`}`);
      return sql`(
      ${sql.join(parts, sql.raw('\n      union all\n      '))}
      union all
      select g.day, c.institution_id, c.bed_type, c.county, c.city,
             c.total * s.ms, c.open * s.ms, c.occupied * s.ms, c.nursing * s.ms, c.dementia * s.ms
        from monitoring.capacity_latest c
        cross join lateral (
          select d::date as day from generate_series(
            greatest(((c.since at time zone 'UTC') + interval '8 hours')::date, ${fromDay}::date),
            least(((${asOf.toISOString()}::timestamptz at time zone 'UTC') + interval '8 hours')::date, ${toDay}::date),
            interval '1 day') d
        ) g
        cross join lateral (
          select (extract(epoch from (
            least(((g.day + 1)::timestamp - interval '8 hours') at time zone 'UTC', ${asOf.toISOString()}::timestamptz)
            - greatest((g.day::timestamp - interval '8 hours') at time zone 'UTC', c.since))) * 1000)::bigint as ms
        ) s
        where c.since < ${asOf.toISOString()}::timestamptz and s.ms > 0
    ) b`;
    },
    county: 'b.county',
    city: 'b.city',
    bedType: 'b.bed_type',
    provider: 'b.institution_id',
    dayColumn: true,
  },
  visits: {
    from: () => sql.raw('monitoring.visits v'),
    county: 'v.county',
    city: 'v.city',
    bedType: 'v.bed_type',
    provider: 'v.institution_id',
  },
  statementLines: {
    from: () => sql.raw('monitoring.statement_lines l'),
    county: 'l.county',
    city: 'l.city',
    bedType: "'home-care'::text",
    provider: 'l.institution_id',
    dayColumn: true,
  },
  // One row per elder and month due a 探访: the county of their latest schedule, and whether a
  // completed 探访 visit answers one of their 探访 of that month, or (a visit without one) was
  // checked in that month (China Standard Time). Not of a bed or a provider.
  tanfang: {
    from: () =>
      sql.raw(`(
      select e.month, e.county, e.city, exists (
          select 1 from monitoring.visits v
           where v.purpose = 'tanfang' and v.outcome = 'completed'
             and (v.tanfang_id = any (e.tanfang_ids)
                  or (v.tanfang_id is null and v.elder_ref = e.elder_ref
                      and v.checked_in_at >= (e.month::timestamp - interval '8 hours') at time zone 'UTC'
                      and v.checked_in_at < ((e.month + interval '1 month')::timestamp - interval '8 hours') at time zone 'UTC'))
        ) as visited
        from (
          select s.month, s.elder_ref, array_agg(s.tanfang_id) as tanfang_ids,
                 (array_agg(s.county order by s.scheduled_at desc, s.tanfang_id desc))[1] as county,
                 (array_agg(s.city order by s.scheduled_at desc, s.tanfang_id desc))[1] as city
            from monitoring.tanfangs s group by s.month, s.elder_ref
        ) e
    ) t`),
    county: 't.county',
    city: 't.city',
    bedType: 'null::text',
    provider: 'null::uuid',
    dayColumn: true,
  },
  capacityNow: {
    from: () => sql.raw('monitoring.capacity_latest c'),
    county: 'c.county',
    city: 'c.city',
    bedType: 'c.bed_type',
    provider: 'c.institution_id',
  },
};

/** The first and last whole calendar months (their first days) inside a period of days, if any. */
export function wholeMonths(fromDay: string, toDay: string): { first: string; last: string } | undefined {
  const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
  const addMonths = (month: string, n: number) => {
    const d = new Date(`${month}T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() + n);
    return d.toISOString().slice(0, 10);
  };
  const first = fromDay.endsWith('-01') ? fromDay : addMonths(monthStart(fromDay), 1);
  const lastDayOfToMonth = new Date(Date.parse(`${addMonths(monthStart(toDay), 1)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const last = toDay === lastDayOfToMonth ? monthStart(toDay) : addMonths(monthStart(toDay), -1);
  return first <= last ? { first, last } : undefined;
}

/** `column` within any of the periods (days, both ends included). */
function rangesOf(column: 'day' | 'week', periods: readonly { from: string; to: string }[]): SQL {
  const within = periods.map(({ from, to }) => sql`(${sql.raw(column)} >= ${from}::date and ${sql.raw(column)} <= ${to}::date)`);
  return within.length === 1 ? within[0]! : sql`(${sql.join(within, sql.raw(' or '))})`;
}

/**
 * How a period of days is read from the bed-time tables: its whole calendar months from
 * bed_months (not when grouped by day or week), the whole ISO weeks (Monday to Sunday) of what is
 * left from bed_weeks (not when grouped by day; when grouped by month, only weeks inside one
 * month), and the remaining days from bed_days. `weeks` are periods of week starts (Mondays);
 * the pieces cover every day of the period exactly once.
 */
export function bedPeriodPieces(fromDay: string, toDay: string, grouping: Grouping): { months?: { first: string; last: string }; weeks: { from: string; to: string }[]; days: { from: string; to: string }[] } {
  const months = grouping !== 'day' && grouping !== 'week' ? wholeMonths(fromDay, toDay) : undefined;
  let rest = months ? daysAround({ from: fromDay, to: toDay }, months) : fromDay <= toDay ? [{ from: fromDay, to: toDay }] : [];
  // A week counted in the month of its Monday must lie inside that month.
  if (grouping === 'month') rest = rest.flatMap(splitAtMonths);
  const weeks: { from: string; to: string }[] = [];
  const days: { from: string; to: string }[] = [];
  for (const range of rest) {
    const firstMonday = weekOf(range.from) === range.from ? range.from : addDays(weekOf(range.from), 7);
    const lastMonday = addDays(weekOf(addDays(range.to, 1)), -7);
    if (grouping === 'day' || firstMonday > lastMonday) {
      days.push(range);
      continue;
    }
    weeks.push({ from: firstMonday, to: lastMonday });
    if (range.from < firstMonday) days.push({ from: range.from, to: addDays(firstMonday, -1) });
    if (addDays(lastMonday, 6) < range.to) days.push({ from: addDays(lastMonday, 7), to: range.to });
  }
  return { ...(months ? { months } : {}), weeks, days };
}

/** A period of days cut at the first of each month inside it. */
function splitAtMonths(range: { from: string; to: string }): { from: string; to: string }[] {
  const pieces: { from: string; to: string }[] = [];
  let from = range.from;
  while (from <= range.to) {
    const end = dayBefore(monthAfter(`${from.slice(0, 7)}-01`));
    const to = end < range.to ? end : range.to;
    pieces.push({ from, to });
    from = addDays(to, 1);
  }
  return pieces;
}

/** A day `n` days after another (before, when negative). */
function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The first day of the month after `month` (a first day). */
function monthAfter(month: string): string {
  const d = new Date(`${month}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
}

/** The day before a day. */
function dayBefore(day: string): string {
  return addDays(day, -1);
}

/** The SQL of a group key as grouped (a date for periods), and as shown. */
function groupKey(grouping: Grouping, source: Pick<Source, 'county' | 'city' | 'bedType' | 'provider' | 'dayColumn'>, time: string | null): { raw: string; shown: (k: string) => string } {
  const asIs = (raw: string) => ({ raw, shown: (k: string) => k });
  // A day column as a plain timestamp, an instant as China local time: neither follows the session's time zone.
  const local = source.dayColumn ? `${time!}::timestamp` : `((${time} at time zone 'UTC') + interval '8 hours')`;
  const period = (raw: string, format: string) => (time ? { raw, shown: (k: string) => `to_char(${k}, '${format}')` } : asIs("'total'"));
  switch (grouping) {
    case 'total':
      return asIs("'total'");
    case 'day':
      return period(`(${local})::date`, 'YYYY-MM-DD');
    case 'week':
      return period(`date_trunc('week', ${local})::date`, 'YYYY-MM-DD');
    case 'month':
      return period(`date_trunc('month', ${local})::date`, 'YYYY-MM');
    case 'city':
      return asIs(`coalesce(${source.city}, 'unknown')`);
    case 'county':
      return asIs(`coalesce(${source.county}, 'unknown')`);
    case 'bedType':
      return asIs(`coalesce(${source.bedType}, 'unknown')`);
    case 'provider':
      return asIs(`coalesce(${source.provider}::text, 'none')`);
  }
}

/** Rows of a division: a county by its code, a city by its city column, a province by prefix. */
function divisionCondition(source: { county: string; city: string }, division: string): SQL {
  const prefix = divisionPrefix(division);
  if (prefix.length === 6) return sql`${sql.raw(source.county)} = ${division}`;
  if (prefix.length === 4) return sql`${sql.raw(source.city)} = ${division}`;
  return sql`${sql.raw(source.county)} like ${prefix + '%'}`;
}

/** `:asOf` in a definition's SQL becomes the query's instant. */
function withAsOf(fragment: string, asOf: Date): SQL {
  const parts = fragment.split(':asOf');
  return sql.join(
    parts.map((p, i) => (i === 0 ? sql.raw(p) : sql`${asOf.toISOString()}::timestamptz${sql.raw(p)}`)),
    sql.raw(''),
  );
}

/** The rows of a metric's source that count under a query: valid, in the period, the metric's own, and the filter's. */
function conditionsOf(definition: MetricDefinition, query: Omit<MetricQuery, 'groupBy' | 'metric'>, periods: readonly { from: string; to: string }[] = [query]): SQL[] {
  const source = SOURCES[definition.source];
  const conditions: SQL[] = [];
  if (source.valid) conditions.push(sql.raw(source.valid));
  if (definition.time) {
    const time = sql.raw(definition.time);
    const within = periods.map(({ from, to }) => {
      if (source.dayColumn) return sql`(${time} >= ${from}::date and ${time} <= ${to}::date)`;
      const { start, end } = periodBounds(from, to);
      return sql`(${time} >= ${start.toISOString()}::timestamptz and ${time} < ${end.toISOString()}::timestamptz)`;
    });
    conditions.push(within.length === 1 ? within[0]! : sql`(${sql.join(within, sql.raw(' or '))})`);
  }
  if (definition.where) conditions.push(withAsOf(definition.where, query.asOf));
  if (query.division) conditions.push(divisionCondition(source, query.division));
  if (query.bedType) conditions.push(sql`${sql.raw(source.bedType)} = ${query.bedType}`);
  if (query.provider) conditions.push(sql`${sql.raw(source.provider)} = ${query.provider}::uuid`);
  return conditions;
}

/**
 * The statement that computes one metric for one query. Where the metric has a roll-up and the
 * period holds whole months, those months are read from the roll-up and only the days around them
 * from the rows (`rollups: false` reads every row: the same figures, as a test checks).
 */
export function metricStatement(definition: MetricDefinition, query: MetricQuery, options: { rollups?: boolean } = {}): SQL {
  if (options.rollups === false) return rowStatement(definition, query);
  const inPeriod = wholeMonths(query.from, query.to);
  const percentiles = PERCENTILE_ROLLUPS[definition.key as MetricKey];
  if (percentiles && inPeriod && percentilesServe(query)) return percentileStatement(definition, percentiles, query, inPeriod);
  const rollup = ROLLUPS[definition.key as MetricKey]?.find((r) => rollupServes(r, query));
  const whole = rollup ? settledMonths(inPeriod, rollup, query.asOf) : undefined;
  return rollup && whole ? rollupStatement(definition, rollup, query, whole) : rowStatement(definition, query);
}

/** The whole months a roll-up may answer for: those settled by `asOf`, where its rows count only once settled. */
function settledMonths(whole: { first: string; last: string } | undefined, rollup: Rollup, asOf: Date): { first: string; last: string } | undefined {
  if (!whole || rollup.settledHours === undefined) return whole;
  let last = whole.last;
  while (last >= whole.first && periodBounds(last, dayBefore(monthAfter(last))).end.getTime() + rollup.settledHours * 3_600_000 > asOf.getTime()) last = dayBefore(last).slice(0, 7) + '-01';
  return last >= whole.first ? { first: whole.first, last } : undefined;
}

/** Whether a roll-up has the dimensions a query groups and filters by (periods of days and weeks read the rows). */
function rollupServes(rollup: Rollup, query: MetricQuery): boolean {
  if (query.groupBy === 'day' || query.groupBy === 'week') return false;
  if ((query.provider || query.groupBy === 'provider') && !rollup.source.provider) return false;
  return true;
}

/** The days of a period before and after its whole months, as periods. */
function daysAround(query: { from: string; to: string }, whole: { first: string; last: string }): { from: string; to: string }[] {
  return [
    ...(query.from < whole.first ? [{ from: query.from, to: dayBefore(whole.first) }] : []),
    ...(monthAfter(whole.last) <= query.to ? [{ from: monthAfter(whole.last), to: query.to }] : []),
  ];
}

/** Whole months from the roll-up, the days before and after them from the rows, summed per group. */
function rollupStatement(definition: MetricDefinition, rollup: Rollup, query: MetricQuery, whole: { first: string; last: string }): SQL {
  const source = SOURCES[definition.source];
  const names = definition.columns.map((c) => c.name);
  const missing = names.filter((n) => !(n in rollup.columns));
  if (missing.length > 0) throw new Error(`the roll-up of ${definition.key} lacks ${missing.join(', ')}`);
  const cells = { ...rollup.source, provider: rollup.source.provider ?? 'null', dayColumn: true };
  const cellKey = groupKey(query.groupBy, cells, 'm.month');
  const cellConditions: SQL[] = [sql`m.month >= ${whole.first}::date and m.month <= ${whole.last}::date`];
  if (rollup.where) cellConditions.push(sql.raw(rollup.where));
  if (query.division) cellConditions.push(divisionCondition(cells, query.division));
  if (query.bedType) cellConditions.push(sql`${sql.raw(cells.bedType)} = ${query.bedType}`);
  if (query.provider) cellConditions.push(sql`${sql.raw(cells.provider)} = ${query.provider}::uuid`);
  // The groups' figures, keyed as shown and in order.
  const grouped = (inner: SQL, shown: (k: string) => string) => sql`select ${sql.raw(shown('g.k'))} as key, g.sub, ${sql.raw(names.map((n) => `g."${n}"`).join(', '))} from (
    ${inner}) g
    order by g.k, g.sub`;
  // The cells of the whole months, grouped; `rows` says how many of the metric's rows each group holds.
  const fromCells = (rows: SQL) => sql`select ${sql.raw(cellKey.raw)} as k, ${sql.raw(rollup.sub ?? "''")} as sub, ${rows}${sql.raw(names.map((n) => `${rollup.columns[n]} as "${n}"`).join(', '))}
    from ${sql.raw(rollup.source.from)}
    where ${sql.join(cellConditions, sql.raw(' and '))}
    group by 1, 2`;
  const edges = daysAround(query, whole);
  // The roll-up answers the whole period: its cells grouped once.
  if (edges.length === 0) return grouped(sql`${fromCells(sql.raw(''))}
    having ${sql.raw(rollup.rows)} > 0`, cellKey.shown);
  // Else the days before and after the whole months from the rows, summed with the cells per group.
  const key = groupKey(query.groupBy, source, definition.time);
  const columns = definition.columns.map((c) => withAsOf(`${c.sql} as "${c.name}"`, query.asOf));
  const fromRows = sql`select ${sql.raw(key.raw)} as k, ${sql.raw(definition.sub ? definition.sub.sql : "''")} as sub, count(*) as n, ${sql.join(columns, sql.raw(', '))}
      from ${source.from(query.asOf, { fromDay: query.from, toDay: query.to }, query.groupBy)}
      where ${sql.join(conditionsOf(definition, query, edges), sql.raw(' and '))}
      group by 1, 2`;
  return grouped(
    sql`select p.k, p.sub, ${sql.raw(names.map((n) => `sum(p."${n}") as "${n}"`).join(', '))}
    from (${fromCells(sql.raw(`${rollup.rows} as n, `))} union all ${fromRows}) p
    group by 1, 2
    having sum(p.n) > 0`,
    key.shown,
  );
}

/** The columns of `durations` (`d`) as groupings show them, a missing place being `''` there. */
const DURATION_KEYS = { county: "nullif(d.county, '')", city: "nullif(d.city, '')", bedType: "nullif(d.bed_type, '')", provider: 'null' };
/** The same of `duration_months` (`m`), whose time is its month. */
const DURATION_CELL_KEYS = { county: "nullif(m.county, '')", city: "nullif(m.city, '')", bedType: 'null', provider: 'null', dayColumn: true };

/** Whether `duration_months` has what a query groups and filters by: places and months, not bed types or providers. */
function percentilesServe(query: MetricQuery): boolean {
  return (query.groupBy === 'total' || query.groupBy === 'month' || query.groupBy === 'city' || query.groupBy === 'county') && !query.provider && !query.bedType;
}

/**
 * A count and nearest-rank percentiles of one measure, equal to the rows' `percentile_disc`
 * without sorting every duration of the period. Per group: how many durations each bucket holds
 * (whole months from `duration_months`, the days around them from `durations`); the rank of each
 * percentile (`ceil(p × count)`, at least 1, as PostgreSQL computes it), the bucket where the
 * running count reaches it and the rank inside that bucket; then the duration of that rank among
 * the group's durations of the period in that bucket only, read in order from an index. A
 * metric with other counts (`counts`) takes its groups and those counts from their roll-up
 * (`rollupStatement`), joined with the durations' figures of each group.
 */
function percentileStatement(definition: MetricDefinition, rollup: PercentileRollup, query: MetricQuery, whole: { first: string; last: string }): SQL {
  const counted = Object.keys(rollup.counts?.columns ?? {});
  const names = definition.columns.map((c) => c.name).filter((n) => !counted.includes(n));
  const expected = [rollup.count, ...Object.keys(rollup.percentiles)];
  if (names.join() !== expected.join()) throw new Error(`the percentiles of ${definition.key} are ${expected.join(', ')}, its columns ${names.join(', ')}`);
  const measured = measureStatement(rollup, query, whole);
  if (!rollup.counts) return sql`${measured} order by key`;
  // The counts' groups, each with its durations' figures where it has durations.
  const counts = rollupStatement({ ...definition, columns: definition.columns.filter((c) => counted.includes(c.name)) }, rollup.counts, query, whole);
  const columns = definition.columns.map(({ name }) =>
    counted.includes(name) ? `a."${name}"` : name === rollup.count ? `coalesce(b."${name}", 0) as "${name}"` : `b."${name}"`,
  );
  return sql`select a.key, a.sub, ${sql.raw(columns.join(', '))} from (${counts}) a left join (${measured}) b on b.key = a.key order by a.key`;
}

/** The count and percentiles of a measure per group, unordered (see `percentileStatement`). */
function measureStatement(rollup: PercentileRollup, query: MetricQuery, whole: { first: string; last: string }): SQL {
  const cellKey = groupKey(query.groupBy, DURATION_CELL_KEYS, 'm.month');
  const rowKey = groupKey(query.groupBy, DURATION_KEYS, 'd.started_at');
  const and = (conditions: SQL[]) => sql.join(conditions, sql.raw(' and '));
  // The measure, and a place filter on the columns as stored: '' (unknown) is never a division, as null is not.
  const measureAndPlace = (alias: string) => [
    sql`${sql.raw(alias)}.measure = ${rollup.measure}`,
    ...(query.division ? [divisionCondition({ county: `${alias}.county`, city: `${alias}.city` }, query.division)] : []),
  ];
  const startedWithin = (periods: readonly { from: string; to: string }[]) => {
    const within = periods.map(({ from, to }) => {
      const { start, end } = periodBounds(from, to);
      return sql`(d.started_at >= ${start.toISOString()}::timestamptz and d.started_at < ${end.toISOString()}::timestamptz)`;
    });
    return sql`(${sql.join(within, sql.raw(' or '))})`;
  };
  const parts = [sql`select ${sql.raw(cellKey.raw)} as k, m.bucket, m.n from monitoring.duration_months m
    where ${and([...measureAndPlace('m'), sql`m.month >= ${whole.first}::date and m.month <= ${whole.last}::date`])}`];
  const edges = daysAround(query, whole);
  if (edges.length > 0) {
    parts.push(sql`select ${sql.raw(rowKey.raw)} as k, d.bucket, count(*) as n from monitoring.durations d
      where ${and([...measureAndPlace('d'), startedWithin(edges)])}
      group by 1, 2`);
  }
  // The group's own durations inside a bucket, with conditions an index can seek on.
  const inGroup = {
    total: 'true',
    county: "d.county = (case when t.k = 'unknown' then '' else t.k end)",
    city: "d.city = (case when t.k = 'unknown' then '' else t.k end)",
    month: "d.started_at >= (t.k::timestamp - interval '8 hours') at time zone 'UTC' and d.started_at < ((t.k + interval '1 month')::timestamp - interval '8 hours') at time zone 'UTC'",
  }[query.groupBy as 'total' | 'county' | 'city' | 'month'];
  // Groups apart by bytes (a text key), as only the output's order follows the collation.
  const partition = query.groupBy === 'month' ? 'h.k' : 'h.k collate "C"';
  const fractions = Object.entries(rollup.percentiles);
  const ranks = sql.join(
    fractions.map(([name, p]) => sql`(${name}::text, ${p}::float8)`),
    sql.raw(', '),
  );
  const values = fractions.map(([name]) => `max(v.ms) filter (where t.name = '${name}') as "${name}"`).join(', ');
  return sql`with h as (
      select x.k, x.bucket, sum(x.n) as n from (${sql.join(parts, sql.raw(' union all '))}) x group by 1, 2
    ), c as (
      select h.k, h.bucket, h.n, sum(h.n) over (partition by ${sql.raw(partition)} order by h.bucket) as upto, sum(h.n) over (partition by ${sql.raw(partition)}) as total from h
    ), t as (
      select c.k, c.total::bigint as total, p.name, c.bucket, r.rank - (c.upto - c.n)::bigint as j
        from c cross join (values ${ranks}) p(name, fraction)
        cross join lateral (select greatest(1, ceil(p.fraction * c.total::bigint::float8))::bigint as rank) r
       where c.total > 0 and c.upto - c.n < r.rank and r.rank <= c.upto
    )
    select ${sql.raw(cellKey.shown('g.k'))} as key, '' as sub, g.total as "${sql.raw(rollup.count)}", ${sql.raw(fractions.map(([name]) => `g."${name}"`).join(', '))} from (
      select t.k, t.total, ${sql.raw(values)}
        from t left join lateral (
          select d.ms from monitoring.durations d
           where ${and([...measureAndPlace('d'), sql.raw(`d.bucket = t.bucket and ${inGroup}`), startedWithin([query])])}
           order by d.ms offset t.j - 1 limit 1) v on true
       group by t.k, t.total) g`;
}

/** The statement that computes one metric for one query from its rows. */
function rowStatement(definition: MetricDefinition, query: MetricQuery): SQL {
  const source = SOURCES[definition.source];
  const conditions = conditionsOf(definition, query);
  const key = groupKey(query.groupBy, source, definition.time);
  const sub = definition.sub ? definition.sub.sql : "''";
  const columns = definition.columns.map((c) => withAsOf(`${c.sql} as "${c.name}"`, query.asOf));
  // Grouped on the raw key (a date), formatted once per group.
  return sql`select ${sql.raw(key.shown('g.k'))} as key, g.sub, ${sql.raw(definition.columns.map((c) => `g."${c.name}"`).join(', '))} from (
    select ${sql.raw(key.raw)} as k, ${sql.raw(sub)} as sub, ${sql.join(columns, sql.raw(', '))}
    from ${source.from(query.asOf, { fromDay: query.from, toDay: query.to }, query.groupBy)}
    where ${sql.join(conditions.length > 0 ? conditions : [sql.raw('true')], sql.raw(' and '))}
    group by 1, 2) g
    order by g.k, g.sub`;
}

const toNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const instant = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string | Date).toISOString());

/** A referral in a drill-down: no identity, no elder reference. */
export interface OpenReferral {
  referralId: string;
  /** The number people use (转诊单号); null for referrals started before the workflow sent it. */
  reference: string | null;
  stage: string;
  /** When it entered the stage it is in. */
  since: string | null;
  startedAt: string | null;
  urgent: boolean;
  kind: string | null;
  bedType: string | null;
  originCounty: string | null;
  originCountyName: string | null;
  originInstitutionName: string | null;
  originInstitutionId?: string | null;
  escalations?: number;
}

/** A referral (or an offer of one) behind a count: also the provider it is about and the instant that placed it in the period. */
export interface ReferralBehind extends OpenReferral {
  providerName: string | null;
  at: string | null;
}

/** Reads the commission's figures from the projections. */
export class MetricsQueries {
  constructor(
    private readonly database: Database,
    private readonly divisions: DivisionTable = shandongDivisions,
  ) {}

  /** One metric, grouped and filtered as asked. */
  async metric(query: MetricQuery): Promise<MetricResult> {
    const definition = metricOf(query.metric);
    const rows = await this.database.reportRows<Record<string, unknown>>(metricStatement(definition, query));
    const names = query.groupBy === 'provider' ? await this.institutionNames() : undefined;
    return {
      metric: query.metric,
      label: definition.label,
      formula: definition.formula,
      rows: rows.map((row) => {
        const raw: Record<string, number | null> = {};
        for (const c of definition.columns) raw[c.name] = toNumber(row[c.name]);
        const key = String(row['key']);
        const keyLabel = names ? names.get(key) : query.groupBy === 'city' || query.groupBy === 'county' ? this.divisions.get(key)?.name : undefined;
        return {
          key,
          ...(keyLabel ? { keyLabel } : {}),
          ...(definition.sub ? { sub: String(row['sub']) } : {}),
          values: { ...raw, ...definition.figures(raw) },
        };
      }),
    };
  }

  /** Every metric for one filter, ungrouped: the dashboard's headline. */
  async dashboard(query: Omit<MetricQuery, 'metric' | 'groupBy'>): Promise<MetricResult[]> {
    const results: MetricResult[] = [];
    for (const m of METRICS) results.push(await this.metric({ ...query, metric: m.key, groupBy: 'total' }));
    return results;
  }

  /** Open referrals for a drill-down: where each stopped and since when, oldest stop first; never who the elder is. */
  async openReferrals(filter: { stage?: string; from: string; to: string; division?: string; bedType?: string; limit: number; offset: number }): Promise<{ total: number; items: OpenReferral[] }> {
    const { start, end } = periodBounds(filter.from, filter.to);
    const conditions: SQL[] = [sql`r.started_at >= ${start.toISOString()}::timestamptz and r.started_at < ${end.toISOString()}::timestamptz`, sql.raw('r.closed_at is null and r.cancelled_at is null')];
    if (filter.stage) conditions.push(sql`r.stage = ${filter.stage}`);
    if (filter.division) conditions.push(divisionCondition({ county: 'r.origin_county', city: 'r.origin_city' }, filter.division));
    if (filter.bedType) conditions.push(sql`r.bed_type = ${filter.bedType}`);
    const where = sql.join(conditions, sql.raw(' and '));
    const [count] = await this.database.reportRows<{ n: number | string }>(sql`select count(*) as n from monitoring.referrals r where ${where}`);
    const rows = await this.database.reportRows<Record<string, unknown>>(
      sql`select r.referral_id, r.reference, r.stage, r.stage_at, r.started_at, r.urgent, r.kind, r.bed_type, r.origin_county, r.origin_institution_id, i.name as origin_name, r.escalations
          from monitoring.referrals r ${sql.raw(institutionJoin('i', 'r.origin_institution_id', 'r.origin_bed_type'))}
          where ${where}
          order by r.stage_at nulls first, r.referral_id limit ${filter.limit} offset ${filter.offset}`,
    );
    return {
      total: Number(count?.n ?? 0),
      items: rows.map((r) => ({
        ...this.referralFacts(r),
        originInstitutionId: r['origin_institution_id'] as string | null,
        escalations: Number(r['escalations']),
      })),
    };
  }

  /**
   * The referrals behind one count of a metric (a drill-down whose total is the figure): the rows
   * of the metric's source that the count counts under the same filter, in its breakdown `sub`
   * where given, oldest first by the instant that placed each in the period. One row per
   * referral, or per offer for the counts of offers; never who the elder is.
   */
  async referralsBehind(query: Omit<MetricQuery, 'groupBy'>, count: string, sub: string | undefined, page: { limit: number; offset: number }): Promise<{ total: number; items: ReferralBehind[] }> {
    const definition = metricOf(query.metric);
    const source = SOURCES[definition.source];
    const counts = drillableCounts(definition).get(count);
    if (counts === undefined || !source.referral) throw new Error(`${query.metric} has no rows behind ${count}`);
    const conditions = [...conditionsOf(definition, query), withAsOf(counts, query.asOf)];
    if (sub !== undefined && definition.sub) conditions.push(sql`(${sql.raw(definition.sub.sql)}) = ${sub}`);
    const where = sql.join(conditions, sql.raw(' and '));
    const from = source.from(query.asOf, { fromDay: query.from, toDay: query.to }, 'total');
    const [total] = await this.database.reportRows<{ n: number | string }>(sql`select count(*) as n from ${from} where ${where}`);
    const time = definition.time ?? source.referral;
    const rows = await this.database.reportRows<Record<string, unknown>>(
      sql`select dr.referral_id, dr.reference, dr.stage, dr.stage_at, dr.started_at, dr.urgent, dr.kind, ${sql.raw(source.bedType)} as bed_type, dr.origin_county,
                 oi.name as origin_name, pi.name as provider_name, ${sql.raw(time)} as at
          from ${from}
          join monitoring.referrals dr on dr.referral_id = ${sql.raw(source.referral)}
          ${sql.raw(institutionJoin('oi', 'dr.origin_institution_id', 'dr.origin_bed_type'))}
          ${sql.raw(institutionJoin('pi', source.provider, source.bedType))}
          where ${where}
          order by ${sql.raw(time)}, dr.referral_id limit ${page.limit} offset ${page.offset}`,
    );
    return {
      total: Number(total?.n ?? 0),
      items: rows.map((r) => ({ ...this.referralFacts(r), providerName: (r['provider_name'] as string | null) ?? null, at: instant(r['at']) })),
    };
  }

  /** What a drill-down says of a referral: its number, kind, bed type, where it stopped and since when, and where it came from. */
  private referralFacts(r: Record<string, unknown>) {
    return {
      referralId: String(r['referral_id']),
      reference: (r['reference'] as string | null) ?? null,
      stage: String(r['stage']),
      since: instant(r['stage_at']),
      startedAt: instant(r['started_at']),
      urgent: Boolean(r['urgent']),
      kind: r['kind'] as string | null,
      bedType: r['bed_type'] as string | null,
      originCounty: r['origin_county'] as string | null,
      originCountyName: r['origin_county'] ? (this.divisions.get(String(r['origin_county']))?.name ?? null) : null,
      originInstitutionName: (r['origin_name'] as string | null) ?? null,
    };
  }

  /** A provider's name, as the bed services describe it. */
  async institutionName(institutionId: string): Promise<string | undefined> {
    const [row] = await this.database.rows<{ name: string }>(this.database.db, sql`select name from monitoring.institutions where institution_id = ${institutionId}::uuid limit 1`);
    return row?.name;
  }

  private async institutionNames(): Promise<Map<string, string>> {
    const rows = await this.database.rows<{ institution_id: string; name: string }>(this.database.db, sql.raw('select distinct on (institution_id) institution_id, name from monitoring.institutions'));
    return new Map(rows.map((r) => [String(r.institution_id), r.name]));
  }
}
