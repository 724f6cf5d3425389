import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/processes.js';

/*
 * `pnpm start` runs what infra/compile.mjs made of the TypeScript: a dist/ made from other sources
 * than those there now must never run. Here on a workspace of one package in a temporary folder.
 */
describe('infra/compile.mjs', () => {
  let root: string;
  const pkg = () => join(root, 'packages', 'demo');
  /** Compile the temporary workspace; what the script said on stderr (it names what it compiled, and nothing when all was up to date). */
  const compile = () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'infra/compile.mjs'), root], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    return run.stderr;
  };
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'fbl-compile-'));
    await mkdir(join(pkg(), 'src', 'sub'), { recursive: true });
    await writeFile(join(pkg(), 'src', 'index.ts'), "export { answer } from './sub/answer.js';\nexport const kind: string = 'demo';\n");
    await writeFile(join(pkg(), 'src', 'sub', 'answer.ts'), 'export const answer: number = 41;\n');
    await writeFile(join(pkg(), 'src', 'helper.mjs'), 'export const helper = true;\n');
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('compiles each file to dist/, copies the others, and leaves an unchanged package alone', async () => {
    expect(compile()).toContain('compiled 1 of 1 packages');
    expect((await readdir(join(pkg(), 'dist'))).sort()).toEqual(['.compiled-from', 'helper.mjs', 'index.js', 'sub']);
    const answer = await readFile(join(pkg(), 'dist', 'sub', 'answer.js'), 'utf8');
    expect(answer).toContain('answer = 41');
    expect(answer).not.toContain(': number');
    const made = (await stat(join(pkg(), 'dist', 'index.js'))).mtimeMs;
    expect(compile()).toBe('');
    expect((await stat(join(pkg(), 'dist', 'index.js'))).mtimeMs).toBe(made);
  });

  it('compiles again when a source changed, even with its old modification time, and drops what a removed source made', async () => {
    const file = join(pkg(), 'src', 'sub', 'answer.ts');
    const before = await stat(file);
    await writeFile(file, 'export const answer: number = 42;\n');
    await utimes(file, before.atime, before.mtime);
    expect(compile()).toContain('compiled 1 of 1 packages');
    expect(await readFile(join(pkg(), 'dist', 'sub', 'answer.js'), 'utf8')).toContain('answer = 42');

    await unlink(join(pkg(), 'src', 'helper.mjs'));
    compile();
    expect(existsSync(join(pkg(), 'dist', 'helper.mjs'))).toBe(false);
    // Nothing is left beside dist/ of the folder it was made in.
    expect((await readdir(pkg())).sort()).toEqual(['dist', 'src']);
  });
});
