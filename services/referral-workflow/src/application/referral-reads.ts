import type { Principal } from '@fbl/auth';
import type { Executor } from '@fbl/db';
import type { ServicePorts } from '@fbl/service-kit/pipeline';
import { notFound, outOfScope } from '@fbl/contracts';
import type { AvailabilityView } from '../adapters/db/availability-view.js';
import type { PacketStore } from '../adapters/db/packet-store.js';
import { ReferralReadQueries, type TimelineRow } from '../adapters/db/referral-read-queries.js';
import { rankingOfRun } from '../domain/matching.js';
import { packetAccessOf } from '../domain/packet.js';
import { numberOfReference, referenceOf } from '../domain/reference.js';
import type { ReferralContext } from '../domain/referral-machine.js';
import type { StepActor } from '../domain/types.js';
import type { StoredSnapshot } from './machine-host.js';
import type { Packets, PacketSummary } from './packets.js';
import type { UrgentTransfers } from './urgent-transfers.js';
import { OFFERS_AT_ONCE, partiesOf } from './referrals.js';

/** Live offers keep their packet summary in the inbox; answered and released ones do not. */
const LIVE = ['open', 'accepted'];

/**
 * What people read of referrals: one referral as its reader may see it, lists, a provider's inbox
 * with the summary of each live offer's packet, the follow-ups due, and capacity. Institutions
 * are named, references are the people's numbers, and steps name who took them.
 */
export class ReferralReads {
  private readonly queries: ReferralReadQueries;

  constructor(
    private readonly ports: ServicePorts,
    private readonly store: PacketStore,
    private readonly packets: Packets,
    private readonly urgent: UrgentTransfers,
    private readonly availability?: AvailabilityView,
  ) {
    this.queries = new ReferralReadQueries(ports.database);
  }

  private get db() {
    return this.ports.database.db;
  }

  /** The names institutions announced with their capacity, by id. */
  institutionNames(ids: readonly string[], db: Executor = this.db): Promise<Map<string, string>> {
    return this.queries.institutionNames(ids, db);
  }

  /**
   * A referral as this reader may see it: the referring side and admins see every offer (with a
   * decline's reason and, for the referring side, its note), the ranking and the whole timeline;
   * a provider sees its own offers and the steps, people of other institutions named only by role.
   * Anyone else gets 403 with nothing of it.
   */
  async view(id: string, who: Principal) {
    // The referral with its offers, timeline, ranking and consent by one statement, so from one
    // snapshot: a step committed meanwhile (an offer expiring, say) shows in the timeline and
    // the offers alike, or in neither. The ranking and the consent are read only where the reader
    // may prove to be the referring side (an admin, or someone of the origin institution);
    // `whole` below decides exactly. The institutions' names are read after it.
    const page = await this.queries.page(id, who.role === 'admin' ? { all: true } : { from: who.institutionId });
    if (!page) throw notFound(`referral ${id}`);
    const { row, offers: offerRows, timeline: steps } = page;
    const context = (row.snapshot as StoredSnapshot).context as unknown as ReferralContext;
    const parties = partiesOf(context, offerRows);
    const access = packetAccessOf({ ...parties, offers: parties.offerList }, who);
    const admin = who.role === 'admin';
    const anyOffer = who.role === 'provider' && offerRows.some((o) => o.institutionId === who.institutionId);
    if (!(admin || access !== 'none' || anyOffer)) throw outOfScope('referral');
    const whole = admin || access === 'referrer';
    const names = await this.institutionNames([context.origin.institutionId, ...offerRows.map((o) => o.institutionId), ...steps.flatMap((s) => (s.actorInstitutionId ? [s.actorInstitutionId] : [])), ...(context.returnTo ? [context.returnTo.institutionId] : []), ...movesOf(row.movesFrom).map((m) => m.institutionId)]);
    const run = whole ? page.run : undefined;
    const ranking = run ? rankingOfRun(run.resultSealed ? (JSON.parse(this.store.open(run.resultSealed)) as unknown) : run.result, OFFERS_AT_ONCE) : null;
    const own = (institutionId: string | null) => institutionId !== null && (institutionId === who.institutionId || institutionId === context.origin.institutionId);
    const consent = whole ? this.store.consentOf(page.consent) : undefined;
    return {
      id: row.id,
      reference: referenceOf(row.number, row.createdAt),
      state: row.state,
      kind: row.kind,
      urgency: row.urgency,
      // The elder's reference goes to those who may learn who the elder is (civil affairs decides on the name).
      elderRef: whole || access === 'receiver' ? row.elderRef : null,
      machineVersion: row.machineVersion,
      version: row.version,
      origin: { ...context.origin, name: names.get(context.origin.institutionId) ?? null },
      requestedBedTypes: context.requestedBedTypes,
      requirements: context.requirements ?? {},
      widened: context.widened,
      hold: whole || access === 'receiver' ? (context.hold ?? null) : null,
      admissionId: whole || access === 'receiver' ? (context.admissionId ?? null) : null,
      returnTo: context.returnTo ? { ...context.returnTo, name: names.get(context.returnTo.institutionId) ?? null } : null,
      followUpLate: context.followUpLate,
      escalation: whole ? (context.escalation ?? null) : null,
      cancelReason: context.cancelReason ?? null,
      movesFrom: namedMoves(row.movesFrom, names),
      parentId: row.parentId,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      consent: consent ? { granted: consent.granted, recordedAt: consent.recordedAt ?? null } : null,
      offers: offerRows
        .filter((o) => whole || o.institutionId === who.institutionId)
        .map((o) => ({
          id: o.id,
          institutionId: o.institutionId,
          institutionName: names.get(o.institutionId) ?? null,
          bedType: o.bedType,
          rank: o.rank,
          status: o.status,
          reasonCode: o.reasonCode,
          declineNote: access === 'referrer' && o.declineNoteSealed ? this.store.open(o.declineNoteSealed) : null,
          chosen: o.id === context.chosenOfferId,
          respondBy: o.respondBy.toISOString(),
          answeredAt: o.answeredAt?.toISOString() ?? null,
        })),
      ranking,
      timeline: steps.map((s) => ({
        at: s.at.toISOString(),
        event: s.event,
        from: s.fromState,
        to: s.toState,
        actor: actorOf(s, names, whole || own(s.actorInstitutionId)),
        ...(whole ? { actorId: s.actor, causedBy: s.causedBy, detail: s.detail } : {}),
      })),
    };
  }

