/**
 * Values the global setup hands to test workers through `project.provide()` / `inject()`.
 * Each is an empty string when not applicable: `kafkaBrokers` is empty when Kafka is skipped,
 * `skipKafka` holds the reason when it is.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Comma-separated `host:port` list, or `''` when Kafka is unavailable. */
    kafkaBrokers: string;
    /** Server URL (database `postgres`), or `''` when Postgres is unavailable. */
    databaseUrl: string;
    /** Why Kafka tests are skipped, or `''`. */
    skipKafka: string;
    /** Why Postgres tests are skipped, or `''`. */
    skipPostgres: string;
  }
}

export {};
