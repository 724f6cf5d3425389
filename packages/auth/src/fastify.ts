import { ProblemError } from '@fbl/service-kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal, Role } from './roles.js';
import { verifyToken } from './token.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user of this request, when a valid token came with it. */
    principal?: Principal;
  }
}

/** Verify `Authorization: Bearer <token>`: the principal, none without a header, or a 401 problem. */
export function principalFromHeader(header: string | undefined, options: { secret: string; now: Date }): Principal | undefined {
  if (!header) return undefined;
  const match = /^Bearer (.+)$/.exec(header);
  const checked = match ? verifyToken(match[1]!, options.secret, options.now) : ({ ok: false, problem: 'malformed' } as const);
  if (!checked.ok) throw new ProblemError(401, 'unauthenticated', 'Sign in again', `the token is ${checked.problem}`);
  return checked.principal;
}

/**
 * Read `Authorization: Bearer <token>` on every request of `app`'s scope (call it inside a route
 * plugin) and verify it. A request without a token has no principal; a bad token is refused with
 * 401 at once.
 */
export function authenticate(app: FastifyInstance, options: { secret: string; clock: () => Date }): void {
  app.addHook('onRequest', async (request) => {
    const principal = principalFromHeader(request.headers.authorization, { secret: options.secret, now: options.clock() });
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
export function outOfScope(what: string): ProblemError {
  return new ProblemError(403, 'forbidden', 'Not allowed', `this ${what} is outside this account's scope`);
}

/**
 * Require that a principal works at `institutionId` (planner at that hospital, staff of that
 * institution); admins pass when `admin` is true.
 */
export function requireInstitution(who: Principal, institutionId: string | undefined, what: string, options: { admin?: boolean } = {}): void {
  if (options.admin && who.role === 'admin') return;
  if (!institutionId || who.institutionId !== institutionId) throw outOfScope(what);
}
