import type { MessageRegistry } from '@fbl/contracts';
import type { Database } from '@fbl/db';
import { createConsumer, Outbox, type Bus, type ReplayProgress } from '@fbl/messaging';
import type { Logger } from '@fbl/observability';
import { eq, sql } from 'drizzle-orm';
import { ProjectionStore } from '../db/projection-store.js';
import { inbox, messaging } from '../db/schema.js';
import { MONITORED_TOPICS, monitoringHandlers } from './handlers.js';
import { Projector } from '../../application/projector.js';

export type { ReplayProgress };

/** The projection tables a rebuild empties. */
const PROJECTIONS = ['referrals', 'offers', 'institutions', 'stays', 'capacity_latest', 'bed_days', 'bed_weeks', 'bed_months', 'referral_months', 'arrival_months', 'offer_months', 'offer_place_months', 'flow_months', 'flow_place_months', 'breach_months', 'breach_place_months', 'durations', 'duration_months', 'visits', 'tanfangs', 'statement_lines', 'visit_months'];
const CONSUMER = 'monitoring';

/**
 * Rebuild the projections from scratch: empty them (and the consumer's inbox) in one
 * transaction, then read every monitored topic from its beginning through the same consumer
 * pipeline as the live service, up to where the topics ended when the replay began. The live
 * service must be stopped meanwhile; started again, it goes on from its committed offsets and
 * its inbox passes over what the replay already counted.
 */
export async function replayTopics(options: {
  database: Database;
  bus: Bus;
  registry: MessageRegistry;
  logger: Logger;
  onProgress?: (progress: ReplayProgress) => void;
}): Promise<ReplayProgress> {
  const { database, bus, registry, logger } = options;
  const empty = () =>
    database.transaction(async (tx) => {
      await tx.execute(sql.raw(`truncate ${PROJECTIONS.map((t) => `monitoring.${t}`).join(', ')}`));
      await tx.delete(inbox).where(eq(inbox.consumer, CONSUMER));
    });
  const handle = createConsumer({
    name: CONSUMER,
    database,
    tables: messaging,
    outbox: new Outbox(messaging),
    registry,
    handlers: monitoringHandlers(new Projector(new ProjectionStore())),
    bus,
    logger,
  });
  return bus.replay({ name: CONSUMER, topics: MONITORED_TOPICS, handle, idleGroup: CONSUMER, prepare: empty, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
}

/** "12,345 / 100,000 records (12.3 %)". */
export function describeProgress(p: ReplayProgress): string {
  const percent = p.total === 0 ? 100 : (100 * p.records) / p.total;
  return `${p.records.toLocaleString('en')} / ${p.total.toLocaleString('en')} records (${percent.toFixed(1)} %)`;
}
