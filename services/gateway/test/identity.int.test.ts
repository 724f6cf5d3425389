import { verifyToken } from '@fbl/auth';
import { allMessages, MessageRegistry, newId } from '@fbl/contracts';
import { openDatabase, type Database } from '@fbl/db';
import { InProcessBus } from '@fbl/messaging';
import { createLogger, createMetrics } from '@fbl/observability';
import { chainPass, verifyChain } from '@fbl/privacy';
import { buildHttpServer, startService, type RunningService } from '@fbl/service-kit';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@fbl/testing';
import { testSuite, testTokenKey } from '@fbl/testing/suite';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword, identityService, verifyPassword, type IdentityService, type Session } from '../src/index.js';

// Under CRYPTO_SUITE=sm (the `sm` test project) an SM2 key pair: tokens signed SM2-SM3.
const SECRET = testTokenKey('identity-test-secret');
const hospital = newId();

describeWithPostgres('gateway sign-in: scrypt passwords, lockout, short tokens with rotating refresh tokens', () => {
  let testDb: TestDatabase;
  let database: Database;
  let service: IdentityService;
  let running: RunningService;
  let http: FastifyInstance;
  let now = new Date('2026-11-22T08:00:00Z');
  const post = (url: string, payload: object, token?: string) => http.inject({ method: 'POST', url: `/api/auth${url}`, payload, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const get = (url: string, token?: string) => http.inject({ method: 'GET', url: `/api/auth${url}`, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const signIn = async (username: string, password: string) => post('/sign-in', { username, password });

  beforeAll(async () => {
    testDb = await createTestDatabase('gateway_identity');
    database = await openDatabase({ url: testDb.url });
    const logger = createLogger({ name: 'identity-test', level: 'warn', destination: new Writable({ write: (_c: Buffer, _e, done) => done() }) });
    service = identityService({ database, bus: new InProcessBus(logger), logger, metrics: createMetrics(), registry: new MessageRegistry(allMessages), clock: () => now }, { authSecret: SECRET, suite: testSuite, policy: { secondFactorRoles: [] } });
    running = await startService(service);
    http = await buildHttpServer({ title: 'gateway', logger, metrics: createMetrics(), readiness: [], plugins: [service.routes!] });
    await service.accounts.create({ username: 'admin', displayName: '管理员', password: 'admin-pass-2026', role: 'admin' });
    await service.accounts.create({ username: 'Planner.Wang', displayName: '王医生', password: 'planner-pass-2026', role: 'planner', institutionId: hospital });
  });
  afterAll(async () => {
    await http?.close();
    await running?.stop();
    await database?.close();
    await testDb?.drop();
  });

  it('hashes with scrypt and a salt of its own per hash', async () => {
    const a = await hashPassword('same-password-1');
    const b = await hashPassword('same-password-1');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same-password-1', a)).toBe(true);
    expect(await verifyPassword('same-password-2', a)).toBe(false);
  });

  it('signs in with the right password (username case-insensitive): a 15-minute token with role and scope, and a refresh token', async () => {
    const r = await signIn('planner.wang', 'planner-pass-2026');
    expect(r.statusCode, r.body).toBe(200);
    const session = r.json() as Session;
    expect(session).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { username: 'planner.wang', role: 'planner', institutionId: hospital } });
    expect(session.refreshToken.length).toBeGreaterThanOrEqual(40);
    expect(session.user).not.toHaveProperty('passwordHash');
    // Signed with the run's suite: HS256, or SM2-SM3 under CRYPTO_SUITE=sm.
    expect(JSON.parse(Buffer.from(session.accessToken.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: testSuite === 'sm' ? 'SM2-SM3' : 'HS256' });
    const checked = verifyToken(session.accessToken, SECRET, now);
    expect(checked).toEqual({ ok: true, principal: { userId: session.user.id, role: 'planner', institutionId: hospital, name: session.user.displayName } });
    expect(verifyToken(session.accessToken, SECRET, new Date(now.getTime() + 901_000))).toEqual({ ok: false, problem: 'expired' });
    expect((await get('/me', session.accessToken)).json()).toEqual({ userId: session.user.id, role: 'planner', institutionId: hospital, name: session.user.displayName });
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await signIn('admin', 'not-the-password-1');
    const unknown = await signIn('nobody', 'not-the-password-1');
    for (const r of [wrong, unknown]) {
      expect(r.statusCode).toBe(401);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json()).toMatchObject({ title: 'Wrong username or password' });
    }
    expect(wrong.json()).toEqual({ ...unknown.json(), instance: wrong.json().instance });
  });

  it('locks an account after five failures in a row, even against the right password, until the lockout ends', async () => {
    await service.accounts.create({ username: 'provider1', displayName: '李护士长', password: 'provider-pass-2026', role: 'provider', institutionId: newId() });
    for (let i = 0; i < 4; i++) expect((await signIn('provider1', `wrong-guess-${i}x`)).statusCode).toBe(401);
    // A success resets the count.
    expect((await signIn('provider1', 'provider-pass-2026')).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await signIn('provider1', `wrong-guess-${i}x`)).statusCode).toBe(401);
    const locked = await signIn('provider1', 'provider-pass-2026');
    expect(locked.statusCode).toBe(423);
    expect(locked.json()).toMatchObject({ title: 'Account locked' });
    now = new Date(now.getTime() + 15 * 60_000 + 1000);
    expect((await signIn('provider1', 'provider-pass-2026')).statusCode).toBe(200);
    const log = (await get('/sign-ins?username=provider1', (await signIn('admin', 'admin-pass-2026')).json<Session>().accessToken)).json() as { outcome: string }[];
    expect(log.map((l) => l.outcome)).toEqual(['signed-in', 'locked', 'wrong-password-locked', 'wrong-password', 'wrong-password', 'wrong-password', 'wrong-password', 'signed-in', 'wrong-password', 'wrong-password', 'wrong-password', 'wrong-password']);
  });

  it('rotates refresh tokens, and revokes the whole session when a spent one comes back', async () => {
    const first = (await signIn('admin', 'admin-pass-2026')).json() as Session;
    const second = await post('/refresh', { refreshToken: first.refreshToken });
    expect(second.statusCode).toBe(200);
    const next = second.json() as Session;
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(verifyToken(next.accessToken, SECRET, now)).toMatchObject({ ok: true, principal: { role: 'admin' } });
    // The spent token again: refused, and the live one of its family with it.
    expect((await post('/refresh', { refreshToken: first.refreshToken })).statusCode).toBe(401);
    expect((await post('/refresh', { refreshToken: next.refreshToken })).statusCode).toBe(401);
  });

  it('ends a session at sign-out, and refuses expired refresh tokens', async () => {
    const session = (await signIn('admin', 'admin-pass-2026')).json() as Session;
    expect((await post('/sign-out', { refreshToken: session.refreshToken })).statusCode).toBe(204);
    expect((await post('/refresh', { refreshToken: session.refreshToken })).statusCode).toBe(401);
    const later = (await signIn('admin', 'admin-pass-2026')).json() as Session;
    now = new Date(now.getTime() + 7 * 24 * 3600_000 + 1000);
    expect((await post('/refresh', { refreshToken: later.refreshToken })).statusCode).toBe(401);
  });

  it('keeps no session alive that has ended: a token in use is refused at its expiry, and a disabled account cannot refresh', async () => {
    const started = now;
    try {
      const nurse = await service.accounts.create({ username: 'nurse.cache', displayName: '陈护士', password: 'nurse-cache-pass-2026', role: 'provider', institutionId: newId() });
      const session = (await signIn('nurse.cache', 'nurse-cache-pass-2026')).json() as Session;
      // In use: verified once, then known to the process.
      for (let i = 0; i < 3; i++) expect((await get('/me', session.accessToken)).statusCode).toBe(200);
      now = new Date(started.getTime() + 899_000);
      expect((await get('/me', session.accessToken)).statusCode).toBe(200);
      now = new Date(started.getTime() + 900_000);
      const expired = await get('/me', session.accessToken);
      expect(expired.statusCode).toBe(401);
      expect(expired.json()).toMatchObject({ detail: 'the token is expired' });

      // Disabled while a fresh token of the session is in use: the session cannot be refreshed,
      // and the token it holds ends at its own expiry as any other.
      const renewed = await post('/refresh', { refreshToken: session.refreshToken });
      expect(renewed.statusCode).toBe(200);
      const current = renewed.json() as Session;
      expect((await get('/me', current.accessToken)).statusCode).toBe(200);
      const admin = (await signIn('admin', 'admin-pass-2026')).json() as Session;
      expect((await post(`/users/${nurse.id}/disable`, {}, admin.accessToken)).statusCode).toBe(200);
      expect((await post('/refresh', { refreshToken: current.refreshToken })).statusCode).toBe(401);
      expect((await signIn('nurse.cache', 'nurse-cache-pass-2026')).statusCode).toBe(403);
      now = new Date(now.getTime() + 900_000);
      expect((await get('/me', current.accessToken)).statusCode).toBe(401);
    } finally {
      now = started;
    }
  });

  it('lets only admins list and add accounts; a weak password or a missing scope names the field', async () => {
    const admin = ((await signIn('admin', 'admin-pass-2026')).json() as Session).accessToken;
    const planner = ((await signIn('planner.wang', 'planner-pass-2026')).json() as Session).accessToken;
    expect((await get('/users', planner)).statusCode).toBe(403);
    expect((await get('/users')).statusCode).toBe(401);
    const listed = (await get('/users', admin)).json() as { username: string }[];
    expect(listed.map((u) => u.username)).toEqual(expect.arrayContaining(['admin', 'planner.wang']));
    expect(JSON.stringify(listed)).not.toMatch(/scrypt|password/i);

    const weak = await post('/users', { username: 'analyst1', displayName: '赵科长', password: 'short1', role: 'analyst', divisionCode: '371700' }, admin);
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ errors: [{ field: 'password' }] });
    const unscoped = await post('/users', { username: 'analyst1', displayName: '赵科长', password: 'analyst-pass-2026', role: 'analyst' }, admin);
    expect(unscoped.json()).toMatchObject({ status: 400, errors: [{ field: 'divisionCode' }] });
    const created = await post('/users', { username: 'analyst1', displayName: '赵科长', password: 'analyst-pass-2026', role: 'analyst', divisionCode: '371700' }, admin);
    expect(created.statusCode).toBe(201);
    expect((await post('/users', { username: 'analyst1', displayName: '另一个', password: 'analyst-pass-2026', role: 'analyst', divisionCode: '371700' }, admin)).statusCode).toBe(409);
    const session = (await signIn('analyst1', 'analyst-pass-2026')).json() as Session;
    expect(verifyToken(session.accessToken, SECRET, now)).toMatchObject({ ok: true, principal: { role: 'analyst', divisionCode: '371700' } });
    expect((await post('/users', { username: 'another-admin', displayName: 'x', password: 'analyst-pass-2026', role: 'admin' }, planner)).statusCode).toBe(403);
  });

  it("lists a provider's own colleagues (id and display name) to name a plan's worker, and nobody else's", async () => {
    const home = newId();
    const other = newId();
    await service.accounts.create({ username: 'station-head', displayName: '周站长', password: 'station-pass-2026', role: 'provider', institutionId: home });
    await service.accounts.create({ username: 'carer-chen', displayName: '陈护理员', password: 'carer-pass-2026', role: 'provider', institutionId: home });
    await service.accounts.create({ username: 'elsewhere', displayName: '别家护理员', password: 'elsewhere-pass-2026', role: 'provider', institutionId: other });
    const head = ((await signIn('station-head', 'station-pass-2026')).json() as Session).accessToken;
    const listed = (await get('/colleagues', head)).json() as { id: string; displayName: string }[];
    expect(listed.map((c) => c.displayName).sort()).toEqual(['周站长', '陈护理员'].sort());
    expect(Object.keys(listed[0]!).sort()).toEqual(['displayName', 'id']);
    const planner = ((await signIn('planner.wang', 'planner-pass-2026')).json() as Session).accessToken;
    expect((await get('/colleagues', planner)).statusCode).toBe(403);
    expect((await get('/colleagues')).statusCode).toBe(401);
  });

  it('shows no demo accounts outside the embedded demo', async () => {
    expect((await get('/demo-users')).json()).toEqual({ demo: false, users: [] });
  });

  it('keeps the sign-in log append-only and under a hash chain: every attempt linked, a changed attempt found', async () => {
    const LOG = { schema: 'gateway', log: 'sign_ins' } as const;
    const count = async () => ((await database.rows<{ n: number }>(database.db, sql`select count(*)::int as n from gateway.sign_ins`)) as [{ n: number }])[0].n;
    expect(await count()).toBeGreaterThan(5);
    // Rows are linked once every older transaction on the server has finished (and a sign-in's
    // row may still be on its way from an earlier test): poll passes until every row is linked.
    await expect.poll(async () => {
      await chainPass(database, LOG, testSuite);
      const verified = await verifyChain(database, LOG);
      return { ok: verified.ok, pending: verified.pending, unlinked: (await count()) - verified.checked };
    }, { timeout: 120_000, interval: 200 }).toEqual({ ok: true, pending: 0, unlinked: 0 });
    await expect(database.db.execute(sql`update gateway.sign_ins set outcome = 'signed-in'`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from gateway.sign_ins`)).rejects.toThrow();
    await database.db.execute(sql`alter table gateway.sign_ins disable trigger user`);
    const [{ seq }] = (await database.rows<{ seq: number }>(database.db, sql`update gateway.sign_ins set outcome = 'signed-in' where outcome <> 'signed-in' and seq = (select min(seq) from gateway.sign_ins where outcome <> 'signed-in') returning seq::int as seq`)) as [{ seq: number }];
    await database.db.execute(sql`alter table gateway.sign_ins enable trigger user`);
    expect((await verifyChain(database, LOG)).problems).toEqual([{ kind: 'changed', position: expect.any(Number), seq }]);
  });
});
