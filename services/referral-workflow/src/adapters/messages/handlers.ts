import {
  AbilityAssessed,
  ElderRecordCorrected,
  ElderRegistered,
  AdmissionRecorded,
  BedAvailabilityChanged,
  BedHeld,
  BedHoldExpired,
  BedHoldRejected,
  DischargeRecorded,
  EmergencyTransferRequested,
  KeptBedReleased,
  LtciAuthorised,
  LtciRefused,
  ReferralDeadlineDue,
} from '@fbl/contracts';
import { on, type HandlerEntry } from '@fbl/messaging';
import type { Packets } from '../../application/packets.js';
import { Referrals } from '../../application/referrals.js';
import type { UrgentTransfers } from '../../application/urgent-transfers.js';
import type { ReferralEvent } from '../../domain/referral-machine.js';

const cause = Referrals.messageCause;

/**
 * What moves referrals: the bed services' answers and stays, civil affairs' assessments,
 * medical insurance's decisions, the providers' capacity, and the workflow's own deadlines.
 */
export function referralHandlers(referrals: Referrals, packets: Packets, urgent: UrgentTransfers): HandlerEntry[] {
  return [
    on(BedHeld, async (e, { tx, outbox }) => {
      await referrals.apply(tx, outbox, e.data.referralId, { type: 'BedHeld', holdId: e.data.holdId, unitId: e.data.unitId, institutionId: e.data.institutionId }, cause(e));
    }),
    on(BedHoldRejected, async (e, { tx, outbox }) => {
      await referrals.apply(tx, outbox, e.data.referralId, { type: 'BedHoldRejected', institutionId: e.data.institutionId, reasonCode: e.data.reasonCode }, cause(e));
    }),
    on(BedHoldExpired, async (e, { tx, outbox }) => {
      await referrals.apply(tx, outbox, e.data.referralId, { type: 'BedHoldExpired', holdId: e.data.holdId }, cause(e));
    }),
    on(AdmissionRecorded, async (e, { tx, outbox }) => {
      await referrals.stayBegan(tx, { admissionId: e.data.admissionId, elderRef: e.data.elderRef, institutionId: e.data.institutionId, bedType: e.data.bedType, admittedAt: e.data.admittedAt });
      await referrals.apply(tx, outbox, e.data.referralId, { type: 'AdmissionRecorded', holdId: e.data.holdId, admissionId: e.data.admissionId }, cause(e));
    }),
    on(DischargeRecorded, async (e, { tx, outbox }) => {
      await referrals.stayEnded(tx, e.data.admissionId);
      // The origin's discharge is noted on every referral leaving that stay.
      for (const id of await referrals.referralsFromStay(tx, e.data.admissionId)) {
        await referrals.apply(tx, outbox, id, { type: 'OriginDischarged', admissionId: e.data.admissionId }, cause(e));
      }
      // A hospital stay reached by an urgent transfer ends: the elder goes back to the kept bed.
      if (e.data.bedType !== 'medical' || !e.data.referralId) return;
      const urgent = await referrals.contextOf(tx, e.data.referralId);
      if (!urgent?.returnTo) return;
      await referrals.start(tx, outbox, {
        elderRef: e.data.elderRef,
        kind: 'return',
        urgency: 'routine',
        origin: { institutionId: e.data.institutionId, bedType: 'medical', divisionCode: urgent.origin.divisionCode, admissionId: e.data.admissionId },
        requestedBedTypes: [urgent.returnTo.bedType],
        returnTo: urgent.returnTo,
        parentId: e.data.referralId,
      }, cause(e));
    }),
    on(KeptBedReleased, async (e, { tx, outbox }) => {
      if (e.data.reason === 'discharged') return;
      // Back in the kept bed before reaching hospital: the urgent transfer's offers and any held hospital bed end with it.
      if (e.data.reason === 'returned') {
        const urgent = await referrals.urgentTransferPendingFor(tx, e.data.admissionId);
        if (urgent) await referrals.apply(tx, outbox, urgent, { type: 'Cancel', reason: 'condition-changed', recordedBy: 'kept-bed-returned' }, cause(e));
      }
      const waiting = await referrals.returnWaitingFor(tx, e.data.admissionId);
      if (!waiting) return;
      const event: ReferralEvent = e.data.reason === 'returned' ? { type: 'KeptBedReturned', admissionId: e.data.admissionId } : { type: 'KeptBedLost', admissionId: e.data.admissionId };
      await referrals.apply(tx, outbox, waiting, event, cause(e));
    }),
    // The reason travels sealed; the referral keeps it sealed for the offered hospital.
    on(EmergencyTransferRequested, async (e, { tx, outbox }) => void (await urgent.start(tx, outbox, e.data, cause(e)))),
    // Each is a snapshot of a provider's beds of one type: of several in a batch, the highest sequence
    // stands, and the batch's snapshots are written by one statement.
    on(BedAvailabilityChanged, async (e, { tx, afterCommit }) => referrals.projectAvailability(tx, [e.data], afterCommit), {
      snapshots: { key: (e) => `${e.data.institutionId}/${e.data.bedType}`, rank: (e) => e.data.sequence },
      many: async (es, { tx, afterCommit }) => referrals.projectAvailability(tx, es.map((e) => e.data), afterCommit),
    }),
    // Sex, birth year and home division: what a provider is told of an elder before the family chose it.
    on(ElderRegistered, async (e, { tx }) => referrals.projectProfile(tx, e.data)),
    // A corrected home (PIPL art. 46): the profile and every unfinished referral's packet take the new division.
    on(ElderRecordCorrected, async (e, { tx, outbox }) => {
      if (!e.data.homeMoved) return;
      await referrals.moveHome(tx, e.data.elderRef, e.data.divisionCode);
      for (const id of await referrals.unfinishedReferralsOf(tx, e.data.elderRef)) await packets.homeMoved(tx, outbox, id, e.data.divisionCode, cause(e));
    }),
    on(AbilityAssessed, async (e, { tx, outbox }) => {
      const d = e.data;
      await referrals.projectFacts(tx, d.elderRef, { abilityLevel: d.level, abilityAssessedOn: d.assessedOn, dementiaDiagnosis: d.dementiaDiagnosis });
      for (const id of await referrals.openReferralsOf(tx, d.elderRef, 'eligibility')) {
        await referrals.apply(tx, outbox, id, { type: 'AbilityAssessed', level: d.level, assessedOn: d.assessedOn, dementiaDiagnosis: d.dementiaDiagnosis }, cause(e));
      }
    }),
    on(LtciAuthorised, async (e, { tx, outbox }) => {
      await referrals.projectFacts(tx, e.data.elderRef, { ltciGrade: e.data.grade, ltciAuthorised: true });
      for (const id of await referrals.openReferralsOf(tx, e.data.elderRef, 'eligibility')) await referrals.apply(tx, outbox, id, { type: 'LtciAuthorised', grade: e.data.grade }, cause(e));
    }),
    on(LtciRefused, async (e, { tx, outbox }) => {
      await referrals.projectFacts(tx, e.data.elderRef, { ltciAuthorised: false });
      for (const id of await referrals.openReferralsOf(tx, e.data.elderRef, 'eligibility')) await referrals.apply(tx, outbox, id, { type: 'LtciRefused', ground: e.data.ground }, cause(e));
    }),
    on(ReferralDeadlineDue, async (e, { tx, outbox }) => {
      await referrals.apply(tx, outbox, e.data.referralId, e.data.event as unknown as ReferralEvent, { ...cause(e), actor: `deadline:${e.data.key}`, actorRole: 'deadline' });
    }),
  ];
}
