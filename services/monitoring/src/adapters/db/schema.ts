import { messagingTables } from '@fbl/db';
import { sql } from 'drizzle-orm';
import { bigint, boolean, date, index, integer, pgSchema, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The monitoring service's own schema: projections of other services' events, nothing else. */
export const monitoringSchema = pgSchema('monitoring');

/** The outbox, inbox and timers of this schema (the inbox makes every projection step exactly-once). */
export const messaging = messagingTables(monitoringSchema);
export const { outbox, inbox, timers } = messaging;

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One row per referral, filled in as its events arrive. A row may be created by a later event
 * (an admission read before the request on another topic); `started_at` is null until the
 * ReferralRequested event is read, and such rows count nowhere.
 */
export const referrals = monitoringSchema.table(
  'referrals',
  {
    referralId: uuid('referral_id').primaryKey(),
    /** The number people use for it (转诊单号), as the workflow gave it; null for referrals started before it was sent. */
    reference: text('reference'),
    /** Opaque civil-affairs reference, for readmissions; never identity data. */
    elderRef: text('elder_ref'),
    kind: text('kind'),
    urgent: boolean('urgent').notNull().default(false),
    originInstitutionId: uuid('origin_institution_id'),
    originBedType: text('origin_bed_type'),
    /** County (区县) of the referring institution, and its city (市). */
    originCounty: text('origin_county'),
    originCity: text('origin_city'),
    /** The first bed type asked for, replaced by the bed type placed into on arrival. */
    bedType: text('bed_type'),
    startedAt: at('started_at'),
    /** The machine's top-level state, and when the referral entered it. */
    stage: text('stage').notNull().default('intake'),
    stageAt: at('stage_at'),
    firstOfferAt: at('first_offer_at'),
    /** The first accept or decline from any provider. */
    firstResponseAt: at('first_response_at'),
    acceptedAt: at('accepted_at'),
    arrivedAt: at('arrived_at'),
    placedInstitutionId: uuid('placed_institution_id'),
    placedBedType: text('placed_bed_type'),
    closedAt: at('closed_at'),
    followUpLate: boolean('follow_up_late'),
    cancelledAt: at('cancelled_at'),
    cancelReason: text('cancel_reason'),
    escalations: integer('escalations').notNull().default(0),
    firstEscalatedAt: at('first_escalated_at'),
    /** The first admission to a medical bed after arrival (for 31-day readmissions). */
    readmittedAt: at('readmitted_at'),
    assessedAt: at('assessed_at'),
    ltciDecision: text('ltci_decision'),
    ltciDecidedAt: at('ltci_decided_at'),
  },
  (t) => [
    index('referrals_started_idx').on(t.startedAt, t.originCounty, t.bedType),
    index('referrals_city_started_idx').on(t.originCity, t.startedAt),
    index('referrals_county_started_idx').on(t.originCounty, t.startedAt),
    index('referrals_elder_idx').on(t.elderRef),
    index('referrals_arrived_idx').on(t.arrivedAt),
    index('referrals_closed_idx').on(t.closedAt),
    index('referrals_escalated_idx').on(t.firstEscalatedAt),
  ],
);

/** One row per offer made to a provider. */
export const offers = monitoringSchema.table(
  'offers',
  {
    offerId: uuid('offer_id').primaryKey(),
    referralId: uuid('referral_id').notNull(),
    institutionId: uuid('institution_id').notNull(),
    bedType: text('bed_type').notNull(),
    urgent: boolean('urgent').notNull(),
    offeredAt: at('offered_at').notNull(),
    respondBy: at('respond_by').notNull(),
    /** accepted, declined or expired; null while open. */
    answer: text('answer'),
    reasonCode: text('reason_code'),
    answeredAt: at('answered_at'),
    notSelected: boolean('not_selected').notNull().default(false),
  },
  (t) => [index('offers_offered_idx').on(t.offeredAt, t.institutionId), index('offers_expired_idx').on(t.respondBy).where(sql`answer = 'expired'`)],
);

/** Providers and hospitals as the bed services describe them, with their location. */
export const institutions = monitoringSchema.table(
  'institutions',
  {
    institutionId: uuid('institution_id').notNull(),
    bedType: text('bed_type').notNull(),
    name: text('name').notNull(),
    county: text('county').notNull(),
    city: text('city').notNull(),
  },
  (t) => [primaryKey({ columns: [t.institutionId, t.bedType] })],
);

/** Stays (admissions), for readmissions. */
export const stays = monitoringSchema.table(
  'stays',
  {
    admissionId: uuid('admission_id').primaryKey(),
    elderRef: text('elder_ref').notNull(),
    institutionId: uuid('institution_id').notNull(),
    bedType: text('bed_type').notNull(),
    referralId: uuid('referral_id'),
    admittedAt: at('admitted_at').notNull(),
    dischargedAt: at('discharged_at'),
    dischargeReason: text('discharge_reason'),
  },
  (t) => [index('stays_elder_idx').on(t.elderRef, t.bedType, t.admittedAt)],
);

/**
 * The latest capacity of each institution (from BedAvailabilityChanged): the step that is still
 * open. Earlier steps are integrated into `bed_days` as each new one arrives.
 */
export const capacityLatest = monitoringSchema.table(
  'capacity_latest',
  {
    institutionId: uuid('institution_id').notNull(),
    bedType: text('bed_type').notNull(),
    sequence: integer('sequence').notNull(),
    since: at('since').notNull(),
    county: text('county').notNull(),
    city: text('city').notNull(),
    total: integer('total').notNull(),
    /** Units not closed: the capacity that can be used. */
    open: integer('open').notNull(),
    occupied: integer('occupied').notNull(),
    nursing: integer('nursing').notNull(),
    dementia: integer('dementia').notNull(),
  },
  (t) => [primaryKey({ columns: [t.institutionId, t.bedType] })],
);

const unitMs = {
  county: text('county').notNull(),
  city: text('city').notNull(),
  totalMs: bigint('total_ms', { mode: 'number' }).notNull(),
  openMs: bigint('open_ms', { mode: 'number' }).notNull(),
  occupiedMs: bigint('occupied_ms', { mode: 'number' }).notNull(),
  nursingMs: bigint('nursing_ms', { mode: 'number' }).notNull(),
  dementiaMs: bigint('dementia_ms', { mode: 'number' }).notNull(),
};

/** Unit-milliseconds per day (China Standard Time) and institution: the integral of the capacity steps. */
export const bedDays = monitoringSchema.table(
  'bed_days',
  {
    day: date('day', { mode: 'string' }).notNull(),
    institutionId: uuid('institution_id').notNull(),
    bedType: text('bed_type').notNull(),
    ...unitMs,
  },
  (t) => [primaryKey({ columns: [t.day, t.institutionId, t.bedType] })],
);

/** The same per ISO week (`week` is its Monday): what the whole weeks of a period read. */
export const bedWeeks = monitoringSchema.table(
  'bed_weeks',
  {
    week: date('week', { mode: 'string' }).notNull(),
    institutionId: uuid('institution_id').notNull(),
    bedType: text('bed_type').notNull(),
    ...unitMs,
  },
  (t) => [primaryKey({ columns: [t.week, t.institutionId, t.bedType] })],
);

/** The same per calendar month (`month` is its first day): what periods of whole months read. */
export const bedMonths = monitoringSchema.table(
  'bed_months',
  {
    month: date('month', { mode: 'string' }).notNull(),
    institutionId: uuid('institution_id').notNull(),
    bedType: text('bed_type').notNull(),
    ...unitMs,
  },
  (t) => [primaryKey({ columns: [t.month, t.institutionId, t.bedType] })],
);

const count = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);

