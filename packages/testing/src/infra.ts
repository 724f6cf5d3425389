/**
 * Finds or starts the Kafka broker and PostgreSQL server that integration and e2e tests need.
 * For each, independently, the first that works wins:
 *   1. an env var (`KAFKA_BROKERS` / `DATABASE_URL`) pointing at a running one;
 *   2. a container via testcontainers, when a container runtime answers `docker info`;
 *   3. the scripts in `infra/` (java + mvn for Kafka, the PostgreSQL server binaries for Postgres);
 *   4. otherwise skipped, loudly; under `CI` an error instead, because CI must never skip.
 */
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where a piece of infrastructure came from. */
export type InfraSource = 'env' | 'testcontainers' | 'infra script' | 'skipped';

/** A piece of infrastructure for the test run, and how to release it. */
export interface InfraHandle {
  name: 'Kafka' | 'Postgres';
  source: InfraSource;
  /** `KAFKA_BROKERS` / `DATABASE_URL` value; `''` when skipped. */
  value: string;
  /** Why it is skipped; `''` otherwise. */
  skipReason: string;
  /** Stops what this process started; does nothing for `env` and `skipped`. */
  stop(): Promise<void>;
}

const KAFKA_SCRIPT = fileURLToPath(new URL('../../../infra/kafka/kafka.sh', import.meta.url));
const POSTGRES_SCRIPT = fileURLToPath(new URL('../../../infra/postgres/postgres.sh', import.meta.url));
const noop = async (): Promise<void> => {};

/** Kafka for the test run: `KAFKA_BROKERS`, else testcontainers, else `infra/kafka/kafka.sh`. */
export async function provideKafka(): Promise<InfraHandle> {
  const fromEnv = process.env.KAFKA_BROKERS;
  if (fromEnv) return { name: 'Kafka', source: 'env', value: fromEnv, skipReason: '', stop: noop };
  if (await containerRuntimeAvailable()) {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const container = await new KafkaContainer('confluentinc/cp-kafka:7.6.1').withKraft().start();
    const value = `${container.getHost()}:${container.getMappedPort(9093)}`;
    const stop = async (): Promise<void> => {
      await container.stop();
    };
    return { name: 'Kafka', source: 'testcontainers', value, skipReason: '', stop };
  }
  if (hasCommand('java') && hasCommand('mvn')) {
    const stateDir = await mkdtemp(join(tmpdir(), 'fbl-kafka-'));
    const { value, stop } = await startScript(KAFKA_SCRIPT, stateDir, 'KAFKA_BROKERS', {
      KAFKA_STATE_DIR: stateDir,
      KAFKA_PORT: process.env.KAFKA_PORT ?? String(await freePort()),
      KAFKA_CONTROLLER_PORT: process.env.KAFKA_CONTROLLER_PORT ?? String(await freePort()),
      KAFKA_OWNER_PID: String(process.pid),
      KAFKA_STATE_DIR_REMOVE: '1',
    });
    return { name: 'Kafka', source: 'infra script', value, skipReason: '', stop };
  }
  return unavailable('Kafka', 'FBL_SKIP_KAFKA', 'no KAFKA_BROKERS, no container runtime, no java+mvn');
}

/** PostgreSQL for the test run: `DATABASE_URL`, else testcontainers, else `infra/postgres/postgres.sh`. */
export async function providePostgres(): Promise<InfraHandle> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) return { name: 'Postgres', source: 'env', value: fromEnv, skipReason: '', stop: noop };
  if (await containerRuntimeAvailable()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:16-alpine').start();
    const value = container.getConnectionUri();
    const stop = async (): Promise<void> => {
      await container.stop();
    };
    return { name: 'Postgres', source: 'testcontainers', value, skipReason: '', stop };
  }
  if (postgresBinariesAvailable()) {
    const stateDir = await mkdtemp(join(tmpdir(), 'fbl-postgres-'));
    const { value, stop } = await startScript(POSTGRES_SCRIPT, stateDir, 'DATABASE_URL', {
      PG_STATE_DIR: stateDir,
      PG_PORT: process.env.PG_PORT ?? String(await freePort()),
      PG_OWNER_PID: String(process.pid),
      PG_STATE_DIR_REMOVE: '1',
    });
    return { name: 'Postgres', source: 'infra script', value, skipReason: '', stop };
  }
  return unavailable(
    'Postgres',
    'FBL_SKIP_POSTGRES',
    'no DATABASE_URL, no container runtime, no PostgreSQL server binaries (initdb, pg_ctl)',
  );
}

/** Skips loudly outside CI; throws under CI, where a skipped integration test would hide a gap. */
function unavailable(name: InfraHandle['name'], skipVar: string, reason: string): InfraHandle {
  if (process.env.CI) {
    throw new Error(`${name} is required in CI but unavailable: ${reason}. CI must never skip these tests.`);
  }
  process.stderr.write(`!!! SKIPPING ${name} tests: ${reason}\n`);
  process.env[skipVar] = reason;
  return { name, source: 'skipped', value: '', skipReason: reason, stop: noop };
}

let runtimeCheck: Promise<boolean> | undefined;

/** True when `docker info` exits 0 within 5 s (checked once per process). */
export function containerRuntimeAvailable(): Promise<boolean> {
  runtimeCheck ??= new Promise((resolve) => {
    execFile('docker', ['info'], { timeout: 5_000 }, (error) => {
      resolve(!error);
    });
  });
  return runtimeCheck;
}

export function hasCommand(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => isExecutable(join(dir, name)));
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Mirrors the script's lookup: PG_BINDIR, PATH, then /usr/lib/postgresql/<version>/bin. */
export function postgresBinariesAvailable(): boolean {
  const found = (dir: string) => isExecutable(join(dir, 'initdb')) && isExecutable(join(dir, 'pg_ctl'));
  if (process.env.PG_BINDIR) return found(process.env.PG_BINDIR);
  if (hasCommand('initdb') && hasCommand('pg_ctl')) return true;
  const root = '/usr/lib/postgresql';
  return existsSync(root) && readdirSync(root).some((version) => found(join(root, version, 'bin')));
}

/** An ephemeral port the OS says is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/**
 * Starts an infra script whose state lives in `stateDir`; `stop` runs `script stop` with the same
 * env. The env also reaches the script's watchdog (`*_OWNER_PID`), which stops the server and
 * removes the state dir if this process dies without running the teardown.
 * A failed start removes the state dir (its logs were already shown on stderr).
 */
async function startScript(
  script: string,
  stateDir: string,
  key: string,
  env: Record<string, string>,
): Promise<{ value: string; stop: () => Promise<void> }> {
  try {
    const value = await runScript(script, 'start', env, key);
    const stop = async (): Promise<void> => {
      await runScript(script, 'stop', env);
    };
    return { value, stop };
  } catch (error) {
    await rm(stateDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Runs `bash script command` with extra env; its stderr passes through. With `key`, resolves the
 * value of the `key=value` line the script prints on stdout.
 */
export function runScript(script: string, command: string, env: Record<string, string>, key?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script, command], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${script} ${command} exited with code ${String(code)}`));
        return;
      }
      if (!key) {
        resolve('');
        return;
      }
      const line = stdout.split('\n').find((l) => l.startsWith(`${key}=`));
      if (line) resolve(line.slice(key.length + 1).trim());
      else reject(new Error(`${script} ${command} printed no ${key}= line`));
    });
  });
}
