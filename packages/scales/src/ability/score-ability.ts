import { checkAnswers, sumAnswers, type Answers } from '../answers.js';
import { bandFor } from '../bands.js';
import { jsonPointer, type FieldError, type Label, type Outcome } from '../field-error.js';
import { ABILITY_DIMENSIONS, abilityItems, type AbilityDimension, type AbilityLevel, type AbilityRules } from './ability-rules.js';
import { GB_T_42195_2022 } from './gb-t-42195-2022.js';

/** Facts beside the 26 answers that move the level (GB/T 42195-2022, DOMAIN.md §2). */
export interface AbilityAdjustments {
  /** In a coma (昏迷): the level is complete loss whatever the answers. */
  readonly coma?: boolean;
  /** Diagnosed dementia (痴呆), ICD-10 F00–F03. */
  readonly dementiaDiagnosis?: boolean;
  /** Another psychiatric diagnosis (其他精神和行为障碍), ICD-10 F04–F99. */
  readonly otherPsychiatricDiagnosis?: boolean;
  /** Care-risk events (照护风险事件: fall, choking, suicide or self-harm, wandering) in the last 30 days. */
  readonly careRiskEventsLast30Days?: number;
}

/** An adjustment that applied: coma, or a condition that raised (or would have raised) the level. */
export type AbilityAdjustmentCode = 'coma' | 'dementiaDiagnosis' | 'otherPsychiatricDiagnosis' | 'careRiskEvents';

/** A scored ability assessment. */
export interface AbilityResult {
  /** Sum of the 26 answers, 0–90. */
  readonly total: number;
  readonly dimensions: Readonly<Record<AbilityDimension, number>>;
  /** The level of the total alone. */
  readonly baseLevel: AbilityLevel;
  /** The level after adjustments: the assessment's result. */
  readonly level: AbilityLevel;
  readonly levelName: Label;
  /**
   * `['coma']` when in a coma (other conditions are then not considered); otherwise every raising
   * condition present, in a fixed order, also when the cap left the level unchanged.
   */
  readonly adjustmentsApplied: readonly AbilityAdjustmentCode[];
  readonly rulesVersion: string;
}

const ADJUSTMENT_KEYS: readonly string[] = ['coma', 'dementiaDiagnosis', 'otherPsychiatricDiagnosis', 'careRiskEventsLast30Days'];

/**
 * Scores a 老年人能力评估 (GB/T 42195-2022) from its raw answers.
 *
 * The total (sum of all items) is banded into a base level (90 → 0, 66–89 → 1, 46–65 → 2,
 * 30–45 → 3, 0–29 → 4 under the default rules). Then: coma sets the level to
 * `rules.adjustments.comaLevel` (4); otherwise a diagnosed dementia, another psychiatric
 * diagnosis, and ≥ `careRiskEventsThreshold` (2) care-risk events each count as a raising
 * condition, and the level rises by `levelsPerCondition` per condition, at most `maxRaise` in
 * all, never past the worst level. Under GB_T_42195_2022 `maxRaise` is 1: **several conditions
 * raise the level once**, not once each.
 *
 * Refuses, with every problem named by pointer: a missing item, an unknown item, a value that
 * is not an integer or outside the item's range, and malformed or unknown adjustments.
 */
export function scoreAbility(
  answers: Answers,
  adjustments: AbilityAdjustments,
  rules: AbilityRules = GB_T_42195_2022,
): Outcome<AbilityResult> {
  const errors = [...checkAnswers(answers, abilityItems(rules), rules.version), ...checkAdjustments(adjustments)];
  if (errors.length > 0) return { ok: false, errors };

  const dimensions = Object.fromEntries(
    ABILITY_DIMENSIONS.map((dimension) => [dimension, sumAnswers(rules.dimensions[dimension].items, answers)]),
  ) as Record<AbilityDimension, number>;
  const total = ABILITY_DIMENSIONS.reduce((sum, dimension) => sum + dimensions[dimension], 0);
  const baseLevel = bandFor(rules.levels, total, `${rules.version} levels`).value;
  const { level, applied } = adjust(baseLevel, adjustments, rules);
  const band = rules.levels.find((candidate) => candidate.value === level);
  if (band === undefined) throw new RangeError(`${rules.version} levels: no band names level ${level}`);
  return {
    ok: true,
    result: {
      total,
      dimensions,
      baseLevel,
      level,
      levelName: { zh: band.zh, en: band.en },
      adjustmentsApplied: applied,
      rulesVersion: rules.version,
    },
  };
}

function adjust(
  baseLevel: AbilityLevel,
  adjustments: AbilityAdjustments,
  rules: AbilityRules,
): { level: AbilityLevel; applied: AbilityAdjustmentCode[] } {
  const { comaLevel, careRiskEventsThreshold, levelsPerCondition, maxRaise } = rules.adjustments;
  if (adjustments.coma === true) return { level: comaLevel, applied: ['coma'] };
  const applied: AbilityAdjustmentCode[] = [];
  if (adjustments.dementiaDiagnosis === true) applied.push('dementiaDiagnosis');
  if (adjustments.otherPsychiatricDiagnosis === true) applied.push('otherPsychiatricDiagnosis');
  if ((adjustments.careRiskEventsLast30Days ?? 0) >= careRiskEventsThreshold) applied.push('careRiskEvents');
  const raise = Math.min(applied.length * levelsPerCondition, maxRaise);
  const worst = Math.max(...rules.levels.map((band) => band.value));
  return { level: Math.min(baseLevel + raise, worst) as AbilityLevel, applied };
}

function checkAdjustments(adjustments: unknown): FieldError[] {
  if (typeof adjustments !== 'object' || adjustments === null || Array.isArray(adjustments)) {
    return [{ pointer: '/adjustments', reason: 'must be an object (may be empty)' }];
  }
  const given = adjustments as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const flag of ['coma', 'dementiaDiagnosis', 'otherPsychiatricDiagnosis']) {
    const value = given[flag];
    if (value !== undefined && typeof value !== 'boolean') {
      errors.push({ pointer: jsonPointer('adjustments', flag), reason: `must be true or false, not ${String(value)}` });
    }
  }
  const events = given['careRiskEventsLast30Days'];
  if (events !== undefined && (typeof events !== 'number' || !Number.isInteger(events) || events < 0)) {
    errors.push({
      pointer: '/adjustments/careRiskEventsLast30Days',
      reason: `must be a whole number of events, 0 or more, not ${String(events)}`,
    });
  }
  for (const key of Object.keys(given)) {
    if (!ADJUSTMENT_KEYS.includes(key)) {
      errors.push({ pointer: jsonPointer('adjustments', key), reason: `unknown adjustment: expected ${ADJUSTMENT_KEYS.join(', ')}` });
    }
  }
  return errors;
}
