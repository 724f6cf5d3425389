/**
 * The pure bed domain: policies, attributes, lifecycle rules, availability, institution checks
 * and eligibility (DOMAIN.md §4). No I/O, no clock; matching in the referral workflow uses it.
 */
export * from './policy.js';
export * from './policies.js';
export * from './attributes.js';
export * from './lifecycle.js';
export * from './availability.js';
export * from './institution.js';
export {
  evaluateEligibility,
  evaluateCareBed,
  evaluateCareBedVariant,
  evaluateHomeCareBed,
  evaluateHomeSickBed,
  evaluateHospiceBed,
  evaluateMedicalBed,
  createEligibilityRules,
  DEFAULT_ELIGIBILITY_RULES,
  type ElderFacts,
  type EligibilityResult,
  type EligibilityRules,
  type EligibilityContext,
} from './eligibility/index.js';
