/**
 * Roles, scopes and signed tokens, shared by every service: pure, nothing of HTTP. Their
 * enforcement on Fastify routes, and external (OpenID Connect) tokens, are `@fbl/auth/fastify`.
 */
export * from './roles.js';
export * from './token.js';
