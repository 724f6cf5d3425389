import { allMessages, MessageRegistry } from '@fbl/contracts';
import { openDatabase } from '@fbl/db';
import { createKafkaBus, InProcessBus, type Bus } from '@fbl/messaging';
import { createLogger, createMetrics, type Logger } from '@fbl/observability';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ProcessConfig } from './config.js';
import { buildHttpServer, type ReadinessCheck } from './http-server.js';
import { migrationsOf, startService, type RunningService, type ServiceDefinition, type ServiceDeps } from './service.js';


/** How long a stopping process lets open HTTP requests finish before it closes their connections. */
export const SHUTDOWN_GRACE_MS = 5_000;

/** A running process: its HTTP server, its services, and how to stop it. */
export interface RunningProcess {
  app: FastifyInstance;
  deps: ServiceDeps;
  services: RunningService[];
  /** The address it listens on, e.g. `http://127.0.0.1:3000`. */
  url: string;
  stop(): Promise<void>;
}

/** What a process hosts. */
export interface ProcessSpec {
  name: string;
  config: Readonly<ProcessConfig>;
  /** Builds the services of this process from the shared dependencies. */
  services: (deps: ServiceDeps) => ServiceDefinition[] | Promise<ServiceDefinition[]>;
  /** Route plugins that belong to no service (e.g. the gateway's own pages). */
  plugins?: FastifyPluginAsync[];
  /** Readiness checks besides the database and the bus (e.g. the gateway's upstreams). */
  readiness?: ReadinessCheck[];
  /** Runs after the services started and before the server listens (e.g. loading demo data). */
  afterStart?: (process: Omit<RunningProcess, 'url' | 'stop'>) => Promise<void>;
  logger?: Logger;
  /** Install SIGINT/SIGTERM handlers that stop the process gracefully. */
  handleSignals?: boolean;
}

/**
 * Open the database and the bus named by the configuration, start the services, and listen.
 * The same function runs one service alone (distributed mode) or all of them (embedded mode).
 */
export async function runProcess(spec: ProcessSpec): Promise<RunningProcess> {
  const { config } = spec;
  const logger = spec.logger ?? createLogger({ name: spec.name, level: config.logLevel });
  const metrics = createMetrics({ process: spec.name });
  // Opened with the migrations below: a new embedded folder then starts as a migrated snapshot.
  const database = await openDatabase(config.database, { deferOpen: true });
  const bus: Bus = config.kafka
    ? await createKafkaBus({
        brokers: config.kafka.brokers,
        clientId: spec.name,
        logger,
        partitions: config.kafka.partitions,
        replicationFactor: config.kafka.replicationFactor,
        ...(config.kafka.namespace ? { namespace: config.kafka.namespace } : {}),
        ...(config.kafka.ssl ? { ssl: config.kafka.ssl } : {}),
        ...(config.kafka.sasl ? { sasl: config.kafka.sasl } : {}),
      })
    : new InProcessBus(logger);
  const deps: ServiceDeps = { database, bus, logger, metrics, registry: new MessageRegistry(allMessages), clock: () => new Date(), ...(config.province ? { province: config.province } : {}), ...(config.oidc ? { oidc: config.oidc } : {}) };
  const definitions = await spec.services(deps);
  // Every service's schema first, then the services: none starts on a database another has yet to migrate.
  await database.migrateAll(definitions.map(migrationsOf));
  const services: RunningService[] = [];
  for (const definition of definitions) services.push(await startService(definition, { migrated: true }));
  const readiness: ReadinessCheck[] = [
    { name: 'database', check: () => database.ping() },
    { name: 'bus', check: () => bus.ping() },
    // Ready only while every consumer consumes: answering HTTP while the messages behind it wait is not ready.
    {
      name: 'consumers',
      check: async () => {
        const idle = services.flatMap((s) => s.idleConsumers());
        if (idle.length > 0) throw new Error(idle.join('; '));
      },
    },
    ...(spec.readiness ?? []),
  ];
  const app = await buildHttpServer({
    title: spec.name,
    logger,
    metrics,
    readiness,
    // The process's own plugins first: one may set hooks for every route (security headers, limits).
    plugins: [...(spec.plugins ?? []), ...definitions.flatMap((d) => (d.routes ? [d.routes] : []))],
  });
  await spec.afterStart?.({ app, deps, services });
  const url = await app.listen({ port: config.port, host: config.host });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down');
      // Requests in flight may finish; a connection still open after the grace period (a live
      // stream a client never closed, a request that hangs) is cut, so a stop always ends.
      const cut = setTimeout(() => {
        logger.warn({ graceMs: SHUTDOWN_GRACE_MS }, 'connections still open after the grace period are closed');
        app.server.closeAllConnections();
      }, SHUTDOWN_GRACE_MS);
      await app.close().finally(() => clearTimeout(cut));
      for (const s of [...services].reverse()) await s.stop();
      await bus.close();
      await database.close();
      logger.info('stopped');
    })());

  if (spec.handleSignals) {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'signal received');
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  logger.info({ url, bus: bus.kind, database: database.kind }, 'listening');
  return { app, deps, services, url, stop };
}
