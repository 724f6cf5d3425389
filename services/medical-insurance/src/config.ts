import { readProcessConfig, sealingKeys } from '@fbl/service-kit';
import { requiredTokenKey } from '@fbl/auth/config';
import { ltciPolicyFromEnv } from './settings.js';

const authSecret = requiredTokenKey(process.env, 'medical-insurance');
const encryptionKey = sealingKeys(process.env, 'medical-insurance needs PII_ENCRYPTION_KEY (32 bytes, base64) to seal health data');

/** Configuration of the medical-insurance process, read once from the environment. */
export const config = Object.freeze({ process: readProcessConfig(process.env, { port: 3108 }), authSecret, encryptionKey, policy: ltciPolicyFromEnv(process.env) });
