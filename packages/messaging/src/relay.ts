import type { Envelope } from '@fbl/contracts';
import type { Database, HeldLock, MessagingTables } from '@fbl/db';
import type { Logger, ProcessMetrics } from '@fbl/observability';
import { inArray, isNotNull, sql } from 'drizzle-orm';
import { toRecord, type Bus } from './bus.js';
import { backoffMs, sleep } from './backoff.js';

/** Settings of one outbox relay. */
export interface RelayOptions {
  /** The service whose outbox this is; names the lock and the metrics. */
  service: string;
  database: Database;
  tables: MessagingTables;
  bus: Bus;
  logger: Logger;
  metrics?: ProcessMetrics;
  batchSize?: number;
  /** How often to look when nobody wakes the relay. */
  pollMs?: number;
}

/** A message the relay has published: its topic and key. */
/** A PostgreSQL notification: its channel and payload (at most 8000 bytes). */
export interface Notice {
  channel: string;
  payload: string;
}

export interface PublishedRecord {
  topic: string;
  key: string;
}

interface OutboxRow extends Record<string, unknown> {
  seq: number | string;
  topic: string;
  key: string;
  envelope: Envelope | string;
}

/** The relay's lock ended under it; it stops publishing until it holds the lock anew. */
class LockLost extends Error {}

/**
 * Publishes a service's outbox to the bus and deletes rows only after the bus acknowledged them.
 *
 * Order. Each pass reads the committed rows still in the outbox, oldest `seq` first. A row whose
 * transaction commits late is simply read by a later pass: nothing is skipped, and rows are
 * published in the order their transactions became visible (commit order, at the grain of one
 * pass). Within one pass, `seq` order is commit order for every key: two transactions writing
 * messages about the same aggregate serialise on that aggregate's row lock, which each takes
 * before it writes its outbox rows, so the later one's rows get the higher `seq`.
 *
 * Published rows are deleted, not marked: a row still in the outbox is one not yet acknowledged,
 * so the relay's index holds only what is left to send instead of every row sent since the last
 * vacuum. (Rows marked `published_at` by earlier versions are never read again and are deleted
 * when the relay takes its lock.) Nothing reads the published history: consumers' inboxes
 * remember what they handled, and tests watch the bus.
 *
 * Passes coalesce: a wake while a pass runs makes one more pass after it, however many wakes
 * came, and that pass takes every row committed meanwhile.
 *
 * One relay per outbox is active at a time (a session advisory lock); the others wait to take
 * over. The lock is fenced: before each batch goes to the bus the relay asks, on the lock's own
 * session, whether it still holds it, and stops publishing the moment it does not (the session
 * ended with a database restart, say, and another relay may have taken over). A crash after
 * publishing and before deleting publishes the rows again: consumers' inboxes absorb the duplicates.
 */

