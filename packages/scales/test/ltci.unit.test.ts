import { describe, expect, it } from 'vitest';
import {
  gradeLtci,
  LTCI_BANDS,
  LTCI_INDICATORS,
  ltciItems,
  NHSA_2021,
  type LtciBand,
  type LtciGrade,
  type LtciIndicator,
  type LtciResult,
} from '../src/index.js';
import { answersTotalling, reachableTotals } from './scale-answers.js';

const FULL_MARKS = { dailyLiving: 100, cognition: 16, perception: 12 } as const;
/** A score inside each band of each indicator, away from the boundaries. */
const IN_BAND: Record<LtciIndicator, Record<LtciBand, number>> = {
  dailyLiving: { intact: 100, mild: 80, moderate: 50, severe: 20 },
  cognition: { intact: 16, mild: 13, moderate: 9, severe: 3 },
  perception: { intact: 12, mild: 9, moderate: 5, severe: 1 },
};

/** Answers giving each indicator the given score; unnamed indicators get full marks. */
function answersScoring(scores: Partial<Record<LtciIndicator, number>>): Record<string, number> {
  return Object.assign(
    {},
    ...LTCI_INDICATORS.map((indicator) =>
      answersTotalling(NHSA_2021.indicators[indicator].items, scores[indicator] ?? FULL_MARKS[indicator]),
    ),
  ) as Record<string, number>;
}

function graded(scores: Partial<Record<LtciIndicator, number>>): LtciResult {
  const outcome = gradeLtci(answersScoring(scores));
  if (!outcome.ok) throw new Error(`unexpected errors: ${JSON.stringify(outcome.errors)}`);
  return outcome.result;
}

describe('NHSA_2021 rules data', () => {
  it.each([
    ['feeding', [0, 5, 10]], ['bathing', [0, 5]], ['grooming', [0, 5]], ['dressing', [0, 5, 10]],
    ['bowelControl', [0, 5, 10]], ['bladderControl', [0, 5, 10]], ['toiletUse', [0, 5, 10]],
    ['transfer', [0, 5, 10, 15]], ['mobility', [0, 5, 10, 15]], ['stairs', [0, 5, 10]],
  ])('given daily-living item %s, then it allows %j', (code, allowed) => {
    expect(NHSA_2021.indicators.dailyLiving.items.find((item) => item.code === code)?.allowed).toEqual(allowed);
  });

  it('names the daily-living items as the notice prints them', () => {
    expect(NHSA_2021.indicators.dailyLiving.items.map((item) => item.zh)).toEqual(['进食', '洗澡', '面部与口腔清洁', '穿衣', '大便控制', '小便控制', '用厕', '床椅转移', '平地行走', '上下楼梯']);
  });
});

// Every shipped version: add a new one to this list.
describe.each([{ rules: NHSA_2021 }])('rules $rules.version: invariants', ({ rules }) => {
  it('given the rules, then they hold 17 items with unique codes: 10 daily living, 4 cognition, 3 perception', () => {
    const codes = ltciItems(rules).map((item) => item.code);
    expect(new Set(codes).size).toBe(17);
    expect(LTCI_INDICATORS.map((indicator) => rules.indicators[indicator].items.length)).toEqual([10, 4, 3]);
  });

  it.each(LTCI_INDICATORS)('given indicator %s, then every reachable total lies in exactly one band', (indicator) => {
    const { items, bands } = rules.indicators[indicator];
    const totals = reachableTotals(items);
    expect(totals.at(-1)).toBe(FULL_MARKS[indicator]);
    for (const total of totals) {
      expect(bands.filter((band) => total >= band.min && total <= band.max), `${indicator} ${total}`).toHaveLength(1);
    }
  });
});

describe('gradeLtci: band boundaries of each indicator', () => {
  it.each<[LtciIndicator, number, LtciBand]>([
    ['dailyLiving', 100, 'intact'], ['dailyLiving', 95, 'mild'], ['dailyLiving', 65, 'mild'],
    ['dailyLiving', 60, 'moderate'], ['dailyLiving', 45, 'moderate'], ['dailyLiving', 40, 'severe'], ['dailyLiving', 0, 'severe'],
    ['cognition', 16, 'intact'], ['cognition', 15, 'mild'], ['cognition', 12, 'mild'],
    ['cognition', 11, 'moderate'], ['cognition', 8, 'moderate'], ['cognition', 7, 'severe'], ['cognition', 0, 'severe'],
    ['perception', 12, 'intact'], ['perception', 11, 'mild'], ['perception', 8, 'mild'],
    ['perception', 7, 'moderate'], ['perception', 4, 'moderate'], ['perception', 3, 'severe'], ['perception', 0, 'severe'],
  ])('given %s scoring %i, when graded, then its band is %s', (indicator, score, band) => {
    expect(graded({ [indicator]: score }).indicators[indicator]).toMatchObject({ score, band });
  });
});

