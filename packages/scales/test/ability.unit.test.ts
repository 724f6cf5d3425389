import { describe, expect, it } from 'vitest';
import {
  abilityItems,
  GB_T_42195_2022,
  scoreAbility,
  type AbilityAdjustments,
  type AbilityResult,
  type AbilityRules,
} from '../src/index.js';
import { answersTotalling, reachableTotals } from './scale-answers.js';

const ITEMS = abilityItems(GB_T_42195_2022);
const totalling = (total: number): Record<string, number> => answersTotalling(ITEMS, total);

function scored(total: number, adjustments: AbilityAdjustments = {}, rules?: AbilityRules): AbilityResult {
  const outcome = scoreAbility(totalling(total), adjustments, rules);
  if (!outcome.ok) throw new Error(`unexpected errors: ${JSON.stringify(outcome.errors)}`);
  return outcome.result;
}

const errorsFor = (answers: Record<string, unknown>, adjustments: unknown = {}): unknown =>
  scoreAbility(answers as Record<string, number>, adjustments as AbilityAdjustments);

describe('GB_T_42195_2022 rules data', () => {
  it.each([
    ['eating', 4], ['grooming', 4], ['bathing', 4], ['dressingUpper', 4], ['dressingLower', 4],
    ['urineControl', 4], ['bowelControl', 4], ['toileting', 4],
    ['bedPositioning', 4], ['bedChairTransfer', 4], ['walkingFlat', 4], ['stairs', 3],
    ['orientationTime', 4], ['orientationPlace', 4], ['orientationPerson', 4], ['memory', 4],
    ['understanding', 4], ['expression', 4], ['aggression', 1], ['depressiveSymptoms', 1], ['consciousness', 2],
    ['vision', 2], ['hearing', 2], ['dailyAffairs', 4], ['goingOut', 3], ['socialInteraction', 4],
  ] as const)('given item %s, then it is scored from 0 to %i', (code, max) => {
    const item = ITEMS.find((candidate) => candidate.code === code);
    expect(item?.allowed).toEqual(Array.from({ length: max + 1 }, (_, score) => score));
  });

  it('given the shared default, when a caller tries to change it, then it is frozen', () => {
    expect(Object.isFrozen(GB_T_42195_2022.levels[0])).toBe(true);
    expect(Object.isFrozen(GB_T_42195_2022.dimensions.selfCare.items[0]?.allowed)).toBe(true);
  });
});

describe('GB_T_42195_2022 wording of each score (tables B.1–B.4)', () => {
  const wordingOf = (code: string, score: number) => ITEMS.find((i) => i.code === code)?.wording.find((w) => w.score === score)?.zh;

  it('given the reverse-scored items, then 1 means the behaviour did not occur and 0 that it did', () => {
    expect(wordingOf('aggression', 1)).toBe('未出现');
    expect(wordingOf('aggression', 0)).toBe('近一个月内出现过攻击行为');
    expect(wordingOf('depressiveSymptoms', 1)).toBe('未出现');
    expect(wordingOf('depressiveSymptoms', 0)).toBe('近一个月内出现过负性情绪');
  });

  it('given consciousness, then 2 is fully conscious and 0 stupor or coma', () => {
    expect(wordingOf('consciousness', 2)).toMatch(/^神志清醒/);
    expect(wordingOf('consciousness', 1)).toMatch(/^嗜睡/);
    expect(wordingOf('consciousness', 0)).toMatch(/^昏睡.*昏迷/);
  });

  it('given the self-care and mobility items, then the highest score is the most able and 0 the least', () => {
    expect(wordingOf('eating', 4)).toBe('独立使用器具将食物送进口中并咽下，没有呛咳');
    expect(wordingOf('grooming', 4)).toBe('独立完成，不需要协助');
    expect(wordingOf('grooming', 0)).toBe('完全依赖他人协助，且不能给予配合');
    expect(wordingOf('stairs', 3)).toMatch(/^可独立上下楼梯/);
    expect(wordingOf('walkingFlat', 0)).toBe('完全不能步行');
    expect(wordingOf('vision', 2)).toBe('视力正常');
  });

  it('given the items, then each carries its number in the standard, in order, and what it assesses where the standard says', () => {
    expect(ITEMS.map((i) => i.ref)).toEqual([
      ...['B.1.1', 'B.1.2', 'B.1.3', 'B.1.4', 'B.1.5', 'B.1.6', 'B.1.7', 'B.1.8'],
      ...['B.2.1', 'B.2.2', 'B.2.3', 'B.2.4'],
      ...['B.3.1', 'B.3.2', 'B.3.3', 'B.3.4', 'B.3.5', 'B.3.6', 'B.3.7', 'B.3.8', 'B.3.9'],
      ...['B.4.1', 'B.4.2', 'B.4.3', 'B.4.4', 'B.4.5'],
    ]);
    expect(ITEMS.find((i) => i.code === 'eating')?.description).toBe('使用适当的器具将食物送入口中并咽下');
    expect(ITEMS.filter((i) => i.description === undefined).map((i) => i.code)).toEqual(['goingOut', 'socialInteraction']);
  });
});

