import { authSecretFromEnv } from '@fbl/auth';
import { ConfigError, readProcessConfig } from '@fbl/service-kit';

const authSecret = authSecretFromEnv(process.env);
if (!authSecret) throw new ConfigError('monitoring needs AUTH_SECRET to run alone');

/** Configuration of the monitoring process, read once from the environment. */
export const config = Object.freeze({ process: readProcessConfig(process.env, { port: 3109 }), authSecret });
