import { sql } from 'drizzle-orm';
import { bigint, customType, index, jsonb, primaryKey, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';

/** PostgreSQL `xid8`: the 64-bit id of the transaction that wrote a row. */
const xid8 = customType<{ data: string; driverData: string }>({
  dataType: () => 'xid8',
});

/**
 * The outbox and inbox of one service, in that service's own schema.
 *
 * Outbox: a row per message, written in the same transaction as the change that caused it.
 * `tx_id` records the writing transaction so the relay can publish in commit order (a sequence
 * is taken before commit and would let a late commit be skipped). `seq` orders rows within one
 * transaction.
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
      txId: xid8('tx_id').notNull().default(sql`pg_current_xact_id()`),
      topic: text('topic').notNull(),
      key: text('key').notNull(),
      type: text('type').notNull(),
      envelope: jsonb('envelope').notNull(),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
      publishedAt: timestamp('published_at', { withTimezone: true }),
    },
    (t) => [index('outbox_unpublished_idx').on(t.txId, t.seq).where(sql`published_at is null`)],
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
