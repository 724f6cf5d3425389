import { messagingTables } from '@fbl/db';
import { sql } from 'drizzle-orm';
import { index, integer, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** The care-beds service's own schema; no other service reads it. */
export const careBeds = pgSchema('care_beds');

/** The outbox, inbox and timers of this schema. */
export const messaging = messagingTables(careBeds);
export const { outbox, inbox, timers } = messaging;

/** 养老机构: a care home. */
export const institutions = careBeds.table('institutions', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  divisionCode: text('division_code').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A physical bed; `status` is the bed's current use. */
export const beds = careBeds.table(
  'beds',
  {
    id: uuid('id').primaryKey(),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    label: text('label').notNull(),
    ordinal: integer('ordinal').notNull(),
    status: text('status', { enum: ['free', 'held', 'occupied'] }).notNull().default('free'),
  },
  (t) => [index('beds_free_idx').on(t.institutionId, t.ordinal).where(sql`status = 'free'`)],
);

/** A bed held for a referral until admission or expiry. */
export const holds = careBeds.table(
  'holds',
  {
    id: uuid('id').primaryKey(),
    referralId: uuid('referral_id').notNull(),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    bedId: uuid('bed_id')
      .notNull()
      .references(() => beds.id),
    status: text('status', { enum: ['active', 'admitted', 'expired', 'released'] }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    admittedAt: timestamp('admitted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The database, not application code, guarantees one active hold per bed and per referral.
    uniqueIndex('holds_active_bed_uq').on(t.bedId).where(sql`status = 'active'`),
    uniqueIndex('holds_active_referral_uq').on(t.referralId).where(sql`status = 'active'`),
  ],
);
