/**
 * The machine's own PostgreSQL yardstick: single-row insert commits per second in autocommit,
 * with pgbench when it is installed, otherwise a loop over postgres.js.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { accessSync, constants } from 'node:fs';
import postgres from 'postgres';

/** One yardstick measurement. */
export interface Yardstick {
  clients: number;
  commitsPerSecond: number;
  seconds: number;
  tool: 'pgbench' | 'postgres.js loop';
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Create the yardstick's table in the throwaway database. */
export async function prepareYardstick(databaseUrl: string): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`create table if not exists bench_yardstick (id bigserial primary key, v bigint not null)`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Insert commits per second with `clients` connections for about `seconds`. */
export async function measureYardstick(databaseUrl: string, clients: number, seconds: number): Promise<Yardstick> {
  const pgbench = process.env['BENCH_YARDSTICK'] === 'loop' ? undefined : onPath('pgbench');
  if (pgbench) {
    const rate = await viaPgbench(pgbench, databaseUrl, clients, seconds).catch((error: unknown) => {
      process.stderr.write(`[bench] pgbench failed (${error instanceof Error ? error.message : String(error)}); using the loop\n`);
      return undefined;
    });
    if (rate !== undefined) return { clients, commitsPerSecond: rate, seconds, tool: 'pgbench' };
  }
  return { clients, commitsPerSecond: await viaLoop(databaseUrl, clients, seconds), seconds, tool: 'postgres.js loop' };
}

async function viaPgbench(pgbench: string, databaseUrl: string, clients: number, seconds: number): Promise<number> {
  const url = new URL(databaseUrl);
  const dir = await mkdtemp(join(tmpdir(), 'fbl-bench-pgbench-'));
  const script = join(dir, 'insert.sql');
  await writeFile(script, '\\set v random(1, 1000000000)\ninsert into bench_yardstick(v) values (:v);\n');
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        pgbench,
        ['-n', '-M', 'prepared', '-c', String(clients), '-j', String(clients), '-T', String(seconds), '-f', script, '-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres'), decodeURIComponent(url.pathname.slice(1))],
        { env: { ...process.env, ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}) }, timeout: (seconds + 30) * 1000 },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      );
    });
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout) ?? /tps = ([\d.]+)/.exec(stdout);
    if (!tps) throw new Error(`no tps in pgbench output:\n${stdout}`);
    return Number(tps[1]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function viaLoop(databaseUrl: string, clients: number, seconds: number): Promise<number> {
  const sql = postgres(databaseUrl, { max: clients, onnotice: () => {} });
  try {
    await Promise.all(Array.from({ length: clients }, () => sql`select 1`));
    let commits = 0;
    const started = performance.now();
    const until = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < until) {
          await sql`insert into bench_yardstick(v) values (${Math.floor(Math.random() * 1e9)})`;
          commits += 1;
        }
      }),
    );
    return commits / ((performance.now() - started) / 1000);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
