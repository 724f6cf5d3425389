import { openDatabase, type Database } from '@fbl/db';
import { InProcessBus } from '@fbl/messaging';
import { createTestDatabase, waitFor } from '@fbl/testing';
import { privateServersUnavailable, startPrivatePostgres, type PrivateServer } from '@fbl/testing/private-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, quietLogger, startMonitoring } from './support/harness.js';

const missing = privateServersUnavailable();
if (missing && process.env['CI']) throw new Error(`a private PostgreSQL server is required in CI: ${missing}`);

/**
 * A service whose database goes away answers 503 problem+json with Retry-After (the error handler
 * every service shares), not 500, and answers again by itself once the database is back: no
 * restart of the service.
 */
describe.skipIf(missing !== '')('a service while its database is stopped', () => {
  let server: PrivateServer;
  let database: Database;
  let monitoring: Awaited<ReturnType<typeof startMonitoring>>;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    database = await openDatabase({ url: (await createTestDatabase('monitoring_down', server.value)).url });
    monitoring = await startMonitoring(database, new InProcessBus(quietLogger()), () => new Date());
  }, 120_000);
  afterAll(async () => {
    await monitoring?.stop().catch(() => undefined);
    await database?.close().catch(() => undefined);
    await server?.remove();
  });

  it('answers 503 with Retry-After while it is down, and 200 again once it returns', async () => {
    const path = '/api/monitoring/open-referrals';
    expect((await monitoring.get(path, ADMIN)).statusCode).toBe(200);
    await server.stop();
    const down = await monitoring.get(path, ADMIN);
    expect(down.statusCode, down.body).toBe(503);
    expect(down.headers['content-type']).toContain('application/problem+json');
    expect(down.headers['retry-after']).toBe('5');
    expect(down.json()).toMatchObject({ type: '/problems/database-unavailable', status: 503 });
    await server.start();
    const back = await waitFor(async () => {
      const r = await monitoring.get(path, ADMIN);
      return r.statusCode === 200 ? r : undefined;
    }, { what: 'the service answering again', timeoutMs: 120_000, intervalMs: 500 });
    expect(back.json()).toMatchObject({ items: [] });
  }, 300_000);
});
