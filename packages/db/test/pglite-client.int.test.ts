import { PGlite, type QueryOptions, type Transaction } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { date, integer, interval, jsonb, numeric, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leanPglite } from '../src/pglite-client.js';

const things = pgTable('things', {
  id: integer('id').primaryKey(),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  atText: timestamp('at_text', { withTimezone: true, mode: 'string' }).notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  wait: interval('wait').notNull(),
  amount: numeric('amount').notNull(),
  tags: text('tags').array().notNull(),
  facts: jsonb('facts').$type<{ n: number; s: string }>().notNull(),
});

/** The PGlite client drizzle is given: drizzle's parsers made the client's own, none passed per statement. */
describe('the lean PGlite client', () => {
  let client: PGlite;
  const passed: unknown[] = [];
  const watch = <T extends { query: PGlite['query'] }>(target: T): T => {
    const query = target.query.bind(target);
    target.query = ((q: string, p?: unknown[], o?: QueryOptions) => {
      passed.push(o?.parsers);
      return query(q, p, o);
    }) as PGlite['query'];
    return target;
  };

  beforeAll(async () => {
    client = new PGlite();
    await client.waitReady;
    await client.exec(`create table things (id int primary key, at timestamptz not null, at_text timestamptz not null, day date not null, wait interval not null,
      amount numeric not null, tags text[] not null, facts jsonb not null)`);
    await client.exec(`insert into things values (1, '2026-12-07 08:30:00.123+08', '2026-12-07 08:30:00+08', '2026-12-07', '1 day 02:00:00', '12.50', '{a,"b c"}', '{"n": 1, "s": "床"}')`);
    watch(client);
    const transaction = client.transaction.bind(client);
    client.transaction = (<T,>(fn: (tx: Transaction) => Promise<T>) => transaction((tx) => fn(watch(tx)))) as PGlite['transaction'];
  }, 120_000);
  afterAll(async () => client?.close());

  it('reads every type as drizzle does, in and out of transactions, passing no parsers', async () => {
    const plain = drizzle(client);
    const lean = drizzle(leanPglite(client));
    const raw = sql`select at, day, wait, amount, tags, facts, array[at] as ats, array[day] as days from things`;
    passed.length = 0;
    const want = { rows: await plain.select().from(things), raw: (await plain.execute(raw)).rows };
    expect(passed.length).toBeGreaterThan(0);
    expect(passed.every((p) => p !== undefined)).toBe(true);
    expect(want.rows[0]).toMatchObject({ at: new Date('2026-12-07T00:30:00.123Z'), day: '2026-12-07', wait: '1 day 02:00:00', amount: '12.50', tags: ['a', 'b c'], facts: { n: 1, s: '床' } });

    passed.length = 0;
    expect(await lean.select().from(things)).toEqual(want.rows);
    expect((await lean.execute(raw)).rows).toEqual(want.raw);
    const inTransaction = await lean.transaction(async (tx) => ({ rows: await tx.select().from(things), raw: (await tx.execute(raw)).rows }));
    expect(inTransaction).toEqual(want);
    expect(passed.length).toBeGreaterThanOrEqual(4);
    expect(passed.every((p) => p === undefined)).toBe(true);
  });
});
