import { ConfigError } from '@fbl/service-kit';
import { DEFAULT_LTCI_POLICY, type LtciPolicy } from './domain/policy.js';
import { policyProblems } from './domain/rules.js';
import type { LtciGrade } from '@fbl/scales';

/** The environment keys of the LTCI policy, and the policy field each sets. */
const POLICY_KEYS = {
  LTCI_MIN_GRADE: 'minGrade',
  LTCI_NOTICE_DAYS: 'noticeDays',
  LTCI_REAPPLY_MONTHS: 'reapplyMonths',
  LTCI_REASSESSMENT_YEARS: 'reassessmentYears',
} as const satisfies Record<string, keyof LtciPolicy>;

/**
 * The LTCI policy from an environment: each `LTCI_*` key that is set replaces its default.
 * @throws ConfigError naming every key that is not a whole number in range.
 */
export function ltciPolicyFromEnv(env: Record<string, string | undefined>): LtciPolicy {
  const policy: Record<keyof LtciPolicy, number> = { ...DEFAULT_LTCI_POLICY };
  const problems: string[] = [];
  for (const [key, field] of Object.entries(POLICY_KEYS)) {
    const raw = env[key];
    if (raw === undefined || raw.trim() === '') continue;
    if (!/^[0-9]+$/.test(raw.trim())) problems.push(`${key} must be a whole number, not ${JSON.stringify(raw)}`);
    else policy[field] = Number(raw);
  }
  if (problems.length === 0) {
    const keyOf = Object.fromEntries(Object.entries(POLICY_KEYS).map(([k, f]) => [f, k]));
    problems.push(...policyProblems({ ...policy, minGrade: policy.minGrade as LtciGrade }).map((p) => p.replace(/^(\w+)/, (f) => keyOf[f] ?? f)));
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return Object.freeze({ ...policy, minGrade: policy.minGrade as LtciGrade });
}
