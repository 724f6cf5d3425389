import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { divisionCovers, type Principal, type TokenKey } from '@fbl/auth';
import { allow, authenticate, principalOf } from '@fbl/auth/fastify';
import { BedTypeSchema, Literals, Uuid } from '@fbl/contracts';
import { invalidField, ProblemError, type ServiceKit } from '@fbl/service-kit';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { MetricQuery, MetricResult, MetricsQueries } from '../../application/queries.js';
import { shandongDivisions } from '@fbl/codes';
import { drillableCounts, METRIC_KEYS, metricOf, METRICS, OPEN_STAGES, NURSING_SHARE_TARGETS, TANFANG_TARGET, type MetricDefinition, type MetricKey } from '../../domain/definitions.js';
import { toCsv } from '../../domain/csv.js';
import { metricTable, written } from '../../domain/tables.js';
import { divisionName } from '../../domain/words.js';
import { dashboardWorkbook, XLSX_TYPE, type MetricSheet } from './workbook.js';
import { chinaDay, DAY_MS, GROUPINGS, type Grouping } from '../../domain/periods.js';

const tags = ['monitoring 监测'];
const BASE = '/api/monitoring';
const strict = { additionalProperties: false } as const;
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD, China Standard Time' });
const Division = Type.String({ pattern: '^[1-8][0-9]{5}$', description: 'province, city or county code (GB/T 2260)' });
/** The longest period one query may span. */
const MAX_PERIOD_DAYS = 3 * 366;

const Filters = {
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  division: Type.Optional(Division),
  bedType: Type.Optional(BedTypeSchema),
  provider: Type.Optional(Uuid),
  asOf: Type.Optional(Type.String({ format: 'date-time', description: 'figures as of this instant (default: now)' })),
};
/** Paging of a drill-down: at most 500 rows a page, and no further than 100,000 rows in. */
const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
};
const MetricQuerystring = Type.Object({ ...Filters, groupBy: Type.Optional(Literals(GROUPINGS)) }, strict);
const FilterQuerystring = Type.Object(Filters, strict);
const ByMetric = Type.Object({ metric: Literals(METRIC_KEYS) });

type FilterInput = { from?: string; to?: string; division?: string; bedType?: string; provider?: string; asOf?: string };

/**
 * The division a user may see figures for: an analyst's own (or a part of it), an admin's any.
 * Asking for a division outside one's scope is 403, with no figures.
 */
function scopedDivision(who: Principal, asked: string | undefined): string | undefined {
  if (who.role === 'admin') return asked;
  if (!who.divisionCode) throw new ProblemError(403, 'forbidden', 'Not allowed', 'this account is not scoped to a division');
  if (asked === undefined) return who.divisionCode;
  if (!divisionCovers(who.divisionCode, asked)) throw new ProblemError(403, 'forbidden', 'Not allowed', `division ${asked} is outside this account's scope`);
  return asked;
}

/** The filter of a request, checked: a period of whole days (default: the last 30 up to today). */
function filterOf(input: FilterInput, who: Principal, now: Date): Omit<MetricQuery, 'metric' | 'groupBy'> {
  // Figures as of a moment still to come would count open capacity and readmission windows that have not happened.
  const asOf = input.asOf && Date.parse(input.asOf) < now.getTime() ? new Date(input.asOf) : now;
  const to = input.to ?? chinaDay(asOf);
  const from = input.from ?? chinaDay(new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS));
  if (from > to) throw invalidField('from', `the period must start on or before its end (${to})`, 'query');
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS >= MAX_PERIOD_DAYS) throw invalidField('to', `a period may span at most ${MAX_PERIOD_DAYS} days`, 'query');
  const division = scopedDivision(who, input.division);
  return { from, to, asOf, ...(division ? { division } : {}), ...(input.bedType ? { bedType: input.bedType } : {}), ...(input.provider ? { provider: input.provider } : {}) };
}

