import { messagingTables } from '@fbl/db';
import { bigint, index, integer, jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The referral-workflow service's own schema. */
export const referralSchema = pgSchema('referral');

/** The outbox, inbox and timers of this schema. */
export const messaging = messagingTables(referralSchema);
export const { outbox, inbox, timers } = messaging;

/**
 * One row per referral: the persisted XState snapshot, the machine version it runs on, and an
 * optimistic `version` that every write checks and bumps, so two replicas never both advance it.
 */
export const referrals = referralSchema.table(
  'referrals',
  {
    id: uuid('id').primaryKey(),
    machineVersion: integer('machine_version').notNull(),
    state: text('state').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    version: integer('version').notNull(),
    institutionId: uuid('institution_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('referrals_state_idx').on(t.state)],
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
    causedBy: text('caused_by').notNull(),
    detail: text('detail'),
  },
  (t) => [index('timeline_referral_idx').on(t.referralId, t.seq)],
);
