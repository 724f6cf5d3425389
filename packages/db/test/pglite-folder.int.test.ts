import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/index.js';
import { isCluster, preparePgliteFolder, TEMPLATE_ROOT } from '../src/pglite-folder.js';

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
});
