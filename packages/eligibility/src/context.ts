import { chinaCalendarDate, compareDates, parseIsoDate } from './dates.js';
import { DEFAULT_ELIGIBILITY_RULES, type EligibilityRules } from './rules.js';
import type { ServiceProvider } from './service-area.js';

/** What an evaluation needs besides the elder's facts. There is no clock: `asOf` is given. */
export interface EligibilityContext {
  /** The moment of the evaluation; ability assessments are judged stale against it. */
  readonly asOf: Date;
  /** Defaults to {@link DEFAULT_ELIGIBILITY_RULES}. */
  readonly rules?: EligibilityRules;
  /** Needed for home care and home sick beds: without it the service area check is unknown. */
  readonly provider?: ServiceProvider;
}

/** A context with its rules chosen. */
export interface ResolvedContext {
  readonly asOf: Date;
  readonly rules: EligibilityRules;
  readonly provider?: ServiceProvider;
}

/** Picks the default rules if none were given; throws if the rules are not yet in effect at `asOf`. */
export function resolveContext(context: EligibilityContext): ResolvedContext {
  if (Number.isNaN(context.asOf.getTime())) throw new RangeError('asOf is not a valid date');
  const rules = context.rules ?? DEFAULT_ELIGIBILITY_RULES;
  const effectiveFrom = parseIsoDate(rules.effectiveFrom);
  if (effectiveFrom && compareDates(chinaCalendarDate(context.asOf), effectiveFrom) < 0) {
    throw new RangeError(`eligibility rules ${rules.version} take effect on ${rules.effectiveFrom}, after asOf ${context.asOf.toISOString()}`);
  }
  return { ...context, rules };
}
