import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * Rows of another table read inside one statement, as JSON: `to_jsonb` of each row, named by
 * column as stored. {@link fromJsonRow} turns one back into the row drizzle would have answered
 * (property names, `Date`s, numbers), so a page read by one statement uses the same row types
 * as one read table by table. For the column kinds the services use: text, uuid, integer,
 * boolean, jsonb, bigint in number mode and timestamps in date mode (JSON writes a timestamp
 * with its offset, read as the same instant). Not for bigint in bigint mode or numeric, which
 * JSON would carry as a floating-point number, nor for timestamps in string mode.
 */
export function fromJsonRow<T extends PgTable>(table: T, json: unknown): T['$inferSelect'] {
  const stored = parsedJson<Record<string, unknown>>(json);
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = stored[column.name];
    // JSON gives timestamps as text with their offset, as the driver does; each column reads its own kind.
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T['$inferSelect'];
}

/** Each of a JSON array of rows turned back into `table`'s rows (see {@link fromJsonRow}). */
export function fromJsonRows<T extends PgTable>(table: T, json: unknown): T['$inferSelect'][] {
  const rows = parsedJson<unknown[] | null>(json);
  return (rows ?? []).map((row) => fromJsonRow(table, row));
}

/** The text of a value read as JSON: parsed already (postgres.js, PGlite) or as text. */
export function parsedJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