describe('gradeLtci: the combination table', () => {
  // Rows: daily-living band; columns: the worse of cognition and perception, as in DOMAIN.md §3.
  const TABLE: Record<LtciBand, readonly LtciGrade[]> = {
    intact: [0, 0, 1, 1],
    mild: [1, 1, 1, 2],
    moderate: [2, 2, 2, 3],
    severe: [3, 3, 4, 5],
  };
  const cells = LTCI_BANDS.flatMap((row) =>
    LTCI_BANDS.flatMap((column, i) =>
      (['cognition', 'perception'] as const).map((worse) => [row, column, worse, TABLE[row][i] as LtciGrade] as const),
    ),
  );

  it.each(cells)('given daily living %s and %s %s (the other intact), when graded, then the grade is %i', (row, column, worse, grade) => {
    const result = graded({ dailyLiving: IN_BAND.dailyLiving[row], [worse]: IN_BAND[worse][column] });
    expect(result).toMatchObject({ worseOfCognitionAndPerception: column, grade, rulesVersion: 'NHSA-2021-37' });
    expect(result.indicators.dailyLiving.band).toBe(row);
  });

  it.each<[LtciBand, LtciBand, LtciBand]>([
    ['mild', 'severe', 'severe'],
    ['severe', 'mild', 'severe'],
    ['moderate', 'moderate', 'moderate'],
  ])('given cognition %s and perception %s, when graded, then the column is %s', (cognition, perception, worse) => {
    const result = graded({ dailyLiving: 20, cognition: IN_BAND.cognition[cognition], perception: IN_BAND.perception[perception] });
    expect(result.worseOfCognitionAndPerception).toBe(worse);
  });

  it.each<[LtciGrade, string, LtciBand, LtciBand]>([
    [0, '基本正常', 'intact', 'intact'],
    [1, '轻度失能', 'mild', 'intact'],
    [2, '中度失能', 'moderate', 'intact'],
    [3, '重度失能Ⅰ级', 'severe', 'intact'],
    [4, '重度失能Ⅱ级', 'severe', 'moderate'],
    [5, '重度失能Ⅲ级', 'severe', 'severe'],
  ])('given grade %i, when graded, then it is named %s', (grade, zh, row, column) => {
    const result = graded({ dailyLiving: IN_BAND.dailyLiving[row], cognition: IN_BAND.cognition[column] });
    expect(result).toMatchObject({ grade, gradeName: { zh } });
  });
});

describe('gradeLtci: refused input', () => {
  const full = answersScoring({});

  it.each<[string, Record<string, unknown>, { pointer: string; reason: string }]>([
    ['feeding 7', { ...full, feeding: 7 }, { pointer: '/answers/feeding', reason: 'must be one of 0, 5, 10, not 7' }],
    ['transfer 20', { ...full, transfer: 20 }, { pointer: '/answers/transfer', reason: 'must be one of 0, 5, 10, 15, not 20' }],
    ['bathing 10', { ...full, bathing: 10 }, { pointer: '/answers/bathing', reason: 'must be one of 0, 5, not 10' }],
    ['memory 5', { ...full, memory: 5 }, { pointer: '/answers/memory', reason: 'must be from 0 to 4, not 5' }],
    ['feeding 2.5', { ...full, feeding: 2.5 }, { pointer: '/answers/feeding', reason: 'must be an integer, not 2.5' }],
    ['an ability-scale item', { ...full, eating: 4 }, { pointer: '/answers/eating', reason: 'unknown item: not in NHSA-2021-37' }],
  ])('given %s, when graded, then it is refused with a field error', (_, answers, error) => {
    expect(gradeLtci(answers as Record<string, number>)).toEqual({ ok: false, errors: [error] });
  });

  it('given a missing item, when graded, then it is named with what it allows', () => {
    const { communication: _communication, ...answers } = full;
    expect(gradeLtci(answers)).toEqual({
      ok: false,
      errors: [{ pointer: '/answers/communication', reason: 'missing: 沟通能力 must be answered, from 0 to 4' }],
    });
  });
});
