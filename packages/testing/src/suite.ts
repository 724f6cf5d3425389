import { generateSm2KeyPair, sm2TokenKey, type TokenKey } from '@fbl/auth';
import { cryptoSuiteFromEnv, type CryptoSuite, type SealingKeys } from '@fbl/privacy';

/**
 * The cryptographic suite a test run is under: CRYPTO_SUITE of the run, as a deployment reads
 * it. `pnpm test` runs the suites that seal, hash and sign twice: once as they are (`standard`),
 * once in the `sm` project of vitest.config.ts, which sets CRYPTO_SUITE=sm. Tests that build a
 * service's keys take them from here, so the same test covers both suites.
 */
export const testSuite: CryptoSuite = cryptoSuiteFromEnv(process.env);

/** Sealing keys of the run's suite: the bare key under `standard`, the key with the suite under `sm`. */
export function testSealingKeys(key: string): string | SealingKeys {
  return testSuite === 'sm' ? { suite: 'sm', key } : key;
}

const sm2Keys = new Map<string, TokenKey>();

/**
 * The token key of the run's suite for a test's secret: the secret itself (HS256) under
 * `standard`; under `sm` an SM2 key pair made for it (one per secret and process), so tokens are
 * SM2-SM3 signatures and a test's different secrets are different keys.
 */
export function testTokenKey(secret: string): TokenKey {
  if (testSuite === 'standard') return secret;
  let key = sm2Keys.get(secret);
  if (!key) sm2Keys.set(secret, (key = sm2TokenKey(generateSm2KeyPair())));
  return key;
}
