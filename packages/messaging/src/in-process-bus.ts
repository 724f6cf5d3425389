import { isDlqTopic } from '@fbl/contracts';
import type { Logger } from '@fbl/observability';
import type { Bus, BusRecord, DeliveredRecord, ReplayProgress, Subscription, SubscriptionRequest } from './bus.js';

interface Group {
  topics: Set<string>;
  handle: SubscriptionRequest['handle'];
  /** The tail of this group's delivery chain: records are handled one at a time, in order. */
  tail: Promise<void>;
  offsets: Map<string, number>;
  stopped: boolean;
}

/**
 * The bus of the embedded mode: one process, no broker. `publish` resolves only after every
 * subscribed group has handled the records (committed their effects or dead-lettered them), so
 * the relay deletes outbox rows only once they are safe, as it does after Kafka's acks. A
 * group handles its records one at a time, in publish order. Dead letters with no subscriber
 * are kept in memory, newest last, for inspection.
 */
export class InProcessBus implements Bus {
  readonly kind = 'in-process' as const;
  private readonly groups = new Map<string, Group>();
  /** Dead-lettered records, newest last (at most `maxDeadLetters`). */
  readonly deadLetters: BusRecord[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly maxDeadLetters = 1000,
  ) {}

  async publish(records: BusRecord[]): Promise<void> {
    const deliveries: Promise<void>[] = [];
    for (const record of records) {
      if (isDlqTopic(record.topic)) {
        this.deadLetters.push(record);
        if (this.deadLetters.length > this.maxDeadLetters) this.deadLetters.shift();
      }
      for (const group of this.groups.values()) {
        if (group.stopped || !group.topics.has(record.topic)) continue;
        deliveries.push(this.deliver(group, record));
      }
    }
    await Promise.all(deliveries);
  }

  private deliver(group: Group, record: BusRecord): Promise<void> {
    const offset = group.offsets.get(record.topic) ?? 0;
    group.offsets.set(record.topic, offset + 1);
    const delivered: DeliveredRecord = { ...record, partition: 0, offset: String(offset) };
    const run = group.tail.then(() => group.handle(delivered));
    // The chain goes on after a failure; the failure reaches the publisher, whose relay retries.
    group.tail = run.catch((error: unknown) => {
      this.logger.warn({ err: error, topic: record.topic }, 'in-process delivery failed; the relay will retry');
    });
    return run;
  }

  async subscribe(request: SubscriptionRequest): Promise<Subscription> {
    if (this.groups.has(request.group)) throw new Error(`consumer group ${request.group} already subscribed in this process`);
    const group: Group = { topics: new Set(request.topics), handle: request.handle, tail: Promise.resolve(), offsets: new Map(), stopped: false };
    this.groups.set(request.group, group);
    return {
      notConsuming: () => (group.stopped ? 'stopped' : undefined),
      stop: async () => {
        group.stopped = true;
        await group.tail;
        this.groups.delete(request.group);
      },
    };
  }

  /** Records are gone once delivered: there is nothing to replay. */
  async replay(): Promise<ReplayProgress> {
    throw new Error('the in-process bus keeps no log to replay; replaying topics needs Kafka');
  }

  async ensureTopics(): Promise<void> {}

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    await Promise.all([...this.groups.values()].map((g) => g.tail));
    this.groups.clear();
  }
}
