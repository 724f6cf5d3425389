import { verifyToken } from '@fbl/auth';
import { allMessages, MessageRegistry, newId } from '@fbl/contracts';
import { openDatabase, type Database } from '@fbl/db';
import { InProcessBus } from '@fbl/messaging';
import { createLogger, createMetrics } from '@fbl/observability';
import { auditAppendOnlySql } from '@fbl/privacy';
import { buildHttpServer, startService, type RunningService } from '@fbl/service-kit';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@fbl/testing';
import { testSuite, testTokenKey } from '@fbl/testing/suite';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { identityService, type IdentityService, type PublicUser, type Session } from '../src/index.js';

// Under CRYPTO_SUITE=sm (the `sm` test project) an SM2 key pair: tokens signed SM2-SM3.
const SECRET = testTokenKey('accounts-test-secret');
const hospital = newId();
const careHome = newId();

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  objectType: string;
  objectId: string;
  outcome: string;
  detail: Record<string, unknown> | null;
}

describeWithPostgres('gateway account management: search and paging, disable and enable, password reset, role and scope, the admin audit', () => {
  let testDb: TestDatabase;
  let database: Database;
  let service: IdentityService;
  let running: RunningService;
  let http: FastifyInstance;
  // 2026-11-22 16:00 in China.
  let now = new Date('2026-11-22T08:00:00Z');
  let admin: Session;
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, token?: string, payload?: object) =>
    http.inject({ method, url: `/api/auth${url}`, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(payload ? { payload } : {}) });
  const signIn = (username: string, password: string) => call('POST', '/sign-in', undefined, { username, password });
  const session = async (username: string, password: string) => {
    const r = await signIn(username, password);
    expect(r.statusCode, r.body).toBe(200);
    return r.json<Session>();
  };
  const asAdmin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => call(method, url, admin.accessToken, payload);
  const create = async (body: object) => {
    const r = await asAdmin('POST', '/users', body);
    expect(r.statusCode, r.body).toBe(201);
    return r.json<PublicUser>();
  };
  const audit = async (query: string) => {
    const r = await asAdmin('GET', `/audit?${query}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json<AuditRow[]>();
  };
  /** The fields a 400 problem names. */
  const fieldsOf = (r: { statusCode: number; json: <T>() => T }) => (r.statusCode === 400 ? r.json<{ errors?: { field: string }[] }>().errors?.map((e) => e.field) ?? [] : [`status ${r.statusCode}`]);
  const auditCount = async () => Number((await database.rows<{ n: number }>(database.db, sql`select count(*)::int as n from gateway.audit_log`))[0]!.n);

  beforeAll(async () => {
    testDb = await createTestDatabase('gateway_accounts');
    database = await openDatabase({ url: testDb.url });
    const logger = createLogger({ name: 'accounts-test', level: 'warn', destination: new Writable({ write: (_c: Buffer, _e, done) => done() }) });
    service = identityService({ database, bus: new InProcessBus(logger), logger, metrics: createMetrics(), registry: new MessageRegistry(allMessages), clock: () => now }, { authSecret: SECRET, suite: testSuite, policy: { secondFactorRoles: [] } });
    running = await startService(service);
    http = await buildHttpServer({ title: 'gateway', logger, metrics: createMetrics(), readiness: [], plugins: [service.routes!] });
    await service.accounts.create({ username: 'root', displayName: '系统管理员', password: 'root-pass-2026', role: 'admin' });
    admin = await session('root', 'root-pass-2026');
  });
  afterAll(async () => {
    await http?.close();
    await running?.stop();
    await database?.close();
    await testDb?.drop();
  });

  it('lists accounts a page at a time, found by a part of the user or display name, by role and by enabled or disabled', async () => {
    for (let i = 1; i <= 7; i++) await create({ username: `nurse${i}`, displayName: `护士${i}号（福寿康养中心）`, password: `nurse-pass-2026-${i}`, role: 'provider', institutionId: careHome });
    await create({ username: 'planner.wang', displayName: '王医生', password: 'planner-pass-2026', role: 'planner', institutionId: hospital });
    await create({ username: 'analyst_zhao', displayName: '赵科长', password: 'analyst-pass-2026', role: 'analyst', divisionCode: '371700' });

    const first = await asAdmin('GET', '/users?q=福寿&limit=3');
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-total-count']).toBe('7');
    expect(first.json<PublicUser[]>().map((u) => u.username)).toEqual(['nurse1', 'nurse2', 'nurse3']);
    const last = await asAdmin('GET', '/users?q=福寿&limit=3&offset=6');
    expect(last.json<PublicUser[]>().map((u) => u.username)).toEqual(['nurse7']);
    // By user name, case aside; a wildcard in the text is taken as it is.
    expect((await asAdmin('GET', '/users?q=PLANNER.W')).json<PublicUser[]>().map((u) => u.displayName)).toEqual(['王医生']);
    expect((await asAdmin('GET', '/users?q=_zhao')).json<PublicUser[]>().map((u) => u.username)).toEqual(['analyst_zhao']);
    expect((await asAdmin('GET', '/users?q=e_')).headers['x-total-count']).toBe('0');
    expect((await asAdmin('GET', '/users?q=%25')).headers['x-total-count']).toBe('0');
    const byRole = await asAdmin('GET', '/users?role=analyst');
    expect(byRole.json<PublicUser[]>()).toEqual([expect.objectContaining({ username: 'analyst_zhao', role: 'analyst', divisionCode: '371700', institutionId: null, enabled: true })]);
    expect((await asAdmin('GET', `/users?institutionId=${careHome}&limit=1`)).headers['x-total-count']).toBe('7');
    const zhao = byRole.json<PublicUser[]>()[0]!;
    const named = await asAdmin('GET', `/users?ids=${zhao.id},${admin.user.id}`);
    expect(named.json<PublicUser[]>().map((u) => u.username)).toEqual(['analyst_zhao', 'root']);
    expect(named.body).not.toMatch(/scrypt|password/i);
    expect((await asAdmin('GET', `/users/${zhao.id}`)).json()).toMatchObject({ id: zhao.id, username: 'analyst_zhao', enabled: true });
    expect((await asAdmin('GET', `/users/${newId()}`)).statusCode).toBe(404);

    // Bad input names the field.
    for (const [query, field] of [['limit=0', 'limit'], ['status=gone', 'status'], ['role=root', 'role'], ['ids=nope', 'ids'], ['colour=red', 'colour']] as const) {
      const r = await asAdmin('GET', `/users?${query}`);
      expect(r.statusCode, query).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(r.json<{ errors: { field: string }[] }>().errors), query).toContain(field);
    }
    // Only admins.
    const planner = await session('planner.wang', 'planner-pass-2026');
    expect((await call('GET', '/users', planner.accessToken)).statusCode).toBe(403);
    expect((await call('GET', '/users')).statusCode).toBe(401);
  });

  it('disables an account: its sign-in is refused, its sessions end at their next refresh; enabled again it signs in', async () => {
    const nurse = await create({ username: 'nurse.li', displayName: '李护士', password: 'nurse-li-pass-2026', role: 'provider', institutionId: careHome });
    const open = await session('nurse.li', 'nurse-li-pass-2026');
    const other = await session('nurse.li', 'nurse-li-pass-2026');

    const disabled = await asAdmin('POST', `/users/${nurse.id}/disable`, {});
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json()).toMatchObject({ id: nurse.id, enabled: false });
    // Every session ends at once: its refresh token is refused.
    for (const s of [open, other]) expect((await call('POST', '/refresh', undefined, { refreshToken: s.refreshToken })).statusCode).toBe(401);
    // The right password learns that the account is disabled (a Chinese-mapped problem type); a wrong one learns nothing.
    const refused = await signIn('nurse.li', 'nurse-li-pass-2026');
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ type: '/problems/account-disabled', title: 'Account disabled' });
    const wrong = await signIn('nurse.li', 'not-her-password-1');
    const unknown = await signIn('nobody.here', 'not-her-password-1');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ ...unknown.json(), instance: wrong.json<{ instance: string }>().instance });
    expect((await asAdmin('GET', '/users?status=disabled')).json<PublicUser[]>().map((u) => u.username)).toEqual(['nurse.li']);
    expect((await asAdmin('GET', '/users?status=enabled&q=nurse.li')).headers['x-total-count']).toBe('0');
    // Disabling again changes nothing; an unknown account is 404.
    expect((await asAdmin('POST', `/users/${nurse.id}/disable`, {})).json()).toMatchObject({ enabled: false });
    expect((await asAdmin('POST', `/users/${newId()}/disable`, {})).statusCode).toBe(404);

    const log = (await call('GET', '/sign-ins?username=nurse.li', admin.accessToken)).json<{ outcome: string }[]>();
    expect(log.slice(0, 2).map((l) => l.outcome)).toEqual(['disabled-wrong-password', 'disabled']);

    const enabled = await asAdmin('POST', `/users/${nurse.id}/enable`, {});
    expect(enabled.json()).toMatchObject({ enabled: true });
    expect((await signIn('nurse.li', 'nurse-li-pass-2026')).statusCode).toBe(200);
    // The old sessions stay ended.
    expect((await call('POST', '/refresh', undefined, { refreshToken: other.refreshToken })).statusCode).toBe(401);
  });

  it('will not let an admin disable their own account or change their own role', async () => {
    const before = await auditCount();
    const self = await asAdmin('POST', `/users/${admin.user.id}/disable`, {});
    expect(self.statusCode).toBe(409);
    expect(self.json()).toMatchObject({ type: '/problems/own-account' });
    const demote = await asAdmin('PATCH', `/users/${admin.user.id}`, { role: 'analyst', divisionCode: '371700' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json()).toMatchObject({ type: '/problems/own-account' });
    // Their own display name is theirs to change.
    expect((await asAdmin('PATCH', `/users/${admin.user.id}`, { displayName: '系统管理员（信息科）' })).json()).toMatchObject({ displayName: '系统管理员（信息科）', role: 'admin' });
    expect((await signIn('root', 'root-pass-2026')).statusCode).toBe(200);
    // The refusals are in the audit, as denied.
    const rows = (await audit(`objectId=${admin.user.id}`)).slice(0, 3);
    expect(rows.map((r) => `${r.action}:${r.outcome}`)).toEqual(['change-account:allowed', 'change-account:denied', 'disable-account:denied']);
    expect(await auditCount()).toBe(before + 3);
  });

  it('resets a password to a temporary one by the password rules: the old one and every session end, a lockout too', async () => {
    const nurse = await create({ username: 'nurse.zhou', displayName: '周护士', password: 'nurse-zhou-pass-2026', role: 'provider', institutionId: careHome });
    const open = await session('nurse.zhou', 'nurse-zhou-pass-2026');
    for (let i = 0; i < 5; i++) await signIn('nurse.zhou', `forgotten-${i}-x`);
    expect((await signIn('nurse.zhou', 'nurse-zhou-pass-2026')).statusCode).toBe(423);

    const weak = await asAdmin('POST', `/users/${nurse.id}/password`, { password: 'short1' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ errors: [{ field: 'password' }] });
    expect((await asAdmin('POST', `/users/${nurse.id}/password`, { password: 'onlyletterslong' })).json()).toMatchObject({ status: 400, errors: [{ field: 'password' }] });
    expect(fieldsOf(await asAdmin('POST', `/users/${nurse.id}/password`, {}))).toContain('password');
    expect((await asAdmin('POST', `/users/${newId()}/password`, { password: 'Temp-pass-2026' })).statusCode).toBe(404);

    const reset = await asAdmin('POST', `/users/${nurse.id}/password`, { password: 'Temp-pass-2026' });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.body).not.toContain('Temp-pass-2026');
    expect((await call('POST', '/refresh', undefined, { refreshToken: open.refreshToken })).statusCode).toBe(401);
    expect((await signIn('nurse.zhou', 'nurse-zhou-pass-2026')).statusCode).toBe(401);
    expect((await signIn('nurse.zhou', 'Temp-pass-2026')).statusCode).toBe(200);
    // The audit says that it was reset, never what to.
    const [row] = await audit(`objectId=${nurse.id}`);
    expect(row).toMatchObject({ action: 'reset-password', outcome: 'allowed', actor: admin.user.id, role: 'admin', objectType: 'account' });
    expect(JSON.stringify(await audit('limit=1000'))).not.toMatch(/Temp-pass|nurse-zhou-pass|scrypt/);
  });

  it("changes an account's display name, role and scope; the scope follows the role, and the next refresh carries it", async () => {
    const planner = await create({ username: 'planner.sun', displayName: '孙医生', password: 'planner-sun-pass-2026', role: 'planner', institutionId: hospital });
    const open = await session('planner.sun', 'planner-sun-pass-2026');

    // A division for a role that works for an institution, or no division for one that needs it: the field is named.
    expect((await asAdmin('PATCH', `/users/${planner.id}`, { divisionCode: '371702' })).json()).toMatchObject({ status: 400, errors: [{ field: 'divisionCode' }] });
    expect((await asAdmin('PATCH', `/users/${planner.id}`, { role: 'assessor' })).json()).toMatchObject({ status: 400, errors: [{ field: 'divisionCode' }] });
    expect((await asAdmin('PATCH', `/users/${planner.id}`, { role: 'assessor', institutionId: careHome, divisionCode: '371702' })).json()).toMatchObject({ status: 400, errors: [{ field: 'institutionId' }] });
    expect((await asAdmin('PATCH', `/users/${planner.id}`, {})).statusCode).toBe(400);
    expect(fieldsOf(await asAdmin('PATCH', `/users/${planner.id}`, { role: 'chief' }))).toContain('role');
    expect(fieldsOf(await asAdmin('PATCH', `/users/${planner.id}`, { institutionId: 'not-an-id' }))).toContain('institutionId');
    expect((await asAdmin('PATCH', `/users/${newId()}`, { displayName: '谁' })).statusCode).toBe(404);
    expect((await asAdmin('GET', `/users/${planner.id}`)).json()).toMatchObject({ role: 'planner', institutionId: hospital, displayName: '孙医生' });

    // Moved to the care home's staff: the institution changes, the role with it.
    const moved = await asAdmin('PATCH', `/users/${planner.id}`, { role: 'provider', institutionId: careHome, displayName: '孙护士长' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ role: 'provider', institutionId: careHome, divisionCode: null, displayName: '孙护士长' });
    const refreshed = await call('POST', '/refresh', undefined, { refreshToken: open.refreshToken });
    expect(verifyToken(refreshed.json<Session>().accessToken, SECRET, now)).toMatchObject({ ok: true, principal: { role: 'provider', institutionId: careHome, name: '孙护士长' } });

    // Then an assessor of a county: the institution is cleared.
    const assessor = await asAdmin('PATCH', `/users/${planner.id}`, { role: 'assessor', divisionCode: '371702' });
    expect(assessor.json()).toMatchObject({ role: 'assessor', institutionId: null, divisionCode: '371702' });
    // Asking for what it already is changes nothing, and is not recorded.
    const before = await auditCount();
    expect((await asAdmin('PATCH', `/users/${planner.id}`, { divisionCode: '371702' })).statusCode).toBe(200);
    expect(await auditCount()).toBe(before);

    const rows = await audit(`objectId=${planner.id}`);
    expect(rows.map((r) => [r.action, r.detail])).toEqual([
      ['change-account', { changed: ['role', 'institutionId', 'divisionCode'], role: 'assessor', divisionCode: '371702' }],
      ['change-account', { changed: ['displayName', 'role', 'institutionId'], role: 'provider', institutionId: careHome }],
      ['create-account', { role: 'planner', institutionId: hospital }],
    ]);
  });

  it('keeps an append-only admin audit of every account change, searched by account, by admin and by days in China time', async () => {
    // Another admin, on the next day in China (00:30 on 23 November there).
    now = new Date('2026-11-22T16:30:00Z');
    admin = await session('root', 'root-pass-2026');
    const second = await create({ username: 'admin2', displayName: '第二管理员', password: 'admin-two-pass-2026', role: 'admin' });
    const other = await session('admin2', 'admin-two-pass-2026');
    const target = await call('POST', '/users', other.accessToken, { username: 'ward.wu', displayName: '吴护士', password: 'ward-wu-pass-2026', role: 'provider', institutionId: hospital });
    expect(target.statusCode).toBe(201);
    const wu = target.json<PublicUser>();
    expect((await call('POST', `/users/${wu.id}/disable`, other.accessToken, {})).statusCode).toBe(200);

    const bySecond = await audit(`actor=${second.id}`);
    expect(bySecond.map((r) => [r.action, r.objectId, r.role, r.outcome])).toEqual([
      ['disable-account', wu.id, 'admin', 'allowed'],
      ['create-account', wu.id, 'admin', 'allowed'],
    ]);
    expect(bySecond[0]!.detail).toEqual({ sessionsEnded: 0 });
    // By days, as people in China count them: the 23rd holds these, the 22nd everything before.
    expect((await audit(`actor=${second.id}&from=2026-11-23&to=2026-11-23`)).length).toBe(2);
    expect(await audit(`actor=${second.id}&from=2026-11-22&to=2026-11-22`)).toEqual([]);
    expect(await audit(`actor=${second.id}&to=2026-11-22`)).toEqual([]);
    expect((await audit(`actor=${second.id}&from=2026-11-23`)).length).toBe(2);
    const onThe22nd = await audit('from=2026-11-22&to=2026-11-22&limit=1000');
    expect(onThe22nd.length).toBeGreaterThan(10);
    expect(onThe22nd.every((r) => r.at < '2026-11-22T16:00:00.000Z' && r.at >= '2026-11-21T16:00:00.000Z')).toBe(true);
    // The first admin and the demo accounts are added by the gateway itself.
    expect((await audit('actor=service:gateway')).map((r) => r.action)).toEqual(['create-account']);

    // A period that ends before it starts, or a day that is not one, names the field.
    for (const [query, field] of [['from=2026-11-23&to=2026-11-22', 'from'], ['from=2026-02-30', 'from'], ['to=23.11.2026', 'to'], ['limit=0', 'limit']] as const) {
      const r = await asAdmin('GET', `/audit?${query}`);
      expect(r.statusCode, query).toBe(400);
      expect(r.json<{ errors: { field: string }[] }>().errors.map((e) => e.field), query).toContain(field);
    }
    expect((await call('GET', '/audit', other.accessToken)).statusCode).toBe(200);
    const planner = await session('planner.wang', 'planner-pass-2026');
    expect((await call('GET', '/audit', planner.accessToken)).statusCode).toBe(403);
    expect((await asAdmin('PATCH', '/audit', {})).statusCode).toBe(404);

    // Rows are only ever added.
    const count = await auditCount();
    await expect(database.db.execute(sql`update gateway.audit_log set outcome = 'denied'`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from gateway.audit_log`)).rejects.toThrow();
    await expect(database.db.execute(sql`truncate gateway.audit_log`)).rejects.toThrow();
    expect(await auditCount()).toBe(count);
    expect(readFileSync(new URL('../drizzle/0002_audit_append_only.sql', import.meta.url), 'utf8').trim()).toBe(auditAppendOnlySql('gateway').trim());
  });
});