/**
 * Roll-up of `referrals` per calendar month (China Standard Time) of the start, referring
 * county and city, bed type, and the stage of those still open (`''` for the others): what whole
 * months of the referral counts read instead of every row. Kept by a trigger on `referrals`, in
 * the transaction that writes the row (the old row's counts taken away, the new one's added), and
 * rebuilt from the rows by `monitoring.rebuild_rollups()`. Missing places and bed types are `''`.
 * A cell whose counts all fall to zero stays; queries read only cells with rows.
 */
export const referralMonths = monitoringSchema.table(
  'referral_months',
  {
    month: date('month', { mode: 'string' }).notNull(),
    county: text('county').notNull(),
    city: text('city').notNull(),
    bedType: text('bed_type').notNull(),
    openStage: text('open_stage').notNull(),
    started: count('started'),
    closedInLoop: count('closed_in_loop'),
    closedLate: count('closed_late'),
    cancelled: count('cancelled'),
    open: count('open'),
    openUrgent: count('open_urgent'),
    ltciAuthorised: count('ltci_authorised'),
    ltciRefused: count('ltci_refused'),
  },
  (t) => [primaryKey({ columns: [t.month, t.county, t.city, t.bedType, t.openStage] })],
);

/**
 * Roll-up of `referrals` per calendar month of the arrival, referring county and city, bed type
 * and the bed type left: arrivals, and arrivals from a medical bed followed by a medical admission
 * within 31 days (744 hours). Kept and rebuilt with `referral_months`.
 */
