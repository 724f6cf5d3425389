/**
 * Vitest global setup for integration and e2e tests: finds or starts Kafka and PostgreSQL
 * (see `infra.ts` for the order of preference), hands their addresses to the test workers
 * with `project.provide()` and `process.env`, and stops what it started in the teardown.
 *
 * Use it from a vitest config: `globalSetup: ['@fbl/testing/global-setup']`.
 */
import type { TestProject } from 'vitest/node';
import { provideKafka, providePostgres, type InfraHandle } from './infra.js';
import './vitest-context.js';

/** Starts both pieces of infrastructure in parallel; returns the teardown that stops them. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const results = await Promise.allSettled([timed(provideKafka), timed(providePostgres)]);
  const handles = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length > 0) {
    // Vitest runs no teardown when setup throws: release what did start before failing.
    await Promise.allSettled(handles.map((h) => h.stop()));
    const messages = failures.map((f) => (f instanceof Error ? f.message : String(f)));
    throw new Error(messages.join('\n'), { cause: failures.length === 1 ? failures[0] : failures });
  }
  const [kafka, postgres] = handles as [InfraHandle, InfraHandle];

  if (kafka.value) process.env.KAFKA_BROKERS = kafka.value;
  if (postgres.value) process.env.DATABASE_URL = postgres.value;
  project.provide('kafkaBrokers', kafka.value);
  project.provide('databaseUrl', postgres.value);
  project.provide('skipKafka', kafka.skipReason);
  project.provide('skipPostgres', postgres.skipReason);
  process.stderr.write(`[fbl/testing] infrastructure ready in ${seconds(started)}\n`);

  return async () => {
    await Promise.all(handles.map((h) => h.stop()));
  };
}

/** Runs a provider and prints one line saying where the piece came from and how long it took. */
async function timed(provide: () => Promise<InfraHandle>): Promise<InfraHandle> {
  const started = Date.now();
  const handle = await provide();
  const where = handle.source === 'skipped' ? 'skipped' : `${redact(handle.value)} from ${handle.source}`;
  process.stderr.write(`[fbl/testing] ${handle.name}: ${where}, ${seconds(started)}\n`);
  return handle;
}

/** Hides a password in a URL, so CI logs do not carry one. */
function redact(value: string): string {
  return value.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
