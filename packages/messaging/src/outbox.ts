import type { OutgoingMessage } from '@fbl/contracts';
import type { Executor, MessagingTables } from '@fbl/db';

/**
 * Writes messages into a service's outbox inside the caller's transaction. This is the only
 * way a service publishes: the relay takes them to the bus after the transaction commits.
 */
export class Outbox {
  constructor(private readonly tables: MessagingTables) {}

  /** Append messages to the outbox in the transaction `tx`. */
  async append(tx: Executor, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await tx.insert(this.tables.outbox).values(
      messages.map((m) => ({ id: m.envelope.id, topic: m.topic, key: m.key, type: m.envelope.type, envelope: m.envelope })),
    );
  }
}
