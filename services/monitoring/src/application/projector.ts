import type { DataOf, Envelope } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import { and, eq, sql } from 'drizzle-orm';
import type {
  AbilityAssessed,
  AdmissionRecorded,
  BedAvailabilityChanged,
  DischargeRecorded,
  InstitutionRegistered,
  LtciAuthorised,
  LtciRefused,
  OfferAnswered,
  OfferNotSelected,
  ReferralCancelled,
  ReferralClosed,
  ReferralEscalated,
  ReferralOffered,
  ReferralRequested,
  ReferralStateChanged,
} from '@fbl/contracts';
import { bedDays, bedMonths, capacityLatest, institutions, offers, referrals, stays } from '../adapters/db/schema.js';
import { countsOf, splitByChinaDay } from '../domain/capacity.js';
import { cityOf } from '../domain/periods.js';

type E<D> = Envelope<string, D>;
type Referral = typeof referrals.$inferInsert;

const earliest = (column: typeof referrals.firstOfferAt, at: Date) => sql`least(coalesce(${column}, ${at.toISOString()}::timestamptz), ${at.toISOString()}::timestamptz)`;

type Amounts = { totalMs: number; openMs: number; occupiedMs: number; nursingMs: number; dementiaMs: number };

/** The update that adds amounts to a bed-days or bed-months row. */
function added(table: typeof bedDays | typeof bedMonths, a: Amounts) {
  return {
    totalMs: sql`${table.totalMs} + ${a.totalMs}`,
    openMs: sql`${table.openMs} + ${a.openMs}`,
    occupiedMs: sql`${table.occupiedMs} + ${a.occupiedMs}`,
    nursingMs: sql`${table.nursingMs} + ${a.nursingMs}`,
    dementiaMs: sql`${table.dementiaMs} + ${a.dementiaMs}`,
  };
}

/**
 * Folds events into the monitoring projections. Each method is one event's effect, run inside
 * the consumer's transaction (with its inbox row, so each event counts once). A referral's row
 * may be created by whichever of its events arrives first; every step is an upsert.
 */
