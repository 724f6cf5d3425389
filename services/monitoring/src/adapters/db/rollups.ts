/**
 * Where whole months of a metric can be read from a roll-up table instead of its rows
 * (`referral_months`, `arrival_months`, `offer_place_months`, `offer_months`, `flow_place_months`, `flow_months`,
 * `breach_place_months`, `breach_months`, `visit_months`; see schema.ts), and how: the same dimensions as the
 * metric's source, the metric's conditions and breakdown over the roll-up's columns, and each
 * count as a sum of cells. Metrics absent here and from `PERCENTILE_ROLLUPS` (bed-days and capacity,
 * escalations, 探访 and government-bought hours) are always read from their rows.
 */
import { READMISSION_DAYS, type MetricKey } from '../../domain/definitions.js';

export interface RollupSource {
  /** The roll-up table as `m`, with whatever joins its dimensions need. */
  from: string;
  county: string;
  city: string;
  bedType: string;
  /** The provider of a cell; without one, queries by provider read the rows. */
  provider?: string;
}

export interface Rollup {
  source: RollupSource;
  /** The metric's own condition over the cells. */
  where?: string;
  /** The breakdown over the cells, when the metric has one. */
  sub?: string;
  /** How many of the metric's rows a set of cells holds (a group exists when it is above 0). */
  rows: string;
  /** Each column of the metric as a sum over cells. */
  columns: Record<string, string>;
  /** Hours after its end before a month's rows all count (a readmission window): later months read the rows, which count up to `asOf`. */
  settledHours?: number;
}

const REFERRAL_MONTHS: RollupSource = {
  from: 'monitoring.referral_months m',
  county: "nullif(m.county, '')",
  city: "nullif(m.city, '')",
  bedType: "nullif(m.bed_type, '')",
};

const OFFER_MONTHS: RollupSource = {
  from: 'monitoring.offer_months m left join monitoring.institutions i on i.institution_id = m.institution_id and i.bed_type = m.bed_type',
  county: 'i.county',
  city: 'i.city',
  bedType: 'm.bed_type',
  provider: 'm.institution_id',
};

const ARRIVAL_MONTHS: RollupSource = {
  from: 'monitoring.arrival_months m',
  county: "nullif(m.county, '')",
  city: "nullif(m.city, '')",
  bedType: "nullif(m.bed_type, '')",
};

/** The same offers by the provider's place, without the provider. */
const OFFER_PLACE_MONTHS: RollupSource = {
  from: 'monitoring.offer_place_months m',
  county: "nullif(m.county, '')",
  city: "nullif(m.city, '')",
  bedType: 'm.bed_type',
};

/** Visits of home beds by the month their window ended, with their provider (`''` for none). */
const VISIT_MONTHS: RollupSource = {
  from: 'monitoring.visit_months m',
  county: 'm.county',
  city: 'm.city',
  bedType: 'm.bed_type',
  provider: "nullif(m.institution_id, '')::uuid",
};

/** Arrivals by the provider arrived at (`''` for none); the county arrived in is joined at query time, as for the rows. */
const FLOW_MONTHS: RollupSource = {
  from: "monitoring.flow_months m left join monitoring.institutions d on d.institution_id = nullif(m.institution_id, '')::uuid and d.bed_type = m.placed_bed_type",
  county: "nullif(m.county, '')",
  city: "nullif(m.city, '')",
  bedType: "nullif(m.bed_type, '')",
  provider: "nullif(m.institution_id, '')::uuid",
};

/** The same arrivals by the county of the provider arrived at (`''` while unknown), without the provider. */
const FLOW_PLACE_MONTHS: RollupSource = {
  from: 'monitoring.flow_place_months m',
  county: "nullif(m.county, '')",
  city: "nullif(m.city, '')",
  bedType: "nullif(m.bed_type, '')",
};

/** Breaches by provider (`''` for none), its place joined at query time, as for the rows. */
const BREACH_MONTHS: RollupSource = {
  from: "monitoring.breach_months m left join monitoring.institutions i on i.institution_id = nullif(m.institution_id, '')::uuid and i.bed_type = m.bed_type",
  county: 'i.county',
  city: 'i.city',
  bedType: "nullif(m.bed_type, '')",
  provider: "nullif(m.institution_id, '')::uuid",
};

/** The same breaches by the provider's place, without the provider. */
const BREACH_PLACE_MONTHS: RollupSource = {
  from: 'monitoring.breach_place_months m',
  county: "nullif(m.county, '')",
  city: "nullif(m.city, '')",
  bedType: "nullif(m.bed_type, '')",
};

const offersAnswered = (answer: string) => `coalesce(sum(m.offers) filter (where m.answer = '${answer}'), 0)`;

