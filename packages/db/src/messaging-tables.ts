import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, primaryKey, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';

/**
 * The outbox and inbox of one service, in that service's own schema.
 *
 * Outbox: a row per message, written in the same transaction as the change that caused it, and
 * deleted once the bus acknowledged it. The relay reads every committed row still there, so a row
 * whose transaction commits late is read at the next pass, never skipped (a relay keeping only a
 * high-water mark of `seq` would skip it, since sequence values are taken before commit). See the
 * relay for why `seq` order is commit order for each key. `published_at` is what earlier versions
 * marked sent rows with; the relay now leaves it null and deletes rows so marked.
 *
 * Inbox: `(consumer, message_id)` written in the same transaction as a consumer's effect, so a
 * redelivered message finds its row and does nothing.
 *
 * Timers: durable deadlines (a hold's expiry, a review due date). Each row holds the message to
 * send when it falls due; a poller moves due rows into the outbox, so deadlines survive restarts
 * and arrive as ordinary messages through the inbox.
 */
export function messagingTables(schema: PgSchema) {
  const outbox = schema.table(
    'outbox',
    {
      seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
      id: uuid('id').notNull().unique(),
      topic: text('topic').notNull(),
      key: text('key').notNull(),
      type: text('type').notNull(),
      envelope: jsonb('envelope').notNull(),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
      publishedAt: timestamp('published_at', { withTimezone: true }),
    },
    (t) => [index('outbox_unpublished_idx').on(t.seq).where(sql`published_at is null`)],
  );
  const inbox = schema.table(
    'inbox',
    {
      consumer: text('consumer').notNull(),
      messageId: uuid('message_id').notNull(),
      type: text('type').notNull(),
      receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    },
    (t) => [primaryKey({ columns: [t.consumer, t.messageId] })],
  );
  const timers = schema.table(
    'timers',
    {
      key: text('key').primaryKey(),
      dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
      topic: text('topic').notNull(),
      messageKey: text('message_key').notNull(),
      envelope: jsonb('envelope').notNull(),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
      firedAt: timestamp('fired_at', { withTimezone: true }),
    },
    (t) => [index('timers_due_idx').on(t.dueAt).where(sql`fired_at is null`)],
  );
  return { outbox, inbox, timers };
}

export type MessagingTables = ReturnType<typeof messagingTables>;
