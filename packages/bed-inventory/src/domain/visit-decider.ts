/**
 * The decider of service plans and visits: given the stay, plan or visit a command names (as
 * loaded, locked) and the time, what happened or why not. Pure.
 */
import type { Refusal } from './decider.js';
import { isItemFor, type HomeBedType } from './visit-catalogue.js';
import { canCheckIn, expandSchedule, horizonOf, isLate, isMissed, minutesBetween, PURPOSES_OF, topUpAt, type PlanContent, type VisitPurpose, type VisitStatus } from './visits.js';

export interface PlanState {
  id: string;
  stayId: string;
  institutionId: string;
  elderRef: string;
  version: number;
  content: PlanContent;
  scheduledUntil: Date;
}

export interface VisitState {
  id: string;
  planId: string;
  stayId: string;
  institutionId: string;
  elderRef: string;
  divisionCode: string;
  purpose: VisitPurpose;
  windowStart: Date;
  windowEnd: Date;
  workerId: string;
  workerName: string | null;
  items: string[];
  status: VisitStatus;
  checkedInAt: Date | null;
  graceMinutes: number;
}

export type Confirmation = { method: 'signature'; png: string } | { method: 'code'; code: string } | { method: 'none' };
export interface Actor {
  userId: string;
  name?: string | undefined;
}

export type VisitCommand =
  | { type: 'SetPlan'; stayId: string; content: PlanContent; by: Actor }
  | { type: 'ExtendSchedule'; planId: string }
  | { type: 'AddVisit'; planId: string; purpose: VisitPurpose; windowStart: Date; windowEnd: Date; items: string[] }
  | { type: 'CheckIn'; visitId: string; by: Actor }
  | { type: 'CheckOut'; visitId: string; items: { code: string; minutes: number }[]; confirmation: Confirmation; notes?: string; photos?: string[]; review?: { condition: string; decision: string }; by: Actor }
  | { type: 'FlagMissed'; visitId: string };

/** What a command is decided on. `code` is the visit's one-time code, opened, for a check-out. */
export interface VisitDecisionState {
  stay?: { id: string; institutionId: string; elderRef: string; status: string };
  plan?: PlanState;
  visit?: VisitState;
  /** For SetPlan: the plan's visits still to come (scheduled, window not yet started), to be replaced. */
  upcoming?: VisitState[];
  code?: string;
}

export type NewVisit = Omit<VisitState, 'status' | 'checkedInAt'>;

export type VisitEvent =
  | { type: 'PlanSet'; plan: PlanState; by: Actor; cancelled: VisitState[]; added: NewVisit[]; topUpAt: Date | null }
  | { type: 'ScheduleExtended'; plan: PlanState; added: NewVisit[]; topUpAt: Date | null }
  | { type: 'VisitAdded'; visit: NewVisit }
  | { type: 'CheckedIn'; visit: VisitState; at: Date; late: boolean; by: Actor }
  | { type: 'VisitCompleted'; visit: VisitState; at: Date; minutes: number; items: { code: string; minutes: number }[]; confirmation: Confirmation; notes?: string; photos?: string[]; review?: { condition: string; decision: string }; late: boolean; by: Actor }
  | { type: 'VisitMissed'; visit: VisitState; at: Date };

export interface VisitContext {
  bedType: HomeBedType;
  now: Date;
  newId: () => string;
}

const refused = (reason: string): Refusal => ({ refused: 'conflict', reason });
const missing = (what: string): Refusal => ({ refused: 'not-found', reason: what });

function layOut(plan: PlanState, from: Date, to: Date, newId: () => string): NewVisit[] {
  return expandSchedule(plan.content, from, to).map((w) => ({
    id: newId(),
    planId: plan.id,
    stayId: plan.stayId,
    institutionId: plan.institutionId,
    elderRef: plan.elderRef,
    divisionCode: plan.content.divisionCode,
    purpose: w.purpose,
    windowStart: w.windowStart,
    windowEnd: w.windowEnd,
    workerId: plan.content.workerId,
    workerName: plan.content.workerName ?? null,
    items: w.items,
    graceMinutes: plan.content.graceMinutes,
  }));
}