export const arrivalMonths = monitoringSchema.table(
  'arrival_months',
  {
    month: date('month', { mode: 'string' }).notNull(),
    county: text('county').notNull(),
    city: text('city').notNull(),
    bedType: text('bed_type').notNull(),
    originBedType: text('origin_bed_type').notNull(),
    arrived: count('arrived'),
    readmitted: count('readmitted'),
  },
  (t) => [primaryKey({ columns: [t.month, t.county, t.city, t.bedType, t.originBedType] })],
);

/**
 * Roll-up of `offers` per calendar month of the offer, provider, bed type, answer and reason
 * (`''` while none): whole months of the offer counts by provider. The provider's place is joined
 * at query time, as for the rows. Kept by a trigger on `offers` and rebuilt like `referral_months`.
 */
export const offerMonths = monitoringSchema.table(
  'offer_months',
  {
    month: date('month', { mode: 'string' }).notNull(),
    institutionId: uuid('institution_id').notNull(),
    bedType: text('bed_type').notNull(),
    answer: text('answer').notNull(),
    reasonCode: text('reason_code').notNull(),
    offers: count('offers'),
  },
  (t) => [primaryKey({ columns: [t.month, t.institutionId, t.bedType, t.answer, t.reasonCode] })],
);

/**
 * The same per the provider's county and city instead of the provider (`''` while the provider is
 * unknown): whole months of the offer counts of divisions. Kept by the trigger on `offers` (the
 * provider's place as `institutions` has it) and by one on `institutions`, which moves a
 * provider's cells when its place is first known or changes.
 */
export const offerPlaceMonths = monitoringSchema.table(
  'offer_place_months',
  {
    month: date('month', { mode: 'string' }).notNull(),
    county: text('county').notNull(),
    city: text('city').notNull(),
    bedType: text('bed_type').notNull(),
    answer: text('answer').notNull(),
    reasonCode: text('reason_code').notNull(),
    offers: count('offers'),
  },
  (t) => [primaryKey({ columns: [t.month, t.county, t.city, t.bedType, t.answer, t.reasonCode] })],
);

/**
 * One row per home visit (家庭养老床位, 家庭病床 and 探访), from HomeVisitCompleted and
 * HomeVisitMissed: where the elder lives, who was to visit, what for, when the window ended, and
 * how it went. A visit is `completed` once a completion is read, whatever came before (a missed
 * flag read after it does not undo it); otherwise `missed`. Keyed by the visit, so a completion
 * read twice, or a missed flag and then the completion, leave one row.
 */
export const visits = monitoringSchema.table(
  'visits',
  {
    visitId: uuid('visit_id').primaryKey(),
    /** Opaque civil-affairs reference, to match a 探访 without its id to the elder's month; never identity data. */
    elderRef: text('elder_ref').notNull(),
    /** The elder's home county and its city. */
    county: text('county').notNull(),
    city: text('city').notNull(),
    /** The provider whose worker was to visit; null for a 探访 civil affairs staff made themselves. */
    institutionId: uuid('institution_id'),
    /** `home-care` or `home-sick` for a home bed's visit; null for a 探访. */
    bedType: text('bed_type'),
    planId: uuid('plan_id'),
    tanfangId: uuid('tanfang_id'),
    purpose: text('purpose').notNull(),
    channel: text('channel').notNull(),
    windowStart: at('window_start').notNull(),
    windowEnd: at('window_end').notNull(),
    /** `completed` or `missed`. */
    outcome: text('outcome').notNull(),
    late: boolean('late').notNull().default(false),
    checkedInAt: at('checked_in_at'),
    minutes: integer('minutes'),
  },
  (t) => [
    index('visits_window_idx').on(t.windowEnd, t.county, t.bedType),
    index('visits_tanfang_idx').on(t.tanfangId),
    index('visits_elder_checked_in_idx').on(t.elderRef, t.checkedInAt),
  ],
);

