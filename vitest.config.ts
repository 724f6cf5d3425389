import { defineConfig } from 'vitest/config';

/**
 * Three tiers, named by file suffix:
 * - unit: pure domain code, no infrastructure;
 * - integration: real PostgreSQL (and Kafka where named), one service at a time;
 * - e2e: several services over a real broker and database.
 * Integration and e2e share one global setup that provides Kafka and PostgreSQL.
 */
const globalSetup = ['packages/testing/src/global-setup.ts'];
const exclude = ['**/node_modules/**', '**/data/**'];

export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    projects: [
      { test: { name: 'unit', include: ['**/*.unit.test.ts'], exclude } },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude,
          globalSetup,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['**/*.e2e.test.ts'],
          exclude,
          globalSetup,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
