import { abilityLevelAtLeast } from './ability.js';
import { allOf, note, toResult, type Check } from './check.js';
import { resolveContext, type EligibilityContext } from './context.js';
import type { ElderFacts } from './facts.js';
import { ltciFundingNote } from './ltci-funding.js';
import type { EligibilityResult } from './result.js';
import type { EligibilityRules } from './rules.js';
import { insideServiceArea } from './service-area.js';

const LABEL = 'home care bed';

/**
 * 家庭养老床位: a current ability level ≥ `homeCareMinAbilityLevel` (moderate or worse) and a home
 * inside the provider's service area. Hardship gives priority, never eligibility, so it only
 * appears as evidence. The provider's local quota is a matter of capacity, not of the elder.
 */
export function evaluateHomeCareBed(facts: ElderFacts, context: EligibilityContext): EligibilityResult {
  const resolved = resolveContext(context);
  const check = allOf([
    abilityLevelAtLeast(facts, resolved.rules.homeCareMinAbilityLevel, LABEL, resolved),
    insideServiceArea(facts, resolved.provider, LABEL),
    hardshipPriority(facts, resolved.rules),
    ltciFundingNote(facts, resolved.rules, LABEL),
  ]);
  return toResult('home-care', undefined, resolved.rules.version, check);
}

function hardshipPriority(facts: ElderFacts, rules: EligibilityRules): Check {
  const hardship = facts.hardship;
  if (hardship === undefined) return note([]);
  const priority = hardship.filter((status) => rules.homeCarePriorityHardship.includes(status));
  const rule =
    priority.length > 0
      ? `hardship (${priority.join(', ')}) gives priority, not eligibility (${LABEL})`
      : `no hardship status giving priority (${LABEL})`;
  return note([{ fact: 'hardship', value: hardship, rule }]);
}
