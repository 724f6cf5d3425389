import { generateSm2KeyPair, parseSm2PrivateKey, sm2TokenKey, type TokenKey } from '@fbl/auth';
import { tokenKeyFromEnv } from '@fbl/auth/config';
import { cryptoSuiteFromEnv, generateKey, keyList, type CryptoSuite, type ProtectorKeys, type SealingKeys } from '@fbl/privacy';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The keys that protect personal data and sign tokens. */
export interface Secrets {
  /** What sign-in tokens are signed with: the shared secret, or under CRYPTO_SUITE=sm the SM2 key pair. */
  authSecret: TokenKey;
  piiEncryptionKey: string;
  piiHashKey: string;
  /** The suite personal data is sealed and hashed with (CRYPTO_SUITE; default `standard`). */
  suite?: CryptoSuite;
  /** Sealing keys of before a rotation, still opened (PII_PREVIOUS_ENCRYPTION_KEYS). */
  previousEncryptionKeys?: string[];
  /** Look-up hash keys of before a rotation, still matched (PII_PREVIOUS_HASH_KEYS). */
  previousHashKeys?: string[];
}

/**
 * Secrets from the environment (AUTH_SECRET, or under CRYPTO_SUITE=sm AUTH_SM2_PRIVATE_KEY or
 * AUTH_SM2_PUBLIC_KEY; PII_ENCRYPTION_KEY, PII_HASH_KEY), if all are set, with the suite
 * (CRYPTO_SUITE) and the keys of before a rotation (PII_PREVIOUS_ENCRYPTION_KEYS,
 * PII_PREVIOUS_HASH_KEYS, comma separated).
 */
export function secretsFromEnv(env: Record<string, string | undefined>): Secrets | undefined {
  const { PII_ENCRYPTION_KEY, PII_HASH_KEY } = env;
  const authSecret = tokenKeyFromEnv(env);
  if (!authSecret || !PII_ENCRYPTION_KEY || !PII_HASH_KEY) return undefined;
  return {
    authSecret,
    piiEncryptionKey: PII_ENCRYPTION_KEY,
    piiHashKey: PII_HASH_KEY,
    suite: cryptoSuiteFromEnv(env),
    previousEncryptionKeys: keyList(env['PII_PREVIOUS_ENCRYPTION_KEYS']),
    previousHashKeys: keyList(env['PII_PREVIOUS_HASH_KEYS']),
  };
}

/** The sealing keys of some secrets: the suite, the current key and the keys of before a rotation. */
export function sealingOf(secrets: Secrets): SealingKeys {
  return { suite: secrets.suite ?? 'standard', key: secrets.piiEncryptionKey, previous: secrets.previousEncryptionKeys ?? [] };
}

/** The keys of a field protector (sealing and look-up hashes) of some secrets. */
export function protectorKeysOf(secrets: Secrets): ProtectorKeys {
  return { encryptionKey: sealingOf(secrets), hashKey: secrets.piiHashKey, previousHashKeys: secrets.previousHashKeys ?? [] };
}

/** Fresh random secrets of a suite: under `sm` the tokens are signed with a fresh SM2 key pair. */
export function newSecrets(suite: CryptoSuite = 'standard'): Secrets {
  const authSecret = suite === 'sm' ? sm2TokenKey(generateSm2KeyPair()) : randomBytes(32).toString('base64url');
  return { authSecret, piiEncryptionKey: generateKey(), piiHashKey: generateKey(), ...(suite === 'sm' ? { suite } : {}) };
}

/** What `secrets.json` holds: the shared token secret, and the SM2 private key (hex) once the suite was `sm`. */
interface KeptSecrets {
  authSecret: string;
  authSm2PrivateKey?: string;
  piiEncryptionKey: string;
  piiHashKey: string;
}

/**
 * The embedded mode's secrets: generated on first start into `<dataDir>/secrets.json` (mode 600)
 * and reused afterwards, so sealed data stays readable across restarts. A deployment sets them
 * in the environment instead.
 */
export function embeddedSecrets(dataDir: string, env: Record<string, string | undefined> = {}): Secrets {
  const file = join(dataDir, 'secrets.json');
  // The suite is a setting, not a secret: the environment's (CRYPTO_SUITE) applies to the kept keys.
  const suite = cryptoSuiteFromEnv(env);
  const kept: KeptSecrets = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as KeptSecrets) : { authSecret: randomBytes(32).toString('base64url'), piiEncryptionKey: generateKey(), piiHashKey: generateKey() };
  const sm2Missing = suite === 'sm' && !kept.authSm2PrivateKey;
  if (sm2Missing) kept.authSm2PrivateKey = generateSm2KeyPair().privateKey.toString(16).padStart(64, '0');
  if (sm2Missing || !existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(kept), { mode: 0o600 });
  }
  const authSecret = suite === 'sm' ? sm2TokenKey(parseSm2PrivateKey(kept.authSm2PrivateKey!)) : kept.authSecret;
  const { authSm2PrivateKey: _kept, ...rest } = kept;
  return { ...rest, authSecret, suite };
}
