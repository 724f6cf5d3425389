/**
 * A Kafka broker or PostgreSQL server of a test's own, started from the `infra/` scripts, that
 * the test may stop and start again (same port, same data) to inject faults without touching the
 * servers the rest of the run shares.
 */
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, hasCommand, postgresBinariesAvailable, runScript } from './infra.js';

const KAFKA_SCRIPT = fileURLToPath(new URL('../../../infra/kafka/kafka.sh', import.meta.url));
const POSTGRES_SCRIPT = fileURLToPath(new URL('../../../infra/postgres/postgres.sh', import.meta.url));

/** A server a test owns: its address, and stop/start that keep its port and data. */
export interface PrivateServer {
  /** `KAFKA_BROKERS` / `DATABASE_URL` value. */
  readonly value: string;
  /**
   * The whole environment a client needs, as the script wrote it: the address, and with TLS the
   * CA file and (Kafka) the SASL account (`KAFKA_SSL`, `KAFKA_SSL_CA`, `KAFKA_SASL_*`, `DATABASE_SSLMODE`, `DATABASE_SSLROOTCERT`).
   */
  readonly env: Record<string, string>;
  /** The state folder (certificates under `tls/`). */
  readonly stateDir: string;
  /** Stop the server (data kept). */
  stop(): Promise<void>;
  /** Start it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stop it and remove its data. */
  remove(): Promise<void>;
}

/** Why private servers cannot be started here; `''` when they can. */
export function privateServersUnavailable(): string {
  if (!(hasCommand('java') && hasCommand('mvn'))) return 'no java and mvn for a private Kafka broker';
  if (!postgresBinariesAvailable()) return 'no PostgreSQL server binaries for a private server';
  return '';
}

async function privateServer(script: string, key: string, env: Record<string, string>, stateDir: string): Promise<PrivateServer> {
  const full = { ...env, ...(key === 'KAFKA_BROKERS' ? { KAFKA_OWNER_PID: String(process.pid) } : { PG_OWNER_PID: String(process.pid) }) };
  let value: string;
  try {
    value = await runScript(script, 'start', full, key);
  } catch (error) {
    await rm(stateDir, { recursive: true, force: true });
    throw error;
  }
  let running = true;
  const written = await readFile(join(stateDir, 'env'), 'utf8');
  const clientEnv = Object.fromEntries(written.split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  return {
    value,
    env: clientEnv,
    stateDir,
    stop: async () => {
      await runScript(script, 'stop', env);
      running = false;
    },
    start: async () => {
      await runScript(script, 'start', full, key);
      running = true;
    },
    remove: async () => {
      if (running) await runScript(script, 'stop', env).catch(() => undefined);
      running = false;
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** Distinct free ports. */
async function freePorts(count: number): Promise<string[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports].map(String);
}

/** A single-node Kafka broker of the caller's own; with `tls`, clients connect over SASL_SSL (SCRAM-SHA-256) only. */
export async function startPrivateKafka(options: { tls?: boolean } = {}): Promise<PrivateServer> {
  const stateDir = await mkdtemp(join(tmpdir(), 'fbl-private-kafka-'));
  const [port, controller, internal] = await freePorts(3);
  // The data stays across stop and start whatever the caller's environment says (CI asks its own servers' scripts to remove theirs).
  const env = { KAFKA_STATE_DIR: stateDir, KAFKA_PORT: port!, KAFKA_CONTROLLER_PORT: controller!, KAFKA_STATE_DIR_REMOVE: '', ...(options.tls ? { KAFKA_TLS: '1', KAFKA_INTERNAL_PORT: internal! } : {}) };
  return privateServer(KAFKA_SCRIPT, 'KAFKA_BROKERS', env, stateDir);
}

/** A PostgreSQL server of the caller's own; with `tls`, TCP connections must use TLS. */
export async function startPrivatePostgres(options: { tls?: boolean } = {}): Promise<PrivateServer> {
  const stateDir = await mkdtemp(join(tmpdir(), 'fbl-private-postgres-'));
  // As root the server runs as the postgres user, which must reach its folder.
  await chmod(stateDir, 0o755);
  return privateServer(POSTGRES_SCRIPT, 'DATABASE_URL', { PG_STATE_DIR: stateDir, PG_PORT: String(await freePort()), PG_STATE_DIR_REMOVE: '', ...(options.tls ? { PG_TLS: '1' } : {}) }, stateDir);
}
