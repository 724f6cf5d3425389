import type { TokenKey } from '@fbl/auth';
import { chinaDivisions, DEFAULT_PROVINCE } from '@fbl/codes';
import { bedCommandsTopic, bedEventsTopic } from '@fbl/contracts';
import { AuditLog, Sealer, suiteOf, type SealingKeys } from '@fbl/privacy';
import { ServiceKit, type ServiceDefinition, type ServiceDeps } from '@fbl/service-kit';
import { pgSchema } from 'drizzle-orm/pg-core';
import { fileURLToPath } from 'node:url';
import { BedQueries } from './adapters/db/bed-queries.js';
import { BedStore } from './adapters/db/bed-store.js';
import { VisitStore } from './adapters/db/visit-store.js';
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
  /** Home beds' service plans and visits (absent for the other bed types, or without a sealing key). */
  visits?: HomeVisits;
}

/** What a bed service is built with: the token secret and, for home beds' visits, the key personal data is sealed with. */
export interface BedServiceOptions {
  authSecret: TokenKey;
  /** Seals visit notes, signatures and codes; without it a home bed service has no visits. */
  sealing?: string | SealingKeys;
}

/**
 * Build the service of one bed type: the shared inventory on the policy's own schema, topics
 * and routes. The five bed services are this function with five policies.
 */
export function bedService(policy: BedTypePolicy, deps: ServiceDeps, options: BedServiceOptions): BedService {
  const tables = bedInventoryTables(pgSchema(policy.dbSchema));
  const kit = new ServiceKit(policy.service, tables.messaging, deps);
  const messages = new BedMessages(policy, kit.ports.clock);
  const inventory = new BedInventory(kit.ports, policy, messages, new BedStore(tables, policy, messages, kit.ports.timers), chinaDivisions, deps.province ?? DEFAULT_PROVINCE);
  const queries = new BedQueries(deps.database, tables);
  const visitsOn = policy.visits && options.sealing && (policy.bedType === 'home-care' || policy.bedType === 'home-sick');
  const visits = visitsOn
    ? new HomeVisits(kit.ports, policy.bedType as 'home-care' | 'home-sick', messages, new VisitStore(tables, deps.database), new Sealer(options.sealing!), new AuditLog({ database: deps.database, table: tables.auditLog, clock: kit.ports.clock }), inventory)
    : undefined;
  return {
    name: policy.service,
    kit,
    inventory,
    queries,
    ...(visits ? { visits } : {}),
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    migrationsTable: `${policy.dbSchema}_migrations`,
    migrationsRenameSchema: { from: PLACEHOLDER_SCHEMA, to: policy.dbSchema },
    routes: bedRoutes(kit, inventory, queries, options.authSecret, visits),
    consumers: [{ group: policy.service, handlers: bedHandlers(inventory, visits), topics: [bedCommandsTopic(policy.bedType)] }],
    // The visit records' audit log is kept under a hash chain, as the other services' logs are.
    ...(visits ? { auditChain: { logs: [{ schema: policy.dbSchema, log: 'audit_log' }], suite: suiteOf(options.sealing!) } } : {}),
    produces: [bedEventsTopic(policy.bedType), bedCommandsTopic(policy.bedType)],
  };
}
