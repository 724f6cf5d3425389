import { outOfScope, ProblemError, type OidcSettings } from '@fbl/service-kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { oidcVerifier, type ExternalTokenVerifier } from './oidc.js';
import type { Principal, Role } from './roles.js';
import { checkToken, SM2_TOKEN_ALG, tokenAlgorithm, tokenKeyIdentity, type TokenKey } from './token.js';
import { VerifiedTokens } from './verified-tokens.js';

/**
 * How tokens are checked: the gateway's own (HS256 with the shared secret, or SM2-SM3 with the SM2
 * public key under `CRYPTO_SUITE=sm`), and an external OpenID Connect provider's when configured.
 */
export interface TokenChecks {
  secret: TokenKey;
  oidc?: OidcSettings | undefined;
}

// One verifier (and so one cache of the provider's keys) per provider configuration in a process.
const external = new WeakMap<OidcSettings, ExternalTokenVerifier>();
const externalFor = (settings: OidcSettings) => {
  let verifier = external.get(settings);
  if (!verifier) external.set(settings, (verifier = oidcVerifier(settings)));
  return verifier;
};

// The algorithms of the gateway's own tokens: a token of the other suite is refused, never sent to the provider.
const OWN_ALGORITHMS: readonly string[] = ['HS256', SM2_TOKEN_ALG];

/**
 * The process's verified tokens of the gateway (HS256 or SM2-SM3): every request of a signed-in user
 * carries the same token for its 15 minutes, so it is verified once. One per process, as the
 * external provider's keys are.
 */
const verified = new VerifiedTokens();

/** The signing algorithm a token's header names, if it can be read. */
function algorithmOf(token: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof header.alg === 'string' ? header.alg : undefined;
  } catch {
    return undefined;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user of this request, when a valid token came with it. */
    principal?: Principal;
  }
}

/**
 * The principal of `Authorization: Bearer <token>` if this process verified the token with
 * `secret` before and it is still valid at `now`; undefined otherwise (not known: verify it).
 * Synchronous, for the hooks that run on every request.
 */
export function knownPrincipal(header: string | undefined, secret: TokenKey, now: Date): Readonly<Principal> | undefined {
  return header && header.startsWith('Bearer ') ? verified.get(header.slice(7), tokenKeyIdentity(secret), now.getTime()) : undefined;
}

/**
 * Verify `Authorization: Bearer <token>`: the principal, none without a header, or a 401 problem.
 * The gateway's own tokens are checked with the shared secret (HS256) or the SM2 public key
 * (SM2-SM3), whichever the configuration holds; the other of the two is refused; any other
 * algorithm is checked only by the external provider, when one is configured.
 */
export async function principalFromHeader(header: string | undefined, options: TokenChecks & { now: Date }): Promise<Principal | undefined> {
  if (!header) return undefined;
  const token = header.startsWith('Bearer ') && header.length > 7 ? header.slice(7) : undefined;
  const identity = tokenKeyIdentity(options.secret);
  const known = token ? verified.get(token, identity, options.now.getTime()) : undefined;
  if (known) return known;
  const alg = token ? algorithmOf(token) : undefined;
  let checked: Awaited<ReturnType<ExternalTokenVerifier>>;
  if (!token || !alg) checked = { ok: false, problem: 'malformed' };
  else if (alg === tokenAlgorithm(options.secret)) {
    const own = checkToken(token, options.secret, options.now);
    if (own.ok) return verified.set(token, identity, own.principal, own.expiresAtMs);
    checked = own;
  } else if (OWN_ALGORITHMS.includes(alg)) checked = { ok: false, problem: 'bad-signature' };
  else checked = options.oidc ? await externalFor(options.oidc)(token, options.now) : { ok: false, problem: 'bad-signature' };
  if (!checked.ok && checked.problem === 'unavailable') throw new ProblemError(503, 'identity-provider-unavailable', 'Try again shortly', 'the identity provider could not be reached to check the token');
  if (!checked.ok) throw new ProblemError(401, 'unauthenticated', 'Sign in again', `the token is ${checked.problem}`);
  return checked.principal;
}

/**
 * Read `Authorization: Bearer <token>` on every request of `app`'s scope (call it inside a route
 * plugin) and verify it. A request without a token has no principal; a bad token is refused with
 * 401 at once.
 */
export function authenticate(app: FastifyInstance, options: TokenChecks & { clock: () => Date }): void {
  app.addHook('onRequest', async (request) => {
    const principal = await principalFromHeader(request.headers.authorization, { ...options, now: options.clock() });
    if (principal) request.principal = principal;
  });
}

/**
 * The principal of a request if it has one of `roles`; otherwise 401 (no one signed in) or 403
 * (signed in, not allowed). The problem body says which roles may, never any data.
 */
export function requireRole(request: FastifyRequest, ...roles: Role[]): Principal {
  const principal = request.principal;
  if (!principal) throw new ProblemError(401, 'unauthenticated', 'Sign in first', 'this action needs a signed-in user');
  if (!roles.includes(principal.role)) throw new ProblemError(403, 'forbidden', 'Not allowed', `this action is for: ${roles.join(', ')}`);
  return principal;
}

/**
 * A route's `preValidation` hook admitting only `roles`: a caller without one of them gets 401 or
 * 403 before the body is looked at, so a refused caller learns nothing from validation errors.
 */
export function allow(...roles: Role[]): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    requireRole(request, ...roles);
  };
}

/** The signed-in principal of a request a route's `allow` hook has admitted. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ProblemError(401, 'unauthenticated', 'Sign in first', 'this action needs a signed-in user');
  return request.principal;
}

/** A 403 problem: the caller may use the route, but not on this record. The body names no data of it. */
export { outOfScope };

/**
 * Require that a principal works at `institutionId` (planner at that hospital, staff of that
 * institution); admins pass when `admin` is true.
 */
export function requireInstitution(who: Principal, institutionId: string | undefined, what: string, options: { admin?: boolean } = {}): void {
  if (options.admin && who.role === 'admin') return;
  if (!institutionId || who.institutionId !== institutionId) throw outOfScope(what);
}
