import { allOf, failed, isTrue, note, passed, toResult, unknown, type Check } from './check.js';
import { resolveContext, type EligibilityContext } from './context.js';
import type { ElderFacts } from './facts.js';
import type { EligibilityResult } from './result.js';
import type { EligibilityRules } from './rules.js';
import { insideServiceArea } from './service-area.js';

const LABEL = 'home sick bed';

/** Why a missing insurance filing is listed: a step before the episode, not a reason to refuse. */
export const INSURANCE_FILING_WHY = 'insurance filing (医保备案) must be made before the episode opens';

/**
 * 家庭病床: clear diagnosis, stable condition, bed-bound or unable to reach a clinic, at least one
 * qualifying condition, home inside the provider's service area. The insurance filing is not a
 * condition of eligibility: until it is made it is listed as missing, whatever the outcome.
 */
export function evaluateHomeSickBed(facts: ElderFacts, context: EligibilityContext): EligibilityResult {
  const resolved = resolveContext(context);
  const check = allOf([
    isTrue(facts, 'clearDiagnosis', LABEL, { yes: 'clear diagnosis', no: 'diagnosis not clear' }),
    isTrue(facts, 'stableCondition', LABEL, { yes: 'stable condition', no: 'condition not stable' }),
    isTrue(facts, 'bedBoundOrCannotReachClinic', LABEL, {
      yes: 'bed-bound or cannot reach a clinic',
      no: 'neither bed-bound nor unable to reach a clinic',
    }),
    qualifyingCondition(facts, resolved.rules),
    insideServiceArea(facts, resolved.provider, LABEL),
    insuranceFiling(facts),
  ]);
  return toResult('home-sick', undefined, resolved.rules.version, check);
}

function qualifyingCondition(facts: ElderFacts, rules: EligibilityRules): Check {
  const conditions = facts.homeSickBedConditions;
  if (conditions === undefined) return unknown('homeSickBedConditions', `qualifying conditions not recorded (${LABEL})`);
  const qualifying = conditions.filter((condition) => rules.homeSickBedQualifyingConditions.includes(condition));
  if (qualifying.length > 0) {
    return passed({ fact: 'homeSickBedConditions', value: conditions, rule: `qualifying condition: ${qualifying.join(', ')} (${LABEL})` });
  }
  const rule =
    conditions.length === 0
      ? `no qualifying condition (${LABEL})`
      : `no qualifying condition among ${conditions.join(', ')} (${LABEL})`;
  return failed([{ fact: 'homeSickBedConditions', value: conditions, rule }], rule);
}

function insuranceFiling(facts: ElderFacts): Check {
  if (facts.insuranceFiled === true) {
    return note([{ fact: 'insuranceFiled', value: true, rule: `insurance filing (医保备案) made (${LABEL})` }]);
  }
  return note([], [{ fact: 'insuranceFiled', why: INSURANCE_FILING_WHY }]);
}
