import { DEMO_NETWORK } from '@fbl/embedded';
import { waitFor } from '@fbl/testing';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { careHome, dischargeRequest } from './scenarios.js';
import { ROOT, startService } from '../support/processes.js';

/**
 * The README's first command ends in `pnpm start`: the whole system on PGlite in `./data/` and the
 * in-process bus, nothing installed. It compiles the TypeScript (`infra/compile.mjs`) and runs the
 * compiled system with no TypeScript loader, so a module that only tsx could load fails here. It
 * must answer, stop cleanly on Ctrl-C, and start again on the same data. How soon it answers is a
 * figure of `pnpm bench` (embedded); the waits here are generous, as a loaded machine may take minutes.
 */
const START_ENTRY = 'services/embedded/dist/bundle/main.js';
const COMPILE = 'infra/compile.mjs';
const CONDITIONS = '--conditions=fbl-compiled';
const HEAP = '--max-old-space-size=${EMBEDDED_HEAP_MB:-256}';
const START = { command: process.execPath, args: [CONDITIONS, '--max-old-space-size=256', join(ROOT, START_ENTRY)] };

describe('pnpm start', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fbl-quick-start-'));
    execFileSync(process.execPath, [join(ROOT, COMPILE)], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('is the embedded runner, compiled', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start']).toBe(`node ${COMPILE} && node ${CONDITIONS} ${HEAP} ${START_ENTRY}`);
    // Every package's compiled entry exists, and the ones the running system reads are JavaScript.
    for (const pkg of ['packages/db/dist/index.js', 'packages/db/dist/pglite-initdb.mjs', 'services/gateway/dist/index.js', 'services/referral-workflow/dist/index.js']) expect(existsSync(join(ROOT, pkg)), pkg).toBe(true);
  });

  it('answers with demo data, stops on Ctrl-C, and starts again on the same data', async () => {
    // The start script's own entry, so Ctrl-C reaches the system itself (pnpm reports a signal as a failure).
    const env = { DATA_DIR: dataDir, DATABASE_URL: '', KAFKA_BROKERS: '', LOG_LEVEL: 'info' };
    const first = await startService('pnpm start', START, env, { readyPath: '/health', timeoutMs: 240_000 });
    const institutions = await waitFor(async () => {
      const r = await call(first.url, 'GET', '/docs/json');
      return r.status === 200 ? r : undefined;
    }, { what: 'the API document' });
    expect(Object.keys(institutions.body['paths'] as object)).toContain('/api/referrals');
    // A demo account of every role, shown for the sign-in page; each signs in, and its token is honoured by role.
    const accounts = (await call(first.url, 'GET', '/api/auth/demo-users')).body as { demo: boolean; users: { username: string; password: string; role: string }[] };
    expect(accounts.demo).toBe(true);
    expect(accounts.users.map((u) => u.role).sort()).toEqual(['admin', 'analyst', 'assessor', 'insurer', 'planner', 'provider', 'provider', 'provider', 'provider', 'provider', 'provider']);
    const tokens: Record<string, string> = {};
    for (const u of accounts.users) {
      let session = await call(first.url, 'POST', '/api/auth/sign-in', { username: u.username, password: u.password });
      // Sign-in is limited to 10 a minute per address, and there are more demo accounts: wait the minute out.
      if (session.status === 429) {
        await new Promise((resolve) => setTimeout(resolve, 61_000));
        session = await call(first.url, 'POST', '/api/auth/sign-in', { username: u.username, password: u.password });
      }
      expect(session.status, u.username).toBe(200);
      tokens[u.role] = session.body['accessToken'] as string;
    }
    expect((await call(first.url, 'GET', '/api/monitoring/dashboard', undefined, tokens['analyst'])).status).toBe(200);
    expect((await call(first.url, 'GET', '/api/monitoring/dashboard', undefined, tokens['planner'])).status).toBe(403);
    const demo = (await call(first.url, 'GET', '/api/care-beds/institutions', undefined, tokens['planner'])).body as unknown as { name: string }[];
    expect(demo.map((i) => i.name)).toEqual(expect.arrayContaining(DEMO_NETWORK.care.map((h) => h.name)));
    const home = await call(first.url, 'POST', '/api/care-beds/institutions', careHome('重启测试养老院', 3), tokens['admin']);
    expect(home.status).toBe(201);
    await waitFor(async () => ((await call(first.url, 'GET', '/api/referrals/capacity', undefined, tokens['planner'])).body as unknown as { institutionId: string }[]).some((c) => c.institutionId === home.body['id']), { what: 'the new home matchable' });
    // The demo planner starts a referral from the demo hospital they work at.
    const hospitalId = (await call(first.url, 'GET', '/api/auth/me', undefined, tokens['planner'])).body['institutionId'] as string;
    const referral = await call(first.url, 'POST', '/api/referrals', dischargeRequest(hospitalId), tokens['planner']);
    expect(referral.status, JSON.stringify(referral.body)).toBe(202);
    await waitFor(async () => (await call(first.url, 'GET', `/api/referrals/${referral.body['id']}`, undefined, tokens['planner'])).body['state'] === 'offering', { what: 'offers made before the restart' });
    expect(await first.stop('SIGINT'), `clean exit after Ctrl-C:\n${first.output().slice(-2000)}`).toBe(0);

    expect(first.output()).toContain('"msg":"stopped"');

    const second = await startService('pnpm start again', START, env, { readyPath: '/health', timeoutMs: 240_000 });
    try {
      const demoUsers = (await call(second.url, 'GET', '/api/auth/demo-users')).body['users'] as { username: string; password: string; role: string }[];
      expect(demoUsers).toHaveLength(11);
      const planner = demoUsers.find((u) => u.role === 'planner')!;
      const signedIn = await call(second.url, 'POST', '/api/auth/sign-in', { username: planner.username, password: planner.password });
      expect(signedIn.status).toBe(200);
      // The token secret is kept with the data: the same accounts and the same records after a restart.
      const token = signedIn.body['accessToken'] as string;
      expect((await call(second.url, 'GET', `/api/referrals/${referral.body['id']}`, undefined, tokens['planner'])).body).toMatchObject({ state: 'offering' });
      expect((await call(second.url, 'GET', `/api/referrals/${referral.body['id']}`, undefined, token)).body).toMatchObject({ state: 'offering' });
      expect((await call(second.url, 'GET', `/api/care-beds/institutions/${home.body['id']}`, undefined, token)).body['capacity']).toMatchObject({ total: 3, free: 3 });
      const after = (await call(second.url, 'GET', '/api/care-beds/institutions', undefined, token)).body as unknown as unknown[];
      expect(after).toHaveLength(demo.length + 1); // demo data is loaded once, into an empty database
    } finally {
      expect(await second.stop('SIGINT')).toBe(0);
    }
  }, 600_000);
});
