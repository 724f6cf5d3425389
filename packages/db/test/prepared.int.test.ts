import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@fbl/testing';
import { eq, sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, REPORT_WORK_MEM, type Database } from '../src/index.js';

const things = pgTable('prepared_things', { id: integer('id').primaryKey(), name: text('name').notNull() });

/**
 * Statements with parameters go as named prepared statements, parsed once per connection and
 * reused, inside transactions and savepoints too; a schema change between uses does not break them.
 */
describeWithPostgres('prepared statements on PostgreSQL', () => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase('prepared');
    db = await openDatabase({ url: database.url }, { poolSize: 1 });
    await db.db.execute(sql`create table prepared_things (id integer primary key, name text not null)`);
    await db.db.insert(things).values([{ id: 1, name: 'one' }, { id: 2, name: 'two' }]);
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  const preparedLike = async (executor: Database['db'], fragment: string) =>
    (await db.rows<{ n: number }>(executor, sql`select count(*)::int as n from pg_prepared_statements where statement like ${`%${fragment}%`} and not from_sql`))[0]!.n;

  it('prepares a read once and reuses it for other parameters', async () => {
    for (const id of [1, 2, 1, 2]) expect((await db.db.select().from(things).where(eq(things.id, id)))[0]?.id).toBe(id);
    expect(await preparedLike(db.db, 'from "prepared_things" where "prepared_things"."id" = $1')).toBe(1);
  });

  it('prepares inside a transaction and a savepoint too', async () => {
    await db.transaction(async (tx) => {
      await tx.update(things).set({ name: 'uno' }).where(eq(things.id, 1));
      await tx.transaction(async (inner) => {
        await inner.update(things).set({ name: 'dos' }).where(eq(things.id, 2));
      });
      expect(await preparedLike(tx as unknown as Database['db'], 'update "prepared_things" set "name" = $1')).toBe(1);
    });
    expect((await db.db.select().from(things).orderBy(things.id)).map((t) => t.name)).toEqual(['uno', 'dos']);
  });

  it('sends a reporting statement unprepared, read only, in one process, with room to hash, and leaves the session as it was', async () => {
    const report = sql`select current_setting('max_parallel_workers_per_gather') as workers, current_setting('work_mem') as work_mem,
      (select count(*)::int from pg_prepared_statements where statement like ${'%as reporting_marker%'} and not from_sql) as prepared, ${'a period'}::text as reporting_marker`;
    for (let i = 0; i < 6; i++) expect(await db.reportRows(report)).toEqual([{ workers: '0', work_mem: REPORT_WORK_MEM, prepared: 0, reporting_marker: 'a period' }]);
    // The same statement through `rows` is prepared (it sees itself) and runs with the server's settings.
    const [plain] = await db.rows<{ workers: string; work_mem: string; prepared: number }>(db.db, report);
    expect(plain).toMatchObject({ prepared: 1 });
    expect(plain!.workers).not.toBe('0');
    expect(plain!.work_mem).not.toBe(REPORT_WORK_MEM);
    // A report only reads.
    await expect(db.reportRows(sql`insert into prepared_things (id, name) values (3, 'three') returning id`)).rejects.toMatchObject({ cause: { code: '25006' } }); // read_only_sql_transaction
  });

  it('keeps answering after the table it reads changes shape', async () => {
    expect((await db.db.select().from(things).where(eq(things.id, 1)))[0]?.name).toBe('uno');
    await db.db.execute(sql`alter table prepared_things add column note text`);
    expect((await db.db.select().from(things).where(eq(things.id, 1)))[0]?.name).toBe('uno');
  });
});