/** One row per 探访 due (TanfangScheduled): the elder, their county, and the month it is due in (its first day). */
export const tanfangs = monitoringSchema.table(
  'tanfangs',
  {
    tanfangId: uuid('tanfang_id').primaryKey(),
    elderRef: text('elder_ref').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    county: text('county').notNull(),
    city: text('city').notNull(),
    scheduledAt: at('scheduled_at').notNull(),
  },
  (t) => [index('tanfangs_month_idx').on(t.month, t.county), index('tanfangs_elder_idx').on(t.elderRef, t.month)],
);

/**
 * One row per line of a provider's monthly statement of government-bought home-care hours
 * (HomeCareStatementIssued), originals and corrections alike: a correction's lines are
 * differences, so an elder's figures for a month are the sum of their lines over the original
 * and its corrections. Keyed by the statement and the line's place in it, so a statement read
 * twice counts once.
 */
export const statementLines = monitoringSchema.table(
  'statement_lines',
  {
    statementId: uuid('statement_id').notNull(),
    line: integer('line').notNull(),
    /** The statement this one corrects; null for an original. */
    correctionOf: uuid('correction_of'),
    institutionId: uuid('institution_id').notNull(),
    /** The month of the statement (its first day). */
    month: date('month', { mode: 'string' }).notNull(),
    elderRef: text('elder_ref').notNull(),
    county: text('county').notNull(),
    city: text('city').notNull(),
    entitledMinutes: bigint('entitled_minutes', { mode: 'number' }).notNull(),
    deliveredMinutes: bigint('delivered_minutes', { mode: 'number' }).notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    issuedAt: at('issued_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.statementId, t.line] }), index('statement_lines_month_idx').on(t.month, t.county, t.institutionId)],
);

/**
 * Roll-up of `visits` of home beds (those with a bed type; 探访 are not counted here) per calendar
 * month of the window's end (China Standard Time), the elder's county and city, bed type and
 * provider (`''` for none): what whole months of `home-visits` read. Kept by a trigger on `visits`
 * like the referral roll-ups, and rebuilt by `monitoring.rebuild_rollups()`.
 */
export const visitMonths = monitoringSchema.table(
  'visit_months',
  {
    month: date('month', { mode: 'string' }).notNull(),
    county: text('county').notNull(),
    city: text('city').notNull(),
    bedType: text('bed_type').notNull(),
    institutionId: text('institution_id').notNull(),
    planned: count('planned'),
    done: count('done'),
    missed: count('missed'),
    late: count('late'),
  },
  (t) => [primaryKey({ columns: [t.month, t.county, t.city, t.bedType, t.institutionId] })],
);

/**
 * Roll-up of `referrals` that arrived per calendar month of the arrival, referring county and
 * city, bed type, and the provider arrived at with its bed type (`''` for none): whole months of
 * `flows-by-district` by provider. The provider's place is joined at query time, as for the rows.
 * Keyed by the provider first, so the trigger on `institutions` finds a provider's cells; a
 * period's cells are read from an index by month holding every column a query reads.
 * Kept by a trigger on `referrals` and rebuilt like `referral_months`.
 */
export const flowMonths = monitoringSchema.table(
  'flow_months',
  {
    month: date('month', { mode: 'string' }).notNull(),
    county: text('county').notNull(),
    city: text('city').notNull(),
    bedType: text('bed_type').notNull(),
    institutionId: text('institution_id').notNull(),
    placedBedType: text('placed_bed_type').notNull(),
    arrived: count('arrived'),
  },
  (t) => [
    primaryKey({ columns: [t.institutionId, t.placedBedType, t.month, t.county, t.city, t.bedType] }),
    index('flow_months_month_idx').on(t.month, t.bedType, t.institutionId, t.placedBedType, t.county, t.arrived),
  ],
);

/**
 * The same per the county of the provider arrived at instead of the provider (`''` while it is
 * unknown): whole months of `flows-by-district` of divisions. Kept by the trigger on `referrals`
 * (the provider's place as `institutions` has it) and by one on `institutions`, which moves a
 * provider's cells when its place is first known or changes, like `offer_place_months`.
 */
export const flowPlaceMonths = monitoringSchema.table(
  'flow_place_months',
  {
    month: date('month', { mode: 'string' }).notNull(),
    county: text('county').notNull(),
    city: text('city').notNull(),
    bedType: text('bed_type').notNull(),
    toCounty: text('to_county').notNull(),
    arrived: count('arrived'),
  },
  (t) => [primaryKey({ columns: [t.month, t.county, t.city, t.bedType, t.toCounty] })],
);

/**
 * Roll-up of deadline breaches per calendar month (China Standard Time), provider, bed type and
 * kind: offers expired (`offer-expired`, by the month of their deadline) and follow-ups closed late
 * (`follow-up-late`, by the month of closing; provider and bed type placed into, `''` for none).
 * The provider's place is joined at query time, as for the rows; keyed by the provider first, like
 * `flow_months`, with an index by month holding every column a query reads. Kept by triggers on
 * `offers` and `referrals` and rebuilt like `referral_months`.
 */
export const breachMonths = monitoringSchema.table(
  'breach_months',
  {
    month: date('month', { mode: 'string' }).notNull(),
    institutionId: text('institution_id').notNull(),
    bedType: text('bed_type').notNull(),
    kind: text('kind').notNull(),
    breaches: count('breaches'),
  },
  (t) => [primaryKey({ columns: [t.institutionId, t.bedType, t.month, t.kind] }), index('breach_months_month_idx').on(t.month, t.bedType, t.institutionId, t.kind, t.breaches)],
);

/**
 * The same per the provider's county and city instead of the provider (`''` while it is unknown):
 * whole months of `deadline-breaches` of divisions. Kept by the triggers on `offers` and
 * `referrals` and by the one on `institutions`, like `flow_place_months`.
 */
export const breachPlaceMonths = monitoringSchema.table(
  'breach_place_months',
  {
    month: date('month', { mode: 'string' }).notNull(),
    county: text('county').notNull(),
    city: text('city').notNull(),
    bedType: text('bed_type').notNull(),
    kind: text('kind').notNull(),
    breaches: count('breaches'),
  },
  (t) => [primaryKey({ columns: [t.month, t.county, t.city, t.bedType, t.kind] })],
);

/**
 * The durations whose medians and P90s the dashboard gives, one row per referral and measure
 * (`first-response`: start to first answer; `placement`: start to arrival; `green-channel`: the
 * same for urgent referrals; `assessment`: start to the ability assessment), with the referring
 * place, bed type, the exact milliseconds and their bucket (`monitoring.duration_bucket`: steps of
 * 10 % from one second). Missing places and bed types are `''`. Kept by a trigger on `referrals`
 * in the writing transaction and rebuilt by `monitoring.rebuild_rollups()`; read for the exact
 * value inside one bucket, so its indexes hold every column a query reads.
 */
export const durations = monitoringSchema.table(
  'durations',
  {
    referralId: uuid('referral_id').notNull(),
    measure: text('measure').notNull(),
    startedAt: at('started_at').notNull(),
    county: text('county').notNull(),
    city: text('city').notNull(),
    bedType: text('bed_type').notNull(),
    ms: bigint('ms', { mode: 'number' }).notNull(),
    bucket: integer('bucket').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.referralId, t.measure] }),
    index('durations_started_idx').on(t.measure, t.startedAt, t.bucket, t.county, t.city),
    index('durations_bucket_idx').on(t.measure, t.bucket, t.startedAt, t.ms),
    index('durations_county_idx').on(t.measure, t.bucket, t.county, t.startedAt, t.ms),
    index('durations_city_idx').on(t.measure, t.bucket, t.city, t.startedAt, t.ms),
  ],
);

/**
 * Roll-up of `durations` per measure, calendar month of the start (China Standard Time),
 * referring county and city, and bucket: how many durations each bucket holds, so whole months
 * find the bucket of a rank without reading their rows. Kept and rebuilt with `durations`; a cell
 * whose count falls to zero stays.
 */
export const durationMonths = monitoringSchema.table(
  'duration_months',
  {
    measure: text('measure').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    county: text('county').notNull(),
    city: text('city').notNull(),
    bucket: integer('bucket').notNull(),
    n: count('n'),
  },
  (t) => [
    primaryKey({ columns: [t.measure, t.month, t.county, t.city, t.bucket] }),
    // With the count, so a period's cells are read from the index alone.
    index('duration_months_read_idx').on(t.measure, t.month, t.county, t.city, t.bucket, t.n),
  ],
);
