#!/usr/bin/env node
/**
 * Compile the TypeScript of every workspace package and service (each `src/`) to plain ESM
 * JavaScript in `dist/` beside it, file by file: no bundling, so a path a module finds relative to
 * itself (a migrations folder, the web UI, a helper script) is the same from `dist/` as from `src/`.
 * The other files of `src/` are copied. Each package exports `dist/` under the `fbl-compiled`
 * condition, so `node --conditions=fbl-compiled` runs the compiled system without a TypeScript
 * loader in the process (`pnpm start` does); tests, tools and tsx keep running the TypeScript.
 *
 * A package whose `dist/` was made from the same files, none changed since, is left alone; the
 * others are compiled afresh. Types are not checked here (`pnpm typecheck` does that).
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAMP = '.compiled-from';

/** Every file under `dir`, depth first, in name order. */
const filesUnder = (dir) =>
  readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));

/** Compile one package's `src/` into its `dist/` unless that is up to date; true when it compiled. */
async function compilePackage(pkg) {
  const src = join(pkg, 'src');
  const dist = join(pkg, 'dist');
  const sources = filesUnder(src);
  const listing = sources.map((f) => relative(src, f)).join('\n');
  const stamp = join(dist, STAMP);
  if (existsSync(stamp)) {
    const made = statSync(stamp).mtimeMs;
    if (readFileSync(stamp, 'utf8') === listing && sources.every((f) => statSync(f).mtimeMs <= made)) return false;
  }
  rmSync(dist, { recursive: true, force: true });
  const typescript = sources.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  await build({ entryPoints: typescript, outdir: dist, outbase: src, format: 'esm', platform: 'node', target: 'node20', bundle: false, logLevel: 'warning' });
  for (const file of sources.filter((f) => !f.endsWith('.ts'))) {
    const target = join(dist, relative(src, file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
  writeFileSync(stamp, listing);
  return true;
}

const packages = ['packages', 'services'].flatMap((group) =>
  readdirSync(join(ROOT, group), { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(ROOT, group, e.name, 'src')))
    .map((e) => join(ROOT, group, e.name)),
);
const started = performance.now();
const compiled = [];
for (const pkg of packages) if (await compilePackage(pkg)) compiled.push(relative(ROOT, pkg));
if (compiled.length > 0) process.stderr.write(`compiled ${compiled.length} of ${packages.length} packages in ${Math.round(performance.now() - started)} ms\n`);
