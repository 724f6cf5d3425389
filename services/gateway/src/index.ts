/** The gateway's routes, for the embedded runner and tests. */
export { gatewayRoutes, ROUTES, type Upstreams } from './routes.js';
export { Accounts, DEFAULT_SIGN_IN_POLICY, type NewUser, type PublicUser, type Session, type SignedIn, type SignInAttempt, type SignInPolicy } from './identity/accounts.js';
export { adminPasswordFromEnv, signInPolicyFromEnv, type SignInPolicyConfig } from './config.js';
export { base32Decode, hotp, timeStep, totp } from './identity/totp.js';
export { demoUsers, ensureFirstAdmin, seedUsers, type DemoUser } from './identity/demo-users.js';
export { identityService, type IdentityService } from './identity/service.js';
export { hashPassword, verifyPassword } from './identity/passwords.js';
export { gatewaySecurity, rateLimitFromEnv, SIGN_IN_PER_MINUTE } from './security.js';
export { mergeOpenApi, unifiedOpenApi } from './openapi.js';
