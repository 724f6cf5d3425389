import { messagingTables } from '@fbl/db';
import { sql, type SQL } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, primaryKey, text, timestamp, uniqueIndex, uuid, type PgSchema } from 'drizzle-orm/pg-core';
import type { Attributes } from '../../domain/attributes.js';
import { visitTables } from './visit-tables.js';

/**
 * The tables of one bed service, in its own schema. The same definitions serve all five
 * services; only the schema name differs.
 */
export function bedInventoryTables(schema: PgSchema) {
  const institutions = schema.table('institutions', {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    creditCode: text('credit_code').notNull().unique(),
    creditCodeOverridden: boolean('credit_code_overridden').notNull().default(false),
    creditCodeOverrideReason: text('credit_code_override_reason'),
    divisionCode: text('division_code').notNull(),
    kind: text('kind').notNull(),
    ownership: text('ownership', { enum: ['public', 'private'] }).notNull(),
    capabilities: jsonb('capabilities').$type<string[]>().notNull(),
    serviceArea: jsonb('service_area').$type<string[]>().notNull(),
    greenChannelPartners: jsonb('green_channel_partners').$type<string[]>().notNull(),
    /** Grows with every capacity change; orders BedAvailabilityChanged for readers. */
    availabilitySequence: integer('availability_sequence').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  });

  const units = schema.table(
    'units',
    {
      id: uuid('id').primaryKey(),
      institutionId: uuid('institution_id')
        .notNull()
        .references(() => institutions.id),
      kind: text('kind', { enum: ['bed', 'slot'] }).notNull(),
      label: text('label').notNull(),
      ordinal: integer('ordinal').notNull(),
      attributes: jsonb('attributes').$type<Attributes>().notNull(),
      status: text('status', { enum: ['free', 'held', 'occupied', 'kept', 'closed'] }).notNull(),
    },
    (t) => [index('units_free_idx').on(t.institutionId, t.ordinal).where(sql`status = 'free'`), index('units_institution_idx').on(t.institutionId)],
  );

  /**
   * How many units of an institution there are of each kind, attribute set and status: changed in
   * the transaction of every unit insert and status change, so availability is read from a few rows
   * here instead of counting every unit of the institution. Lines that fall to zero stay, at zero.
   */
  const unitCounts = schema.table(
    'unit_counts',
    {
      institutionId: uuid('institution_id')
        .notNull()
        .references(() => institutions.id),
      kind: text('kind', { enum: ['bed', 'slot'] }).notNull(),
      attributes: jsonb('attributes').$type<Attributes>().notNull(),
      status: text('status', { enum: ['free', 'held', 'occupied', 'kept', 'closed'] }).notNull(),
      count: integer('count').notNull(),
    },
    (t) => [primaryKey({ columns: [t.institutionId, t.kind, t.attributes, t.status] }), check('unit_counts_count_check', sql`count >= 0`)],
  );

  const holds = schema.table(
    'holds',
    {
      id: uuid('id').primaryKey(),
      referralId: uuid('referral_id').notNull(),
      elderRef: text('elder_ref').notNull(),
      institutionId: uuid('institution_id')
        .notNull()
        .references(() => institutions.id),
      unitId: uuid('unit_id')
        .notNull()
        .references(() => units.id),
      status: text('status', { enum: ['active', 'admitted', 'expired', 'released'] }).notNull(),
      expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
      endedAt: timestamp('ended_at', { withTimezone: true }),
    },
    (t) => [
      // The database guarantees one active hold per unit and per referral, whatever the code does.
      uniqueIndex('holds_active_unit_uq').on(t.unitId).where(sql`status = 'active'`),
      uniqueIndex('holds_active_referral_uq').on(t.referralId).where(sql`status = 'active'`),
      // A provider's active holds, soonest to expire first.
      index('holds_active_institution_idx').on(t.institutionId, t.expiresAt).where(sql`status = 'active'`),
    ],
  );

  /** A stay: a resident in a bed, or a case in a home caseload (for home sick beds, an episode). */
  const stays = schema.table(
    'stays',
    {
      id: uuid('id').primaryKey(),
      holdId: uuid('hold_id')
        .notNull()
        .references(() => holds.id),
      referralId: uuid('referral_id').notNull(),
      elderRef: text('elder_ref').notNull(),
      institutionId: uuid('institution_id')
        .notNull()
        .references(() => institutions.id),
      unitId: uuid('unit_id')
        .notNull()
        .references(() => units.id),
      status: text('status', { enum: ['in-care', 'away', 'discharged'] }).notNull(),
      admittedAt: timestamp('admitted_at', { withTimezone: true }).notNull(),
      keptUntil: timestamp('kept_until', { withTimezone: true }),
      reviewDueAt: timestamp('review_due_at', { withTimezone: true }),
      /** Written before the plan was sealed; emptied into `service_plan_sealed` at start (see `sealLeftovers`). */
      servicePlan: jsonb('service_plan').$type<{ services: string[]; visitsPerWeek: number } | null>(),
      /** The service plan at admission (JSON), sealed: it says what care the elder needs. */
      servicePlanSealed: text('service_plan_sealed'),
      dischargedAt: timestamp('discharged_at', { withTimezone: true }),
      /** Written before the reason was sealed; emptied into `discharge_reason_sealed` at start. */
      dischargeReason: text('discharge_reason'),
      /** Why the stay ended (a code such as `died`), sealed. */
      dischargeReasonSealed: text('discharge_reason_sealed'),
    },
    (t) => [index('stays_institution_idx').on(t.institutionId, t.status), uniqueIndex('stays_hold_uq').on(t.holdId)],
  );

  /** Urgent transfers to hospital started by provider staff. */
  const transfers = schema.table(
    'transfers',
    {
      id: uuid('id').primaryKey(),
      stayId: uuid('stay_id')
        .notNull()
        .references(() => stays.id),
      /** Written before the reason was sealed; emptied into `reason_sealed` at start. */
      reason: text('reason'),
      /** Why the resident was sent to hospital, sealed: health data. */
      reasonSealed: text('reason_sealed'),
      bedKept: boolean('bed_kept').notNull(),
      requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    },
    // A stay's transfers, newest first (the page of an admission).
    (t) => [index('transfers_stay_idx').on(t.stayId, t.requestedAt)],
  );

  /** A home sick bed's stage reviews (阶段评估): how the elder is, what was decided, and the next review date. */
  const episodeReviews = schema.table(
    'episode_reviews',
    {
      id: uuid('id').primaryKey(),
      stayId: uuid('stay_id')
        .notNull()
        .references(() => stays.id),
      /** Written before the answers were sealed; emptied into the sealed columns at start. */
      condition: text('condition'),
      decision: text('decision'),
      /** How the elder is (`improved`, `stable`, `worse`), sealed: health data. */
      conditionSealed: text('condition_sealed'),
      /** What was decided (`continue`, `adjust-plan`, `prepare-closing`), sealed. */
      decisionSealed: text('decision_sealed'),
      reviewedBy: text('reviewed_by').notNull(),
      reviewedByName: text('reviewed_by_name'),
      reviewedAt: timestamp('reviewed_at', { withTimezone: true }).notNull(),
      nextReviewDueAt: timestamp('next_review_due_at', { withTimezone: true }).notNull(),
    },
    (t) => [index('episode_reviews_stay_idx').on(t.stayId, t.reviewedAt)],
  );

  return { institutions, units, unitCounts, holds, stays, transfers, episodeReviews, ...visitTables(schema), messaging: messagingTables(schema) };
}

export type BedInventoryTables = ReturnType<typeof bedInventoryTables>;

/*
 * Conditions that partial indexes are made for, with the status written out, not a parameter:
 * after five runs PostgreSQL may keep a prepared statement's generic plan, made for no value in
 * particular, which can use a partial index only when the statement itself proves its predicate.
 * With `status = $2`, a hold was found by reading every hold, a free unit by reading every unit
 * of the institution.
 */

/** A unit that is free (the partial index `units_free_idx`). */
export function freeUnit(units: BedInventoryTables['units']): SQL {
  return sql`${units.status} = 'free'`;
}

/** A hold that is active (the partial indexes `holds_active_*`). */
export function activeHold(holds: BedInventoryTables['holds']): SQL {
  return sql`${holds.status} = 'active'`;
}
