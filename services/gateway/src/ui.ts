import { build } from 'esbuild';
import type { FastifyPluginAsync } from 'fastify';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const UI = fileURLToPath(new URL('../ui/', import.meta.url));

/** The web UI bundled for the browser: one script and one stylesheet, made when the gateway starts. */
export async function bundleUi(): Promise<{ html: string; js: string; css: string }> {
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
  const [html, css] = await Promise.all([readFile(`${UI}index.html`, 'utf8'), readFile(`${UI}src/app.css`, 'utf8')]);
  return { html, js, css };
}

/** The web UI at `/` (Chinese by default, English switchable), its script and stylesheet under `/ui/`. */
export function uiRoutes(): FastifyPluginAsync {
  return async (app) => {
    const ui = await bundleUi();
    const cache = 'no-cache';
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', cache).send(ui.html));
    app.get('/ui/app.js', { schema: { hide: true } }, async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', cache).send(ui.js));
    app.get('/ui/app.css', { schema: { hide: true } }, async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', cache).send(ui.css));
  };
}
