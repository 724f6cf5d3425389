import { createLogger, createMetrics } from '@fbl/observability';
import type { FastifyInstance } from 'fastify';
import { connect, type AddressInfo } from 'node:net';
import Type from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Refusal, type RefusalKind } from '@fbl/contracts';
import { buildHttpServer } from '../src/http-server.js';

const logger = createLogger({ name: 'http-server-test', level: 'silent' });

/** Send raw bytes and read everything the server writes until it closes the connection. */
function exchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString('utf8')));
    socket.on('close', () => resolve(received));
    // The server may close while the request is still being written: what it answered counts.
    socket.on('error', (error) => (received ? undefined : reject(error)));
    socket.end(request);
  });
}

describe('the HTTP server answers what it cannot route or read as problems', () => {
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    app = await buildHttpServer({
      title: 'http-server-test',
      logger,
      metrics: createMetrics(),
      readiness: [],
      plugins: [
        async (a) => {
          a.get('/things/:id', { schema: { params: Type.Object({ id: Type.String({ maxLength: 50 }) }) } }, async () => ({ ok: true }));
          a.get('/forward/*', async () => ({ ok: true }));
          a.get('/refused/:kind', async (request) => {
            const { kind } = request.params as { kind: RefusalKind };
            throw new Refusal(kind, `refused as ${kind}`, kind === 'conflict' ? { code: 'elder-in-bed', title: 'The elder is in another bed', fields: [{ field: 'confirmMove', pointer: '/confirmMove', in: 'body', reason: 'must be true' }], members: { reapplyFrom: '2027-01-01' } } : {});
          });
        },
      ],
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => app?.close());

  it.each([
    ['invalid', 400, 'validation-error'],
    ['forbidden', 403, 'forbidden'],
    ['not-found', 404, 'not-found'],
    ['too-large', 413, 'too-large'],
    ['unavailable', 503, 'unavailable'],
  ] as const)('answers a use case refusing as %s with %i problem+json', async (kind, status, slug) => {
    const res = await app.inject({ method: 'GET', url: `/refused/${kind}` });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toEqual({ type: `/problems/${slug}`, title: expect.any(String) as unknown, status, detail: `refused as ${kind}`, instance: `/refused/${kind}` });
  });

  it("answers a refusal with a code of its own with that type, its fields and its members", async () => {
    const res = await app.inject({ method: 'GET', url: '/refused/conflict' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      type: '/problems/elder-in-bed',
      title: 'The elder is in another bed',
      status: 409,
      detail: 'refused as conflict',
      instance: '/refused/conflict',
      errors: [{ field: 'confirmMove', pointer: '/confirmMove', in: 'body', reason: 'must be true' }],
      reapplyFrom: '2027-01-01',
    });
  });

  it('refuses a request line and headers over 16 KiB with 431 problem+json and closes the connection', async () => {
    const raw = await exchange(port, `GET /things/x?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(head.toLowerCase()).toContain('content-type: application/problem+json');
    expect(head.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(body)).toMatchObject({ type: '/problems/headers-too-large', title: expect.any(String), status: 431 });
  });

  it('refuses what is not HTTP with 400 problem+json', async () => {
    const raw = await exchange(port, 'NOT HTTP AT ALL\r\n\r\n');
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(JSON.parse(body)).toMatchObject({ type: '/problems/bad-request', status: 400 });
  });

  it('names a NUL in a path parameter by the parameter, and in the rest of a path a wildcard takes as the path', async () => {
    const named = await app.inject({ method: 'GET', url: '/things/a%00b' });
    expect(named.statusCode).toBe(400);
    expect(named.headers['content-type']).toContain('application/problem+json');
    expect(named.json()).toMatchObject({ status: 400, errors: [{ field: 'id', in: 'params' }] });
    const rest = await app.inject({ method: 'GET', url: '/forward/some/a%00b' });
    expect(rest.statusCode).toBe(400);
    expect(rest.json()).toMatchObject({ status: 400, errors: [{ field: 'path', pointer: '', in: 'params' }] });
    expect((await app.inject({ method: 'GET', url: '/forward/some/thing' })).statusCode).toBe(200);
  });
});

describe('the request context', () => {
  it('continues the caller’s trace: the answer’s traceparent and every log line of the request name its trace and its id', async () => {
    const lines: string[] = [];
    const { Writable } = await import('node:stream');
    const traced = createLogger({ name: 'trace-test', level: 'info', destination: new Writable({ write: (c: Buffer, _e, done) => { lines.push(c.toString()); done(); } }) });
    const app = await buildHttpServer({
      title: 'trace-test',
      logger: traced,
      metrics: createMetrics(),
      readiness: [],
      plugins: [
        async (a) => void a.get('/traced', async (request) => { request.log.info('handled'); return { traceparent: request.traceparent, id: request.id }; }),
        async (a) => {
          await a.register(async (quiet) => void quiet.get('/quiet', async (request) => { request.log.info('not written'); request.log.warn('written'); return { id: request.id }; }), { logLevel: 'warn' });
        },
      ],
    });
    try {
      const traceId = '0af7651916cd43dd8448eb211c80319c';
      const r = await app.inject({ method: 'GET', url: '/traced', headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
      const body = r.json<{ traceparent: string; id: string }>();
      expect(body.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(body.traceparent).not.toContain('b7ad6b7169203331');
      expect(r.headers['traceparent']).toBe(body.traceparent);
      const handled = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['msg'] === 'handled');
      expect(handled).toMatchObject({ traceId, reqId: body.id });
      // Without a caller's trace, a new one for each request.
      const [a, b] = [await app.inject({ method: 'GET', url: '/traced' }), await app.inject({ method: 'GET', url: '/traced' })].map((x) => x.json<{ traceparent: string }>().traceparent);
      expect(a).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(a!.slice(3, 35)).not.toBe(b!.slice(3, 35));
      // A route logging at warn writes its warnings, bound to the request, and nothing below.
      const quiet = (await app.inject({ method: 'GET', url: '/quiet' })).json<{ id: string }>();
      const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(parsed.find((l) => l['msg'] === 'written')).toMatchObject({ reqId: quiet.id, traceId: expect.stringMatching(/^[0-9a-f]{32}$/) });
      expect(parsed.some((l) => l['msg'] === 'not written' || (l['reqId'] === quiet.id && l['msg'] !== 'written'))).toBe(false);
    } finally {
      await app.close();
    }
  });
});

describe('route validators, compiled when first used and the rest soon after the server listens', () => {
  it('validates as declared, and names a schema that does not compile in the log once listening, the server still up', async () => {
    const lines: Record<string, unknown>[] = [];
    const { Writable } = await import('node:stream');
    const logged = createLogger({ name: 'validators-test', level: 'error', destination: new Writable({ write: (c: Buffer, _e, done) => { lines.push(JSON.parse(c.toString()) as Record<string, unknown>); done(); } }) });
    const app = await buildHttpServer({
      title: 'validators-test',
      logger: logged,
      metrics: createMetrics(),
      readiness: [],
      plugins: [
        async (a) => {
          a.post('/named', { schema: { body: Type.Object({ name: Type.String({ minLength: 2 }), count: Type.Optional(Type.Integer({ minimum: 0, default: 1 })) }) } }, async (request) => request.body);
          a.get('/paged', { schema: { querystring: Type.Object({ page: Type.Integer({ minimum: 1 }) }) } }, async (request) => request.query);
          // A type ajv does not know: the schema cannot compile.
          a.post('/broken', { schema: { body: { type: 'object', properties: { a: { type: 'no-such-type' } } } } }, async () => ({ ok: true }));
        },
      ],
    });
    try {
      // Before it listens, nothing was compiled: a bad schema has not been met.
      expect(lines).toEqual([]);
      // The API document shows the numbers' bounds already, though no validator was compiled yet.
      const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json<{ paths: Record<string, Record<string, { parameters?: { name: string; schema?: { maximum?: number } }[] }>> }>();
      expect(document.paths['/paged']!['get']!.parameters!.find((p) => p.name === 'page')!.schema!.maximum).toBe(Number.MAX_SAFE_INTEGER);
      expect(lines).toEqual([]);
      const ok = await app.inject({ method: 'POST', url: '/named', payload: { name: '王某' } });
      expect(ok.json()).toEqual({ name: '王某', count: 1 });
      const bad = await app.inject({ method: 'POST', url: '/named', payload: { name: 'x', count: -1 } });
      expect(bad.statusCode).toBe(400);
      expect((bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).sort()).toEqual(['count', 'name']);
      expect((await app.inject({ method: 'GET', url: '/paged?page=3' })).json()).toEqual({ page: 3 });
      expect((await app.inject({ method: 'GET', url: '/paged?page=0' })).statusCode).toBe(400);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const deadline = Date.now() + 60_000;
      while (!lines.some((l) => l['route'] === 'POST /broken body') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(lines.find((l) => l['route'] === 'POST /broken body')).toMatchObject({ msg: 'a route schema does not compile; its requests will fail' });
      expect((await app.inject({ method: 'POST', url: '/named', payload: { name: '李某', count: 2 } })).json()).toEqual({ name: '李某', count: 2 });
      expect((await app.inject({ method: 'POST', url: '/broken', payload: { a: 1 } })).statusCode).toBe(500);
    } finally {
      await app.close();
    }
  });
});