export function decideVisit(state: VisitDecisionState, command: VisitCommand, { bedType, now, newId }: VisitContext): VisitEvent[] | Refusal {
  switch (command.type) {
    case 'SetPlan': {
      const { stay } = state;
      if (!stay) return missing(`no admission ${command.stayId}`);
      if (stay.status === 'discharged') return refused('the admission has ended');
      const until = horizonOf(command.content, now);
      const plan: PlanState = { id: state.plan?.id ?? newId(), stayId: stay.id, institutionId: stay.institutionId, elderRef: stay.elderRef, version: (state.plan?.version ?? 0) + 1, content: command.content, scheduledUntil: until };
      // Visits laid out by the previous version that have not started are replaced by the new version's.
      const cancelled = state.upcoming ?? [];
      return [{ type: 'PlanSet', plan, by: command.by, cancelled, added: layOut(plan, now, until, newId).filter((v) => !state.plan || v.windowStart > now), topUpAt: topUpAt(command.content, until) }];
    }
    case 'ExtendSchedule': {
      const { plan } = state;
      if (!plan) return missing(`no plan ${command.planId}`);
      if (state.stay?.status === 'discharged') return [];
      const until = horizonOf(plan.content, now);
      if (until <= plan.scheduledUntil) return [];
      const next = { ...plan, scheduledUntil: until };
      return [{ type: 'ScheduleExtended', plan: next, added: layOut(plan, plan.scheduledUntil, until, newId).filter((v) => v.windowStart >= plan.scheduledUntil), topUpAt: topUpAt(plan.content, until) }];
    }
    case 'AddVisit': {
      const { plan } = state;
      if (!plan) return missing(`no plan ${command.planId}`);
      if (state.stay?.status === 'discharged') return refused('the admission has ended');
      if (!PURPOSES_OF[bedType].includes(command.purpose)) return refused(`${command.purpose} is not a purpose of ${bedType} visits`);
      if (command.windowEnd <= command.windowStart) return refused('the window must end after it starts');
      if (command.windowEnd <= now) return refused('the window has already ended');
      const bad = command.items.find((code) => !isItemFor(code, bedType));
      if (bad) return refused(`${bad} is not an item of the ${bedType} catalogue`);
      const visit: NewVisit = { id: newId(), planId: plan.id, stayId: plan.stayId, institutionId: plan.institutionId, elderRef: plan.elderRef, divisionCode: plan.content.divisionCode, purpose: command.purpose, windowStart: command.windowStart, windowEnd: command.windowEnd, workerId: plan.content.workerId, workerName: plan.content.workerName ?? null, items: command.items, graceMinutes: plan.content.graceMinutes };
      return [{ type: 'VisitAdded', visit }];
    }
    case 'CheckIn': {
      const { visit } = state;
      if (!visit) return missing(`no visit ${command.visitId}`);
      const can = canCheckIn(visit, now);
      if (!can.ok) return refused(can.reason);
      return [{ type: 'CheckedIn', visit, at: now, late: isLate(visit.windowStart, now, visit.graceMinutes), by: command.by }];
    }
    case 'CheckOut': {
      const { visit } = state;
      if (!visit) return missing(`no visit ${command.visitId}`);
      if (visit.status !== 'in-progress' || !visit.checkedInAt) return refused(`the visit is ${visit.status}, not checked in`);
      const bad = command.items.find((i) => !isItemFor(i.code, bedType));
      if (bad) return refused(`${bad.code} is not an item of the ${bedType} catalogue`);
      if (command.confirmation.method === 'code' && (!state.code || command.confirmation.code !== state.code)) return refused('the confirmation code does not match');
      if (command.review && visit.purpose !== 'review') return refused('only a review visit records a review');
      const { notes, review, photos } = command;
      return [{ type: 'VisitCompleted', visit, at: now, minutes: minutesBetween(visit.checkedInAt, now), items: command.items, confirmation: command.confirmation, ...(notes ? { notes } : {}), ...(photos?.length ? { photos } : {}), ...(review ? { review } : {}), late: isLate(visit.windowStart, visit.checkedInAt, visit.graceMinutes), by: command.by }];
    }
    case 'FlagMissed': {
      const { visit } = state;
      // A visit checked in, cancelled or already flagged is left alone: the timer's message is idempotent.
      if (!visit || !isMissed(visit, now)) return [];
      return [{ type: 'VisitMissed', visit, at: now }];
    }
  }
}
