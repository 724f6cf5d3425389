import type { Envelope, OutgoingMessage } from '@fbl/contracts';
import type { Database, Executor, MessagingTables } from '@fbl/db';
import type { Logger } from '@fbl/observability';
import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import { backoffMs, sleep } from './backoff.js';
import type { Outbox } from './outbox.js';

/**
 * Durable deadlines of a service. A timer is a row naming a message and when to send it, written
 * in the same transaction as the change that sets the deadline; scheduling the same key again
 * moves it, cancelling removes it.
 */
export class Timers {
  constructor(private readonly tables: MessagingTables) {}

  /** Send `message` at `dueAt` unless cancelled or moved first. */
  async schedule(tx: Executor, key: string, dueAt: Date, message: OutgoingMessage): Promise<void> {
    const { timers } = this.tables;
    const row = { key, dueAt, topic: message.topic, messageKey: message.key, envelope: message.envelope, firedAt: null };
    await tx.insert(timers).values(row).onConflictDoUpdate({ target: timers.key, set: { dueAt, topic: row.topic, messageKey: row.messageKey, envelope: row.envelope, firedAt: null } });
  }

  /** Forget a timer that has not fired. */
  async cancel(tx: Executor, key: string): Promise<void> {
    const { timers } = this.tables;
    await tx.delete(timers).where(and(eq(timers.key, key), isNull(timers.firedAt)));
  }

  /** When a pending timer falls due, if it exists. */
  async dueAt(tx: Executor, key: string): Promise<Date | undefined> {
    const { timers } = this.tables;
    const [row] = await tx.select({ dueAt: timers.dueAt }).from(timers).where(and(eq(timers.key, key), isNull(timers.firedAt)));
    return row?.dueAt;
  }
}

/** Settings of a timer poller. */
export interface TimerPollerOptions {
  database: Database;
  tables: MessagingTables;
  outbox: Outbox;
  logger: Logger;
  /** The service's clock: timers fall due against it, so tests can move time. */
  clock: () => Date;
  pollMs?: number;
  batchSize?: number;
  /** Called after due timers were moved to the outbox. */
  afterFire?: () => void;
}

/**
 * Moves due timers into the outbox, each with its message, in one transaction per batch. Rows
 * are locked with SKIP LOCKED, so replicas may poll together without firing a timer twice.
 */
export class TimerPoller {
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(private readonly options: TimerPollerOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  /** Fire every timer due now; returns how many fired. */
  async fireDue(): Promise<number> {
    const { database, tables, outbox, clock, batchSize = 200 } = this.options;
    const { timers } = tables;
    let total = 0;
    for (;;) {
      const now = clock();
      const fired = await database.transaction(async (tx) => {
        const due = await tx
          .select()
          .from(timers)
          .where(and(isNull(timers.firedAt), lte(timers.dueAt, now)))
          .orderBy(asc(timers.dueAt))
          .limit(batchSize)
          .for('update', { skipLocked: true });
        if (due.length === 0) return 0;
        await outbox.append(
          tx,
          due.map((t) => ({ topic: t.topic, key: t.messageKey, envelope: { ...(t.envelope as Envelope), time: now.toISOString() } })),
        );
        await tx
          .update(timers)
          .set({ firedAt: sql`now()` })
          .where(sql`${timers.key} in (${sql.join(due.map((t) => sql`${t.key}`), sql`, `)})`);
        return due.length;
      });
      total += fired;
      if (fired < batchSize) break;
    }
    if (total > 0) this.options.afterFire?.();
    return total;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        await this.fireDue();
        failures = 0;
        await sleep(this.options.pollMs ?? 1000, this.abort.signal);
      } catch (error) {
        failures += 1;
        this.options.logger.warn({ err: error }, 'timer poll failed');
        await sleep(backoffMs(failures, 500, 5_000), this.abort.signal);
      }
    }
  }
}