  /** Referrals, newest first, optionally by state or origin institution. */
  async list(filter: { state?: string; originInstitutionId?: string; view: 'active' | 'finished' | 'all'; reference?: string; limit: number; offset: number }) {
    const { reference, ...page } = filter;
    const number = reference === undefined ? undefined : numberOfReference(reference);
    if (reference !== undefined && number === undefined) return { total: 0, items: [] };
    const { total, rows } = await this.queries.referrals({ ...page, ...(number !== undefined ? { number } : {}) });
    const items = rows.map(({ snapshot, number, ...r }) => {
      const context = (snapshot as StoredSnapshot).context as unknown as ReferralContext;
      return { ...r, reference: referenceOf(number, r.createdAt), requestedBedTypes: context.requestedBedTypes, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() };
    });
    return { total, items };
  }

  /**
   * A provider's inbox: its offers, open ones first, each with the sending institution, the
   * referral's number and, while the offer is live and the elder consented, a summary of the
   * packet; an urgent transfer's hospital gets the emergency summary with the transfer's reason
   * without consent (each summary shown is an audited read).
   */
  async inbox(institutionId: string, who: Principal, filter: { status?: string; view: 'pending' | 'done' | 'all'; limit: number; offset: number }) {
    const { total, rows } = await this.queries.inbox(institutionId, filter);
    const names = await this.institutionNames([...rows.map((r) => r.origin), ...rows.flatMap((r) => movesOf(r.movesFrom).map((m) => m.institutionId))]);
    const summaries = await this.packets.summaries(who, rows.map((r) => ({ referralId: r.offer.referralId, elderRef: r.elderRef, live: LIVE.includes(r.offer.status) })));
    // An urgent transfer's hospital sees why the resident is coming, consent or not (PIPL art. 13 (1)(4): see UrgentTransfers).
    const emergency = await this.urgent.summaries(who, rows.map((r) => ({ referralId: r.offer.referralId, elderRef: r.elderRef, kind: r.kind, institutionId: r.offer.institutionId, live: LIVE.includes(r.offer.status) })));
    const items = rows.map(({ offer, referralState, number, createdAt, origin, kind, chosenOfferId, movesFrom }) => ({
      offerId: offer.id,
      referralId: offer.referralId,
      reference: referenceOf(number, createdAt),
      kind,
      referralState,
      bedType: offer.bedType,
      urgency: offer.urgency,
      status: offer.status,
      /** The family chose this offer. */
      chosen: offer.id === chosenOfferId,
      offeredAt: offer.offeredAt.toISOString(),
      respondBy: offer.respondBy.toISOString(),
      answeredAt: offer.answeredAt?.toISOString() ?? null,
      sendingInstitution: { id: origin, name: names.get(origin) ?? null },
      summary: summaryOf(summaries.get(offer.referralId), emergency.get(offer.referralId)),
      /** The elder is in a bed elsewhere and leaves it for this one (转床). */
      movesFrom: namedMoves(movesFrom, names),
    }));
    return { total, items };
  }

