import { messagingTables } from '@fbl/db';
import { auditChainTables, auditTable } from '@fbl/privacy';
import { boolean, date, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/** The civil-affairs service's own schema. */
export const civilAffairs = pgSchema('civil_affairs');

/** The outbox, inbox and timers of this schema. */
export const messaging = messagingTables(civilAffairs);
export const { outbox, inbox, timers } = messaging;

/** Every read or change of a person's record, append-only. */
export const auditLog = auditTable(civilAffairs);

/** The hash chain over the audit log, and where it stands. */
export const { chain: auditChain, state: auditChainState } = auditChainTables(civilAffairs);

/**
 * The elder registry. Identity fields are sealed (AES-256-GCM); the ID number is found by its
 * keyed hash and the full name by its blind index (`name_hash`, an HMAC under the same key, filled
 * for rows kept before it existed by a job at start-up); the division code stays plain because
 * scopes and statistics need it.
 */
export const elders = civilAffairs.table(
  'elders',
  {
    id: uuid('id').primaryKey(),
    idNumberSealed: text('id_number_sealed').notNull(),
    idNumberHash: text('id_number_hash').notNull().unique(),
    idKind: text('id_kind').notNull(),
    nameSealed: text('name_sealed').notNull(),
    /** Blind index of the normalised full name (`FieldProtector.nameHash`); null only until the start-up job fills it. */
    nameHash: text('name_hash'),
    gender: text('gender', { enum: ['male', 'female'] }).notNull(),
    birthDateSealed: text('birth_date_sealed').notNull(),
    birthYear: integer('birth_year').notNull(),
    phoneSealed: text('phone_sealed'),
    addressSealed: text('address_sealed').notNull(),
    divisionCode: text('division_code').notNull(),
    guardianSealed: text('guardian_sealed'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    /**
     * When the elder's personal information was erased (PIPL art. 47): identity, contacts and
     * assessment answers gone; division, gender, birth year and assessment levels kept, as
     * statistics and the records of public funds need them. Null while the record is whole.
     */
    erasedAt: timestamp('erased_at', { withTimezone: true }),
    /** Why: `request` (the elder's or guardian's) or `retention` (the purpose ended and the time to keep it passed). */
    erasureGround: text('erasure_ground', { enum: ['request', 'retention'] }),
  },
  // A scope is a division prefix (`LIKE '3717%'`): with text_pattern_ops the index serves it under
  // any collation of the server, not only C. Lists show the newest registered first (read backward).
  (t) => [index('elders_division_idx').on(t.divisionCode.op('text_pattern_ops')), index('elders_created_idx').on(t.createdAt, t.id), index('elders_name_hash_idx').on(t.nameHash)],
);

/** Consent to process health data (PIPL art. 29): separate, recorded, with who recorded it. */
export const consents = civilAffairs.table('consents', {
  id: uuid('id').primaryKey(),
  elderId: uuid('elder_id')
    .notNull()
    .references(() => elders.id),
  purpose: text('purpose').notNull(),
  granted: boolean('granted').notNull(),
  givenBy: text('given_by', { enum: ['elder', 'guardian'] }).notNull(),
  recordedBy: text('recorded_by').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
});

/** Hardship statuses (特困, 低保, 低保边缘, 计划生育特殊家庭, 重点优抚, severe disability) with validity. */
export const hardships = civilAffairs.table(
  'hardships',
  {
    id: uuid('id').primaryKey(),
    elderId: uuid('elder_id')
      .notNull()
      .references(() => elders.id),
    status: text('status').notNull(),
    validFrom: date('valid_from').notNull(),
    validUntil: date('valid_until'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('hardships_elder_idx').on(t.elderId)],
);

/** Ability assessments (GB/T 42195-2022): raw answers, the result, the rules version, two assessors. */
export const assessments = civilAffairs.table(
  'assessments',
  {
    id: uuid('id').primaryKey(),
    elderId: uuid('elder_id')
      .notNull()
      .references(() => elders.id),
    assessedOn: date('assessed_on').notNull(),
    reason: text('reason').notNull(),
    assessors: jsonb('assessors').$type<string[]>().notNull(),
    answersSealed: text('answers_sealed').notNull(),
    level: integer('level').notNull(),
    total: integer('total').notNull(),
    result: jsonb('result').notNull(),
    rulesVersion: text('rules_version').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('assessments_elder_idx').on(t.elderId, t.assessedOn)],
);

/** Requests for an assessment (from a referral), the assessors' work queue, with a due date. */
export const assessmentRequests = civilAffairs.table(
  'assessment_requests',
  {
    id: uuid('id').primaryKey(),
    elderId: uuid('elder_id').notNull(),
    referralId: uuid('referral_id'),
    reason: text('reason').notNull(),
    /** The referral's urgency: green-channel (绿色通道) requests come first in the queue. */
    urgency: text('urgency', { enum: ['routine', 'green-channel'] }).notNull().default('routine'),
    status: text('status', { enum: ['open', 'done'] }).notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    assessmentId: uuid('assessment_id'),
  },
  // The queue by due date; an elder's open requests, answered by an assessment.
  (t) => [index('assessment_requests_open_idx').on(t.status, t.dueAt), index('assessment_requests_open_elder_idx').on(t.elderId).where(sql`status = 'open'`)],
);

/**
 * The public care-home waiting list (轮候, DOMAIN.md §5): one row per application to a home.
 * `priority_class` is the class on the day of application, kept for the record; the order is
 * worked out again on every read from the statuses valid that day. Bans are derived from the
 * elder's past rows (`refused`, `withdrawn` with `ended_at`), so there is no ban table.
 */
export const waitingList = civilAffairs.table(
  'waiting_list',
  {
    id: uuid('id').primaryKey(),
    elderId: uuid('elder_id')
      .notNull()
      .references(() => elders.id),
    homeInstitutionId: uuid('home_institution_id').notNull(),
    status: text('status', { enum: ['waiting', 'offered', 'admitted', 'refused', 'withdrawn'] }).notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true }).notNull(),
    assessmentDueAt: timestamp('assessment_due_at', { withTimezone: true }).notNull(),
    priorityClass: integer('priority_class').notNull(),
    rulesVersion: text('rules_version').notNull(),
    offersRefused: integer('offers_refused').notNull().default(0),
    offeredAt: timestamp('offered_at', { withTimezone: true }),
    offeredInstitutionId: uuid('offered_institution_id'),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    appliedBy: text('applied_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('waiting_list_home_idx').on(t.homeInstitutionId, t.status, t.appliedAt), index('waiting_list_elder_idx').on(t.elderId)],
);

/**
 * Which institutions may know who an elder is beyond the masked view: the provider the family
 * chose in a referral, from the choice (`ProviderChosen`) until it lapses before the elder arrived
 * (`ProviderChoiceLapsed`). Its staff then see the record whole; other providers see nothing.
 */
export const carers = civilAffairs.table(
  'carers',
  {
    referralId: uuid('referral_id').notNull(),
    institutionId: uuid('institution_id').notNull(),
    elderId: uuid('elder_id').notNull(),
    since: timestamp('since', { withTimezone: true }).notNull(),
    until: timestamp('until', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.referralId, t.institutionId] }), index('carers_elder_idx').on(t.elderId, t.institutionId)],
);

/**
 * Facts of the register with their evidence and validity: the special-hardship categories of the
 * 探访 register (独居, 空巢, 留守, 失能, 重残, 计划生育特殊家庭) and the facts the home-care hours
 * rules need (分散居住, 市级以上劳动模范, 建国前老党员). The evidence is personal data: sealed.
 */
export const elderFacts = civilAffairs.table(
  'elder_facts',
  {
    id: uuid('id').primaryKey(),
    elderId: uuid('elder_id')
      .notNull()
      .references(() => elders.id),
    fact: text('fact').notNull(),
    evidenceSealed: text('evidence_sealed').notNull(),
    validFrom: date('valid_from').notNull(),
    validUntil: date('valid_until'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('elder_facts_elder_idx').on(t.elderId), index('elder_facts_fact_idx').on(t.fact, t.validFrom)],
);

/**
 * Visits made to elders at home, by phone or online: those of home-care bed providers (from
 * `HomeVisitCompleted` on `home-care-beds.events`, whose item minutes the government's hours
 * count) and the 探访 civil affairs staff record themselves. One record shape serves both.
 * `month` is the local month (China time) of the check-in.
 */
export const homeVisits = civilAffairs.table(
  'home_visits',
  {
    visitId: uuid('visit_id').primaryKey(),
    elderRef: text('elder_ref').notNull(),
    divisionCode: text('division_code').notNull(),
    institutionId: uuid('institution_id'),
    bedType: text('bed_type'),
    planId: uuid('plan_id'),
    tanfangId: uuid('tanfang_id'),
    purpose: text('purpose').notNull(),
    channel: text('channel').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    windowEnd: timestamp('window_end', { withTimezone: true }).notNull(),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }).notNull(),
    checkedOutAt: timestamp('checked_out_at', { withTimezone: true }).notNull(),
    minutes: integer('minutes').notNull(),
    items: jsonb('items').$type<{ code: string; minutes: number }[]>().notNull(),
    confirmation: text('confirmation').notNull(),
    late: boolean('late').notNull(),
    month: text('month').notNull(),
    /** The civil-affairs account that recorded a 探访; null for a provider's visit. */
    recordedBy: text('recorded_by'),
  },
  (t) => [index('home_visits_institution_month_idx').on(t.institutionId, t.month), index('home_visits_elder_month_idx').on(t.elderRef, t.month)],
);

