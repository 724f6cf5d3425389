import { authSecretFromEnv } from '@fbl/auth';
import { ConfigError, readProcessConfig, sealingKeys } from '@fbl/service-kit';
import { readDeadlines, readRetentionDays } from './config-keys.js';

const authSecret = authSecretFromEnv(process.env);
if (!authSecret) throw new ConfigError('referral-workflow needs AUTH_SECRET, the secret it verifies sign-in tokens with');

const encryptionKey = sealingKeys(process.env, 'referral-workflow needs PII_ENCRYPTION_KEY (32 bytes, base64) to seal referral packets and attachments');

/** Configuration of the referral-workflow process, read once from the environment. */
export const config = Object.freeze({
  process: readProcessConfig(process.env, { port: 3102 }),
  deadlines: readDeadlines(process.env),
  attachmentRetentionDays: readRetentionDays(process.env),
  authSecret,
  encryptionKey,
});
