import { note, onScale, type Check } from './check.js';
import type { ElderFacts } from './facts.js';
import type { EligibilityRules } from './rules.js';
import { LTCI_GRADE } from './scales.js';

/**
 * When the elder wants long-term care insurance (长护险) to pay, say whether the LTCI grade allows
 * it. This never decides eligibility for the bed (the bed can be self-paid); it only tells the
 * planner what funding to expect or which assessment to ask for. Silent when funding is not wanted.
 */
export function ltciFundingNote(facts: ElderFacts, rules: EligibilityRules, label: string): Check {
  if (facts.wantsLtciFunding !== true) return note([]);
  const min = rules.ltciFundingMinGrade;
  const grade = facts.ltciGrade;
  if (!onScale(grade, LTCI_GRADE)) {
    return note(
      [{ fact: 'wantsLtciFunding', value: true, rule: `LTCI funding wanted (${label})` }],
      [{ fact: 'ltciGrade', why: `LTCI funding wanted: an LTCI disability assessment with grade ≥ ${min} is needed (${label})` }],
    );
  }
  const rule =
    grade >= min
      ? `LTCI grade ${grade} ≥ ${min}: LTCI funding can be applied for (${label})`
      : `LTCI grade ${grade} < ${min}: no LTCI funding, the bed is self-paid (${label})`;
  return note([
    { fact: 'wantsLtciFunding', value: true, rule: `LTCI funding wanted (${label})` },
    { fact: 'ltciGrade', value: grade, rule },
  ]);
}
