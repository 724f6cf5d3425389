import type { TokenKey } from '@fbl/auth';
import { requiredTokenKey } from '@fbl/auth/config';
import { compileChecker, describeFieldErrors } from '@fbl/contracts';
import { Sealer, type ResealProgress, type SealingKeys } from '@fbl/privacy';
import { ConfigError, readProcessConfig, runProcess, runReseal, sealingKeys, type ProcessConfig, type RunningProcess } from '@fbl/service-kit';
import Type, { type Static } from 'typebox';
import { configurePolicy, type BedTypePolicy } from './domain/policy.js';
import { sealedTablesOf } from './adapters/db/sealed.js';
import { bedService } from './service.js';

const PolicyEnv = Type.Object({
  HOLD_HOURS: Type.Optional(Type.String({ pattern: '^[1-9][0-9]*$' })),
  KEPT_BED_DAYS: Type.Optional(Type.String({ pattern: '^[1-9][0-9]*$' })),
  EPISODE_REVIEW_DAYS: Type.Optional(Type.String({ pattern: '^[1-9][0-9]*$' })),
});
const checker = compileChecker<Static<typeof PolicyEnv>>(PolicyEnv);

/** The configuration of one bed service process: where it runs, and its policy's numbers. */
export interface BedServiceConfig {
  process: Readonly<ProcessConfig>;
  policy: BedTypePolicy;
  /** The key sign-in tokens are verified with (AUTH_SECRET, or the SM2 public key under CRYPTO_SUITE=sm). */
  authSecret: TokenKey;
  /** The keys residents' health text and home beds' visit records are sealed with (PII_ENCRYPTION_KEY, CRYPTO_SUITE; required by every bed service). */
  sealing: SealingKeys;
}

/** A bed type's policy with HOLD_HOURS, KEPT_BED_DAYS, EPISODE_REVIEW_DAYS of an environment over its defaults. */
export function readPolicy(policy: BedTypePolicy, env: Record<string, string | undefined>): BedTypePolicy {
  const picked = Object.fromEntries(Object.keys(PolicyEnv.properties).flatMap((k) => (env[k] ? [[k, env[k]]] : [])));
  if (!checker.check(picked)) throw new ConfigError(`invalid ${policy.service} configuration: ${describeFieldErrors(checker.errors(picked))}`);
  const e = picked as Static<typeof PolicyEnv>;
  return configurePolicy(policy, {
    ...(e.HOLD_HOURS ? { holdHours: Number(e.HOLD_HOURS) } : {}),
    ...(e.KEPT_BED_DAYS ? { keptBedDays: Number(e.KEPT_BED_DAYS) } : {}),
    ...(e.EPISODE_REVIEW_DAYS ? { episodeReviewDays: Number(e.EPISODE_REVIEW_DAYS) } : {}),
  });
}

/** Read a bed service's configuration from an environment: the process keys of every service, AUTH_SECRET and its policy's numbers. */
export function readBedServiceConfig(policy: BedTypePolicy, env: Record<string, string | undefined>, defaults: { port: number }): Readonly<BedServiceConfig> {
  const authSecret = requiredTokenKey(env, policy.service);
  const sealing = sealingKeys(env, `${policy.service} needs PII_ENCRYPTION_KEY, the key residents' health text${policy.visits ? ' and visit notes and signatures are' : ' is'} sealed with`);
  return Object.freeze({ process: readProcessConfig(env, defaults), policy: readPolicy(policy, env), authSecret, sealing });
}

/** Run one bed service alone (the distributed mode) until SIGINT or SIGTERM. */
export function runBedService(config: Readonly<BedServiceConfig>): Promise<RunningProcess> {
  return runProcess({ name: config.policy.service, config: config.process, services: (deps) => [bedService(config.policy, deps, { authSecret: config.authSecret, sealing: config.sealing })], handleSignals: true });
}

/**
 * Re-seal one bed service's sealed columns with the configured suite and key (after CRYPTO_SUITE
 * changed or a key was rotated, the earlier keys in PII_PREVIOUS_ENCRYPTION_KEYS). The service may
 * keep running; an interrupted run is run again.
 */
export function runBedReseal(config: Readonly<BedServiceConfig>): Promise<ResealProgress[]> {
  return runReseal({ name: config.policy.service, config: config.process, tables: sealedTablesOf(config.policy.dbSchema), sealer: new Sealer(config.sealing) });
}
