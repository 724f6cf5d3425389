/**
 * The decider of holds, stays, kept beds and episodes: given what is known of the hold, unit or
 * stay a command is about, and the time, it says what happened (events) or why not (a refusal).
 * Pure: the caller loads the state and carries out what the events stand for.
 */
import type { Attributes } from './attributes.js';
import { addDays, addHours, canAdmit, canDischarge, canReturn, canTransferOut, keptBedRunsOut, shouldExpire, type HoldStatus, type StayStatus, type UnitStatus } from './lifecycle.js';
import type { BedTypePolicy } from './policy.js';

export interface HoldState {
  id: string;
  referralId: string;
  elderRef: string;
  institutionId: string;
  unitId: string;
  status: HoldStatus;
  expiresAt: Date;
}

export interface UnitState {
  id: string;
  kind: 'bed' | 'slot';
  attributes: Attributes;
  status: UnitStatus;
}

export interface StayState {
  id: string;
  holdId: string;
  referralId: string;
  elderRef: string;
  institutionId: string;
  unitId: string;
  status: StayStatus;
  keptUntil: Date | null;
  reviewDueAt: Date | null;
}

export type DischargeReasonCode = 'recovered' | 'transferred' | 'died' | 'family-request' | 'episode-closed' | 'other';
/** Where the elder went, as a bed type. */
export type Destination = 'care' | 'medical' | 'home-care' | 'home-sick' | 'hospice';
export type HoldRejection = 'no-free-bed' | 'no-matching-unit' | 'unknown-institution' | 'other';
export type ServicePlan = { services: string[]; visitsPerWeek: number };
export interface EpisodeReview {
  condition: string;
  decision: string;
}

export type BedCommand =
  | { type: 'Reserve'; referralId: string; institutionId: string; elderRef: string; bedType: string; requirements?: Attributes; holdHours?: number }
  | { type: 'ExpireHold'; holdId: string; institutionId: string }
  | { type: 'Release'; referralId: string; institutionId: string; reason: 'cancelled' | 'not-selected' | 'other' }
  | { type: 'Admit'; holdId: string; servicePlan?: ServicePlan }
  | { type: 'Discharge'; stayId: string; reason: DischargeReasonCode; destination?: Destination }
  | { type: 'TransferOut'; stayId: string; reason: string; hospitalInstitutionId?: string }
  | { type: 'Return'; stayId: string }
  | { type: 'ExpireKeptBed'; stayId: string }
  | { type: 'RenewEpisode'; stayId: string; review: EpisodeReview; by: { userId: string; name?: string | undefined } }
  | { type: 'FlagReview'; stayId: string; institutionId: string };

/** What a command is decided on: the institution, and the hold, unit or stay it names (as loaded, locked). */
export interface BedState {
  institution?: { id: string; divisionCode: string };
  hold?: HoldState;
  unit?: UnitState;
  stay?: StayState;
  /** For a reservation: the first free unit with the wanted attributes, and whether any unit is free. */
  candidate?: UnitState;
  anyFree?: boolean;
}

export type BedEvent =
  | { type: 'HoldPlaced'; hold: HoldState; unit: UnitState }
  /** The same reservation again (a retry upstream): it gets the hold it has. */
  | { type: 'HoldConfirmed'; hold: HoldState; unit: UnitState }
  | { type: 'HoldRejected'; referralId: string; institutionId: string; reasonCode: HoldRejection; detail: string }
  | { type: 'HoldExpired'; hold: HoldState }
  | { type: 'HoldReleased'; hold: HoldState; reason: 'cancelled' | 'not-selected' | 'other' }
  | { type: 'Admitted'; hold: HoldState; stay: StayState; servicePlan: ServicePlan | null }
  | { type: 'StayEnded'; stay: StayState; reason: DischargeReasonCode; destination?: Destination; keptBedReleased?: 'expired' | 'discharged'; correlationId?: string }
  | { type: 'TransferRequested'; transferId: string; stay: StayState; reason: string; hospitalInstitutionId?: string; divisionCode: string; keptUntil: Date | null }
  | { type: 'BedKept'; stay: StayState; keptUntil: Date; transferId: string }
  | { type: 'Returned'; stay: StayState }
  | { type: 'EpisodeRenewed'; stay: StayState; review: EpisodeReview; by: { userId: string; name?: string | undefined }; reviewId: string; reviewDueAt: Date }
  | { type: 'ReviewFlagged'; stay: StayState & { reviewDueAt: Date } };

/** Why a command was refused: the referred-to thing does not exist, or the change does not apply now. */
export type Refusal = { refused: 'not-found' | 'conflict'; reason: string };

/** What a decision needs besides the state: the bed type's rules, the time, and new ids. */
export interface DecisionContext {
  policy: BedTypePolicy;
  now: Date;
  newId: () => string;
}

const refused = (reason: string): Refusal => ({ refused: 'conflict', reason });
const missing = (what: string): Refusal => ({ refused: 'not-found', reason: what });

