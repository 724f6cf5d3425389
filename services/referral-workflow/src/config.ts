import { authSecretFromEnv } from '@fbl/auth';
import { ConfigError, readProcessConfig } from '@fbl/service-kit';
import { readDeadlines } from './config-keys.js';

const authSecret = authSecretFromEnv(process.env);
if (!authSecret) throw new ConfigError('referral-workflow needs AUTH_SECRET, the secret it verifies sign-in tokens with');

/** Configuration of the referral-workflow process, read once from the environment. */
export const config = { process: readProcessConfig(process.env, { port: 3102 }), deadlines: readDeadlines(process.env), authSecret };
