/**
 * What PostgreSQL did for each service's database during a run, from `pg_stat_database`:
 * commits, rollbacks and rows read and written. Statistics reach the view within about a second
 * of a transaction's end, so read them after a short pause.
 */
import { readFileSync } from 'node:fs';
import postgres from 'postgres';

const COLUMNS = ['xact_commit', 'xact_rollback', 'tup_returned', 'tup_fetched', 'tup_inserted', 'tup_updated', 'tup_deleted'] as const;
type Counters = Record<(typeof COLUMNS)[number], number>;

async function read(serverUrl: string, databases: Record<string, string>): Promise<Record<string, Counters>> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    // Ask for fresh numbers rather than the snapshot cached for this transaction.
    await sql`select pg_stat_clear_snapshot()`;
    const rows = await sql<({ datname: string } & Record<string, string>)[]>`
      select datname, xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted
      from pg_stat_database where datname in ${sql(Object.values(databases))}`;
    const out: Record<string, Counters> = {};
    for (const [service, name] of Object.entries(databases)) {
      const row = rows.find((r) => r.datname === name);
      out[service] = Object.fromEntries(COLUMNS.map((c) => [c, Number(row?.[c] ?? 0)])) as Counters;
    }
    return out;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Scans per access path of one database: each table's sequential scans and each index's scans, with rows (index entries) read. */
async function accessPaths(databaseUrl: string): Promise<Map<string, { scans: number; rowsRead: number }>> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ path: string; scans: string; rows_read: string }[]>`
      select 'seq ' || schemaname || '.' || relname as path, seq_scan as scans, seq_tup_read as rows_read from pg_stat_user_tables
      union all
      select 'index ' || schemaname || '.' || indexrelname, idx_scan, idx_tup_read from pg_stat_user_indexes`;
    return new Map(rows.map((r) => [r.path, { scans: Number(r.scans ?? 0), rowsRead: Number(r.rows_read ?? 0) }]));
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Snapshot the counters now; `stop(per)` answers the differences divided by `per` (e.g. per
 * lifecycle): transactions and rows of each database, and its three access paths (sequential
 * scan of a table, or an index) with the most rows or index entries (dead ones included) read.
 */
export async function pgActivity(serverUrl: string, databases: Record<string, { name: string; url: string }>): Promise<{ stop(per: number): Promise<Record<string, Record<string, unknown>>> }> {
  const names = Object.fromEntries(Object.entries(databases).map(([service, d]) => [service, d.name]));
  const before = await read(serverUrl, names);
  const pathsBefore = Object.fromEntries(await Promise.all(Object.entries(databases).map(async ([service, d]) => [service, await accessPaths(d.url)] as const)));
  const r = (n: number) => Math.round(n * 10) / 10;
  return {
    async stop(per: number) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const after = await read(serverUrl, names);
      const out: Record<string, Record<string, unknown>> = {};
      for (const [service, d] of Object.entries(databases)) {
        const counters: Record<string, unknown> = Object.fromEntries(COLUMNS.map((c) => [c, r((after[service]![c] - before[service]![c]) / per)]));
        const paths = await accessPaths(d.url);
        counters['mostReadPaths'] = Object.fromEntries(
          [...paths]
            .map(([path, p]) => {
              const b = pathsBefore[service]!.get(path) ?? { scans: 0, rowsRead: 0 };
              return [path, { scans: r((p.scans - b.scans) / per), rowsRead: r((p.rowsRead - b.rowsRead) / per) }] as const;
            })
            .sort((a, b) => b[1].rowsRead - a[1].rowsRead)
            .slice(0, 3),
        );
        out[service] = counters;
      }
      return out;
    },
  };
}

/** The postmaster of the PostgreSQL server at `serverUrl` when it runs on this machine (its backends are its children). */
export async function postmasterPid(serverUrl: string): Promise<number | undefined> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
    const stat = readFileSync(`/proc/${row!.pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return readFileSync(`/proc/${ppid}/comm`, 'utf8').trim().startsWith('postgres') ? ppid : undefined;
  } catch {
    return undefined;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
