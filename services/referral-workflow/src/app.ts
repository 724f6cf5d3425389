import { Gauge } from 'prom-client';
import { BED_TYPES, bedCommandsTopic, bedEventsTopic, CIVIL_AFFAIRS, commandsTopic, eventsTopic, MEDICAL_INSURANCE, REFERRAL } from '@fbl/contracts';
import { ServiceKit, type ServiceDefinition, type ServiceDeps } from '@fbl/service-kit';
import { fileURLToPath } from 'node:url';
import { messaging } from './adapters/db/schema.js';
import { referralRoutes } from './adapters/http/routes.js';
import { referralHandlers } from './adapters/messages/handlers.js';
import { announceChanges, ReferralChanges } from './application/changes.js';
import { Referrals, SERVICE } from './application/referrals.js';
import { GREEN_CHANNEL_DEADLINES, ROUTINE_DEADLINES, type Deadlines } from './domain/types.js';

/** The referral-workflow service as a definition any process can host. */
export interface ReferralWorkflowService extends ServiceDefinition {
  referrals: Referrals;
}

/** Build the referral-workflow service on the given dependencies. */
export function referralWorkflowService(deps: ServiceDeps, options: { authSecret: string; deadlines?: { routine: Deadlines; greenChannel: Deadlines } }): ReferralWorkflowService {
  const kit = new ServiceKit(SERVICE, messaging, deps);
  const referrals = new Referrals(kit, options.deadlines ?? { routine: ROUTINE_DEADLINES, greenChannel: GREEN_CHANNEL_DEADLINES });
  const changes = new ReferralChanges(deps.database, kit.logger, (id) => referrals.current(id));
  // Every change of a referral publishes an event keyed by it: once published, the change is announced.
  const referralEvents = eventsTopic(REFERRAL);
  kit.relay.afterPublish((records) => announceChanges(deps.database, records.filter((r) => r.topic === referralEvents).map((r) => r.key)));
  // Open live-update streams, for operators (and for tests: a closed page must not leave one behind).
  new Gauge({
    name: 'fbl_live_streams_open',
    help: 'Live-update (server-sent event) streams open',
    registers: [deps.metrics.registry],
    collect() {
      this.set(changes.open);
    },
  });
  return {
    name: SERVICE,
    kit,
    referrals,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    migrationsTable: 'referral_migrations',
    routes: referralRoutes(kit, referrals, changes, options.authSecret),
    jobs: [changes],
    consumers: [
      {
        group: SERVICE,
        handlers: referralHandlers(referrals),
        topics: [...BED_TYPES.map(bedEventsTopic), eventsTopic(CIVIL_AFFAIRS), eventsTopic(MEDICAL_INSURANCE), commandsTopic(REFERRAL)],
      },
    ],
    produces: [eventsTopic(REFERRAL), commandsTopic(REFERRAL), ...BED_TYPES.map(bedCommandsTopic), commandsTopic(CIVIL_AFFAIRS), commandsTopic(MEDICAL_INSURANCE)],
  };
}
