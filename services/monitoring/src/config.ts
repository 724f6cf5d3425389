import { requiredTokenKey } from '@fbl/auth/config';
import { readProcessConfig } from '@fbl/service-kit';

/** Configuration of the monitoring process, read from the environment. */
export function serviceConfig() {
  const authSecret = requiredTokenKey(process.env, 'monitoring');
  return Object.freeze({ process: readProcessConfig(process.env, { port: 3109 }), authSecret });
}

/** Configuration of the replay command: the database and the broker, as for the service; no port, no token secret. */
export function replayConfig() {
  return readProcessConfig(process.env, { port: 0 });
}
