import { authSecretFromEnv } from '@fbl/auth';
import { ConfigError, readProcessConfig } from '@fbl/service-kit';

/** Configuration of the monitoring process, read from the environment. */
export function serviceConfig() {
  const authSecret = authSecretFromEnv(process.env);
  if (!authSecret) throw new ConfigError('monitoring needs AUTH_SECRET to run alone');
  return Object.freeze({ process: readProcessConfig(process.env, { port: 3109 }), authSecret });
}

/** Configuration of the replay command: the database and the broker, as for the service; no port, no token secret. */
export function replayConfig() {
  return readProcessConfig(process.env, { port: 0 });
}
