import type { Database } from '@fbl/db';
import { sql } from 'drizzle-orm';
import type { FieldProtector, Sealer } from './protector.js';

/**
 * The sealed columns of one table, for {@link reseal}: text seals, byte seals, and the look-up
 * hashes computed from what a sealed column holds.
 */
export interface SealedTable {
  /** Schema-qualified table name, e.g. `civil_affairs.elders`. */
  readonly table: string;
  /** A unique, ordered key column (the primary key) the job walks by. */
  readonly key: string;
  /** Columns holding sealed text (null allowed). */
  readonly text?: readonly string[];
  /** Columns holding sealed bytes (null allowed). */
  readonly bytes?: readonly string[];
  /** Hash columns recomputed from the opened value of a sealed text column: an ID-number look-up hash or a name's blind index. */
  readonly hashes?: readonly { readonly column: string; readonly of: string; readonly kind: 'lookup' | 'name' }[];
}

/** Where a re-seal stands: per table, rows looked at of all, and rows rewritten. */
export interface ResealProgress {
  readonly table: string;
  readonly done: number;
  readonly total: number;
  readonly changed: number;
}

const IDENT = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

/**
 * Move every sealed value of some tables to the current suite and key, and recompute their look-up
 * hashes: after `CRYPTO_SUITE` changed, or a key was rotated (the earlier key given as a previous
 * one until this has run). Rows are taken in key order, a batch per transaction, each row locked
 * while it is rewritten, so the service may keep running; a value already current is left alone,
 * so a run that was interrupted simply runs again and goes on where it stopped, losing nothing
 * (a batch either commits whole or not at all). Hashes need the protector (its hash key); sealing
 * alone needs a sealer.
 */
export async function reseal(
  database: Database,
  tables: readonly SealedTable[],
  keys: { sealer: Sealer; protector?: FieldProtector },
  options: { batch?: number; onProgress?: (progress: ResealProgress) => void } = {},
): Promise<ResealProgress[]> {
  const batch = options.batch ?? 200;
  const results: ResealProgress[] = [];
  for (const spec of tables) {
    const text = spec.text ?? [];
    const bytes = spec.bytes ?? [];
    const hashes = spec.hashes ?? [];
    for (const name of [spec.table, spec.key, ...text, ...bytes, ...hashes.map((h) => h.column)]) if (!IDENT.test(name)) throw new Error(`not a plain identifier: ${name}`);
    if (hashes.length > 0 && !keys.protector) throw new Error(`re-hashing ${spec.table} needs the look-up hash key`);
    // A table not made yet (the service never ran on this database) holds nothing to re-seal.
    const [exists] = await database.rows<{ found: string | null }>(database.db, sql`select to_regclass(${spec.table})::text as found`);
    if (!exists?.found) {
      results.push({ table: spec.table, done: 0, total: 0, changed: 0 });
      continue;
    }
    const [counted] = await database.rows<{ n: number | string }>(database.db, sql.raw(`select count(*) as n from ${spec.table}`));
    const total = Number(counted?.n ?? 0);
    const columns = [spec.key, ...text, ...bytes, ...hashes.map((h) => h.column)];
    let after: unknown = undefined;
    let done = 0;
    let changed = 0;
    options.onProgress?.({ table: spec.table, done, total, changed });
    for (;;) {
      const step = await database.transaction(async (tx) => {
        const where = after === undefined ? sql`` : sql`where ${sql.raw(spec.key)} > ${after}`;
        const rows = await database.rows<Record<string, unknown>>(
          tx,
          sql`select ${sql.raw(columns.join(', '))} from ${sql.raw(spec.table)} ${where} order by ${sql.raw(spec.key)} limit ${batch} for update`,
        );
        let rewritten = 0;
        for (const row of rows) {
          const set: Record<string, string | Buffer> = {};
          const opened: Record<string, string> = {};
          for (const column of text) {
            const value = row[column];
            if (typeof value !== 'string') continue;
            opened[column] = keys.sealer.open(value);
            if (!keys.sealer.isCurrent(value)) set[column] = keys.sealer.seal(opened[column]);
          }
          for (const column of bytes) {
            const value = row[column];
            if (!(value instanceof Uint8Array)) continue;
            if (!keys.sealer.isCurrent(value)) set[column] = keys.sealer.sealBytes(keys.sealer.openBytes(value));
          }
          for (const hash of hashes) {
            const plain = opened[hash.of];
            if (plain === undefined) continue;
            const fresh = hash.kind === 'name' ? keys.protector!.nameHash(plain) : keys.protector!.lookupHash(plain);
            if (row[hash.column] !== fresh) set[hash.column] = fresh;
          }
          const assignments = Object.entries(set);
          if (assignments.length === 0) continue;
          const setList = sql.join(assignments.map(([column, value]) => sql`${sql.raw(column)} = ${value}`), sql`, `);
          await database.rows(tx, sql`update ${sql.raw(spec.table)} set ${setList} where ${sql.raw(spec.key)} = ${row[spec.key]} returning 1 as ok`);
          rewritten++;
        }
        return { count: rows.length, last: rows.at(-1)?.[spec.key], rewritten };
      });
      if (step.count === 0) break;
      after = step.last;
      done += step.count;
      changed += step.rewritten;
      options.onProgress?.({ table: spec.table, done, total: Math.max(total, done), changed });
      if (step.count < batch) break;
    }
    results.push({ table: spec.table, done, total: Math.max(total, done), changed });
  }
  return results;
}
