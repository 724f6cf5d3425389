import { problemFields, type RefusedField } from '@fbl/contracts';
import type { Sealer } from '@fbl/privacy';
import { gradeLtci, type LtciGrade } from '@fbl/scales';
import type { SelfAssessmentRow } from '../adapters/db/application-store.js';
import type { InsuranceRules } from '../domain/rules.js';
import { preScreen, type SelfAssessor } from '../domain/self-assessment.js';

/** What the applicant (or guardian, or agent) gave as a self-assessment (自评) with an application. */
export interface SelfAssessmentInput {
  filledBy: SelfAssessor;
  /** The 17 NHSA 2021 items, keyed by item code, as for an on-site assessment. */
  answers: Record<string, number>;
}

/** A self-assessment graded by the service's rules, ready to keep. */
export interface GradedSelfAssessment {
  input: SelfAssessmentInput;
  grade: LtciGrade;
  rulesVersion: string;
}

/**
 * Grade a self-assessment with the same NHSA rules as the on-site assessment. Answers the rules
 * refuse come back as fields under `selfAssessment.answers.<item>`, so the form can show each by
 * its item.
 */
export function gradeSelfAssessment(input: SelfAssessmentInput, rules: InsuranceRules): { ok: true; graded: GradedSelfAssessment } | { ok: false; fields: RefusedField[] } {
  const graded = gradeLtci(input.answers, rules.grading);
  if (!graded.ok) return { ok: false, fields: problemFields(graded.errors.map((e) => ({ pointer: `/selfAssessment${e.pointer}`, reason: e.reason }))) };
  return { ok: true, graded: { input, grade: graded.result.grade, rulesVersion: graded.result.rulesVersion } };
}

/** The row that keeps a graded self-assessment, its answers sealed (health data). */
export function selfAssessmentRow(applicationId: string, graded: GradedSelfAssessment, sealer: Sealer, recordedBy: string, recordedAt: Date): SelfAssessmentRow {
  return {
    applicationId,
    filledBy: graded.input.filledBy,
    answersSealed: sealer.seal(JSON.stringify(graded.input.answers)),
    grade: graded.grade,
    rulesVersion: graded.rulesVersion,
    recordedBy,
    recordedAt,
  };
}

/** A kept self-assessment with its answers open. */
export type OpenSelfAssessment = Omit<SelfAssessmentRow, 'answersSealed' | 'applicationId'> & { answers: Record<string, number> };

/** A stored self-assessment, its answers opened. */
export function openSelfAssessment(row: SelfAssessmentRow, sealer: Sealer): OpenSelfAssessment {
  const { answersSealed, applicationId: _id, ...rest } = row;
  return { ...rest, answers: JSON.parse(sealer.open(answersSealed)) as Record<string, number> };
}

/**
 * What the officer sees of a self-assessment: the answers, the self-assessed grade, and the
 * pre-screen against the threshold and the on-site grade when there is one. Marked advisory: it
 * is shown as 自评，仅供参考 and never decides.
 */
export function presentSelfAssessment(kept: OpenSelfAssessment, rules: InsuranceRules, onSiteGrade: LtciGrade | null) {
  const grade = kept.grade as LtciGrade;
  return {
    filledBy: kept.filledBy,
    answers: kept.answers,
    grade,
    gradeName: rules.grading.gradeNames[grade],
    rulesVersion: kept.rulesVersion,
    recordedBy: kept.recordedBy,
    recordedAt: kept.recordedAt.toISOString(),
    advisory: true as const,
    preScreen: preScreen(grade, onSiteGrade, rules),
  };
}
