import type { Principal } from '@fbl/auth';
import { newId, type AttachmentKind, conflict, invalidInput, notFound, Refusal } from '@fbl/contracts';
import type { Sealer } from '@fbl/privacy';
import type { ServicePorts } from '@fbl/service-kit/pipeline';
import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { attachmentContents, attachments, referrals } from '../adapters/db/schema.js';
import { contentProblem, MAX_REFERRAL_ATTACHMENT_BYTES, sniffMediaType } from '../domain/attachments.js';
import type { Packets } from './packets.js';

/** An attachment as the parties see it listed. */
export interface AttachmentInfo {
  id: string;
  kind: string;
  mediaType: string;
  size: number;
  name: string;
  uploadedAt: string;
}

const FINISHED = ['closed', 'cancelled'];
const OBJECT = 'referral-attachment';

/**
 * Documents sent with a referral (出院小结, test results, wound photos): PDF, JPEG or PNG, the
 * type read from the content, at most 10 MB each and 30 MB a referral. Their bytes and names are
 * sealed at rest with the personal-data key; they are shown to whoever may see the packet's
 * clinical part, and every read is audited. After a referral ends they are kept for the
 * retention period, then their bytes are deleted.
 */
export class Attachments {
  constructor(
    private readonly ports: ServicePorts,
    private readonly packets: Packets,
    private readonly sealer: Sealer,
    private readonly retentionDays: number,
  ) {}

  private get now(): Date {
    return this.ports.clock();
  }

  /** The referring side attaches a document; bad content or too much in all stores nothing. */
  async add(referralId: string, upload: { kind: AttachmentKind; name: string; declaredType: string; bytes: Buffer }, who: Principal): Promise<AttachmentInfo> {
    await this.packets.admit(referralId, who, 'attach', 'referrer', OBJECT);
    const problem = contentProblem(upload.bytes, upload.declaredType);
    if (problem) {
      await this.packets.auditAlone(who, 'attach', referralId, 'invalid', { reason: problem }, OBJECT);
      throw invalidInput([{ field: 'body', pointer: '', in: 'body', reason: `the file ${problem}` }]);
    }
    // The stored type is what the content is (the declared type agreed, or was only application/octet-stream).
    const mediaType = sniffMediaType(upload.bytes)!;
    const id = newId();
    const now = this.now;
    const stored = await this.ports.transact(async (tx) => {
      // The referral's row lock serialises uploads, so two at once cannot pass the total together.
      const [row] = await tx.select({ state: referrals.state }).from(referrals).where(eq(referrals.id, referralId)).for('update');
      if (FINISHED.includes(row!.state)) throw conflict(`the referral is ${row!.state}: nothing more can be attached`);
      const [sum] = await tx.select({ bytes: sql<number>`coalesce(sum(${attachments.size}), 0)::int` }).from(attachments).where(and(eq(attachments.referralId, referralId), isNull(attachments.deletedAt)));
      if ((sum?.bytes ?? 0) + upload.bytes.length > MAX_REFERRAL_ATTACHMENT_BYTES) return false;
      await tx.insert(attachments).values({ id, referralId, kind: upload.kind, mediaType, size: upload.bytes.length, nameSealed: this.sealer.seal(upload.name), uploadedBy: who.userId, uploadedAt: now });
      await tx.insert(attachmentContents).values({ attachmentId: id, sealed: this.sealer.sealBytes(upload.bytes) });
      await this.packets.audit(tx, who, 'attach', referralId, 'allowed', { attachmentId: id, kind: upload.kind, size: upload.bytes.length }, OBJECT);
      return true;
    });
    if (!stored) {
      await this.packets.auditAlone(who, 'attach', referralId, 'invalid', { size: upload.bytes.length, reason: 'over the total' }, OBJECT);
      throw new Refusal('too-large', `a referral's attachments may hold ${MAX_REFERRAL_ATTACHMENT_BYTES / 1024 / 1024} MB in all`, {
        fields: [{ field: 'body', pointer: '', in: 'body', reason: `would take this referral's attachments over ${MAX_REFERRAL_ATTACHMENT_BYTES / 1024 / 1024} MB` }],
      });
    }
    return { id, kind: upload.kind, mediaType, size: upload.bytes.length, name: upload.name, uploadedAt: now.toISOString() };
  }

