import { DEFAULT_PROVINCE } from '@fbl/codes';
import { build } from 'esbuild';
import type { FastifyPluginAsync } from 'fastify';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const UI = fileURLToPath(new URL('../ui/', import.meta.url));

/** The page's meta element naming the deployment's province, which the division pickers read. */
export const PROVINCE_META = 'deployment-province';

/**
 * The web UI bundled for the browser: one script and one stylesheet, made when the gateway starts.
 * The page names the deployment's province (`DEPLOYMENT_PROVINCE`, two digits) for the pickers.
 */
export async function bundleUi(options: { province?: string } = {}): Promise<{ html: string; js: string; css: string }> {
  const result = await build({
    entryPoints: [`${UI}src/main.tsx`],
    bundle: true,
    format: 'esm',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: true,
    write: false,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const js = result.outputFiles[0]!.text;
  const [page, css] = await Promise.all([readFile(`${UI}index.html`, 'utf8'), readFile(`${UI}src/app.css`, 'utf8')]);
  const province = options.province ?? DEFAULT_PROVINCE;
  if (!/^[1-8][0-9]$/.test(province)) throw new Error(`the deployment's province is two digits, not ${province}`);
  const html = page.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n<meta name="${PROVINCE_META}" content="${province}">`);
  return { html, js, css };
}

/**
 * The web UI at `/` (Chinese by default, English switchable), its script and stylesheet under `/ui/`.
 * The bundling (a few hundred milliseconds in esbuild's own process) begins when this is called,
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
