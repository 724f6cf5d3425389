import { ConfigError, readProcessConfig } from '@fbl/service-kit';
import { secretsFromEnv } from './secrets.js';

const secrets = secretsFromEnv(process.env);
if (!secrets) throw new ConfigError('civil-affairs needs AUTH_SECRET, PII_ENCRYPTION_KEY and PII_HASH_KEY (32 bytes, base64) to run alone');

/** Configuration of the civil-affairs process, read once from the environment. */
export const config = { process: readProcessConfig(process.env, { port: 3107 }), secrets };