  /** The attachments whose bytes are still kept, for a reader who may see the packet's clinical part. */
  async list(referralId: string, who: Principal): Promise<AttachmentInfo[]> {
    await this.packets.admit(referralId, who, 'list', 'clinical', OBJECT);
    return this.listed(referralId);
  }

  /** The attachments of a referral (no access check: for a caller that made it). */
  async listed(referralId: string): Promise<AttachmentInfo[]> {
    const rows = await this.ports.database.db.select().from(attachments).where(and(eq(attachments.referralId, referralId), isNull(attachments.deletedAt))).orderBy(asc(attachments.uploadedAt));
    return rows.map((r) => ({ id: r.id, kind: r.kind, mediaType: r.mediaType, size: r.size, name: this.sealer.open(r.nameSealed), uploadedAt: r.uploadedAt.toISOString() }));
  }

  /** One attachment's bytes, opened, for a reader who may see the packet's clinical part; audited. */
  async read(referralId: string, attachmentId: string, who: Principal): Promise<{ info: AttachmentInfo; bytes: Buffer }> {
    await this.packets.admit(referralId, who, 'read', 'clinical', OBJECT, { attachmentId });
    const { db } = this.ports.database;
    const [row] = await db
      .select({ a: attachments, sealed: attachmentContents.sealed })
      .from(attachments)
      .innerJoin(attachmentContents, eq(attachmentContents.attachmentId, attachments.id))
      .where(and(eq(attachments.id, attachmentId), eq(attachments.referralId, referralId), isNull(attachments.deletedAt)));
    if (!row) {
      await this.packets.auditAlone(who, 'read', referralId, 'not-found', { attachmentId }, OBJECT);
      throw notFound(`attachment ${attachmentId}`);
    }
    await this.packets.audit(db, who, 'read', referralId, 'allowed', { attachmentId }, OBJECT);
    const { a } = row;
    return { info: { id: a.id, kind: a.kind, mediaType: a.mediaType, size: a.size, name: this.sealer.open(a.nameSealed), uploadedAt: a.uploadedAt.toISOString() }, bytes: this.sealer.openBytes(row.sealed) };
  }

  /** The referring side removes an attachment (sent by mistake): its bytes are deleted, the record of it kept. */
  async remove(referralId: string, attachmentId: string, who: Principal): Promise<void> {
    await this.packets.admit(referralId, who, 'remove', 'referrer', OBJECT, { attachmentId });
    const removed = await this.ports.transact(async (tx) => {
      const gone = await tx.update(attachments).set({ deletedAt: this.now, deletedReason: 'removed' }).where(and(eq(attachments.id, attachmentId), eq(attachments.referralId, referralId), isNull(attachments.deletedAt))).returning({ id: attachments.id });
      if (gone.length === 0) return false;
      await tx.delete(attachmentContents).where(eq(attachmentContents.attachmentId, attachmentId));
      await this.packets.audit(tx, who, 'remove', referralId, 'allowed', { attachmentId }, OBJECT);
      return true;
    });
    if (!removed) throw notFound(`attachment ${attachmentId}`);
  }

  /**
   * Delete the bytes of attachments of referrals that ended (closed or cancelled) more than the
   * retention period ago; the record of each stays, marked `retention`. Returns how many.
   */
  async purgeExpired(): Promise<number> {
    const cutoff = new Date(this.now.getTime() - this.retentionDays * 86_400_000);
    return this.ports.database.transaction(async (tx) => {
      const due = await tx
        .select({ id: attachments.id })
        .from(attachments)
        .innerJoin(referrals, eq(referrals.id, attachments.referralId))
        .where(and(isNull(attachments.deletedAt), inArray(referrals.state, FINISHED), lt(referrals.updatedAt, cutoff)))
        .limit(500);
      if (due.length === 0) return 0;
      const ids = due.map((d) => d.id);
      await tx.delete(attachmentContents).where(inArray(attachmentContents.attachmentId, ids));
      await tx.update(attachments).set({ deletedAt: this.now, deletedReason: 'retention' }).where(inArray(attachments.id, ids));
      return ids.length;
    });
  }
}

