import type { Database } from '@fbl/db';
import type { Logger } from '@fbl/observability';
import { CHANGES_CHANNEL } from '../adapters/db/change-notices.js';

/** A referral that changed, as a stream tells it. */
export interface ReferralChange {
  id: string;
  state: string;
  version: number;
}

/** What a subscriber hears: a change with the institutions taking part in it, or a call to reload everything. */
export type FeedItem = { kind: 'change'; change: ReferralChange; parties: readonly string[] } | { kind: 'resync' };

interface Subscriber {
  userId: string;
  hear: (item: FeedItem) => void;
  close: () => void;
}

/** Streams one account may hold open at once (tabs, devices); the oldest is closed for a new one. */
export const STREAMS_PER_ACCOUNT = 4;

/**
 * The live feed of referral changes for this process: one LISTEN on the database while the
 * service runs, fanned out to the subscribers (the open event streams). Changes made by any
 * replica reach every replica's subscribers, since the database carries the announcements. The
 * changed referrals' states and parties are read once per announcement, by one statement for all
 * its referrals, whatever the number of subscribers. When the listening connection is
 * re-established, subscribers are told to reload (announcements may have been missed meanwhile);
 * a LISTEN that fails is tried again.
 */
export class ReferralChanges {
  private readonly subscribers = new Set<Subscriber>();
  private stopListening: (() => Promise<void>) | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;
  private listens = 0;

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
    /** Referrals' states and versions now, with the institutions taking part in each, read at once; one that is gone is absent. */
    private readonly current: (referralIds: readonly string[]) => Promise<ReadonlyMap<string, { change: ReferralChange; parties: readonly string[] }>>,
  ) {}

  /** Start listening (a background job of the service). */
  start(): void {
    this.stopped = false;
    void this.listen(1000);
  }

  private async listen(backoffMs: number): Promise<void> {
    try {
      const handle = await this.database.listen(
        CHANGES_CHANNEL,
        (payload) => void this.arrived(payload),
        () => {
          // Every (re)connection of the listening session; after the first, changes may have been missed.
          this.listens += 1;
          if (this.listens > 1) this.broadcast({ kind: 'resync' });
        },
      );
      if (this.stopped) await handle.unlisten();
      else this.stopListening = () => handle.unlisten();
    } catch (error) {
      if (this.stopped) return;
      this.logger.error({ err: error, retryInMs: backoffMs }, 'could not listen for referral changes; trying again');
      this.retry = setTimeout(() => void this.listen(Math.min(backoffMs * 2, 30_000)), backoffMs);
    }
  }

  private async arrived(payload: string): Promise<void> {
    let ids: string[];
    try {
      ids = JSON.parse(payload) as string[];
      if (!Array.isArray(ids)) throw new Error('not a list');
    } catch {
      this.logger.warn('unreadable referral change notification ignored');
      return;
    }
    if (this.subscribers.size === 0) return;
    let now: ReadonlyMap<string, { change: ReferralChange; parties: readonly string[] }>;
    try {
      now = await this.current(ids);
    } catch (error) {
      this.logger.warn({ err: error, referrals: ids.length }, 'changed referrals could not be read; subscribers reload');
      this.broadcast({ kind: 'resync' });
      return;
    }
    for (const id of ids) {
      const changed = now.get(id);
      if (changed) this.broadcast({ kind: 'change', ...changed });
    }
  }

  private broadcast(item: FeedItem): void {
    for (const s of this.subscribers) s.hear(item);
  }

  /** Stop listening and end every open stream. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.endAll();
    await this.stopListening?.().catch(() => undefined);
    this.stopListening = undefined;
  }

  /**
   * Subscribe a stream of an account: `hear` gets every item; `close` is called when the feed
   * ends it (the server closing, or the account opening one stream too many). Returns the
   * unsubscribe.
   */
  subscribe(userId: string, hear: (item: FeedItem) => void, close: () => void): () => void {
    const mine = [...this.subscribers].filter((s) => s.userId === userId);
    if (mine.length >= STREAMS_PER_ACCOUNT) mine[0]!.close();
    const subscriber: Subscriber = { userId, hear, close };
    this.subscribers.add(subscriber);
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  /** End every open stream (the server is closing). */
  endAll(): void {
    for (const s of [...this.subscribers]) s.close();
    this.subscribers.clear();
  }

  /** How many streams are open. */
  get open(): number {
    return this.subscribers.size;
  }
}
