import type { OidcSettings } from '@fbl/service-kit';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { ROLES, type Principal, type Role } from './roles.js';
import type { TokenProblem } from './token.js';

/** Checks a token of the external identity provider: its signature by the published keys, issuer, audience, expiry, and the scope claims. */
export type ExternalTokenVerifier = (token: string, now: Date) => Promise<{ ok: true; principal: Principal } | { ok: false; problem: TokenProblem }>;

/**
 * A verifier of an OpenID Connect provider's access tokens (RS256/ES256 and the like), with the
 * keys fetched from its JWKS address and cached (refetched when a token names an unknown key).
 * The role must be one of the system's roles; the institution and division claims give the scope.
 */
export function oidcVerifier(settings: OidcSettings): ExternalTokenVerifier {
  const keys = createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  return async (token, now) => {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer: settings.issuer, audience: settings.audience, currentDate: now, algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'] }));
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      return { ok: false, problem: code === 'ERR_JWT_EXPIRED' ? 'expired' : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' ? 'bad-claims' : code.startsWith('ERR_JWS') || code.startsWith('ERR_JWKS') ? 'bad-signature' : 'malformed' };
    }
    const role = payload[settings.claims.role];
    const institution = payload[settings.claims.institution];
    const division = payload[settings.claims.division];
    if (typeof payload['sub'] !== 'string' || !ROLES.includes(role as Role)) return { ok: false, problem: 'bad-claims' };
    return {
      ok: true,
      principal: {
        userId: `${settings.issuer}#${payload['sub']}`,
        role: role as Role,
        ...(typeof institution === 'string' ? { institutionId: institution } : {}),
        ...(typeof division === 'string' ? { divisionCode: division } : {}),
      },
    };
  };
}
