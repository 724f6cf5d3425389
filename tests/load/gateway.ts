/**
 * The gateway's own cost per forwarded request: authenticated `GET /api/referrals/:id` through
 * the gateway process and, in the same run, through a bare Node proxy (`bare-proxy.ts`) to the
 * same upstream, a stub in this process answering a referral-sized JSON body at once. CPU
 * seconds of each proxy process from /proc, per request.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { processCpuSeconds } from './proc.js';

/** What the stub answers for a referral: the shape and size (~3 KB) of the workflow's answer. */
export function referralBody(id: string): string {
  const at = (minutes: number) => new Date(Date.UTC(2026, 10, 22, 8, minutes)).toISOString();
  const institution = (n: number) => `0192f3b2-7c1a-7000-8000-0000000000${String(n).padStart(2, '0')}`;
  return JSON.stringify({
    id,
    number: 'ZZ-2026-000123',
    state: 'offering',
    version: 7,
    bedType: 'care',
    greenChannel: false,
    originInstitutionId: '0192f3b2-7c1a-7000-8000-00000000be4c',
    requirements: { nursingType: 'full-care', dementiaCare: false, oxygen: true },
    facts: { mobility: 'wheelchair', divisionCode: '370102' },
    createdAt: at(0),
    updatedAt: at(9),
    offers: [1, 2, 3].map((n) => ({ id: `0192f3b2-7c1a-7000-8000-0000000001${n}0`, institutionId: institution(n), status: n === 1 ? 'declined' : 'open', reasonCode: n === 1 ? 'no-capacity' : null, rank: n, deadline: at(60 + n), createdAt: at(2) })),
    candidates: [1, 2, 3].map((n) => ({ institutionId: institution(n), name: `压测护理院${n}`, rank: n, distanceBand: 'county', freeUnits: 20 - n, reasons: ['同县', '有空床', '可提供全护理'] })),
    timeline: ['requested', 'assessed', 'matched', 'offered', 'declined', 'offered'].map((kind, n) => ({ kind, at: at(n), by: 'bench-planner', detail: `第${n + 1}步` })),
  });
}

/**
 * A stub upstream: `/ready`, `/health` and `/docs/json` as a service answers them, a referral for
 * `GET /api/referrals/:id`, 404 otherwise. In this process (its CPU is the bench's, not the proxies').
 */
export async function stubUpstream(): Promise<{ url: string; close(): Promise<void> }> {
  const body = referralBody('0192f3b2-7c1a-7000-8000-00000000beef');
  const docs = JSON.stringify({ openapi: '3.1.0', info: { title: 'stub', version: '0' }, paths: {} });
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0]!;
    const send = (status: number, text: string) => response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
    request.resume();
    if (path === '/ready' || path === '/health') send(200, '{"status":"ready"}');
    else if (path === '/docs/json') send(200, docs);
    else if (request.method === 'GET' && /^\/api\/referrals\/[^/]+$/.test(path)) send(200, body);
    else send(404, '{"status":404}');
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `requests` GETs of `path` at `baseUrl` with `concurrency` in flight; each must answer 200 with the referral. */
export async function drive(baseUrl: string, path: string, token: string, requests: number, concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next += 1;
      const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
      const text = await response.text();
      if (response.status !== 200 || !text.startsWith('{"id"')) throw new Error(`GET ${baseUrl}${path} answered ${response.status}: ${text.slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** CPU milliseconds `pid` spent per request while `requests` of them went through it. */
export async function cpuMsPerRequest(pid: number, run: () => Promise<void>, requests: number): Promise<{ cpuMs: number; seconds: number }> {
  const before = processCpuSeconds(pid);
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const after = processCpuSeconds(pid);
  if (before === undefined || after === undefined) throw new Error(`process ${pid} is gone`);
  return { cpuMs: ((after - before) * 1000) / requests, seconds };
}
