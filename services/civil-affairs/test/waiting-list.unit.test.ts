import { describe, expect, it } from 'vitest';
import {
  afterRefusal,
  ageOn,
  changeOf,
  assessmentDueAt,
  banOf,
  classify,
  orderQueue,
  positionOf,
  WAITING_LIST_RULES_2026,
  type ApplicantFacts,
  type HardshipPeriod,
  type PastEntry,
  type QueueEntry,
  type WaitingListRules,
} from '../src/domain/waiting-list.js';

const asOf = new Date('2026-05-01T02:00:00Z'); // 10:00 in China
const young = '1956-06-01'; // 69 on asOf
const facts = (over: Partial<ApplicantFacts> = {}): ApplicantFacts => ({ birthDate: young, abilityLevel: 1, dementia: false, hardships: [], ...over });
const status = (s: HardshipPeriod['status'], validFrom = '2026-01-01', validUntil: string | null = null): HardshipPeriod => ({ status: s, validFrom, validUntil });

describe('classify', () => {
  const cases: [string, Partial<ApplicantFacts>, number, string][] = [
    ['extreme poverty, able', { hardships: [status('extreme-poverty')] }, 1, 'extreme poverty'],
    ['extreme poverty beats every other ground', { hardships: [status('low-income'), status('extreme-poverty')], abilityLevel: 4 }, 1, 'extreme poverty'],
    ['low-income and disabled (level 3)', { hardships: [status('low-income')], abilityLevel: 3 }, 2, 'low-income and severely disabled'],
    ['low-income and level 4', { hardships: [status('low-income')], abilityLevel: 4 }, 2, 'low-income and severely disabled'],
    ['low-income and demented', { hardships: [status('low-income')], dementia: true }, 2, 'low-income and demented'],
    ['low-income edge and disabled', { hardships: [status('low-income-edge')], abilityLevel: 3 }, 2, 'on the low-income edge and severely disabled'],
    ['low-income, able, young: no ground', { hardships: [status('low-income')], abilityLevel: 2 }, 4, 'no priority ground'],
    ['low-income, able, 80: class 3 by age', { hardships: [status('low-income')], birthDate: '1946-04-30' }, 3, 'aged 80 (80 or older)'],
    ['family-planning special family', { hardships: [status('family-planning-special')] }, 2, 'family-planning special family'],
    ['key entitled group', { hardships: [status('key-entitled')] }, 2, 'key entitled group'],
    ['severe disability (status)', { hardships: [status('severe-disability')] }, 2, 'severe disability'],
    ['disabled, no status', { abilityLevel: 3 }, 3, 'severely disabled'],
    ['demented, no status', { dementia: true }, 3, 'demented'],
    ['80 today', { birthDate: '1946-05-01' }, 3, 'aged 80 (80 or older)'],
    ['80 tomorrow', { birthDate: '1946-05-02' }, 4, 'no priority ground'],
    ['level 2, 79', { abilityLevel: 2, birthDate: '1947-01-01' }, 4, 'no priority ground'],
    ['never assessed', { abilityLevel: null }, 4, 'no priority ground'],
    ['expired status does not count', { hardships: [status('extreme-poverty', '2025-01-01', '2026-04-30')] }, 4, 'no priority ground'],
    ['status from tomorrow does not count', { hardships: [status('key-entitled', '2026-05-02')] }, 4, 'no priority ground'],
    ['status ending today counts', { hardships: [status('key-entitled', '2025-01-01', '2026-05-01')] }, 2, 'key entitled group'],
  ];
  it.each(cases)('%s', (_name, over, cls, reason) => {
    const c = classify(facts(over), asOf);
    expect(c).toEqual({ class: cls, noQueue: cls === 1, reason });
  });

  it('uses the local (China) date for validity', () => {
    // 2026-04-30T17:00Z is already 1 May in China.
    expect(classify(facts({ hardships: [status('key-entitled', '2026-05-01')] }), new Date('2026-04-30T17:00:00Z')).class).toBe(2);
    expect(classify(facts({ hardships: [status('key-entitled', '2026-05-01')] }), new Date('2026-04-30T15:00:00Z')).class).toBe(4);
  });

  it('follows other rules given as data', () => {
    const rules: WaitingListRules = { ...WAITING_LIST_RULES_2026, version: 'test', disabledFromLevel: 2, classes: WAITING_LIST_RULES_2026.classes.map((c) => (c.class === 3 ? { class: 3, grounds: [{ kind: 'disabled-or-demented' }, { kind: 'age', atLeast: 75 }] } : c)) };
    expect(classify(facts({ abilityLevel: 2 }), asOf, rules).class).toBe(3);
    expect(classify(facts({ birthDate: '1950-01-01' }), asOf, rules).reason).toBe('aged 76 (75 or older)');
  });
});

it('computes age in whole years', () => {
  expect([ageOn('1946-05-01', '2026-05-01'), ageOn('1946-05-02', '2026-05-01'), ageOn('1946-02-28', '2026-03-01')]).toEqual([80, 79, 80]);
});

