import type { TokenKey } from '@fbl/auth';
import { allMessages, MessageRegistry } from '@fbl/contracts';
import { openDatabase, type Database } from '@fbl/db';
import type { SealingKeys } from '@fbl/privacy';
import { InProcessBus } from '@fbl/messaging';
import { createLogger, createMetrics } from '@fbl/observability';
import { buildHttpServer, startService, type RunningService } from '@fbl/service-kit';
import { createTestDatabase, type TestDatabase } from '@fbl/testing';
import type { FastifyInstance } from 'fastify';
import { referralWorkflowService, type ReferralWorkflowService } from '../src/index.js';

/** The workflow alone on a fresh database of a real PostgreSQL, its routes served in process. */
export interface WorkflowUnderTest {
  database: Database;
  /** The database's URL, for a client of the test's own. */
  databaseUrl: string;
  bus: InProcessBus;
  service: ReferralWorkflowService;
  http: FastifyInstance;
  stop(): Promise<void>;
}

/** Start the workflow for an integration test, with the given keys and clock. */
export async function startWorkflow(name: string, options: { authSecret: TokenKey; encryptionKey: string | SealingKeys; attachmentRetentionDays: number; clock: () => Date; onStatement?: (text: string) => void; availabilityResyncMs?: number }): Promise<WorkflowUnderTest> {
  const testDb: TestDatabase = await createTestDatabase(name);
  const database = await openDatabase({ url: testDb.url }, options.onStatement ? { onStatement: options.onStatement } : {});
  const logger = createLogger({ name, level: 'silent' });
  const bus = new InProcessBus(logger);
  const service = referralWorkflowService({ database, bus, logger, metrics: createMetrics(), registry: new MessageRegistry(allMessages), clock: options.clock }, options);
  const running: RunningService = await startService(service);
  const http = await buildHttpServer({ title: 'referral-workflow', logger, metrics: createMetrics(), readiness: [], plugins: [service.routes!] });
  return {
    database,
    databaseUrl: testDb.url,
    bus,
    service,
    http,
    async stop() {
      await http.close();
      await running.stop();
      await database.close();
      await testDb.drop();
    },
  };
}
