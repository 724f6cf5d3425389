import { compare, unknown, type Check } from './check.js';
import { addMonths, chinaCalendarDate, compareDates, formatIsoDate, parseIsoDate } from './dates.js';
import type { ElderFacts } from './facts.js';
import type { EligibilityRules } from './rules.js';
import { ABILITY_LEVEL } from './scales.js';

/**
 * Ability level at or above `minLevel`, counting only a current assessment: an assessment older
 * than `rules.abilityAssessmentValidMonths`, undated, or dated after `asOf` is treated as missing,
 * because the routine reassessment (GB/T 42195, *default* every 6 months) should have replaced it.
 * The assessment stays valid up to and including the same day N months later.
 */
export function abilityLevelAtLeast(
  facts: ElderFacts,
  minLevel: number,
  label: string,
  context: { readonly asOf: Date; readonly rules: EligibilityRules },
): Check {
  const level = compare(facts, 'abilityLevel', ABILITY_LEVEL, '≥', minLevel, label);
  if (level.status === 'unknown') return level;
  const months = context.rules.abilityAssessmentValidMonths;
  const assessedOn = facts.abilityAssessedOn;
  if (assessedOn === undefined) {
    return unknown('abilityAssessedOn', `date of the ability assessment not recorded: cannot tell if it is within ${months} months (${label})`);
  }
  const date = parseIsoDate(assessedOn);
  if (!date) return unknown('abilityAssessedOn', `ability assessment date ${JSON.stringify(assessedOn)} is not an ISO date (${label})`);
  const today = chinaCalendarDate(context.asOf);
  if (compareDates(date, today) > 0) {
    return unknown('abilityAssessedOn', `ability assessment dated ${assessedOn}, after ${formatIsoDate(today)} (${label})`);
  }
  const validUntil = addMonths(date, months);
  if (compareDates(today, validUntil) > 0) {
    return unknown(
      'abilityAssessedOn',
      `ability assessment of ${assessedOn} is older than ${months} months (valid until ${formatIsoDate(validUntil)}): reassess (${label})`,
    );
  }
  return {
    ...level,
    evidence: [
      ...level.evidence,
      { fact: 'abilityAssessedOn', value: assessedOn, rule: `ability assessment of ${assessedOn} valid until ${formatIsoDate(validUntil)} (${label})` },
    ],
  };
}
