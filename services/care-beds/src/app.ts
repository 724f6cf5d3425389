import { CARE_BEDS, eventsTopic } from '@fbl/contracts';
import { ServiceKit, type ServiceDefinition, type ServiceDeps } from '@fbl/service-kit';
import { fileURLToPath } from 'node:url';
import { careBedsHandlers } from './adapters/messages/handlers.js';
import { careBedsRoutes } from './adapters/http/routes.js';
import { messaging } from './adapters/db/schema.js';
import { CareBeds, SERVICE } from './application/care-beds.js';

/** The care-beds service (养老床位) as a definition any process can host. */
export interface CareBedsService extends ServiceDefinition {
  careBeds: CareBeds;
}

/** Build the care-beds service on the given dependencies. */
export function careBedsService(deps: ServiceDeps): CareBedsService {
  const kit = new ServiceKit(SERVICE, messaging, deps);
  const careBeds = new CareBeds(kit);
  return {
    name: SERVICE,
    kit,
    careBeds,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    migrationsTable: 'care_beds_migrations',
    routes: careBedsRoutes(kit, careBeds),
    consumers: [{ group: SERVICE, handlers: careBedsHandlers(careBeds) }],
    produces: [eventsTopic(CARE_BEDS)],
  };
}
