import { runProcess } from '@fbl/service-kit';
import { loadConfig } from './config.js';
import { ensureFirstAdmin } from './identity/demo-users.js';
import { identityService, type IdentityService } from './identity/service.js';
import { gatewayRoutes } from './routes.js';
import { unifiedOpenApi } from './openapi.js';
import { gatewaySecurity } from './security.js';

const config = loadConfig();
let identity: IdentityService | undefined;

await runProcess({
  name: 'gateway',
  config,
  services: (deps) => [(identity = identityService(deps, { authSecret: config.authSecret, suite: config.suite, sealing: config.sealing, policy: config.signInPolicy, ...(config.oidcLogin ? { oidcLogin: config.oidcLogin } : {}) }))],
  plugins: [gatewaySecurity({ perMinute: config.rateLimitPerMinute }), unifiedOpenApi(config.upstreams), gatewayRoutes({ upstreams: config.upstreams, authSecret: config.authSecret, ...(config.province ? { province: config.province } : {}), ...(config.oidc ? { oidc: config.oidc } : {}) })],
  readiness: Object.entries(config.upstreams).map(([name, url = '']) => ({
    name,
    check: async () => {
      const response = await fetch(new URL('/ready', url));
      if (!response.ok) throw new Error(`answered ${response.status}`);
    },
  })),
  afterStart: async ({ deps }) => {
    // An empty deployment gets its first admin from configuration; that admin adds the others.
    if (config.adminPassword && identity && (await ensureFirstAdmin(identity.accounts, config.adminPassword))) deps.logger.info('first admin account created (username admin)');
  },
  handleSignals: true,
});
