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

/**
 * Read `Authorization: Bearer <token>` on every request of `app`'s scope (call it inside a route
 * plugin) and verify it. A request without a token has no principal; a bad token is refused with
 * 401 at once.
 */
export function authenticate(app: FastifyInstance, options: { secret: string; clock: () => Date }): void {
  {
    app.addHook('onRequest', async (request) => {
      const header = request.headers.authorization;
      if (!header) return;
      const match = /^Bearer (.+)$/.exec(header);
      const checked = match ? verifyToken(match[1]!, options.secret, options.clock()) : ({ ok: false, problem: 'malformed' } as const);
      if (!checked.ok) throw new ProblemError(401, 'unauthenticated', 'Sign in again', `the token is ${checked.problem}`);
      request.principal = checked.principal;
    });
  }
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
