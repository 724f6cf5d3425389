import { generateKey } from '@fbl/privacy';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The keys that protect personal data and sign tokens. */
export interface Secrets {
  authSecret: string;
  piiEncryptionKey: string;
  piiHashKey: string;
}

/** Secrets from the environment (AUTH_SECRET, PII_ENCRYPTION_KEY, PII_HASH_KEY), if all are set. */
export function secretsFromEnv(env: Record<string, string | undefined>): Secrets | undefined {
  const { AUTH_SECRET, PII_ENCRYPTION_KEY, PII_HASH_KEY } = env;
  if (!AUTH_SECRET || !PII_ENCRYPTION_KEY || !PII_HASH_KEY) return undefined;
  return { authSecret: AUTH_SECRET, piiEncryptionKey: PII_ENCRYPTION_KEY, piiHashKey: PII_HASH_KEY };
}

/** Fresh random secrets. */
export function newSecrets(): Secrets {
  return { authSecret: randomBytes(32).toString('base64url'), piiEncryptionKey: generateKey(), piiHashKey: generateKey() };
}

/**
 * The embedded mode's secrets: generated on first start into `<dataDir>/secrets.json` (mode 600)
 * and reused afterwards, so sealed data stays readable across restarts. A deployment sets them
 * in the environment instead.
 */
export function embeddedSecrets(dataDir: string): Secrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  const secrets = newSecrets();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}
