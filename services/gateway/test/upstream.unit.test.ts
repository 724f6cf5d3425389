import { signToken } from '@fbl/auth';
import { createLogger, createMetrics } from '@fbl/observability';
import { buildHttpServer } from '@fbl/service-kit';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { upstreamProblem } from '../src/forward.js';
import { gatewayRoutes } from '../src/routes.js';

const logger = createLogger({ name: 'upstream-test', level: 'silent' });
const SECRET = 'upstream-test-secret';
const token = () => signToken({ userId: 'analyst-1', role: 'analyst', divisionCode: '370000' }, SECRET, { now: new Date(), ttlSeconds: 600 });

/** A port nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A service that accepts the connection and hangs up without answering. */
async function hangingUp(): Promise<Server> {
  const server = createServer((request) => request.socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('the gateway when a service does not answer', () => {
  it('answers 503 problem+json with Retry-After when the service is stopped, and again once it is back, forwards', async () => {
    const port = await closedPort();
    const app = await buildHttpServer({
      title: 'gateway-test',
      logger,
      metrics: createMetrics(),
      readiness: [],
      plugins: [gatewayRoutes({ upstreams: { monitoring: `http://127.0.0.1:${port}` }, authSecret: SECRET })],
    });
    try {
      const down = await app.inject({ method: 'GET', url: '/api/monitoring/open-referrals', headers: { authorization: `Bearer ${token()}` } });
      expect(down.statusCode).toBe(503);
      expect(down.headers['content-type']).toContain('application/problem+json');
      expect(down.headers['retry-after']).toBe('5');
      expect(down.json()).toMatchObject({ type: '/problems/service-unavailable', status: 503, instance: '/api/monitoring/open-referrals' });
      expect(down.body).toContain('monitoring');

      // The service comes back on its port: the same request is forwarded.
      const back = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}'));
      await new Promise<void>((resolve) => back.listen(port, '127.0.0.1', resolve));
      try {
        const up = await app.inject({ method: 'GET', url: '/api/monitoring/open-referrals', headers: { authorization: `Bearer ${token()}` } });
        expect(up.statusCode).toBe(200);
        expect(up.json()).toEqual({ items: [] });
      } finally {
        await new Promise((resolve) => back.close(resolve));
      }
    } finally {
      await app.close();
    }
  }, 30_000);

  it('answers 503 problem+json when the service hangs up on the request', async () => {
    const service = await hangingUp();
    const app = await buildHttpServer({
      title: 'gateway-test',
      logger,
      metrics: createMetrics(),
      readiness: [],
      plugins: [gatewayRoutes({ upstreams: { monitoring: `http://127.0.0.1:${(service.address() as AddressInfo).port}` }, authSecret: SECRET })],
    });
    try {
      const response = await app.inject({ method: 'GET', url: '/api/monitoring/open-referrals', headers: { authorization: `Bearer ${token()}` } });
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.headers['retry-after']).toBe('5');
    } finally {
      await app.close();
      await new Promise((resolve) => service.close(resolve));
    }
  }, 30_000);

  it('leaves its forwarding routes out of the API document: they are no operations of their own', async () => {
    const app = await buildHttpServer({
      title: 'gateway-test',
      logger,
      metrics: createMetrics(),
      readiness: [],
      plugins: [gatewayRoutes({ upstreams: { monitoring: `http://127.0.0.1:${await closedPort()}`, 'referral-workflow': `http://127.0.0.1:${await closedPort()}` }, authSecret: SECRET })],
    });
    try {
      expect(app.hasRoute({ method: 'GET', url: '/api/monitoring/*' })).toBe(true);
      const doc = await app.inject({ method: 'GET', url: '/docs/json' });
      expect(doc.statusCode).toBe(200);
      expect(Object.keys((doc.json() as { paths?: object }).paths ?? {}).filter((p) => p.startsWith('/api/'))).toEqual([]);
    } finally {
      await app.close();
    }
    // Building the gateway bundles its web UI, which takes seconds on a busy machine.
  }, 30_000);

  it('forwards a signed-in request as it came, and refuses a token it verified before once that token has expired, before the service sees it', async () => {
    const seen: { url: string; authorization: string | undefined; body: string }[] = [];
    const service = createServer((request, response) => {
      let body = '';
      request.on('data', (d: Buffer) => (body += d.toString()));
      request.on('end', () => {
        seen.push({ url: request.url ?? '', authorization: request.headers.authorization, body });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"r-1","state":"offering"}');
      });
    });
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    let now = new Date('2026-11-22T08:00:00Z');
    const app = await buildHttpServer({
      title: 'gateway-test',
      logger,
      metrics: createMetrics(),
      readiness: [],
      plugins: [gatewayRoutes({ upstreams: { 'referral-workflow': `http://127.0.0.1:${(service.address() as AddressInfo).port}` }, authSecret: SECRET, clock: () => now })],
    });
    try {
      const planner = signToken({ userId: 'planner-cache', role: 'planner', institutionId: 'h-1' }, SECRET, { now, ttlSeconds: 900 });
      const headers = { authorization: `Bearer ${planner}` };
      // A body the gateway only forwards goes through byte for byte (not parsed and written again).
      const payload = '{ "bedType" : "care",  "note": "二楼" }';
      const posted = await app.inject({ method: 'POST', url: '/api/referrals?x=1', headers: { ...headers, 'content-type': 'application/json' }, payload });
      expect(posted.statusCode, posted.body).toBe(200);
      for (let i = 0; i < 3; i++) expect((await app.inject({ method: 'GET', url: '/api/referrals/r-1', headers })).json()).toEqual({ id: 'r-1', state: 'offering' });
      expect(seen.map((s) => s.url)).toEqual(['/api/referrals?x=1', '/api/referrals/r-1', '/api/referrals/r-1', '/api/referrals/r-1']);
      expect(seen[0]!.body).toBe(payload);
      expect(seen.every((s) => s.authorization === `Bearer ${planner}`)).toBe(true);

      now = new Date(now.getTime() + 900_000);
      const expired = await app.inject({ method: 'GET', url: '/api/referrals/r-1', headers });
      expect(expired.statusCode).toBe(401);
      expect(expired.headers['content-type']).toContain('application/problem+json');
      expect(expired.json()).toMatchObject({ status: 401, detail: 'the token is expired' });
      const none = await app.inject({ method: 'GET', url: '/api/referrals/r-1' });
      expect(none.statusCode).toBe(401);
      expect(seen).toHaveLength(4);
    } finally {
      await app.close();
      await new Promise((resolve) => service.close(resolve));
    }
  }, 30_000);

  it('says 504 for a timeout and 502 for any other failure', () => {
    expect(upstreamProblem('care-beds', Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' })).status).toBe(504);
    expect(upstreamProblem('care-beds', Object.assign(new Error('x'), { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) })).status).toBe(503);
    const other = upstreamProblem('care-beds', new Error('something else'));
    expect(other.status).toBe(502);
    expect(other.retryAfterSeconds).toBeUndefined();
  });
});