/**
 * Monthly statements of government-bought home-care hours per provider: closed once issued (a
 * trigger refuses UPDATE and DELETE); a correction is a later row with `correction_of`, whose
 * lines are differences. Lines carry elder references and figures only.
 */
export const careStatements = civilAffairs.table(
  'care_statements',
  {
    id: uuid('id').primaryKey(),
    institutionId: uuid('institution_id').notNull(),
    month: text('month').notNull(),
    correctionOf: uuid('correction_of'),
    rulesVersion: text('rules_version').notNull(),
    rateFen: integer('rate_fen').notNull(),
    lines: jsonb('lines').notNull(),
    issuedBy: text('issued_by').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('care_statements_institution_month_idx').on(t.institutionId, t.month, t.issuedAt)],
);

/**
 * Monthly 探访 of elders on the special-hardship register: one per elder and month, assigned to a
 * civil-affairs account, answered by a visit record.
 */
export const tanfang = civilAffairs.table(
  'tanfang',
  {
    id: uuid('id').primaryKey(),
    elderId: uuid('elder_id')
      .notNull()
      .references(() => elders.id),
    month: text('month').notNull(),
    divisionCode: text('division_code').notNull(),
    categories: jsonb('categories').$type<string[]>().notNull(),
    channel: text('channel').notNull(),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }).notNull(),
    assignedTo: text('assigned_to'),
    assignedName: text('assigned_name'),
    visitId: uuid('visit_id'),
    visitedAt: timestamp('visited_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('tanfang_elder_month_uq').on(t.elderId, t.month), index('tanfang_month_division_idx').on(t.month, t.divisionCode.op('text_pattern_ops'))],
);
