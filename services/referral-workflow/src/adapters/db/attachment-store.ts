import type { Executor, Tx } from '@fbl/db';
import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { attachmentContents, attachments, referrals } from './schema.js';

/** An attachment's record, as stored (its name sealed). */
export type AttachmentRow = typeof attachments.$inferSelect;

/** A new attachment's record. */
export type NewAttachment = typeof attachments.$inferInsert;

/** Referral states after which attachments are only kept for the retention period. */
const FINISHED = ['closed', 'cancelled'];

/**
 * Where a referral's attachments are kept: a record of each (type, size, sealed name, who sent
 * it) and, while they are kept, their sealed bytes in a table of their own. Reads and writes only;
 * who may, and what is allowed, is decided above.
 */
export class AttachmentStore {
  /** The state of a referral, its row locked for the rest of the transaction (so uploads to it are serialised). */
  async lockedState(tx: Tx, referralId: string): Promise<string> {
    const [row] = await tx.select({ state: referrals.state }).from(referrals).where(eq(referrals.id, referralId)).for('update');
    return row!.state;
  }

  /** The bytes a referral's kept attachments take in all. */
  async keptBytes(tx: Tx, referralId: string): Promise<number> {
    const [sum] = await tx.select({ bytes: sql<number>`coalesce(sum(${attachments.size}), 0)::int` }).from(attachments).where(and(eq(attachments.referralId, referralId), isNull(attachments.deletedAt)));
    return sum?.bytes ?? 0;
  }

  /** Insert an attachment's record, then its sealed bytes. */
  async add(tx: Tx, record: NewAttachment, sealed: Buffer): Promise<void> {
    await tx.insert(attachments).values(record);
    await tx.insert(attachmentContents).values({ attachmentId: record.id, sealed });
  }

  /** A referral's attachments whose bytes are still kept, oldest first. */
  async kept(db: Executor, referralId: string): Promise<AttachmentRow[]> {
    return await db.select().from(attachments).where(and(eq(attachments.referralId, referralId), isNull(attachments.deletedAt))).orderBy(asc(attachments.uploadedAt));
  }

  /** One kept attachment of a referral with its sealed bytes; undefined when there is none. */
  async withBytes(db: Executor, referralId: string, attachmentId: string): Promise<{ a: AttachmentRow; sealed: Buffer } | undefined> {
    const [row] = await db
      .select({ a: attachments, sealed: attachmentContents.sealed })
      .from(attachments)
      .innerJoin(attachmentContents, eq(attachmentContents.attachmentId, attachments.id))
      .where(and(eq(attachments.id, attachmentId), eq(attachments.referralId, referralId), isNull(attachments.deletedAt)));
    return row;
  }

  /** Whether a referral keeps this attachment, its record locked for the rest of the transaction. */
  async lockKept(tx: Tx, referralId: string, attachmentId: string): Promise<boolean> {
    const found = await tx.select({ id: attachments.id }).from(attachments).where(and(eq(attachments.id, attachmentId), eq(attachments.referralId, referralId), isNull(attachments.deletedAt))).for('update');
    return found.length > 0;
  }

  /** Mark a kept attachment removed at `at` and delete its bytes; false when there is no such attachment. */
  async remove(tx: Tx, referralId: string, attachmentId: string, at: Date): Promise<boolean> {
    const gone = await tx.update(attachments).set({ deletedAt: at, deletedReason: 'removed' }).where(and(eq(attachments.id, attachmentId), eq(attachments.referralId, referralId), isNull(attachments.deletedAt))).returning({ id: attachments.id });
    if (gone.length === 0) return false;
    await tx.delete(attachmentContents).where(eq(attachmentContents.attachmentId, attachmentId));
    return true;
  }

  /** Kept attachments of referrals that ended (closed or cancelled) before `cutoff`, at most 500. */
  async dueForPurge(tx: Tx, cutoff: Date): Promise<string[]> {
    const due = await tx
      .select({ id: attachments.id })
      .from(attachments)
      .innerJoin(referrals, eq(referrals.id, attachments.referralId))
      .where(and(isNull(attachments.deletedAt), inArray(referrals.state, FINISHED), lt(referrals.updatedAt, cutoff)))
      .limit(500);
    return due.map((d) => d.id);
  }

  /** Delete the bytes of some attachments. */
  async deleteBytes(tx: Tx, ids: string[]): Promise<void> {
    await tx.delete(attachmentContents).where(inArray(attachmentContents.attachmentId, ids));
  }

  /** Mark attachments whose bytes were deleted at the end of their retention. */
  async markExpired(tx: Tx, ids: string[], at: Date): Promise<void> {
    await tx.update(attachments).set({ deletedAt: at, deletedReason: 'retention' }).where(inArray(attachments.id, ids));
  }
}
