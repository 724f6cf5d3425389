import type { ElderFacts } from './facts.js';

/** The five bed types of the five-bed linkage (五床联动), named as in DOMAIN.md §10. */
export type BedType = 'care' | 'medical' | 'home-care' | 'home-sick' | 'hospice';

/** Every bed type, in the order a planner usually reads them. */
export const BED_TYPES: readonly BedType[] = ['care', 'medical', 'home-care', 'home-sick', 'hospice'];

/** Care bed (养老床位) variants: ordinary, 护理型 nursing-type, 认知障碍 dementia unit. */
export type CareBedVariant = 'ordinary' | 'nursing-type' | 'dementia';

/** Every care bed variant; `evaluateEligibility('care', …)` answers one result for each. */
export const CARE_BED_VARIANTS: readonly CareBedVariant[] = ['ordinary', 'nursing-type', 'dementia'];

/** One known fact that a rule looked at, and how it compared. */
export interface Evidence {
  readonly fact: keyof ElderFacts;
  readonly value: unknown;
  /** Human readable, English, e.g. 'ability level 3 ≥ 2 (nursing-type care bed)'. */
  readonly rule: string;
}

/** A fact that is absent, stale or invalid, and why it matters. */
export interface MissingFact {
  readonly fact: keyof ElderFacts;
  readonly why: string;
}

/**
 * - `eligible`: every rule holds on known facts (`missing` may still list steps to take before
 *   the stay opens, such as the home sick bed insurance filing);
 * - `not-eligible`: a known fact fails a rule; `reasons` lists the failing rules;
 * - `unknown`: no rule fails, but a fact a rule needs is absent, stale or invalid.
 */
export type EligibilityOutcome = 'eligible' | 'not-eligible' | 'unknown';

/** The answer for one bed type (and variant), with what it was based on. */
export interface EligibilityResult {
  readonly bedType: BedType;
  readonly variant?: string;
  readonly outcome: EligibilityOutcome;
  readonly evidence: readonly Evidence[];
  readonly missing: readonly MissingFact[];
  readonly reasons: readonly string[];
  /** `EligibilityRules.version` the answer was computed with, for audit. */
  readonly rulesVersion: string;
}
