import { embeddedSecrets, newSecrets, secretsFromEnv, type Secrets } from '@fbl/civil-affairs';
import { cryptoSuiteFromEnv } from '@fbl/privacy';
import type { ProcessConfig } from '@fbl/service-kit';

/**
 * The embedded process's keys: the environment's; else made once and kept beside the PGlite
 * data; else (in memory, or on a server without keys set) fresh ones of the configured suite
 * (CRYPTO_SUITE), lost at exit.
 */
export function secretsOf(processConfig: Readonly<ProcessConfig>, env: Record<string, string | undefined>): Secrets {
  const database = processConfig.database;
  return secretsFromEnv(env) ?? ('dataDir' in database && database.dataDir !== 'memory' ? embeddedSecrets(database.dataDir, env) : newSecrets(cryptoSuiteFromEnv(env)));
}
