/** Roles, scopes and signed tokens, and their enforcement on HTTP routes, shared by every service. */
export * from './roles.js';
export * from './token.js';
export * from './fastify.js';
export * from './oidc.js';
