import type { Database, Tx } from '@fbl/db';
import type { Logger } from '@fbl/observability';
import { sql } from 'drizzle-orm';
import type { ReferralContext } from '../domain/referral-machine.js';

/** The PostgreSQL channel a referral's change is announced on when its transaction commits. */
export const CHANGES_CHANNEL = 'fbl_referral_changed';

/** A referral that changed, and who takes part in it (to decide who is told). */
export interface ReferralChange {
  id: string;
  state: string;
  version: number;
  /** The referring institution, every offered institution, and the one holding the bed. */
  parties: string[];
}

/** Announce a change in the caller's transaction: listeners in every process hear it at commit. */
export async function announceChange(database: Database, tx: Tx, change: { id: string; state: string; version: number; context: ReferralContext }): Promise<void> {
  const { context } = change;
  const parties = [...new Set([context.origin.institutionId, ...context.offers.map((o) => o.institutionId), ...(context.hold ? [context.hold.institutionId] : [])])];
  const payload: ReferralChange = { id: change.id, state: change.state, version: change.version, parties };
  await database.rows(tx, sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(payload)})`);
}

type Listener = (change: ReferralChange) => void;

/**
 * The live feed of referral changes for this process: one LISTEN on the database while the
 * service runs, fanned out to the subscribers (the open event streams). Changes made by any
 * replica reach every replica's subscribers, since the database carries them.
 */
export class ReferralChanges {
  private readonly listeners = new Set<Listener>();
  private readonly closers = new Set<() => void>();
  private stopListening: (() => Promise<void>) | undefined;

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
  ) {}

  /** Start listening (a background job of the service). */
  start(): void {
    void this.database
      .listen(CHANGES_CHANNEL, (payload) => {
        let change: ReferralChange;
        try {
          change = JSON.parse(payload) as ReferralChange;
        } catch {
          this.logger.warn('unreadable referral change notification ignored');
          return;
        }
        for (const listener of this.listeners) listener(change);
      })
      .then((handle) => {
        this.stopListening = () => handle.unlisten();
      })
      .catch((error: unknown) => this.logger.error({ err: error }, 'could not listen for referral changes; live updates are off'));
  }

  /** Stop listening and end every open stream. */
  async stop(): Promise<void> {
    this.endAll();
    await this.stopListening?.().catch(() => undefined);
    this.stopListening = undefined;
  }

  /** Subscribe a stream: `listener` hears every change; `close` is called when the feed ends. Returns the unsubscribe. */
  subscribe(listener: Listener, close: () => void): () => void {
    this.listeners.add(listener);
    this.closers.add(close);
    return () => {
      this.listeners.delete(listener);
      this.closers.delete(close);
    };
  }

  /** End every open stream (the server is closing). */
  endAll(): void {
    for (const close of [...this.closers]) close();
    this.listeners.clear();
    this.closers.clear();
  }

  /** How many streams are open. */
  get subscribers(): number {
    return this.listeners.size;
  }
}
