import { DEFAULT_PAYMENT_STANDARDS, NHSA_2021, type LtciRules, type PaymentStandard } from '@fbl/scales';
import { DEFAULT_LTCI_POLICY, type LtciPolicy } from './policy.js';

/** Everything the service decides by: the process numbers, the grading rules, the payment standards. */
export interface InsuranceRules extends LtciPolicy {
  /** The disability grading rules (NHSA 2021 by default). */
  readonly grading: LtciRules;
  /** The payment standards, by the day they take effect. */
  readonly paymentStandards: readonly PaymentStandard[];
}

/** The defaults of DOMAIN.md §3. */
export const DEFAULT_INSURANCE_RULES: InsuranceRules = Object.freeze({ ...DEFAULT_LTCI_POLICY, grading: NHSA_2021, paymentStandards: DEFAULT_PAYMENT_STANDARDS });

/**
 * The defaults with some rules replaced, checked: a grade threshold of 0–5 and whole numbers of
 * notice days (at least 1), months (0 or more) and years (at least 1).
 * @throws RangeError naming each rule out of range.
 */
export function insuranceRules(overrides: Partial<InsuranceRules> = {}): InsuranceRules {
  const rules = { ...DEFAULT_INSURANCE_RULES, ...overrides };
  const problems = policyProblems(rules);
  if (problems.length > 0) throw new RangeError(`invalid LTCI rules: ${problems.join('; ')}`);
  return Object.freeze(rules);
}

/** What is wrong with a policy, one sentence per rule. */
export function policyProblems(policy: LtciPolicy): string[] {
  const problems: string[] = [];
  const whole = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;
  if (!whole(policy.minGrade, 0, 5)) problems.push(`minGrade must be a grade from 0 to 5, not ${policy.minGrade}`);
  if (!whole(policy.noticeDays, 1, 365)) problems.push(`noticeDays must be a whole number of days from 1 to 365, not ${policy.noticeDays}`);
  if (!whole(policy.reapplyMonths, 0, 120)) problems.push(`reapplyMonths must be a whole number of months from 0 to 120, not ${policy.reapplyMonths}`);
  if (!whole(policy.reassessmentYears, 1, 20)) problems.push(`reassessmentYears must be a whole number of years from 1 to 20, not ${policy.reassessmentYears}`);
  return problems;
}
