import { chinaDay, type CareMode, type HospitalLevel, type LtciGrade } from '@fbl/scales';
import { addDays, addMonths, addMonthsToDay, firstOfNextMonth } from './calendar.js';
import { isEligible, type LtciPolicy } from './policy.js';

/**
 * The LTCI application (长护险申请) as a decide/evolve pair. Pure: time and the grade come in
 * as inputs; the application layer turns the events into rows, messages and timers.
 *
 * applied → accepted | refused → (assessment) notice | not-eligible → objected → (re-assessment,
 * final) effective | not-eligible; notice → (notice ends) effective → (care mode chosen)
 * in-benefit → (re-assessment falls due) reassessment-due → (re-assessment) effective / in-benefit
 * | ended; effective, in-benefit and reassessment-due → ended (death, improvement, insurance lost).
 */

/** Grounds of refusal (不予受理): not insured, conditions not met, outside fund scope, incomplete or false materials, other. */
export const REFUSAL_GROUNDS = ['not-insured', 'conditions-not-met', 'outside-fund-scope', 'materials-incomplete-or-false', 'other'] as const;
export type RefusalGround = (typeof REFUSAL_GROUNDS)[number];

/** Why benefits end. */
export const END_REASONS = ['death', 'improvement', 'insurance-lost'] as const;
export type EndReason = (typeof END_REASONS)[number];

