import { defineConfig } from 'vitest/config';

/**
 * Three tiers, named by file suffix:
 * - unit: pure domain code, no infrastructure;
 * - integration: real PostgreSQL (and Kafka where named), one service at a time;
 * - e2e: several services over a real broker and database.
 * Integration and e2e share one global setup that provides Kafka and PostgreSQL. A fourth
 * project, sm, re-runs the suites that seal, hash and sign under the national suite.
 */
const globalSetup = ['packages/testing/src/global-setup.ts'];
const exclude = ['**/node_modules/**', '**/data/**'];

/**
 * The suites that seal, hash and sign with the run's keys (`@fbl/testing/suite`), run a second
 * time with CRYPTO_SUITE=sm: SM4 seals, HMAC-SM3 look-up hashes, SM3 audit chains, SM2-SM3
 * tokens. Tests that already cover both suites explicitly (packages/auth, the suite and re-seal
 * tests of packages/privacy and civil-affairs, civil-affairs' audit chain) run once.
 */
const nationalSuite = [
  'packages/testing/src/suite.unit.test.ts',
  'packages/privacy/test/privacy.unit.test.ts',
  'services/gateway/test/identity.int.test.ts',
  'services/gateway/test/accounts.int.test.ts',
  'services/civil-affairs/test/roles.int.test.ts',
  'services/civil-affairs/test/elder-search.int.test.ts',
  'services/civil-affairs/test/waiting-list.int.test.ts',
  'services/civil-affairs/test/divisions.int.test.ts',
  'services/civil-affairs/test/elder-rights.int.test.ts',
  'services/referral-workflow/test/attachments.int.test.ts',
  'services/referral-workflow/test/stays.int.test.ts',
  'services/referral-workflow/test/lifecycle-statements.int.test.ts',
  'services/referral-workflow/test/availability-view.int.test.ts',
  'services/referral-workflow/test/urgent-transfers.int.test.ts',
  'services/medical-insurance/test/insurance.int.test.ts',
];

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
      {
        test: {
          name: 'sm',
          include: nationalSuite,
          exclude,
          globalSetup,
          env: { CRYPTO_SUITE: 'sm' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