const at = (local: string) => new Date(`${local}:00+08:00`);
const entry = (id: string, applied: string, over: Partial<ApplicantFacts> = {}): QueueEntry => ({ entryId: `e-${id}`, elderId: id, appliedAt: at(applied), facts: facts(over) });

describe('order and position', () => {
  const queue = [
    entry('d', '2026-01-05T09:00', {}), // class 4, early
    entry('c3', '2026-02-01T09:00', { abilityLevel: 3 }), // class 3
    entry('b2', '2026-03-01T08:00', { hardships: [status('low-income')], abilityLevel: 3 }), // class 2
    entry('a2', '2026-02-10T08:00', { hardships: [status('key-entitled')] }), // class 2, earlier
    entry('z2', '2026-01-20T08:00', { hardships: [status('family-planning-special')] }), // class 2, earliest
    entry('p1', '2026-04-20T08:00', { hardships: [status('extreme-poverty')] }), // class 1, latest of all
  ];

  it('orders by class, then application time', () => {
    expect(orderQueue(queue, asOf).map((e) => [e.elderId, e.class, e.position])).toEqual([
      ['p1', 1, 1],
      ['z2', 2, 2],
      ['a2', 2, 3],
      ['b2', 2, 4],
      ['c3', 3, 5],
      ['d', 4, 6],
    ]);
  });

  const ties: [string, QueueEntry[], string[]][] = [
    ['same class, same minute: entry id decides', [entry('x', '2026-03-01T08:00', { dementia: true }), { ...entry('y', '2026-03-01T08:00', { abilityLevel: 4 }), entryId: 'e-a' }], ['y', 'x']],
    ['same time, better class first', [entry('x', '2026-03-01T08:00', { dementia: true }), entry('y', '2026-03-01T08:00', { hardships: [status('key-entitled')] })], ['y', 'x']],
    ['one millisecond earlier wins', [entry('x', '2026-03-01T08:00'), { ...entry('y', '2026-03-01T08:00'), appliedAt: new Date(at('2026-03-01T08:00').getTime() - 1) }], ['y', 'x']],
    ['an expired status drops the entry back', [entry('x', '2026-03-01T08:00'), entry('y', '2026-01-01T08:00', { hardships: [status('key-entitled', '2025-01-01', '2026-04-01')] }), entry('w', '2026-04-01T08:00', { birthDate: '1940-01-01' })], ['w', 'y', 'x']],
  ];
  it.each(ties)('%s', (_name, entries, order) => {
    expect(orderQueue(entries, asOf).map((e) => e.elderId)).toEqual(order);
  });

  it('explains a position: class, reason, application time, who is ahead', () => {
    const p = positionOf(queue, 'b2', asOf);
    expect(p).toMatchObject({ position: 4, class: 2, ahead: [{ class: 1, count: 1 }, { class: 2, count: 2 }] });
    expect(p?.explanation).toBe('class 2 (low-income and severely disabled), applied 2026-03-01 08:00; 3 ahead of you: 1 in class 1, 2 in class 2 who applied earlier');
  });

  const explanations: [string, string, string][] = [
    ['p1', 'the no-queue class', 'class 1 (extreme poverty, admitted without queueing), applied 2026-04-20 08:00; no one ahead of you'],
    ['z2', 'only class 1 ahead', 'class 2 (family-planning special family), applied 2026-01-20 08:00; 1 ahead of you: 1 in class 1'],
    ['c3', 'class 3', 'class 3 (severely disabled), applied 2026-02-01 09:00; 4 ahead of you: 1 in class 1, 3 in class 2'],
    ['d', 'last', 'class 4 (no priority ground), applied 2026-01-05 09:00; 5 ahead of you: 1 in class 1, 3 in class 2, 1 in class 3'],
  ];
  it.each(explanations)('explains %s (%s)', (elderId, _name, text) => {
    expect(positionOf(queue, elderId, asOf)?.explanation).toBe(text);
  });

  it('names ties at the same time', () => {
    const entries = [entry('x', '2026-03-01T08:00', { dementia: true }), { ...entry('y', '2026-03-01T08:00', { abilityLevel: 4 }), entryId: 'e-a' }, entry('v', '2026-02-01T08:00', { abilityLevel: 3 })];
    expect(positionOf(entries, 'x', asOf)?.explanation).toBe('class 3 (demented), applied 2026-03-01 08:00; 2 ahead of you: 1 in class 3 who applied earlier, 1 in class 3 who applied at the same time with an earlier entry number');
  });

  it('returns nothing for an elder not in the queue', () => {
    expect(positionOf(queue, 'nobody', asOf)).toBeUndefined();
  });

  it('carries the rules version', () => {
    expect(positionOf(queue, 'd', asOf)?.rulesVersion).toBe(WAITING_LIST_RULES_2026.version);
  });
});

