import { DEFAULT_PROVINCE } from '@fbl/codes';
import { build, version as esbuildVersion, type BuildOptions } from 'esbuild';
import type { FastifyPluginAsync } from 'fastify';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const UI = fileURLToPath(new URL('../ui/', import.meta.url));
/** Where the last bundle is kept with what it was made from (the installation's cache). */
export const UI_CACHE = fileURLToPath(new URL('../node_modules/.cache/fbl-ui/', import.meta.url));

const BUILD: BuildOptions = {
  entryPoints: ['src/main.tsx'],
  bundle: true,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'silent',
};

/** A bundle as kept: the build it came from and every file it read (path under the UI folder → SHA-256). */
interface KeptBundle {
  build: string;
  inputs: Record<string, string>;
  js: string;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const BUILD_KEY = JSON.stringify({ esbuild: esbuildVersion, ...BUILD });

/** The kept bundle, when it was made by this build from files that are still the same; none when unreadable. */
async function keptBundle(cacheDir: string): Promise<string | undefined> {
  let kept: Partial<KeptBundle> | null;
  try {
    kept = JSON.parse(await readFile(join(cacheDir, 'bundle.json'), 'utf8')) as Partial<KeptBundle> | null;
  } catch {
    return undefined;
  }
  if (!kept || kept.build !== BUILD_KEY || typeof kept.js !== 'string' || !kept.inputs || typeof kept.inputs !== 'object') return undefined;
  const same = await Promise.all(Object.entries(kept.inputs).map(async ([path, hash]) => {
    const now = await readFile(join(UI, path)).catch(() => undefined);
    return now !== undefined && sha256(now) === hash;
  }));
  return same.every(Boolean) ? kept.js : undefined;
}

/** Besides its inputs, the files a build consults: the package and TypeScript settings beside each input and above it. */
function settingsOf(inputs: readonly string[]): string[] {
  const found = new Set<string>();
  const seen = new Set<string>();
  for (const input of inputs) {
    for (let dir = dirname(join(UI, input)); !seen.has(dir); dir = dirname(dir)) {
      seen.add(dir);
      for (const name of ['package.json', 'tsconfig.json', 'tsconfig.base.json']) if (existsSync(join(dir, name))) found.add(relative(UI, join(dir, name)));
    }
  }
  return [...found];
}

/**
 * What a build read, by content, or none when a file could not be read or changed while the build
 * ran (the bundle may then hold its older content): such a bundle is served but not kept.
 */
async function contentsRead(inputs: readonly string[], startedMs: number): Promise<Record<string, string> | undefined> {
  const read: Record<string, string> = {};
  try {
    for (const path of [...inputs, ...settingsOf(inputs)]) {
      const file = join(UI, path);
      if ((await stat(file)).mtimeMs >= startedMs) return undefined;
      read[path] = sha256(await readFile(file));
    }
  } catch {
    return undefined;
  }
  return read;
}

/**
 * The UI's script: esbuild's bundle of `ui/src`, kept on disk with the content of every file it
 * read (the UI's sources, the packages bundled into it and the settings beside them), and made
 * afresh only when one of them or the build changed. A start then spends no core on bundling
 * (esbuild takes both cores for about half a second). Where the cache cannot be read or written,
 * each start bundles.
 */
export async function uiScript(cacheDir = UI_CACHE): Promise<{ js: string; kept: boolean }> {
  const kept = await keptBundle(cacheDir);
  if (kept !== undefined) return { js: kept, kept: true };
  const startedMs = Date.now();
  const result = await build({ ...BUILD, absWorkingDir: UI, write: false, metafile: true });
  const js = result.outputFiles[0]!.text;
  const inputs = await contentsRead(Object.keys(result.metafile.inputs), startedMs);
  if (!inputs) return { js, kept: false };
  // Written whole under another name, then renamed: a start reading it never sees half of one.
  const bundle: KeptBundle = { build: BUILD_KEY, inputs, js };
  const temporary = join(cacheDir, `bundle.${process.pid}.${Date.now()}.json`);
  await mkdir(cacheDir, { recursive: true })
    .then(() => writeFile(temporary, JSON.stringify(bundle)))
    .then(() => rename(temporary, join(cacheDir, 'bundle.json')))
    .catch(() => rm(temporary, { force: true }).catch(() => undefined));
  return { js, kept: false };
}

/** The page's meta element naming the deployment's province, which the division pickers read. */
export const PROVINCE_META = 'deployment-province';

/**
 * The web UI bundled for the browser: one script (`uiScript`) and one stylesheet, when the gateway starts.
 * The page names the deployment's province (`DEPLOYMENT_PROVINCE`, two digits) for the pickers.
 */
export async function bundleUi(options: { province?: string } = {}): Promise<{ html: string; js: string; css: string }> {
  const [{ js }, page, css] = await Promise.all([uiScript(), readFile(`${UI}index.html`, 'utf8'), readFile(`${UI}src/app.css`, 'utf8')]);
  const province = options.province ?? DEFAULT_PROVINCE;
  if (!/^[1-8][0-9]$/.test(province)) throw new Error(`the deployment's province is two digits, not ${province}`);
  const html = page.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n<meta name="${PROVINCE_META}" content="${province}">`);
  return { html, js, css };
}

/**
 * The web UI at `/` (Chinese by default, English switchable), its script and stylesheet under `/ui/`.
 * The bundling (a few hundred milliseconds in esbuild's own process, unless kept) begins when this is called,
 * so it goes on while the process does the rest of its start; a failure fails the registration.
 */
export function uiRoutes(options: { province?: string } = {}): FastifyPluginAsync {
  const bundling = bundleUi(options);
  // Awaited at registration; a plugin never registered must not leave an unhandled rejection.
  bundling.catch(() => undefined);
  return async (app) => {
    const ui = await bundling;
    const cache = 'no-cache';
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', cache).send(ui.html));
    app.get('/ui/app.js', { schema: { hide: true } }, async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', cache).send(ui.js));
    app.get('/ui/app.css', { schema: { hide: true } }, async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', cache).send(ui.css));
  };
}
