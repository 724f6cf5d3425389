import type { Principal } from '@fbl/auth';
import type { DataOf, EmergencyTransferRequested } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import type { Outbox } from '@fbl/messaging';
import { serviceActor, userActor, type AuditLog } from '@fbl/privacy';
import type { ServicePorts } from '@fbl/service-kit/pipeline';
import type { PacketStore } from '../adapters/db/packet-store.js';
import type { TransferReasonStore } from '../adapters/db/transfer-reason-store.js';
import { elderSummary, type PacketSummary } from '../domain/packet.js';
import type { Cause, Referrals } from './referrals.js';

/** An offer of an inbox, as far as the emergency summary needs it. */
export interface OfferLine {
  referralId: string;
  elderRef: string;
  kind: string;
  /** The institution the offer went to. */
  institutionId: string;
  /** Open, or accepted while the referral goes on. */
  live: boolean;
}

/** What audit rows and reasons name the record by. */
const OBJECT_TYPE = 'transfer-reason';

/**
 * Urgent transfers to hospital (紧急转院): a care home's staff send a resident to hospital, the
 * bed service announces it, and the workflow starts a green-channel referral keeping the staff's
 * reason (转院原因) sealed beside it, in the same transaction. The offered hospital's staff read
 * that reason, with what the workflow knows of the elder, in their inbox.
 *
 * No consent record is asked for that read: PIPL art. 13 (1)(4) allows handling personal
 * information without consent where it is needed to protect a person's life and health in an
 * emergency, and the hospital must know why the resident is coming before they arrive. The
 * basis is that narrow: only the staff of the hospital offered the transfer, only while the
 * offer is live, only this summary (the packet and its attachments still need consent), and every
 * read is audited.
 */
export class UrgentTransfers {
  constructor(
    private readonly ports: ServicePorts,
    private readonly referrals: Referrals,
    private readonly reasons: TransferReasonStore,
    private readonly packetStore: PacketStore,
    private readonly log: AuditLog,
  ) {}

  /**
   * Start the green-channel referral of a bed service's urgent transfer, in the handler's
   * transaction, with the transfer's reason sealed at rest. The reason arrives sealed with the
   * shared key (`reasonSealed`) or, in messages written before it was, in clear (`reason`); either
   * way it is sealed again with the workflow's key.
   */
  async start(tx: Tx, outbox: Outbox, d: DataOf<typeof EmergencyTransferRequested>, cause: Cause): Promise<{ id: string; state: string }> {
    const reason = this.reasonIn(d);
    return this.referrals.start(tx, outbox, {
      elderRef: d.elderRef,
      kind: 'urgent-transfer',
      urgency: 'green-channel',
      origin: { institutionId: d.institutionId, bedType: d.bedType, divisionCode: d.divisionCode, admissionId: d.admissionId },
      requestedBedTypes: ['medical'],
      ...(d.hospitalInstitutionId ? { preferredInstitutionId: d.hospitalInstitutionId } : {}),
      ...(d.bedKept ? { returnTo: { institutionId: d.institutionId, bedType: d.bedType, admissionId: d.admissionId } } : {}),
    }, cause, async (tx, referralId) => {
      if (reason === undefined) return;
      await this.reasons.save(tx, { referralId, transferId: d.transferId, reason, requestedAt: new Date(d.requestedAt) });
      await this.log.write(tx, { actor: serviceActor(cause.actor), action: 'write', objectType: OBJECT_TYPE, objectId: referralId, outcome: 'allowed', detail: { transferId: d.transferId } });
    });
  }

  /** The reason an event carries, opened; none when it carries none or its seal cannot be opened (the referral starts all the same). */
  private reasonIn(d: DataOf<typeof EmergencyTransferRequested>): string | undefined {
    if (d.reasonSealed === undefined) return d.reason;
    try {
      return this.reasons.open(d.reasonSealed);
    } catch {
      // Never the text or the seal in the log: only that this transfer's reason is lost to the hospital.
      this.ports.logger.warn({ transferId: d.transferId }, 'the reason of an urgent transfer could not be opened (is PII_ENCRYPTION_KEY the same as the bed services\'?); the referral starts without it');
      return d.reason;
    }
  }

  /**
   * The emergency summary of each live offer of an urgent transfer made to the reader's own
   * institution (provider staff only: admins and everyone else get none): the transfer's reason,
   * the elder's age band, sex, county, ability level and LTCI grade. Each one shown is an audited
   * read (PIPL art. 13 (1)(4), see the class).
   */
  async summaries(who: Principal, lines: readonly OfferLine[]): Promise<Map<string, PacketSummary>> {
    const { db } = this.ports.database;
    const wanted = lines.filter((l) => l.live && l.kind === 'urgent-transfer' && who.role === 'provider' && who.institutionId !== undefined && l.institutionId === who.institutionId);
    const shown = new Map<string, PacketSummary>();
    if (wanted.length === 0) return shown;
    const reasons = await this.reasons.reasonsOf(db, wanted.map((l) => l.referralId));
    for (const line of wanted) {
      if (shown.has(line.referralId)) continue;
      const profile = await this.packetStore.profile(db, line.elderRef);
      const facts = await this.packetStore.knownFacts(db, line.elderRef);
      shown.set(line.referralId, { basis: 'emergency', ...elderSummary(profile, facts, this.ports.clock()), diagnoses: [], careNeeds: [], reason: null, transferReason: reasons.get(line.referralId) ?? null });
    }
    await this.log.write(db, ...[...shown.keys()].map((referralId) => ({ actor: userActor(who), action: 'read', objectType: OBJECT_TYPE, objectId: referralId, outcome: 'allowed' as const, detail: { part: 'summary', basis: 'emergency', reason: reasons.has(referralId) } })));
    return shown;
  }
}
