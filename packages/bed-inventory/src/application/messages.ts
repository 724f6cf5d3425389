import { bedCommandsTopic, bedEventsTopic, createMessage, type DataOf, type MessageDefinition, type MessageOrigin, type OutgoingMessage } from '@fbl/contracts';
import type { BedTypePolicy } from '../domain/policy.js';

/**
 * Builds the messages of one bed service on its own topics. Every bed message is about an
 * institution's capacity, so the institution is the subject (the Kafka key).
 */
export class BedMessages {
  constructor(
    private readonly policy: BedTypePolicy,
    private readonly clock: () => Date,
  ) {}

  /** An event on this service's events topic. */
  event<D extends MessageDefinition>(definition: D, institutionId: string, data: DataOf<D>, origin: MessageOrigin): OutgoingMessage {
    return createMessage(definition, institutionId, data, origin, { time: this.clock(), topic: bedEventsTopic(this.policy.bedType) });
  }

  /** A command to this service itself (what a timer sends when it falls due). */
  command<D extends MessageDefinition>(definition: D, institutionId: string, data: DataOf<D>, origin: MessageOrigin): OutgoingMessage {
    return createMessage(definition, institutionId, data, origin, { time: this.clock(), topic: bedCommandsTopic(this.policy.bedType) });
  }
}
