import { AssessAbility, CIVIL_AFFAIRS, eventsTopic, ProviderChosen } from '@fbl/contracts';
import { FieldProtector } from '@fbl/privacy';
import { ServiceKit, type ServiceDefinition, type ServiceDeps } from '@fbl/service-kit';
import { fileURLToPath } from 'node:url';
import { messaging } from './adapters/db/schema.js';
import { civilAffairsRoutes } from './adapters/http/routes.js';
import { civilAffairsHandlers } from './adapters/messages/handlers.js';
import { Elders, SERVICE } from './application/elders.js';
import { WaitingList } from './application/waiting-list.js';
import type { Secrets } from './secrets.js';

/** The civil-affairs service as a definition any process can host. */
export interface CivilAffairsService extends ServiceDefinition {
  elders: Elders;
  waitingList: WaitingList;
}

/** Build the civil-affairs service on the given dependencies and secrets. */
export function civilAffairsService(deps: ServiceDeps, secrets: Secrets): CivilAffairsService {
  const kit = new ServiceKit(SERVICE, messaging, deps);
  const protector = new FieldProtector({ encryptionKey: secrets.piiEncryptionKey, hashKey: secrets.piiHashKey });
  const elders = new Elders(kit, protector);
  const waitingList = new WaitingList(kit, protector);
  return {
    name: SERVICE,
    kit,
    elders,
    waitingList,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    migrationsTable: 'civil_affairs_migrations',
    routes: civilAffairsRoutes(kit, elders, waitingList, secrets.authSecret),
    consumers: [{ group: SERVICE, handlers: civilAffairsHandlers(elders), topics: [AssessAbility.topic, ProviderChosen.topic] }],
    produces: [eventsTopic(CIVIL_AFFAIRS)],
  };
}
