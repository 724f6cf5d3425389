import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { privateServersUnavailable, startPrivatePostgres } from './private-servers.js';

const missing = privateServersUnavailable();
if (missing && process.env.CI) throw new Error(`private servers are required in CI: ${missing}`);

describe.skipIf(missing !== '')('a private PostgreSQL server', () => {
  it('stops and starts again on the same port with the same data', async () => {
    const server = await startPrivatePostgres();
    try {
      const first = postgres(server.value, { max: 1, onnotice: () => {} });
      await first`create table kept (n int)`;
      await first`insert into kept values (42)`;
      await server.stop();
      await expect(first`select 1`).rejects.toThrow();
      await first.end({ timeout: 1 }).catch(() => undefined);
      await server.start();
      const second = postgres(server.value, { max: 1, onnotice: () => {} });
      const rows = await second<{ n: number }[]>`select n from kept`;
      expect(rows.map((r) => r.n)).toEqual([42]);
      await second.end();
    } finally {
      await server.remove();
    }
  }, 120_000);
});