/** Where an application stands. */
export const APPLICATION_STATUSES = ['applied', 'accepted', 'refused', 'notice', 'objected', 'not-eligible', 'effective', 'in-benefit', 'reassessment-due', 'ended'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** Statuses in which benefits are authorised. */
export const AUTHORISED_STATUSES: readonly ApplicationStatus[] = ['effective', 'in-benefit', 'reassessment-due'];
/** Statuses of an application still being worked (an elder has at most one live application). */
export const IN_PROGRESS_STATUSES: readonly ApplicationStatus[] = ['applied', 'accepted', 'notice', 'objected'];
/** Statuses that bar a new application for `reapplyMonths`. */
export const BARRING_STATUSES: readonly ApplicationStatus[] = ['refused', 'not-eligible'];

/** Why an assessment was made: the first, after an objection (复评), or the periodic one. */
export type AssessmentPurpose = 'first' | 'objection' | 'reassessment';

/** The care mode (护理服务形式) and designated provider (定点机构) an authorised elder chose. */
export interface CareChoice {
  readonly careMode: CareMode;
  readonly providerInstitutionId: string;
  /** The hospital's level, for medical special care (医疗专护) only. */
  readonly hospitalLevel: HospitalLevel | null;
}

/** Everything the rules need to know about one application. */
export interface ApplicationState {
  readonly status: ApplicationStatus;
  readonly grade: LtciGrade | null;
  readonly refusalGround: RefusalGround | null;
  /** When the application was refused or found not eligible. */
  readonly decidedAt: Date | null;
  /** First day (China) the elder may apply again after a refusal. */
  readonly reapplyFrom: string | null;
  readonly noticeEndsAt: Date | null;
  readonly objectionReason: string | null;
  readonly effectiveAt: Date | null;
  /** First day (China) benefits are authorised from. */
  readonly effectiveFrom: string | null;
  readonly careChoice: CareChoice | null;
  /** First day (China) benefits are paid under the chosen care mode. */
  readonly benefitsFrom: string | null;
  readonly reassessmentDueAt: Date | null;
  readonly endReason: EndReason | null;
  /** When the end was recorded. */
  readonly endedAt: Date | null;
  /** The day (China) benefits ended: the day of death, of the loss of insurance, … */
  readonly endedOn: string | null;
}

/** A new application. */
export const APPLIED: ApplicationState = Object.freeze({
  status: 'applied',
  grade: null,
  refusalGround: null,
  decidedAt: null,
  reapplyFrom: null,
  noticeEndsAt: null,
  objectionReason: null,
  effectiveAt: null,
  effectiveFrom: null,
  careChoice: null,
  benefitsFrom: null,
  reassessmentDueAt: null,
  endReason: null,
  endedAt: null,
  endedOn: null,
});

/** What someone (or a deadline) asks of an application. */
export type ApplicationCommand =
  | { type: 'accept'; at: Date }
  | { type: 'refuse'; ground: RefusalGround; at: Date }
  | { type: 'record-assessment'; grade: LtciGrade; at: Date }
  | { type: 'object'; reason: string; at: Date }
  | { type: 'end-notice'; at: Date }
  | { type: 'choose-care'; choice: CareChoice; at: Date }
  | { type: 'reassessment-falls-due'; at: Date }
  /** `endedOn`: the day benefits ended (China), when it is not today: not after today, not before the day they took effect. */
  | { type: 'end'; reason: EndReason; endedOn?: string; at: Date };

/** What happened to an application. */
export type ApplicationEvent =
  | { type: 'accepted'; at: Date }
  | { type: 'refused'; ground: RefusalGround; reapplyFrom: string; at: Date }
  | { type: 'graded'; grade: LtciGrade; eligible: boolean; purpose: AssessmentPurpose; at: Date }
  | { type: 'notice-published'; noticeEndsAt: Date; at: Date }
  | { type: 'found-not-eligible'; reapplyFrom: string; at: Date }
  | { type: 'objection-raised'; reason: string; at: Date }
  | { type: 'became-effective'; effectiveFrom: string; reassessmentDueAt: Date; at: Date }
  | { type: 'reauthorised'; gradeFrom: string; reassessmentDueAt: Date; at: Date }
  | { type: 'care-chosen'; choice: CareChoice; benefitsFrom: string; at: Date }
  | { type: 'reassessment-fell-due'; at: Date }
  | { type: 'ended'; reason: EndReason; endedOn: string; at: Date };

/**
 * Why a command is refused: not in this status; the public notice has ended (an objection) or
 * still runs (making the conclusion effective); a deadline not due yet; an end day after today or
 * before benefits took effect.
 */
export type RefusalCode = 'wrong-status' | 'notice-ended' | 'notice-running' | 'not-due' | 'ends-in-future' | 'ends-before-effective';

/** The events a command causes, or why it is refused in this state. */
export type Decision = { ok: true; events: ApplicationEvent[] } | { ok: false; code: RefusalCode; reason: string };

const refuse = (code: RefusalCode, reason: string): Decision => ({ ok: false, code, reason });
const accept = (...events: ApplicationEvent[]): Decision => ({ ok: true, events });

function notIn(state: ApplicationState, action: string): Decision {
  return refuse('wrong-status', `an application that is ${state.status} cannot be ${action}`);
}

/** Benefits end on a day: today unless another is named, never after today nor before the day they took effect. */
function end(state: ApplicationState, reason: EndReason, endedOn: string | undefined, at: Date): Decision {
  if (!AUTHORISED_STATUSES.includes(state.status)) return notIn(state, 'ended');
  const today = chinaDay(at);
  const day = endedOn ?? today;
  if (day > today) return refuse('ends-in-future', `benefits cannot end after today (${today})`);
  const since = state.effectiveAt ? chinaDay(state.effectiveAt) : null;
  if (since !== null && day < since) return refuse('ends-before-effective', `benefits took effect on ${since}; they cannot end before`);
  return accept({ type: 'ended', reason, endedOn: day, at });
}

/** The purpose of an assessment recorded now, or undefined when none may be recorded. */
export function assessmentPurpose(status: ApplicationStatus): AssessmentPurpose | undefined {
  switch (status) {
    case 'accepted':
      return 'first';
    case 'objected':
      return 'objection';
    case 'reassessment-due':
      return 'reassessment';
    case 'applied':
    case 'refused':
    case 'notice':
    case 'not-eligible':
    case 'effective':
    case 'in-benefit':
    case 'ended':
      return undefined;
    default: {
      const unreachable: never = status;
      throw new Error(`unknown status ${String(unreachable)}`);
    }
  }
}

function assess(state: ApplicationState, grade: LtciGrade, at: Date, policy: LtciPolicy): Decision {
  const purpose = assessmentPurpose(state.status);
  if (!purpose) return notIn(state, 'assessed');
  const eligible = isEligible(grade, policy);
  const graded: ApplicationEvent = { type: 'graded', grade, eligible, purpose, at };
  const reassessmentDueAt = addMonths(at, policy.reassessmentYears * 12);
  const nextMonth = firstOfNextMonth(chinaDay(at));
  switch (purpose) {
    case 'first':
      return eligible
        ? accept(graded, { type: 'notice-published', noticeEndsAt: addDays(at, policy.noticeDays), at })
        : accept(graded, { type: 'found-not-eligible', reapplyFrom: addMonthsToDay(chinaDay(at), policy.reapplyMonths), at });
    case 'objection':
      // The re-assessment after an objection is final (复评结论为最终结论): no second notice.
      return eligible
        ? accept(graded, { type: 'became-effective', effectiveFrom: nextMonth, reassessmentDueAt, at })
        : accept(graded, { type: 'found-not-eligible', reapplyFrom: addMonthsToDay(chinaDay(at), policy.reapplyMonths), at });
    case 'reassessment':
      return eligible
        ? accept(graded, { type: 'reauthorised', gradeFrom: nextMonth, reassessmentDueAt, at })
        : accept(graded, { type: 'ended', reason: 'improvement', endedOn: chinaDay(at), at });
    default: {
      const unreachable: never = purpose;
      throw new Error(`unknown purpose ${String(unreachable)}`);
    }
  }
}

/** Decide what a command does to an application under a policy. */
export function decide(state: ApplicationState, command: ApplicationCommand, policy: LtciPolicy): Decision {
  const { at } = command;
  switch (command.type) {
    case 'accept':
      return state.status === 'applied' ? accept({ type: 'accepted', at }) : notIn(state, 'accepted');
    case 'refuse':
      return state.status === 'applied'
        ? accept({ type: 'refused', ground: command.ground, reapplyFrom: addMonthsToDay(chinaDay(at), policy.reapplyMonths), at })
        : notIn(state, 'refused');
    case 'record-assessment':
      return assess(state, command.grade, at, policy);
    case 'object':
      if (state.status !== 'notice') return notIn(state, 'objected to');
      if (state.noticeEndsAt && at.getTime() >= state.noticeEndsAt.getTime()) return refuse('notice-ended', `the public notice ended at ${state.noticeEndsAt.toISOString()}`);
      return accept({ type: 'objection-raised', reason: command.reason, at });
    case 'end-notice':
      if (state.status !== 'notice') return notIn(state, 'made effective by the end of the notice');
      if (state.noticeEndsAt && at.getTime() < state.noticeEndsAt.getTime()) return refuse('notice-running', `the public notice runs until ${state.noticeEndsAt.toISOString()}`);
      return accept({ type: 'became-effective', effectiveFrom: firstOfNextMonth(chinaDay(at)), reassessmentDueAt: addMonths(at, policy.reassessmentYears * 12), at });
    case 'choose-care':
      return state.status === 'effective' || state.status === 'in-benefit'
        ? accept({ type: 'care-chosen', choice: command.choice, benefitsFrom: firstOfNextMonth(chinaDay(at)), at })
        : notIn(state, 'given a care mode');
    case 'reassessment-falls-due':
      if (state.status !== 'effective' && state.status !== 'in-benefit') return notIn(state, 'due for re-assessment');
      if (state.reassessmentDueAt && at.getTime() < state.reassessmentDueAt.getTime()) return refuse('not-due', `the re-assessment is due at ${state.reassessmentDueAt.toISOString()}`);
      return accept({ type: 'reassessment-fell-due', at });
    case 'end':
      return end(state, command.reason, command.endedOn, at);
    default: {
      const unreachable: never = command;
      throw new Error(`unknown command ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The state after an event. */
export function evolve(state: ApplicationState, event: ApplicationEvent): ApplicationState {
  switch (event.type) {
    case 'accepted':
      return { ...state, status: 'accepted' };
    case 'refused':
      return { ...state, status: 'refused', refusalGround: event.ground, decidedAt: event.at, reapplyFrom: event.reapplyFrom };
    case 'graded':
      return { ...state, grade: event.grade };
    case 'notice-published':
      return { ...state, status: 'notice', noticeEndsAt: event.noticeEndsAt };
    case 'found-not-eligible':
      return { ...state, status: 'not-eligible', refusalGround: 'conditions-not-met', decidedAt: event.at, reapplyFrom: event.reapplyFrom };
    case 'objection-raised':
      return { ...state, status: 'objected', objectionReason: event.reason };
    case 'became-effective':
      return { ...state, status: 'effective', effectiveAt: event.at, effectiveFrom: event.effectiveFrom, reassessmentDueAt: event.reassessmentDueAt };
    case 'reauthorised':
      return { ...state, status: state.careChoice ? 'in-benefit' : 'effective', reassessmentDueAt: event.reassessmentDueAt };
    case 'care-chosen':
      return { ...state, status: 'in-benefit', careChoice: event.choice, benefitsFrom: event.benefitsFrom };
    case 'reassessment-fell-due':
      return { ...state, status: 'reassessment-due' };
    case 'ended':
      return { ...state, status: 'ended', endReason: event.reason, endedAt: event.at, endedOn: event.endedOn };
    default: {
      const unreachable: never = event;
      throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The state after a sequence of events. */
export function evolveAll(state: ApplicationState, events: readonly ApplicationEvent[]): ApplicationState {
  return events.reduce(evolve, state);
}

/** An earlier application of the same elder, as far as a new one cares. */
export interface PastApplication {
  readonly id: string;
  readonly status: ApplicationStatus;
  readonly reapplyFrom: string | null;
}

/** Whether an elder may open a new application now, and if not, why. */
export type ApplyDecision =
  | { ok: true }
  | { ok: false; because: 'in-progress' | 'authorised'; applicationId: string }
  | { ok: false; because: 'barred'; applicationId: string; reapplyFrom: string };

/**
 * An elder may apply unless an application is being worked, benefits are authorised, or a
 * refusal (or a grade below the threshold) is younger than the re-application bar.
 */
export function mayApply(past: readonly PastApplication[], at: Date): ApplyDecision {
  const authorised = past.find((p) => AUTHORISED_STATUSES.includes(p.status));
  if (authorised) return { ok: false, because: 'authorised', applicationId: authorised.id };
  const open = past.find((p) => IN_PROGRESS_STATUSES.includes(p.status));
  if (open) return { ok: false, because: 'in-progress', applicationId: open.id };
  const today = chinaDay(at);
  let bar: { id: string; reapplyFrom: string } | undefined;
  for (const p of past) {
    if (!BARRING_STATUSES.includes(p.status) || p.reapplyFrom === null || today >= p.reapplyFrom) continue;
    if (!bar || p.reapplyFrom > bar.reapplyFrom) bar = { id: p.id, reapplyFrom: p.reapplyFrom };
  }
  if (bar) return { ok: false, because: 'barred', applicationId: bar.id, reapplyFrom: bar.reapplyFrom };
  return { ok: true };
}
