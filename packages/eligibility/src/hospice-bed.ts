import { allOf, anyOf, compare, isTrue, note, passed, toResult, unknown, type Check } from './check.js';
import { resolveContext, type EligibilityContext } from './context.js';
import type { ElderFacts } from './facts.js';
import type { EligibilityResult } from './result.js';
import { ECOG, KPS, PROGNOSIS_MONTHS } from './scales.js';

const LABEL = 'hospice bed';

/** Why an unrecorded advance care plan is listed: a step to take, not a reason to refuse. */
export const ADVANCE_CARE_PLAN_WHY = `advance care planning status must be recorded (${LABEL})`;

/**
 * 安宁疗护床位: terminal illness, prognosis ≤ `hospiceMaxPrognosisMonths`, KPS ≤ `hospiceMaxKps` or
 * ECOG ≥ `hospiceMinEcog`, and an informed choice by the elder or a legal representative. The
 * advance-care-planning status is reported (evidence if recorded, missing if not) but does not
 * decide the outcome: recording it is part of admission, not a condition for it.
 */
export function evaluateHospiceBed(facts: ElderFacts, context: EligibilityContext): EligibilityResult {
  const { rules } = resolveContext(context);
  const check = allOf([
    isTrue(facts, 'terminalIllness', LABEL, { yes: 'terminal illness', no: 'not terminally ill' }),
    compare(facts, 'prognosisMonths', PROGNOSIS_MONTHS, '≤', rules.hospiceMaxPrognosisMonths, LABEL),
    anyOf([
      compare(facts, 'kps', KPS, '≤', rules.hospiceMaxKps, LABEL),
      compare(facts, 'ecog', ECOG, '≥', rules.hospiceMinEcog, LABEL),
    ]),
    informedChoice(facts),
    advanceCarePlan(facts),
  ]);
  return toResult('hospice', undefined, rules.version, check);
}

function informedChoice(facts: ElderFacts): Check {
  const choice = facts.informedChoice;
  const fact = 'informedChoice';
  switch (choice) {
    case undefined:
      return unknown(fact, `informed choice by the elder or a legal representative not recorded (${LABEL})`);
    case 'elder':
      return passed({ fact, value: choice, rule: `informed choice made by the elder (${LABEL})` });
    case 'legal-representative':
      return passed({ fact, value: choice, rule: `informed choice made by the legal representative (${LABEL})` });
    default: {
      const invalid: never = choice;
      return unknown(fact, `informed choice ${JSON.stringify(invalid)} is neither the elder nor a legal representative (${LABEL})`);
    }
  }
}

function advanceCarePlan(facts: ElderFacts): Check {
  if (facts.advanceCarePlanRecorded === true) {
    return note([{ fact: 'advanceCarePlanRecorded', value: true, rule: `advance care planning status recorded (${LABEL})` }]);
  }
  return note([], [{ fact: 'advanceCarePlanRecorded', why: ADVANCE_CARE_PLAN_WHY }]);
}
