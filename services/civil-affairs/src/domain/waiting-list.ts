import { HARDSHIP_STATUS_CODES } from '@fbl/contracts';
import { addWorkingDays } from './elder.js';

/**
 * The public care-home waiting list (轮候, DOMAIN.md §5) as pure rules over plain data. Nothing
 * here reads a database or a clock: callers pass the facts and the moment (`asOf`).
 */

/** Hardship statuses civil affairs records (特困, 低保, 低保边缘, 计划生育特殊家庭, 重点优抚, 重度残疾). */
/** The hardship statuses, as the contracts name them. */
export const HARDSHIP_STATUSES = HARDSHIP_STATUS_CODES;
export type HardshipStatus = (typeof HARDSHIP_STATUSES)[number];

/** Where an entry stands: still queueing (`waiting`, `offered`) or done. */
export const ENTRY_STATUSES = ['waiting', 'offered', 'admitted', 'refused', 'withdrawn'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];
/** Entries that still hold a place in the queue. */
export const QUEUEING: readonly EntryStatus[] = ['waiting', 'offered'];

/** A hardship status with its validity (dates `YYYY-MM-DD`, `validUntil` inclusive, open when absent). */
export interface HardshipPeriod {
  status: HardshipStatus;
  validFrom: string;
  validUntil?: string | null;
}

/** What the classes are decided on. */
export interface ApplicantFacts {
  /** `YYYY-MM-DD`. */
  birthDate: string;
  /** The latest ability level (GB/T 42195-2022, 0 able … 4 complete loss), or null when never assessed. */
  abilityLevel: number | null;
  /** A diagnosed dementia recorded with the latest assessment. */
  dementia: boolean;
  hardships: readonly HardshipPeriod[];
}

/** A ground for a class: a hardship status (optionally only with disability or dementia), disability or dementia, or age. */
export type Ground =
  | { kind: 'status'; statuses: readonly HardshipStatus[]; needsDisabilityOrDementia?: boolean }
  | { kind: 'disabled-or-demented' }
  | { kind: 'age'; atLeast: number };

/** One priority class: its number, whether it skips the queue, and the grounds, any of which suffices. */
export interface ClassRule {
  class: number;
  /** Admitted without queueing (愿进全进). */
  noQueue?: boolean;
  grounds: readonly Ground[];
}

/** A version of the waiting-list rules: everything a region may change, as data. */
export interface WaitingListRules {
  version: string;
  /** Ability level from which an elder counts as disabled. */
  disabledFromLevel: number;
  /** Classes in order; the first whose grounds match decides. */
  classes: readonly ClassRule[];
  /** The class of everyone else. */
  otherwiseClass: number;
  /** Refusals after which an entry ends as `refused` (having refused every offer made). */
  refusalsEndEntry: number;
  bans: {
    /** How long a ban bars re-application. */
    days: number;
    /** Withdrawals within `withinDays` of each other that bring a ban. */
    withdrawals: { count: number; withinDays: number };
    /** Whether ending an entry by refusing every offer brings a ban. */
    afterRefusingEveryOffer: boolean;
  };
  /** Working days from the application to the assessment result. */
  assessmentDueWorkingDays: number;
  /** Offset of the local time the explanation is written in (China Standard Time: +480). */
  displayOffsetMinutes: number;
}

/** The default rules of DOMAIN.md §5. `refusalsEndEntry` (2) is a local choice, not in the design. */
export const WAITING_LIST_RULES_2026: WaitingListRules = {
  version: 'waiting-list-2026.1',
  disabledFromLevel: 3,
  classes: [
    { class: 1, noQueue: true, grounds: [{ kind: 'status', statuses: ['extreme-poverty'] }] },
    {
      class: 2,
      grounds: [
        { kind: 'status', statuses: ['low-income', 'low-income-edge'], needsDisabilityOrDementia: true },
        { kind: 'status', statuses: ['family-planning-special'] },
        { kind: 'status', statuses: ['key-entitled'] },
        { kind: 'status', statuses: ['severe-disability'] },
      ],
    },
    { class: 3, grounds: [{ kind: 'disabled-or-demented' }, { kind: 'age', atLeast: 80 }] },
  ],
  otherwiseClass: 4,
  refusalsEndEntry: 2,
  bans: { days: 365, withdrawals: { count: 2, withinDays: 365 }, afterRefusingEveryOffer: true },
  assessmentDueWorkingDays: 3,
  displayOffsetMinutes: 480,
};

const STATUS_LABEL: Record<HardshipStatus, string> = {
  'extreme-poverty': 'extreme poverty',
  'low-income': 'low-income',
  'low-income-edge': 'on the low-income edge',
  'family-planning-special': 'family-planning special family',
  'key-entitled': 'key entitled group',
  'severe-disability': 'severe disability',
};

const DAY = 86_400_000;