/** A metric's rows as CSV: Chinese headings, groups and breakdowns in words, shares as percentages. */
function csvOf(result: MetricResult, grouping: Grouping): string {
  const table = metricTable(metricOf(result.metric), result.rows, grouping, shandongDivisions);
  return toCsv(table.header, table.rows.map((row) => row.map((value, i) => written(value, table.formats[i]!))));
}

/**
 * An attachment's Content-Disposition: a plain ASCII name for old clients and the real (Chinese)
 * name in UTF-8 as RFC 6266 and RFC 5987 give it (`filename*`).
 */
export function attachment(asciiName: string, name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encoded}`;
}

/** The end of an export's file name: the division's name where one is asked, and the period. */
const fileTail = (filter: { from: string; to: string; division?: string }) => `${filter.division ? `${divisionName(shandongDivisions, filter.division)}_` : ''}${filter.from}_${filter.to}`;

/** The groupings of a metric's sheet in the workbook: the total, by month where the metric counts over a period, by county and by bed type. */
const sheetGroupings = (definition: MetricDefinition): Grouping[] => (definition.time ? ['total', 'month', 'county', 'bedType'] : ['total', 'county', 'bedType']);

/**
 * HTTP routes of the commission's dashboard under `/api/monitoring`: for analysts, within the
 * division they work for, and for admins. Figures are aggregates; the drill-down lists open
 * referrals without any identity field.
 */
export function monitoringRoutes(kit: ServiceKit, queries: MetricsQueries, authSecret: TokenKey): FastifyPluginAsync {
  return async (fastify) => {
    authenticate(fastify, { secret: authSecret, clock: kit.deps.clock, oidc: kit.deps.oidc });
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get(`${BASE}/definitions`, { preValidation: allow('analyst', 'admin'), schema: { tags, summary: 'Every metric with its formula, and the nursing-type share targets' } }, async () => {
      return {
        metrics: METRICS.map((m) => {
          const drillable = drillableCounts(m);
          return {
            key: m.key,
            label: m.label,
            formula: m.formula,
            breakdown: 'sub' in m ? m.sub.name : null,
            columns: m.columns.map((c) => c.name),
            // What people read, in order, and which counts open the referrals behind them.
            figures: m.shown.map((f) => ({ name: f.name, label: f.label, format: f.format, drillable: drillable.has(f.name) })),
          };
        }),
        groupings: GROUPINGS,
        stages: OPEN_STAGES,
        nursingShareTargets: NURSING_SHARE_TARGETS,
        tanfangTarget: TANFANG_TARGET,
      };
    });

    app.get(`${BASE}/dashboard`, { preValidation: allow('analyst', 'admin'), schema: { tags, summary: 'Every metric for one filter, as totals', querystring: FilterQuerystring } }, async (request) => {
      const filter = filterOf(request.query, principalOf(request), kit.deps.clock());
      return { filter: { ...filter, asOf: filter.asOf.toISOString() }, metrics: await queries.dashboard(filter) };
    });

    app.get(
      `${BASE}/metrics/:metric`,
      { preValidation: allow('analyst', 'admin'), schema: { tags, summary: 'One metric, grouped by day, week, month, city, county, bed type or provider', params: ByMetric, querystring: MetricQuerystring } },
      async (request) => {
        const filter = filterOf(request.query, principalOf(request), kit.deps.clock());
        const result = await queries.metric({ ...filter, metric: request.params.metric as MetricKey, groupBy: (request.query.groupBy ?? 'total') as Grouping });
        return { filter: { ...filter, asOf: filter.asOf.toISOString() }, ...result };
      },
    );

    app.get(
      `${BASE}/metrics/:metric/csv`,
      { preValidation: allow('analyst', 'admin'), schema: { tags, summary: 'One metric as CSV (UTF-8 with BOM, for Excel)', params: ByMetric, querystring: MetricQuerystring } },
      async (request, reply) => {
        const filter = filterOf(request.query, principalOf(request), kit.deps.clock());
        const metric = request.params.metric as MetricKey;
        const grouping = (request.query.groupBy ?? 'total') as Grouping;
        const result = await queries.metric({ ...filter, metric, groupBy: grouping });
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', attachment(`${metric}_${filter.from}_${filter.to}.csv`, `${result.label.zh}_${fileTail(filter)}.csv`))
          .send(csvOf(result, grouping));
      },
    );

    app.get(
      `${BASE}/open-referrals`,
      {
        preValidation: allow('analyst', 'admin'), schema: {
          tags,
          summary: 'Drill-down: open referrals where they stopped, oldest stop first; no identity fields',
          querystring: Type.Object({ ...Filters, stage: Type.Optional(Literals(OPEN_STAGES)), ...Paging }, strict),
        },
      },
      async (request, reply) => {
        const filter = filterOf(request.query, principalOf(request), kit.deps.clock());
        const { total, items } = await queries.openReferrals({
          from: filter.from,
          to: filter.to,
          ...(filter.division ? { division: filter.division } : {}),
          ...(filter.bedType ? { bedType: filter.bedType } : {}),
          ...(request.query.stage ? { stage: request.query.stage } : {}),
          limit: request.query.limit ?? 100,
          offset: request.query.offset ?? 0,
        });
        return reply.header('x-total-count', String(total)).send({ items });
      },
    );

    app.get(
      `${BASE}/metrics/:metric/referrals`,
      {
        preValidation: allow('analyst', 'admin'),
        schema: {
          tags,
          summary: 'Drill-down: the referrals (or offers of them) behind one count of a metric, paged (X-Total-Count is the count); no identity fields',
          params: ByMetric,
          querystring: Type.Object(
            {
              ...Filters,
              count: Type.String({ pattern: '^[a-zA-Z]{1,40}$', description: 'the figure to list the rows of, e.g. `open` or `declined`' }),
              sub: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: "the breakdown's value (a stage, a reason, a pair)" })),
              ...Paging,
            },
            strict,
          ),
        },
      },
      async (request, reply) => {
        const filter = filterOf(request.query, principalOf(request), kit.deps.clock());
        const metric = request.params.metric as MetricKey;
        const definition = metricOf(metric);
        const counts = drillableCounts(definition);
        if (!counts.has(request.query.count)) {
          const known = [...counts.keys()];
          throw invalidField('count', known.length > 0 ? `must be one of ${known.join(', ')} for ${metric}` : `${metric} counts no referrals to list`, 'query');
        }
        if (request.query.sub !== undefined && !definition.sub) throw invalidField('sub', `${metric} has no breakdown`, 'query');
        const { total, items } = await queries.referralsBehind({ ...filter, metric }, request.query.count, request.query.sub, { limit: request.query.limit ?? 50, offset: request.query.offset ?? 0 });
        return reply.header('x-total-count', String(total)).send(items);
      },
    );

    app.get(
      `${BASE}/dashboard.xlsx`,
      { preValidation: allow('analyst', 'admin'), schema: { tags, summary: 'The whole dashboard as an Excel workbook: a summary, then one sheet per metric by month, county and bed type', querystring: FilterQuerystring } },
      async (request, reply) => {
        const filter = filterOf(request.query, principalOf(request), kit.deps.clock());
        const sheets: MetricSheet[] = [];
        for (const definition of METRICS) {
          const groups = [];
          for (const grouping of sheetGroupings(definition)) groups.push({ grouping, rows: (await queries.metric({ ...filter, metric: definition.key, groupBy: grouping })).rows });
          sheets.push({ definition, groups });
        }
        const providerName = filter.provider ? await queries.institutionName(filter.provider) : undefined;
        const book = await dashboardWorkbook({ ...filter, ...(providerName ? { providerName } : {}) }, sheets, shandongDivisions);
        return reply
          .header('content-type', XLSX_TYPE)
          .header('content-disposition', attachment(`dashboard_${filter.from}_${filter.to}.xlsx`, `闭环监测_${fileTail(filter)}.xlsx`))
          .send(book);
      },
    );
  };
}
