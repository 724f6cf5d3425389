import { ConfigError, readProcessConfig, sealingKeys } from '@fbl/service-kit';
import { authSecretFromEnv } from '@fbl/auth';
import { ltciPolicyFromEnv } from './settings.js';

const authSecret = authSecretFromEnv(process.env);
if (!authSecret) throw new ConfigError('medical-insurance needs AUTH_SECRET to run alone');
const encryptionKey = sealingKeys(process.env, 'medical-insurance needs PII_ENCRYPTION_KEY (32 bytes, base64) to seal health data');

/** Configuration of the medical-insurance process, read once from the environment. */
export const config = Object.freeze({ process: readProcessConfig(process.env, { port: 3108 }), authSecret, encryptionKey, policy: ltciPolicyFromEnv(process.env) });
