import { sql } from 'drizzle-orm';
import { bigint, customType, index, jsonb, primaryKey, text, timestamp, unique, type PgSchema } from 'drizzle-orm/pg-core';

/** PostgreSQL's 64-bit transaction id (as text): the transaction that wrote a log row. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/**
 * The `xid` column of an append-only log under the hash chain: the writing transaction, set by the
 * database, so the chain links a row only once that transaction is finished (see `chainPass`).
 */
export const writerXid = () => xid8('xid').notNull().default(sql`pg_current_xact_id()`);

/**
 * The audit log of personal-data access (等保三级: subject, object, action, time, outcome), one row
 * per read or change of a person's record. Rows are only ever inserted: the service's migrations
 * add a trigger that refuses UPDATE and DELETE (see `auditAppendOnlySql`), and no API changes them.
 */
export function auditTable(schema: PgSchema) {
  return schema.table(
    'audit_log',
    {
      seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
      at: timestamp('at', { withTimezone: true }).notNull(),
      actor: text('actor').notNull(),
      role: text('role').notNull(),
      action: text('action').notNull(),
      objectType: text('object_type').notNull(),
      objectId: text('object_id').notNull(),
      outcome: text('outcome', { enum: ['allowed', 'denied', 'not-found', 'invalid'] }).notNull(),
      detail: jsonb('detail'),
      xid: writerXid(),
    },
    // The trail of an object or of an actor is read newest first (`AuditLog.trail`).
    (t) => [index('audit_object_idx').on(t.objectId, t.seq), index('audit_actor_idx').on(t.actor, t.seq), index('audit_xid_idx').on(t.xid, t.seq)],
  );
}

/**
 * The hash chain over a schema's append-only logs (`audit_chain`, one link per log row, in the
 * order `chainPass` links them) and where each log's chain stands (`audit_chain_state`: the cursor,
 * the head, and the anchor left by archiving). Links are append-only like the logs.
 */
export function auditChainTables(schema: PgSchema) {
  const chain = schema.table(
    'audit_chain',
    {
      position: bigint('position', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
      log: text('log').notNull(),
      seq: bigint('seq', { mode: 'number' }).notNull(),
      hash: text('hash').notNull(),
    },
    (t) => [unique('audit_chain_log_seq').on(t.log, t.seq), index('audit_chain_log_idx').on(t.log, t.position)],
  );
  const state = schema.table(
    'audit_chain_state',
    {
      log: text('log').notNull(),
      lastXid: xid8('last_xid'),
      lastSeq: bigint('last_seq', { mode: 'number' }),
      position: bigint('position', { mode: 'number' }),
      head: text('head'),
      anchorPosition: bigint('anchor_position', { mode: 'number' }),
      anchorHash: text('anchor_hash'),
    },
    (t) => [primaryKey({ name: 'audit_chain_state_pk', columns: [t.log] })],
  );
  return { chain, state };
}

/**
 * SQL for a custom migration that puts the hash chain's rules in place: the logs and the chain stay
 * append-only, except that archiving (`archiveLog`, with `fbl.audit_purge` set for its transaction
 * alone) may delete rows it has written to an archive first. `logs` are the schema's chained logs
 * other than `audit_log` (which has its triggers already), e.g. the gateway's `sign_ins`.
 */
export function auditChainSql(schema: string, logs: readonly string[] = []): string {
  const appendOnly = (table: string) => `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON "${schema}"."${table}"
  FOR EACH ROW EXECUTE FUNCTION "${schema}".audit_log_append_only();
--> statement-breakpoint
CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON "${schema}"."${table}"
  FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".audit_log_append_only();`;
  return [
    `CREATE OR REPLACE FUNCTION "${schema}".audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('fbl.audit_purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit rows cannot be changed or deleted';
END;
$$;`,
    ...['audit_chain', ...logs].map(appendOnly),
  ].join('\n--> statement-breakpoint\n');
}

/** SQL for a custom migration that makes `<schema>.audit_log` append-only. */
export function auditAppendOnlySql(schema: string): string {
  return `CREATE FUNCTION "${schema}".audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit rows cannot be changed or deleted';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "${schema}"."audit_log"
  FOR EACH ROW EXECUTE FUNCTION "${schema}".audit_log_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "${schema}"."audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".audit_log_append_only();`;
}
