/**
 * `pnpm --filter @fbl/monitoring replay`: rebuild the monitoring projections from the Kafka
 * topics (DATABASE_URL, KAFKA_BROKERS and KAFKA_NAMESPACE as for the service). Stop the
 * monitoring service first; the command refuses while its consumer group has members.
 * Progress (records and percentage) goes to the log, and to the terminal when there is one.
 */
import { allMessages, MessageRegistry } from '@fbl/contracts';
import { openDatabase } from '@fbl/db';
import { createKafkaBus } from '@fbl/messaging';
import { createLogger } from '@fbl/observability';
import { replayConfig } from './config.js';
import { fileURLToPath } from 'node:url';
import { describeProgress, replayTopics } from './adapters/messages/replay.js';

const config = replayConfig();
const logger = createLogger({ name: 'monitoring-replay', level: config.logLevel });
if (!config.kafka) {
  logger.error('replay reads the Kafka topics: set KAFKA_BROKERS (the embedded mode keeps no log to replay)');
  process.exit(2);
}

const database = await openDatabase(config.database);
const bus = await createKafkaBus({ brokers: config.kafka.brokers, clientId: 'monitoring-replay', logger, ...(config.kafka.namespace ? { namespace: config.kafka.namespace } : {}) });
try {
  await database.migrate({ folder: fileURLToPath(new URL('../drizzle', import.meta.url)), table: 'monitoring_migrations' });
  let lastLog = 0;
  const started = Date.now();
  const result = await replayTopics({
    database,
    bus,
    registry: new MessageRegistry(allMessages),
    logger,
    onProgress: (p) => {
      if (process.stderr.isTTY) process.stderr.write(`\rreplay: ${describeProgress(p)}`);
      if (Date.now() - lastLog >= 2000 || p.records === p.total) {
        lastLog = Date.now();
        logger.info({ records: p.records, total: p.total, percent: p.total === 0 ? 100 : Math.round((1000 * p.records) / p.total) / 10 }, `replay: ${describeProgress(p)}`);
      }
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  logger.info({ records: result.records, seconds: (Date.now() - started) / 1000 }, 'replay finished: projections rebuilt');
} finally {
  await bus.close();
  await database.close();
}
