import { describe, expect, it } from 'vitest';
import { gradeLtci, ltciItems, NHSA_2021, nursingGrade, WS_T_431_2013, type NursingDependency } from '../src/index.js';
import { answersTotalling } from './scale-answers.js';

describe('nursingGrade: Barthel dependency boundaries', () => {
  it.each<[number, NursingDependency, string]>([
    [100, 'none', '无需依赖'],
    [99, 'light', '轻度依赖'],
    [61, 'light', '轻度依赖'],
    [60, 'moderate', '中度依赖'],
    [41, 'moderate', '中度依赖'],
    [40, 'heavy', '重度依赖'],
    [0, 'heavy', '重度依赖'],
  ])('given a Barthel total of %i, when graded, then the dependency is %s (%s)', (total, dependency, zh) => {
    expect(nursingGrade(total)).toEqual({
      ok: true,
      result: { dependency, dependencyName: expect.objectContaining({ zh }) as unknown, rulesVersion: 'WS/T 431-2013' },
    });
  });

  it('given LTCI answers, when the daily-living score is passed on, then both scales read the same answers', () => {
    const answers = answersTotalling(ltciItems(NHSA_2021), 55); // all 55 points land in daily living
    const ltci = gradeLtci(answers);
    expect(ltci.ok && ltci.result.indicators.dailyLiving.score).toBe(55);
    expect(ltci.ok && nursingGrade(ltci.result.indicators.dailyLiving.score)).toMatchObject({ ok: true, result: { dependency: 'moderate' } });
  });

  it.each([101, -1, 50.5, Number.NaN])('given a total of %d, when graded, then it is refused', (total) => {
    expect(nursingGrade(total)).toEqual({
      ok: false,
      errors: [{ pointer: '/dailyLivingTotal', reason: `must be an integer from 0 to 100, not ${total}` }],
    });
  });
});

// Every shipped version: add a new one to this list.
describe.each([{ rules: WS_T_431_2013 }])('rules $rules.version: invariants', ({ rules }) => {
  it('given every total from 0 to 100, then exactly one band holds it', () => {
    for (let total = 0; total <= 100; total++) {
      expect(rules.grades.filter((band) => total >= band.min && total <= band.max), `total ${total}`).toHaveLength(1);
    }
  });
});
