import { signToken } from '@fbl/auth';
import { createLogger, createMetrics } from '@fbl/observability';
import { buildHttpServer } from '@fbl/service-kit';
import type { FastifyInstance } from 'fastify';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { climbsOut, downstreamHeaders, upstreamRequestHeaders } from '../src/forward.js';
import { gatewayRoutes } from '../src/routes.js';
import { gatewaySecurity } from '../src/security.js';

const logger = createLogger({ name: 'forward-test', level: 'silent' });
const SECRET = 'forward-test-secret';
const token = () => signToken({ userId: 'planner-1', role: 'planner', institutionId: 'h-1' }, SECRET, { now: new Date(), ttlSeconds: 600 });

/** What the service behind saw of each request, and the hook a test sets to answer it. */
interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}
let answer: (request: IncomingMessage, response: ServerResponse) => void = (_q, r) => r.end();
const seen: Seen[] = [];

async function listening(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A request through the gateway as a browser or a script sends it, the answer's body read as it comes. */
function send(
  method: string,
  path: string,
  headers: OutgoingHttpHeaders,
  write?: (request: ReturnType<typeof httpRequest>) => void,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string; response: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method, path, headers: { authorization: `Bearer ${token()}`, ...headers } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body, response }));
      response.on('error', reject);
    });
    request.on('error', reject);
    if (write) write(request);
    else request.end();
  });
}

let service: Server;
let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  service = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    answer(request, response);
  });
  const servicePort = await listening(service);
  // Nothing listens on the monitoring service's port.
  const closed = createServer();
  const closedPort = await listening(closed);
  await new Promise((resolve) => closed.close(resolve));
  app = await buildHttpServer({
    title: 'forward-test',
    logger,
    metrics: createMetrics(),
    readiness: [],
    plugins: [gatewaySecurity(), gatewayRoutes({ upstreams: { 'referral-workflow': `http://127.0.0.1:${servicePort}`, monitoring: `http://127.0.0.1:${closedPort}` }, authSecret: SECRET })],
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
  // Building the gateway bundles its web UI, which takes seconds on a busy machine.
}, 60_000);

afterAll(async () => {
  await app?.close();
  await new Promise((resolve) => service?.close(resolve));
});

