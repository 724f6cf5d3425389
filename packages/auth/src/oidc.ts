import type { OidcSettings } from '@fbl/service-kit';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { ROLES, type Principal, type Role } from './roles.js';
import type { TokenProblem } from './token.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DIVISION = /^[1-8][0-9]{5}$/;

/** Why jose refused a token, in the words of this package; the provider being unreachable is not the token's fault. */
function problemOf(error: unknown): TokenProblem {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'ERR_JWT_EXPIRED') return 'expired';
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return 'bad-claims';
  // A timeout, a refused connection (fetch failed) or an answer other than 200 from the key set's address.
  if (code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JOSE_GENERIC' || (error instanceof TypeError && /fetch/i.test(error.message))) return 'unavailable';
  if (code.startsWith('ERR_JWS') || code.startsWith('ERR_JWKS')) return 'bad-signature';
  return 'malformed';
}

/** Checks a token of the external identity provider: its signature by the published keys, issuer, audience, expiry, and the scope claims. */
export type ExternalTokenVerifier = (token: string, now: Date) => Promise<{ ok: true; principal: Principal } | { ok: false; problem: TokenProblem }>;

/**
 * A verifier of an OpenID Connect provider's access tokens (RS256/ES256 and the like), with the
 * keys fetched from its JWKS address and cached (refetched when a token names an unknown key).
 * The role must be one of the system's roles; the institution and division claims give the scope.
 */
export function oidcVerifier(settings: OidcSettings): ExternalTokenVerifier {
  // Keys are kept a day: a provider's outage does not sign everyone out, and a token naming a key
  // not yet known (a rotation) makes the set be fetched again at once (at most every 30 s).
  const keys = createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 24 * 3600_000 });
  return async (token, now) => {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        currentDate: now,
        requiredClaims: ['sub', 'exp'],
        algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'],
      }));
    } catch (error) {
      return { ok: false, problem: problemOf(error) };
    }
    const role = payload[settings.claims.role];
    const institution = payload[settings.claims.institution];
    const division = payload[settings.claims.division];
    if (typeof payload['sub'] !== 'string' || !ROLES.includes(role as Role)) return { ok: false, problem: 'bad-claims' };
    // Scopes are compared and used in queries: only well-formed ones are taken.
    if (institution !== undefined && (typeof institution !== 'string' || !UUID.test(institution))) return { ok: false, problem: 'bad-claims' };
    if (division !== undefined && (typeof division !== 'string' || !DIVISION.test(division))) return { ok: false, problem: 'bad-claims' };
    return {
      ok: true,
      principal: {
        userId: `${settings.issuer}#${payload['sub']}`,
        role: role as Role,
        ...(typeof institution === 'string' ? { institutionId: institution } : {}),
        ...(typeof division === 'string' ? { divisionCode: division } : {}),
        ...(typeof payload['name'] === 'string' && payload['name'].length <= 100 ? { name: payload['name'] } : {}),
      },
    };
  };
}
