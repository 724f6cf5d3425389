/**
 * Home bed visits, pure: a service plan's weekly slots laid out as visit windows, and the rules of
 * a visit (check-in, check-out, late, missed). Times of day are China Standard Time (UTC+8, no
 * daylight saving), the time the plans are written in.
 */
import { isItemFor, type HomeBedType } from './visit-catalogue.js';

/** China Standard Time: UTC+8 all year. */
export const LOCAL_OFFSET_MINUTES = 8 * 60;
/** A worker may check in this long before a window opens. */
export const EARLY_CHECK_IN_MINUTES = 60;
/** How far ahead a plan's visits are laid out, and how long before that runs out the next weeks are. */
export const SCHEDULE_HORIZON_DAYS = 28;
export const SCHEDULE_TOP_UP_DAYS = 7;

export const VISIT_STATUSES = ['scheduled', 'in-progress', 'completed', 'missed', 'cancelled'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];
export type VisitPurpose = 'service' | 'doctor-round' | 'review';
/** Which purposes a home bed's visits may have: 查床 and 定期评估 are a home sick bed's. */
export const PURPOSES_OF: Record<HomeBedType, readonly VisitPurpose[]> = { 'home-care': ['service'], 'home-sick': ['service', 'doctor-round', 'review'] };

/** A weekly slot of a plan: on these weekdays (1 Monday … 7 Sunday), from `start` (HH:MM) for `windowMinutes`. */
export interface PlanSlot {
  purpose: 'service' | 'doctor-round';
  weekdays: number[];
  start: string;
  windowMinutes: number;
  items: string[];
}

/** What a provider writes in a service plan; each change is a new version. */
export interface PlanContent {
  /** The elder's home county (the provider confirms it; messages carry it). */
  divisionCode: string;
  /** The responsible worker (an account of the provider) and, optionally, the team. */
  workerId: string;
  workerName?: string | undefined;
  team?: string | undefined;
  /** The contract period, local dates YYYY-MM-DD, both included. */
  startsOn: string;
  endsOn: string;
  /** Minutes after a window opens before a check-in counts as late. */
  graceMinutes: number;
  slots: PlanSlot[];
}

export interface FieldProblem {
  field: string;
  reason: string;
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** What is wrong with a plan for a home bed type (fields as JSON pointers' paths, dotted). */
export function checkPlan(content: PlanContent, bedType: HomeBedType): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!DATE.test(content.startsOn)) problems.push({ field: 'startsOn', reason: 'must be a date YYYY-MM-DD' });
  if (!DATE.test(content.endsOn)) problems.push({ field: 'endsOn', reason: 'must be a date YYYY-MM-DD' });
  else if (content.endsOn < content.startsOn) problems.push({ field: 'endsOn', reason: 'must not be before startsOn' });
  if (content.slots.length === 0) problems.push({ field: 'slots', reason: 'must name at least one visit slot' });
  content.slots.forEach((slot, i) => {
    if (!PURPOSES_OF[bedType].includes(slot.purpose)) problems.push({ field: `slots.${i}.purpose`, reason: `${slot.purpose} is not a purpose of ${bedType} visits` });
    if (slot.weekdays.length === 0 || slot.weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) problems.push({ field: `slots.${i}.weekdays`, reason: 'must be weekdays 1 (Monday) to 7 (Sunday)' });
    if (!TIME.test(slot.start)) problems.push({ field: `slots.${i}.start`, reason: 'must be a time HH:MM' });
    slot.items.forEach((code, j) => {
      if (!isItemFor(code, bedType)) problems.push({ field: `slots.${i}.items.${j}`, reason: `${code} is not an item of the ${bedType} catalogue` });
    });
  });
  return problems;
}

