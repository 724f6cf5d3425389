/**
 * Roles, scopes and signed tokens, shared by every service: pure, nothing of HTTP. Their
 * enforcement on Fastify routes, and external (OpenID Connect) tokens, are `@fbl/auth/fastify`.
 */
export * from './roles.js';
export * from './token.js';
export { generateSm2KeyPair, parseSm2PrivateKey, parseSm2PublicKey, publicKeyHex, sm2KeyPair, sm2Sign, sm2Verify, SM2_DEFAULT_ID, type Sm2KeyPair, type Sm2Point } from './sm2.js';
