import { openDatabase, type Database } from '@fbl/db';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@fbl/testing';
import { asc } from 'drizzle-orm';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Projections } from '../src/adapters/db/projections.js';
import { availability } from '../src/adapters/db/schema.js';

/*
 * The availability projection written by one statement for a batch of snapshots holds what the
 * snapshots applied one at a time hold: the greatest sequence of each provider and bed type, an
 * older one changing nothing. On PostgreSQL and on PGlite, the embedded database.
 */

const A = '0192f3b2-7c1a-7000-8000-00000000a001';
const B = '0192f3b2-7c1a-7000-8000-00000000b002';
const snapshot = (institutionId: string, bedType: string, sequence: number, free: number) => ({
  institutionId,
  bedType,
  sequence,
  name: `护理院${institutionId.slice(-4)}（第${sequence}版）`,
  divisionCode: '371702',
  ownership: 'public',
  capabilities: ['dementia'],
  serviceArea: ['371702', '371721'],
  greenChannelPartners: [],
  units: [{ kind: 'bed', attributes: { dementia: true }, total: 10, free, held: 0, occupied: 10 - free, kept: 0, closed: 0 }],
});
const migrations = fileURLToPath(new URL('../drizzle', import.meta.url));

for (const where of ['PostgreSQL', 'PGlite'] as const) {
  const suite = where === 'PostgreSQL' ? describeWithPostgres : describe;
  suite(`the availability projection, on ${where}`, () => {
    let database: Database;
    let testDb: TestDatabase | undefined;
    beforeAll(async () => {
      if (where === 'PostgreSQL') testDb = await createTestDatabase('availability_projection');
      database = await openDatabase(testDb ? { url: testDb.url } : { dataDir: 'memory' });
      await database.migrate({ folder: migrations, table: 'referral_migrations' });
    }, 120_000);
    afterAll(async () => {
      await database?.close();
      await testDb?.drop();
    });

    const rows = async () => (await database.db.select().from(availability).orderBy(asc(availability.institutionId), asc(availability.bedType))).map(({ updatedAt: _, ...r }) => r);
    const empty = () => database.db.delete(availability);

    it('holds after one statement for a batch what the snapshots applied one by one hold', async () => {
      const projections = new Projections(() => new Date('2026-12-07T02:00:00Z'));
      const first = [snapshot(A, 'care', 3, 4), snapshot(B, 'care', 1, 9), snapshot(A, 'home-sick', 2, 2)];
      const later = [snapshot(A, 'care', 5, 1), snapshot(B, 'care', 1, 0), snapshot(A, 'care', 4, 8), snapshot(A, 'home-sick', 1, 7), snapshot(B, 'home-sick', 6, 3)];

      await empty();
      for (const s of [...first, ...later]) await database.transaction((tx) => projections.projectAvailability(tx, [s]));
      const oneByOne = await rows();

      await empty();
      await database.transaction((tx) => projections.projectAvailability(tx, first));
      await database.transaction((tx) => projections.projectAvailability(tx, later));
      const together = await rows();

      expect(together).toEqual(oneByOne);
      // A's care beds at sequence 5 (1 free): neither the older 4 nor the 3 before it stand.
      expect(together.map((r) => [r.institutionId, r.bedType, r.sequence, (r.units as { free: number }[])[0]!.free])).toEqual([
        [A, 'care', 5, 1],
        [A, 'home-sick', 2, 2],
        [B, 'care', 1, 9],
        [B, 'home-sick', 6, 3],
      ]);
      const a = together[0]!;
      expect(a).toMatchObject({ name: '护理院a001（第5版）', divisionCode: '371702', capabilities: ['dementia'], serviceArea: ['371702', '371721'], greenChannelPartners: [] });
      expect(a.units).toEqual(snapshot(A, 'care', 5, 1).units);
    });

    it('keeps a name with a lone surrogate (as a text column would, with U+FFFD) instead of refusing the batch', async () => {
      const projections = new Projections(() => new Date('2026-12-07T02:00:00Z'));
      await empty();
      await database.transaction((tx) => projections.projectAvailability(tx, [{ ...snapshot(A, 'care', 1, 3), name: `护理院\ud800` }, snapshot(B, 'care', 1, 2)]));
      expect((await rows()).map((r) => r.name)).toEqual(['护理院\ufffd', '护理院b002（第1版）']);
    });
  });
}
