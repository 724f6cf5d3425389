import type { Envelope } from '@fbl/contracts';

/** A message as it travels: the envelope serialised, with routing headers. */
export interface BusRecord {
  topic: string;
  /** The aggregate id; all messages of one key keep their order. */
  key: string;
  /** The JSON envelope. */
  value: string;
  headers: Record<string, string>;
}

/** A record as a consumer receives it, with its place in the log where there is one. */
export interface DeliveredRecord extends BusRecord {
  partition?: number;
  offset?: string;
}

/**
 * Handles one delivered record. It resolves once the record's effect is committed (or the record
 * is dead-lettered); it rejects only when the record must be delivered again later.
 */
export type RecordHandler = (record: DeliveredRecord) => Promise<void>;

/** A consumer group's wish to receive some topics. */
export interface SubscriptionRequest {
  group: string;
  topics: string[];
  handle: RecordHandler;
}

/** A running subscription. */
export interface Subscription {
  stop(): Promise<void>;
}

/**
 * The message bus port. Two adapters: Apache Kafka (distributed mode) and in-process (embedded
 * mode). Both are fed only by outbox relays and feed only inbox consumers, so both modes follow
 * the same path.
 */
export interface Bus {
  readonly kind: 'kafka' | 'in-process';
  /** Resolves when every record is durably accepted (all in-sync replicas for Kafka). */
  publish(records: BusRecord[]): Promise<void>;
  subscribe(request: SubscriptionRequest): Promise<Subscription>;
  /** Create topics that do not exist yet (and their dead-letter topics when asked). */
  ensureTopics(topics: string[]): Promise<void>;
  /** Succeeds when the bus answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Header names carried with every record; consumers can route and trace without parsing. */
export const HEADERS = {
  messageId: 'message-id',
  type: 'message-type',
  version: 'message-version',
  correlationId: 'correlation-id',
  traceparent: 'traceparent',
  dlqReason: 'dlq-reason',
  dlqTopic: 'dlq-original-topic',
  dlqPartition: 'dlq-original-partition',
  dlqOffset: 'dlq-original-offset',
  dlqConsumer: 'dlq-consumer',
  dlqAt: 'dlq-failed-at',
} as const;

/** The record of an envelope, keyed by its subject. */
export function toRecord(topic: string, key: string, envelope: Envelope): BusRecord {
  const headers: Record<string, string> = {
    [HEADERS.messageId]: envelope.id,
    [HEADERS.type]: envelope.type,
    [HEADERS.version]: String(envelope.version),
    [HEADERS.correlationId]: envelope.correlationId,
  };
  if (envelope.traceparent) headers[HEADERS.traceparent] = envelope.traceparent;
  return { topic, key, value: JSON.stringify(envelope), headers };
}
