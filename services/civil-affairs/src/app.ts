import { AssessAbility, BED_SERVICES, CIVIL_AFFAIRS, eventsTopic, ProviderChosen } from '@fbl/contracts';
import { FieldProtector, serviceActor } from '@fbl/privacy';
import { ServiceKit, type BackgroundJob, type ServiceDefinition, type ServiceDeps } from '@fbl/service-kit';
import { fileURLToPath } from 'node:url';
import { messaging } from './adapters/db/schema.js';
import { civilAffairsRoutes } from './adapters/http/routes.js';
import { civilAffairsHandlers } from './adapters/messages/handlers.js';
import { AssessmentQueue } from './application/assessment-queue.js';
import { ElderDirectory } from './application/elder-directory.js';
import { ElderRights } from './application/elder-rights.js';
import { Elders, SERVICE } from './application/elders.js';
import { HomeCareHours } from './application/home-care-hours.js';
import { RegisterFacts } from './application/register-facts.js';
import { Tanfang } from './application/tanfang.js';
import { DEFAULT_RULE_SETS, type EntitlementRuleSet } from './domain/home-care-hours.js';
import { WaitingList } from './application/waiting-list.js';
import { protectorKeysOf, type Secrets } from './secrets.js';

/** The civil-affairs service as a definition any process can host. */
export interface CivilAffairsService extends ServiceDefinition {
  elders: Elders;
  directory: ElderDirectory;
  waitingList: WaitingList;
  facts: RegisterFacts;
  tanfang: Tanfang;
  hours: HomeCareHours;
}

/** Choices of a deployment beyond the defaults. */
export interface CivilAffairsOptions {
  /** Rule sets of government-bought home-care hours for other regions or later dates, added to the defaults (Rushan). */
  homeCareRules?: readonly EntitlementRuleSet[];
}

/** A job that schedules the current month's 探访 at start and then every hour (idempotent: one per elder and month). */
function scheduleTanfang(tanfang: Tanfang, kit: ServiceKit): BackgroundJob {
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const once = () => {
    running = tanfang.schedule(tanfang.thisMonth(), '', { source: SERVICE }, serviceActor(SERVICE)).then(
      (made) => made > 0 && kit.logger.info({ made }, '探访 of the month scheduled'),
      (error: unknown) => kit.logger.error({ err: error }, 'scheduling the month\'s 探访 failed'),
    );
  };
  return {
    start: () => {
      once();
      timer = setInterval(once, 3600_000);
      timer.unref();
    },
    stop: async () => {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

/** A job that indexes the names of elders registered before the index existed, once, at start; stopping waits for it. */
function indexNamesAtStart(directory: ElderDirectory, kit: ServiceKit): BackgroundJob {
  let running: Promise<unknown> = Promise.resolve();
  return {
    start: () => {
      running = directory.indexNames().then(
        (indexed) => indexed > 0 && kit.logger.info({ indexed }, 'names of registered elders indexed'),
        (error: unknown) => kit.logger.error({ err: error }, 'indexing the names of registered elders failed'),
      );
    },
    stop: async () => {
      await running;
    },
  };
}

/** Build the civil-affairs service on the given dependencies and secrets. */
export function civilAffairsService(deps: ServiceDeps, secrets: Secrets, options: CivilAffairsOptions = {}): CivilAffairsService {
  const kit = new ServiceKit(SERVICE, messaging, deps);
  const protector = new FieldProtector(protectorKeysOf(secrets));
  const elders = new Elders(kit.ports, protector);
  const rights = new ElderRights(kit.ports, protector, elders, elders.store);
  const waitingList = new WaitingList(kit.ports, protector);
  const directory = new ElderDirectory(kit.ports, protector);
  const queue = new AssessmentQueue(kit.ports, directory);
  const facts = new RegisterFacts(kit.ports, protector, elders);
  const tanfang = new Tanfang(kit.ports, elders);
  const hours = new HomeCareHours(kit.ports, [...DEFAULT_RULE_SETS, ...(options.homeCareRules ?? [])]);
  return {
    name: SERVICE,
    kit,
    elders,
    directory,
    waitingList,
    facts,
    tanfang,
    hours,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    migrationsTable: 'civil_affairs_migrations',
    routes: civilAffairsRoutes(kit, { elders, rights, directory, queue, waitingList, facts, tanfang, hours }, secrets.authSecret),
    // Elders registered before names had a blind index get one once the service runs.
    jobs: [indexNamesAtStart(directory, kit), scheduleTanfang(tanfang, kit)],
    auditChain: { logs: [{ schema: 'civil_affairs', log: 'audit_log' }], suite: secrets.suite ?? 'standard' },
    consumers: [{ group: SERVICE, handlers: civilAffairsHandlers(elders, hours), topics: [AssessAbility.topic, ProviderChosen.topic, eventsTopic(BED_SERVICES['home-care'])] }],
    produces: [eventsTopic(CIVIL_AFFAIRS)],
  };
}
