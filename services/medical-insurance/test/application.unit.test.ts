import { describe, expect, it } from 'vitest';
import { addMonthsToDay, firstOfNextMonth } from '../src/domain/calendar.js';
import {
  APPLICATION_STATUSES,
  APPLIED,
  decide,
  evolveAll,
  mayApply,
  type ApplicationCommand,
  type ApplicationEvent,
  type ApplicationState,
  type ApplicationStatus,
} from '../src/domain/application.js';
import { DEFAULT_LTCI_POLICY, type LtciPolicy } from '../src/domain/policy.js';
import { insuranceRules } from '../src/domain/rules.js';
import { ltciPolicyFromEnv } from '../src/settings.js';

const policy = DEFAULT_LTCI_POLICY;
const T0 = new Date('2026-05-01T08:00:00Z'); // 16:00 in China
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);
const provider = '0192f3b2-7c1a-7000-8000-0000000000aa';

/** Run commands from a new application, each of which must be allowed. */
function run(commands: ApplicationCommand[], p: LtciPolicy = policy): ApplicationState {
  let state = APPLIED;
  for (const command of commands) {
    const decision = decide(state, command, p);
    if (!decision.ok) throw new Error(`${command.type} refused in ${state.status}: ${decision.reason}`);
    state = evolveAll(state, decision.events);
  }
  return state;
}

const toAccepted: ApplicationCommand[] = [{ type: 'accept', at: T0 }];
const toNotice: ApplicationCommand[] = [...toAccepted, { type: 'record-assessment', grade: 4, at: day(1) }];
const toEffective: ApplicationCommand[] = [...toNotice, { type: 'end-notice', at: day(6) }];
const toInBenefit: ApplicationCommand[] = [...toEffective, { type: 'choose-care', choice: { careMode: 'institutional-care', providerInstitutionId: provider, hospitalLevel: null }, at: day(7) }];

/** A state of every status, reached by allowed commands. */
const states: Record<ApplicationStatus, ApplicationState> = {
  applied: APPLIED,
  accepted: run(toAccepted),
  refused: run([{ type: 'refuse', ground: 'not-insured', at: T0 }]),
  notice: run(toNotice),
  objected: run([...toNotice, { type: 'object', reason: 'a neighbour says the elder walks to the market', at: day(2) }]),
  'not-eligible': run([...toAccepted, { type: 'record-assessment', grade: 2, at: day(1) }]),
  effective: run(toEffective),
  'in-benefit': run(toInBenefit),
  'reassessment-due': run([...toInBenefit, { type: 'reassessment-falls-due', at: day(800) }]),
  ended: run([...toEffective, { type: 'end', reason: 'death', at: day(30) }]),
};

/** One of every command, each at a time its time guard allows (far after every deadline but the notice's). */
const commands: Record<string, ApplicationCommand> = {
  accept: { type: 'accept', at: day(3) },
  refuse: { type: 'refuse', ground: 'materials-incomplete-or-false', at: day(3) },
  'assess eligible': { type: 'record-assessment', grade: 4, at: day(3) },
  'assess below threshold': { type: 'record-assessment', grade: 2, at: day(3) },
  object: { type: 'object', reason: 'disputed', at: day(3) },
  'end notice': { type: 'end-notice', at: day(6) },
  'choose care': { type: 'choose-care', choice: { careMode: 'home-visiting-care', providerInstitutionId: provider, hospitalLevel: null }, at: day(900) },
  'reassessment falls due': { type: 'reassessment-falls-due', at: day(900) },
  end: { type: 'end', reason: 'insurance-lost', at: day(900) },
};

/** The transition table: status → command → the status it leads to. Anything missing is refused. */
const allowed: Record<ApplicationStatus, Partial<Record<keyof typeof commands, ApplicationStatus>>> = {
  applied: { accept: 'accepted', refuse: 'refused' },
  accepted: { 'assess eligible': 'notice', 'assess below threshold': 'not-eligible' },
  refused: {},
  notice: { object: 'objected', 'end notice': 'effective' },
  objected: { 'assess eligible': 'effective', 'assess below threshold': 'not-eligible' },
  'not-eligible': {},
  effective: { 'choose care': 'in-benefit', 'reassessment falls due': 'reassessment-due', end: 'ended' },
  'in-benefit': { 'choose care': 'in-benefit', 'reassessment falls due': 'reassessment-due', end: 'ended' },
  'reassessment-due': { 'assess eligible': 'in-benefit', 'assess below threshold': 'ended', end: 'ended' },
  ended: {},
};

