import {
  AdmissionRecorded,
  BedHeld,
  BedHoldExpired,
  BedHoldRejected,
  BedKeptForReturn,
  BedReleased,
  DischargeRecorded,
  EmergencyTransferRequested,
  ExpireHold,
  ExpireKeptBed,
  FlagEpisodeReview,
  HomeSickBedEpisodeClosed,
  HomeSickBedEpisodeOpened,
  HomeSickBedEpisodeRenewed,
  HomeSickBedReviewDue,
  KeptBedReleased,
  type MessageOrigin,
  type OutgoingMessage,
} from '@fbl/contracts';
import type { EffectMap } from '@fbl/service-kit/pipeline';
import type { BedEvent, HoldState, ServicePlan, StayState, UnitState } from '../domain/decider.js';
import type { UnitStatus } from '../domain/lifecycle.js';
import type { BedTypePolicy } from '../domain/policy.js';
import type { BedMessages } from './messages.js';

/** What a bed decision leaves to be done, as data; the store carries it out in the decision's transaction. */
export type BedEffect =
  | { kind: 'send'; message: OutgoingMessage }
  | { kind: 'holdPlaced'; hold: HoldState; createdAt: Date }
  | { kind: 'holdEnded'; holdId: string; status: 'admitted' | 'expired' | 'released'; at: Date }
  | { kind: 'unit'; unitId: string; status: UnitStatus }
  | { kind: 'stayBegan'; stay: StayState; admittedAt: Date; servicePlan: ServicePlan | null }
  | { kind: 'stay'; stayId: string; patch: { status?: StayState['status']; keptUntil?: Date | null; reviewDueAt?: Date; dischargedAt?: Date; dischargeReason?: string } }
  | { kind: 'transfer'; id: string; stayId: string; reason: string; bedKept: boolean; requestedAt: Date }
  | { kind: 'review'; id: string; stayId: string; condition: string; decision: string; reviewedBy: string; reviewedByName: string | null; reviewedAt: Date; nextReviewDueAt: Date }
  | { kind: 'schedule'; key: string; dueAt: Date; message: OutgoingMessage }
  | { kind: 'cancel'; key: string }
  /** The institution's capacity changed: its whole availability is published once, after the rest. */
  | { kind: 'availability'; institutionId: string; origin: MessageOrigin };

/** What the effects of a decision are made with. */
export interface BedScope {
  policy: BedTypePolicy;
  messages: BedMessages;
  now: Date;
  origin: MessageOrigin;
  /** Seal health text a message carries (a transfer's reason) with the deployment's shared personal-data key. */
  seal(text: string): string;
}

export const holdTimer = (holdId: string) => `hold-expiry:${holdId}`;
export const keptBedTimer = (stayId: string) => `kept-bed:${stayId}`;
export const reviewTimer = (stayId: string) => `episode-review:${stayId}`;

type EventParams = { [E in BedEvent as E['type']]: E };

const holdFacts = (hold: HoldState, s: BedScope) => ({ holdId: hold.id, referralId: hold.referralId, institutionId: hold.institutionId, bedType: s.policy.bedType, unitId: hold.unitId });

/** The BedHeld event of a hold on a unit. */
function held(hold: HoldState, unit: UnitState, s: BedScope): OutgoingMessage {
  return s.messages.event(BedHeld, hold.institutionId, { ...holdFacts(hold, s), unitKind: unit.kind, attributes: unit.attributes, expiresAt: hold.expiresAt.toISOString() }, s.origin);
}

