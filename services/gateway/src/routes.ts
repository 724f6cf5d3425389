import type { TokenKey } from '@fbl/auth';
import { knownPrincipal, principalFromHeader, type TokenChecks } from '@fbl/auth/fastify';
import { BED_SERVICE_NAMES, type BedService } from '@fbl/contracts/bed-services';
import { MAX_ATTACHMENT_BYTES } from '@fbl/contracts/packet-codes';
import { DEFAULT_BODY_LIMIT, ProblemError, type OidcSettings } from '@fbl/service-kit';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { Socket } from 'node:net';
// The forwarding (and undici with it) is loaded only where there are services to forward to.
import type { Forwarder } from './forward.js';
import { uiRoutes } from './ui.js';

/** The bed services' prefixes, from the one bed type → service mapping. */
const BED_ROUTES = Object.fromEntries(BED_SERVICE_NAMES.map((service) => [`/api/${service}`, service])) as { [S in BedService as `/api/${S}`]: S };

/** Public path prefixes and the service that owns each. */
export const ROUTES = {
  '/api/referrals': 'referral-workflow',
  ...BED_ROUTES,
  '/api/civil-affairs': 'civil-affairs',
  '/api/medical-insurance': 'medical-insurance',
  '/api/monitoring': 'monitoring',
} as const;

export type ServiceName = (typeof ROUTES)[keyof typeof ROUTES];

/** The referral workflow's stream of live updates (server-sent events). */
const EVENTS_PATH = '/api/referrals/events';

const UPLOAD_PATH = /^\/api\/referrals\/[^/]+\/attachments(\?|$)/;

/**
 * Refuse a body larger than the service behind takes, by its declared length, before forwarding
 * it: the service would stop reading it half way, and the caller would get a broken connection
 * instead of its 413.
 */
export function bodyTooLarge(method: string, url: string, contentLength: string | undefined): boolean {
  if (contentLength === undefined) return false;
  const limit = method === 'POST' && UPLOAD_PATH.test(url) ? MAX_ATTACHMENT_BYTES : DEFAULT_BODY_LIMIT;
  return Number(contentLength) > limit;
}

/** Where each service listens, in the distributed mode; services not named are not routed. */
export type Upstreams = Partial<Record<ServiceName, string>>;

/**
 * The gateway's own check before it forwards anything: every service API needs a signed-in user,
 * so a request without a valid token is answered 401 here and never reaches a service. What a
 * role may do, and on which records, each service decides again for itself.
 */
export function signedIn(checks: TokenChecks, clock: () => Date = () => new Date()): (request: FastifyRequest, reply: unknown, done: (error?: Error) => void) => void {
  return (request, _reply, done) => {
    const now = clock();
    // A token this process verified before, still valid: no promise to wait for.
    if (knownPrincipal(request.headers.authorization, checks.secret, now)) {
      done();
      return;
    }
    principalFromHeader(request.headers.authorization, { ...checks, now }).then(
      (principal) => done(principal ? undefined : new ProblemError(401, 'unauthenticated', 'Sign in first', 'the service APIs need a signed-in user')),
      (error: unknown) => done(error as Error),
    );
  };
}

/**
 * The forwarding routes log what goes wrong (a service that cannot be reached, an error), not a
 * line for each request: the service behind writes the request's line, with the same trace id.
 */
const FORWARD_LOG_LEVEL = 'warn';

/** What a forwarding route answers to: every method of HTTP an API call uses. */
const METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT', 'OPTIONS'];

/** A request's body is passed to the service as it arrives, whatever its type: the service reads it. */
function passBodiesOn(app: FastifyInstance): void {
  const asStream = (_request: FastifyRequest, payload: unknown, done: (error: Error | null, body?: unknown) => void) => done(null, payload);
  app.addContentTypeParser('application/json', asStream);
  app.addContentTypeParser('*', asStream);
}

/**
 * The gateway: the people's single entry. In the distributed mode it forwards each public
 * prefix to the owning service once the request's token is valid; in the embedded mode the
 * services' routes live in the same server and the gateway adds only its own pages (the web UI).
 */
export function gatewayRoutes(options: { upstreams?: Upstreams; authSecret?: TokenKey; oidc?: OidcSettings; clock?: () => Date; province?: string } = {}): FastifyPluginAsync {
  // The web UI is bundled from now on, beside the rest of the start (the database, the services).
  const ui = uiRoutes(options.province ? { province: options.province } : {});
  return async (app) => {
    await app.register(ui);
    const { upstreams, authSecret } = options;
    if (!upstreams) return;
    if (!authSecret) throw new Error('the gateway forwards only with AUTH_SECRET to check tokens with');
    const { forwarder } = await import('./forward.js');
    const preHandler = signedIn({ secret: authSecret, ...(options.oidc ? { oidc: options.oidc } : {}) }, options.clock);
    // The forwarding routes (`/api/referrals/*` and the like, every method) are no operations of the
    // API: the public document shows each service's own routes in their place.
    app.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    // Live-update streams stay open for minutes: they get a connection pool of their own, so open
    // pages cannot starve the ordinary API calls, and they are cut when the gateway closes.
    const workflow = upstreams['referral-workflow'];
    const streams = new Set<Socket>();
    // One hook, without a promise, on every request (most are forwarded API calls).
    app.addHook('onRequest', (request, _reply, done) => {
      const { url } = request;
      if (!url.startsWith('/api/')) return done();
      if (bodyTooLarge(request.method, url, request.headers['content-length'])) {
        return done(new ProblemError(413, 'too-large', 'Too large', 'the request body is larger than this route accepts', [{ field: 'body', pointer: '', in: 'body', reason: 'is larger than this route accepts' }]));
      }
      if (workflow && url.startsWith(EVENTS_PATH)) {
        const socket = request.raw.socket;
        streams.add(socket);
        socket.once('close', () => streams.delete(socket));
      }
      done();
    });
    if (workflow) {
      app.addHook('preClose', async () => {
        for (const socket of streams) socket.destroy();
      });
    }
    const forwarders: Forwarder[] = [];
    app.addHook('onClose', async () => {
      await Promise.all(forwarders.map((f) => f.close()));
    });
    // In a context of their own: the bodies of these routes are not parsed, the gateway's own routes' are.
    await app.register(async (forwarding) => {
      passBodiesOn(forwarding);
      const route = (prefix: string, forward: Forwarder) => {
        forwarders.push(forward);
        const handler: RouteHandlerMethod = (request, reply) => forward.forward(request, reply);
        for (const url of [prefix, `${prefix}/*`]) forwarding.route({ method: METHODS, url, logLevel: FORWARD_LOG_LEVEL, preHandler, handler });
      };
      if (workflow) route(EVENTS_PATH, forwarder('referral-workflow', workflow, { connections: 4096, bodyTimeout: 0 }));
      for (const [prefix, service] of Object.entries(ROUTES) as [keyof typeof ROUTES, ServiceName][]) {
        const upstream = upstreams[service];
        if (upstream) route(prefix, forwarder(service, upstream));
      }
    });
  };
}
