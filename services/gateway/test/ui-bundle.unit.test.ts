import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uiScript } from '../src/ui.js';

describe('the web UI script: bundled once, kept while what it was made from is unchanged', () => {
  const dirs: string[] = [];
  const cacheDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fbl-ui-cache-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('bundles on the first start, then serves the kept bundle; a changed source or build bundles again', async () => {
    const dir = await cacheDir();
    const first = await uiScript(dir);
    expect(first.kept).toBe(false);
    expect(first.js.length).toBeGreaterThan(10_000);
    const second = await uiScript(dir);
    expect(second).toEqual({ js: first.js, kept: true });
    // It recorded the UI's own sources and the packages bundled into it.
    const kept = JSON.parse(await readFile(join(dir, 'bundle.json'), 'utf8')) as { build: string; inputs: Record<string, string>; js: string };
    expect(Object.keys(kept.inputs)).toContain('src/main.tsx');
    expect(Object.keys(kept.inputs).some((path) => path.includes('node_modules') && path.includes('preact'))).toBe(true);
    // And the settings esbuild consults beside them: the UI's TypeScript settings and what they extend.
    expect(Object.keys(kept.inputs)).toEqual(expect.arrayContaining(['tsconfig.json', '../../../tsconfig.base.json', '../package.json']));
    // One source read differently than when the bundle was made: bundled again, and kept anew.
    await writeFile(join(dir, 'bundle.json'), JSON.stringify({ ...kept, inputs: { ...kept.inputs, 'src/main.tsx': '0'.repeat(64) }, js: 'stale' }));
    expect(await uiScript(dir)).toEqual({ js: first.js, kept: false });
    expect(await uiScript(dir)).toEqual({ js: first.js, kept: true });
    // Made by another build (another esbuild or other options): bundled again.
    await writeFile(join(dir, 'bundle.json'), JSON.stringify({ ...kept, build: 'another', js: 'stale' }));
    expect(await uiScript(dir)).toEqual({ js: first.js, kept: false });
    // A kept file cut short (or emptied) is no bundle: bundled again, not a failed start.
    for (const broken of ['', '{"build":', 'null', '{"build":"x"}']) {
      await writeFile(join(dir, 'bundle.json'), broken);
      expect(await uiScript(dir), broken).toEqual({ js: first.js, kept: false });
    }
    expect(await uiScript(dir)).toEqual({ js: first.js, kept: true });
  }, 120_000);

  it('bundles at each start where the cache cannot be written', async () => {
    const dir = await cacheDir();
    const file = join(dir, 'a-file');
    await writeFile(file, '');
    const first = await uiScript(join(file, 'cache'));
    expect(first.kept).toBe(false);
    expect(await uiScript(join(file, 'cache'))).toEqual({ js: first.js, kept: false });
  }, 120_000);
});
