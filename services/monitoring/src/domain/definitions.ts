/**
 * The commission's metrics (DOMAIN.md §6), defined once: what each counts, from which
 * projection, by which instant a row falls into a period, and how its figures follow from the
 * counts. The service README lists the same formulas; `test/definitions.unit.test.ts` keeps the
 * two in step.
 */

/** Where a metric's rows come from. */
export type SourceKey = 'referrals' | 'offers' | 'breaches' | 'bedDays' | 'capacityNow' | 'flowsByDistrict' | 'visits' | 'tanfang' | 'statementLines';

/** One raw aggregate of a metric, in SQL over its source. */
export interface Column {
  name: string;
  sql: string;
  /**
   * For a count of source rows: the condition of the rows it counts (besides the metric's own),
   * so the rows behind the figure can be listed (a drill-down whose total is the figure).
   */
  counts?: string;
}

/** How a figure is written for people: a whole count, a share (a real number shown as a percentage), minutes, hours or days. */
export type FigureFormat = 'count' | 'rate' | 'minutes' | 'hours' | 'days';

/** A figure as people read it on the dashboard and in exports: the value's name, its Chinese and English heading, its format. */
export interface ShownFigure {
  name: string;
  label: { zh: string; en: string };
  format: FigureFormat;
}

/** A metric: its name, its formula in words, and how to compute it. */
export interface MetricDefinition {
  key: string;
  label: { zh: string; en: string };
  /** The formula in words, as the README gives it. */
  formula: string;
  source: SourceKey;
  /** The instant (or day, for bed-days) that places a row in a period; null: a figure as of now. */
  time: string | null;
  /** Rows that count at all. */
  where?: string;
  /** A breakdown inside every group (a reason, a stage, a pair); its value is the row's `sub`. */
  sub?: { name: string; sql: string };
  columns: Column[];
  /** The figures from the raw aggregates (every aggregate is kept too). */
  figures: (raw: Readonly<Record<string, number | null>>) => Record<string, number | null>;
  /** The figures people read, in order, with their headings (the raw milliseconds behind durations are left out). */
  shown: ShownFigure[];
}

/** A column counting the source rows that meet a condition (all of them without one). */
const counted = (name: string, condition?: string): Column => ({ name, sql: condition ? `count(*) filter (where ${condition})` : 'count(*)', counts: condition ?? 'true' });
const figure = (name: string, zh: string, en: string, format: FigureFormat = 'count'): ShownFigure => ({ name, label: { zh, en }, format });

const ratio = (numerator: number | null, denominator: number | null): number | null =>
  numerator === null || denominator === null || denominator === 0 ? null : numerator / denominator;
const minutes = (ms: number | null): number | null => (ms === null ? null : ms / 60_000);

/** Milliseconds between two instants, as an exact integer. */
const msBetween = (later: string, earlier: string) => `(extract(epoch from (${later} - ${earlier})) * 1000)::bigint`;

/** Median and P90 (nearest rank: the smallest value with at least p of the values at or below it). */
const durationColumns = (expr: string): Column[] => [
  counted('count'),
  { name: 'medianMs', sql: `percentile_disc(0.5) within group (order by ${expr})` },
  { name: 'p90Ms', sql: `percentile_disc(0.9) within group (order by ${expr})` },
];
const durationFigures = (raw: Readonly<Record<string, number | null>>) => ({ medianMinutes: minutes(raw['medianMs'] ?? null), p90Minutes: minutes(raw['p90Ms'] ?? null) });
const durationShown = (counting: string, countingEn: string): ShownFigure[] => [
  figure('count', counting, countingEn),
  figure('medianMinutes', '中位数（分钟）', 'Median (minutes)', 'minutes'),
  figure('p90Minutes', '第90百分位（分钟）', '90th percentile (minutes)', 'minutes'),
];

/** Top-level stages of the referral workflow where a referral can stop. */
export const OPEN_STAGES = ['intake', 'eligibility', 'matching', 'offering', 'noneAccepted', 'choosing', 'reserving', 'transferring', 'afterLostBed', 'returning', 'followUp', 'escalated'] as const;

/** The days a readmission counts after a transfer out of a medical bed. */
export const READMISSION_DAYS = 31;

/** Nursing-type share targets for care beds (护理型床位占比). */
export const NURSING_SHARE_TARGETS = [
  { body: '山东省 Shandong', division: '370000', year: 2025, share: 0.6 },
  { body: '菏泽市 Heze', division: '371700', year: 2026, share: 0.7 },
  { body: '山东省 Shandong', division: '370000', year: 2029, share: 0.8 },
] as const;

