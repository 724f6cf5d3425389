import { messagingTables } from '@fbl/db';
import { bigint, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The referral-workflow service's own schema. */
export const referralSchema = pgSchema('referral');

/** The outbox, inbox and timers of this schema. */
export const messaging = messagingTables(referralSchema);
export const { outbox, inbox, timers } = messaging;

/**
 * One row per referral: the persisted XState snapshot, the machine version it runs on, and an
 * optimistic `version` that every write checks and bumps, so two replicas never both advance it.
 * The other columns are copies for queries (inboxes, lists, the commission's drill-down).
 */
export const referrals = referralSchema.table(
  'referrals',
  {
    id: uuid('id').primaryKey(),
    machineVersion: integer('machine_version').notNull(),
    state: text('state').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    version: integer('version').notNull(),
    kind: text('kind').notNull(),
    urgency: text('urgency').notNull(),
    elderRef: text('elder_ref').notNull(),
    originInstitutionId: uuid('origin_institution_id').notNull(),
    /** The elder's stay at the origin, when its bed service knows it (its discharge is awaited). */
    originAdmissionId: uuid('origin_admission_id'),
    /** The referral this one came from (an urgent transfer's return trip). */
    parentId: uuid('parent_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('referrals_state_idx').on(t.state), index('referrals_elder_idx').on(t.elderRef), index('referrals_origin_idx').on(t.originInstitutionId, t.createdAt), index('referrals_origin_stay_idx').on(t.originAdmissionId)],
);

/** What happened to a referral, step by step: who or what caused it, and the state it led to. */
export const timeline = referralSchema.table(
  'timeline',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    event: text('event').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    /** Who or what: a person's id, a service, or a deadline. */
    actor: text('actor').notNull(),
    causedBy: text('caused_by').notNull(),
    detail: text('detail'),
  },
  (t) => [index('timeline_referral_idx').on(t.referralId, t.seq)],
);

/** Offers as providers see them in their inbox. */
export const offers = referralSchema.table(
  'offers',
  {
    id: uuid('id').primaryKey(),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    institutionId: uuid('institution_id').notNull(),
    bedType: text('bed_type').notNull(),
    rank: integer('rank').notNull(),
    status: text('status').notNull(),
    reasonCode: text('reason_code'),
    urgency: text('urgency').notNull(),
    offeredAt: timestamp('offered_at', { withTimezone: true }).notNull(),
    respondBy: timestamp('respond_by', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [index('offers_institution_idx').on(t.institutionId, t.status), index('offers_referral_idx').on(t.referralId)],
);

/** Each matching run: the ranking and the exclusions with their reasons. */
export const matchRuns = referralSchema.table('match_runs', {
  seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  referralId: uuid('referral_id')
    .notNull()
    .references(() => referrals.id),
  at: timestamp('at', { withTimezone: true }).notNull(),
  widened: integer('widened').notNull(),
  result: jsonb('result').notNull(),
});

/** The bed services' capacity, as their BedAvailabilityChanged events tell it (latest sequence wins). */
export const availability = referralSchema.table(
  'availability',
  {
    institutionId: uuid('institution_id').notNull(),
    bedType: text('bed_type').notNull(),
    sequence: integer('sequence').notNull(),
    name: text('name').notNull(),
    divisionCode: text('division_code').notNull(),
    capabilities: jsonb('capabilities').$type<string[]>().notNull(),
    serviceArea: jsonb('service_area').$type<string[]>().notNull(),
    greenChannelPartners: jsonb('green_channel_partners').$type<string[]>().notNull(),
    units: jsonb('units').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.institutionId, t.bedType] }), index('availability_type_idx').on(t.bedType)],
);

/** What civil affairs and medical insurance have said about elders (by opaque reference). */
export const elderFacts = referralSchema.table('elder_facts', {
  elderRef: text('elder_ref').primaryKey(),
  facts: jsonb('facts').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
