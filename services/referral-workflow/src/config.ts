import { requiredTokenKey } from '@fbl/auth/config';
import { readProcessConfig, sealingKeys } from '@fbl/service-kit';
import { readDeadlines, readRetentionDays } from './config-keys.js';

const authSecret = requiredTokenKey(process.env, 'referral-workflow');

const encryptionKey = sealingKeys(process.env, 'referral-workflow needs PII_ENCRYPTION_KEY (32 bytes, base64) to seal referral packets and attachments');

/** Configuration of the referral-workflow process, read once from the environment. */
export const config = Object.freeze({
  process: readProcessConfig(process.env, { port: 3102 }),
  deadlines: readDeadlines(process.env),
  attachmentRetentionDays: readRetentionDays(process.env),
  authSecret,
  encryptionKey,
});
