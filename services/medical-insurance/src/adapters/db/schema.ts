import { messagingTables } from '@fbl/db';
import { auditChainTables, auditTable } from '@fbl/privacy';
import { sql } from 'drizzle-orm';
import { bigint, date, index, integer, jsonb, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** The medical-insurance service's own schema. */
export const medicalInsurance = pgSchema('medical_insurance');

/** The outbox, inbox and timers of this schema. */
export const messaging = messagingTables(medicalInsurance);
export const { outbox, inbox, timers } = messaging;

/** Every read or change of an application or filing, append-only. */
export const auditLog = auditTable(medicalInsurance);

/** The hash chain over the audit log, and where it stands. */
export const { chain: auditChain, state: auditChainState } = auditChainTables(medicalInsurance);

/**
 * LTCI applications (长护险申请), one row per application, holding the state the domain rules
 * decide on. An elder has at most one live application (being worked or authorised): the
 * partial unique index holds that even when two requests race.
 */
export const applications = medicalInsurance.table(
  'applications',
  {
    id: uuid('id').primaryKey(),
    /** The application's number for people (申请编号), in order of creation. */
    number: bigint('number', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    elderRef: text('elder_ref').notNull(),
    /** The division whose insurance officers handle the application (the elder's home, else the referring hospital's); null on applications opened before divisions were kept. */
    divisionCode: text('division_code'),
    status: text('status').notNull(),
    /** Referrals waiting for the answer (from AuthoriseLtci); each hears LtciAuthorised or LtciRefused. */
    referralIds: jsonb('referral_ids').$type<string[]>().notNull(),
    source: text('source', { enum: ['officer', 'referral'] }).notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true }).notNull(),
    appliedBy: text('applied_by').notNull(),
    grade: integer('grade'),
    refusalGround: text('refusal_ground'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    reapplyFrom: date('reapply_from'),
    noticeEndsAt: timestamp('notice_ends_at', { withTimezone: true }),
    objectionReason: text('objection_reason'),
    effectiveAt: timestamp('effective_at', { withTimezone: true }),
    effectiveFrom: date('effective_from'),
    careMode: text('care_mode'),
    providerInstitutionId: uuid('provider_institution_id'),
    hospitalLevel: integer('hospital_level'),
    benefitsFrom: date('benefits_from'),
    reassessmentDueAt: timestamp('reassessment_due_at', { withTimezone: true }),
    endReason: text('end_reason'),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** The day (China) benefits ended, as the officer recorded it (the day of death, …); null on applications ended before it was kept. */
    endedOn: date('ended_on'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('applications_one_live_per_elder').on(t.elderRef).where(sql`status not in ('refused', 'not-eligible', 'ended')`),
    index('applications_elder_idx').on(t.elderRef, t.appliedAt),
    index('applications_queue_idx').on(t.status, t.appliedAt),
    uniqueIndex('applications_number_idx').on(t.number),
  ],
);

/** LTCI disability assessments (失能等级评估): raw answers as given, two assessors, the result and its rules version. */
export const assessments = medicalInsurance.table(
  'assessments',
  {
    id: uuid('id').primaryKey(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    purpose: text('purpose', { enum: ['first', 'objection', 'reassessment'] }).notNull(),
    assessedOn: date('assessed_on').notNull(),
    assessors: jsonb('assessors').$type<string[]>().notNull(),
    /** Raw answers, plain: only on assessments recorded before answers were sealed (sealed at start-up). */
    answers: jsonb('answers').$type<Record<string, number>>(),
    /** Raw answers (health data), sealed with PII_ENCRYPTION_KEY (AES-256-GCM). */
    answersSealed: text('answers_sealed'),
    grade: integer('grade').notNull(),
    result: jsonb('result').notNull(),
    rulesVersion: text('rules_version').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('assessments_application_idx').on(t.applicationId, t.recordedAt)],
);

/**
 * The applicant's self-assessment (自评) given with an application, at most one per application:
 * advisory only (a pre-screen shown to the officer), never a ground for a decision.
 */
export const selfAssessments = medicalInsurance.table('self_assessments', {
  applicationId: uuid('application_id')
    .primaryKey()
    .references(() => applications.id),
  /** Who filled it in: self (本人), guardian (监护人), agent (委托代理人). */
  filledBy: text('filled_by', { enum: ['self', 'guardian', 'agent'] }).notNull(),
  /** The 17 raw answers (health data), sealed with PII_ENCRYPTION_KEY. */
  answersSealed: text('answers_sealed').notNull(),
  /** The grade the answers give under the rules of `rules_version` (the predicted grade). */
  grade: integer('grade').notNull(),
  rulesVersion: text('rules_version').notNull(),
  recordedBy: text('recorded_by').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
});

/** Home sick bed filings (家庭病床医保备案): one per elder and institution. */
export const homeSickBedFilings = medicalInsurance.table(
  'home_sick_bed_filings',
  {
    id: uuid('id').primaryKey(),
    elderRef: text('elder_ref').notNull(),
    institutionId: uuid('institution_id').notNull(),
    referralId: uuid('referral_id'),
    validFrom: date('valid_from').notNull(),
    filedBy: text('filed_by').notNull(),
    filedAt: timestamp('filed_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('home_sick_bed_filings_elder_institution').on(t.elderRef, t.institutionId)],
);
