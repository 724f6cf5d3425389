import type { Database } from '@fbl/db';
import { sql } from 'drizzle-orm';

/** The PostgreSQL channel on which changed referrals are announced. */
export const CHANGES_CHANNEL = 'fbl_referral_changed';

/** Referral ids per NOTIFY (PostgreSQL limits a payload to 8000 bytes; an id takes 39). */
const IDS_PER_NOTIFY = 150;

/**
 * Announce referrals that changed: one `pg_notify` per 150 ids, sent by the outbox relay after the
 * transactions that changed them committed (every change of a referral publishes an event keyed
 * by it). Outside the business transactions, so notifying never serialises their commits.
 */
export async function announceChanges(database: Database, referralIds: readonly string[]): Promise<void> {
  const ids = [...new Set(referralIds)];
  for (let i = 0; i < ids.length; i += IDS_PER_NOTIFY) {
    await database.rows(database.db, sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(ids.slice(i, i + IDS_PER_NOTIFY))})`);
  }
}
