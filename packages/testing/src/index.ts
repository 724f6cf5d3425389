/**
 * Shared test support: infrastructure discovery for the global setup, skip helpers,
 * per-test databases and polling. The vitest global setup itself is `@fbl/testing/global-setup`.
 */
export { createTestDatabase, type TestDatabase } from './databases.js';
export {
  containerRuntimeAvailable,
  provideKafka,
  providePostgres,
  type InfraHandle,
  type InfraSource,
} from './infra.js';
export {
  databaseUrl,
  describeWithKafka,
  describeWithKafkaAndPostgres,
  describeWithPostgres,
  hasKafka,
  hasPostgres,
  itWithKafka,
  itWithPostgres,
  kafkaBrokers,
} from './requirements.js';
export { outboxSent, watchPublished, type PublishedWatch } from './published.js';
export { waitFor, type WaitForOptions } from './wait-for.js';
export { genericPlan } from './plans.js';
