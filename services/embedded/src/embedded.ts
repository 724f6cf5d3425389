import { BED_POLICIES, bedService, type BedService, type BedTypePolicy } from '@fbl/bed-inventory';
import type { BedType } from '@fbl/contracts';
import { civilAffairsService, newSecrets, sealingOf, type CivilAffairsService, type EntitlementRuleSet, type Secrets } from '@fbl/civil-affairs';
import { demoUsers, ensureFirstAdmin, gatewayRoutes, gatewaySecurity, identityService, seedUsers, type DemoUser, type IdentityService, type SignInPolicyConfig } from '@fbl/gateway';
import { medicalInsuranceService } from '@fbl/medical-insurance';
import { monitoringService } from '@fbl/monitoring';
import type { Logger } from '@fbl/observability';
import { referralWorkflowService, type Deadlines } from '@fbl/referral-workflow';
import { runProcess, type ProcessConfig, type RunningProcess } from '@fbl/service-kit';
import { loadDemoData } from './demo-data.js';
import { loadDemoElders } from './demo-elders.js';

/** The whole system in one process, and its bed services by type. */
export interface EmbeddedSystem extends RunningProcess {
  beds: Record<BedType, BedService>;
  secrets: Secrets;
  /** Sign-in: accounts, sessions, and the demo accounts when demo data is loaded. */
  identity: IdentityService;
}

/**
 * Every service in one process: the embedded mode. The five bed services are the shared bed
 * inventory with their policies (as each bed service's own process runs it); the workflow and
 * the gateway are imported from their services. This deployable is the one place allowed to
 * import services, to compose them; services never import each other.
 */
export async function startEmbedded(
  config: Readonly<ProcessConfig>,
  options: {
    demoData?: boolean;
    handleSignals?: boolean;
    logger?: Logger;
    policies?: Record<BedType, BedTypePolicy>;
    deadlines?: { routine: Deadlines; greenChannel: Deadlines };
    /** Keys for personal data and tokens; fresh ones (lost at exit) when not given. */
    secrets?: Secrets;
    /** Requests a client may make per minute (`RATE_LIMIT_PER_MINUTE`); 0, the default, sets no limit. */
    rateLimitPerMinute?: number;
    /** Rule sets of government-bought home-care hours added to civil affairs' defaults (Rushan). */
    homeCareRules?: readonly EntitlementRuleSet[];
    /**
     * The sign-in policy (second factor by role, password expiry and history). The second factor
     * the gateway requires of admins by default is not asked of the demo's accounts, whose
     * passwords the sign-in page shows, unless `secondFactorRoles` says so; without demo data the
     * gateway's default holds.
     */
    signInPolicy?: SignInPolicyConfig;
    /** Without demo data: the first admin's password of an empty deployment (GATEWAY_ADMIN_PASSWORD). */
    adminPassword?: string;
  } = {},
): Promise<EmbeddedSystem> {
  const policies = options.policies ?? BED_POLICIES;
  const secrets = options.secrets ?? newSecrets();
  let beds: Record<BedType, BedService> | undefined;
  let identity: IdentityService | undefined;
  let civilAffairs: CivilAffairsService | undefined;
  let demo: DemoUser[] | undefined;
  const running = await runProcess({
    name: 'five-bed-linkage',
    config,
    ...(options.logger ? { logger: options.logger } : {}),
    handleSignals: options.handleSignals ?? false,
    services: (deps) => {
      const built = Object.fromEntries(Object.entries(policies).map(([type, policy]) => [type, bedService(policy, deps, { authSecret: secrets.authSecret, sealing: sealingOf(secrets) })])) as Record<BedType, BedService>;
      beds = built;
      const demoPolicy = options.demoData !== false && options.signInPolicy?.secondFactorRoles === undefined ? { secondFactorRoles: [] } : {};
      identity = identityService(deps, { authSecret: secrets.authSecret, demoUsers: () => demo, suite: secrets.suite ?? 'standard', sealing: sealingOf(secrets), policy: { ...options.signInPolicy, ...demoPolicy } });
      civilAffairs = civilAffairsService(deps, secrets, options.homeCareRules ? { homeCareRules: options.homeCareRules } : {});
      return [identity, ...Object.values(built), referralWorkflowService(deps, { authSecret: secrets.authSecret, encryptionKey: sealingOf(secrets), ...(options.deadlines ? { deadlines: options.deadlines } : {}) }), civilAffairs, medicalInsuranceService(deps, { authSecret: secrets.authSecret, encryptionKey: sealingOf(secrets) }), monitoringService(deps, { authSecret: secrets.authSecret })];
    },
    plugins: [gatewaySecurity({ perMinute: options.rateLimitPerMinute ?? 0 }), gatewayRoutes(config.province ? { province: config.province } : {})],
    afterStart: async ({ deps }) => {
      if (options.demoData === false && identity) {
        if (options.adminPassword && (await ensureFirstAdmin(identity.accounts, options.adminPassword))) deps.logger.info('first admin account created (username admin)');
        const usernames = new Set((await identity.accounts.list()).map((u) => u.username));
        if (usernames.size === 0) deps.logger.warn('no account exists and GATEWAY_ADMIN_PASSWORD is unset: nobody can sign in until an admin account is made');
        // The demo's accounts (all but `admin`, also the first admin's name) left by a start with demo data.
        const demoLeft = demoUsers({ hospitalId: '', careHomeId: '', homeCareId: '', healthCentreId: '', hospiceId: '', division: '' }).map((u) => u.username).filter((name) => name !== 'admin' && usernames.has(name));
        if (demoLeft.length > 0) deps.logger.warn({ accounts: demoLeft }, 'demo accounts made by an earlier start with demo data remain; their passwords are public: remove them or change their passwords');
      }
      if (options.demoData !== false && beds && identity) {
        const { added, ids } = await loadDemoData(beds);
        if (added > 0) deps.logger.info({ institutions: added }, 'demo data loaded');
        const elders = civilAffairs ? await loadDemoElders(civilAffairs, deps.clock()) : 0;
        if (elders > 0) deps.logger.info({ elders }, 'demo elders registered');
        demo = demoUsers({ hospitalId: ids.medical[0]!, careHomeId: ids.care[0]!, homeCareId: ids['home-care'][0]!, healthCentreId: ids['home-sick'][0]!, hospiceId: ids.hospice[0]!, division: '371700' });
        const users = await seedUsers(identity.accounts, demo);
        if (users > 0) deps.logger.info({ users }, 'demo accounts created (their passwords are on the sign-in page)');
      }
    },
  });
  return { ...running, beds: beds!, secrets, identity: identity! };
}