describe('bans', () => {
  const ended = (s: PastEntry['status'], local: string): PastEntry => ({ status: s, endedAt: at(local) });
  const cases: [string, PastEntry[], string, string | null][] = [
    ['no history', [], '2026-05-01T10:00', null],
    ['refused every offer 6 months ago', [ended('refused', '2025-11-01T10:00')], '2026-05-01T10:00', 'barred from re-applying until 2026-11-01: refused every offer on 2025-11-01'],
    ['refused every offer a year and a day ago', [ended('refused', '2025-04-30T10:00')], '2026-05-01T10:00', null],
    ['one withdrawal', [ended('withdrawn', '2026-03-01T10:00')], '2026-05-01T10:00', null],
    ['two withdrawals within a year', [ended('withdrawn', '2025-08-01T10:00'), ended('withdrawn', '2026-03-01T10:00')], '2026-05-01T10:00', 'barred from re-applying until 2027-03-01: withdrew 2 times within 365 days (last on 2026-03-01)'],
    ['two withdrawals more than a year apart', [ended('withdrawn', '2024-01-01T10:00'), ended('withdrawn', '2026-03-01T10:00')], '2026-05-01T10:00', null],
    ['two withdrawals, ban over', [ended('withdrawn', '2024-01-01T10:00'), ended('withdrawn', '2024-06-01T10:00')], '2026-05-01T10:00', null],
    ['admitted and queueing entries never ban', [ended('admitted', '2026-03-01T10:00'), { status: 'waiting', endedAt: null }, { status: 'withdrawn', endedAt: null }], '2026-05-01T10:00', null],
    [
      'the longest ban is named',
      [ended('refused', '2025-12-01T10:00'), ended('withdrawn', '2026-01-01T10:00'), ended('withdrawn', '2026-02-01T10:00')],
      '2026-05-01T10:00',
      'barred from re-applying until 2027-02-01: withdrew 2 times within 365 days (last on 2026-02-01)',
    ],
  ];
  it.each(cases)('%s', (_name, history, when, reason) => {
    const ban = banOf(history, at(when));
    expect(ban.banned ? ban.reason : null).toBe(reason);
  });

  it('uses the configured ban length and withdrawal count', () => {
    const rules: WaitingListRules = { ...WAITING_LIST_RULES_2026, bans: { days: 30, withdrawals: { count: 3, withinDays: 365 }, afterRefusingEveryOffer: true } };
    const two = [ended('withdrawn', '2026-03-01T10:00'), ended('withdrawn', '2026-04-01T10:00')];
    expect(banOf(two, at('2026-04-02T10:00'), rules).banned).toBe(false);
    expect(banOf([...two, ended('withdrawn', '2026-04-20T10:00')], at('2026-05-01T10:00'), rules)).toMatchObject({ banned: true, until: at('2026-05-20T10:00') });
    expect(banOf([ended('refused', '2026-03-01T10:00')], at('2026-05-01T10:00'), rules).banned).toBe(false);
  });
});

describe('offers and deadlines', () => {
  it('ends the entry as refused when every offer is refused', () => {
    expect(afterRefusal(0)).toEqual({ status: 'waiting', offersRefused: 1 });
    expect(afterRefusal(1)).toEqual({ status: 'refused', offersRefused: 2 });
    expect(afterRefusal(0, { ...WAITING_LIST_RULES_2026, refusalsEndEntry: 1 })).toEqual({ status: 'refused', offersRefused: 1 });
  });

  it('given an entry, each move changes what it should: an offer names the home unless another is named, a refusal clears the offer', () => {
    const entry = { homeInstitutionId: 'home-1', offersRefused: 0 };
    expect(changeOf('offer', entry, undefined, asOf)).toEqual({ updatedAt: asOf, status: 'offered', offeredAt: asOf, offeredInstitutionId: 'home-1' });
    expect(changeOf('offer', entry, 'home-2', asOf)).toMatchObject({ offeredInstitutionId: 'home-2' });
    expect(changeOf('refuse', entry, undefined, asOf)).toEqual({ updatedAt: asOf, status: 'waiting', offersRefused: 1, offeredAt: null, offeredInstitutionId: null });
    expect(changeOf('refuse', { ...entry, offersRefused: 1 }, undefined, asOf)).toEqual({ updatedAt: asOf, status: 'refused', offersRefused: 2, offeredAt: null, offeredInstitutionId: null, endedAt: asOf });
    expect(changeOf('accept', entry, undefined, asOf)).toEqual({ updatedAt: asOf, status: 'admitted', endedAt: asOf });
    expect(changeOf('withdraw', entry, undefined, asOf)).toEqual({ updatedAt: asOf, status: 'withdrawn', endedAt: asOf });
  });

  const due: [string, string, string][] = [
    ['Monday → Thursday', '2026-04-27T02:00:00Z', '2026-04-30T02:00:00Z'],
    ['Thursday → Tuesday', '2026-04-30T02:00:00Z', '2026-05-05T02:00:00Z'],
    ['Saturday → Wednesday', '2026-05-02T02:00:00Z', '2026-05-06T02:00:00Z'],
  ];
  it.each(due)('assessment due in 3 working days: %s', (_name, applied, expected) => {
    expect(assessmentDueAt(new Date(applied)).toISOString()).toBe(new Date(expected).toISOString());
  });
});
