import { verifyToken } from '@fbl/auth';
import { allMessages, MessageRegistry, newId } from '@fbl/contracts';
import { openDatabase, type Database } from '@fbl/db';
import { InProcessBus } from '@fbl/messaging';
import { createLogger, createMetrics } from '@fbl/observability';
import { generateKey, Sealer } from '@fbl/privacy';
import { buildHttpServer, startService, type RunningService } from '@fbl/service-kit';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@fbl/testing';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { base32Decode, hotp, identityService, timeStep, type IdentityService, type SignedIn } from '../src/index.js';

const SECRET = 'second-factor-test-secret';
const KEY = generateKey();
const hospital = newId();

interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json: <T = Record<string, unknown>>() => T;
}

describeWithPostgres('gateway second factor: TOTP enrolment and codes, replay, recovery codes, lockout counting codes, password expiry and history', () => {
  let testDb: TestDatabase;
  let database: Database;
  let service: IdentityService;
  let running: RunningService;
  let http: FastifyInstance;
  let now = new Date('2026-11-22T08:00:05Z');
  const later = (seconds: number) => (now = new Date(now.getTime() + seconds * 1000));
  const call = (method: 'GET' | 'POST', url: string, payload?: object, token?: string): Promise<Answer> =>
    http.inject({ method, url: `/api/auth${url}`, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(payload ? { payload } : {}) }) as Promise<Answer>;
  const signIn = (body: object) => call('POST', '/sign-in', body);
  /** The code an authenticator app shows for a secret, `steps` time steps from now. */
  const codeOf = (secret: string, steps = 0) => hotp(base32Decode(secret), timeStep(now) + steps);
  const slug = (r: Answer) => r.json<{ type?: string }>().type?.split('/').pop();
  const fieldsOf = (r: Answer) => (r.statusCode === 400 ? r.json<{ errors?: { field: string }[] }>().errors?.map((e) => e.field) ?? [] : [`status ${r.statusCode}`]);
  const userRow = async (username: string) =>
    (await database.rows<{ id: string; failed_attempts: number; locked_until: Date | null; totp_secret_sealed: string | null; totp_pending_sealed: string | null; totp_last_step: string | null }>(database.db, sql`select * from gateway.users where username = ${username}`))[0]!;
  const outcomes = async (username: string, n: number) =>
    (await database.rows<{ outcome: string }>(database.db, sql`select outcome from gateway.sign_ins where username = ${username} order by seq desc limit ${n}`)).map((r) => r.outcome).reverse();
  const audit = async (objectId: string) =>
    database.rows<{ actor: string; action: string; outcome: string; detail: Record<string, unknown> | null }>(database.db, sql`select actor, action, outcome, detail from gateway.audit_log where object_id = ${objectId} order by seq`);

  beforeAll(async () => {
    testDb = await createTestDatabase('gateway_second_factor');
    database = await openDatabase({ url: testDb.url });
    const logger = createLogger({ name: 'second-factor-test', level: 'warn', destination: new Writable({ write: (_c: Buffer, _e, done) => done() }) });
    service = identityService(
      { database, bus: new InProcessBus(logger), logger, metrics: createMetrics(), registry: new MessageRegistry(allMessages), clock: () => now },
      { authSecret: SECRET, sealing: KEY, policy: { secondFactorRoles: ['admin'], passwordMaxAgeDays: 90, passwordHistory: 3 } },
    );
    running = await startService(service);
    http = await buildHttpServer({ title: 'gateway', logger, metrics: createMetrics(), readiness: [], plugins: [service.routes!] });
    await service.accounts.create({ username: 'root', displayName: '系统管理员', password: 'root-pass-2026', role: 'admin' });
    await service.accounts.create({ username: 'chief', displayName: '第二管理员', password: 'chief-pass-2026', role: 'admin' });
    await service.accounts.create({ username: 'planner', displayName: '王医生', password: 'planner-pass-2026', role: 'planner', institutionId: hospital });
  });
  afterAll(async () => {
    await http?.close();
    await running?.stop();
    await database?.close();
    await testDb?.drop();
  });

  let rootSecret = '';
  let rootRecovery: string[] = [];
  let plannerSecret = '';

  it('takes an admin without a second factor to enrolment before any session: the secret offered (sealed at rest), confirmed by a first code', async () => {
    const first = await signIn({ username: 'root', password: 'root-pass-2026' });
    expect(first.statusCode, first.body).toBe(403);
    expect(String(first.headers['content-type'])).toContain('application/problem+json');
    expect(slug(first)).toBe('second-factor-enrolment-required');
    const offer = first.json<{ enrolment: { secret: string; otpauthUri: string }; accessToken?: string }>();
    expect(offer.accessToken).toBeUndefined();
    rootSecret = offer.enrolment.secret;
    expect(rootSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(offer.enrolment.otpauthUri).toBe(`otpauth://totp/${encodeURIComponent('五床联动:root')}?secret=${rootSecret}&issuer=${encodeURIComponent('五床联动')}&algorithm=SHA1&digits=6&period=30`);
    // Asked again, the same secret (the app may have it already); at rest it is sealed, not the text.
    expect((await signIn({ username: 'root', password: 'root-pass-2026' })).json<typeof offer>().enrolment.secret).toBe(rootSecret);
    const pending = (await userRow('root')).totp_pending_sealed!;
    expect(pending).not.toContain(rootSecret);
    expect(new Sealer(KEY).open(pending)).toBe(rootSecret);

    // A wrong first code enrols nothing and counts as a failure.
    const wrong = await signIn({ username: 'root', password: 'root-pass-2026', code: codeOf(rootSecret, 3) });
    expect(wrong.statusCode).toBe(401);
    expect(slug(wrong)).toBe('second-factor-failed');
    expect((await userRow('root')).failed_attempts).toBe(1);
    expect((await userRow('root')).totp_secret_sealed).toBeNull();

    const enrolled = await signIn({ username: 'root', password: 'root-pass-2026', code: codeOf(rootSecret) });
    expect(enrolled.statusCode, enrolled.body).toBe(200);
    const session = enrolled.json<SignedIn>();
    expect(verifyToken(session.accessToken, SECRET, now)).toMatchObject({ ok: true, principal: { role: 'admin' } });
    expect(session.user.secondFactor).toBe(true);
    rootRecovery = session.recoveryCodes!;
    expect(rootRecovery).toHaveLength(10);
    const row = await userRow('root');
    expect(row).toMatchObject({ failed_attempts: 0, totp_pending_sealed: null });
    expect(row.totp_secret_sealed).not.toContain(rootSecret);
    expect(new Sealer(KEY).open(row.totp_secret_sealed!)).toBe(rootSecret);
    // The recovery codes are kept as keyed hashes only.
    const stored = await database.rows<{ code_hash: string }>(database.db, sql`select code_hash from gateway.recovery_codes where user_id = ${row.id}`);
    expect(stored).toHaveLength(10);
    for (const code of rootRecovery) expect(JSON.stringify(stored)).not.toContain(code.replace('-', ''));
    expect(await outcomes('root', 4)).toEqual(['enrolment-required', 'enrolment-required', 'wrong-code', 'signed-in']);
    expect((await audit(row.id)).map((a) => [a.actor, a.action, a.outcome])).toEqual([
      ['service:gateway', 'create-account', 'allowed'],
      [row.id, 'enrol-second-factor', 'allowed'],
    ]);
  });

  it('asks an enrolled account for its code; accepts one step back or ahead once each, refuses a code used already and one two steps off', async () => {
    const asked = await signIn({ username: 'root', password: 'root-pass-2026' });
    expect(asked.statusCode).toBe(401);
    expect(slug(asked)).toBe('second-factor-required');
    expect(asked.json()).toMatchObject({ secondFactor: 'totp' });
    expect(asked.json()).not.toHaveProperty('accessToken');
    // The enrolment spent this step's code: the same code is a replay.
    const replay = await signIn({ username: 'root', password: 'root-pass-2026', code: codeOf(rootSecret) });
    expect(replay.statusCode).toBe(401);
    expect(slug(replay)).toBe('second-factor-failed');
    expect((await signIn({ username: 'root', password: 'root-pass-2026', code: codeOf(rootSecret, 2) })).statusCode).toBe(401);
    // The next step's code is within the window.
    const ahead = await signIn({ username: 'root', password: 'root-pass-2026', code: codeOf(rootSecret, 1) });
    expect(ahead.statusCode, ahead.body).toBe(200);
    expect((await signIn({ username: 'root', password: 'root-pass-2026', code: codeOf(rootSecret, 1) })).statusCode).toBe(401);
    // A wrong password with the right code is the usual refusal.
    later(90);
    expect(slug(await signIn({ username: 'root', password: 'not-the-password-1', code: codeOf(rootSecret) }))).toBe('sign-in-failed');
    // Three steps later, with the app's code of now (a step behind is still fine, had the app's clock lagged).
    const lagging = await signIn({ username: 'root', password: 'root-pass-2026', code: codeOf(rootSecret, -1) });
    expect(lagging.statusCode, lagging.body).toBe(200);
    expect(await outcomes('root', 7)).toEqual(['code-required', 'wrong-code', 'wrong-code', 'signed-in', 'wrong-code', 'wrong-password', 'signed-in']);
    expect((await userRow('root')).failed_attempts).toBe(0);
    // A code is six digits; anything else names the field.
    expect(fieldsOf(await signIn({ username: 'root', password: 'root-pass-2026', code: '12ab56' }))).toEqual(['code']);
  });

  it('signs in once with each recovery code, typed in any case and without its dash; each use audited', async () => {
    const [firstCode, secondCode] = rootRecovery;
    const used = await signIn({ username: 'root', password: 'root-pass-2026', recoveryCode: firstCode!.toUpperCase().replace('-', '') });
    expect(used.statusCode, used.body).toBe(200);
    const again = await signIn({ username: 'root', password: 'root-pass-2026', recoveryCode: firstCode });
    expect(again.statusCode).toBe(401);
    expect(slug(again)).toBe('second-factor-failed');
    // Another account's codes are not this one's; a made-up code neither.
    expect((await signIn({ username: 'root', password: 'root-pass-2026', recoveryCode: 'aaaaa-bbbbb' })).statusCode).toBe(401);
    expect((await signIn({ username: 'root', password: 'root-pass-2026', recoveryCode: secondCode })).statusCode).toBe(200);
    expect(await outcomes('root', 4)).toEqual(['signed-in-recovery-code', 'wrong-recovery-code', 'wrong-recovery-code', 'signed-in-recovery-code']);
    const { id } = await userRow('root');
    const uses = (await audit(id)).filter((a) => a.action === 'use-recovery-code');
    expect(uses.map((a) => [a.actor, a.outcome, a.detail])).toEqual([
      [id, 'allowed', { recoveryCodesLeft: 9 }],
      [id, 'allowed', { recoveryCodesLeft: 8 }],
    ]);
  });

  it('counts wrong codes toward the lockout with wrong passwords: locked even with the right code, until the lockout ends', async () => {
    later(60);
    expect((await signIn({ username: 'root', password: 'not-the-password-1' })).statusCode).toBe(401);
    for (let i = 0; i < 3; i++) expect((await signIn({ username: 'root', password: 'root-pass-2026', code: codeOf(rootSecret, 3) })).statusCode).toBe(401);
    expect((await userRow('root')).failed_attempts).toBe(4);
    const fifth = await signIn({ username: 'root', password: 'root-pass-2026', recoveryCode: 'zzzzz-zzzzz' });
    expect(fifth.statusCode).toBe(401);
    expect((await userRow('root')).locked_until).not.toBeNull();
    const locked = await signIn({ username: 'root', password: 'root-pass-2026', code: codeOf(rootSecret) });
    expect(locked.statusCode).toBe(423);
    expect(await outcomes('root', 6)).toEqual(['wrong-password', 'wrong-code', 'wrong-code', 'wrong-code', 'wrong-recovery-code-locked', 'locked']);
    later(15 * 60 + 1);
    const after = await signIn({ username: 'root', password: 'root-pass-2026', code: codeOf(rootSecret) });
    expect(after.statusCode, after.body).toBe(200);
    expect((await userRow('root')).failed_attempts).toBe(0);
  });

  it('lets an account of a role without the requirement enrol of its own accord, and then asks it for codes', async () => {
    const plain = await signIn({ username: 'planner', password: 'planner-pass-2026' });
    expect(plain.statusCode, plain.body).toBe(200);
    const token = plain.json<SignedIn>().accessToken;
    expect((await call('GET', '/second-factor', undefined, token)).json()).toEqual({ enrolled: false, required: false, recoveryCodesLeft: 0 });
    expect(fieldsOf(await call('POST', '/second-factor/confirm', { code: '123456' }, token))).toEqual(['code']);
    const offer = await call('POST', '/second-factor/offer', {}, token);
    expect(offer.statusCode, offer.body).toBe(200);
    const { secret, otpauthUri } = offer.json<{ secret: string; otpauthUri: string }>();
    plannerSecret = secret;
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect(fieldsOf(await call('POST', '/second-factor/confirm', { code: codeOf(secret, 5) }, token))).toEqual(['code']);
    const confirmed = await call('POST', '/second-factor/confirm', { code: codeOf(secret) }, token);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json<{ recoveryCodes: string[] }>().recoveryCodes).toHaveLength(10);
    expect((await call('GET', '/second-factor', undefined, token)).json()).toEqual({ enrolled: true, required: false, recoveryCodesLeft: 10 });
    expect((await call('POST', '/second-factor/offer', {}, token)).statusCode).toBe(409);
    expect(slug(await signIn({ username: 'planner', password: 'planner-pass-2026' }))).toBe('second-factor-required');
    later(30);
    expect((await signIn({ username: 'planner', password: 'planner-pass-2026', code: codeOf(secret) })).statusCode).toBe(200);
  });

  it('lets an admin reset another account\'s second factor (its sessions end; audited), never their own', async () => {
    later(30);
    const root = (await signIn({ username: 'root', password: 'root-pass-2026', code: codeOf(rootSecret) })).json<SignedIn>();
    const planner = (await signIn({ username: 'planner', password: 'planner-pass-2026', code: codeOf(plannerSecret) })).json<SignedIn>();
    expect((await call('POST', `/users/${planner.user.id}/second-factor/reset`, {}, planner.accessToken)).statusCode).toBe(403);
    const own = await call('POST', `/users/${root.user.id}/second-factor/reset`, {}, root.accessToken);
    expect(own.statusCode).toBe(409);
    expect(slug(own)).toBe('own-account');
    const reset = await call('POST', `/users/${planner.user.id}/second-factor/reset`, {}, root.accessToken);
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toMatchObject({ username: 'planner', secondFactor: false });
    expect(await userRow('planner')).toMatchObject({ totp_secret_sealed: null, totp_last_step: null });
    expect(Number((await database.rows<{ n: number }>(database.db, sql`select count(*)::int as n from gateway.recovery_codes where user_id = ${planner.user.id}`))[0]!.n)).toBe(0);
    // Its sessions have ended; it signs in with its password alone (its role needs no second factor).
    expect((await call('POST', '/refresh', { refreshToken: planner.refreshToken })).statusCode).toBe(401);
    expect((await signIn({ username: 'planner', password: 'planner-pass-2026' })).statusCode).toBe(200);
    expect((await audit(planner.user.id)).filter((a) => a.action === 'reset-second-factor').map((a) => [a.actor, a.outcome, a.detail])).toEqual([[root.user.id, 'allowed', { enrolled: true, sessionsEnded: 3 }]]);
    expect((await audit(root.user.id)).filter((a) => a.action === 'reset-second-factor').map((a) => [a.actor, a.outcome])).toEqual([[root.user.id, 'denied']]);
  });

  it('makes an expired password be changed at sign-in, by the rules and not to one of the latest; an admin reset keeps to the history too', async () => {
    const chiefOffer = (await signIn({ username: 'chief', password: 'chief-pass-2026' })).json<{ enrolment: { secret: string } }>().enrolment.secret;
    expect((await signIn({ username: 'chief', password: 'chief-pass-2026', code: codeOf(chiefOffer) })).statusCode).toBe(200);
    later(90 * 24 * 3600);
    const expired = await signIn({ username: 'planner', password: 'planner-pass-2026' });
    expect(expired.statusCode).toBe(403);
    expect(slug(expired)).toBe('password-expired');
    expect(expired.json()).not.toHaveProperty('accessToken');
    // A wrong password is still the usual answer: only the right one learns the password expired.
    expect(slug(await signIn({ username: 'planner', password: 'wrong-pass-2026' }))).toBe('sign-in-failed');
    expect(fieldsOf(await signIn({ username: 'planner', password: 'planner-pass-2026', newPassword: 'short1' }))).toEqual(['newPassword']);
    expect(fieldsOf(await signIn({ username: 'planner', password: 'planner-pass-2026', newPassword: 'planner-pass-2026' }))).toEqual(['newPassword']);
    const changed = await signIn({ username: 'planner', password: 'planner-pass-2026', newPassword: 'planner-next-2027' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await signIn({ username: 'planner', password: 'planner-pass-2026' })).statusCode).toBe(401);
    expect((await signIn({ username: 'planner', password: 'planner-next-2027' })).statusCode).toBe(200);
    const { id } = await userRow('planner');
    expect((await audit(id)).filter((a) => a.action === 'change-password').map((a) => [a.actor, a.detail])).toEqual([[id, { at: 'sign-in' }]]);
    expect(await outcomes('planner', 5)).toEqual(['password-expired', 'wrong-password', 'signed-in', 'wrong-password', 'signed-in']);

    // The history (3): an admin's reset to either of the latest two is refused, naming the field; a third one is fine.
    later(60);
    const chief = (await signIn({ username: 'chief', password: 'chief-pass-2026', newPassword: 'chief-next-2027', code: codeOf(chiefOffer) })).json<SignedIn>();
    expect(chief.accessToken).toBeDefined();
    for (const old of ['planner-pass-2026', 'planner-next-2027']) expect(fieldsOf(await call('POST', `/users/${id}/password`, { password: old }, chief.accessToken))).toEqual(['password']);
    later(60);
    expect((await call('POST', `/users/${id}/password`, { password: 'planner-temp-2028' }, chief.accessToken)).statusCode).toBe(200);
    later(60);
    expect(fieldsOf(await call('POST', `/users/${id}/password`, { password: 'planner-pass-2026' }, chief.accessToken))).toEqual(['password']);
    expect((await call('POST', `/users/${id}/password`, { password: 'planner-temp-2029' }, chief.accessToken)).statusCode).toBe(200);
    later(60);
    // Three passwords later the first one may come back.
    expect((await call('POST', `/users/${id}/password`, { password: 'planner-pass-2026' }, chief.accessToken)).statusCode).toBe(200);
    // The temporary password an admin sets is not expired: it signs in.
    expect((await signIn({ username: 'planner', password: 'planner-pass-2026' })).statusCode).toBe(200);
    expect(Number((await database.rows<{ n: number }>(database.db, sql`select count(*)::int as n from gateway.password_history where user_id = ${id}`))[0]!.n)).toBe(3);
  });
  it('lets a signed-in account change its own password: the current one first (a wrong one counted), the new one by the rules and the history', async () => {
    later(60);
    const planner = (await signIn({ username: 'planner', password: 'planner-pass-2026' })).json<SignedIn>();
    const change = (body: object) => call('POST', '/password', body, planner.accessToken);
    const before = (await userRow('planner')).failed_attempts;
    expect(fieldsOf(await change({ currentPassword: 'not-the-password-1', newPassword: 'planner-own-2030' }))).toEqual(['currentPassword']);
    expect((await userRow('planner')).failed_attempts).toBe(before + 1);
    expect((await outcomes('planner', 1))).toEqual(['change-wrong-password']);
    expect(fieldsOf(await change({ currentPassword: 'planner-pass-2026', newPassword: 'planner-temp-2029' }))).toEqual(['newPassword']);
    expect(fieldsOf(await change({ currentPassword: 'planner-pass-2026', newPassword: 'short' }))).toEqual(['newPassword']);
    const changed = await change({ currentPassword: 'planner-pass-2026', newPassword: 'planner-own-2030' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await userRow('planner')).failed_attempts).toBe(0);
    expect((await signIn({ username: 'planner', password: 'planner-pass-2026' })).statusCode).toBe(401);
    expect((await signIn({ username: 'planner', password: 'planner-own-2030' })).statusCode).toBe(200);
    expect((await audit(planner.user.id)).filter((a) => a.action === 'change-password').map((a) => a.detail)).toEqual([{ at: 'sign-in' }, { at: 'account' }]);
    expect((await call('POST', '/password', { currentPassword: 'x', newPassword: 'y' })).statusCode).toBe(401);
  });
});
