import { startEmbedded } from '@fbl/embedded';
import { createLogger } from '@fbl/observability';
import type { RunningProcess } from '@fbl/service-kit';
import { waitFor } from '@fbl/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem } from '../support/http.js';
import { careHome, referralToAdmission } from './scenarios.js';

describe('embedded mode: every service in one process on PGlite and the in-process bus', () => {
  let system: RunningProcess;

  beforeAll(async () => {
    system = await startEmbedded(
      { port: 0, host: '127.0.0.1', database: { dataDir: 'memory' }, logLevel: 'silent' },
      { logger: createLogger({ name: 'embedded-test', level: 'silent' }) },
    );
  });
  afterAll(async () => system?.stop());

  it('uses the embedded parts', () => {
    expect(system.deps.database.kind).toBe('pglite');
    expect(system.deps.bus.kind).toBe('in-process');
  });

  it('takes one referral from the HTTP request to the admission', async () => {
    await referralToAdmission(system.url);
  });

  it('answers malformed JSON, wrong types and missing fields with problem+json naming the field', async () => {
    expectProblem(await call(system.url, 'POST', '/api/referrals', '{"elderRef": '), 400, '');
    expectProblem(await call(system.url, 'POST', '/api/referrals', { elderRef: 12, institutionId: '0192f3b2-7c1a-7000-8000-000000000002' }), 400, 'elderRef');
    expectProblem(await call(system.url, 'POST', '/api/referrals', { elderRef: 'x' }), 400, 'institutionId');
    expectProblem(await call(system.url, 'POST', '/api/referrals', { elderRef: 'x', institutionId: 'not-a-uuid' }), 400, 'institutionId');
    expectProblem(await call(system.url, 'POST', '/api/care-beds/institutions', { ...careHome('院', 1), colour: 'red' }), 400, 'colour');
    expectProblem(await call(system.url, 'GET', '/api/referrals/not-a-uuid'), 400, 'id');
    expectProblem(await call(system.url, 'GET', '/api/referrals/0192f3b2-7c1a-7000-8000-000000000009'), 404);
    expectProblem(await call(system.url, 'GET', '/no/such/route'), 404);
  });

  it('creates nothing when the input is refused', async () => {
    const count = sql`select count(*)::int as n from referral.referrals`;
    const before = await system.deps.database.rows<{ n: number }>(system.deps.database.db, count);
    await call(system.url, 'POST', '/api/referrals', { elderRef: 'x', institutionId: 'nope' });
    const after = await system.deps.database.rows<{ n: number }>(system.deps.database.db, count);
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it('carries the trace context of a request into every message it causes', async () => {
    const traceId = 'abcdef0123456789abcdef0123456789';
    const home = await call(system.url, 'POST', '/api/care-beds/institutions', careHome('追踪测试院', 1));
    const response = await fetch(`${system.url}/api/referrals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-0123456789abcdef-01` },
      body: JSON.stringify({ elderRef: 'trace-1', institutionId: home.body['id'] }),
    });
    const { id } = (await response.json()) as { id: string };
    const { database } = system.deps;
    const envelopes = await waitFor(async () => {
      const rows = await database.rows<{ type: string; envelope: { traceparent?: string; correlationId: string } }>(
        database.db,
        sql`select type, envelope from referral.outbox where envelope->>'correlationId' = ${id}
            union all select type, envelope from care_beds.outbox where envelope->>'correlationId' = ${id}`,
      );
      return rows.some((r) => r.type === 'BedHeld') ? rows : undefined;
    }, { what: 'the hold caused by the traced request' });
    expect(envelopes.map((r) => r.type)).toEqual(expect.arrayContaining(['ReferralRequested', 'ReserveBed', 'BedHeld']));
    for (const row of envelopes) expect(row.envelope.traceparent, row.type).toContain(traceId);
  });

  it('serves health, readiness, metrics and the OpenAPI document', async () => {
    expect((await call(system.url, 'GET', '/health')).body).toEqual({ status: 'ok' });
    expect((await call(system.url, 'GET', '/ready')).status).toBe(200);
    const metrics = await (await fetch(`${system.url}/metrics`)).text();
    expect(metrics).toContain('fbl_outbox_published_total');
    const openapi = await call(system.url, 'GET', '/docs/json');
    expect(Object.keys(openapi.body['paths'] as object)).toEqual(expect.arrayContaining(['/api/referrals', '/api/care-beds/institutions']));
  });
});