describe('the LTCI application lifecycle', () => {
  it('has a reachable state for every status', () => {
    for (const status of APPLICATION_STATUSES) expect(states[status].status).toBe(status);
  });

  for (const status of APPLICATION_STATUSES) {
    for (const [name, command] of Object.entries(commands)) {
      const target = allowed[status][name];
      it(`${status}: ${name} ${target ? `→ ${target}` : 'is refused'}`, () => {
        const decision = decide(states[status], command, policy);
        if (target === undefined) {
          expect(decision.ok).toBe(false);
          if (!decision.ok) expect(decision.reason).toMatch(/cannot|ended|runs until|due at/);
        } else {
          expect(decision.ok, decision.ok ? '' : decision.reason).toBe(true);
          if (decision.ok) expect(evolveAll(states[status], decision.events).status).toBe(target);
        }
      });
    }
  }
});

describe('deadlines and dates', () => {
  it('refuses an objection once the notice has ended, and the end of a notice still running', () => {
    const notice = states.notice;
    expect(notice.noticeEndsAt?.toISOString()).toBe(day(6).toISOString());
    expect(decide(notice, { type: 'object', reason: 'late', at: day(6) }, policy)).toEqual({ ok: false, code: 'notice-ended', reason: `the public notice ended at ${day(6).toISOString()}` });
    expect(decide(notice, { type: 'end-notice', at: new Date(day(6).getTime() - 1) }, policy)).toMatchObject({ ok: false, code: 'notice-running' });
  });

  it('ends benefits on the day named, not after today (China) nor before they took effect', () => {
    const effective = states.effective;
    // Effective at day(6) = 2026-05-07 16:00 in China; ended on day(30) = 2026-05-31 16:00 in China.
    const ended = (endedOn?: string) => decide(effective, { type: 'end', reason: 'death', ...(endedOn ? { endedOn } : {}), at: day(30) }, policy);
    expect(ended('2026-05-20')).toEqual({ ok: true, events: [{ type: 'ended', reason: 'death', endedOn: '2026-05-20', at: day(30) }] });
    expect(ended()).toMatchObject({ ok: true, events: [{ endedOn: '2026-05-31' }] });
    expect(ended('2026-05-07')).toMatchObject({ ok: true });
    expect(ended('2026-05-06')).toMatchObject({ ok: false, code: 'ends-before-effective' });
    expect(ended('2026-06-01')).toMatchObject({ ok: false, code: 'ends-in-future' });
    expect(states.ended).toMatchObject({ status: 'ended', endReason: 'death', endedOn: '2026-05-31' });
  });

  it('refuses a re-assessment deadline that is not due yet', () => {
    const effective = states.effective;
    expect(effective.reassessmentDueAt?.toISOString()).toBe('2028-05-07T08:00:00.000Z');
    expect(decide(effective, { type: 'reassessment-falls-due', at: new Date('2028-05-07T07:59:59Z') }, policy).ok).toBe(false);
    expect(decide(effective, { type: 'reassessment-falls-due', at: new Date('2028-05-07T08:00:00Z') }, policy).ok).toBe(true);
  });

  it('starts benefits on the first day of the next month, counted in China', () => {
    // 2026-05-31T17:00Z is already 1 June in China.
    const atMonthEnd = run([...toNotice, { type: 'end-notice', at: new Date('2026-05-31T17:00:00Z') }]);
    expect(atMonthEnd.effectiveFrom).toBe('2026-07-01');
    expect(states.effective.effectiveFrom).toBe('2026-06-01');
    expect(states['in-benefit'].benefitsFrom).toBe('2026-06-01');
  });

  it('bars re-application for six months after a refusal or a grade below the threshold', () => {
    expect(states.refused).toMatchObject({ refusalGround: 'not-insured', reapplyFrom: '2026-11-01' });
    expect(states['not-eligible']).toMatchObject({ refusalGround: 'conditions-not-met', reapplyFrom: '2026-11-02' });
  });

  it('ends benefits for improvement when a re-assessment falls below the threshold', () => {
    const decision = decide(states['reassessment-due'], { type: 'record-assessment', grade: 1, at: day(801) }, policy);
    expect(decision.ok && decision.events.map((e) => e.type)).toEqual(['graded', 'ended']);
    expect(decision.ok && evolveAll(states['reassessment-due'], decision.events)).toMatchObject({ status: 'ended', endReason: 'improvement', grade: 1, endedOn: '2028-07-10' });
  });

  it('keeps the care mode through a re-assessment, and moves the next one on', () => {
    const decision = decide(states['reassessment-due'], { type: 'record-assessment', grade: 5, at: day(801) }, policy);
    if (!decision.ok) throw new Error(decision.reason);
    const after = evolveAll(states['reassessment-due'], decision.events);
    expect(after).toMatchObject({ status: 'in-benefit', grade: 5, careChoice: { careMode: 'institutional-care' } });
    expect(after.reassessmentDueAt?.toISOString()).toBe(new Date('2030-07-10T08:00:00Z').toISOString());
  });

  it('names the purpose of each assessment: first, after an objection, periodic', () => {
    const purpose = (state: ApplicationState) => {
      const d = decide(state, { type: 'record-assessment', grade: 3, at: day(3) }, policy);
      return d.ok ? (d.events.find((e) => e.type === 'graded') as Extract<ApplicationEvent, { type: 'graded' }>).purpose : d.reason;
    };
    expect([purpose(states.accepted), purpose(states.objected), purpose(states['reassessment-due'])]).toEqual(['first', 'objection', 'reassessment']);
  });

  it('makes a re-assessment after an objection final: effective without a second notice', () => {
    const decision = decide(states.objected, { type: 'record-assessment', grade: 3, at: day(4) }, policy);
    expect(decision.ok && decision.events.map((e) => e.type)).toEqual(['graded', 'became-effective']);
  });
});