/** Decide a command: the events it causes (none when it no longer applies), or a refusal. */
export function decide(state: BedState, command: BedCommand, { policy, now, newId }: DecisionContext): BedEvent[] | Refusal {
  switch (command.type) {
    case 'Reserve': {
      const reject = (reasonCode: HoldRejection, detail: string): BedEvent[] => [{ type: 'HoldRejected', referralId: command.referralId, institutionId: command.institutionId, reasonCode, detail }];
      if (!state.institution) return reject('unknown-institution', `institution ${command.institutionId} does not offer ${policy.title.en}`);
      if (command.bedType !== policy.bedType) return reject('other', `this service keeps ${policy.bedType} beds, not ${command.bedType}`);
      if (state.hold) {
        if (state.hold.institutionId !== command.institutionId) return reject('other', 'this referral already holds a unit at another institution');
        return [{ type: 'HoldConfirmed', hold: state.hold, unit: state.unit! }];
      }
      const unit = state.candidate;
      if (!unit) return state.anyFree ? reject('no-matching-unit', `no free unit with ${JSON.stringify(command.requirements ?? {})}`) : reject('no-free-bed', 'no free unit at this institution');
      const hold: HoldState = { id: newId(), referralId: command.referralId, elderRef: command.elderRef, institutionId: command.institutionId, unitId: unit.id, status: 'active', expiresAt: addHours(now, command.holdHours ?? policy.holdHours) };
      return [{ type: 'HoldPlaced', hold, unit }];
    }
    case 'ExpireHold':
      return state.hold && shouldExpire(state.hold, now) ? [{ type: 'HoldExpired', hold: state.hold }] : [];
    case 'Release':
      return state.institution && state.hold && state.hold.institutionId === command.institutionId ? [{ type: 'HoldReleased', hold: state.hold, reason: command.reason }] : [];
    case 'Admit': {
      const hold = state.hold;
      if (!hold) return missing(`hold ${command.holdId}`);
      const can = canAdmit(hold, now);
      if (!can.ok) return refused(can.reason);
      const stay: StayState = {
        id: newId(),
        holdId: hold.id,
        referralId: hold.referralId,
        elderRef: hold.elderRef,
        institutionId: hold.institutionId,
        unitId: hold.unitId,
        status: 'in-care',
        keptUntil: null,
        reviewDueAt: policy.episodes ? addDays(now, policy.episodes.reviewDays) : null,
      };
      return [{ type: 'Admitted', hold, stay, servicePlan: command.servicePlan ?? null }];
    }
    case 'Discharge': {
      const stay = state.stay;
      if (!stay) return missing(`admission ${command.stayId}`);
      const can = canDischarge(stay);
      if (!can.ok) return refused(can.reason);
      return [ended(stay, command.reason, command.destination, now, stay.referralId)];
    }
    case 'TransferOut': {
      const stay = state.stay;
      if (!stay) return missing(`admission ${command.stayId}`);
      const can = canTransferOut(stay);
      if (!can.ok) return refused(can.reason);
      const transferId = newId();
      const keptUntil = policy.keptBed ? addDays(now, policy.keptBed.days) : null;
      const requested: BedEvent = {
        type: 'TransferRequested',
        transferId,
        stay,
        reason: command.reason,
        ...(command.hospitalInstitutionId ? { hospitalInstitutionId: command.hospitalInstitutionId } : {}),
        divisionCode: state.institution?.divisionCode ?? '',
        keptUntil,
      };
      return [requested, keptUntil ? { type: 'BedKept', stay, keptUntil, transferId } : ended(stay, 'transferred', 'medical', now, transferId)];
    }
    case 'Return': {
      const stay = state.stay;
      if (!stay) return missing(`admission ${command.stayId}`);
      const can = canReturn(stay, now);
      if (!can.ok) return refused(can.reason);
      return [{ type: 'Returned', stay }];
    }
    case 'ExpireKeptBed': {
      const stay = state.stay;
      if (!stay) return missing(`admission ${command.stayId}`);
      return keptBedRunsOut(stay, now) ? [ended(stay, 'transferred', 'medical', now, undefined)] : [];
    }
    case 'RenewEpisode': {
      if (!policy.episodes) return refused(`${policy.title.en} stays are not episodes with reviews`);
      const stay = state.stay;
      if (!stay) return missing(`admission ${command.stayId}`);
      if (stay.status === 'discharged') return refused('the episode has ended');
      return [{ type: 'EpisodeRenewed', stay, review: command.review, by: command.by, reviewId: newId(), reviewDueAt: addDays(now, policy.episodes.reviewDays) }];
    }
    case 'FlagReview': {
      const stay = state.stay;
      if (!stay || stay.status === 'discharged' || !stay.reviewDueAt || stay.reviewDueAt.getTime() > now.getTime()) return [];
      return [{ type: 'ReviewFlagged', stay: { ...stay, reviewDueAt: stay.reviewDueAt } }];
    }
  }
}

/** A stay ends; a kept bed goes with it (expired when a transfer's kept time ran out). */
function ended(stay: StayState, reason: DischargeReasonCode, destination: Destination | undefined, now: Date, correlationId: string | undefined): BedEvent {
  const keptBedReleased = stay.status === 'away' ? (reason === 'transferred' && keptBedRunsOut(stay, now) ? 'expired' : 'discharged') : undefined;
  return { type: 'StayEnded', stay, reason, ...(destination ? { destination } : {}), ...(keptBedReleased ? { keptBedReleased } : {}), ...(correlationId ? { correlationId } : {}) };
}

/** Whether a decision was a refusal. */
export function isRefusal<E>(outcome: E[] | Refusal): outcome is Refusal {
  return !Array.isArray(outcome);
}