export class Projector {
  /** Merge facts into a referral's row, creating it when this is the first event seen. */
  private async referral(tx: Tx, referralId: string, insert: Omit<Referral, 'referralId'>, update: Record<string, unknown> = insert) {
    await tx
      .insert(referrals)
      .values({ referralId, ...insert })
      .onConflictDoUpdate({ target: referrals.referralId, set: update });
    // Arrival or the elder known now: the first medical admission after arrival, if already read.
    // Under the elder's lock, as the admission side takes it, so concurrent consumers of different
    // partitions cannot each miss the other's uncommitted half.
    if ('arrivedAt' in update || 'elderRef' in update) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(elder_ref)) from monitoring.referrals where referral_id = ${referralId} and elder_ref is not null`);
      await tx.execute(sql`update monitoring.referrals r set readmitted_at = (
          select min(s.admitted_at) from monitoring.stays s where s.elder_ref = r.elder_ref and s.bed_type = 'medical' and s.admitted_at > r.arrived_at)
        where r.referral_id = ${referralId}`);
    }
  }

  async requested(tx: Tx, e: E<DataOf<typeof ReferralRequested>>): Promise<void> {
    const d = e.data;
    const facts = {
      elderRef: d.elderRef,
      kind: d.kind,
      urgent: d.urgency === 'green-channel',
      originInstitutionId: d.originInstitutionId,
      originBedType: d.originBedType,
      originCounty: d.originDivisionCode,
      originCity: cityOf(d.originDivisionCode),
      startedAt: new Date(e.time),
      ...(d.reference ? { reference: d.reference } : {}),
    };
    await this.referral(tx, d.referralId, { ...facts, bedType: d.requestedBedTypes[0]! }, { ...facts, bedType: sql`coalesce(${referrals.placedBedType}, ${d.requestedBedTypes[0]!})` });
  }

  async stateChanged(tx: Tx, e: E<DataOf<typeof ReferralStateChanged>>): Promise<void> {
    const at = new Date(e.time);
    await tx
      .insert(referrals)
      .values({ referralId: e.data.referralId, stage: e.data.to, stageAt: at })
      .onConflictDoUpdate({
        target: referrals.referralId,
        set: { stage: e.data.to, stageAt: at },
        setWhere: sql`${referrals.stageAt} is null or ${referrals.stageAt} <= ${at.toISOString()}::timestamptz`,
      });
    // Entering follow-up is arrival; an admission with its own instant, where there is one, wins.
    if (e.data.to === 'followUp') await this.referral(tx, e.data.referralId, { arrivedAt: at }, { arrivedAt: sql`coalesce(${referrals.arrivedAt}, ${at.toISOString()}::timestamptz)` });
  }

  async offered(tx: Tx, e: E<DataOf<typeof ReferralOffered>>): Promise<void> {
    const d = e.data;
    const at = new Date(e.time);
    const facts = { urgent: d.urgency === 'green-channel', offeredAt: at, respondBy: new Date(d.respondBy) };
    await tx
      .insert(offers)
      .values({ offerId: d.offerId, referralId: d.referralId, institutionId: d.institutionId, bedType: d.bedType, ...facts })
      .onConflictDoUpdate({ target: offers.offerId, set: facts });
    await this.referral(tx, d.referralId, { firstOfferAt: at }, { firstOfferAt: earliest(referrals.firstOfferAt, at) });
  }

  async answered(tx: Tx, e: E<DataOf<typeof OfferAnswered>>): Promise<void> {
    const d = e.data;
    const at = new Date(e.time);
    const answer = { answer: d.answer, reasonCode: d.reasonCode ?? null, answeredAt: at };
    const offeredAt = new Date(d.offeredAt);
    await tx
      .insert(offers)
      .values({ offerId: d.offerId, referralId: d.referralId, institutionId: d.institutionId, bedType: d.bedType, urgent: false, offeredAt, respondBy: offeredAt, ...answer })
      .onConflictDoUpdate({ target: offers.offerId, set: answer });
    if (d.answer === 'expired') return;
    const insert: Omit<Referral, 'referralId'> = { firstResponseAt: at, ...(d.answer === 'accepted' ? { acceptedAt: at } : {}) };
    const update: Record<string, unknown> = { firstResponseAt: earliest(referrals.firstResponseAt, at) };
    if (d.answer === 'accepted') update['acceptedAt'] = earliest(referrals.acceptedAt, at);
    await this.referral(tx, d.referralId, insert, update);
  }

  async notSelected(tx: Tx, e: E<DataOf<typeof OfferNotSelected>>): Promise<void> {
    await tx.update(offers).set({ notSelected: true }).where(eq(offers.offerId, e.data.offerId));
  }

  async escalated(tx: Tx, e: E<DataOf<typeof ReferralEscalated>>): Promise<void> {
    const at = new Date(e.time);
    await this.referral(tx, e.data.referralId, { escalations: 1, firstEscalatedAt: at }, { escalations: sql`${referrals.escalations} + 1`, firstEscalatedAt: earliest(referrals.firstEscalatedAt, at) });
  }

  async cancelled(tx: Tx, e: E<DataOf<typeof ReferralCancelled>>): Promise<void> {
    await this.referral(tx, e.data.referralId, { cancelledAt: new Date(e.time), cancelReason: e.data.reason });
  }

  async closed(tx: Tx, e: E<DataOf<typeof ReferralClosed>>): Promise<void> {
    const d = e.data;
    await this.referral(tx, d.referralId, { closedAt: new Date(e.time), followUpLate: d.followUpLate, placedInstitutionId: d.institutionId, placedBedType: d.bedType, bedType: d.bedType });
  }

  async admitted(tx: Tx, e: E<DataOf<typeof AdmissionRecorded>>): Promise<void> {
    const d = e.data;
    const admittedAt = new Date(d.admittedAt);
    await tx
      .insert(stays)
      .values({ admissionId: d.admissionId, elderRef: d.elderRef, institutionId: d.institutionId, bedType: d.bedType, referralId: d.referralId, admittedAt })
      .onConflictDoNothing();
    // A medical admission is a readmission for the elder's earlier arrivals.
    if (d.bedType === 'medical') {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${d.elderRef}))`);
      await tx.execute(sql`update monitoring.referrals set readmitted_at = least(coalesce(readmitted_at, ${admittedAt.toISOString()}::timestamptz), ${admittedAt.toISOString()}::timestamptz)
        where elder_ref = ${d.elderRef} and arrived_at < ${admittedAt.toISOString()}::timestamptz`);
    }
    await this.referral(tx, d.referralId, { arrivedAt: admittedAt, placedInstitutionId: d.institutionId, placedBedType: d.bedType, bedType: d.bedType });
  }

  async discharged(tx: Tx, e: E<DataOf<typeof DischargeRecorded>>): Promise<void> {
    await tx.update(stays).set({ dischargedAt: new Date(e.data.dischargedAt), dischargeReason: e.data.reason }).where(eq(stays.admissionId, e.data.admissionId));
  }

  async institution(tx: Tx, e: E<DataOf<typeof InstitutionRegistered>>): Promise<void> {
    await this.upsertInstitution(tx, e.data);
  }

  /** A new capacity step: the one it ends is added to the bed-days of the days it covered. */
  async availability(tx: Tx, e: E<DataOf<typeof BedAvailabilityChanged>>): Promise<void> {
    const d = e.data;
    await this.upsertInstitution(tx, d);
    const at = new Date(e.time);
    const key = and(eq(capacityLatest.institutionId, d.institutionId), eq(capacityLatest.bedType, d.bedType));
    const [previous] = await tx.select().from(capacityLatest).where(key).for('update');
    if (previous && previous.sequence >= d.sequence) return;
    const counts = countsOf(d.units);
    const place = { county: d.divisionCode, city: cityOf(d.divisionCode) };
    if (previous && previous.since < at) {
      for (const piece of splitByChinaDay(previous.since, at)) {
        const amounts = {
          totalMs: previous.total * piece.ms,
          openMs: previous.open * piece.ms,
          occupiedMs: previous.occupied * piece.ms,
          nursingMs: previous.nursing * piece.ms,
          dementiaMs: previous.dementia * piece.ms,
        };
        const row = { institutionId: d.institutionId, bedType: d.bedType, county: previous.county, city: previous.city, ...amounts };
        await tx
          .insert(bedDays)
          .values({ day: piece.day, ...row })
          .onConflictDoUpdate({ target: [bedDays.day, bedDays.institutionId, bedDays.bedType], set: added(bedDays, amounts) });
        await tx
          .insert(bedMonths)
          .values({ month: `${piece.day.slice(0, 7)}-01`, ...row })
          .onConflictDoUpdate({ target: [bedMonths.month, bedMonths.institutionId, bedMonths.bedType], set: added(bedMonths, amounts) });
      }
    }
    const since = previous && previous.since > at ? previous.since : at;
    const next = { sequence: d.sequence, since, ...place, ...counts };
    await tx
      .insert(capacityLatest)
      .values({ institutionId: d.institutionId, bedType: d.bedType, ...next })
      .onConflictDoUpdate({ target: [capacityLatest.institutionId, capacityLatest.bedType], set: next });
  }

  async assessed(tx: Tx, e: E<DataOf<typeof AbilityAssessed>>): Promise<void> {
    if (!e.data.referralId) return;
    const at = new Date(e.time);
    await this.referral(tx, e.data.referralId, { assessedAt: at }, { assessedAt: earliest(referrals.assessedAt, at) });
  }

  async ltciDecided(tx: Tx, e: E<DataOf<typeof LtciAuthorised> | DataOf<typeof LtciRefused>>, decision: 'authorised' | 'refused'): Promise<void> {
    if (!e.data.referralId) return;
    await this.referral(tx, e.data.referralId, { ltciDecision: decision, ltciDecidedAt: new Date(e.time) });
  }

  private async upsertInstitution(tx: Tx, d: { institutionId: string; bedType: string; name: string; divisionCode: string }) {
    const facts = { name: d.name, county: d.divisionCode, city: cityOf(d.divisionCode) };
    await tx
      .insert(institutions)
      .values({ institutionId: d.institutionId, bedType: d.bedType, ...facts })
      .onConflictDoUpdate({ target: [institutions.institutionId, institutions.bedType], set: facts });
  }
}
