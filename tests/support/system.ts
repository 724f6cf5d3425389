import type { TokenKey } from '@fbl/auth';
import { createTestDatabase, kafkaBrokers, type TestDatabase } from '@fbl/testing';
import { randomBytes } from 'node:crypto';
import { startService, type ServiceProcess } from './processes.js';

/** A service of the distributed system, by name. */
export type ServiceName = 'care-beds' | 'medical-beds' | 'home-care-beds' | 'home-sick-beds' | 'hospice-beds' | 'referral-workflow' | 'civil-affairs' | 'medical-insurance' | 'monitoring';

/** The distributed system started by a test: each service its own process and database, one gateway. */
export interface DistributedSystem {
  url: string;
  /** The secret every service verifies tokens with (sign test tokens with it). */
  authSecret: TokenKey;
  namespace: string;
  processes: Map<string, ServiceProcess>;
  /** The database URL of a service, or of the gateway (its accounts and sessions). */
  databaseUrl(name: ServiceName | 'gateway'): string;
  /**
   * Stop a process (SIGTERM unless `signal` says otherwise) and start it again on the same
   * database and port; returns the new process. `key` is a service name or a replica's key
   * (`referral-workflow#1`) as in {@link processes}.
   */
  restart(key: ServiceName | `${ServiceName}#${number}`, between?: () => Promise<void>, signal?: NodeJS.Signals): Promise<ServiceProcess>;
  /** Start one more instance of a service on the same database (a replica). */
  replica(name: ServiceName): Promise<ServiceProcess>;
  stop(): Promise<(number | null)[]>;
}

/**
 * Start services as separate processes over the real Kafka broker and PostgreSQL server of the
 * test run, under a Kafka namespace of their own so runs sharing a broker never meet.
 */
export async function startDistributedSystem(
  services: ServiceName[],
  env: Partial<Record<ServiceName, Record<string, string>>> = {},
  /** Settings every process gets, the gateway too (an external identity provider, say). */
  shared: Record<string, string> = {},
  /** Servers of the test's own instead of the run's shared ones (a test that stops and starts them). */
  servers: { brokers?: string; databaseServerUrl?: string } = {},
): Promise<DistributedSystem> {
  const namespace = `t-${randomBytes(4).toString('hex')}`;
  // One token secret for the whole deployment, as AUTH_SECRET in docker-compose.
  const authSecret = Object.values(env).find((e) => e?.['AUTH_SECRET'])?.['AUTH_SECRET'] ?? randomBytes(24).toString('base64url');
  // Keys for personal and health data, for the services that keep it (a service's own env may name others).
  const dataKeys = { PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'), PII_HASH_KEY: randomBytes(32).toString('base64') };
  const brokers = servers.brokers ?? kafkaBrokers().join(',');
  const databases = new Map<ServiceName, TestDatabase>();
  for (const name of services) databases.set(name, await createTestDatabase(`e2e_${name.replaceAll('-', '_')}`, servers.databaseServerUrl));
  const launch = (name: ServiceName, extra: Record<string, string> = {}) =>
    startService(name, `services/${name}/src/main.ts`, { DATABASE_URL: databases.get(name)!.url, KAFKA_BROKERS: brokers, KAFKA_NAMESPACE: namespace, AUTH_SECRET: authSecret, ...dataKeys, ...shared, ...(env[name] ?? {}), ...extra });
  const processes = new Map<string, ServiceProcess>();
  // Started together, as a deployment would: they create their topics concurrently.
  const settled = await Promise.allSettled(services.map((name) => launch(name)));
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) {
    // Leave nothing running behind a failed start.
    await Promise.all(settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value.stop('SIGKILL')] : [])));
    await Promise.all([...databases.values()].map((d) => d.drop()));
    throw (failed as PromiseRejectedResult).reason;
  }
  services.forEach((name, i) => processes.set(name, (settled[i] as PromiseFulfilledResult<ServiceProcess>).value));
  const upstreams = Object.fromEntries(services.map((name) => [`${name.toUpperCase().replaceAll('-', '_')}_URL`, processes.get(name)!.url]));
  // The gateway keeps its accounts in a database of its own and signs with the services' secret.
  const gatewayDb = await createTestDatabase('e2e_gateway', servers.databaseServerUrl);
  const gateway = await startService('gateway', 'services/gateway/src/main.ts', { ...upstreams, ...shared, DATABASE_URL: gatewayDb.url, KAFKA_BROKERS: '', AUTH_SECRET: authSecret, PII_ENCRYPTION_KEY: dataKeys.PII_ENCRYPTION_KEY, GATEWAY_ADMIN_PASSWORD: 'e2e-admin-2026' });
  processes.set('gateway', gateway);
  let replicas = 0;
  return {
    url: gateway.url,
    authSecret,
    namespace,
    processes,
    databaseUrl: (name) => (name === 'gateway' ? gatewayDb.url : databases.get(name)!.url),
    async restart(key, between, signal = 'SIGTERM') {
      const old = processes.get(key)!;
      await old.stop(signal);
      await between?.();
      // Same port, so the gateway (and a test holding its address) keeps reaching it.
      const next = await launch(key.split('#')[0] as ServiceName, { PORT: new URL(old.url).port });
      processes.set(key, next);
      return next;
    },
    async replica(name) {
      replicas += 1;
      const next = await launch(name);
      processes.set(`${name}#${replicas}`, next);
      return next;
    },
    async stop() {
      const codes = await Promise.all([...processes.values()].map((p) => p.stop('SIGTERM')));
      await Promise.all([...databases.values(), gatewayDb].map((d) => d.drop()));
      return codes;
    },
  };
}
