import type { OidcSettings } from './config.js';
import { MessageRegistry, type MessageOrigin } from '@fbl/contracts';
import type { Database, MessagingTables, MigrateOptions, Tx } from '@fbl/db';
import { createConsumer, Outbox, OutboxRelay, TimerPoller, Timers, type Bus, type HandlerEntry, type Subscription } from '@fbl/messaging';
import type { Logger, ProcessMetrics } from '@fbl/observability';
import type { FastifyPluginAsync } from 'fastify';
import type { ServicePorts } from './pipeline.js';
import { auditChainJob, type AuditChainSettings } from './audit-chain-job.js';

/** What a process gives each service it hosts. */
export interface ServiceDeps {
  database: Database;
  bus: Bus;
  logger: Logger;
  metrics: ProcessMetrics;
  registry: MessageRegistry;
  /** The current time; tests pass a controllable clock. */
  clock: () => Date;
  /** An external OpenID Connect provider whose tokens the routes accept too (distributed mode). */
  oidc?: OidcSettings;
  /** The province the deployment serves (two digits of its GB/T 2260 code); `DEFAULT_PROVINCE` (Shandong) when absent. */
  province?: string;
}

/**
 * A service's handle on its own persistence and messaging: its outbox, its relay, and
 * `transact`, which runs a change and wakes the relay once it commits.
 */
export class ServiceKit {
  readonly outbox: Outbox;
  readonly relay: OutboxRelay;
  readonly timers: Timers;
  readonly timerPoller: TimerPoller;
  readonly logger: Logger;
  /** What the service's use cases are given of it. */
  readonly ports: ServicePorts;

  constructor(
    readonly name: string,
    readonly tables: MessagingTables,
    readonly deps: ServiceDeps,
  ) {
    this.logger = deps.logger.child({ service: name });
    this.outbox = new Outbox(tables);
    this.relay = new OutboxRelay({ service: name, database: deps.database, tables, bus: deps.bus, logger: this.logger, metrics: deps.metrics });
    this.timers = new Timers(tables);
    this.timerPoller = new TimerPoller({
      database: deps.database,
      tables,
      outbox: this.outbox,
      logger: this.logger,
      clock: deps.clock,
      afterFire: () => this.relay.wake(),
    });
    this.ports = { database: deps.database, transact: (fn) => this.transact(fn), timers: this.timers, clock: deps.clock, logger: this.logger };
  }

  /** Run `fn` in one transaction with the outbox at hand; the relay is woken after commit. */
  async transact<T>(fn: (tx: Tx, outbox: Outbox) => Promise<T>): Promise<T> {
    const result = await this.deps.database.transaction((tx) => fn(tx, this.outbox));
    this.relay.wake();
    return result;
  }

  /** The origin of messages caused by an HTTP request of this service. */
  originOf(request: { id: string; traceparent: string }, correlationId?: string): MessageOrigin {
    return { source: this.name, causationId: request.id, traceparent: request.traceparent, ...(correlationId ? { correlationId } : {}) };
  }
}

/** A background job of a service (a timer poller, a projection); started after the consumers. */
export interface BackgroundJob {
  start(): void;
  stop(): Promise<void>;
}

/** Everything a service is, the same in both run modes: migrations, routes, handlers, jobs. */
export interface ServiceDefinition {
  name: string;
  kit: ServiceKit;
  /** Folder of drizzle-kit migrations; tracked in `drizzle.<schema>_migrations`. */
  migrationsFolder: string;
  migrationsTable: string;
  /** Apply migrations written for another schema name to this service's schema. */
  migrationsRenameSchema?: { from: string; to: string };
  routes?: FastifyPluginAsync;
  /** One consumer group per entry; its topics follow from the types it handles unless given. */
  consumers?: { group: string; handlers: HandlerEntry[]; topics?: string[] }[];
  /** Topics this service writes to, created at start when missing. */
  produces?: string[];
  jobs?: BackgroundJob[];
  /** The service's append-only logs kept under a hash chain, linked by a job of their own. */
  auditChain?: AuditChainSettings;
}

/** A started service. */
export interface RunningService {
  definition: ServiceDefinition;
  /** Its consumers that are not consuming now, each with the reason; empty while all are. */
  idleConsumers(): string[];
  stop(): Promise<void>;
}

/** The migrations of a service's schema. */
export function migrationsOf(definition: ServiceDefinition): MigrateOptions {
  return {
    folder: definition.migrationsFolder,
    table: definition.migrationsTable,
    ...(definition.migrationsRenameSchema ? { renameSchema: definition.migrationsRenameSchema } : {}),
  };
}

/** Migrate (unless `options.migrated`), create topics, start the relay, subscribe the consumers, start the jobs. */
export async function startService(definition: ServiceDefinition, options: { migrated?: boolean } = {}): Promise<RunningService> {
  const { kit } = definition;
  const { database, bus, registry, metrics } = kit.deps;
  if (!options.migrated) await database.migrate(migrationsOf(definition));
  const consumed = (definition.consumers ?? []).map((c) => ({ ...c, topics: c.topics ?? registry.topicsOf(c.handlers.map((h) => h.type)) }));
  await bus.ensureTopics([...(definition.produces ?? []), ...consumed.flatMap((c) => c.topics)]);
  kit.relay.start();
  const subscriptions: { group: string; subscription: Subscription }[] = [];
  for (const consumer of consumed) {
    const handle = createConsumer({
      name: consumer.group,
      database,
      tables: kit.tables,
      outbox: kit.outbox,
      registry,
      handlers: consumer.handlers,
      bus,
      logger: kit.logger,
      metrics,
      afterCommit: () => kit.relay.wake(),
    });
    subscriptions.push({ group: consumer.group, subscription: await bus.subscribe({ group: consumer.group, topics: consumer.topics, handle, handleBatch: handle.batch }) });
  }
  const jobs = [...(definition.jobs ?? []), ...(definition.auditChain ? [auditChainJob(database, kit.logger, definition.auditChain)] : [])];
  for (const job of jobs) job.start();
  kit.timerPoller.start();
  kit.logger.info({ consumers: consumed.map((c) => c.group) }, 'service started');
  return {
    definition,
    idleConsumers: () =>
      subscriptions.flatMap(({ group, subscription }) => {
        const why = subscription.notConsuming();
        metrics.consumersLive.set({ consumer: group }, why ? 0 : 1);
        return why ? [`${group}: ${why}`] : [];
      }),
    stop: async () => {
      await kit.timerPoller.stop();
      for (const job of jobs) await job.stop();
      for (const s of subscriptions) await s.subscription.stop();
      await kit.relay.stop();
    },
  };
}
