import httpProxy from '@fastify/http-proxy';
import type { FastifyPluginAsync } from 'fastify';
import { uiRoutes } from './ui.js';

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

/**
 * The gateway: the people's single entry. In the distributed mode it forwards each public
 * prefix to the owning service; in the embedded mode the services' routes live in the same
 * server and the gateway adds only its own pages (the web UI).
 */
export function gatewayRoutes(options: { upstreams?: Upstreams } = {}): FastifyPluginAsync {
  return async (app) => {
    await app.register(uiRoutes());
    const { upstreams } = options;
    if (!upstreams) return;
    for (const [prefix, service] of Object.entries(ROUTES) as [keyof typeof ROUTES, ServiceName][]) {
      const upstream = upstreams[service];
      if (upstream) await app.register(httpProxy, { upstream, prefix, rewritePrefix: prefix, http2: false });
    }
  };
}
