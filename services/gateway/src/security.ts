import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyPluginAsync } from 'fastify';

/** Sign-in attempts one address may make per minute, whatever the global limit. */
export const SIGN_IN_PER_MINUTE = 10;

/** Helmet's settings: a content security policy of the gateway's own origin, and its defaults for the rest. */
const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
};

/** Headers of a response that are no security header (a bare reply of the probe has them too). */
const NOT_SECURITY = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);

/**
 * The security headers helmet sends with `HELMET_OPTIONS`, worked out once: helmet builds them
 * from its options on every request (parsing the policy's directives each time) although they
 * never change, so the gateway asks it once, on a throwaway server, and sends the result.
 */
export async function securityHeaders(): Promise<Readonly<Record<string, string>>> {
  const probe = Fastify({ logger: false });
  try {
    await probe.register(helmet, HELMET_OPTIONS);
    probe.get('/', async () => 'probe');
    const response = await probe.inject({ method: 'GET', url: '/' });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (!NOT_SECURITY.has(name) && typeof value === 'string') headers[name] = value;
    }
    if (!headers['content-security-policy']) throw new Error('helmet set no content security policy');
    return Object.freeze(headers);
  } finally {
    await probe.close();
  }
}

/**
 * Security headers on every response (helmet's: a content security policy of the gateway's own
 * origin, no sniffing, no framing, HSTS) and rate limits: sign-in always, every route when
 * `perMinute` is set. Registered before the routes, at the root, so it covers all of them.
 */
export function gatewaySecurity(options: { perMinute?: number } = {}): FastifyPluginAsync {
  const plugin: FastifyPluginAsync = async (app) => {
    const headers = await securityHeaders();
    // First of the request's hooks, as helmet's own: refusals and errors carry the headers too.
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
    // Before the limiter's own hook, which reads each route's limit as the route is added.
    app.addHook('onRoute', (route) => {
      if (route.url === '/api/auth/sign-in' && route.method === 'POST') route.config = { ...(route.config ?? {}), rateLimit: { max: SIGN_IN_PER_MINUTE, timeWindow: '1 minute' } } as typeof route.config;
    });
    const perMinute = options.perMinute ?? 0;
    await app.register(rateLimit, { global: perMinute > 0, max: perMinute > 0 ? perMinute : SIGN_IN_PER_MINUTE, timeWindow: '1 minute' });
  };
  // The headers and limits apply to every route of the server.
  return atRoot(plugin);
}

/** A plugin that is not encapsulated (what fastify-plugin does): its hooks apply to every route of the server. */
export function atRoot(plugin: FastifyPluginAsync): FastifyPluginAsync {
  (plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
  return plugin;
}

/** The global limit from the environment (RATE_LIMIT_PER_MINUTE; unset or 0: sign-in only). */
export function rateLimitFromEnv(env: Record<string, string | undefined>): number {
  const raw = env['RATE_LIMIT_PER_MINUTE']?.trim();
  if (!raw) return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`RATE_LIMIT_PER_MINUTE must be a whole number, not ${JSON.stringify(raw)}`);
  return n;
}
