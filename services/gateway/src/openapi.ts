import type { FastifyPluginAsync } from 'fastify';
import type { Upstreams } from './routes.js';
import { atRoot } from './security.js';

/** An OpenAPI document, as far as merging needs it. */
interface OpenApi {
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; [key: string]: unknown };
  tags?: { name: string }[];
  [key: string]: unknown;
}

/** Merge the services' documents into the gateway's: their paths, schemas and tags. */
export function mergeOpenApi(own: OpenApi, others: OpenApi[]): OpenApi {
  const merged: OpenApi = { ...own, paths: { ...own.paths }, components: { ...own.components, schemas: { ...own.components?.schemas } } };
  const tags = new Map((own.tags ?? []).map((t) => [t.name, t]));
  for (const doc of others) {
    Object.assign(merged.paths!, doc.paths ?? {});
    Object.assign(merged.components!.schemas!, doc.components?.schemas ?? {});
    for (const t of doc.tags ?? []) if (!tags.has(t.name)) tags.set(t.name, t);
  }
  if (tags.size > 0) merged.tags = [...tags.values()];
  return merged;
}

/**
 * In the distributed mode, `/docs` shows one document for the whole public API: the gateway's
 * own routes and every routed service's, fetched from each service's `/docs/json` (kept for a
 * minute; a service that does not answer is left out until it does).
 */
export function unifiedOpenApi(upstreams: Upstreams, ttlMs = 60_000): FastifyPluginAsync {
  let cache: { at: number; docs: OpenApi[] } | undefined;
  const fetchAll = async () => {
    if (cache && Date.now() - cache.at < ttlMs) return cache.docs;
    const docs = await Promise.all(
      Object.values(upstreams).map(async (url) => {
        try {
          const r = await fetch(new URL('/docs/json', url), { signal: AbortSignal.timeout(2000) });
          return r.ok ? ((await r.json()) as OpenApi) : undefined;
        } catch {
          return undefined;
        }
      }),
    );
    const answered = docs.filter((d): d is OpenApi => d !== undefined);
    // Only a complete set is kept; a partial one is tried again at the next request.
    if (answered.length === docs.length) cache = { at: Date.now(), docs: answered };
    return answered;
  };
  const plugin: FastifyPluginAsync = async (app) => {
    // Every response passes here: anything but the document goes on at once, without a promise.
    app.addHook('onSend', (request, reply, payload, done) => {
      if (request.method !== 'GET' || reply.statusCode !== 200 || typeof payload !== 'string' || request.url.split('?')[0] !== '/docs/json') return done(null, payload);
      fetchAll().then(
        (docs) => done(null, JSON.stringify(mergeOpenApi(JSON.parse(payload) as OpenApi, docs))),
        (error: unknown) => done(error as Error),
      );
    });
  };
  // The hook must see the documentation route of the server's root.
  return atRoot(plugin);
}
