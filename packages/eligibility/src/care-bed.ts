import { allOf, anyOf, compare, failed, isTrue, note, passed, toResult, unknown, type Check } from './check.js';
import { resolveContext, type EligibilityContext, type ResolvedContext } from './context.js';
import type { ElderFacts } from './facts.js';
import { abilityLevelAtLeast } from './ability.js';
import { ltciFundingNote } from './ltci-funding.js';
import { CARE_BED_VARIANTS, type CareBedVariant, type EligibilityResult } from './result.js';
import { LTCI_GRADE } from './scales.js';

/** 养老床位: one result per variant (ordinary, nursing-type, dementia), in that order. */
export function evaluateCareBed(facts: ElderFacts, context: EligibilityContext): EligibilityResult[] {
  return CARE_BED_VARIANTS.map((variant) => evaluateCareBedVariant(variant, facts, context));
}

/**
 * One care bed variant:
 * - ordinary: any ability level; public homes admit through the waiting list (evidence only);
 * - nursing-type (护理型): ability level ≥ N, or LTCI grade ≥ N, or medical needs present;
 * - dementia (认知障碍): a dementia diagnosis (the unit itself must have secured exits).
 */
export function evaluateCareBedVariant(
  variant: CareBedVariant,
  facts: ElderFacts,
  context: EligibilityContext,
): EligibilityResult {
  const resolved = resolveContext(context);
  const label = `${variant} care bed`;
  const check = allOf([variantCheck(variant, facts, resolved, label), ltciFundingNote(facts, resolved.rules, label)]);
  return toResult('care', variant, resolved.rules.version, check);
}

function variantCheck(variant: CareBedVariant, facts: ElderFacts, context: ResolvedContext, label: string): Check {
  switch (variant) {
    case 'ordinary':
      return ordinary(facts, label);
    case 'nursing-type':
      return anyOf([
        abilityLevelAtLeast(facts, context.rules.nursingTypeMinAbilityLevel, label, context),
        compare(facts, 'ltciGrade', LTCI_GRADE, '≥', context.rules.nursingTypeMinLtciGrade, label),
        medicalNeedsPresent(facts, label),
      ]);
    case 'dementia':
      return isTrue(facts, 'dementiaDiagnosis', label, {
        yes: 'dementia diagnosis; the unit must have secured exits',
        no: 'no dementia diagnosis',
      });
    default: {
      const unreachable: never = variant;
      throw new Error(`unknown care bed variant ${String(unreachable)}`);
    }
  }
}

function ordinary(facts: ElderFacts, label: string): Check {
  const waitingList = facts.hardship?.includes('extreme-poverty')
    ? `extreme poverty (特困): admitted to a public care home without queueing if the elder wishes (${label})`
    : `public care homes admit through the waiting list (轮候); private homes admit directly (${label})`;
  return note([
    { fact: 'abilityLevel', value: facts.abilityLevel, rule: `any ability level (${label})` },
    { fact: 'hardship', value: facts.hardship, rule: waitingList },
  ]);
}

/** Medical needs count when any are recorded; the home still has to confirm it can meet them. */
function medicalNeedsPresent(facts: ElderFacts, label: string): Check {
  const needs = facts.medicalNeeds;
  if (needs === undefined) return unknown('medicalNeeds', `medical needs not recorded (${label})`);
  const present = needs.filter((need) => need.trim() !== '');
  if (present.length === 0) {
    const rule = `no medical needs (${label})`;
    return failed([{ fact: 'medicalNeeds', value: needs, rule }], rule);
  }
  return passed({
    fact: 'medicalNeeds',
    value: needs,
    rule: `medical needs present (${present.join(', ')}): the home must be able to meet them (${label})`,
  });
}
