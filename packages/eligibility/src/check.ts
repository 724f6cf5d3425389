import type { BooleanFact, ElderFacts, NumericFact } from './facts.js';
import type { BedType, EligibilityOutcome, EligibilityResult, Evidence, MissingFact } from './result.js';

/**
 * Three-valued checks that the bed-type rules are built from. Each check keeps what it looked at
 * (evidence), what it could not look at (missing) and what failed (reasons), so the combined
 * answer explains itself.
 */
export type CheckStatus = 'pass' | 'fail' | 'unknown';

/** The answer of one rule or of a combination of rules. */
export interface Check {
  readonly status: CheckStatus;
  readonly evidence: readonly Evidence[];
  readonly missing: readonly MissingFact[];
  readonly reasons: readonly string[];
}

/** The rule holds on known facts. */
export function passed(...evidence: Evidence[]): Check {
  return { status: 'pass', evidence, missing: [], reasons: [] };
}

/** A known fact fails the rule; the reason is the failing rule, as for evidence. */
export function failed(evidence: Evidence[], reason: string): Check {
  return { status: 'fail', evidence, missing: [], reasons: [reason] };
}

/** The rule needs a fact that is absent, stale or invalid. */
export function unknown(fact: keyof ElderFacts, why: string, evidence: Evidence[] = []): Check {
  return { status: 'unknown', evidence, missing: [{ fact, why }], reasons: [] };
}

/**
 * Something to report that does not decide eligibility: evidence worth showing, or a step still
 * to take (e.g. the insurance filing before a home sick bed episode opens).
 */
export function note(evidence: Evidence[], missing: MissingFact[] = []): Check {
  return { status: 'pass', evidence, missing, reasons: [] };
}

/** Every check must pass; all evidence, missing facts and reasons are kept for the planner. */
export function allOf(checks: readonly Check[]): Check {
  const status: CheckStatus = checks.some((c) => c.status === 'fail')
    ? 'fail'
    : checks.some((c) => c.status === 'unknown')
      ? 'unknown'
      : 'pass';
  return {
    status,
    evidence: checks.flatMap((c) => c.evidence),
    missing: checks.flatMap((c) => c.missing),
    reasons: checks.flatMap((c) => c.reasons),
  };
}

/**
 * One alternative must pass. Evidence of every alternative is kept; missing facts only matter
 * while no alternative passes; a failure needs every alternative to fail and is one reason.
 */
export function anyOf(checks: readonly Check[]): Check {
  const evidence = checks.flatMap((c) => c.evidence);
  if (checks.some((c) => c.status === 'pass')) {
    return { status: 'pass', evidence, missing: checks.flatMap((c) => (c.status === 'pass' ? c.missing : [])), reasons: [] };
  }
  if (checks.some((c) => c.status === 'unknown')) {
    return { status: 'unknown', evidence, missing: checks.flatMap((c) => c.missing), reasons: [] };
  }
  return { status: 'fail', evidence, missing: [], reasons: [checks.flatMap((c) => c.reasons).join(' and ')] };
}

/** A boolean fact that must be true: true passes, false fails, absent is unknown. */
export function isTrue(
  facts: ElderFacts,
  fact: BooleanFact,
  label: string,
  wording: { readonly yes: string; readonly no: string },
): Check {
  const value = facts[fact];
  if (value === undefined) return unknown(fact, `${wording.yes} not recorded (${label})`);
  if (value) return passed({ fact, value, rule: `${wording.yes} (${label})` });
  const rule = `${wording.no} (${label})`;
  return failed([{ fact, value, rule }], rule);
}

/** Bounds a numeric fact must lie in to be meaningful, e.g. KPS 0–100. */
export interface NumericScale {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  /** Appended to the value in rule text, e.g. ' months'. */
  readonly unit?: string;
}

/** A numeric fact compared with a threshold; absent or off-scale values are unknown. */
export function compare(
  facts: ElderFacts,
  fact: NumericFact,
  scale: NumericScale,
  op: '≥' | '≤',
  threshold: number,
  label: string,
): Check {
  const value = facts[fact];
  if (value === undefined) return unknown(fact, `${scale.name} not recorded (${label})`);
  if (!onScale(value, scale)) {
    return unknown(fact, `${scale.name} ${JSON.stringify(value)} is not a valid value (${scale.min}–${scale.max}) (${label})`);
  }
  const holds = op === '≥' ? value >= threshold : value <= threshold;
  const shown = `${scale.name} ${value}${scale.unit ?? ''}`;
  if (holds) return passed({ fact, value, rule: `${shown} ${op} ${threshold} (${label})` });
  const rule = `${shown} ${op === '≥' ? '<' : '>'} ${threshold} (${label})`;
  return failed([{ fact, value, rule }], rule);
}

/** Whether a value is a finite number inside the scale. */
export function onScale(value: unknown, scale: NumericScale): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= scale.min &&
    value <= scale.max &&
    (!scale.integer || Number.isInteger(value))
  );
}

/** The result for one bed type and variant from its combined check. */
export function toResult(bedType: BedType, variant: string | undefined, rulesVersion: string, check: Check): EligibilityResult {
  return {
    bedType,
    ...(variant === undefined ? {} : { variant }),
    outcome: outcomeOf(check.status),
    evidence: check.evidence,
    missing: check.missing,
    reasons: check.reasons,
    rulesVersion,
  };
}

function outcomeOf(status: CheckStatus): EligibilityOutcome {
  switch (status) {
    case 'pass':
      return 'eligible';
    case 'fail':
      return 'not-eligible';
    case 'unknown':
      return 'unknown';
    default: {
      const unreachable: never = status;
      throw new Error(`unknown check status ${String(unreachable)}`);
    }
  }
}
