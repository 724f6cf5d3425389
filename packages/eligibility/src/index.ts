/**
 * Eligibility of an elder for each bed type of the five-bed linkage (DOMAIN.md §4).
 * Pure: no clock, no I/O. Each answer says which evidence was used and what is missing, so a
 * discharge planner sees why a bed type is not offered.
 */
import { evaluateCareBed } from './care-bed.js';
import type { EligibilityContext } from './context.js';
import type { ElderFacts } from './facts.js';
import { evaluateHomeCareBed } from './home-care-bed.js';
import { evaluateHomeSickBed } from './home-sick-bed.js';
import { evaluateHospiceBed } from './hospice-bed.js';
import { evaluateMedicalBed } from './medical-bed.js';
import type { BedType, EligibilityResult } from './result.js';

/**
 * Evaluates one bed type: one result per variant for care beds (ordinary, nursing-type,
 * dementia), one result otherwise. Throws a RangeError if `asOf` is invalid or before
 * `rules.effectiveFrom`.
 */
export function evaluateEligibility(bedType: BedType, facts: ElderFacts, context: EligibilityContext): EligibilityResult[] {
  switch (bedType) {
    case 'care':
      return evaluateCareBed(facts, context);
    case 'medical':
      return [evaluateMedicalBed(facts, context)];
    case 'home-care':
      return [evaluateHomeCareBed(facts, context)];
    case 'home-sick':
      return [evaluateHomeSickBed(facts, context)];
    case 'hospice':
      return [evaluateHospiceBed(facts, context)];
    default: {
      const unreachable: never = bedType;
      throw new Error(`unknown bed type ${String(unreachable)}`);
    }
  }
}

export { evaluateCareBed, evaluateCareBedVariant } from './care-bed.js';
export type { EligibilityContext } from './context.js';
export {
  HARDSHIP_STATUSES,
  HOME_SICK_BED_CONDITIONS,
  type BooleanFact,
  type ElderFacts,
  type HardshipStatus,
  type HomeSickBedCondition,
  type InformedChoiceBy,
  type NumericFact,
} from './facts.js';
export { evaluateHomeCareBed } from './home-care-bed.js';
export { evaluateHomeSickBed, INSURANCE_FILING_WHY } from './home-sick-bed.js';
export { ADVANCE_CARE_PLAN_WHY, evaluateHospiceBed } from './hospice-bed.js';
export { evaluateMedicalBed } from './medical-bed.js';
export {
  BED_TYPES,
  CARE_BED_VARIANTS,
  type BedType,
  type CareBedVariant,
  type EligibilityOutcome,
  type EligibilityResult,
  type Evidence,
  type MissingFact,
} from './result.js';
export {
  createEligibilityRules,
  DEFAULT_ELIGIBILITY_RULES,
  InvalidEligibilityRulesError,
  type EligibilityRules,
} from './rules.js';
export { cityCode, serviceAreaOutcome, type ServiceProvider } from './service-area.js';
