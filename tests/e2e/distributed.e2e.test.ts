import { signToken } from '@fbl/auth';
import { describeWithKafkaAndPostgres, kafkaBrokers, waitFor } from '@fbl/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminOf } from '../support/actors.js';
import { call, openEvents } from '../support/http.js';
import { startDistributedSystem, type DistributedSystem } from '../support/system.js';
import { referralToClosedLoop } from './scenarios.js';

const SECRET = 'distributed-e2e-secret';

describeWithKafkaAndPostgres('distributed mode: separate processes over Kafka and PostgreSQL', () => {
  let system: DistributedSystem;

  beforeAll(async () => {
    system = await startDistributedSystem(['care-beds', 'medical-beds', 'referral-workflow', 'monitoring'], { monitoring: { AUTH_SECRET: SECRET } });
  });

  afterAll(async () => {
    const codes = await system?.stop();
    expect(codes?.every((c) => c === 0), `every service stops cleanly: ${codes?.join(', ')}`).toBe(true);
  });

  it('takes one referral from the HTTP request to the closed loop through Kafka, and the commission sees it close', async () => {
    const analyst = signToken({ userId: 'analyst-1', role: 'analyst', divisionCode: '370000' }, SECRET, { now: new Date(), ttlSeconds: 600 });
    const closedLoop = async () => {
      const r = await call(system.url, 'GET', '/api/monitoring/metrics/closed-loop', undefined, analyst);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return ((r.body['rows'] as { values: Record<string, number> }[])[0]?.values ?? { started: 0, closedInLoop: 0 });
    };
    expect(await closedLoop()).toMatchObject({ started: 0, closedInLoop: 0 });
    // Live updates through the gateway, fed by PostgreSQL NOTIFY in the workflow's database.
    const live = await openEvents(system.url, '/api/referrals/events', adminOf(system));
    const { id } = await referralToClosedLoop(system);
    try {
      await waitFor(() => live.events.some((e) => e.event === 'referral' && e.data['id'] === id && e.data['state'] === 'closed'), { what: 'the closing streamed live' });
      const states = live.events.filter((e) => e.data['id'] === id).map((e) => e.data['state']);
      for (const state of ['offering', 'choosing', 'transferring', 'followUp', 'closed']) expect(states).toContain(state);
    } finally {
      live.close();
    }
    const figures = await waitFor(async () => {
      const v = await closedLoop();
      return v['closedInLoop'] === 1 ? v : undefined;
    }, { what: 'the monitoring service counting the closed referral', timeoutMs: 30_000 });
    expect(figures).toMatchObject({ started: 1, closedInLoop: 1, open: 0, rate: 1 });
    // The commission sees the referral's offer answered and its bed flow, through the gateway.
    const accepted = await call(system.url, 'GET', '/api/monitoring/metrics/acceptance-rate', undefined, analyst);
    expect((accepted.body['rows'] as { values: Record<string, number> }[])[0]?.values).toMatchObject({ accepted: 1, rate: 1 });
    const flows = await call(system.url, 'GET', '/api/monitoring/metrics/flows-by-bed-type', undefined, analyst);
    expect(flows.body['rows']).toEqual([expect.objectContaining({ sub: 'medical→care', values: { transfers: 1 } })]);
    const open = await call(system.url, 'GET', '/api/monitoring/open-referrals', undefined, analyst);
    expect(open.body['items']).toEqual([]);
    expect(JSON.stringify(open.body)).not.toContain(id);
  });

  it('shows one OpenAPI document for the whole public API at the gateway', async () => {
    const doc = await call(system.url, 'GET', '/docs/json');
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body['paths'] as object);
    for (const path of ['/api/auth/sign-in', '/api/referrals', '/api/care-beds/institutions', '/api/medical-beds/institutions', '/api/monitoring/metrics/{metric}']) expect(paths, path).toContain(path);
  });

  it('signs in the first admin, whose token the monitoring service honours', async () => {
    const session = await call(system.url, 'POST', '/api/auth/sign-in', { username: 'admin', password: 'e2e-admin-2026' });
    expect(session.status, JSON.stringify(session.body)).toBe(200);
    const dashboard = await call(system.url, 'GET', '/api/monitoring/dashboard', undefined, session.body['accessToken'] as string);
    expect(dashboard.status).toBe(200);
    expect((await call(system.url, 'GET', '/api/monitoring/dashboard', undefined, 'not-a-token')).status).toBe(401);
    // The gateway itself turns away a request without a valid token before forwarding it.
    for (const path of ['/api/referrals', '/api/care-beds/institutions', '/api/monitoring/dashboard']) {
      const unsigned = await call(system.url, 'GET', path);
      expect(unsigned.status, path).toBe(401);
      expect(unsigned.body['detail'], path).toBe('the service APIs need a signed-in user');
    }
  });

  it('runs each service in its own consumer group', async () => {
    const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const groups = ['care-beds', 'medical-beds', 'referral-workflow', 'monitoring'].map((g) => `${system.namespace}.${g}`);
      const { groups: listed } = await admin.listGroups();
      expect(listed.map((g) => g.groupId)).toEqual(expect.arrayContaining(groups));
      const described = await admin.describeGroups(groups);
      for (const group of described.groups) expect(group.members.length, `${group.groupId} has a live member`).toBeGreaterThan(0);
    } finally {
      await admin.disconnect();
    }
  });
});
