import { checkAnswers, sumAnswers, type Answers } from '../answers.js';
import { bandFor } from '../bands.js';
import type { Label, Outcome } from '../field-error.js';
import {
  LTCI_BANDS,
  LTCI_INDICATORS,
  ltciItems,
  type LtciBand,
  type LtciGrade,
  type LtciIndicator,
  type LtciRules,
} from './ltci-rules.js';
import { NHSA_2021 } from './nhsa-2021.js';

/** The score of one indicator and its band. */
export interface LtciIndicatorScore {
  readonly score: number;
  readonly band: LtciBand;
  readonly bandName: Label;
}

/** A graded LTCI disability assessment. */
export interface LtciResult {
  readonly indicators: Readonly<Record<LtciIndicator, LtciIndicatorScore>>;
  /** The column of the combination table. */
  readonly worseOfCognitionAndPerception: LtciBand;
  /** 失能等级 0–5. */
  readonly grade: LtciGrade;
  readonly gradeName: Label;
  readonly rulesVersion: string;
}

/**
 * Grades an LTCI disability assessment (长期护理失能等级, NHSA 2021) from its 17 raw answers,
 * keyed by item code across the three indicators (`feeding` … `stairs`, `timeOrientation` …
 * `memory`, `vision`, `hearing`, `communication`).
 *
 * Each indicator's total is banded (intact / mild / moderate / severe); the grade is read from
 * `rules.gradeTable` at row = daily-living band, column = the worse of the cognition and
 * perception bands. Refuses, naming each by pointer, a missing or unknown item and a value
 * the item does not allow (e.g. `feeding: 7`, where 0, 5, 10 are allowed).
 */
export function gradeLtci(answers: Answers, rules: LtciRules = NHSA_2021): Outcome<LtciResult> {
  const errors = checkAnswers(answers, ltciItems(rules), rules.version);
  if (errors.length > 0) return { ok: false, errors };

  const indicators = Object.fromEntries(
    LTCI_INDICATORS.map((indicator) => {
      const { items, bands } = rules.indicators[indicator];
      const score = sumAnswers(items, answers);
      const band = bandFor(bands, score, `${rules.version} ${indicator} bands`);
      return [indicator, { score, band: band.value, bandName: { zh: band.zh, en: band.en } }];
    }),
  ) as Record<LtciIndicator, LtciIndicatorScore>;
  const worseOfCognitionAndPerception = worse(indicators.cognition.band, indicators.perception.band);
  const grade = rules.gradeTable[indicators.dailyLiving.band][worseOfCognitionAndPerception];
  return {
    ok: true,
    result: {
      indicators,
      worseOfCognitionAndPerception,
      grade,
      gradeName: rules.gradeNames[grade],
      rulesVersion: rules.version,
    },
  };
}

function worse(a: LtciBand, b: LtciBand): LtciBand {
  return LTCI_BANDS.indexOf(a) >= LTCI_BANDS.indexOf(b) ? a : b;
}
