import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/index.js';
import { isCluster, migrationsKey, prefetchSnapshot, preparePgliteFolder, TEMPLATE_ROOT } from '../src/pglite-folder.js';
import { waitFor } from '@fbl/testing';

/**
 * A new PGlite folder is made from a template initialised once in a child process, with small
 * shared buffers; each folder is a cluster of its own.
 */
describe('PGlite folders', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pglite-folders-'));
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('makes the template once, copies it into each new folder, and each folder keeps its own data', async () => {
    const templates = join(root, 'templates');
    const first = join(root, 'first');
    const second = join(root, 'second');
    await preparePgliteFolder(first, templates);
    expect(isCluster(first)).toBe(true);
    const made = await readdir(templates);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatch(/^fbl-pglite-\d+\.\d+\.\d+-template$/);
    await preparePgliteFolder(second, templates);
    expect(await readdir(templates)).toEqual(made);

    const a = await openDatabase({ dataDir: first });
    await a.db.execute(sql`create table only_in_first (id int)`);
    expect((await a.rows<{ shared_buffers: string }>(a.db, sql`show shared_buffers`))[0]!.shared_buffers).toBe('16MB');
    await a.close();
    const b = await openDatabase({ dataDir: second });
    expect((await b.rows<{ n: number }>(b.db, sql`select count(*)::int as n from pg_tables where tablename = 'only_in_first'`))[0]!.n).toBe(0);
    await b.close();
  }, 180_000);

  it('keeps templates in the installation\'s own cache, readable by its account only', async () => {
    expect(TEMPLATE_ROOT).toMatch(/packages\/db\/node_modules\/\.cache\/pglite-templates$/);
    expect((await stat(join(root, 'templates'))).mode & 0o077).toBe(0);
  });

  it('leaves a folder that is already a cluster as it is', async () => {
    const folder = join(root, 'first');
    const before = await readdir(folder);
    await preparePgliteFolder(folder, join(root, 'no-templates-here'));
    expect(await readdir(folder)).toEqual(before);
    expect(existsSync(join(root, 'no-templates-here'))).toBe(false);
  });

  /** A folder of drizzle-kit migrations creating the tables named, one migration each. */
  const migrationsMaking = async (name: string, tables: string[]) => {
    const folder = join(root, name);
    await mkdir(join(folder, 'meta'), { recursive: true });
    const entries = tables.map((table, idx) => ({ idx, version: '7', when: 1795367829222 + idx, tag: `000${idx}_${table}`, breakpoints: true }));
    await writeFile(join(folder, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries }));
    for (const [idx, table] of tables.entries()) await writeFile(join(folder, `000${idx}_${table}.sql`), `CREATE SCHEMA IF NOT EXISTS "snap";\n--> statement-breakpoint\nCREATE TABLE "snap"."${table}" ("id" integer PRIMARY KEY);`);
    return folder;
  };
  const tablesIn = async (database: Awaited<ReturnType<typeof openDatabase>>) =>
    (await database.rows<{ t: string }>(database.db, sql`select tablename as t from pg_tables where schemaname = 'snap' order by 1`)).map((r) => r.t);

  it('keeps a new folder migrated from the template as a snapshot of those migrations, and starts the next new folder from it', async () => {
    const templates = join(root, 'snapshot-templates');
    const sets = [{ folder: await migrationsMaking('m-one', ['beds', 'stays']), table: 'one_migrations' }];
    const key = await migrationsKey(sets);
    const snapshots = async () => (await readdir(templates)).filter((f) => f.includes('-migrated-'));

    // Deferred: nothing is open (or copied) until the migrations, and the connection says so.
    // The embedded process keeps its keys in its folder: they never go into a snapshot, nor into another folder.
    await mkdir(join(root, 'snap-first'), { recursive: true });
    await writeFile(join(root, 'snap-first', 'secrets.json'), '{"of":"first"}');
    await mkdir(join(root, 'snap-second'), { recursive: true });
    await writeFile(join(root, 'snap-second', 'secrets.json'), '{"of":"second"}');
    const first = await openDatabase({ dataDir: join(root, 'snap-first') }, { pgliteTemplates: templates, deferOpen: true });
    expect(() => first.db).toThrow(/opens with its migrations/);
    expect(isCluster(join(root, 'snap-first'))).toBe(false);
    await first.migrateAll(sets);
    expect(await tablesIn(first)).toEqual(['beds', 'stays']);
    expect(await snapshots()).toEqual([expect.stringMatching(new RegExp(`-migrated-${key}$`))]);
    // The folder stays its own: what is written after the snapshot is not in it.
    await first.db.execute(sql`insert into snap.beds values (1)`);
    await first.close();

    // A file left in the snapshot's cluster shows which folder the next one was copied from; one beside it is not copied.
    await writeFile(join(templates, (await snapshots())[0]!, 'base', 'copied-from-snapshot'), 'yes');
    await writeFile(join(templates, (await snapshots())[0]!, 'not-of-the-cluster'), 'no');
    const second = await openDatabase({ dataDir: join(root, 'snap-second') }, { pgliteTemplates: templates, deferOpen: true });
    await second.migrateAll(sets);
    expect(existsSync(join(root, 'snap-second', 'base', 'copied-from-snapshot'))).toBe(true);
    expect(existsSync(join(root, 'snap-second', 'not-of-the-cluster'))).toBe(false);
    expect(await readFile(join(root, 'snap-second', 'secrets.json'), 'utf8')).toBe('{"of":"second"}');
    expect(existsSync(join(templates, (await snapshots())[0]!, 'secrets.json'))).toBe(false);
    expect(await tablesIn(second)).toEqual(['beds', 'stays']);
    expect((await second.rows<{ n: number }>(second.db, sql`select count(*)::int as n from snap.beds`))[0]!.n).toBe(0);
    // The copy holds the migrations' bookkeeping as made: one row each, not two.
    expect((await second.rows<{ n: number }>(second.db, sql`select count(*)::int as n from drizzle.one_migrations`))[0]!.n).toBe(2);
    await second.close();
    expect(await snapshots()).toHaveLength(1);

    // Another set of migrations is another snapshot; a folder that exists is migrated where it is.
    const more = [...sets, { folder: await migrationsMaking('m-two', ['visits']), table: 'two_migrations' }];
    expect(await migrationsKey(more)).not.toBe(key);
    const third = await openDatabase({ dataDir: join(root, 'snap-first') }, { pgliteTemplates: templates, deferOpen: true });
    await third.migrateAll(more);
    expect(await tablesIn(third)).toEqual(['beds', 'stays', 'visits']);
    expect((await third.rows<{ n: number }>(third.db, sql`select count(*)::int as n from snap.beds`))[0]!.n).toBe(1);
    await third.close();
    expect(await snapshots()).toHaveLength(1);
    const fourth = await openDatabase({ dataDir: join(root, 'snap-fourth') }, { pgliteTemplates: templates, deferOpen: true });
    await fourth.migrateAll(more);
    expect(existsSync(join(root, 'snap-fourth', 'base', 'copied-from-snapshot'))).toBe(false);
    expect(await tablesIn(fourth)).toEqual(['beds', 'stays', 'visits']);
    await fourth.close();
    expect(await snapshots()).toHaveLength(2);

    // A folder something wrote to before its migrations ran is never kept as a snapshot.
    const other = [{ folder: await migrationsMaking('m-three', ['rooms']), table: 'three_migrations' }];
    const fifth = await openDatabase({ dataDir: join(root, 'snap-fifth') }, { pgliteTemplates: templates, deferOpen: true });
    await fifth.transaction(async (tx) => void (await tx.execute(sql`create table written_first (id int)`)));
    await fifth.migrateAll(other);
    expect(await tablesIn(fifth)).toEqual(['rooms']);
    await fifth.close();
    expect(await snapshots()).toHaveLength(2);
  }, 180_000);

  it('copies the snapshot used last before the migrations are known, and takes the copy only for those migrations', async () => {
    // The snapshots the test before made: of the migrations `m-one`, and of `m-one` and `m-two`.
    const templates = join(root, 'snapshot-templates');
    const one = [{ folder: join(root, 'm-one'), table: 'one_migrations' }];
    const two = [...one, { folder: join(root, 'm-two'), table: 'two_migrations' }];
    const snapshotOf = async (sets: typeof one) => {
      const key = await migrationsKey(sets);
      return join(templates, (await readdir(templates)).find((f) => f.endsWith(`-migrated-${key}`))!);
    };
    const usedLast = async (sets: typeof one) => utimes(await snapshotOf(sets), new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));

    // The right guess: the copy begun early is the folder, with the keys already there kept.
    await usedLast(one);
    const first = join(root, 'pre-first');
    await mkdir(first, { recursive: true });
    await writeFile(join(first, 'secrets.json'), '{"of":"pre-first"}');
    prefetchSnapshot(first, templates);
    await waitFor(async () => isCluster(`${first}.prefetch`) || undefined, { what: 'the copy begun early' });
    await writeFile(join(`${first}.prefetch`, 'base', 'from-the-early-copy'), 'yes');
    const a = await openDatabase({ dataDir: first }, { pgliteTemplates: templates, deferOpen: true });
    await a.migrateAll(one);
    expect(await tablesIn(a)).toEqual(['beds', 'stays']);
    expect(existsSync(join(first, 'base', 'from-the-early-copy'))).toBe(true);
    expect(existsSync(`${first}.prefetch`)).toBe(false);
    expect(await readFile(join(first, 'secrets.json'), 'utf8')).toBe('{"of":"pre-first"}');
    await a.close();
    // A folder that is a cluster already gets no copy.
    prefetchSnapshot(first, templates);
    expect(existsSync(`${first}.prefetch`)).toBe(false);

    // A wrong guess (the other snapshot was used last): its copy is removed, the folder is made as before.
    await usedLast(two);
    const second = join(root, 'pre-second');
    // What a start cut short left in the folder makes way.
    await mkdir(join(second, 'base'), { recursive: true });
    await writeFile(join(second, 'base', 'half-copied'), 'x');
    prefetchSnapshot(second, templates);
    const b = await openDatabase({ dataDir: second }, { pgliteTemplates: templates, deferOpen: true });
    await b.migrateAll(one);
    expect(await tablesIn(b)).toEqual(['beds', 'stays']);
    expect(existsSync(`${second}.prefetch`)).toBe(false);
    await b.close();

    // The right guess into a folder a start cut short.
    const third = join(root, 'pre-third');
    await mkdir(join(third, 'base'), { recursive: true });
    await writeFile(join(third, 'base', 'half-copied'), 'x');
    prefetchSnapshot(third, templates);
    const c = await openDatabase({ dataDir: third }, { pgliteTemplates: templates, deferOpen: true });
    await c.migrateAll(two);
    expect(await tablesIn(c)).toEqual(['beds', 'stays', 'visits']);
    expect(existsSync(join(third, 'base', 'half-copied'))).toBe(false);
    expect(existsSync(`${third}.prefetch`)).toBe(false);
    await c.close();
  }, 180_000);
});
