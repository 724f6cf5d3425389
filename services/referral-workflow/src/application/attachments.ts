import type { Principal } from '@fbl/auth';
import { newId, type AttachmentKind, conflict, invalidInput, notFound, Refusal } from '@fbl/contracts';
import type { Sealer } from '@fbl/privacy';
import { run, type Pipeline, type ServicePorts } from '@fbl/service-kit/pipeline';
import { AttachmentStore, type AttachmentRow } from '../adapters/db/attachment-store.js';
import { contentProblem, mayAttach, MAX_REFERRAL_ATTACHMENT_BYTES, sniffMediaType } from '../domain/attachments.js';
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

const OBJECT = 'referral-attachment';

interface Attaching {
  id: string;
  referralId: string;
  upload: { kind: AttachmentKind; name: string; bytes: Buffer };
  mediaType: string;
  who: Principal;
  at: Date;
}

interface Removing {
  referralId: string;
  attachmentId: string;
  who: Principal;
  at: Date;
}

/**
 * Documents sent with a referral (出院小结, test results, wound photos): PDF, JPEG or PNG, the
 * type read from the content, at most 10 MB each and 30 MB a referral. Their bytes and names are
 * sealed at rest with the personal-data key; they are shown to whoever may see the packet's
 * clinical part, and every read is audited. After a referral ends they are kept for the
 * retention period, then their bytes are deleted.
 */
export class Attachments {
  private readonly store = new AttachmentStore();

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
    const attached = await run(this.ports.transact, this.attaching, { id: newId(), referralId, upload, mediaType, who, at: this.now });
    if (!attached.ok) {
      if (attached.because === 'finished') throw conflict(`the referral is ${attached.state}: nothing more can be attached`);
      await this.packets.auditAlone(who, 'attach', referralId, 'invalid', { size: upload.bytes.length, reason: 'over the total' }, OBJECT);
      throw new Refusal('too-large', `a referral's attachments may hold ${MAX_REFERRAL_ATTACHMENT_BYTES / 1024 / 1024} MB in all`, {
        fields: [{ field: 'body', pointer: '', in: 'body', reason: `would take this referral's attachments over ${MAX_REFERRAL_ATTACHMENT_BYTES / 1024 / 1024} MB` }],
      });
    }
    return { id: attached.id, kind: upload.kind, mediaType, size: upload.bytes.length, name: upload.name, uploadedAt: attached.at.toISOString() };
  }

  /**
   * Attaching: the referral locked with the bytes its attachments take (the lock serialises
   * uploads, so two at once cannot pass the total together), the rules deciding, the record, its
   * sealed bytes and the audit row saved.
   */
  private readonly attaching: Pipeline<Attaching, { state: string; keptBytes: number }, ReturnType<typeof mayAttach>, { ok: true; id: string; at: Date } | { ok: false; because: 'finished' | 'over-total'; state: string }> = {
    load: async (tx, { referralId }) => ({ state: await this.store.lockedState(tx, referralId), keptBytes: await this.store.keptBytes(tx, referralId) }),
    decide: (loaded, { upload }) => mayAttach(loaded.state, loaded.keptBytes, upload.bytes.length),
    save: async (tx, _outbox, loaded, decision, { id, referralId, upload, mediaType, who, at }) => {
      if (!decision.ok) return { ...decision, state: loaded.state };
      const record = { id, referralId, kind: upload.kind, mediaType, size: upload.bytes.length, nameSealed: this.sealer.seal(upload.name), uploadedBy: who.userId, uploadedAt: at };
      await this.store.add(tx, record, this.sealer.sealBytes(upload.bytes));
      await this.packets.audit(tx, who, 'attach', referralId, 'allowed', { attachmentId: id, kind: upload.kind, size: upload.bytes.length }, OBJECT);
      return { ok: true, id, at };
    },
  };

  /** The attachments whose bytes are still kept, for a reader who may see the packet's clinical part. */
  async list(referralId: string, who: Principal): Promise<AttachmentInfo[]> {
    await this.packets.admit(referralId, who, 'list', 'clinical', OBJECT);
    return this.listed(referralId);
  }

  /** The attachments of a referral (no access check: for a caller that made it). */
  async listed(referralId: string): Promise<AttachmentInfo[]> {
    const rows = await this.store.kept(this.ports.database.db, referralId);
    return rows.map((r) => this.info(r));
  }

  /** One attachment's bytes, opened, for a reader who may see the packet's clinical part; audited. */
  async read(referralId: string, attachmentId: string, who: Principal): Promise<{ info: AttachmentInfo; bytes: Buffer }> {
    await this.packets.admit(referralId, who, 'read', 'clinical', OBJECT, { attachmentId });
    const { db } = this.ports.database;
    const row = await this.store.withBytes(db, referralId, attachmentId);
    if (!row) {
      await this.packets.auditAlone(who, 'read', referralId, 'not-found', { attachmentId }, OBJECT);
      throw notFound(`attachment ${attachmentId}`);
    }
    await this.packets.audit(db, who, 'read', referralId, 'allowed', { attachmentId }, OBJECT);
    return { info: this.info(row.a), bytes: this.sealer.openBytes(row.sealed) };
  }

  /** An attachment's record as the parties see it, its name opened. */
  private info(a: AttachmentRow): AttachmentInfo {
    return { id: a.id, kind: a.kind, mediaType: a.mediaType, size: a.size, name: this.sealer.open(a.nameSealed), uploadedAt: a.uploadedAt.toISOString() };
  }

  /** The referring side removes an attachment (sent by mistake): its bytes are deleted, the record of it kept. */
  async remove(referralId: string, attachmentId: string, who: Principal): Promise<void> {
    await this.packets.admit(referralId, who, 'remove', 'referrer', OBJECT, { attachmentId });
    await run(this.ports.transact, this.removing, { referralId, attachmentId, who, at: this.now });
  }

  /** Removing: the attachment's record locked, 404 when the referral keeps no such attachment, its bytes deleted and the removal audited. */
  private readonly removing: Pipeline<Removing, boolean, true, void> = {
    load: (tx, { referralId, attachmentId }) => this.store.lockKept(tx, referralId, attachmentId),
    decide: (kept, { attachmentId }) => {
      if (!kept) throw notFound(`attachment ${attachmentId}`);
      return true;
    },
    save: async (tx, _outbox, _kept, _decision, { referralId, attachmentId, who, at }) => {
      await this.store.remove(tx, referralId, attachmentId, at);
      await this.packets.audit(tx, who, 'remove', referralId, 'allowed', { attachmentId }, OBJECT);
    },
  };

  /**
   * Delete the bytes of attachments of referrals that ended (closed or cancelled) more than the
   * retention period ago; the record of each stays, marked `retention`. Returns how many.
   */
  async purgeExpired(): Promise<number> {
    const cutoff = new Date(this.now.getTime() - this.retentionDays * 86_400_000);
    return this.ports.database.transaction(async (tx) => {
      const ids = await this.store.dueForPurge(tx, cutoff);
      if (ids.length === 0) return 0;
      await this.store.deleteBytes(tx, ids);
      await this.store.markExpired(tx, ids, this.now);
      return ids.length;
    });
  }
}

