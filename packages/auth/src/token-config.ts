import { ConfigError } from '@fbl/service-kit';
import { canSign, tokenKeyFromEnv, tokenKeyVariables, type TokenKey } from './token.js';

/**
 * The token key a process needs, from its environment (see `tokenKeyFromEnv`): a ConfigError
 * naming the variables when it is missing or wrong; `signs` (the gateway) also needs the SM2
 * private key under `CRYPTO_SUITE=sm`.
 */
export function requiredTokenKey(env: Record<string, string | undefined>, who: string, options: { signs?: boolean } = {}): TokenKey {
  let key: TokenKey | undefined;
  try {
    key = tokenKeyFromEnv(env);
  } catch (error) {
    throw new ConfigError(`invalid ${who} configuration: ${(error as Error).message}`, { cause: error });
  }
  if (!key) throw new ConfigError(`${who} needs ${tokenKeyVariables(env)}, to verify sign-in tokens with`);
  if (options.signs && !canSign(key)) throw new ConfigError(`${who} signs the sign-in tokens: it needs AUTH_SM2_PRIVATE_KEY, as CRYPTO_SUITE is sm`);
  return key;
}
