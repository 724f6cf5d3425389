import type { Executor } from '@fbl/db';
import type { Sealer } from '@fbl/privacy';
import { inArray } from 'drizzle-orm';
import { transferReasons } from './schema.js';

/** An urgent transfer's reason as it is kept: which transfer, and when it was asked for. */
export interface TransferReason {
  referralId: string;
  transferId: string;
  reason: string;
  requestedAt: Date;
}

/**
 * The reasons of urgent transfers (转院原因), sealed with the personal-data key like packets: a
 * stolen database or backup shows none of them. Reads and writes only; who may is decided above.
 */
export class TransferReasonStore {
  constructor(private readonly sealer: Sealer) {}

  /** Keep a referral's transfer reason, sealed (in the transaction that starts the referral). */
  async save(tx: Executor, row: TransferReason): Promise<void> {
    await tx.insert(transferReasons).values({ referralId: row.referralId, transferId: row.transferId, reasonSealed: this.sealer.seal(row.reason), requestedAt: row.requestedAt });
  }

  /** The transfer reasons of these referrals, opened, by referral. */
  async reasonsOf(db: Executor, referralIds: readonly string[]): Promise<Map<string, string>> {
    if (referralIds.length === 0) return new Map();
    const rows = await db.select({ referralId: transferReasons.referralId, reasonSealed: transferReasons.reasonSealed }).from(transferReasons).where(inArray(transferReasons.referralId, [...referralIds]));
    return new Map(rows.map((r) => [r.referralId, this.sealer.open(r.reasonSealed)]));
  }

  /** Open a text sealed with the shared key by a bed service (an event's `reasonSealed`). */
  open(sealed: string): string {
    return this.sealer.open(sealed);
  }
}
