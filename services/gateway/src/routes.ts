import httpProxy from '@fastify/http-proxy';
import type { FastifyPluginAsync } from 'fastify';

/** Public path prefixes and the service that owns each. */
export const ROUTES = {
  '/api/referrals': 'referral-workflow',
  '/api/care-beds': 'care-beds',
  '/api/medical-beds': 'medical-beds',
  '/api/home-care-beds': 'home-care-beds',
  '/api/home-sick-beds': 'home-sick-beds',
  '/api/hospice-beds': 'hospice-beds',
  '/api/civil-affairs': 'civil-affairs',
  '/api/medical-insurance': 'medical-insurance',
  '/api/monitoring': 'monitoring',
} as const;

export type ServiceName = (typeof ROUTES)[keyof typeof ROUTES];

/** Where each service listens, in the distributed mode; services not named are not routed. */
export type Upstreams = Partial<Record<ServiceName, string>>;

const page = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>五床联动转诊系统</title></head>
<body><main>
<h1>五床联动转诊系统</h1>
<p>Five-bed linkage referral system: hospital beds, care-home beds, home care beds, home sick beds and hospice beds, one referral loop.</p>
<ul><li><a href="/docs">API 文档 / API documentation</a></li><li><a href="/health">/health</a></li><li><a href="/ready">/ready</a></li></ul>
</main></body></html>`;

/**
 * The gateway: the people's single entry. In the distributed mode it forwards each public
 * prefix to the owning service; in the embedded mode the services' routes live in the same
 * server and the gateway adds only its own pages.
 */
export function gatewayRoutes(options: { upstreams?: Upstreams } = {}): FastifyPluginAsync {
  return async (app) => {
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
    const { upstreams } = options;
    if (!upstreams) return;
    for (const [prefix, service] of Object.entries(ROUTES) as [keyof typeof ROUTES, ServiceName][]) {
      const upstream = upstreams[service];
      if (upstream) await app.register(httpProxy, { upstream, prefix, rewritePrefix: prefix, http2: false });
    }
  };
}