describe('the policy is configuration', () => {
  it('takes the threshold, notice length, bar and re-assessment period from the policy', () => {
    const lenient: LtciPolicy = { minGrade: 2, noticeDays: 7, reapplyMonths: 3, reassessmentYears: 1 };
    const noticed = run([...toAccepted, { type: 'record-assessment', grade: 2, at: day(1) }], lenient);
    expect(noticed).toMatchObject({ status: 'notice', grade: 2 });
    expect(noticed.noticeEndsAt?.toISOString()).toBe(day(8).toISOString());
    expect(run([{ type: 'refuse', ground: 'other', at: T0 }], lenient).reapplyFrom).toBe('2026-08-01');
    const effective = run([...toAccepted, { type: 'record-assessment', grade: 2, at: day(1) }, { type: 'end-notice', at: day(8) }], lenient);
    expect(effective.reassessmentDueAt?.toISOString()).toBe('2027-05-09T08:00:00.000Z');
  });

  it('reads the LTCI_* keys, with defaults, and names every bad key', () => {
    expect(ltciPolicyFromEnv({})).toEqual(DEFAULT_LTCI_POLICY);
    expect(ltciPolicyFromEnv({ LTCI_MIN_GRADE: '4', LTCI_NOTICE_DAYS: '7', LTCI_REAPPLY_MONTHS: '12', LTCI_REASSESSMENT_YEARS: '3' })).toEqual({ minGrade: 4, noticeDays: 7, reapplyMonths: 12, reassessmentYears: 3 });
    expect(() => ltciPolicyFromEnv({ LTCI_MIN_GRADE: '6' })).toThrow(/LTCI_MIN_GRADE/);
    expect(() => ltciPolicyFromEnv({ LTCI_NOTICE_DAYS: 'five', LTCI_REASSESSMENT_YEARS: '-1' })).toThrow(/LTCI_NOTICE_DAYS.*LTCI_REASSESSMENT_YEARS/);
    expect(() => ltciPolicyFromEnv({ LTCI_NOTICE_DAYS: '0' })).toThrow(/LTCI_NOTICE_DAYS/);
  });

  it('refuses rules out of range when the service is built', () => {
    expect(insuranceRules({ minGrade: 2 }).minGrade).toBe(2);
    expect(() => insuranceRules({ reapplyMonths: 1.5 })).toThrow(/reapplyMonths/);
  });
});

describe('who may apply', () => {
  const at = new Date('2026-05-01T08:00:00Z');
  it('lets an elder with no history, or only ended benefits, apply', () => {
    expect(mayApply([], at)).toEqual({ ok: true });
    expect(mayApply([{ id: 'a', status: 'ended', reapplyFrom: null }], at)).toEqual({ ok: true });
  });

  it('refuses while an application is worked or benefits are authorised', () => {
    for (const status of ['applied', 'accepted', 'notice', 'objected'] as const) {
      expect(mayApply([{ id: 'a', status, reapplyFrom: null }], at)).toEqual({ ok: false, because: 'in-progress', applicationId: 'a' });
    }
    for (const status of ['effective', 'in-benefit', 'reassessment-due'] as const) {
      expect(mayApply([{ id: 'b', status, reapplyFrom: null }], at)).toEqual({ ok: false, because: 'authorised', applicationId: 'b' });
    }
  });

  it('refuses until the bar of the latest refusal lifts, counted in days in China', () => {
    const past = [
      { id: 'old', status: 'refused' as const, reapplyFrom: '2026-03-01' },
      { id: 'new', status: 'not-eligible' as const, reapplyFrom: '2026-05-02' },
    ];
    expect(mayApply(past, at)).toEqual({ ok: false, because: 'barred', applicationId: 'new', reapplyFrom: '2026-05-02' });
    // 2026-05-01T16:00Z is 2 May in China: the bar has lifted.
    expect(mayApply(past, new Date('2026-05-01T16:00:00Z'))).toEqual({ ok: true });
  });
});

describe('calendar', () => {
  it('adds months to a day, keeping to the end of a shorter month', () => {
    expect(addMonthsToDay('2026-05-31', 6)).toBe('2026-11-30');
    expect(addMonthsToDay('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonthsToDay('2026-01-15', 0)).toBe('2026-01-15');
  });

  it('finds the first day of the next month across a year', () => {
    expect(firstOfNextMonth('2026-05-14')).toBe('2026-06-01');
    expect(firstOfNextMonth('2026-12-31')).toBe('2027-01-01');
  });
});
