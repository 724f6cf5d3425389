import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, primaryKey, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';

/**
 * The outbox and inbox of one service, in that service's own schema.
 *
 * Outbox: a row per message, written in the same transaction as the change that caused it, and
 * marked `published_at` once the bus acknowledged it. The relay reads every committed row not yet
 * marked, so a row whose transaction commits late is read at the next pass, never skipped (a
 * relay keeping only a high-water mark of `seq` would skip it, since sequence values are taken
 * before commit). See the relay for why `seq` order is commit order for each key.
 *
 * Inbox: `(consumer, message_id)` written in the same transaction as a consumer's effect, so a
 * redelivered message finds its row and does nothing.
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
  return { outbox, inbox };
}

export type MessagingTables = ReturnType<typeof messagingTables>;
