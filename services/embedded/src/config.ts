import { BED_POLICIES, readPolicy, type BedTypePolicy } from '@fbl/bed-inventory';
import type { BedType } from '@fbl/contracts';
import { demoDataFromEnv } from './demo-data.js';
import { secretsOf } from './secrets.js';
import { adminPasswordFromEnv, rateLimitFromEnv, signInPolicyFromEnv } from '@fbl/gateway';
import { readDeadlines } from '@fbl/referral-workflow';
import { readProcessConfig } from '@fbl/service-kit';

/**
 * Configuration of the embedded process: every service in one process, PGlite in `./data/` and
 * the in-process bus unless DATABASE_URL or KAFKA_BROKERS say otherwise; the bed services'
 * and the workflow's numbers from the same keys their own processes read.
 */
const processConfig = readProcessConfig(process.env, { port: 3000, dataDir: './data' });

export const config = {
  process: processConfig,
  /** The fictional demo network, its elders and accounts (`DEMO_DATA=0`: a deployment starts empty but for its first admin). */
  demoData: demoDataFromEnv(process.env),
  /** Without demo data, an empty deployment's first admin (user name `admin`) gets this password (`GATEWAY_ADMIN_PASSWORD`). */
  adminPassword: adminPasswordFromEnv(process.env),
  /** Keys from the environment, or made once and kept beside the embedded data, or fresh ones of the suite. */
  secrets: secretsOf(processConfig, process.env),
  policies: Object.fromEntries(Object.entries(BED_POLICIES).map(([type, policy]) => [type, readPolicy(policy, process.env)])) as Record<BedType, BedTypePolicy>,
  deadlines: readDeadlines(process.env),
  rateLimitPerMinute: rateLimitFromEnv(process.env),
  /** Second factor by role, password expiry and history (GATEWAY_SECOND_FACTOR_ROLES, GATEWAY_PASSWORD_MAX_AGE_DAYS, GATEWAY_PASSWORD_HISTORY). */
  signInPolicy: signInPolicyFromEnv(process.env),
};

