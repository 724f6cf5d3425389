import { compileChecker, describeFieldErrors } from '@fbl/contracts';
import { ROLES, type Role } from '@fbl/auth';
import { requiredTokenKey } from '@fbl/auth/config';
import { cryptoSuiteFromEnv, type CryptoSuite } from '@fbl/privacy';
import { ConfigError, readProcessConfig, sealingKeys } from '@fbl/service-kit';
import Type from 'typebox';
import { ROUTES, type ServiceName, type Upstreams } from './routes.js';
import type { OidcLogin } from './identity/oidc-login.js';
import { rateLimitFromEnv } from './security.js';

/** The env key naming where a service listens: `care-beds` → `CARE_BEDS_URL`. */
export const upstreamKey = (service: ServiceName) => `${service.toUpperCase().replaceAll('-', '_')}_URL`;

const services = Object.values(ROUTES);
const UpstreamEnv = Type.Object(Object.fromEntries(services.map((s) => [upstreamKey(s), Type.Optional(Type.String({ pattern: '^https?://' }))])));
const checker = compileChecker<Record<string, string | undefined>>(UpstreamEnv);

/**
 * Configuration of the gateway process in the distributed mode: the process keys (its accounts
 * live in DATABASE_URL), `<SERVICE>_URL` per routed service, AUTH_SECRET (under CRYPTO_SUITE=sm
 * AUTH_SM2_PRIVATE_KEY instead), and
 * GATEWAY_ADMIN_PASSWORD for the first admin of an empty deployment.
 */
export function readGatewayConfig(env: Record<string, string | undefined>) {
  const process = readProcessConfig(env, { port: 3000 });
  const picked = Object.fromEntries(services.flatMap((s) => (env[upstreamKey(s)] ? [[upstreamKey(s), env[upstreamKey(s)]]] : [])));
  if (!checker.check(picked)) throw new ConfigError(`invalid gateway configuration: ${describeFieldErrors(checker.errors(picked))}`);
  const upstreams: Upstreams = Object.fromEntries(services.flatMap((s) => (picked[upstreamKey(s)] ? [[s, picked[upstreamKey(s)]]] : [])));
  if (Object.keys(upstreams).length === 0) throw new ConfigError(`the gateway routes to no service: set at least one of ${services.map(upstreamKey).join(', ')}`);
  let suite: CryptoSuite;
  try {
    suite = cryptoSuiteFromEnv(env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  // The gateway signs the tokens: AUTH_SECRET, or under CRYPTO_SUITE=sm the SM2 private key.
  const authSecret = requiredTokenKey(env, 'the gateway', { signs: true });
  const adminPassword = adminPasswordFromEnv(env);
  const oidcLogin = oidcLoginFromEnv(env, process.oidc !== undefined);
  let rateLimitPerMinute: number;
  try {
    rateLimitPerMinute = rateLimitFromEnv(env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const sealing = sealingKeys(env, 'the gateway needs PII_ENCRYPTION_KEY (32 bytes, base64) to seal the second factors of its accounts');
  const signInPolicy = signInPolicyFromEnv(env);
  return Object.freeze({ ...process, upstreams, authSecret, adminPassword, rateLimitPerMinute, suite, sealing, signInPolicy, ...(oidcLogin ? { oidcLogin } : {}) });
}

/** GATEWAY_ADMIN_PASSWORD: the first admin's password of an empty deployment, when set. */
export function adminPasswordFromEnv(env: Record<string, string | undefined>): string | undefined {
  return env['GATEWAY_ADMIN_PASSWORD']?.trim() || undefined;
}

/** The sign-in policy a deployment sets; what it leaves out keeps the gateway's default. */
export interface SignInPolicyConfig {
  secondFactorRoles?: Role[];
  passwordMaxAgeDays?: number;
  passwordHistory?: number;
}

/**
 * The sign-in policy from the environment: GATEWAY_SECOND_FACTOR_ROLES (roles, comma separated,
 * or `none`; unset, the default: admin), GATEWAY_PASSWORD_MAX_AGE_DAYS (0 = no expiry, the
 * default) and GATEWAY_PASSWORD_HISTORY (how many latest passwords a new one may not repeat;
 * default 5, 0 = none). Only what is set is returned.
 */
export function signInPolicyFromEnv(env: Record<string, string | undefined>): SignInPolicyConfig {
  const policy: SignInPolicyConfig = {};
  const roles = env['GATEWAY_SECOND_FACTOR_ROLES']?.trim();
  if (roles) {
    const listed = roles === 'none' ? [] : roles.split(',').map((r) => r.trim()).filter((r) => r !== '');
    const unknown = listed.filter((r) => !(ROLES as readonly string[]).includes(r));
    if (unknown.length > 0) throw new ConfigError(`invalid gateway configuration: GATEWAY_SECOND_FACTOR_ROLES names ${unknown.join(', ')}; roles are ${ROLES.join(', ')}, or none`);
    policy.secondFactorRoles = listed as Role[];
  }
  for (const [key, field] of [['GATEWAY_PASSWORD_MAX_AGE_DAYS', 'passwordMaxAgeDays'], ['GATEWAY_PASSWORD_HISTORY', 'passwordHistory']] as const) {
    const text = env[key]?.trim();
    if (!text) continue;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0 || n > 10_000) throw new ConfigError(`invalid gateway configuration: ${key} must be a whole number, 0 or more`);
    policy[field] = n;
  }
  return policy;
}

/**
 * The web UI's sign-in at the external provider: OIDC_CLIENT_ID, OIDC_AUTHORIZE_URL and
 * OIDC_TOKEN_URL together, and only with the provider's token checks (OIDC_ISSUER, …) set.
 */
function oidcLoginFromEnv(env: Record<string, string | undefined>, verified: boolean): OidcLogin | undefined {
  const clientId = env['OIDC_CLIENT_ID']?.trim();
  const authorizeUrl = env['OIDC_AUTHORIZE_URL']?.trim();
  const tokenUrl = env['OIDC_TOKEN_URL']?.trim();
  const given = [clientId, authorizeUrl, tokenUrl].filter(Boolean).length;
  if (given === 0) return undefined;
  if (given < 3) throw new ConfigError('invalid gateway configuration: OIDC_CLIENT_ID, OIDC_AUTHORIZE_URL and OIDC_TOKEN_URL go together');
  if (!verified) throw new ConfigError('invalid gateway configuration: the sign-in at an external provider needs OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL to check its tokens');
  for (const [key, url] of [['OIDC_AUTHORIZE_URL', authorizeUrl], ['OIDC_TOKEN_URL', tokenUrl]] as const) {
    if (!/^https?:\/\//.test(url!)) throw new ConfigError(`invalid gateway configuration: ${key} must be an http(s) address`);
  }
  return { clientId: clientId!, authorizeUrl: authorizeUrl!, tokenUrl: tokenUrl! };
}

/** The gateway's configuration, read once from the environment. */
export const loadConfig = () => readGatewayConfig(process.env);
