import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { databaseUrl } from './requirements.js';

/** A database of its own for one test file or suite, on the shared test server. */
export interface TestDatabase {
  /** Connection URL of the new database. */
  url: string;
  /** Its name, `fbl_<prefix>_<random>`. */
  name: string;
  /** Drops it, closing any connection still open (`WITH (FORCE)`); safe to call twice. */
  drop(): Promise<void>;
}

/**
 * Creates an empty database named `fbl_<prefix>_<random>` so tests never share tables.
 *
 * @param prefix - a hint for humans reading `\l` (lowercased; other than `a-z0-9_` becomes `_`)
 * @param serverUrl - the server to create it on; defaults to the one the global setup provided
 * @example
 *   const db = await createTestDatabase('referrals');
 *   afterAll(() => db.drop());
 */
export async function createTestDatabase(prefix = 'test', serverUrl: string = databaseUrl()): Promise<TestDatabase> {
  const safePrefix = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 40);
  const name = `fbl_${safePrefix}_${randomBytes(5).toString('hex')}`;
  // The name is built above from [a-z0-9_] only, so quoting it is enough.
  await withServer(serverUrl, (sql) => sql.unsafe(`CREATE DATABASE "${name}"`));

  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      if (dropped) return;
      await withServer(serverUrl, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      dropped = true;
    },
  };
}

/** One short-lived connection, so helpers never hold server connections between tests. */
async function withServer<T>(serverUrl: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