// Every shipped version: add a new one to this list.
describe.each([{ rules: GB_T_42195_2022 }])('rules $rules.version: invariants', ({ rules }) => {
  const items = abilityItems(rules);

  it('given the rules, then they hold 26 items with unique codes', () => {
    expect(items).toHaveLength(26);
    expect(new Set(items.map((item) => item.code)).size).toBe(26);
  });

  it('given each item, then it has wording for every allowed score and for no other, highest score first, none blank or repeated', () => {
    for (const item of items) {
      const scores = item.wording.map((w) => w.score);
      expect([...scores].sort((a, b) => a - b), item.code).toEqual([...item.allowed]);
      expect(scores, item.code).toEqual([...item.allowed].reverse());
      for (const w of item.wording) expect(w.zh.trim(), `${item.code} ${w.score}`).not.toBe('');
      expect(new Set(item.wording.map((w) => w.zh)).size, item.code).toBe(item.wording.length);
    }
  });

  it('given every total from 0 to 90, then exactly one level band holds it', () => {
    const totals = reachableTotals(items);
    expect(totals).toEqual(Array.from({ length: 91 }, (_, total) => total));
    for (const total of totals) {
      const holding = rules.levels.filter((band) => total >= band.min && total <= band.max);
      expect(holding, `total ${total}`).toHaveLength(1);
    }
  });
});

describe('scoreAbility: dimensions and total', () => {
  it('given full marks, when scored, then the dimensions are 32, 15, 28 and 15 and the total 90', () => {
    expect(scored(90)).toMatchObject({
      total: 90,
      dimensions: { selfCare: 32, basicMobility: 15, mentalState: 28, perceptionSocial: 15 },
      rulesVersion: 'GB/T 42195-2022',
    });
  });

  it('given a score in one item of each dimension, when scored, then each lands in its own dimension', () => {
    const answers = { ...answersTotalling(ITEMS, 0), toileting: 3, stairs: 2, consciousness: 1, goingOut: 3 };
    const outcome = scoreAbility(answers, {});
    expect(outcome).toMatchObject({
      ok: true,
      result: { total: 9, dimensions: { selfCare: 3, basicMobility: 2, mentalState: 1, perceptionSocial: 3 } },
    });
  });
});

describe('scoreAbility: level boundaries', () => {
  it.each([
    [90, 0, '能力完好'],
    [89, 1, '轻度受损'],
    [66, 1, '轻度受损'],
    [65, 2, '中度受损'],
    [46, 2, '中度受损'],
    [45, 3, '重度受损'],
    [30, 3, '重度受损'],
    [29, 4, '完全丧失'],
    [0, 4, '完全丧失'],
  ] as const)('given a total of %i and no adjustment, when scored, then the level is %i %s', (total, level, zh) => {
    const result = scored(total);
    expect(result).toMatchObject({ total, baseLevel: level, level, adjustmentsApplied: [] });
    expect(result.levelName.zh).toBe(zh);
  });
});

