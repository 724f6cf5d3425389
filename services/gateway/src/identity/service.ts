import type { TokenKey } from '@fbl/auth';
import type { CryptoSuite, SealingKeys } from '@fbl/privacy';
import { ServiceKit, type ServiceDefinition, type ServiceDeps } from '@fbl/service-kit';
import { fileURLToPath } from 'node:url';
import { Accounts, DEFAULT_SIGN_IN_POLICY, type SignInPolicy } from './accounts.js';
import type { DemoUser } from './demo-users.js';
import { oidcLoginRoutes, type OidcLogin } from './oidc-login.js';
import { identityRoutes } from './routes.js';
import { messaging } from './schema.js';

/** The gateway's sign-in, as a service any process can host. */
export interface IdentityService extends ServiceDefinition {
  accounts: Accounts;
}

/** Build the sign-in service: accounts in the `gateway` schema, routes under `/api/auth`. */
export function identityService(deps: ServiceDeps, options: { authSecret: TokenKey; demoUsers?: () => readonly DemoUser[] | undefined; policy?: Partial<SignInPolicy>; oidcLogin?: OidcLogin; suite?: CryptoSuite; sealing?: SealingKeys | string }): IdentityService {
  const kit = new ServiceKit('gateway', messaging, deps);
  const accounts = new Accounts(deps.database, options.authSecret, deps.clock, { ...DEFAULT_SIGN_IN_POLICY, ...options.policy }, options.sealing);
  return {
    name: 'gateway',
    kit,
    accounts,
    migrationsFolder: fileURLToPath(new URL('../../drizzle', import.meta.url)),
    migrationsTable: 'gateway_migrations',
    routes: async (app) => {
      await app.register(identityRoutes(accounts, { authSecret: options.authSecret, clock: deps.clock, oidc: deps.oidc, ...(options.demoUsers ? { demoUsers: options.demoUsers } : {}) }));
      await app.register(oidcLoginRoutes({ login: options.oidcLogin, oidc: deps.oidc, authSecret: options.authSecret, clock: deps.clock }));
    },
    consumers: [],
    produces: [],
    // The audit of account changes and the sign-in log, under one hash chain each.
    auditChain: { logs: [{ schema: 'gateway', log: 'audit_log' }, { schema: 'gateway', log: 'sign_ins' }], suite: options.suite ?? 'standard' },
  };
}