/** Every event of the bed decider and what it stands for: a missing one does not compile. */
export const BED_EFFECTS: EffectMap<EventParams, BedScope, BedEffect> = {
  HoldPlaced: ({ hold, unit }, s) => [
    { kind: 'unit', unitId: unit.id, status: 'held' },
    { kind: 'holdPlaced', hold, createdAt: s.now },
    { kind: 'schedule', key: holdTimer(hold.id), dueAt: hold.expiresAt, message: s.messages.command(ExpireHold, hold.institutionId, { holdId: hold.id, institutionId: hold.institutionId, bedType: s.policy.bedType }, s.origin) },
    { kind: 'send', message: held(hold, unit, s) },
    { kind: 'availability', institutionId: hold.institutionId, origin: s.origin },
  ],
  HoldConfirmed: ({ hold, unit }, s) => [{ kind: 'send', message: held(hold, unit, s) }],
  HoldRejected: (e, s) => [{ kind: 'send', message: s.messages.event(BedHoldRejected, e.institutionId, { referralId: e.referralId, institutionId: e.institutionId, bedType: s.policy.bedType, reasonCode: e.reasonCode, detail: e.detail }, s.origin) }],
  HoldExpired: ({ hold }, s) => [
    { kind: 'holdEnded', holdId: hold.id, status: 'expired', at: s.now },
    { kind: 'unit', unitId: hold.unitId, status: 'free' },
    { kind: 'send', message: s.messages.event(BedHoldExpired, hold.institutionId, holdFacts(hold, s), s.origin) },
    { kind: 'availability', institutionId: hold.institutionId, origin: s.origin },
  ],
  HoldReleased: ({ hold, reason }, s) => [
    { kind: 'holdEnded', holdId: hold.id, status: 'released', at: s.now },
    { kind: 'unit', unitId: hold.unitId, status: 'free' },
    { kind: 'cancel', key: holdTimer(hold.id) },
    { kind: 'send', message: s.messages.event(BedReleased, hold.institutionId, { ...holdFacts(hold, s), reason }, s.origin) },
    { kind: 'availability', institutionId: hold.institutionId, origin: s.origin },
  ],
  Admitted: ({ hold, stay, servicePlan }, s) => {
    const journey = { ...s.origin, correlationId: hold.referralId };
    const at = s.now.toISOString();
    const episode: BedEffect[] = stay.reviewDueAt
      ? [
          { kind: 'send', message: s.messages.event(HomeSickBedEpisodeOpened, stay.institutionId, { episodeId: stay.id, institutionId: stay.institutionId, bedType: s.policy.bedType, referralId: stay.referralId, elderRef: stay.elderRef, openedAt: at, reviewDueAt: stay.reviewDueAt.toISOString() }, journey) },
          scheduleReview(stay.id, stay.institutionId, stay.reviewDueAt, journey, s),
        ]
      : [];
    return [
      { kind: 'holdEnded', holdId: hold.id, status: 'admitted', at: s.now },
      { kind: 'unit', unitId: hold.unitId, status: 'occupied' },
      { kind: 'stayBegan', stay, admittedAt: s.now, servicePlan },
      { kind: 'cancel', key: holdTimer(hold.id) },
      { kind: 'send', message: s.messages.event(AdmissionRecorded, hold.institutionId, { ...holdFacts(hold, s), admissionId: stay.id, elderRef: hold.elderRef, admittedAt: at }, journey) },
      ...episode,
      { kind: 'availability', institutionId: hold.institutionId, origin: journey },
    ];
  },
  StayEnded: (e, s) => {
    const { stay } = e;
    const origin = e.correlationId ? { ...s.origin, correlationId: e.correlationId } : s.origin;
    const kept: BedEffect[] = e.keptBedReleased
      ? [
          { kind: 'cancel', key: keptBedTimer(stay.id) },
          { kind: 'send', message: s.messages.event(KeptBedReleased, stay.institutionId, { admissionId: stay.id, institutionId: stay.institutionId, bedType: s.policy.bedType, unitId: stay.unitId, reason: e.keptBedReleased }, origin) },
        ]
      : [];
    const episode: BedEffect[] = s.policy.episodes
      ? [
          { kind: 'cancel', key: reviewTimer(stay.id) },
          { kind: 'send', message: s.messages.event(HomeSickBedEpisodeClosed, stay.institutionId, { episodeId: stay.id, institutionId: stay.institutionId, bedType: s.policy.bedType, closedAt: s.now.toISOString(), reason: e.reason }, origin) },
        ]
      : [];
    return [
      ...kept,
      { kind: 'stay', stayId: stay.id, patch: { status: 'discharged', dischargedAt: s.now, dischargeReason: e.reason, keptUntil: null } },
      { kind: 'unit', unitId: stay.unitId, status: 'free' },
      {
        kind: 'send',
        message: s.messages.event(DischargeRecorded, stay.institutionId, {
          admissionId: stay.id,
          referralId: stay.referralId,
          institutionId: stay.institutionId,
          bedType: s.policy.bedType,
          unitId: stay.unitId,
          elderRef: stay.elderRef,
          reason: e.reason,
          ...(e.destination ? { destination: e.destination } : {}),
          dischargedAt: s.now.toISOString(),
        }, origin),
      },
      ...episode,
      { kind: 'availability', institutionId: stay.institutionId, origin },
    ];
  },
  TransferRequested: (e, s) => {
    const journey = { ...s.origin, correlationId: e.transferId };
    const { stay } = e;
    return [
      { kind: 'transfer', id: e.transferId, stayId: stay.id, reason: e.reason, bedKept: e.keptUntil !== null, requestedAt: s.now },
      {
        kind: 'send',
        message: s.messages.event(EmergencyTransferRequested, stay.institutionId, {
          transferId: e.transferId,
          admissionId: stay.id,
          referralId: stay.referralId,
          institutionId: stay.institutionId,
          bedType: s.policy.bedType,
          elderRef: stay.elderRef,
          divisionCode: e.divisionCode,
          // Health text: sealed on the bus too, for the workflow (same PII_ENCRYPTION_KEY) to open.
          reasonSealed: s.seal(e.reason),
          bedKept: e.keptUntil !== null,
          ...(e.hospitalInstitutionId ? { hospitalInstitutionId: e.hospitalInstitutionId } : {}),
          requestedAt: s.now.toISOString(),
        }, journey),
      },
    ];
  },
  BedKept: ({ stay, keptUntil, transferId }, s) => {
    const journey = { ...s.origin, correlationId: transferId };
    return [
      { kind: 'stay', stayId: stay.id, patch: { status: 'away', keptUntil } },
      { kind: 'unit', unitId: stay.unitId, status: 'kept' },
      { kind: 'schedule', key: keptBedTimer(stay.id), dueAt: keptUntil, message: s.messages.command(ExpireKeptBed, stay.institutionId, { admissionId: stay.id, institutionId: stay.institutionId, bedType: s.policy.bedType }, journey) },
      { kind: 'send', message: s.messages.event(BedKeptForReturn, stay.institutionId, { admissionId: stay.id, institutionId: stay.institutionId, bedType: s.policy.bedType, unitId: stay.unitId, elderRef: stay.elderRef, keptUntil: keptUntil.toISOString() }, journey) },
      { kind: 'availability', institutionId: stay.institutionId, origin: journey },
    ];
  },
  Returned: ({ stay }, s) => [
    { kind: 'stay', stayId: stay.id, patch: { status: 'in-care', keptUntil: null } },
    { kind: 'unit', unitId: stay.unitId, status: 'occupied' },
    { kind: 'cancel', key: keptBedTimer(stay.id) },
    { kind: 'send', message: s.messages.event(KeptBedReleased, stay.institutionId, { admissionId: stay.id, institutionId: stay.institutionId, bedType: s.policy.bedType, unitId: stay.unitId, reason: 'returned' }, s.origin) },
    { kind: 'availability', institutionId: stay.institutionId, origin: s.origin },
  ],
  EpisodeRenewed: (e, s) => [
    { kind: 'stay', stayId: e.stay.id, patch: { reviewDueAt: e.reviewDueAt } },
    { kind: 'review', id: e.reviewId, stayId: e.stay.id, condition: e.review.condition, decision: e.review.decision, reviewedBy: e.by.userId, reviewedByName: e.by.name ?? null, reviewedAt: s.now, nextReviewDueAt: e.reviewDueAt },
    scheduleReview(e.stay.id, e.stay.institutionId, e.reviewDueAt, s.origin, s),
    { kind: 'send', message: s.messages.event(HomeSickBedEpisodeRenewed, e.stay.institutionId, { episodeId: e.stay.id, institutionId: e.stay.institutionId, bedType: s.policy.bedType, reviewDueAt: e.reviewDueAt.toISOString() }, s.origin) },
  ],
  ReviewFlagged: ({ stay }, s) => [
    { kind: 'send', message: s.messages.event(HomeSickBedReviewDue, stay.institutionId, { episodeId: stay.id, institutionId: stay.institutionId, bedType: s.policy.bedType, reviewDueAt: stay.reviewDueAt.toISOString() }, s.origin) },
  ],
};

function scheduleReview(stayId: string, institutionId: string, dueAt: Date, origin: MessageOrigin, s: BedScope): BedEffect {
  return { kind: 'schedule', key: reviewTimer(stayId), dueAt, message: s.messages.command(FlagEpisodeReview, institutionId, { episodeId: stayId, institutionId, bedType: s.policy.bedType, reviewDueAt: dueAt.toISOString() }, origin) };
}
