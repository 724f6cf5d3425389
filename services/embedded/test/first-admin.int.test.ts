import { createLogger } from '@fbl/observability';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedded, type EmbeddedSystem } from '../src/embedded.js';

/*
 * Without the demo network (DEMO_DATA=0) an empty deployment still has someone to sign in: its
 * first admin, named `admin`, with the password GATEWAY_ADMIN_PASSWORD gives; nobody else, and no
 * demo account.
 */
describe('the embedded system without demo data', () => {
  let system: EmbeddedSystem;
  const password = 'Heze-county-admin-2026';
  beforeAll(async () => {
    system = await startEmbedded(
      { port: 0, host: '127.0.0.1', database: { dataDir: 'memory' }, logLevel: 'silent' },
      { logger: createLogger({ name: 'first-admin-test', level: 'silent' }), demoData: false, adminPassword: password },
    );
  }, 180_000);
  afterAll(async () => system?.stop());

  const post = (path: string, body: object) => fetch(new URL(path, system.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('makes the first admin from GATEWAY_ADMIN_PASSWORD, who signs in, and no demo account', async () => {
    expect((await system.identity.accounts.list()).map((u) => [u.username, u.role, u.displayName])).toEqual([['admin', 'admin', '系统管理员']]);
    const signedIn = await post('/api/auth/sign-in', { username: 'admin', password });
    // Admins need a second factor without demo data: the password is right, and enrolment comes next.
    expect(signedIn.status).toBe(403);
    expect(await signedIn.json()).toMatchObject({ type: '/problems/second-factor-enrolment-required', secondFactor: 'totp' });
    expect((await post('/api/auth/sign-in', { username: 'admin', password: 'wrong-password-2026' })).status).toBe(401);
    expect((await post('/api/auth/sign-in', { username: 'planner', password: 'demo2026planner' })).status).toBe(401);
    const demo = (await (await fetch(new URL('/api/auth/demo-users', system.url))).json()) as { demo: boolean; users: unknown[] };
    expect(demo).toMatchObject({ demo: false, users: [] });
  });
});
