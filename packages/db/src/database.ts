import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { leanPglite } from './pglite-client.js';
import { migrationsKey, preparePgliteFolder, saveSnapshot, TEMPLATE_ROOT, type FolderStart } from './pglite-folder.js';

/** Drizzle over either driver; application code sees only this. */
export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;
/** A transaction handle. */
export type Tx = PgTransaction<PgQueryResultHKT, Record<string, never>, ExtractTablesWithRelations<Record<string, never>>>;
/** Anything that runs statements: the database or an open transaction. */
export type Executor = Db | Tx;

/** A lock held until released; see {@link Database.tryLock}. */
export interface HeldLock {
  /**
   * Whether the lock is still held: false once the session that took it has ended (a database
   * restart, a dropped connection), even if the driver has reconnected since. Asks the database
   * on that session; never throws (an unanswered question is a lost lock).
   */
  held(): Promise<boolean>;
  release(): Promise<void>;
}

/** Which migrations to apply, and where. */
export interface MigrateOptions {
  folder: string;
  /** Bookkeeping table in the `drizzle` schema; one per service. */
  table: string;
  /**
   * Apply migrations written for schema `from` to schema `to`: several services that share one
   * table design (the five bed services) share one set of migrations.
   */
  renameSchema?: { from: string; to: string };
}

/**
 * TLS to a PostgreSQL server: `require` encrypts without checking who answers (as libpq's
 * `sslmode=require`); `verify-full` checks the server's certificate against `ca` (PEM; the
 * system's roots when absent) and its name against the host. `cert` and `key` (PEM) present a
 * client certificate when the server asks for one.
 */
export interface DatabaseTls {
  mode: 'require' | 'verify-full';
  ca?: string;
  cert?: string;
  key?: string;
}

/** Where the data lives: a PostgreSQL server (over TLS when `tls` says so), or embedded PGlite in a folder (or in memory). */
export type DatabaseConfig = { url: string; tls?: DatabaseTls } | { dataDir: string | 'memory' };

/** postgres.js's `ssl` option for a TLS setting. */
export function sslOption(tls: DatabaseTls | undefined): postgres.Options<Record<string, never>>['ssl'] {
  if (!tls) return undefined;
  if (tls.mode === 'require') return { rejectUnauthorized: false, ...(tls.cert ? { cert: tls.cert } : {}), ...(tls.key ? { key: tls.key } : {}) };
  return { rejectUnauthorized: true, ...(tls.ca ? { ca: tls.ca } : {}), ...(tls.cert ? { cert: tls.cert } : {}), ...(tls.key ? { key: tls.key } : {}) };
}

/**
 * One database connection (pool) for a process. The same code path runs on both drivers:
 * PostgreSQL through postgres.js for the distributed mode, PGlite for the embedded one.
 */
export interface Database {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Db;
  /** Run `fn` in one transaction; the change and its outbox rows commit together or not at all. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Rows of a raw statement, the same shape on both drivers. */
  rows<T extends Record<string, unknown>>(executor: Executor, statement: SQL): Promise<T[]>;
  /**
   * Rows of a reporting statement, read only: one that reads many rows, over periods and filters
   * that change from one call to the next (the commission's figures). On PostgreSQL it is planned
   * for its own values every time (unprepared: a plan cached after five calls is made for no values
   * in particular, and was measured at 45 ms where the statement's own plan took 6), in the one
   * process (no parallel workers: each is a new process that must map every shared buffer it
   * reads, which cost more than the scan it shared out: 94 ms against 25 for 82,000 offers), with
   * {@link REPORT_WORK_MEM} to hash and sort in memory. PGlite has no workers and plans every
   * statement for its values.
   */
  reportRows<T extends Record<string, unknown>>(statement: SQL): Promise<T[]>;
  /** Succeeds when the database answers. */
  ping(): Promise<void>;
  /** Apply the drizzle-kit migrations in `folder`, tracked in `drizzle.<table>`, one migrator at a time. */
  migrate(options: MigrateOptions): Promise<void>;
  /**
   * Apply several sets of migrations, in order. On PGlite a new folder migrated from the empty
   * template is kept as a snapshot for these migrations (in the installation's cache), and a later
   * new folder for the same migrations starts as a copy of it, so a first start does not spend
   * seconds on DDL, nor half a second finding each set applied.
   */
  migrateAll(sets: readonly MigrateOptions[]): Promise<void>;
  /**
   * Try to take a session-level advisory lock named `key`: held until released or the
   * session ends, which {@link HeldLock.held} tells. Null when another session holds it. The locks
   * live on one connection of their own (never a pooled one, which a restart would silently
   * replace). PGlite has one session, so it always succeeds.
   */
  tryLock(key: string): Promise<HeldLock | null>;
  /**
   * Receive the payloads of `NOTIFY channel` (sent with `pg_notify` inside a transaction, so they
   * arrive once it commits, from every process on the database). `onListen` is called each time
   * the listening session is (re)established: notifications sent while it was down are lost.
   * Returns the way to stop.
   */
  listen(channel: string, onPayload: (payload: string) => void, onListen?: () => void): Promise<{ unlisten(): Promise<void> }>;
  close(): Promise<void>;
}