/** A metric's roll-ups, the smallest first: a query reads the first one having its dimensions. */
export const ROLLUPS: Partial<Record<MetricKey, readonly Rollup[]>> = {
  'closed-loop': [{
    source: REFERRAL_MONTHS,
    rows: 'sum(m.started)',
    columns: {
      started: 'sum(m.started)',
      closedInLoop: 'sum(m.closed_in_loop)',
      closedLate: 'sum(m.closed_late)',
      cancelled: 'sum(m.cancelled)',
      open: 'sum(m.open)',
    },
  }],
  'open-by-stage': [{
    source: REFERRAL_MONTHS,
    where: "m.open_stage <> ''",
    sub: 'm.open_stage',
    rows: 'sum(m.open)',
    columns: { open: 'sum(m.open)', urgent: 'sum(m.open_urgent)' },
  }],
  'flows-by-bed-type': [{
    source: ARRIVAL_MONTHS,
    sub: "nullif(m.origin_bed_type, '') || '→' || nullif(m.bed_type, '')",
    rows: 'sum(m.arrived)',
    columns: { transfers: 'sum(m.arrived)' },
  }],
  // The pair as the rows make it: no referring county, no pair; no known provider's county, 'unknown'.
  'flows-by-district': [
    { source: FLOW_PLACE_MONTHS, to: "nullif(m.to_county, '')" },
    { source: FLOW_MONTHS, to: 'd.county' },
  ].map(({ source, to }) => ({
    source,
    sub: `nullif(m.county, '') || '→' || coalesce(${to}, 'unknown')`,
    rows: 'sum(m.arrived)',
    columns: { transfers: 'sum(m.arrived)' },
  })),
  'readmission-31d': [{
    source: ARRIVAL_MONTHS,
    where: "m.origin_bed_type = 'medical'",
    rows: 'sum(m.arrived)',
    columns: { transfers: 'sum(m.arrived)', readmitted: 'sum(m.readmitted)' },
    settledHours: READMISSION_DAYS * 24,
  }],
  'acceptance-rate': [OFFER_PLACE_MONTHS, OFFER_MONTHS].map((source) => ({
    source,
    rows: 'sum(m.offers)',
    columns: { accepted: offersAnswered('accepted'), declined: offersAnswered('declined'), expired: offersAnswered('expired'), open: offersAnswered('') },
  })),
  'decline-reasons': [OFFER_PLACE_MONTHS, OFFER_MONTHS].map((source) => ({
    source,
    where: "m.answer = 'declined'",
    sub: "coalesce(nullif(m.reason_code, ''), 'other')",
    rows: 'sum(m.offers)',
    columns: { declined: 'sum(m.offers)' },
  })),
  'deadline-breaches': [BREACH_PLACE_MONTHS, BREACH_MONTHS].map((source) => ({
    source,
    sub: 'm.kind',
    rows: 'sum(m.breaches)',
    columns: { breaches: 'sum(m.breaches)' },
  })),
  'home-visits': [{
    source: VISIT_MONTHS,
    rows: 'sum(m.planned)',
    columns: { planned: 'sum(m.planned)', done: 'sum(m.done)', missed: 'sum(m.missed)', late: 'sum(m.late)' },
  }],
};

/**
 * A metric whose figures are the count of one measure of `durations` and nearest-rank percentiles
 * of it (`percentile_disc`): whole months find the bucket holding each rank in `duration_months`,
 * and the exact value is then read inside that bucket only (see `percentileStatement`).
 */
export interface PercentileRollup {
  /** The measure's name in `durations`. */
  measure: string;
  /** The metric's column that counts the durations. */
  count: string;
  /** The metric's percentile columns, by name, with their fraction. */
  percentiles: Readonly<Record<string, number>>;
  /**
   * The metric's other columns, counts from a roll-up of its source rows; the groups are then
   * that roll-up's (a group may have no duration: its count is 0 and its percentiles null).
   */
  counts?: Rollup;
}

const MEDIAN_AND_P90 = { medianMs: 0.5, p90Ms: 0.9 } as const;

export const PERCENTILE_ROLLUPS: Partial<Record<MetricKey, PercentileRollup>> = {
  'first-response': { measure: 'first-response', count: 'count', percentiles: MEDIAN_AND_P90 },
  'placement-time': { measure: 'placement', count: 'count', percentiles: MEDIAN_AND_P90 },
  'green-channel-time': { measure: 'green-channel', count: 'count', percentiles: MEDIAN_AND_P90 },
  // Every referral started makes a group; those assessed have an assessment duration.
  eligibility: {
    measure: 'assessment',
    count: 'assessed',
    percentiles: { medianAssessmentMs: 0.5 },
    counts: {
      source: REFERRAL_MONTHS,
      rows: 'sum(m.started)',
      columns: { ltciAuthorised: 'sum(m.ltci_authorised)', ltciRefused: 'sum(m.ltci_refused)' },
    },
  },
};
