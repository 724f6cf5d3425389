import type { TokenKey } from '@fbl/auth';
import { ServiceKit, type ServiceDefinition, type ServiceDeps } from '@fbl/service-kit';
import { fileURLToPath } from 'node:url';
import { ProjectionStore } from './adapters/db/projection-store.js';
import { messaging } from './adapters/db/schema.js';
import { monitoringRoutes } from './adapters/http/routes.js';
import { MONITORED_TOPICS, monitoringHandlers } from './adapters/messages/handlers.js';
import { registerHeadlineGauges } from './application/gauges.js';
import { Projector } from './application/projector.js';
import { MetricsQueries } from './application/queries.js';

/** The service's name: its schema, its consumer group, its inbox's consumer. */
export const SERVICE = 'monitoring';

/** The monitoring service as a definition any process can host. */
export interface MonitoringService extends ServiceDefinition {
  queries: MetricsQueries;
  projector: Projector;
}

/** What the service needs besides the process's dependencies. */
export interface MonitoringOptions {
  /** The secret that signs and verifies users' tokens. */
  authSecret: TokenKey;
  /** How long the headline gauges keep their figures between scrapes. */
  gaugeTtlMs?: number;
}

/** The consumer of the monitored topics; the replay command feeds the same handlers. */
export function monitoringConsumer(projector: Projector) {
  return { group: SERVICE, handlers: monitoringHandlers(projector), topics: MONITORED_TOPICS };
}

/** Build the monitoring service (监测) on the given dependencies. */
export function monitoringService(deps: ServiceDeps, options: MonitoringOptions): MonitoringService {
  const kit = new ServiceKit(SERVICE, messaging, deps);
  const projector = new Projector(new ProjectionStore());
  const queries = new MetricsQueries(deps.database);
  registerHeadlineGauges(deps.metrics.registry, queries, deps.clock, options.gaugeTtlMs);
  return {
    name: SERVICE,
    kit,
    queries,
    projector,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    migrationsTable: 'monitoring_migrations',
    routes: monitoringRoutes(kit, queries, options.authSecret),
    consumers: [monitoringConsumer(projector)],
    produces: [],
  };
}