/** The memory a reporting statement may hash and sort in before it spills to disk (see {@link Database.reportRows}). */
export const REPORT_WORK_MEM = '32MB';

/** How a database is opened. */
export interface OpenOptions {
  poolSize?: number;
  /** Told of every statement sent to a PostgreSQL server (its text), for counting them in tests and benchmarks. */
  onStatement?: (text: string) => void;
  /** Where a new PGlite folder's template and migrated snapshots are kept (the installation's cache, `TEMPLATE_ROOT` of pglite-folder.ts, unless given). */
  pgliteTemplates?: string;
  /**
   * PGlite: open the folder with {@link Database.migrateAll} (or the first statement) rather than
   * now, so a new folder can start as a migrated snapshot. `db` throws until then.
   */
  deferOpen?: boolean;
}

/** Connect to PostgreSQL or open PGlite, by configuration. */
export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<Database> {
  return 'url' in config ? openPostgres(config.url, options.poolSize ?? 10, options.onStatement, sslOption(config.tls)) : openPglite(config.dataDir, options);
}

/** The folder to migrate from: the given one, or a copy with the schema renamed. */
async function migrationsFolder({ folder, renameSchema }: MigrateOptions): Promise<string> {
  if (!renameSchema) return folder;
  if (!/^[a-z_][a-z0-9_]*$/.test(renameSchema.to)) throw new Error(`not a plain schema name: ${renameSchema.to}`);
  const copy = await mkdtemp(join(tmpdir(), `migrations-${renameSchema.to}-`));
  await mkdir(join(copy, 'meta'));
  await copyFile(join(folder, 'meta', '_journal.json'), join(copy, 'meta', '_journal.json'));
  for (const file of await readdir(folder)) {
    if (!file.endsWith('.sql')) continue;
    const text = await readFile(join(folder, file), 'utf8');
    await writeFile(join(copy, file), text.replaceAll(`"${renameSchema.from}"`, `"${renameSchema.to}"`));
  }
  return copy;
}

