import { newId, type Envelope } from '@fbl/contracts';
import type { Database, MessagingTables } from '@fbl/db';
import type { Bus } from '@fbl/messaging';
import { count } from 'drizzle-orm';
import { waitFor } from './wait-for.js';

/** What a test saw published: each message once, in the order the bus delivered it. */
export interface PublishedWatch {
  readonly envelopes: readonly Envelope[];
  /** The messages of a type (and record key, when given), in delivery order. */
  of(type: string, key?: string): Envelope[];
  stop(): Promise<void>;
}

/**
 * Watch what services publish on `topics`, through a consumer group of the test's own. Outbox
 * rows leave the outbox once the bus has them, so what a service published is seen on the bus,
 * not in its outbox. A message the relay publishes twice (at least once) is kept once.
 */
export async function watchPublished(bus: Bus, topics: readonly string[]): Promise<PublishedWatch> {
  const envelopes: Envelope[] = [];
  const keys: string[] = [];
  const seen = new Set<string>();
  await bus.ensureTopics([...topics]);
  const subscription = await bus.subscribe({
    group: `published-watch-${newId()}`,
    topics: [...topics],
    handle: async (record) => {
      const envelope = JSON.parse(record.value) as Envelope;
      if (seen.has(envelope.id)) return;
      seen.add(envelope.id);
      envelopes.push(envelope);
      keys.push(record.key);
    },
  });
  return {
    envelopes,
    of: (type, key) => envelopes.filter((e, i) => e.type === type && (key === undefined || keys[i] === key)),
    stop: () => subscription.stop(),
  };
}

/**
 * Wait until an outbox holds nothing left to send: every message committed before the call has
 * then been acknowledged by the bus (the in-process bus acknowledges once every group, a
 * {@link watchPublished} one included, has handled it).
 */
export async function outboxSent(database: Database, tables: MessagingTables): Promise<void> {
  await waitFor(async () => {
    const [row] = await database.db.select({ n: count() }).from(tables.outbox);
    return Number(row?.n ?? 0) === 0 || undefined;
  }, { what: 'every committed outbox row published' });
}
