#!/usr/bin/env node
/**
 * Compile the TypeScript of every workspace package and service (each `src/`) to plain ESM
 * JavaScript in `dist/` beside it, file by file: no bundling, so a path a module finds relative to
 * itself (a migrations folder, the web UI, a helper script) is the same from `dist/` as from `src/`.
 * The other files of `src/` are copied. Each package exports `dist/` under the `fbl-compiled`
 * condition, so `node --conditions=fbl-compiled` runs the compiled system without a TypeScript
 * loader in the process (`pnpm start` does); tests, tools and tsx keep running the TypeScript.
 *
 * A package whose `dist/` was made from the same sources (their names and contents), by the same
 * esbuild and this same script, is left alone; the others are compiled afresh into a folder of
 * their own that then takes the place of `dist/`, so a start never runs a half-written one.
 * Types are not checked here (`pnpm typecheck` does that). `node infra/compile.mjs [root]`
 * compiles the workspace at `root` (this repository by default).
 *
 * Then the embedded system (`services/embedded/dist/main.js` and everything it imports but
 * esbuild) is bundled into `services/embedded/dist/bundle/`, the entry `pnpm start` runs: loading
 * one file instead of some 1,500 modules takes a second less off each start. Each bundled module
 * keeps its own `import.meta.url`, `__dirname` and `__filename` (what it finds its migrations,
 * the web UI, PGlite's WebAssembly or a helper script by), and the modules loaded only when first
 * needed (workbooks, Kafka, forwarding) stay chunks of their own. The bundle is made again only
 * when a package's compiled code, the installed dependencies (the lockfile) or this script changed.
 */
import { build, version as esbuildVersion } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
const STAMP = '.compiled-from';
const SELF = readFileSync(fileURLToPath(import.meta.url));

/** Every file under `dir`, depth first, in name order. */
const filesUnder = (dir) =>
  readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));

/** Whether `folder` was made from what `fingerprint` says (its stamp). */
const upToDate = (folder, fingerprint) => existsSync(join(folder, STAMP)) && readFileSync(join(folder, STAMP), 'utf8') === fingerprint;

/**
 * Make `folder` afresh: `fill` writes a new folder of its own, stamped with `fingerprint`, which then
 * takes the old one's place, so a start never runs a half-written one; of two makers at once,
 * either result serves.
 */
async function replaceFolder(folder, fingerprint, fill) {
  const fresh = `${folder}.${process.pid}.${Date.now()}`;
  try {
    await fill(fresh);
    writeFileSync(join(fresh, STAMP), fingerprint);
    const old = `${folder}.old.${process.pid}.${Date.now()}`;
    if (existsSync(folder)) renameSync(folder, old);
    try {
      renameSync(fresh, folder);
    } catch (error) {
      if (!existsSync(join(folder, STAMP))) throw error;
    }
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

/** Compile one package's `src/` into its `dist/` unless that is up to date; true when it compiled. */
async function compilePackage(pkg) {
  const src = join(pkg, 'src');
  const dist = join(pkg, 'dist');
  const sources = filesUnder(src);
  const hash = createHash('sha256').update(esbuildVersion).update(SELF);
  for (const file of sources) hash.update(`\0${relative(src, file)}\0`).update(readFileSync(file));
  const fingerprint = hash.digest('hex');
  if (upToDate(dist, fingerprint)) return false;
  await replaceFolder(dist, fingerprint, async (fresh) => {
    const typescript = sources.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
    await build({ entryPoints: typescript, outdir: fresh, outbase: src, format: 'esm', platform: 'node', target: 'node20', bundle: false, logLevel: 'warning' });
    for (const file of sources.filter((f) => !f.endsWith('.ts'))) {
      const target = join(fresh, relative(src, file));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(file, target);
    }
  });
  return true;
}

const packages = ['packages', 'services'].flatMap((group) =>
  existsSync(join(ROOT, group))
    ? readdirSync(join(ROOT, group), { withFileTypes: true })
        .filter((e) => e.isDirectory() && existsSync(join(ROOT, group, e.name, 'src')))
        .map((e) => join(ROOT, group, e.name))
    : [],
);
const started = performance.now();
const compiled = [];
for (const pkg of packages) if (await compilePackage(pkg)) compiled.push(relative(ROOT, pkg));
if (compiled.length > 0) process.stderr.write(`compiled ${compiled.length} of ${packages.length} packages in ${Math.round(performance.now() - started)} ms\n`);

/**
 * esbuild plugin: a bundled module's `import.meta.url` is its own file's URL, not the bundle's, and a
 * CommonJS module's `__dirname` and `__filename` are its own (an ES bundle has neither).
 */
const ownLocation = {
  name: 'own-location',
  setup(b) {
    b.onLoad({ filter: /\.(m?js|cjs)$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const url = text.includes('import.meta.url');
      const paths = /\b__(dirname|filename)\b/.test(text) && !/\b(const|let|var|function)\s+__(dirname|filename)\b/.test(text);
      if (!url && !paths) return undefined;
      let contents = url ? text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)) : text;
      if (paths) contents = `var __dirname = ${JSON.stringify(dirname(args.path))}, __filename = ${JSON.stringify(args.path)};${contents}`;
      return { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/** Bundle the compiled embedded system into `services/embedded/dist/bundle/` unless that is up to date; true when it bundled. */
async function bundleEmbedded() {
  const embedded = join(ROOT, 'services', 'embedded');
  if (!existsSync(join(embedded, 'dist', 'main.js'))) return false;
  const target = join(embedded, 'dist', 'bundle');
  const hash = createHash('sha256').update(esbuildVersion).update(SELF);
  for (const pkg of packages) hash.update(`\0${relative(ROOT, pkg)}\0`).update(readFileSync(join(pkg, 'dist', STAMP)));
  for (const lock of ['pnpm-lock.yaml', 'package.json']) if (existsSync(join(ROOT, lock))) hash.update(`\0${lock}\0`).update(readFileSync(join(ROOT, lock)));
  const fingerprint = hash.digest('hex');
  if (upToDate(target, fingerprint)) return false;
  await replaceFolder(target, fingerprint, (fresh) =>
    build({
      entryPoints: [join(embedded, 'dist', 'main.js')],
      outdir: fresh,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      conditions: ['fbl-compiled'],
      // esbuild runs its own binary, found from its package: it is imported where it is installed.
      external: ['esbuild'],
      plugins: [ownLocation],
      // The CommonJS modules inside call require (Node's built-ins among others).
      banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
      logLevel: 'warning',
    }),
  );
  return true;
}

const bundling = performance.now();
if (await bundleEmbedded()) process.stderr.write(`bundled the embedded system in ${Math.round(performance.now() - bundling)} ms\n`);
