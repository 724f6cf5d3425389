import { dlqTopic, Refusal, type DataOf, type Envelope, type MessageDefinition, type MessageRegistry } from '@fbl/contracts';
import type { Database, MessagingTables, Tx } from '@fbl/db';
import { sql } from 'drizzle-orm';
import { lazyChild, traceIdOf, type Logger, type ProcessMetrics } from '@fbl/observability';
import { HEADERS, type BatchHandler, type Bus, type DeliveredRecord, type RecordHandler } from './bus.js';
import { backoffMs, sleep } from './backoff.js';
import type { Outbox } from './outbox.js';

/** What a message handler gets: the open transaction, the outbox, and a logger for this message. */
export interface HandlerContext {
  tx: Tx;
  outbox: Outbox;
  logger: Logger;
  /**
   * Run `fn` once the transaction holding this message's effect committed (never when it rolls
   * back), before the consumer moves on: to refresh what the process keeps in memory of what it
   * wrote. A failure of `fn` is logged; the effect stays committed.
   */
  afterCommit: (fn: () => Promise<void> | void) => void;
}

/** A handler of one message type; it runs inside the consumer's transaction. */
export type MessageHandler<E extends Envelope = Envelope> = (envelope: E, context: HandlerContext) => Promise<void>;

/**
 * A handler of several messages of one type at once, in their order, with the same effect as
 * {@link MessageHandler} applied to each in turn: for a batch, where one multi-row statement
 * replaces a statement per message.
 */
export type ManyHandler<E extends Envelope = Envelope> = (envelopes: readonly E[], context: HandlerContext) => Promise<void>;

/**
 * Messages that are snapshots: of several with the same `key` in one fetched batch, only the one
 * of greatest `rank` (the first on a tie, as a handler that keeps a row unless the rank grows
 * would leave it) needs its handler; it replaces what the others would have written. Each still
 * enters the inbox, so none is applied later either.
 */
export interface Snapshots<E extends Envelope = Envelope> {
  key: (envelope: E) => string;
  rank: (envelope: E) => number;
}

/** A handler bound to the type it handles. */
export interface HandlerEntry {
  type: string;
  handle: MessageHandler;
  snapshots?: Snapshots;
  many?: ManyHandler;
}

/**
 * Bind a typed handler to a message definition; `options.snapshots` when a later message of a key
 * replaces an earlier one's effect; `options.many` to apply a run of messages of the type in a
 * batch together.
 */
export function on<D extends MessageDefinition>(
  definition: D,
  handle: MessageHandler<Envelope<D['type'], DataOf<D>>>,
  options: { snapshots?: Snapshots<Envelope<D['type'], DataOf<D>>>; many?: ManyHandler<Envelope<D['type'], DataOf<D>>> } = {},
): HandlerEntry {
  return {
    type: definition.type,
    handle: handle as MessageHandler,
    ...(options.snapshots ? { snapshots: options.snapshots as Snapshots } : {}),
    ...(options.many ? { many: options.many as ManyHandler } : {}),
  };
}

