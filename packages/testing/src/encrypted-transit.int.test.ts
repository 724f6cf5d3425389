import { openDatabase, type Database } from '@fbl/db';
import { createKafkaBus, type Bus, type DeliveredRecord } from '@fbl/messaging';
import { createLogger } from '@fbl/observability';
import { ConfigError, readProcessConfig } from '@fbl/service-kit';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCommand } from './infra.js';
import { privateServersUnavailable, startPrivateKafka, startPrivatePostgres, type PrivateServer } from './private-servers.js';
import { waitFor } from './index.js';

const missing = privateServersUnavailable() || (hasCommand('openssl') ? '' : 'no openssl to make the test certificates');
if (missing && process.env['CI']) throw new Error(`private servers with TLS are required in CI: ${missing}`);

const MAKE_CERTS = fileURLToPath(new URL('../../../infra/tls/make-certs.sh', import.meta.url));
const logger = createLogger({ name: 'encrypted-transit-test', level: 'silent' });

/**
 * Encryption in transit as configuration: a process configured from the environment the servers'
 * scripts write (DATABASE_SSLMODE=verify-full with the CA, KAFKA_SSL with the CA and a SCRAM
 * account) reaches PostgreSQL over TLS and Kafka over SASL_SSL, while a client without TLS, one
 * trusting another authority, or one with a wrong password is refused.
 */
describe.skipIf(missing !== '')('encryption in transit', () => {
  let pg: PrivateServer;
  let kafka: PrivateServer;
  let otherCa: string;
  const opened: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    [pg, kafka] = await Promise.all([startPrivatePostgres({ tls: true }), startPrivateKafka({ tls: true })]);
    otherCa = await mkdtemp(join(tmpdir(), 'fbl-other-ca-'));
    execFileSync('bash', [MAKE_CERTS, otherCa], { stdio: 'ignore' });
  }, 240_000);
  afterAll(async () => {
    for (const o of opened) await o.close().catch(() => undefined);
    await Promise.all([pg?.remove(), kafka?.remove()]);
    if (otherCa) await rm(otherCa, { recursive: true, force: true });
  });

  it('reads TLS and SASL settings from the environment the scripts write', () => {
    expect(pg.env).toMatchObject({ DATABASE_SSLMODE: 'verify-full', DATABASE_SSLROOTCERT: join(pg.stateDir, 'tls/ca.pem') });
    expect(kafka.env).toMatchObject({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-256' });
    const config = readProcessConfig({ ...pg.env, ...kafka.env }, { port: 0 });
    expect(config.database).toMatchObject({ url: pg.value, tls: { mode: 'verify-full', ca: expect.stringContaining('-----BEGIN CERTIFICATE-----') } });
    expect(config.kafka).toMatchObject({ ssl: { ca: expect.stringContaining('-----BEGIN CERTIFICATE-----') }, sasl: { mechanism: 'scram-sha-256', username: 'fbl' } });
  });

  it('talks to PostgreSQL over TLS, checking the server against the configured authority', async () => {
    const config = readProcessConfig(pg.env, { port: 0 });
    const database: Database = await openDatabase(config.database);
    opened.push(database);
    const [row] = await database.rows<{ ssl: boolean; version: string }>(database.db, sql`select ssl, version from pg_stat_ssl where pid = pg_backend_pid()`);
    expect(row).toMatchObject({ ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/) });
    const lock = await database.tryLock('encrypted-transit');
    expect(lock).not.toBeNull();
    await lock!.release();
  }, 60_000);

  it('is refused by PostgreSQL without TLS, and refuses a server another authority signed', async () => {
    const plain = await openDatabase({ url: pg.value });
    opened.push(plain);
    await expect(plain.ping()).rejects.toThrow(/no encryption|pg_hba/);
    const stranger = await openDatabase(readProcessConfig({ ...pg.env, DATABASE_SSLROOTCERT: join(otherCa, 'ca.pem') }, { port: 0 }).database);
    opened.push(stranger);
    await expect(stranger.ping()).rejects.toThrow(/certificate/i);
  }, 60_000);

  it('publishes and consumes over SASL_SSL with the configured account', async () => {
    const { kafka: settings } = readProcessConfig(kafka.env, { port: 0 });
    const bus: Bus = await createKafkaBus({ brokers: settings!.brokers, clientId: 'encrypted-transit', logger, ...(settings!.ssl ? { ssl: settings!.ssl } : {}), ...(settings!.sasl ? { sasl: settings!.sasl } : {}) });
    opened.push(bus);
    const topic = 'transit.events';
    await bus.ensureTopics([topic]);
    const received: DeliveredRecord[] = [];
    await bus.subscribe({ group: 'transit', topics: [topic], handle: async (r) => void received.push(r) });
    await bus.publish([{ topic, key: 'k', value: 'sealed in transit', headers: {} }]);
    await waitFor(() => received.some((r) => r.value === 'sealed in transit'), { what: 'the record back over SASL_SSL', timeoutMs: 120_000 });
  }, 180_000);

  it('is refused by Kafka with a wrong password', async () => {
    const { kafka: settings } = readProcessConfig({ ...kafka.env, KAFKA_SASL_PASSWORD: 'not-the-password' }, { port: 0 });
    await expect(createKafkaBus({ brokers: settings!.brokers, clientId: 'encrypted-transit-wrong', logger, ssl: settings!.ssl!, sasl: settings!.sasl! })).rejects.toThrow(/SASL|authentication/i);
  }, 180_000);

  it('refuses settings that would send secrets in the clear or do nothing', () => {
    const base = { DATABASE_URL: 'postgres://x@127.0.0.1:5432/x', KAFKA_BROKERS: '127.0.0.1:9092' };
    expect(() => readProcessConfig({ ...base, KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }, { port: 0 })).toThrow(/plain.*KAFKA_SSL=true/);
    expect(() => readProcessConfig({ ...base, KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u' }, { port: 0 })).toThrow(/go together/);
    expect(() => readProcessConfig({ ...base, KAFKA_SSL_CA: join(pg.stateDir, 'tls/ca.pem') }, { port: 0 })).toThrow(/need KAFKA_SSL=true/);
    expect(() => readProcessConfig({ DATA_DIR: 'memory', DATABASE_SSLMODE: 'require' }, { port: 0 })).toThrow(/embedded database/);
    expect(() => readProcessConfig({ ...base, DATABASE_SSLMODE: 'verify-full', DATABASE_SSLROOTCERT: '/no/such/ca.pem' }, { port: 0 })).toThrow(ConfigError);
    expect(() => readProcessConfig({ ...base, DATABASE_SSLMODE: 'verify-full', DATABASE_SSLROOTCERT: '/no/such/ca.pem' }, { port: 0 })).toThrow(/DATABASE_SSLROOTCERT \/no\/such\/ca\.pem cannot be read/);
    expect(() => readProcessConfig({ ...base, DATABASE_SSLMODE: 'sometimes' }, { port: 0 })).toThrow(/DATABASE_SSLMODE/);
  });
});
