import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@fbl/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';

/**
 * The driver must answer a query on a connection whose server session has ended with a
 * catchable error. postgres.js 3.4.9 instead throws from a timer (`socket.write` on a closed
 * socket) and the whole process dies — a service on a restarted PostgreSQL server did exactly
 * that. The workspace patches the driver (`patches/postgres@3.4.9.patch`).
 */
describeWithPostgres('a PostgreSQL session ended under the driver', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('closed_connection');
  });
  afterAll(async () => database?.drop());

  it('rejects the next queries on a reserved connection instead of crashing the process', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    const sql = postgres(database.url, { max: 2, onnotice: () => {} });
    const killer = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      const reserved = await sql.reserve();
      const [row] = await reserved<{ pid: number }[]>`select pg_backend_pid() as pid`;
      await killer`select pg_terminate_backend(${row!.pid})`;
      for (let attempt = 0; attempt < 3; attempt++) {
        const outcome = await Promise.race([
          reserved`select 1 as one`.then(() => 'answered', (error: { code?: string }) => `rejected ${error.code}`),
          new Promise((resolve) => setTimeout(() => resolve('no answer within 10 s'), 10_000)),
        ]);
        expect(outcome, `query ${attempt + 1} after the session ended`).toMatch(/^rejected [A-Z_]+$/);
      }
      // Let any write the driver scheduled run.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(uncaught.map(String)).toEqual([]);
      // The pool itself goes on.
      expect(await sql`select 2 as two`).toEqual([{ two: 2 }]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await sql.end({ timeout: 1 });
      await killer.end({ timeout: 1 });
    }
  });
});
