import { dlqTopic, Refusal, type DataOf, type Envelope, type MessageDefinition, type MessageRegistry } from '@fbl/contracts';
import type { Database, MessagingTables, Tx } from '@fbl/db';
import { traceIdOf, type Logger, type ProcessMetrics } from '@fbl/observability';
import { HEADERS, type Bus, type DeliveredRecord, type RecordHandler } from './bus.js';
import { backoffMs, sleep } from './backoff.js';
import type { Outbox } from './outbox.js';

/** What a message handler gets: the open transaction, the outbox, and a logger for this message. */
export interface HandlerContext {
  tx: Tx;
  outbox: Outbox;
  logger: Logger;
}

/** A handler of one message type; it runs inside the consumer's transaction. */
export type MessageHandler<E extends Envelope = Envelope> = (envelope: E, context: HandlerContext) => Promise<void>;

/** A handler bound to the type it handles. */
export interface HandlerEntry {
  type: string;
  handle: MessageHandler;
}

/** Bind a typed handler to a message definition. */
export function on<D extends MessageDefinition>(
  definition: D,
  handle: MessageHandler<Envelope<D['type'], DataOf<D>>>,
): HandlerEntry {
  return { type: definition.type, handle: handle as MessageHandler };
}

/** Settings of a consumer pipeline. */
export interface ConsumerOptions {
  /** The consumer (group) name; part of the inbox key. */
  name: string;
  database: Database;
  tables: MessagingTables;
  outbox: Outbox;
  registry: MessageRegistry;
  handlers: HandlerEntry[];
  bus: Bus;
  logger: Logger;
  metrics?: ProcessMetrics;
  /** Attempts at one message before it goes to the dead-letter topic. */
  attempts?: number;
  retryBaseMs?: number;
  /** Called after each committed effect (e.g. to wake the outbox relay). */
  afterCommit?: () => void;
}

/** Thrown when a record must be delivered again later (the database is unreachable). */
export class RedeliverLater extends Error {}

/**
 * Thrown by a handler when a message can never be applied (it names a record that does not
 * exist, say): its transaction rolls back and the message goes to the dead-letter topic at once
 * with this reason, where operators see it, instead of being retried or dropped. A use case's
 * {@link Refusal} thrown under a handler counts the same.
 */
export class CannotApply extends Error {}

/**
 * The one path every incoming record takes, whatever the bus: parse, validate and upcast,
 * then the handler's effect and the inbox row in one transaction. A record seen before does
 * nothing. A record that cannot be read, that its handler says can never be applied
 * ({@link CannotApply}), or whose handler keeps failing while the database is healthy, goes to
 * `<topic>.dlq` with the reason in its headers, and the consumer moves on.
 */
export function createConsumer(options: ConsumerOptions): RecordHandler {
  const { name, database, tables, registry, bus, logger, metrics } = options;
  const attempts = options.attempts ?? 3;
  const retryBaseMs = options.retryBaseMs ?? 100;
  const handlers = new Map(options.handlers.map((h) => [h.type, h.handle]));

  const deadLetter = async (record: DeliveredRecord, reason: string, type: string) => {
    const headers: Record<string, string> = {
      ...record.headers,
      [HEADERS.dlqReason]: reason.slice(0, 2000),
      [HEADERS.dlqTopic]: record.topic,
      [HEADERS.dlqConsumer]: name,
      [HEADERS.dlqAt]: new Date().toISOString(),
    };
    if (record.partition !== undefined) headers[HEADERS.dlqPartition] = String(record.partition);
    if (record.offset !== undefined) headers[HEADERS.dlqOffset] = record.offset;
    await bus.publish([{ topic: dlqTopic(record.topic), key: record.key, value: record.value, headers }]);
    metrics?.messagesHandled.inc({ consumer: name, type, outcome: 'dead-lettered' });
    logger.warn({ consumer: name, topic: record.topic, offset: record.offset, type, reason }, 'message dead-lettered');
  };

  return async (record) => {
    const started = performance.now();
    let parsed: unknown;
    try {
      parsed = JSON.parse(record.value);
    } catch {
      return deadLetter(record, 'malformed JSON', record.headers[HEADERS.type] ?? 'unknown');
    }
    const decoded = registry.decode(parsed);
    if (!decoded.ok) return deadLetter(record, decoded.reason, decoded.envelope?.type ?? 'unknown');
    const { envelope } = decoded;
    const handle = handlers.get(envelope.type);
    if (!handle) {
      // Topics carry many types; this consumer acts on some of them.
      metrics?.messagesHandled.inc({ consumer: name, type: envelope.type, outcome: 'ignored' });
      return;
    }
    const messageLogger = logger.child({
      consumer: name,
      messageId: envelope.id,
      type: envelope.type,
      correlationId: envelope.correlationId,
      traceId: traceIdOf(envelope.traceparent),
    });
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await database.transaction(async (tx) => {
          const inserted = await tx
            .insert(tables.inbox)
            .values({ consumer: name, messageId: envelope.id, type: envelope.type })
            .onConflictDoNothing()
            .returning({ id: tables.inbox.messageId });
          if (inserted.length === 0) return 'duplicate' as const;
          await handle(envelope, { tx, outbox: options.outbox, logger: messageLogger });
          return 'handled' as const;
        });
        metrics?.messagesHandled.inc({ consumer: name, type: envelope.type, outcome });
        metrics?.messageHandleSeconds.observe({ consumer: name }, (performance.now() - started) / 1000);
        if (outcome === 'duplicate') messageLogger.debug('duplicate message ignored');
        else options.afterCommit?.();
        return;
      } catch (error) {
        if (error instanceof CannotApply || error instanceof Refusal) return deadLetter(record, `cannot be applied: ${error.message}`, envelope.type);
        const healthy = await database.ping().then(
          () => true,
          () => false,
        );
        if (!healthy) throw new RedeliverLater(`database unreachable while handling ${envelope.type} ${envelope.id}`);
        if (attempt >= attempts) {
          const reason = `handler failed after ${attempts} attempts: ${error instanceof Error ? error.message : String(error)}`;
          return deadLetter(record, reason, envelope.type);
        }
        messageLogger.warn({ err: error, attempt }, 'message handler failed; retrying');
        await sleep(backoffMs(attempt, retryBaseMs));
      }
    }
  };
}