function rowsFrom<T>(result: unknown): T[] {
  // postgres.js returns the rows array itself; PGlite returns { rows }.
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * The client drizzle is given: every statement with parameters goes as a named prepared statement,
 * kept per connection by its text and types (postgres.js prepares it again after a schema change
 * and drops them with the connection). drizzle prepares only queries given a name; parsing and
 * planning every statement afresh cost about three times the CPU of a prepared primary-key read.
 */
export function preparing<S extends postgres.Sql | postgres.TransactionSql>(client: S): S {
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === 'unsafe') return (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) => target.unsafe(query, params, { ...options, prepare: true });
      if (key === 'begin' || key === 'savepoint') {
        return (...args: unknown[]) => {
          const fn = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return (Reflect.get(target, key, receiver) as (...a: unknown[]) => unknown).apply(target, [...args, (tx: postgres.TransactionSql) => fn(preparing(tx))]);
        };
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

async function openPostgres(url: string, poolSize: number, onStatement: ((text: string) => void) | undefined, ssl: ReturnType<typeof sslOption>): Promise<Database> {
  const secured = ssl ? { ssl } : {};
  const client = postgres(url, { ...secured, max: poolSize, onnotice: () => {}, connection: { application_name: 'five-bed-linkage' }, ...(onStatement ? { debug: (_connection: number, text: string) => onStatement(text) } : {}) });
  const db = drizzlePostgres(preparing(client)) as unknown as Db;
  // The same pool, its statements sent unnamed: planned for their values each time.
  const unprepared = drizzlePostgres(client) as unknown as Db;
  // One connection for advisory locks, opened on first use; `generation` counts its ends, so a
  // lock taken before an end is known lost without asking.
  let locks: { client: postgres.Sql; generation: number } | undefined;
  /** The locks this process holds, by key, with the generation of the session that took them. */
  const taken = new Map<string, number>();
  const lockSession = () => {
    if (!locks) {
      const session: { client: postgres.Sql; generation: number } = {
        generation: 0,
        client: postgres(url, { ...secured, max: 1, onnotice: () => {}, onclose: () => void (session.generation += 1), connection: { application_name: 'five-bed-linkage-locks' } }),
      };
      locks = session;
    }
    return locks;
  };
  const migrate = async (options: MigrateOptions) => {
    const { table } = options;
    const folder = await migrationsFolder(options);
    // A one-connection client holds a session lock so replicas starting together migrate one at a time.
    const single = postgres(url, { ...secured, max: 1, onnotice: () => {} });
    try {
      await single`select pg_advisory_lock(hashtextextended(${'migrate:' + table}, 0))`;
      await migratePostgres(drizzlePostgres(single), { migrationsFolder: folder, migrationsSchema: 'drizzle', migrationsTable: table });
    } finally {
      await single.end({ timeout: 5 });
      if (folder !== options.folder) await rm(folder, { recursive: true, force: true });
    }
  };
  return {
    kind: 'postgres',
    db,
    transaction: (fn) => db.transaction(fn),
    rows: async (executor, statement) => rowsFrom(await executor.execute(statement)),
    reportRows: (statement) =>
      unprepared.transaction(
        async (tx) => {
          await tx.execute(sql.raw(`set local max_parallel_workers_per_gather = 0; set local work_mem = '${REPORT_WORK_MEM}'`));
          return rowsFrom(await tx.execute(statement));
        },
        { accessMode: 'read only' },
      ),
    ping: async () => {
      await client`select 1`;
    },
    migrate,
    migrateAll: async (sets) => {
      for (const set of sets) await migrate(set);
    },
    tryLock: async (key) => {
      const session = lockSession();
      // Advisory locks are re-entrant within a session: this process's own holder is asked first.
      const generation = session.generation;
      if (taken.get(key) === generation) return null;
      taken.set(key, generation);
      const [row] = await session.client<{ locked: boolean; pid: number }[]>`select pg_try_advisory_lock(hashtextextended(${key}, 0)) as locked, pg_backend_pid() as pid`.catch((error: unknown) => {
        taken.delete(key);
        throw error;
      });
      if (!row?.locked) {
        taken.delete(key);
        return null;
      }
      const pid = row.pid;
      // The same session, and the lock still in its hands: a reconnected session has another pid and no lock.
      const held = async () => {
        if (session.generation !== generation || taken.get(key) !== generation) return false;
        try {
          const [check] = await session.client<{ held: boolean }[]>`select pg_backend_pid() = ${pid} and exists(
              select 1 from pg_locks where locktype = 'advisory' and pid = pg_backend_pid() and granted and objsubid = 1
                and ((classid::bigint << 32) | objid::bigint) = hashtextextended(${key}, 0)) as held`;
          return check?.held === true && session.generation === generation;
        } catch {
          return false;
        }
      };
      return {
        held,
        release: async () => {
          if (taken.get(key) !== generation) return;
          if (await held()) await session.client`select pg_advisory_unlock(hashtextextended(${key}, 0))`.catch(() => undefined);
          if (taken.get(key) === generation) taken.delete(key);
        },
      };
    },
    listen: async (channel, onPayload, onListen) => {
      // postgres.js listens on a connection of its own and listens again after reconnecting.
      const request = await client.listen(channel, onPayload, onListen);
      return { unlisten: () => request.unlisten() };
    },
    close: async () => {
      await locks?.client.end({ timeout: 5 });
      await client.end({ timeout: 5 });
    },
  };
}

async function openPglite(dataDir: string, options: OpenOptions): Promise<Database> {
  const templates = options.pgliteTemplates ?? TEMPLATE_ROOT;
  let current: { client: PGlite; db: Db } | undefined;
  /** How the folder began at this open: a new folder from the empty template may be kept as a migrated snapshot. */
  let start: FolderStart | undefined;
  let opening: Promise<{ client: PGlite; db: Db }> | undefined;
  const connect = async () => {
    const client = dataDir === 'memory' ? new PGlite() : new PGlite(dataDir);
    await client.waitReady;
    current = { client, db: drizzlePglite(leanPglite(client)) as unknown as Db };
    return current;
  };
  /** Open the folder (once), a new one from the migrated snapshot `snapshot` when there is one. */
  const open = (snapshot?: string) =>
    (opening ??= (async () => {
      if (dataDir !== 'memory') start = await preparePgliteFolder(dataDir, templates, snapshot);
      return connect();
    })());
  const ready = async () => current ?? open();
  if (!options.deferOpen) await open();
  const migrateOne = async (options: MigrateOptions) => {
    const { client } = await ready();
    const folder = await migrationsFolder(options);
    try {
      await migratePglite(drizzlePglite(leanPglite(client)), { migrationsFolder: folder, migrationsSchema: 'drizzle', migrationsTable: options.table });
    } finally {
      if (folder !== options.folder) await rm(folder, { recursive: true, force: true });
    }
  };
  return {
    kind: 'pglite',
    get db() {
      if (!current) throw new Error('the embedded database opens with its migrations (migrateAll) or its first statement; nothing was run on it yet');
      return current.db;
    },
    transaction: async (fn) => (await ready()).db.transaction(fn),
    rows: async (executor, statement) => rowsFrom(await executor.execute(statement)),
    reportRows: async (statement) => rowsFrom(await (await ready()).db.execute(statement)),
    ping: async () => {
      await (await ready()).client.query('select 1');
    },
    migrate: migrateOne,
    migrateAll: async (sets) => {
      const key = dataDir === 'memory' ? undefined : await migrationsKey(sets);
      // Only a folder these migrations open, before anything else ran on it, holds nothing but them.
      const first = opening === undefined;
      await open(key);
      // A new folder copied from the snapshot of exactly these migrations (the key hashes their
      // files) holds them all, applied and recorded: running them would only find that out.
      if (!(first && start === 'snapshot')) for (const set of sets) await migrateOne(set);
      // A new folder migrated from the empty template: kept (closed meanwhile) for the next new folder.
      if (first && key !== undefined && start === 'template' && current) {
        await current.client.close();
        // A cache: where it cannot be written (a read-only installation), new folders are migrated as before.
        await saveSnapshot(dataDir, key, templates).catch(() => undefined);
        start = 'existing';
        await connect();
      }
    },
    tryLock: async () => {
      const { client } = await ready();
      return { held: async () => !client.closed && current?.client === client, release: async () => {} };
    },
    listen: async (channel, onPayload, onListen) => {
      // PGlite runs in this process: its one session never drops.
      const { client } = await ready();
      const stop = await client.listen(channel, onPayload);
      onListen?.();
      return { unlisten: () => (client.closed ? Promise.resolve() : stop()) };
    },
    close: async () => {
      if (current && !current.client.closed) await current.client.close();
    },
  };
}