/** The 探访 target: every special-hardship elder on the register visited every month (每月探访率 100 %). */
export const TANFANG_TARGET = 1;

/** A plain aggregate (not a count whose rows can be listed). */
const aggregate = (name: string, sqlText: string): Column => ({ name, sql: sqlText });
const hours = (minutesValue: number | null): number | null => (minutesValue === null ? null : minutesValue / 60);

const OPEN = 'r.closed_at is null and r.cancelled_at is null';

export const METRICS = [
  {
    key: 'acceptance-rate',
    label: { zh: '接收率', en: 'Acceptance rate' },
    formula: 'accepted ÷ (accepted + declined + expired), over offers made in the period; provider and division are the offered provider’s',
    source: 'offers',
    time: 'o.offered_at',
    columns: [
      counted('accepted', "o.answer = 'accepted'"),
      counted('declined', "o.answer = 'declined'"),
      counted('expired', "o.answer = 'expired'"),
      counted('open', 'o.answer is null'),
    ],
    figures: (r) => ({ rate: ratio(r['accepted']!, (r['accepted'] ?? 0) + (r['declined'] ?? 0) + (r['expired'] ?? 0)) }),
    shown: [
      figure('accepted', '接收', 'Accepted'),
      figure('declined', '拒收', 'Declined'),
      figure('expired', '超时未响应', 'Expired'),
      figure('open', '待响应', 'Awaiting answer'),
      figure('rate', '接收率', 'Acceptance rate', 'rate'),
    ],
  },
  {
    key: 'closed-loop',
    label: { zh: '闭环率', en: 'Closed-loop rate' },
    formula: 'referrals closed with acceptance, arrival and follow-up within the due time ÷ referrals started in the period; division is the referring institution’s, provider the one placed with',
    source: 'referrals',
    time: 'r.started_at',
    columns: [
      counted('started'),
      counted('closedInLoop', 'r.closed_at is not null and not r.follow_up_late'),
      counted('closedLate', 'r.closed_at is not null and r.follow_up_late'),
      counted('cancelled', 'r.cancelled_at is not null'),
      counted('open', OPEN),
    ],
    figures: (r) => ({ rate: ratio(r['closedInLoop']!, r['started']!) }),
    shown: [
      figure('started', '发起转诊', 'Started'),
      figure('closedInLoop', '按时闭环', 'Closed in the loop'),
      figure('closedLate', '随访逾期闭环', 'Closed, follow-up late'),
      figure('cancelled', '已取消', 'Cancelled'),
      figure('open', '未闭环', 'Open'),
      figure('rate', '闭环率', 'Closed-loop rate', 'rate'),
    ],
  },
  {
    key: 'open-by-stage',
    label: { zh: '未闭环转诊（按停留环节）', en: 'Open referrals by stage' },
    formula: 'referrals started in the period, neither closed nor cancelled, counted by the workflow stage they are in now',
    source: 'referrals',
    time: 'r.started_at',
    where: OPEN,
    sub: { name: 'stage', sql: 'r.stage' },
    columns: [
      counted('open'),
      counted('urgent', 'r.urgent'),
    ],
    figures: () => ({}),
    shown: [figure('open', '未闭环', 'Open'), figure('urgent', '其中绿色通道', 'Of which green channel')],
  },
  {
    key: 'first-response',
    label: { zh: '首次响应时间', en: 'Time to first response' },
    formula: 'from the referral’s start to the first accept or decline by any provider; median and P90 (nearest rank) in minutes, over referrals started in the period that had one',
    source: 'referrals',
    time: 'r.started_at',
    where: 'r.first_response_at is not null',
    columns: durationColumns(msBetween('r.first_response_at', 'r.started_at')),
    figures: durationFigures,
    shown: durationShown('已获响应的转诊', 'Referrals answered'),
  },
  {
    key: 'placement-time',
    label: { zh: '安置时间', en: 'Time to placement' },
    formula: 'from the referral’s start to the elder’s arrival (admission at the chosen provider); median and P90 (nearest rank) in minutes, over referrals started in the period that arrived',
    source: 'referrals',
    time: 'r.started_at',
    where: 'r.arrived_at is not null',
    columns: durationColumns(msBetween('r.arrived_at', 'r.started_at')),
    figures: durationFigures,
    shown: durationShown('已入住的转诊', 'Referrals placed'),
  },
  {
    key: 'green-channel-time',
    label: { zh: '绿色通道用时', en: 'Green-channel time' },
    formula: 'time to placement of green-channel (urgent) referrals: start to arrival; median and P90 (nearest rank) in minutes',
    source: 'referrals',
    time: 'r.started_at',
    where: 'r.urgent and r.arrived_at is not null',
    columns: durationColumns(msBetween('r.arrived_at', 'r.started_at')),
    figures: durationFigures,
    shown: durationShown('已入住的绿色通道转诊', 'Green-channel referrals placed'),
  },
  {
    key: 'decline-reasons',
    label: { zh: '拒收原因', en: 'Decline reasons' },
    formula: 'declined offers made in the period, counted by reason code',
    source: 'offers',
    time: 'o.offered_at',
    where: "o.answer = 'declined'",
    sub: { name: 'reason', sql: "coalesce(o.reason_code, 'other')" },
    columns: [counted('declined')],
    figures: () => ({}),
    shown: [figure('declined', '拒收', 'Declined')],
  },
  {
    key: 'flows-by-bed-type',
    label: { zh: '床位流向（按床位类型）', en: 'Flows by bed-type pair' },
    formula: 'referrals whose elder arrived in the period, counted by (bed type left → bed type arrived in)',
    source: 'referrals',
    time: 'r.arrived_at',
    where: 'r.arrived_at is not null',
    sub: { name: 'pair', sql: "r.origin_bed_type || '→' || r.bed_type" },
    columns: [counted('transfers')],
    figures: () => ({}),
    shown: [figure('transfers', '转诊入住', 'Transfers')],
  },
  {
    key: 'flows-by-district',
    label: { zh: '床位流向（按区县）', en: 'Flows by district' },
    formula: 'referrals whose elder arrived in the period, counted by (county left → county of the provider arrived at)',
    source: 'flowsByDistrict',
    time: 'r.arrived_at',
    where: 'r.arrived_at is not null',
    sub: { name: 'pair', sql: "r.origin_county || '→' || coalesce(d.county, 'unknown')" },
    columns: [counted('transfers')],
    figures: () => ({}),
    shown: [figure('transfers', '转诊入住', 'Transfers')],
  },
  {
    key: 'readmission-31d',
    label: { zh: '31天再入院率', en: '31-day readmission' },
    formula: `transfers out of a medical bed whose elder arrived in the period and whose ${READMISSION_DAYS} days have passed; readmitted = admitted to a medical bed again within ${READMISSION_DAYS} days of arrival; rate = readmitted ÷ transfers`,
    source: 'referrals',
    time: 'r.arrived_at',
    where: `r.origin_bed_type = 'medical' and r.arrived_at is not null and r.arrived_at + interval '${READMISSION_DAYS * 24} hours' <= :asOf`,
    columns: [
      counted('transfers'),
      counted('readmitted', `r.readmitted_at <= r.arrived_at + interval '${READMISSION_DAYS * 24} hours'`),
    ],
    figures: (r) => ({ rate: ratio(r['readmitted']!, r['transfers']!) }),
    shown: [figure('transfers', '转出医疗床位', 'Transfers out of a medical bed'), figure('readmitted', '31天内再入院', 'Readmitted within 31 days'), figure('rate', '再入院率', 'Readmission rate', 'rate')],
  },
  {
    key: 'occupancy',
    label: { zh: '床位使用率', en: 'Occupancy' },
    formula: 'occupied unit-days ÷ open (not closed) unit-days in the period, from each institution’s capacity over time; provider and division are the institution’s',
    source: 'bedDays',
    time: 'b.day',
    columns: [
      { name: 'occupiedMs', sql: 'sum(b.occupied_ms)' },
      { name: 'openMs', sql: 'sum(b.open_ms)' },
    ],
    figures: (r) => ({
      rate: ratio(r['occupiedMs']!, r['openMs']!),
      occupiedBedDays: r['occupiedMs'] === null ? null : r['occupiedMs']! / 86_400_000,
      openBedDays: r['openMs'] === null ? null : r['openMs']! / 86_400_000,
    }),
    shown: [figure('occupiedBedDays', '占用床日', 'Occupied unit-days', 'days'), figure('openBedDays', '可用床日', 'Open unit-days', 'days'), figure('rate', '床位使用率', 'Occupancy', 'rate')],
  },
  {
    key: 'nursing-share',
    label: { zh: '护理型床位占比与认知障碍床位', en: 'Nursing-type share and dementia beds' },
    formula: 'over care beds: nursing-type unit-days ÷ all unit-days in the period (a time-weighted share); dementia beds as unit-days and as the same share',
    source: 'bedDays',
    time: 'b.day',
    where: "b.bed_type = 'care'",
    columns: [
      { name: 'nursingMs', sql: 'sum(b.nursing_ms)' },
      { name: 'dementiaMs', sql: 'sum(b.dementia_ms)' },
      { name: 'totalMs', sql: 'sum(b.total_ms)' },
    ],
    figures: (r) => ({
      nursingShare: ratio(r['nursingMs']!, r['totalMs']!),
      dementiaShare: ratio(r['dementiaMs']!, r['totalMs']!),
      dementiaBedDays: r['dementiaMs'] === null ? null : r['dementiaMs']! / 86_400_000,
    }),
    shown: [
      figure('nursingShare', '护理型床位占比', 'Nursing-type share', 'rate'),
      figure('dementiaBedDays', '认知障碍床日', 'Dementia unit-days', 'days'),
      figure('dementiaShare', '认知障碍床位占比', 'Dementia share', 'rate'),
    ],
  },
  {
    key: 'capacity-now',
    label: { zh: '当前床位', en: 'Beds now' },
    formula: 'each institution’s latest capacity: units, open units, occupied units; for care beds, nursing-type and dementia units and the nursing-type share against the targets',
    source: 'capacityNow',
    time: null,
    columns: [
      { name: 'total', sql: 'sum(c.total)' },
      { name: 'open', sql: 'sum(c.open)' },
      { name: 'occupied', sql: 'sum(c.occupied)' },
      { name: 'nursing', sql: "sum(c.nursing) filter (where c.bed_type = 'care')" },
      { name: 'dementia', sql: "sum(c.dementia) filter (where c.bed_type = 'care')" },
      { name: 'careTotal', sql: "sum(c.total) filter (where c.bed_type = 'care')" },
    ],
    figures: (r) => ({ occupancy: ratio(r['occupied']!, r['open']!), nursingShare: ratio(r['nursing']!, r['careTotal']!) }),
    shown: [
      figure('total', '床位（名额）', 'Units'),
      figure('open', '可用', 'Open'),
      figure('occupied', '已占用', 'Occupied'),
      figure('occupancy', '使用率', 'Occupancy', 'rate'),
      figure('careTotal', '养老床位', 'Care beds'),
      figure('nursing', '护理型床位', 'Nursing-type beds'),
      figure('dementia', '认知障碍床位', 'Dementia beds'),
      figure('nursingShare', '护理型床位占比', 'Nursing-type share', 'rate'),
    ],
  },
  {
    key: 'deadline-breaches',
    label: { zh: '超时', en: 'Deadline breaches' },
    formula: 'offers left unanswered past their deadline (by the deadline’s day) and follow-ups recorded late (by the closing day), per provider',
    source: 'breaches',
    time: 'x.at',
    sub: { name: 'kind', sql: 'x.kind' },
    columns: [counted('breaches')],
    figures: () => ({}),
    shown: [figure('breaches', '超时次数', 'Breaches')],
  },
  {
    key: 'escalations',
    label: { zh: '上报卫健委', en: 'Escalations' },
    formula: 'referrals escalated to the commission for the first time in the period, and how many escalations they had in all; division is the referring institution’s',
    source: 'referrals',
    time: 'r.first_escalated_at',
    where: 'r.first_escalated_at is not null',
    columns: [
      counted('referrals'),
      { name: 'escalations', sql: 'sum(r.escalations)' },
      counted('stillEscalated', "r.stage = 'escalated'"),
    ],
    figures: () => ({}),
    shown: [figure('referrals', '上报的转诊', 'Referrals escalated'), figure('escalations', '上报次数', 'Escalations'), figure('stillEscalated', '仍待卫健委处理', 'Still escalated')],
  },
  {
    key: 'eligibility',
    label: { zh: '评估与长护险', en: 'Assessment and LTCI' },
    formula: 'referrals started in the period that waited for an ability assessment (and the median minutes to it), and LTCI decisions for them by outcome',
    source: 'referrals',
    time: 'r.started_at',
    columns: [
      counted('assessed', 'r.assessed_at is not null'),
      { name: 'medianAssessmentMs', sql: `percentile_disc(0.5) within group (order by ${msBetween('r.assessed_at', 'r.started_at')}) filter (where r.assessed_at is not null)` },
      counted('ltciAuthorised', "r.ltci_decision = 'authorised'"),
      counted('ltciRefused', "r.ltci_decision = 'refused'"),
    ],
    figures: (r) => ({ medianAssessmentMinutes: minutes(r['medianAssessmentMs'] ?? null) }),
    shown: [
      figure('assessed', '等待能力评估', 'Waited for an assessment'),
      figure('medianAssessmentMinutes', '评估用时中位数（分钟）', 'Median minutes to assessment', 'minutes'),
      figure('ltciAuthorised', '长护险已批准', 'LTCI authorised'),
      figure('ltciRefused', '长护险未批准', 'LTCI refused'),
    ],
  },
  {
    key: 'home-visits',
    label: { zh: '上门服务完成率', en: 'Home visits done' },
    formula: 'visits of home beds (home care, home sick) whose window ended in the period: planned = done + missed; rate = done ÷ planned; late = done but checked in past the grace; division is the elder’s home, provider the one to visit',
    source: 'visits',
    time: 'v.window_end',
    where: 'v.bed_type is not null',
    columns: [
      aggregate('planned', 'count(*)'),
      aggregate('done', "count(*) filter (where v.outcome = 'completed')"),
      aggregate('missed', "count(*) filter (where v.outcome = 'missed')"),
      aggregate('late', "count(*) filter (where v.outcome = 'completed' and v.late)"),
    ],
    figures: (r) => ({ rate: ratio(r['done']!, r['planned']!) }),
    shown: [
      figure('planned', '应上门', 'Planned'),
      figure('done', '已上门', 'Done'),
      figure('missed', '漏访', 'Missed'),
      figure('late', '迟到', 'Late'),
      figure('rate', '上门完成率', 'Done ÷ planned', 'rate'),
    ],
  },
  {
    key: 'home-care-hours',
    label: { zh: '政府购买服务时长', en: 'Government-bought hours' },
    formula: 'from providers’ monthly statements of the months in the period (a month counts where its first day is in the period), each elder’s lines of the original and its corrections added: hours delivered ÷ hours entitled; division is the elder’s home, provider the statement’s',
    source: 'statementLines',
    time: 'l.month',
    columns: [
      aggregate('entitledMinutes', 'sum(l.entitled_minutes)'),
      aggregate('deliveredMinutes', 'sum(l.delivered_minutes)'),
      aggregate('amountFen', 'sum(l.amount_fen)'),
    ],
    figures: (r) => ({ entitledHours: hours(r['entitledMinutes'] ?? null), deliveredHours: hours(r['deliveredMinutes'] ?? null), rate: ratio(r['deliveredMinutes']!, r['entitledMinutes']!) }),
    shown: [
      figure('entitledHours', '应服务时长（小时）', 'Hours entitled', 'hours'),
      figure('deliveredHours', '已服务时长（小时）', 'Hours delivered', 'hours'),
      figure('rate', '服务时长完成率', 'Delivered ÷ entitled', 'rate'),
    ],
  },
  {
    key: 'tanfang-rate',
    label: { zh: '月度探访率', en: 'Monthly tanfang rate' },
    formula: 'elders scheduled a 探访 in a month of the period (a month counts where its first day is in the period) with at least one completed 探访 visit answering one of their 探访 of that month (or, for a visit without one, of the same elder checked in that month) ÷ elders scheduled; target 100 %; division is the elder’s home (of the latest schedule)',
    source: 'tanfang',
    time: 't.month',
    columns: [
      aggregate('scheduled', 'count(*)'),
      aggregate('visited', 'count(*) filter (where t.visited)'),
      aggregate('notVisited', 'count(*) filter (where not t.visited)'),
    ],
    figures: (r) => ({ rate: ratio(r['visited']!, r['scheduled']!), target: TANFANG_TARGET }),
    shown: [
      figure('scheduled', '应探访老人', 'Elders due'),
      figure('visited', '已探访老人', 'Elders visited'),
      figure('notVisited', '未探访老人', 'Elders not visited'),
      figure('rate', '探访率', 'Tanfang rate', 'rate'),
      figure('target', '目标', 'Target', 'rate'),
    ],
  },
] as const satisfies readonly MetricDefinition[];

export type MetricKey = (typeof METRICS)[number]['key'];
export const METRIC_KEYS = METRICS.map((m) => m.key) as MetricKey[];
/** The metrics of home visits, 探访 and government-bought hours (the others are of referrals and beds). */
export const VISIT_METRIC_KEYS: readonly MetricKey[] = ['home-visits', 'home-care-hours', 'tanfang-rate'];

/** The definition of a metric. */
export function metricOf(key: MetricKey): MetricDefinition {
  return METRICS.find((m) => m.key === key)!;
}

/** The figures of a metric whose rows can be listed: the counts of referrals or offers, by name, with the condition of the rows each counts. */
export function drillableCounts(definition: MetricDefinition): Map<string, string> {
  return new Map(definition.columns.flatMap((c) => (c.counts !== undefined && definition.shown.some((f) => f.name === c.name) ? [[c.name, c.counts] as const] : [])));
}
