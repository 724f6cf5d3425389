/** Tokens and roles enforced on Fastify routes, and tokens of an external OpenID Connect provider. */
export * from './fastify.js';
export * from './oidc.js';
