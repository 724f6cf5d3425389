import type { Database } from '@fbl/db';
import { sql } from 'drizzle-orm';

/**
 * The plan PostgreSQL gives a statement as a service sends it (`text`, with `$n` parameters) once
 * it keeps a generic plan, made for no value in particular (it may after five runs): forced here,
 * with sequential scans ruled out, since on a test's handful of rows a scan wins whatever the
 * indexes. `values` are the parameters as SQL literals, comma-separated.
 */
export function genericPlan(database: Database, text: string, values: string): Promise<string> {
  return database.transaction(async (tx) => {
    await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
    await tx.execute(sql`set local enable_seqscan = off`);
    await tx.execute(sql.raw(`prepare generic_plan as ${text}`));
    const rows = await database.rows<{ 'QUERY PLAN': string }>(tx, sql.raw(`explain execute generic_plan(${values})`));
    await tx.execute(sql`deallocate generic_plan`);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}
