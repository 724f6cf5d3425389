import { note, toResult } from './check.js';
import { resolveContext, type EligibilityContext } from './context.js';
import type { ElderFacts } from './facts.js';
import type { EligibilityResult } from './result.js';

/**
 * 医疗床位: a (return) admission to hospital is a clinician's decision, not a rule on the elder's
 * facts, so the answer is always eligible. The evidence names the decision; it is filed under
 * `medicalNeeds`, the fact the receiving hospital decides on.
 */
export function evaluateMedicalBed(facts: ElderFacts, context: EligibilityContext): EligibilityResult {
  const { rules } = resolveContext(context);
  const check = note([{ fact: 'medicalNeeds', value: facts.medicalNeeds, rule: 'admission decided by the receiving hospital (medical bed)' }]);
  return toResult('medical', undefined, rules.version, check);
}
