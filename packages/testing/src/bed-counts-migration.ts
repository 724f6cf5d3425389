import { bedService, type BedTypePolicy } from '@fbl/bed-inventory';
import { allMessages, MessageRegistry, newId } from '@fbl/contracts';
import { openDatabase } from '@fbl/db';
import { generateKey } from '@fbl/privacy';
import { InProcessBus } from '@fbl/messaging';
import { createLogger, createMetrics } from '@fbl/observability';
import { sql } from 'drizzle-orm';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { testCreditCode } from './credit-code.js';
import { createTestDatabase } from './databases.js';

/**
 * The migration that brought the unit counts fills them from the units registered before it:
 * the bed service's migrations up to it on a database of its own, units in every status at two
 * institutions, then the rest.
 */
export function unitCountsMigrationCase(policy: BedTypePolicy, unitKind: 'bed' | 'slot', divisionCode: string): void {
  it('fills the unit counts from the units registered before their migration', async () => {
    const testDb = await createTestDatabase(`${policy.dbSchema}_counts`);
    const database = await openDatabase({ url: testDb.url });
    const logger = createLogger({ name: `${policy.service}-counts-migration`, level: 'silent' });
    const deps = { database, bus: new InProcessBus(logger), logger, metrics: createMetrics(), registry: new MessageRegistry(allMessages), clock: () => new Date() };
    const service = bedService(policy, deps, { authSecret: 'counts-migration', sealing: generateKey() });
    const before = await mkdtemp(join(tmpdir(), 'bed-migrations-before-counts-'));
    const schema = sql.identifier(policy.dbSchema);
    const migrate = (folder: string) => database.migrate({ folder, table: service.migrationsTable, ...(service.migrationsRenameSchema ? { renameSchema: service.migrationsRenameSchema } : {}) });
    try {
      // Given the schema as it was before the counts, with units in every status at two institutions,
      await cp(service.migrationsFolder, before, { recursive: true });
      const journal = JSON.parse(await readFile(join(before, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
      const at = journal.entries.findIndex((e) => e.tag === '0002_unit_counts');
      expect(at).toBeGreaterThan(0);
      await writeFile(join(before, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
      await migrate(before);
      const institutions = [newId(), newId()];
      for (const [i, id] of institutions.entries()) {
        await database.db.execute(sql`insert into ${schema}.institutions (id, name, credit_code, division_code, kind, ownership, capabilities, service_area, green_channel_partners, created_at)
          values (${id}, ${`迁移测试机构${i}`}, ${testCreditCode(divisionCode)}, ${divisionCode}, 'any', 'private', '[]', '[]', '[]', now())`);
      }
      const units: [string, string, string][] = [
        [institutions[0]!, '{"a": true, "b": "x"}', 'free'],
        [institutions[0]!, '{"b": "x", "a": true}', 'free'],
        [institutions[0]!, '{"a": true, "b": "x"}', 'held'],
        [institutions[0]!, '{}', 'occupied'],
        [institutions[0]!, '{}', 'occupied'],
        [institutions[0]!, '{}', 'kept'],
        [institutions[0]!, '{}', 'closed'],
        [institutions[1]!, '{"a": false}', 'free'],
      ];
      for (const [n, [institutionId, attributes, status]] of units.entries()) {
        await database.db.execute(sql`insert into ${schema}.units (id, institution_id, kind, label, ordinal, attributes, status) values (${newId()}, ${institutionId}, ${unitKind}, ${`${n + 1}`}, ${n + 1}, ${attributes}::jsonb, ${status})`);
      }

      // when the rest of the migrations run,
      await migrate(service.migrationsFolder);

      // then the counts are the units, counted (attributes in another key order are the same attributes).
      const line = (r: Record<string, unknown>) => JSON.stringify([r['institution_id'], r['kind'], r['attributes'], r['status'], Number(r['count'])]);
      const kept = await database.rows(database.db, sql`select institution_id, kind, attributes, status, count from ${schema}.unit_counts`);
      const fresh = await database.rows(database.db, sql`select institution_id, kind, attributes, status, count(*)::int as count from ${schema}.units group by 1, 2, 3, 4`);
      expect(kept.map(line).sort()).toEqual(fresh.map(line).sort());
      expect(kept.map((r) => Number(r['count'])).sort()).toEqual([1, 1, 1, 1, 2, 2]);
    } finally {
      await rm(before, { recursive: true, force: true });
      await database.close();
      await testDb.drop();
    }
  });
}
