import type { Notice } from '@fbl/messaging';

/** The PostgreSQL channel on which changed referrals are announced. */
export const CHANGES_CHANNEL = 'fbl_referral_changed';

/** Referral ids per NOTIFY (PostgreSQL limits a payload to 8000 bytes; an id takes 39). */
const IDS_PER_NOTIFY = 150;

/**
 * The notices announcing referrals that changed: one per 150 ids. The outbox relay sends them with
 * the statement that deletes the published rows, after the transactions that changed the
 * referrals committed (every change of a referral publishes an event keyed by it). Outside the
 * business transactions, so notifying never serialises their commits.
 */
export function changeNotices(referralIds: readonly string[]): Notice[] {
  const ids = [...new Set(referralIds)];
  const notices: Notice[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_NOTIFY) notices.push({ channel: CHANGES_CHANNEL, payload: JSON.stringify(ids.slice(i, i + IDS_PER_NOTIFY)) });
  return notices;
}
