import { parseIsoDate } from './dates.js';
import {
  HARDSHIP_STATUSES,
  HOME_SICK_BED_CONDITIONS,
  type HardshipStatus,
  type HomeSickBedCondition,
} from './facts.js';

/**
 * Every threshold of the eligibility rules (DOMAIN.md §4), as versioned, dated configuration.
 * Policies differ by city and change over time; a result records the `version` it used.
 */
export interface EligibilityRules {
  /** Names this set of thresholds; a result carries it for audit. */
  readonly version: string;
  /** ISO date from which these rules apply; evaluating before it is an error. */
  readonly effectiveFrom: string;
  /** 护理型 care bed: ability level at or above this qualifies (0–4). */
  readonly nursingTypeMinAbilityLevel: number;
  /** 护理型 care bed: LTCI grade at or above this qualifies (0–5). */
  readonly nursingTypeMinLtciGrade: number;
  /** 家庭养老床位: ability level at or above this is needed (0–4). */
  readonly homeCareMinAbilityLevel: number;
  /** Hardship statuses that give a home care bed priority (never eligibility). */
  readonly homeCarePriorityHardship: readonly HardshipStatus[];
  /** 家庭病床: conditions that qualify; at least one is needed. */
  readonly homeSickBedQualifyingConditions: readonly HomeSickBedCondition[];
  /** 安宁疗护: prognosis at or below this many months. */
  readonly hospiceMaxPrognosisMonths: number;
  /** 安宁疗护: KPS at or below this (0–100) … */
  readonly hospiceMaxKps: number;
  /** … or ECOG at or above this (0–5). */
  readonly hospiceMinEcog: number;
  /** An ability assessment older than this many whole months is stale (routine reassessment). */
  readonly abilityAssessmentValidMonths: number;
  /** LTCI funding (长护险) needs this grade or worse; only reported, never decides a bed. */
  readonly ltciFundingMinGrade: number;
}

/** Defaults from DOMAIN.md §2–§4; the ones marked *default* there have no authoritative text. */
export const DEFAULT_ELIGIBILITY_RULES: EligibilityRules = deepFreeze({
  version: 'shandong-default-2024',
  effectiveFrom: '2024-01-01',
  nursingTypeMinAbilityLevel: 2,
  nursingTypeMinLtciGrade: 2,
  homeCareMinAbilityLevel: 2,
  homeCarePriorityHardship: [...HARDSHIP_STATUSES],
  homeSickBedQualifyingConditions: [...HOME_SICK_BED_CONDITIONS],
  hospiceMaxPrognosisMonths: 6,
  hospiceMaxKps: 50,
  hospiceMinEcog: 3,
  abilityAssessmentValidMonths: 6,
  ltciFundingMinGrade: 3,
});

/** Thrown when rules make no sense; `problems` lists every one found, not just the first. */
export class InvalidEligibilityRulesError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid eligibility rules: ${problems.join('; ')}`);
    this.name = 'InvalidEligibilityRulesError';
    this.problems = problems;
  }
}

const RULE_KEYS = Object.keys(DEFAULT_ELIGIBILITY_RULES) as (keyof EligibilityRules)[];

/**
 * A validated, frozen copy of `base` with `overrides` applied.
 *
 * Throws {@link InvalidEligibilityRulesError} on nonsense (level outside 0–4, negative months,
 * unknown keys, an unknown condition code …) and when thresholds change but `version` does not:
 * a result must never cite a version whose numbers it did not use.
 */
export function createEligibilityRules(
  overrides: Partial<EligibilityRules>,
  base: EligibilityRules = DEFAULT_ELIGIBILITY_RULES,
): EligibilityRules {
  const rules: EligibilityRules = { ...base, ...overrides };
  const problems = [...unknownKeys(overrides), ...validate(rules)];
  const changed = RULE_KEYS.filter(
    (key) => key !== 'version' && key !== 'effectiveFrom' && key in overrides && !sameValue(overrides[key], base[key]),
  );
  if (changed.length > 0 && rules.version === base.version) {
    problems.push(`${changed.join(', ')} changed: give a new version (still "${base.version}")`);
  }
  if (problems.length > 0) throw new InvalidEligibilityRulesError(problems);
  return deepFreeze({
    ...rules,
    homeCarePriorityHardship: [...rules.homeCarePriorityHardship],
    homeSickBedQualifyingConditions: [...rules.homeSickBedQualifyingConditions],
  });
}

function validate(rules: EligibilityRules): string[] {
  const problems: string[] = [];
  if (typeof rules.version !== 'string' || rules.version.trim() === '') problems.push('version must be a non-empty string');
  if (typeof rules.effectiveFrom !== 'string' || !parseIsoDate(rules.effectiveFrom)) {
    problems.push(`effectiveFrom must be an ISO date (YYYY-MM-DD), got ${JSON.stringify(rules.effectiveFrom)}`);
  }
  const integerIn = (key: keyof EligibilityRules, min: number, max: number): void => {
    const value = rules[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`${key} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
  };
  integerIn('nursingTypeMinAbilityLevel', 0, 4);
  integerIn('homeCareMinAbilityLevel', 0, 4);
  integerIn('nursingTypeMinLtciGrade', 0, 5);
  integerIn('ltciFundingMinGrade', 0, 5);
  integerIn('hospiceMinEcog', 0, 5);
  // Month arithmetic on calendar dates needs whole months; zero would make every assessment stale.
  integerIn('abilityAssessmentValidMonths', 1, 120);
  const prognosis = rules.hospiceMaxPrognosisMonths;
  if (typeof prognosis !== 'number' || !Number.isFinite(prognosis) || prognosis <= 0) {
    problems.push(`hospiceMaxPrognosisMonths must be a positive number of months, got ${JSON.stringify(prognosis)}`);
  }
  const kps = rules.hospiceMaxKps;
  if (typeof kps !== 'number' || !Number.isFinite(kps) || kps < 0 || kps > 100) {
    problems.push(`hospiceMaxKps must be from 0 to 100, got ${JSON.stringify(kps)}`);
  }
  problems.push(...codeList('homeCarePriorityHardship', rules.homeCarePriorityHardship, HARDSHIP_STATUSES, true));
  problems.push(
    ...codeList('homeSickBedQualifyingConditions', rules.homeSickBedQualifyingConditions, HOME_SICK_BED_CONDITIONS, false),
  );
  return problems;
}

function codeList(key: string, list: unknown, known: readonly string[], mayBeEmpty: boolean): string[] {
  if (!Array.isArray(list)) return [`${key} must be a list`];
  const problems: string[] = [];
  if (!mayBeEmpty && list.length === 0) problems.push(`${key} must not be empty`);
  const unknown = list.filter((code) => !known.includes(code as string));
  if (unknown.length > 0) problems.push(`${key} has unknown codes: ${unknown.map((c) => JSON.stringify(c)).join(', ')}`);
  if (new Set(list).size !== list.length) problems.push(`${key} lists a code twice`);
  return problems;
}

function unknownKeys(overrides: object): string[] {
  const unknown = Object.keys(overrides).filter((key) => !(RULE_KEYS as string[]).includes(key));
  return unknown.length > 0 ? [`unknown rule keys: ${unknown.join(', ')}`] : [];
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item) => b.includes(item));
  }
  return Object.is(a, b);
}

function deepFreeze<T extends object>(value: T): T {
  for (const item of Object.values(value)) if (Array.isArray(item)) Object.freeze(item);
  return Object.freeze(value);
}