/** The local calendar date of an instant. */
export function localDate(at: Date, rules: WaitingListRules = WAITING_LIST_RULES_2026): string {
  return new Date(at.getTime() + rules.displayOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** An instant as local `YYYY-MM-DD HH:mm`. */
export function localTime(at: Date, rules: WaitingListRules = WAITING_LIST_RULES_2026): string {
  return new Date(at.getTime() + rules.displayOffsetMinutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Whole years of age on a date (both `YYYY-MM-DD`). */
export function ageOn(birthDate: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** The statuses valid on a date. */
export function statusesOn(hardships: readonly HardshipPeriod[], on: string): Set<HardshipStatus> {
  return new Set(hardships.filter((h) => h.validFrom <= on && (h.validUntil == null || on <= h.validUntil)).map((h) => h.status));
}

/** An elder's priority class on `asOf`, with the ground that decided it in words. */
export interface Classification {
  class: number;
  noQueue: boolean;
  /** Why, e.g. "low-income and severely disabled". */
  reason: string;
}

/** The class of an applicant on `asOf`: statuses count only when valid that day. */
export function classify(facts: ApplicantFacts, asOf: Date, rules: WaitingListRules = WAITING_LIST_RULES_2026): Classification {
  const on = localDate(asOf, rules);
  const valid = statusesOn(facts.hardships, on);
  const disabled = facts.abilityLevel !== null && facts.abilityLevel >= rules.disabledFromLevel;
  const condition = disabled ? 'severely disabled' : facts.dementia ? 'demented' : null;
  for (const rule of rules.classes) {
    for (const ground of rule.grounds) {
      const reason = groundReason(ground, valid, condition, facts, on);
      if (reason !== null) return { class: rule.class, noQueue: rule.noQueue === true, reason };
    }
  }
  return { class: rules.otherwiseClass, noQueue: false, reason: 'no priority ground' };
}

function groundReason(ground: Ground, valid: Set<HardshipStatus>, condition: string | null, facts: ApplicantFacts, on: string): string | null {
  switch (ground.kind) {
    case 'status': {
      const status = ground.statuses.find((s) => valid.has(s));
      if (status === undefined) return null;
      if (ground.needsDisabilityOrDementia) return condition === null ? null : `${STATUS_LABEL[status]} and ${condition}`;
      return STATUS_LABEL[status];
    }
    case 'disabled-or-demented':
      return condition;
    case 'age': {
      const age = ageOn(facts.birthDate, on);
      return age >= ground.atLeast ? `aged ${age} (${ground.atLeast} or older)` : null;
    }
    default: {
      const unreachable: never = ground;
      throw new Error(`unknown ground ${JSON.stringify(unreachable)}`);
    }
  }
}

/** An entry still in the queue of one home, with the facts its class is decided on. */
export interface QueueEntry {
  entryId: string;
  elderId: string;
  appliedAt: Date;
  facts: ApplicantFacts;
}

/** An entry in order, with its class and position (1 is first). */
export interface RankedEntry extends QueueEntry, Classification {
  position: number;
}

/** The queue in order on `asOf`: class, then application time, then entry id (for exact ties). */
export function orderQueue(entries: readonly QueueEntry[], asOf: Date, rules: WaitingListRules = WAITING_LIST_RULES_2026): RankedEntry[] {
  return entries
    .map((e) => ({ ...e, ...classify(e.facts, asOf, rules) }))
    .sort((a, b) => a.class - b.class || a.appliedAt.getTime() - b.appliedAt.getTime() || (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0))
    .map((e, i) => ({ ...e, position: i + 1 }));
}

/** Where an elder stands and why. */
export interface Position extends Classification {
  entryId: string;
  position: number;
  appliedAt: Date;
  /** How many are ahead, by class. */
  ahead: { class: number; count: number }[];
  explanation: string;
  rulesVersion: string;
}

/**
 * An elder's position on `asOf` and the reason in words, e.g. "class 2 (low-income and severely
 * disabled), applied 2026-03-01 08:00; 3 ahead of you: 1 in class 1, 2 in class 2 who applied
 * earlier". Undefined when the elder is not in these entries.
 */
export function positionOf(entries: readonly QueueEntry[], elderId: string, asOf: Date, rules: WaitingListRules = WAITING_LIST_RULES_2026): Position | undefined {
  const ordered = orderQueue(entries, asOf, rules);
  const index = ordered.findIndex((e) => e.elderId === elderId);
  const me = ordered[index];
  if (me === undefined) return undefined;
  const before = ordered.slice(0, index);
  const counts = new Map<number, number>();
  for (const e of before) counts.set(e.class, (counts.get(e.class) ?? 0) + 1);
  const ahead = [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([cls, count]) => ({ class: cls, count }));
  const sameTime = before.filter((e) => e.class === me.class && e.appliedAt.getTime() === me.appliedAt.getTime()).length;
  const parts = ahead.map(({ class: cls, count }) => {
    if (cls !== me.class) return `${count} in class ${cls}`;
    const earlier = count - sameTime;
    const words: string[] = [];
    if (earlier > 0) words.push(`${earlier} in class ${cls} who applied earlier`);
    if (sameTime > 0) words.push(`${sameTime} in class ${cls} who applied at the same time with an earlier entry number`);
    return words.join(', ');
  });
  const head = `class ${me.class} (${me.reason}${me.noQueue ? ', admitted without queueing' : ''}), applied ${localTime(me.appliedAt, rules)}`;
  const tail = before.length === 0 ? 'no one ahead of you' : `${before.length} ahead of you: ${parts.join(', ')}`;
  return { entryId: me.entryId, class: me.class, noQueue: me.noQueue, reason: me.reason, position: me.position, appliedAt: me.appliedAt, ahead, explanation: `${head}; ${tail}`, rulesVersion: rules.version };
}

/** A past entry of an elder, for the ban check. */
export interface PastEntry {
  status: EntryStatus;
  /** When the entry ended (admitted, refused, withdrawn); null while it queues. */
  endedAt: Date | null;
}

/** Whether an elder may apply on `asOf`, and if not, until when and why. */
export type BanCheck = { banned: false } | { banned: true; until: Date; reason: string };

/**
 * Bans (DOMAIN.md §5): an entry ended by refusing every offer, or `withdrawals.count` withdrawals
 * within `withdrawals.withinDays`, bar re-application for `days` from the refusal or the last of
 * those withdrawals. The ban that runs longest is reported.
 */
export function banOf(history: readonly PastEntry[], asOf: Date, rules: WaitingListRules = WAITING_LIST_RULES_2026): BanCheck {
  const bans: { until: Date; reason: string }[] = [];
  const banMs = rules.bans.days * DAY;
  if (rules.bans.afterRefusingEveryOffer) {
    for (const e of history) {
      if (e.status === 'refused' && e.endedAt) bans.push({ until: new Date(e.endedAt.getTime() + banMs), reason: `refused every offer on ${localDate(e.endedAt, rules)}` });
    }
  }
  const { count, withinDays } = rules.bans.withdrawals;
  const withdrawn = history.flatMap((e) => (e.status === 'withdrawn' && e.endedAt ? [e.endedAt] : [])).sort((a, b) => a.getTime() - b.getTime());
  for (let last = count - 1; last < withdrawn.length; last++) {
    const firstAt = withdrawn[last - count + 1]!;
    const lastAt = withdrawn[last]!;
    if (lastAt.getTime() - firstAt.getTime() <= withinDays * DAY) {
      bans.push({ until: new Date(lastAt.getTime() + banMs), reason: `withdrew ${count} times within ${withinDays} days (last on ${localDate(lastAt, rules)})` });
    }
  }
  const active = bans.filter((b) => b.until.getTime() > asOf.getTime()).sort((a, b) => b.until.getTime() - a.until.getTime());
  const longest = active[0];
  if (longest === undefined) return { banned: false };
  return { banned: true, until: longest.until, reason: `barred from re-applying until ${localDate(longest.until, rules)}: ${longest.reason}` };
}

/** When the assessment result for an application is due. */
export function assessmentDueAt(appliedAt: Date, rules: WaitingListRules = WAITING_LIST_RULES_2026): Date {
  return addWorkingDays(appliedAt, rules.assessmentDueWorkingDays);
}

/** What a refusal does: back to waiting, or the end of the entry when every offer is refused. */
export function afterRefusal(offersRefusedBefore: number, rules: WaitingListRules = WAITING_LIST_RULES_2026): { status: 'waiting' | 'refused'; offersRefused: number } {
  const offersRefused = offersRefusedBefore + 1;
  return { status: offersRefused >= rules.refusalsEndEntry ? 'refused' : 'waiting', offersRefused };
}

/** Which moves an entry may make from each status. */
export const MOVES: Record<'offer' | 'accept' | 'refuse' | 'withdraw', readonly EntryStatus[]> = {
  offer: ['waiting'],
  accept: ['offered'],
  refuse: ['offered'],
  withdraw: ['waiting', 'offered'],
};

/** What a move changes of an entry that may make it (see {@link MOVES}). */
export function changeOf(
  move: keyof typeof MOVES,
  entry: { homeInstitutionId: string; offersRefused: number },
  institutionId: string | undefined,
  now: Date,
  rules: WaitingListRules = WAITING_LIST_RULES_2026,
): { updatedAt: Date; status: EntryStatus; offeredAt?: Date | null; offeredInstitutionId?: string | null; offersRefused?: number; endedAt?: Date } {
  switch (move) {
    case 'offer':
      return { updatedAt: now, status: 'offered', offeredAt: now, offeredInstitutionId: institutionId ?? entry.homeInstitutionId };
    case 'accept':
      return { updatedAt: now, status: 'admitted', endedAt: now };
    case 'refuse': {
      const next = afterRefusal(entry.offersRefused, rules);
      return { updatedAt: now, status: next.status, offersRefused: next.offersRefused, offeredAt: null, offeredInstitutionId: null, ...(next.status === 'refused' ? { endedAt: now } : {}) };
    }
    case 'withdraw':
      return { updatedAt: now, status: 'withdrawn', endedAt: now };
  }
}