/** The positions in `envelopes` whose handler can be left out: a later snapshot of the same key (and type) replaces them. */
export function replacedSnapshots(envelopes: readonly Envelope[], snapshotsOf: (type: string) => Snapshots | undefined): Set<number> {
  const best = new Map<string, { index: number; rank: number }>();
  const replaced = new Set<number>();
  envelopes.forEach((envelope, index) => {
    const snapshots = snapshotsOf(envelope.type);
    if (!snapshots) return;
    const key = `${envelope.type}\u0000${snapshots.key(envelope)}`;
    const rank = snapshots.rank(envelope);
    const held = best.get(key);
    if (held === undefined) best.set(key, { index, rank });
    else if (rank > held.rank) {
      replaced.add(held.index);
      best.set(key, { index, rank });
    } else replaced.add(index);
  });
  return replaced;
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

/** A record read and checked: to be dead-lettered, ignored (no handler here), or applied. */
type Prepared =
  | { kind: 'dead'; reason: string; type: string }
  | { kind: 'ignored'; type: string }
  | { kind: 'apply'; envelope: Envelope; handle: MessageHandler; logger: Logger };

/** The record handler of a consumer, which can also apply a fetched batch of records in one transaction. */
export interface Consumer extends RecordHandler {
  batch: BatchHandler;
}

/**
 * The one path every incoming record takes, whatever the bus: parse, validate and upcast,
 * then the handler's effect and the inbox row in one transaction. A record seen before does
 * nothing. A record that cannot be read, that its handler says can never be applied
 * ({@link CannotApply}), or whose handler keeps failing while the database is healthy, goes to
 * `<topic>.dlq` with the reason in its headers, and the consumer moves on.
 *
 * `batch` applies several records (in their order) in one transaction: one multi-row inbox
 * insert, then each new message's handler, seeing what the ones before it wrote. When any of them
 * fails the whole transaction rolls back and each record takes the one-record path above, with its
 * retries and dead-lettering, so a batch never changes what happens, only how many commits it costs.
 * Handlers bound with `snapshots` run once per key in a batch, for the latest snapshot.
 */
export function createConsumer(options: ConsumerOptions): Consumer {
  const { name, database, tables, registry, bus, logger, metrics } = options;
  const attempts = options.attempts ?? 3;
  const retryBaseMs = options.retryBaseMs ?? 100;
  const handlers = new Map(options.handlers.map((h) => [h.type, h.handle]));
  const snapshots = new Map(options.handlers.flatMap((h) => (h.snapshots ? [[h.type, h.snapshots] as const] : [])));
  const many = new Map(options.handlers.flatMap((h) => (h.many ? [[h.type, h.many] as const] : [])));

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

  /** The after-commit callbacks handlers registered, run together once their transaction committed. */
  const runCommitted = async (callbacks: (() => Promise<void> | void)[]) => {
    const outcomes = await Promise.allSettled(callbacks.map(async (fn) => fn()));
    for (const o of outcomes) if (o.status === 'rejected') logger.warn({ consumer: name, err: o.reason as unknown }, 'an after-commit task failed');
  };

  const prepare = (record: DeliveredRecord): Prepared => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(record.value);
    } catch {
      return { kind: 'dead', reason: 'malformed JSON', type: record.headers[HEADERS.type] ?? 'unknown' };
    }
    const decoded = registry.decode(parsed);
    if (!decoded.ok) return { kind: 'dead', reason: decoded.reason, type: decoded.envelope?.type ?? 'unknown' };
    const { envelope } = decoded;
    const handle = handlers.get(envelope.type);
    // Topics carry many types; this consumer acts on some of them.
    if (!handle) return { kind: 'ignored', type: envelope.type };
    // Made only if the handler writes a line: most write none.
    const messageLogger = lazyChild(logger, {
      consumer: name,
      messageId: envelope.id,
      type: envelope.type,
      correlationId: envelope.correlationId,
      traceId: traceIdOf(envelope.traceparent),
    });
    return { kind: 'apply', envelope, handle, logger: messageLogger };
  };

  const one = async (record: DeliveredRecord, prepared: Prepared = prepare(record)): Promise<void> => {
    const started = performance.now();
    if (prepared.kind === 'dead') return deadLetter(record, prepared.reason, prepared.type);
    if (prepared.kind === 'ignored') {
      metrics?.messagesHandled.inc({ consumer: name, type: prepared.type, outcome: 'ignored' });
      return;
    }
    const { envelope, handle, logger: messageLogger } = prepared;
    for (let attempt = 1; ; attempt++) {
      const committed: (() => Promise<void> | void)[] = [];
      try {
        const outcome = await database.transaction(async (tx) => {
          const inserted = await tx
            .insert(tables.inbox)
            .values({ consumer: name, messageId: envelope.id, type: envelope.type })
            .onConflictDoNothing()
            .returning({ id: tables.inbox.messageId });
          if (inserted.length === 0) return 'duplicate' as const;
          await handle(envelope, { tx, outbox: options.outbox, logger: messageLogger, afterCommit: (fn) => committed.push(fn) });
          return 'handled' as const;
        });
        if (committed.length > 0) await runCommitted(committed);
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

  const batch: BatchHandler = async (records) => {
    const prepared = records.map((record) => ({ record, prepared: prepare(record) }));
    const applied = prepared.filter((p): p is { record: DeliveredRecord; prepared: Extract<Prepared, { kind: 'apply' }> } => p.prepared.kind === 'apply');
    if (applied.length < 2) {
      for (const p of prepared) await one(p.record, p.prepared);
      return;
    }
    const started = performance.now();
    let outcomes: ('handled' | 'duplicate')[];
    const committed: (() => Promise<void> | void)[] = [];
    try {
      outcomes = await database.transaction(async (tx) => {
        // One statement whatever the batch's size: the ids and types go as two array parameters.
        const inserted = await database.rows<{ id: string }>(
          tx,
          sql`insert into ${tables.inbox} (consumer, message_id, type)
              select ${name}, m.id, m.type from unnest(${sql.param(applied.map(({ prepared: p }) => p.envelope.id))}::uuid[], ${sql.param(applied.map(({ prepared: p }) => p.envelope.type))}::text[]) as m(id, type)
              on conflict do nothing returning message_id as id`,
        );
        const fresh = new Set(inserted.map((r) => r.id));
        // A message delivered twice, even within the batch, has its effect once.
        // (The database gives uuids back in lower case, whatever case the envelope wrote them in.)
        const isNew = applied.map(({ prepared: p }) => fresh.delete(p.envelope.id.toLowerCase()));
        const newOnes = applied.filter((_, i) => isNew[i]).map(({ prepared: p }) => p);
        const replaced = snapshots.size === 0 ? new Set<number>() : replacedSnapshots(newOnes.map((p) => p.envelope), (type) => snapshots.get(type));
        // A snapshot a later one of the same key replaces is recorded as handled without its own writes.
        const effective = newOnes.filter((_, n) => !replaced.has(n));
        const context = (messageLogger: Logger): HandlerContext => ({ tx, outbox: options.outbox, logger: messageLogger, afterCommit: (fn) => committed.push(fn) });
        for (let i = 0; i < effective.length; ) {
          const p = effective[i]!;
          const together = many.get(p.envelope.type);
          if (!together) {
            await p.handle(p.envelope, context(p.logger));
            i += 1;
            continue;
          }
          // A run of messages of one type with a handler of many goes to it at once, in order.
          let end = i + 1;
          while (end < effective.length && effective[end]!.envelope.type === p.envelope.type) end += 1;
          const run = effective.slice(i, end);
          await together(run.map((r) => r.envelope), context(run.length === 1 ? p.logger : lazyChild(logger, { consumer: name, type: p.envelope.type, messages: run.length })));
          i = end;
        }
        return isNew.map((n) => (n ? 'handled' : 'duplicate'));
      });
    } catch {
      // One of them failed, or the batch met another transaction: each record takes its own path.
      for (const p of prepared) await one(p.record, p.prepared);
      return;
    }
    if (committed.length > 0) await runCommitted(committed);
    for (const p of prepared) if (p.prepared.kind !== 'apply') await one(p.record, p.prepared);
    const seconds = (performance.now() - started) / 1000 / applied.length;
    applied.forEach(({ prepared: p }, i) => {
      metrics?.messagesHandled.inc({ consumer: name, type: p.envelope.type, outcome: outcomes[i]! });
      metrics?.messageHandleSeconds.observe({ consumer: name }, seconds);
    });
    if (outcomes.includes('handled')) options.afterCommit?.();
  };

  return Object.assign((record: DeliveredRecord) => one(record), { batch });
}