describe("the gateway's forwarder", () => {
  it('streams an answer: the caller has the first event while the service is still writing', async () => {
    let finish = () => {};
    answer = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      response.write('event: ready\ndata: {}\n\n');
      finish = () => response.end('event: referral\ndata: {"id":"r-1"}\n\n');
    };
    const first = await new Promise<{ chunk: string; response: IncomingMessage }>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, path: '/api/referrals/events', headers: { authorization: `Bearer ${token()}`, accept: 'text/event-stream' } }, (response) => {
        response.setEncoding('utf8');
        response.once('data', (chunk: string) => resolve({ chunk, response }));
      });
      request.on('error', reject);
      request.end();
    });
    expect(first.response.statusCode).toBe(200);
    expect(first.response.headers['content-type']).toBe('text/event-stream');
    expect(first.chunk).toBe('event: ready\ndata: {}\n\n');
    // The gateway's own headers are on the streamed answer too.
    expect(first.response.headers['content-security-policy']).toContain("default-src 'self'");
    let rest = '';
    first.response.on('data', (chunk: string) => (rest += chunk));
    const ended = new Promise((resolve) => first.response.on('end', resolve));
    finish();
    await ended;
    expect(rest).toBe('event: referral\ndata: {"id":"r-1"}\n\n');
  });

  it('passes on the headers of the message, not those of the connection, either way', async () => {
    answer = (_request, response) =>
      response
        .writeHead(200, {
          'content-type': 'application/json',
          connection: 'keep-alive, x-hop-answer',
          'keep-alive': 'timeout=999',
          'x-hop-answer': 'for the gateway only',
          'proxy-authenticate': 'Basic',
          trailer: 'x-checksum',
          'x-kept': 'yes',
        })
        .end('{"ok":true}');
    seen.length = 0;
    const reply = await send('GET', '/api/referrals/r-1?x=1', {
      connection: 'keep-alive, x-hop-request',
      'keep-alive': 'timeout=30',
      'x-hop-request': 'for the gateway only',
      'proxy-authorization': 'Basic abc',
      te: 'trailers',
      'x-forwarded-for': '10.0.0.7',
      'x-request-kept': 'yes',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('{"ok":true}');
    expect(reply.headers['x-kept']).toBe('yes');
    for (const name of ['x-hop-answer', 'proxy-authenticate', 'trailer']) expect(reply.headers[name], name).toBeUndefined();
    expect(reply.headers['keep-alive']).not.toBe('timeout=999');
    const [request] = seen;
    expect(request!.url).toBe('/api/referrals/r-1?x=1');
    for (const name of ['x-hop-request', 'proxy-authorization', 'te']) expect(request!.headers[name], name).toBeUndefined();
    expect(request!.headers['keep-alive']).not.toBe('timeout=30');
    expect(request!.headers['host']).toBe(`127.0.0.1:${(service.address() as AddressInfo).port}`);
    expect(request!.headers['x-forwarded-for']).toBe('10.0.0.7');
    expect(request!.headers['x-request-kept']).toBe('yes');
    expect(request!.headers['authorization']).toMatch(/^Bearer /);
  });

  it('streams an upload through: the service has its first part before the caller has sent the rest', async () => {
    let received = '';
    let firstPart: () => void = () => {};
    const firstArrived = new Promise<void>((resolve) => (firstPart = resolve));
    answer = (request, response) => {
      request.setEncoding('latin1');
      request.on('data', (chunk: string) => {
        received += chunk;
        firstPart();
      });
      request.on('end', () => response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes: received.length })));
    };
    const part = 'x'.repeat(64 * 1024);
    const reply = await send('POST', '/api/referrals/r-1/attachments', { 'content-type': 'application/pdf', 'transfer-encoding': 'chunked' }, (request) => {
      request.write(`%PDF-${part}`);
      // The rest goes only once the service has the first part: a gateway that read the whole
      // body before forwarding it would wait here for ever.
      void firstArrived.then(() => request.end(part));
    });
    expect(reply.status, reply.body).toBe(201);
    expect(JSON.parse(reply.body)).toEqual({ bytes: 5 + 2 * part.length });
    expect(received.startsWith('%PDF-x')).toBe(true);
  });

  it('answers 503 problem+json with Retry-After when the service refuses the connection', async () => {
    const reply = await send('GET', '/api/monitoring/open-referrals', { accept: 'application/json' });
    expect(reply.status).toBe(503);
    expect(reply.headers['content-type']).toContain('application/problem+json');
    expect(reply.headers['retry-after']).toBe('5');
    expect(reply.headers['content-security-policy']).toContain("default-src 'self'");
    expect(JSON.parse(reply.body)).toMatchObject({ type: '/problems/service-unavailable', status: 503, detail: 'monitoring cannot be reached just now; try again shortly', instance: '/api/monitoring/open-referrals' });
  });

  it('refuses a path that steps out of its prefix, naming the path, before the service sees it', async () => {
    seen.length = 0;
    const reply = await send('GET', '/api/referrals/%2e%2e/monitoring/open-referrals', {});
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ type: '/problems/bad-url', errors: [{ field: 'path', in: 'params' }] });
    expect(seen).toEqual([]);
    expect(climbsOut('/api/referrals/r-1?next=../x')).toBe(false);
    expect(climbsOut('/api/referrals/../x')).toBe(true);
    expect(climbsOut('/api/referrals/a%5c..%5cb')).toBe(true);
    expect(climbsOut('/api/referrals/%zz')).toBe(true);
    expect(climbsOut('/api/referrals/r.1/file.pdf')).toBe(false);
  });

  it('takes a connection header apart by its names, in either direction', () => {
    expect(upstreamRequestHeaders({ connection: 'Keep-Alive, X-Private', 'x-private': 'a', 'x-public': 'b', expect: '100-continue', 'proxy-connection': 'keep-alive', trailer: 'x-sum' }, 'service:1')).toEqual({ 'x-public': 'b', host: 'service:1' });
    expect(downstreamHeaders({ 'x-gateway': 'g', 'x-both': 'gateway' }, { 'x-both': 'service', 'transfer-encoding': 'chunked', upgrade: 'h2c' })).toEqual({ 'x-gateway': 'g', 'x-both': 'service' });
  });
});