describe('scoreAbility: adjustments', () => {
  it.each<[string, number, number, number, AbilityAdjustments, string[]]>([
    ['coma', 90, 0, 4, { coma: true }, ['coma']],
    ['coma besides a dementia diagnosis', 70, 1, 4, { coma: true, dementiaDiagnosis: true }, ['coma']],
    ['a dementia diagnosis (F00–F03)', 70, 1, 2, { dementiaDiagnosis: true }, ['dementiaDiagnosis']],
    ['another psychiatric diagnosis (F04–F99)', 50, 2, 3, { otherPsychiatricDiagnosis: true }, ['otherPsychiatricDiagnosis']],
    ['1 care-risk event', 70, 1, 1, { careRiskEventsLast30Days: 1 }, []],
    ['2 care-risk events', 70, 1, 2, { careRiskEventsLast30Days: 2 }, ['careRiskEvents']],
    ['5 care-risk events', 35, 3, 4, { careRiskEventsLast30Days: 5 }, ['careRiskEvents']],
    ['a dementia diagnosis', 30, 3, 4, { dementiaDiagnosis: true }, ['dementiaDiagnosis']],
    ['a dementia diagnosis (raise capped at 4)', 20, 4, 4, { dementiaDiagnosis: true }, ['dementiaDiagnosis']],
    ['2 care-risk events (raise capped at 4)', 0, 4, 4, { careRiskEventsLast30Days: 2 }, ['careRiskEvents']],
    ['all three raising conditions (one raise)', 70, 1, 2,
      { dementiaDiagnosis: true, otherPsychiatricDiagnosis: true, careRiskEventsLast30Days: 3 },
      ['dementiaDiagnosis', 'otherPsychiatricDiagnosis', 'careRiskEvents']],
    ['both diagnoses (one raise)', 90, 0, 1, { dementiaDiagnosis: true, otherPsychiatricDiagnosis: true },
      ['dementiaDiagnosis', 'otherPsychiatricDiagnosis']],
    ['every flag false and no events', 70, 1, 1,
      { coma: false, dementiaDiagnosis: false, otherPsychiatricDiagnosis: false, careRiskEventsLast30Days: 0 }, []],
  ])('given %s and a total of %i, when scored, then base level %i becomes %i', (_, total, baseLevel, level, adjustments, applied) => {
    expect(scored(total, adjustments)).toMatchObject({ baseLevel, level, adjustmentsApplied: applied });
  });

  it('given coma, when scored, then the level name is complete loss', () => {
    expect(scored(90, { coma: true }).levelName).toEqual({ zh: '完全丧失', en: 'complete loss' });
  });

  it("given the grading clause's words, then coma goes to the level they name, not to B.3.9's older 重度失能", () => {
    const { comaLevel, wording } = GB_T_42195_2022.adjustments;
    const named = GB_T_42195_2022.levels.find((l) => l.value === comaLevel)!;
    expect(wording.coma).toContain(`能力${named.zh}`);
    // 重度失能 (MZ/T 039-2013's top level) is the 2022 standard's level 3, one below where coma goes.
    expect(GB_T_42195_2022.levels.find((l) => l.zh === '重度受损')!.value).toBe(comaLevel - 1);
    expect(wording.diagnoses).toMatch(/F00～F03.*F04～F99.*提高一个等级/);
    expect(wording.careRiskEvents).toContain(`${GB_T_42195_2022.adjustments.careRiskEventsThreshold}次及以上`);
  });

  it('given rules that raise once per condition, when three conditions apply, then the level rises by three', () => {
    const oncePerCondition: AbilityRules = {
      ...GB_T_42195_2022,
      version: 'test-once-per-condition',
      adjustments: { ...GB_T_42195_2022.adjustments, maxRaise: 3 },
    };
    const all: AbilityAdjustments = { dementiaDiagnosis: true, otherPsychiatricDiagnosis: true, careRiskEventsLast30Days: 2 };
    expect(scored(90, all, oncePerCondition)).toMatchObject({ baseLevel: 0, level: 3, rulesVersion: 'test-once-per-condition' });
    expect(scored(70, all, oncePerCondition)).toMatchObject({ baseLevel: 1, level: 4 });
    expect(scored(50, all, oncePerCondition)).toMatchObject({ baseLevel: 2, level: 4 });
  });
});