/** The local date (YYYY-MM-DD) of an instant. */
export function localDay(at: Date): string {
  return new Date(at.getTime() + LOCAL_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
}

/** The instant a local date and time of day (HH:MM) stand for. */
export function localInstant(day: string, time = '00:00'): Date {
  return new Date(Date.parse(`${day}T${time}:00Z`) - LOCAL_OFFSET_MINUTES * 60_000);
}

/** The local day's start and the next day's start. */
export function dayBounds(day: string): { start: Date; end: Date } {
  const start = localInstant(day);
  return { start, end: new Date(start.getTime() + 24 * 3_600_000) };
}

/** 1 Monday … 7 Sunday of a local date. */
function weekdayOf(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 24 * 3_600_000).toISOString().slice(0, 10);
}

/** A visit window laid out from a plan. */
export interface PlannedWindow {
  purpose: 'service' | 'doctor-round';
  windowStart: Date;
  windowEnd: Date;
  items: string[];
}

/**
 * The visits a plan's slots stand for within the contract period whose windows end after `from`
 * and start before `to`, in time order.
 */
export function expandSchedule(content: Pick<PlanContent, 'startsOn' | 'endsOn' | 'slots'>, from: Date, to: Date): PlannedWindow[] {
  const windows: PlannedWindow[] = [];
  const first = localDay(new Date(from.getTime() - 24 * 3_600_000));
  let day = first > content.startsOn ? first : content.startsOn;
  const last = localDay(to) < content.endsOn ? localDay(to) : content.endsOn;
  for (; day <= last; day = nextDay(day)) {
    for (const slot of content.slots) {
      if (!slot.weekdays.includes(weekdayOf(day))) continue;
      const windowStart = localInstant(day, slot.start);
      const windowEnd = new Date(windowStart.getTime() + slot.windowMinutes * 60_000);
      if (windowEnd > from && windowStart < to) windows.push({ purpose: slot.purpose, windowStart, windowEnd, items: [...slot.items] });
    }
  }
  return windows.sort((a, b) => a.windowStart.getTime() - b.windowStart.getTime());
}

/** Where a plan's laid-out visits end: `SCHEDULE_HORIZON_DAYS` from now, or the contract's end. */
export function horizonOf(content: Pick<PlanContent, 'endsOn'>, now: Date): Date {
  const horizon = new Date(now.getTime() + SCHEDULE_HORIZON_DAYS * 24 * 3_600_000);
  const end = dayBounds(content.endsOn).end;
  return horizon < end ? horizon : end;
}

/** When to lay out the next weeks (null once the contract's end is laid out). */
export function topUpAt(content: Pick<PlanContent, 'endsOn'>, scheduledUntil: Date): Date | null {
  if (scheduledUntil >= dayBounds(content.endsOn).end) return null;
  return new Date(scheduledUntil.getTime() - SCHEDULE_TOP_UP_DAYS * 24 * 3_600_000);
}

/** A check-in after the window opened by more than the grace is late. */
export function isLate(windowStart: Date, checkedInAt: Date, graceMinutes: number): boolean {
  return checkedInAt.getTime() > windowStart.getTime() + graceMinutes * 60_000;
}

/** Whether a visit in this state at this time is missed: its window ended and nobody checked in. */
export function isMissed(visit: { status: VisitStatus; windowEnd: Date }, now: Date): boolean {
  return visit.status === 'scheduled' && now >= visit.windowEnd;
}

/** Whether a worker may check in now: the visit is scheduled and its window (opened early by `EARLY_CHECK_IN_MINUTES`) has not ended. */
export function canCheckIn(visit: { status: VisitStatus; windowStart: Date; windowEnd: Date }, now: Date): { ok: true } | { ok: false; reason: string } {
  if (visit.status !== 'scheduled') return { ok: false, reason: `the visit is ${visit.status}` };
  if (now.getTime() < visit.windowStart.getTime() - EARLY_CHECK_IN_MINUTES * 60_000) return { ok: false, reason: 'the visit window has not opened yet' };
  if (now >= visit.windowEnd) return { ok: false, reason: 'the visit window has ended: the visit is missed' };
  return { ok: true };
}

/** Whole minutes between check-in and check-out. */
export function minutesBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / 60_000));
}
