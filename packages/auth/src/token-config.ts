import { cryptoSuiteFromEnv } from '@fbl/privacy';
import { ConfigError } from '@fbl/service-kit';
import { parseSm2PrivateKey, parseSm2PublicKey } from './sm2.js';
import { authSecretFromEnv, canSign, sm2TokenKey, type TokenKey } from './token.js';

/*
 * The token key from configuration (`@fbl/auth/config`): apart from the pure root of the
 * package, as it reads the suite setting of @fbl/privacy and throws service-kit's ConfigError.
 */

/**
 * The token key from the environment, by `CRYPTO_SUITE`: `standard` (default) the shared secret
 * AUTH_SECRET; `sm` the SM2 private key AUTH_SM2_PRIVATE_KEY (64 hex digits or a PEM; the gateway,
 * which signs) or the public key AUTH_SM2_PUBLIC_KEY (04 ‖ x ‖ y in hex, or a PEM; enough for a
 * service that only verifies). Both given: they must be a pair. Undefined when the suite's key is
 * not set; throws naming the variable when a value is wrong.
 */
export function tokenKeyFromEnv(env: Record<string, string | undefined>): TokenKey | undefined {
  if (cryptoSuiteFromEnv(env) === 'standard') return authSecretFromEnv(env);
  const privateText = env['AUTH_SM2_PRIVATE_KEY']?.trim();
  const publicText = env['AUTH_SM2_PUBLIC_KEY']?.trim();
  const read = <T>(name: string, parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`, { cause: error });
    }
  };
  const pair = privateText ? read('AUTH_SM2_PRIVATE_KEY', () => parseSm2PrivateKey(privateText)) : undefined;
  const point = publicText ? read('AUTH_SM2_PUBLIC_KEY', () => parseSm2PublicKey(publicText)) : undefined;
  if (pair && point && (pair.publicKey.x !== point.x || pair.publicKey.y !== point.y)) throw new Error('AUTH_SM2_PUBLIC_KEY is not the public key of AUTH_SM2_PRIVATE_KEY');
  return pair ? sm2TokenKey(pair) : point ? sm2TokenKey(point) : undefined;
}

/** What a process must set to verify tokens under the environment's suite, for its start-up error. */
export function tokenKeyVariables(env: Record<string, string | undefined>): string {
  return cryptoSuiteFromEnv(env) === 'sm' ? 'AUTH_SM2_PUBLIC_KEY (or AUTH_SM2_PRIVATE_KEY), as CRYPTO_SUITE is sm' : 'AUTH_SECRET';
}


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
