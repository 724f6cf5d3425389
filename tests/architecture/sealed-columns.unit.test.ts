import type { SealedTable } from '@fbl/privacy';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import * as beds from '../../packages/bed-inventory/src/adapters/db/schema.js';
import { sealedTablesOf } from '../../packages/bed-inventory/src/adapters/db/sealed.js';
import { describe, expect, it } from 'vitest';
import * as civilAffairs from '../../services/civil-affairs/src/adapters/db/schema.js';
import { SEALED_TABLES as CIVIL_AFFAIRS } from '../../services/civil-affairs/src/adapters/db/sealed.js';
import * as insurance from '../../services/medical-insurance/src/adapters/db/schema.js';
import { SEALED_TABLES as INSURANCE } from '../../services/medical-insurance/src/adapters/db/sealed.js';
import * as referral from '../../services/referral-workflow/src/adapters/db/schema.js';
import { SEALED_TABLES as REFERRAL } from '../../services/referral-workflow/src/adapters/db/sealed.js';

/** Every sealed column of a schema (named `sealed` or `…_sealed`), as `schema.table.column`. */
function sealedColumns(schema: Record<string, unknown>): string[] {
  return Object.values(schema)
    .filter((t): t is PgTable => t instanceof PgTable)
    .flatMap((t) => {
      const c = getTableConfig(t);
      return c.columns.filter((col) => col.name === 'sealed' || col.name.endsWith('_sealed')).map((col) => `${c.schema}.${c.name}.${col.name}`);
    });
}
/** Every column a re-seal list names, with whether it is there in the schema. */
function listed(tables: readonly SealedTable[]): string[] {
  return tables.flatMap((t) => [...(t.text ?? []), ...(t.bytes ?? [])].map((c) => `${t.table}.${c}`));
}
function allColumns(schema: Record<string, unknown>): Set<string> {
  return new Set(
    Object.values(schema)
      .filter((t): t is PgTable => t instanceof PgTable)
      .flatMap((t) => {
        const c = getTableConfig(t);
        return c.columns.map((col) => `${c.schema}.${c.name}.${col.name}`);
      }),
  );
}

/** A sealed column missing from its service's re-seal list would stay under an old suite or key for ever. */
describe('every sealed column is re-sealed', () => {
  for (const [service, schema, tables] of [
    ['civil-affairs', civilAffairs, CIVIL_AFFAIRS],
    ['medical-insurance', insurance, INSURANCE],
    ['referral-workflow', referral, REFERRAL],
    ['bed services (placeholder schema)', beds, sealedTablesOf(beds.PLACEHOLDER_SCHEMA)],
  ] as const) {
    it(`${service}: the re-seal list names exactly the sealed columns, and its keys and hash columns exist`, () => {
      expect(listed(tables).sort()).toEqual(sealedColumns(schema).sort());
      const columns = allColumns(schema);
      for (const t of tables) {
        expect(columns.has(`${t.table}.${t.key}`), `${t.table}.${t.key}`).toBe(true);
        for (const h of t.hashes ?? []) expect(columns.has(`${t.table}.${h.column}`), `${t.table}.${h.column}`).toBe(true);
      }
    });
  }
});