export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollMs: number;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private lock: HeldLock | null = null;
  /** Whether rows marked published by an earlier version are still to be deleted (once per lock taken). */
  private legacyCleanup = false;
  private lastCheck = 0;

  private readonly published: ((records: readonly PublishedRecord[]) => Promise<void>)[] = [];

  /**
   * Be told of each batch once the bus has acknowledged it and its rows are deleted: what was
   * published, after the transactions that wrote it committed. A failing listener is logged and
   * changes nothing for the relay.
   */
  afterPublish(listener: (records: readonly PublishedRecord[]) => Promise<void>): void {
    this.published.push(listener);
  }

  private readonly notices: ((records: readonly PublishedRecord[]) => readonly Notice[])[] = [];

  /**
   * Send PostgreSQL notifications for each published batch in the statement that deletes its
   * rows (`with gone as (delete …) select pg_notify(…)`): delivered once the rows are gone, as
   * after {@link afterPublish}, without a round trip of their own.
   */
  notifyOnPublish(notices: (records: readonly PublishedRecord[]) => readonly Notice[]): void {
    this.notices.push(notices);
  }

  constructor(private readonly options: RelayOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.pollMs = options.pollMs ?? 250;
  }

  /** Start relaying in the background until {@link stop}. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Tell the relay new rows were committed, so it need not wait for its next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stop after the current batch and give up the lock. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wake();
    await this.loop;
    await this.giveUpLock();
  }

  private async giveUpLock(): Promise<void> {
    const lock = this.lock;
    this.lock = null;
    this.options.metrics?.outboxRelayActive.set({ service: this.options.service }, 0);
    await lock?.release().catch(() => undefined);
  }

  /**
   * Publish everything committed so far, batch by batch. Returns how many rows were published.
   * Callers other than the background loop must hold no relay running on the same outbox.
   */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.publishBatch();
      total += published;
      if (published < this.batchSize) return total;
    }
  }

  private async run(): Promise<void> {
    const { logger, database, service } = this.options;
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        if (!this.lock) {
          this.lock = await database.tryLock(`outbox-relay:${service}`);
          if (!this.lock) {
            await sleep(1000, this.abort.signal);
            continue;
          }
          this.options.metrics?.outboxRelayActive.set({ service }, 1);
          this.lastCheck = Date.now();
          this.legacyCleanup = true;
          logger.info({ service }, 'outbox relay active');
        } else if (Date.now() - this.lastCheck > 1000) {
          // Even with nothing to publish, find out soon that the lock is gone, and say so.
          this.lastCheck = Date.now();
          if (!(await this.lock.held())) throw new LockLost(`the outbox relay lock of ${service} was lost`);
        }
        this.woken = false;
        if (this.legacyCleanup) await this.deleteMarkedRows();
        await this.drain();
        failures = 0;
        // Rows this process commits wake the relay after their commit; without a wake since the
        // pass began, the rows it read were all there were (others' rows are found by the poll).
        if (!this.woken) await this.idle();
      } catch (error) {
        if (error instanceof LockLost || (this.lock && !(await this.lock.held()))) {
          await this.giveUpLock();
          logger.warn({ service }, 'outbox relay lost its lock; it publishes again only once it holds it anew');
        }
        failures += 1;
        const delay = backoffMs(failures, 200, 3_000);
        logger.warn({ err: error, service, retryInMs: delay }, 'outbox relay pass failed; rows stay in the outbox');
        await sleep(delay, this.abort.signal);
      }
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(), this.pollMs);
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      this.wakeUp = done;
    });
  }

  private async publishBatch(): Promise<number> {
    const { database, tables, bus, metrics, service } = this.options;
    const { outbox } = tables;
    const rows = await database.rows<OutboxRow>(
      database.db,
      sql`select ${outbox.seq} as seq, ${outbox.topic} as topic, ${outbox.key} as key, ${outbox.envelope} as envelope
          from ${outbox}
          where ${outbox.publishedAt} is null
          order by ${outbox.seq}
          limit ${this.batchSize}`,
    );
    metrics?.outboxBacklog.set({ service }, rows.length);
    if (rows.length === 0) return 0;
    // Fenced: nothing goes to the bus unless this relay still holds the lock it took.
    if (this.lock && !(await this.lock.held())) throw new LockLost(`the outbox relay lock of ${service} was lost`);
    await bus.publish(
      rows.map((row) => {
        const envelope = typeof row.envelope === 'string' ? (JSON.parse(row.envelope) as Envelope) : row.envelope;
        return toRecord(row.topic, row.key, envelope);
      }),
    );
    // Acknowledged: the rows leave the outbox. A crash before this line publishes them again.
    const records = rows.map((row) => ({ topic: row.topic, key: row.key }));
    const gone = inArray(outbox.seq, rows.map((row) => Number(row.seq)));
    const notices = this.notices.flatMap((notice) => notice(records));
    if (notices.length === 0) await database.db.delete(outbox).where(gone);
    else {
      const notify = sql.join(notices.map((n) => sql`pg_notify(${n.channel}, ${n.payload})`), sql`, `);
      await database.rows(database.db, sql`with gone as (delete from ${outbox} where ${gone}) select ${notify}`);
    }
    metrics?.outboxPublished.inc({ service }, rows.length);
    if (this.published.length > 0) {
      for (const listener of this.published) {
        await listener(records).catch((error: unknown) => this.options.logger.warn({ err: error, service }, 'a listener of published outbox rows failed'));
      }
    }
    return rows.length;
  }

  /** Rows an earlier version marked published instead of deleting them: sent, so gone. */
  private async deleteMarkedRows(): Promise<void> {
    const { database, tables } = this.options;
    await database.db.delete(tables.outbox).where(isNotNull(tables.outbox.publishedAt));
    this.legacyCleanup = false;
  }
}