describe('scoreAbility: refused input', () => {
  const full = totalling(90);
  const { eating: _eating, ...withoutEating } = full;

  it.each<[string, Record<string, unknown>, { pointer: string; reason: string }]>([
    ['an unknown item', { ...full, walking: 3 }, { pointer: '/answers/walking', reason: 'unknown item: not in GB/T 42195-2022' }],
    ['a missing item', withoutEating, { pointer: '/answers/eating', reason: 'missing: 进食 must be answered, from 0 to 4' }],
    ['a non-integer', { ...full, eating: 2.5 }, { pointer: '/answers/eating', reason: 'must be an integer, not 2.5' }],
    ['a score above the item maximum', { ...full, stairs: 4 }, { pointer: '/answers/stairs', reason: 'must be from 0 to 3, not 4' }],
    ['aggression 2', { ...full, aggression: 2 }, { pointer: '/answers/aggression', reason: 'must be from 0 to 1, not 2' }],
    ['a negative score', { ...full, vision: -1 }, { pointer: '/answers/vision', reason: 'must be from 0 to 2, not -1' }],
    ['a string', { ...full, memory: '3' }, { pointer: '/answers/memory', reason: 'must be a number, not string' }],
    ['null', { ...full, memory: null }, { pointer: '/answers/memory', reason: 'must be a number, not null' }],
    ['NaN', { ...full, memory: Number.NaN }, { pointer: '/answers/memory', reason: 'must be an integer, not NaN' }],
    ['an item code with / and ~', { ...full, 'a/b~c': 1 }, { pointer: '/answers/a~1b~0c', reason: 'unknown item: not in GB/T 42195-2022' }],
  ])('given %s, when scored, then it is refused with a field error', (_, answers, error) => {
    expect(errorsFor(answers)).toEqual({ ok: false, errors: [error] });
  });

  it('given several faults, when scored, then each is named: rule items in order, then unknown keys', () => {
    expect(errorsFor({ ...withoutEating, stairs: 9, extra: 1 })).toEqual({
      ok: false,
      errors: [
        { pointer: '/answers/eating', reason: 'missing: 进食 must be answered, from 0 to 4' },
        { pointer: '/answers/stairs', reason: 'must be from 0 to 3, not 9' },
        { pointer: '/answers/extra', reason: 'unknown item: not in GB/T 42195-2022' },
      ],
    });
  });

  it('given no answers, when scored, then all 26 items are reported missing', () => {
    const outcome = scoreAbility({}, {});
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors.map((e) => e.pointer)).toEqual(ITEMS.map((item) => `/answers/${item.code}`));
  });

  it('given answers that are not an object, when scored, then /answers is refused', () => {
    expect(errorsFor(null as unknown as Record<string, unknown>)).toEqual({
      ok: false,
      errors: [{ pointer: '/answers', reason: 'must be an object of item scores' }],
    });
  });

  it.each<[string, unknown, { pointer: string; reason: string }]>([
    ['negative risk events', { careRiskEventsLast30Days: -1 }, { pointer: '/adjustments/careRiskEventsLast30Days', reason: 'must be a whole number of events, 0 or more, not -1' }],
    ['fractional risk events', { careRiskEventsLast30Days: 1.5 }, { pointer: '/adjustments/careRiskEventsLast30Days', reason: 'must be a whole number of events, 0 or more, not 1.5' }],
    ['a flag that is no boolean', { coma: 'yes' }, { pointer: '/adjustments/coma', reason: 'must be true or false, not yes' }],
    ['an unknown adjustment', { dementia: true }, { pointer: '/adjustments/dementia', reason: 'unknown adjustment: expected coma, dementiaDiagnosis, otherPsychiatricDiagnosis, careRiskEventsLast30Days' }],
    ['adjustments that are not an object', null, { pointer: '/adjustments', reason: 'must be an object (may be empty)' }],
  ])('given %s, when scored, then the adjustment is refused', (_, adjustments, error) => {
    expect(errorsFor(full, adjustments)).toEqual({ ok: false, errors: [error] });
  });
});
