import { openDatabase, type Database } from '@fbl/db';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@fbl/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateKey, reseal, Sealer, sealedSuite } from '../src/index.js';

/** Sealed documents (bytes) and nullable sealed text, walked by a bigint key, on PostgreSQL. */
describeWithPostgres('re-sealing bytes and text after a change of suite and key', () => {
  let testDb: TestDatabase;
  let database: Database;
  const oldKey = generateKey();
  const newKey = generateKey();
  const old = new Sealer(oldKey);
  const documents = Array.from({ length: 7 }, (_, i) => Buffer.from(`%PDF-1.4 出院小结 第${i}份 ${'x'.repeat(i * 100)}`));
  const rows = () => database.rows<{ seq: string; note: string | null; body: Uint8Array }>(database.db, sql`select seq, note, body from docs order by seq`);

  beforeAll(async () => {
    testDb = await createTestDatabase('reseal_bytes');
    database = await openDatabase({ url: testDb.url });
    await database.db.execute(sql`create table docs (seq bigint generated always as identity primary key, note text, body bytea not null)`);
    for (const [i, d] of documents.entries()) await database.db.execute(sql`insert into docs (note, body) values (${i % 2 === 0 ? old.seal(`备注${i}`) : null}, ${old.sealBytes(d)})`);
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  it('moves every document and note to the new suite and key, keeping the nulls, and they open with the new key alone', async () => {
    const rotating = new Sealer({ suite: 'sm', key: newKey, previous: [oldKey] });
    const progress: number[] = [];
    const [result] = await reseal(database, [{ table: 'docs', key: 'seq', text: ['note'], bytes: ['body'] }], { sealer: rotating }, { batch: 3, onProgress: (p) => progress.push(p.done) });
    expect(result).toEqual({ table: 'docs', done: 7, total: 7, changed: 7 });
    expect(progress).toEqual([0, 3, 6, 7]);
    const alone = new Sealer({ suite: 'sm', key: newKey });
    for (const [i, row] of (await rows()).entries()) {
      expect(sealedSuite(row.body)).toBe('sm');
      expect(alone.openBytes(row.body).equals(documents[i]!)).toBe(true);
      expect(row.note === null ? null : alone.open(row.note)).toBe(i % 2 === 0 ? `备注${i}` : null);
      expect(() => old.openBytes(row.body)).toThrow();
    }
    expect((await reseal(database, [{ table: 'docs', key: 'seq', text: ['note'], bytes: ['body'] }], { sealer: rotating }))[0]!.changed).toBe(0);
  });

  it('passes over a table not made yet (nothing sealed there)', async () => {
    expect(await reseal(database, [{ table: 'nowhere.docs', key: 'seq', text: ['note'] }], { sealer: old })).toEqual([{ table: 'nowhere.docs', done: 0, total: 0, changed: 0 }]);
  });

  it('refuses a table or column name that is not a plain identifier', async () => {
    await expect(reseal(database, [{ table: 'docs; drop table docs', key: 'seq' }], { sealer: old })).rejects.toThrow('not a plain identifier');
  });
});
