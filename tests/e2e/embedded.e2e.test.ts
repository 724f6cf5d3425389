import { startEmbedded, type EmbeddedSystem } from '@fbl/embedded';
import { createLogger } from '@fbl/observability';
import { bedEventsTopic, eventsTopic, REFERRAL } from '@fbl/contracts';
import { waitFor, watchPublished } from '@fbl/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOf, plannerAt, staffOf, type Site } from '../support/actors.js';
import { call, expectProblem, openEvents } from '../support/http.js';
import { answerOffers, careHome, dischargeRequest, hospital, referralToClosedLoop, register, waitUntilMatchable } from './scenarios.js';

describe('embedded mode: every service in one process on PGlite and the in-process bus', () => {
  let system: EmbeddedSystem;
  let site: Site;

  beforeAll(async () => {
    system = await startEmbedded(
      { port: 0, host: '127.0.0.1', database: { dataDir: 'memory' }, logLevel: 'silent' },
      { logger: createLogger({ name: 'embedded-test', level: 'silent' }), demoData: false },
    );
    site = { url: system.url, authSecret: system.secrets.authSecret };
  });
  afterAll(async () => system?.stop());

  it('uses the embedded parts', () => {
    expect(system.deps.database.kind).toBe('pglite');
    expect(system.deps.bus.kind).toBe('in-process');
  });

  it('takes one referral from the HTTP request to the closed loop, counted at once by the monitoring service', async () => {
    await referralToClosedLoop(site);
    const loop = await call(system.url, 'GET', '/api/monitoring/metrics/closed-loop', undefined, adminOf(site));
    expect(loop.status).toBe(200);
    expect(loop.body['rows']).toEqual([expect.objectContaining({ key: 'total', values: expect.objectContaining({ started: 1, closedInLoop: 1, rate: 1 }) })]);
  });

  it('streams live changes of a referral to its parties only (server-sent events over PGlite NOTIFY)', async () => {
    const hospitalId = '0192f3b2-7c1a-7000-8000-00000000e5e5';
    const home = await register(site, 'care-beds', careHome('直播测试院', 1));
    await waitUntilMatchable(site, home);
    const planner = await openEvents(system.url, '/api/referrals/events', plannerAt(site, hospitalId));
    const stranger = await openEvents(system.url, '/api/referrals/events', staffOf(site, '0192f3b2-7c1a-7000-8000-00000000f0f0'));
    const offered = await openEvents(system.url, '/api/referrals/events', staffOf(site, home));
    try {
      expect(planner.status).toBe(200);
      expect(planner.contentType).toContain('text/event-stream');
      await waitFor(() => [planner, stranger, offered].every((s) => s.events.some((e) => e.event === 'ready')), { what: 'the streams to open' });
      const created = await call(system.url, 'POST', '/api/referrals', dischargeRequest(hospitalId), plannerAt(site, hospitalId));
      const id = created.body['id'] as string;
      const seen = (s: typeof planner, state: string) => s.events.some((e) => e.event === 'referral' && e.data['id'] === id && e.data['state'] === state);
      await waitFor(() => seen(planner, 'offering') && seen(offered, 'offering'), { what: 'the offer announced to the hospital and the care home' });
      await answerOffers(site, id, [home]);
      await waitFor(() => seen(planner, 'choosing') && seen(offered, 'choosing'), { what: 'the answers announced to the hospital and the care home' });
      expect(stranger.events.filter((e) => e.event === 'referral' && e.data['id'] === id)).toEqual([]);
      expect(Object.keys(planner.events.find((e) => e.event === 'referral')!.data).sort()).toEqual(['id', 'state', 'version']);
    } finally {
      for (const s of [planner, stranger, offered]) s.close();
    }
    // A closed page leaves no stream behind.
    await waitFor(async () => /^fbl_live_streams_open(\{[^}]*\})? 0$/m.test(await (await fetch(`${system.url}/metrics`)).text()), { what: 'every stream closed on the server' });
    expect((await openEvents(system.url, '/api/referrals/events')).status).toBe(401);
  });

  it('sends security headers on pages and API answers, and limits sign-in attempts per address', async () => {
    for (const path of ['/', '/api/care-beds/institutions', '/docs/json']) {
      const r = await fetch(`${system.url}${path}`);
      expect(r.headers.get('content-security-policy'), path).toContain("default-src 'self'");
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(r.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
    }
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await call(system.url, 'POST', '/api/auth/sign-in', { username: 'nobody', password: `guess-${i}-x` })).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    const limited = await call(system.url, 'POST', '/api/auth/sign-in', { username: 'nobody', password: 'guess-x' });
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(limited.body).toMatchObject({ status: 429, title: 'Too many requests' });
  });

  it('answers malformed JSON, wrong types and missing fields with problem+json naming the field', async () => {
    const origin = { institutionId: '0192f3b2-7c1a-7000-8000-000000000002', divisionCode: '371702' };
    const planner = plannerAt(site, origin.institutionId);
    expectProblem(await call(system.url, 'POST', '/api/referrals', '{"elderRef": ', planner), 400, '');
    expectProblem(await call(system.url, 'POST', '/api/referrals', { elderRef: 12, origin, requestedBedTypes: ['care'] }, planner), 400, 'elderRef');
    expectProblem(await call(system.url, 'POST', '/api/referrals', { elderRef: 'x', origin }, planner), 400, 'requestedBedTypes');
    expectProblem(await call(system.url, 'POST', '/api/referrals', { elderRef: 'x', origin: { ...origin, institutionId: 'not-a-uuid' }, requestedBedTypes: ['care'] }, planner), 400, 'origin.institutionId');
    expectProblem(await call(system.url, 'POST', '/api/referrals', { elderRef: 'x', origin, requestedBedTypes: ['castle'] }, planner), 400, 'requestedBedTypes.0');
    expectProblem(await call(system.url, 'POST', '/api/care-beds/institutions', { ...careHome('院', 1), colour: 'red' }, adminOf(site)), 400, 'colour');
    expectProblem(await call(system.url, 'GET', '/api/referrals/not-a-uuid', undefined, adminOf(site)), 400, 'id');
    // Divisions decide who handles a referral: a code outside the deployment's province (Shandong), or not the institution's own, is refused.
    const fromBeijing = await call(system.url, 'POST', '/api/referrals', { ...dischargeRequest(origin.institutionId), origin: { ...origin, divisionCode: '110101' } }, planner);
    expectProblem(fromBeijing, 400, 'origin.divisionCode');
    expect(String(fromBeijing.body['detail'])).toContain("outside the deployment's province 370000 (山东省)");
    // Institutions and their service areas lie in the province too: one in Beijing is refused, one in 济南市历下区 registers and refers.
    const beijingHome = await call(system.url, 'POST', '/api/care-beds/institutions', careHome('区划测试北京养老院', 1, '110101'), adminOf(site));
    expectProblem(beijingHome, 400, 'divisionCode');
    expect(String(beijingHome.body['detail'])).toContain("110101 (东城区) is outside the deployment's province");
    const jinanHospital = await register(site, 'medical-beds', hospital('区划测试历下医院', 1, '370102'));
    await waitUntilMatchable(site, jinanHospital);
    const fromJinan = await call(system.url, 'POST', '/api/referrals', { ...dischargeRequest(jinanHospital), origin: { institutionId: jinanHospital, divisionCode: '370102' }, facts: { abilityLevel: 3, abilityAssessedOn: new Date().toISOString().slice(0, 10), homeDivisionCode: '370102' } }, plannerAt(site, jinanHospital));
    expect(fromJinan.status, JSON.stringify(fromJinan.body)).toBe(202);
    expectProblem(await call(system.url, 'POST', '/api/referrals', { ...dischargeRequest(origin.institutionId), facts: { homeDivisionCode: '379999' } }, planner), 400, 'facts.homeDivisionCode');
    const registeredHospital = await register(site, 'medical-beds', hospital('区划测试医院', 1, '371721'));
    await waitUntilMatchable(site, registeredHospital);
    const misplaced = await call(system.url, 'POST', '/api/referrals', dischargeRequest(registeredHospital), plannerAt(site, registeredHospital));
    expectProblem(misplaced, 400, 'origin.divisionCode');
    expect(String(misplaced.body['detail'])).toContain('371721');
    expectProblem(await call(system.url, 'GET', '/api/referrals/0192f3b2-7c1a-7000-8000-000000000009', undefined, adminOf(site)), 404);
    // Without a token the same requests are refused before their input is read.
    expectProblem(await call(system.url, 'POST', '/api/referrals', { elderRef: 12, origin, requestedBedTypes: ['care'] }), 401);
    expectProblem(await call(system.url, 'GET', '/no/such/route'), 404);
  });

  it('creates nothing when the input is refused', async () => {
    const count = sql`select count(*)::int as n from referral.referrals`;
    const before = await system.deps.database.rows<{ n: number }>(system.deps.database.db, count);
    const refused = await call(system.url, 'POST', '/api/referrals', { elderRef: 'x', origin: { institutionId: 'nope', divisionCode: '371702' }, requestedBedTypes: ['care'] }, plannerAt(site, '0192f3b2-7c1a-7000-8000-000000000002'));
    expectProblem(refused, 400, 'origin.institutionId');
    const after = await system.deps.database.rows<{ n: number }>(system.deps.database.db, count);
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it('carries the trace context of a request into every message it causes', async () => {
    const traceId = 'abcdef0123456789abcdef0123456789';
    // What the workflow and the care beds publish, as the bus carries it (published rows leave the outbox).
    const published = await watchPublished(system.deps.bus, [eventsTopic(REFERRAL), bedEventsTopic('care')]);
    const home = await register(site, 'care-beds', careHome('追踪测试院', 1));
    await waitUntilMatchable(site, home);
    const response = await fetch(`${system.url}/api/referrals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-0123456789abcdef-01`, authorization: `Bearer ${plannerAt(site, '0192f3b2-7c1a-7000-8000-000000000003')}` },
      body: JSON.stringify(dischargeRequest('0192f3b2-7c1a-7000-8000-000000000003')),
    });
    const { id } = (await response.json()) as { id: string };
    const envelopes = await waitFor(() => {
      const rows = published.envelopes.filter((e) => e.correlationId === id);
      return rows.some((r) => r.type === 'ReferralOffered') ? rows : undefined;
    }, { what: 'the offers caused by the traced request' });
    expect(envelopes.map((r) => r.type)).toEqual(expect.arrayContaining(['ReferralRequested', 'ReferralStateChanged', 'ReferralOffered']));
    for (const envelope of envelopes) expect(envelope.traceparent, envelope.type).toContain(traceId);
    await published.stop();
  });

  it('serves health, readiness, metrics and the OpenAPI document', async () => {
    expect((await call(system.url, 'GET', '/health')).body).toEqual({ status: 'ok' });
    expect((await call(system.url, 'GET', '/ready')).status).toBe(200);
    const metrics = await (await fetch(`${system.url}/metrics`)).text();
    expect(metrics).toContain('fbl_outbox_published_total');
    const openapi = await call(system.url, 'GET', '/docs/json');
    expect(Object.keys(openapi.body['paths'] as object)).toEqual(expect.arrayContaining(['/api/referrals', '/api/care-beds/institutions']));
  });
  it('refuses text with a NUL or a lone surrogate on any route with 400 naming the field, storing nothing, and answers the router\'s own refusals as problems', async () => {
    const admin = adminOf(site);
    const before = ((await call(system.url, 'GET', '/api/care-beds/institutions', undefined, admin)).body as unknown as unknown[]).length;
    expectProblem(await call(system.url, 'POST', '/api/care-beds/institutions', careHome('零字节\u0000养老院', 1), admin), 400, 'name');
    expectProblem(await call(system.url, 'POST', '/api/care-beds/institutions', careHome('半个代理\ud800养老院', 1), admin), 400, 'name');
    expect(((await call(system.url, 'GET', '/api/care-beds/institutions', undefined, admin)).body as unknown as unknown[]).length).toBe(before);
    const hospitalId = '0192f3b2-7c1a-7000-8000-00000000e6e6';
    expectProblem(await call(system.url, 'POST', '/api/referrals', dischargeRequest(hospitalId, { elderRef: 'elder\u0000x' }), plannerAt(site, hospitalId)), 400, 'elderRef');
    expectProblem(await call(system.url, 'GET', '/api/referrals?reference=%00', undefined, plannerAt(site, hospitalId)), 400, 'reference');
    expectProblem(await call(system.url, 'POST', '/api/auth/users', { username: 'surrogate-test', displayName: '名\udc00字', password: 'Surrogate-test-2026', role: 'analyst', divisionCode: '371700' }, admin), 400, 'displayName');
    expect(((await call(system.url, 'GET', '/api/auth/users?q=surrogate-test', undefined, admin)).body as unknown as unknown[]).length).toBe(0);
    // The router's own refusals answer problem+json too: a path part over 100 characters, a path that is not a URL.
    expectProblem(await call(system.url, 'GET', `/api/referrals/${'a'.repeat(150)}`, undefined, admin), 414, 'path');
    expectProblem(await call(system.url, 'GET', '/api/referrals/%E0%A4%A', undefined, admin), 400, 'path');
  });
});