  /** The beds an elder is in now, with the institutions' names; the read is audited (it says where the elder is). */
  async staysOf(elderRef: string, who: Principal) {
    const rows = await this.queries.staysOf(elderRef);
    await this.packets.audit(this.db, who, 'read', elderRef, 'allowed', { stays: rows.length }, 'elder-stays');
    const names = await this.institutionNames(rows.map((r) => r.institutionId));
    return rows.map((r) => ({ institutionId: r.institutionId, institutionName: names.get(r.institutionId) ?? null, bedType: r.bedType, admittedAt: r.admittedAt.toISOString() }));
  }

  /** Referrals placed with an institution and waiting for its follow-up, oldest arrival first. */
  async awaitingFollowUp(institutionId: string) {
    const rows = await this.queries.awaitingFollowUp(institutionId);
    return rows.map((r) => {
      const context = (r.snapshot as StoredSnapshot).context as unknown as ReferralContext;
      return { id: r.id, reference: referenceOf(r.number, r.createdAt), kind: r.kind, urgency: r.urgency, elderRef: r.elderRef, bedType: context.hold?.bedType ?? null, admissionId: context.admissionId ?? null, since: r.updatedAt.toISOString() };
    });
  }

  /**
   * What the workflow knows of providers' capacity (from their BedAvailabilityChanged events), as
   * matching in this process sees it: from the in-memory view once it is loaded, else the table.
   */
  async capacity(bedType?: string) {
    const viewed = this.availability?.rows(bedType);
    const rows = viewed ?? (await this.queries.capacity(bedType));
    return rows.map((r) => ({
      institutionId: r.institutionId,
      bedType: r.bedType,
      name: r.name,
      divisionCode: r.divisionCode,
      capabilities: r.capabilities,
      greenChannelPartners: r.greenChannelPartners,
      sequence: r.sequence,
      free: (r.units as { free: number }[]).reduce((n, u) => n + u.free, 0),
    }));
  }
}

/** An inbox line's summary: the packet's (with consent), carrying an urgent transfer's reason when there is one; else the emergency summary alone. */
function summaryOf(packet: PacketSummary | undefined, emergency: PacketSummary | undefined): PacketSummary | null {
  if (packet && emergency) return { ...packet, transferReason: emergency.transferReason };
  return packet ?? emergency ?? null;
}

/** The beds elsewhere a referral moves the elder from (转床), as stored. */
function movesOf(raw: unknown): { institutionId: string; bedType: string }[] {
  return (raw as { institutionId: string; bedType: string }[] | null) ?? [];
}

/** The same, each with its institution's name. */
function namedMoves(raw: unknown, names: Map<string, string>) {
  return movesOf(raw).map((m) => ({ bedType: m.bedType, institutionName: names.get(m.institutionId) ?? null }));
}

/** Who took a step: a person by name and role (or role alone when the reader should not learn the name), a service, or a deadline. */
function actorOf(step: TimelineRow, names: Map<string, string>, named: boolean): StepActor {
  const institutionName = step.actorInstitutionId ? (names.get(step.actorInstitutionId) ?? null) : null;
  if (step.actorRole === 'deadline' || step.actor.startsWith('deadline:')) return { kind: 'deadline', deadline: step.actor.replace(/^deadline:/, '') };
  if (step.actorRole === 'service' || SERVICES.test(step.actor)) return { kind: 'service', service: step.actor, institutionName };
  return { kind: 'person', name: named ? step.actorName : null, role: step.actorRole, institutionName };
}

/** The services whose messages move referrals, as their envelopes name them. */
const SERVICES = /^(care-beds|medical-beds|home-care-beds|home-sick-beds|hospice-beds|civil-affairs|medical-insurance|referral-workflow|monitoring)$/;
