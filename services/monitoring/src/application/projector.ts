import type { DataOf, Envelope } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
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
import { earliest, oneMore, placedOr, unlessSet, type ProjectionStore, type ReferralFacts, type ReferralUpdate } from '../adapters/db/projection-store.js';
import { countsOf, splitByChinaDay } from '../domain/capacity.js';
import { cityOf, weekOf } from '../domain/periods.js';
import { VisitProjector } from './visit-projector.js';

type E<D> = Envelope<string, D>;

/**
 * Folds events into the monitoring projections. Each method is one event's effect, run inside
 * the consumer's transaction (with its inbox row, so each event counts once). A referral's row
 * may be created by whichever of its events arrives first; every step is an upsert.
 */
export class Projector {
  /** Home visits, 探访 and statements of government-bought hours. */
  readonly visits: VisitProjector;

  constructor(private readonly store: ProjectionStore) {
    this.visits = new VisitProjector(store);
  }

  /** Merge facts into a referral's row, creating it when this is the first event seen. */
  private async referral(tx: Tx, referralId: string, insert: ReferralFacts, update: ReferralUpdate = insert) {
    await this.store.mergeReferral(tx, referralId, insert, update);
    // Arrival or the elder known now: the first medical admission after arrival, if already read.
    if ('arrivedAt' in update || 'elderRef' in update) await this.store.relinkReadmission(tx, referralId);
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
    await this.referral(tx, d.referralId, { ...facts, bedType: d.requestedBedTypes[0]! }, { ...facts, bedType: placedOr(d.requestedBedTypes[0]!) });
  }

  async stateChanged(tx: Tx, e: E<DataOf<typeof ReferralStateChanged>>): Promise<void> {
    const at = new Date(e.time);
    await this.store.enterStage(tx, e.data.referralId, e.data.to, at);
    // Entering follow-up is arrival; an admission with its own instant, where there is one, wins.
    if (e.data.to === 'followUp') await this.referral(tx, e.data.referralId, { arrivedAt: at }, { arrivedAt: unlessSet(at) });
  }

  async offered(tx: Tx, e: E<DataOf<typeof ReferralOffered>>): Promise<void> {
    const d = e.data;
    const at = new Date(e.time);
    const facts = { urgent: d.urgency === 'green-channel', offeredAt: at, respondBy: new Date(d.respondBy) };
    await this.store.mergeOffer(tx, { offerId: d.offerId, referralId: d.referralId, institutionId: d.institutionId, bedType: d.bedType, ...facts }, facts);
    await this.referral(tx, d.referralId, { firstOfferAt: at }, { firstOfferAt: earliest(at) });
  }

  async answered(tx: Tx, e: E<DataOf<typeof OfferAnswered>>): Promise<void> {
    const d = e.data;
    const at = new Date(e.time);
    const answer = { answer: d.answer, reasonCode: d.reasonCode ?? null, answeredAt: at };
    const offeredAt = new Date(d.offeredAt);
    await this.store.mergeOffer(tx, { offerId: d.offerId, referralId: d.referralId, institutionId: d.institutionId, bedType: d.bedType, urgent: false, offeredAt, respondBy: offeredAt, ...answer }, answer);
    if (d.answer === 'expired') return;
    const insert: ReferralFacts = { firstResponseAt: at, ...(d.answer === 'accepted' ? { acceptedAt: at } : {}) };
    const update: ReferralUpdate = { firstResponseAt: earliest(at) };
    if (d.answer === 'accepted') update.acceptedAt = earliest(at);
    await this.referral(tx, d.referralId, insert, update);
  }

  async notSelected(tx: Tx, e: E<DataOf<typeof OfferNotSelected>>): Promise<void> {
    await this.store.markNotSelected(tx, e.data.offerId);
  }

  async escalated(tx: Tx, e: E<DataOf<typeof ReferralEscalated>>): Promise<void> {
    const at = new Date(e.time);
    await this.referral(tx, e.data.referralId, { escalations: 1, firstEscalatedAt: at }, { escalations: oneMore(), firstEscalatedAt: earliest(at) });
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
    await this.store.addStay(tx, { admissionId: d.admissionId, elderRef: d.elderRef, institutionId: d.institutionId, bedType: d.bedType, referralId: d.referralId, admittedAt });
    // A medical admission is a readmission for the elder's earlier arrivals.
    if (d.bedType === 'medical') await this.store.markReadmissions(tx, d.elderRef, admittedAt);
    await this.referral(tx, d.referralId, { arrivedAt: admittedAt, placedInstitutionId: d.institutionId, placedBedType: d.bedType, bedType: d.bedType });
  }

  async discharged(tx: Tx, e: E<DataOf<typeof DischargeRecorded>>): Promise<void> {
    await this.store.discharge(tx, e.data.admissionId, new Date(e.data.dischargedAt), e.data.reason);
  }

  async institution(tx: Tx, e: E<DataOf<typeof InstitutionRegistered>>): Promise<void> {
    await this.upsertInstitution(tx, e.data);
  }

  /** A new capacity step: the one it ends is added to the bed-days of the days it covered. */
  async availability(tx: Tx, e: E<DataOf<typeof BedAvailabilityChanged>>): Promise<void> {
    const d = e.data;
    await this.upsertInstitution(tx, d);
    const at = new Date(e.time);
    const previous = await this.store.lockCapacityStep(tx, d.institutionId, d.bedType);
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
        const time = { institutionId: d.institutionId, bedType: d.bedType, county: previous.county, city: previous.city, ...amounts };
        await this.store.addToDay(tx, piece.day, time);
        await this.store.addToWeek(tx, weekOf(piece.day), time);
        await this.store.addToMonth(tx, `${piece.day.slice(0, 7)}-01`, time);
      }
    }
    const since = previous && previous.since > at ? previous.since : at;
    const next = { sequence: d.sequence, since, ...place, ...counts };
    await this.store.setCapacityStep(tx, d.institutionId, d.bedType, next);
  }

  async assessed(tx: Tx, e: E<DataOf<typeof AbilityAssessed>>): Promise<void> {
    if (!e.data.referralId) return;
    const at = new Date(e.time);
    await this.referral(tx, e.data.referralId, { assessedAt: at }, { assessedAt: earliest(at) });
  }

  async ltciDecided(tx: Tx, e: E<DataOf<typeof LtciAuthorised> | DataOf<typeof LtciRefused>>, decision: 'authorised' | 'refused'): Promise<void> {
    if (!e.data.referralId) return;
    await this.referral(tx, e.data.referralId, { ltciDecision: decision, ltciDecidedAt: new Date(e.time) });
  }

  private async upsertInstitution(tx: Tx, d: { institutionId: string; bedType: string; name: string; divisionCode: string }) {
    const facts = { name: d.name, county: d.divisionCode, city: cityOf(d.divisionCode) };
    await this.store.mergeInstitution(tx, d.institutionId, d.bedType, facts);
  }
}
