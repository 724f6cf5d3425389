import type { TokenKey } from '@fbl/auth';
import { chinaDivisions, DEFAULT_PROVINCE } from '@fbl/codes';
import { bedCommandsTopic, bedEventsTopic } from '@fbl/contracts';
import { AuditLog, Sealer, suiteOf, type SealingKeys } from '@fbl/privacy';
import { ServiceKit, type BackgroundJob, type ServiceDefinition, type ServiceDeps } from '@fbl/service-kit';
import { pgSchema } from 'drizzle-orm/pg-core';
import { fileURLToPath } from 'node:url';
import { BedQueries } from './adapters/db/bed-queries.js';
import { BedStore } from './adapters/db/bed-store.js';
import { VisitStore } from './adapters/db/visit-store.js';
import { sealLeftovers } from './adapters/db/sealed-leftovers.js';
import { PLACEHOLDER_SCHEMA } from './adapters/db/schema.js';
import { bedInventoryTables } from './adapters/db/tables.js';
import { bedRoutes } from './adapters/http/routes.js';
import { bedHandlers } from './adapters/messages/handlers.js';
import { BedInventory } from './application/inventory.js';
import { BedMessages } from './application/messages.js';
import { HomeVisits } from './application/visits.js';
import type { BedTypePolicy } from './domain/policy.js';

/** A bed service as a definition any process can host, with its use cases at hand. */
export interface BedService extends ServiceDefinition {
  inventory: BedInventory;
  queries: BedQueries;
  /** Home beds' service plans and visits (absent for the other bed types). */
  visits?: HomeVisits;
}

/** What a bed service is built with: the token secret and the key personal and health data is sealed with. */
export interface BedServiceOptions {
  authSecret: TokenKey;
  /** Seals residents' health text (service plans, discharge and transfer reasons, stage reviews) and home beds' visit notes, signatures and codes. */
  sealing: string | SealingKeys;
}

/**
 * Build the service of one bed type: the shared inventory on the policy's own schema, topics
 * and routes. The five bed services are this function with five policies.
 */
export function bedService(policy: BedTypePolicy, deps: ServiceDeps, options: BedServiceOptions): BedService {
  const tables = bedInventoryTables(pgSchema(policy.dbSchema));
  const kit = new ServiceKit(policy.service, tables.messaging, deps);
  const messages = new BedMessages(policy, kit.ports.clock);
  const sealer = new Sealer(options.sealing);
  // Every read and change of a resident's record is audited, in every bed service.
  const audit = new AuditLog({ database: deps.database, table: tables.auditLog, clock: kit.ports.clock });
  const inventory = new BedInventory(kit.ports, policy, messages, new BedStore(tables, policy, messages, kit.ports.timers, sealer), audit, chinaDivisions, deps.province ?? DEFAULT_PROVINCE);
  const queries = new BedQueries(deps.database, tables, sealer);
  const visits = policy.visits && (policy.bedType === 'home-care' || policy.bedType === 'home-sick')
    ? new HomeVisits(kit.ports, policy.bedType, messages, new VisitStore(tables, deps.database), sealer, audit, inventory)
    : undefined;
  // Health text written in clear before it was sealed is moved to the sealed columns once, at start.
  let running: Promise<void> = Promise.resolve();
  const leftovers: BackgroundJob = {
    start: () => {
      running = sealLeftovers(deps.database, tables, sealer)
        .then((moved) => (moved.stays + moved.transfers + moved.episodeReviews > 0 ? kit.logger.info({ moved }, 'health text written before sealing is sealed now') : undefined))
        .catch((error: unknown) => kit.logger.error({ err: error }, 'sealing the health text written before sealing failed; tried again at the next start'));
    },
    stop: () => running,
  };
  return {
    name: policy.service,
    kit,
    inventory,
    queries,
    ...(visits ? { visits } : {}),
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    migrationsTable: `${policy.dbSchema}_migrations`,
    migrationsRenameSchema: { from: PLACEHOLDER_SCHEMA, to: policy.dbSchema },
    routes: bedRoutes(kit, inventory, queries, audit, options.authSecret, visits),
    consumers: [{ group: policy.service, handlers: bedHandlers(inventory, visits), topics: [bedCommandsTopic(policy.bedType)] }],
    jobs: [leftovers],
    // The audit log of residents' records (and visits) is kept under a hash chain, as the other services' logs are.
    auditChain: { logs: [{ schema: policy.dbSchema, log: 'audit_log' }], suite: suiteOf(options.sealing) },
    produces: [bedEventsTopic(policy.bedType), bedCommandsTopic(policy.bedType)],
  };
}
