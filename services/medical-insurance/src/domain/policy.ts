import type { LtciGrade } from '@fbl/scales';

/**
 * The numbers of the LTCI process (DOMAIN.md §3). Every one is a *default* from Qingdao and
 * Tai'an practice and is configured per city (README: LTCI_* keys).
 */
export interface LtciPolicy {
  /** Lowest disability grade that is eligible: 3 = 重度失能Ⅰ级. */
  readonly minGrade: LtciGrade;
  /** Length of the public notice (公示) of a conclusion, in whole days. */
  readonly noticeDays: number;
  /** Months after a refusal (or a grade below the threshold) before the elder may apply again. */
  readonly reapplyMonths: number;
  /** Years between periodic re-assessments of an authorised elder. */
  readonly reassessmentYears: number;
}

/** The defaults of DOMAIN.md §3. */
export const DEFAULT_LTCI_POLICY: LtciPolicy = Object.freeze({ minGrade: 3, noticeDays: 5, reapplyMonths: 6, reassessmentYears: 2 });

/** Whether a grade meets the policy's threshold. */
export function isEligible(grade: LtciGrade, policy: LtciPolicy): boolean {
  return grade >= policy.minGrade;
}
