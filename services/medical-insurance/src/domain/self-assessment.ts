import type { LtciGrade } from '@fbl/scales';
import { isEligible, type LtciPolicy } from './policy.js';

/**
 * The applicant's self-assessment (自评), given with an application as a pre-screen before the
 * on-site assessment. Many pilot cities ask for one; the NHSA operating guide's wording of it is
 * not at hand, so it is modelled as ADVISORY: it is graded with the same NHSA 2021 rules, shown to
 * the officer as 自评，仅供参考, and never decides anything. An application is accepted or refused
 * (受理审核) on the five grounds alone; the conclusion comes from the on-site assessment.
 */

/** Who filled in the self-assessment: the applicant (本人), a guardian (监护人), an agent (委托代理人). */
export const SELF_ASSESSORS = ['self', 'guardian', 'agent'] as const;
export type SelfAssessor = (typeof SELF_ASSESSORS)[number];

/** Self-assessed and on-site grades this many levels apart (or more) are flagged for a check (复核). */
export const REVIEW_GAP = 2;

/** What the pre-screen tells the officer; flags only, never a decision. */
export interface PreScreen {
  /** The self-assessed grade is below the policy's threshold (`minGrade`). */
  readonly belowThreshold: boolean;
  /** The policy threshold the self-assessed grade was compared with. */
  readonly minGrade: LtciGrade;
  /** Always true: a self-assessment alone never refuses; the application goes to 受理审核 as any other. */
  readonly proceedsToReview: true;
  /** The on-site grade compared with, when there is one. */
  readonly onSiteGrade: LtciGrade | null;
  /** On-site grade minus self-assessed grade (positive: the assessors found more disability); null before an on-site assessment. */
  readonly gap: number | null;
  /** The two grades are `REVIEW_GAP` or more levels apart: a quality flag for 复核. */
  readonly gradesDiffer: boolean;
}

/**
 * The pre-screen of a self-assessed grade under a policy, against the on-site grade when there is
 * one. Pure: it flags, it does not accept, refuse or conclude.
 */
export function preScreen(selfGrade: LtciGrade, onSiteGrade: LtciGrade | null, policy: LtciPolicy): PreScreen {
  const gap = onSiteGrade === null ? null : onSiteGrade - selfGrade;
  return {
    belowThreshold: !isEligible(selfGrade, policy),
    minGrade: policy.minGrade,
    proceedsToReview: true,
    onSiteGrade,
    gap,
    gradesDiffer: gap !== null && Math.abs(gap) >= REVIEW_GAP,
  };
}
