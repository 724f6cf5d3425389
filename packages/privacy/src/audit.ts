import { bigint, index, jsonb, text, timestamp, type PgSchema } from 'drizzle-orm/pg-core';

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
    },
    (t) => [index('audit_object_idx').on(t.objectType, t.objectId, t.at), index('audit_actor_idx').on(t.actor, t.at)],
  );
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
