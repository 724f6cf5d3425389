/**
 * What the global setup made available to this test worker, and helpers to skip suites that
 * need something missing. Values come from `inject()` (set by `global-setup.ts`), falling back to
 * `KAFKA_BROKERS` / `DATABASE_URL` so a config without the global setup still works.
 * Under `CI` nothing skips: the global setup fails when a piece is missing, and should a config
 * lack the global setup, the guarded tests run and fail on `kafkaBrokers()` / `databaseUrl()`.
 */
import { describe, inject, it } from 'vitest';
import type { ProvidedContext } from 'vitest';
import './vitest-context.js';

function provided(key: keyof ProvidedContext, envName: string): string {
  try {
    const value = inject(key);
    if (typeof value === 'string' && value !== '') return value;
  } catch {
    // Not inside a vitest worker (e.g. a script importing this package): use the env only.
  }
  return process.env[envName] ?? '';
}

const brokers = provided('kafkaBrokers', 'KAFKA_BROKERS');
const serverUrl = provided('databaseUrl', 'DATABASE_URL');

/** True when a Kafka broker is available to this test run. */
export const hasKafka: boolean = brokers !== '';
/** True when a PostgreSQL server is available to this test run. */
export const hasPostgres: boolean = serverUrl !== '';

const neverSkip = Boolean(process.env.CI);
const skipKafka = !hasKafka && !neverSkip;
const skipPostgres = !hasPostgres && !neverSkip;

/** `describe` that skips its suite when Kafka is unavailable (never under `CI`). */
export const describeWithKafka = describe.skipIf(skipKafka);
/** `describe` that skips its suite when PostgreSQL is unavailable (never under `CI`). */
export const describeWithPostgres = describe.skipIf(skipPostgres);
/** `describe` that skips its suite unless both Kafka and PostgreSQL are available (never under `CI`). */
export const describeWithKafkaAndPostgres = describe.skipIf(skipKafka || skipPostgres);
/** `it` that skips its test when Kafka is unavailable (never under `CI`). */
export const itWithKafka = it.skipIf(skipKafka);
/** `it` that skips its test when PostgreSQL is unavailable (never under `CI`). */
export const itWithPostgres = it.skipIf(skipPostgres);

/**
 * The Kafka bootstrap brokers (`KAFKA_BROKERS` split on commas), as kafkajs wants them.
 * @throws Error when no broker is available; guard the suite with {@link describeWithKafka}.
 */
export function kafkaBrokers(): string[] {
  if (!hasKafka) {
    throw new Error(
      'no Kafka broker for this test: set KAFKA_BROKERS or add @fbl/testing/global-setup to the vitest config ' +
        '(suites guarded with describeWithKafka skip when it is missing, except under CI)',
    );
  }
  return brokers.split(',').map((b) => b.trim()).filter((b) => b !== '');
}

/**
 * URL of the PostgreSQL server (its `postgres` database); make a database per test file with
 * `createTestDatabase()` rather than writing here.
 * @throws Error when no server is available; guard the suite with {@link describeWithPostgres}.
 */
export function databaseUrl(): string {
  if (!hasPostgres) {
    throw new Error(
      'no PostgreSQL server for this test: set DATABASE_URL or add @fbl/testing/global-setup to the vitest config ' +
        '(suites guarded with describeWithPostgres skip when it is missing, except under CI)',
    );
  }
  return serverUrl;
}
