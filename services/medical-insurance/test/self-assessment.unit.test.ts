import { generateKey, Sealer } from '@fbl/privacy';
import { describe, expect, it } from 'vitest';
import { gradeSelfAssessment, openSelfAssessment, presentSelfAssessment, selfAssessmentRow } from '../src/application/self-assessments.js';
import { DEFAULT_LTCI_POLICY } from '../src/domain/policy.js';
import { insuranceRules } from '../src/domain/rules.js';
import { preScreen, REVIEW_GAP } from '../src/domain/self-assessment.js';

const policy = DEFAULT_LTCI_POLICY; // minGrade 3
/** NHSA 2021 answers graded 1 (daily living 75: mild; cognition and perception intact): below the threshold. */
const grade1 = {
  feeding: 10, bathing: 0, grooming: 5, dressing: 10, bowelControl: 10, bladderControl: 10, toiletUse: 10, transfer: 10, mobility: 10, stairs: 0,
  timeOrientation: 4, personOrientation: 4, placeOrientation: 4, memory: 4, vision: 4, hearing: 4, communication: 4,
};

describe('the self-assessment pre-screen (advisory)', () => {
  it('flags a self-assessed grade below the threshold, and still sends the application to 受理审核', () => {
    for (const grade of [0, 1, 2] as const) {
      expect(preScreen(grade, null, policy)).toEqual({ belowThreshold: true, minGrade: 3, proceedsToReview: true, onSiteGrade: null, gap: null, gradesDiffer: false });
    }
    for (const grade of [3, 4, 5] as const) expect(preScreen(grade, null, policy)).toMatchObject({ belowThreshold: false, proceedsToReview: true });
  });

  it('reads the threshold from the policy, not a number of its own', () => {
    expect(preScreen(2, null, { ...policy, minGrade: 2 }).belowThreshold).toBe(false);
    expect(preScreen(4, null, { ...policy, minGrade: 5 })).toMatchObject({ belowThreshold: true, minGrade: 5 });
  });

  it(`flags self-assessed and on-site grades ${REVIEW_GAP} or more levels apart, either way, for 复核`, () => {
    expect(REVIEW_GAP).toBe(2);
    expect(preScreen(1, 5, policy)).toMatchObject({ onSiteGrade: 5, gap: 4, gradesDiffer: true });
    expect(preScreen(1, 3, policy)).toMatchObject({ gap: 2, gradesDiffer: true });
    expect(preScreen(5, 3, policy)).toMatchObject({ gap: -2, gradesDiffer: true });
    expect(preScreen(2, 3, policy)).toMatchObject({ gap: 1, gradesDiffer: false });
    expect(preScreen(4, 4, policy)).toMatchObject({ gap: 0, gradesDiffer: false });
  });

  it('grades the answers with the same NHSA rules as the on-site assessment, and names a bad answer under selfAssessment', () => {
    const rules = insuranceRules();
    expect(gradeSelfAssessment({ filledBy: 'guardian', answers: grade1 }, rules)).toEqual({ ok: true, graded: { input: { filledBy: 'guardian', answers: grade1 }, grade: 1, rulesVersion: 'NHSA-2021-37' } });
    const bad = gradeSelfAssessment({ filledBy: 'self', answers: { ...grade1, feeding: 7, memory: undefined as unknown as number } }, rules);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.fields.map((f) => [f.field, f.pointer])).toEqual([
      ['selfAssessment.answers.feeding', '/selfAssessment/answers/feeding'],
      ['selfAssessment.answers.memory', '/selfAssessment/answers/memory'],
    ]);
    expect(bad.fields[0]?.reason).toBe('must be one of 0, 5, 10, not 7');
  });

  it('keeps the answers sealed and shows them to the officer with the grade, its name and the pre-screen', () => {
    const rules = insuranceRules();
    const sealer = new Sealer(generateKey());
    const graded = gradeSelfAssessment({ filledBy: 'agent', answers: grade1 }, rules);
    if (!graded.ok) throw new Error('graded');
    const row = selfAssessmentRow('0192f3b2-7c1a-7000-8000-0000000000cc', graded.graded, sealer, 'insurer-1', new Date('2026-05-01T08:00:00Z'));
    expect(row.answersSealed).not.toContain('feeding');
    expect(row).toMatchObject({ filledBy: 'agent', grade: 1, rulesVersion: 'NHSA-2021-37', recordedBy: 'insurer-1' });
    expect(presentSelfAssessment(openSelfAssessment(row, sealer), rules, 4)).toEqual({
      filledBy: 'agent',
      answers: grade1,
      grade: 1,
      gradeName: { zh: '轻度失能', en: 'mild disability' },
      rulesVersion: 'NHSA-2021-37',
      recordedBy: 'insurer-1',
      recordedAt: '2026-05-01T08:00:00.000Z',
      advisory: true,
      preScreen: { belowThreshold: true, minGrade: 3, proceedsToReview: true, onSiteGrade: 4, gap: 3, gradesDiffer: true },
    });
  });
});
