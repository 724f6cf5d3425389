import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@fbl/testing';
import { sql } from 'drizzle-orm';
import { bigint, boolean, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromJsonRow, fromJsonRows, openDatabase, type Database } from '../src/index.js';

const things = pgTable('json_things', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  id: uuid('id').notNull(),
  label: text('label'),
  count: integer('count').notNull(),
  done: boolean('done').notNull(),
  detail: jsonb('detail'),
  at: timestamp('at', { withTimezone: true }).notNull(),
  endedAt: timestamp('ended_at', { withTimezone: true }),
});

const rows = [
  { seq: 1, id: '0192f3b2-7c1a-7000-8000-000000000001', label: '一号', count: 3, done: true, detail: { reasons: ['床位已满'], n: 2 }, at: new Date('2026-12-08T02:40:00.123Z'), endedAt: null },
  { seq: 9_007_199_254_740, id: '0192f3b2-7c1a-7000-8000-000000000002', label: null, count: -1, done: false, detail: null, at: new Date('2026-01-31T23:59:59.999Z'), endedAt: new Date('2026-02-01T00:00:00.000Z') },
];

/** Rows read as `to_jsonb` inside a statement come back as the rows drizzle reads table by table. */
function suite(open: () => Promise<{ db: Database; done: () => Promise<void> }>) {
  let db: Database;
  let done: () => Promise<void>;
  beforeAll(async () => {
    ({ db, done } = await open());
    await db.db.execute(sql`create table json_things (seq bigint primary key, id uuid not null, label text, count integer not null, done boolean not null, detail jsonb, at timestamptz not null, ended_at timestamptz)`);
    await db.db.insert(things).values(rows);
    // Microseconds (as now() writes them) and a JSON string.
    await db.db.execute(sql`insert into json_things values (9007199254741, '0192f3b2-7c1a-7000-8000-000000000003', '三号', 0, true, '"床位已满"', '2026-12-08 10:40:00.123456+08', '2026-12-08 02:40:00.999999+00')`);
  });
  afterAll(async () => done?.());

  it('turns one row and an aggregate of rows back into drizzle rows, with dates, numbers, JSON and nulls', async () => {
    const direct = await db.db.select().from(things).orderBy(things.seq);
    expect(direct.slice(0, 2)).toEqual(rows);
    expect(direct[2]).toMatchObject({ detail: '床位已满', at: new Date('2026-12-08T02:40:00.123Z') });
    // In a session of another time zone too: the offset JSON writes is read with the instant.
    const [read] = await db.transaction(async (tx) => {
      await tx.execute(sql`set local time zone 'Asia/Shanghai'`);
      return await db.rows<{ one: unknown; all: unknown }>(tx, sql`select (select to_jsonb(t) from json_things t where seq = 1) as one, (select jsonb_agg(to_jsonb(t) order by seq) from json_things t) as all`);
    });
    expect(fromJsonRow(things, read!.one)).toEqual(direct[0]);
    expect(fromJsonRows(things, read!.all)[2]).toEqual(direct[2]);
    expect(fromJsonRows(things, read!.all)).toEqual(direct);
    expect(fromJsonRows(things, null)).toEqual([]);
  });
}

describe('rows read as JSON, on PGlite', () => {
  suite(async () => {
    const db = await openDatabase({ dataDir: 'memory' });
    return { db, done: () => db.close() };
  });
});

describeWithPostgres('rows read as JSON, on PostgreSQL', () => {
  let database: TestDatabase;
  suite(async () => {
    database = await createTestDatabase('json_rows');
    const db = await openDatabase({ url: database.url }, { poolSize: 1 });
    return { db, done: async () => { await db.close(); await database.drop(); } };
  });
});
