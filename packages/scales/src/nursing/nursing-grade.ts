import { bandFor } from '../bands.js';
import type { Label, Outcome } from '../field-error.js';
import type { NursingDependency, NursingGradeRules } from './nursing-grade-rules.js';
import { WS_T_431_2013 } from './ws-t-431-2013.js';

/** A hospital nursing dependency grade. */
export interface NursingGradeResult {
  readonly dependency: NursingDependency;
  readonly dependencyName: Label;
  readonly rulesVersion: string;
}

/**
 * The hospital nursing dependency grade (自理能力分级) of a Barthel total, the daily-living
 * score of {@link gradeLtci} (`result.indicators.dailyLiving.score`). The three scales coexist:
 * store the raw answers and compute each. Refuses a total that is not an integer within the
 * bands (0–100), at pointer `/dailyLivingTotal`.
 */
export function nursingGrade(dailyLivingTotal: number, rules: NursingGradeRules = WS_T_431_2013): Outcome<NursingGradeResult> {
  const min = Math.min(...rules.grades.map((band) => band.min));
  const max = Math.max(...rules.grades.map((band) => band.max));
  if (typeof dailyLivingTotal !== 'number' || !Number.isInteger(dailyLivingTotal) || dailyLivingTotal < min || dailyLivingTotal > max) {
    return {
      ok: false,
      errors: [{ pointer: '/dailyLivingTotal', reason: `must be an integer from ${min} to ${max}, not ${String(dailyLivingTotal)}` }],
    };
  }
  const band = bandFor(rules.grades, dailyLivingTotal, `${rules.version} grades`);
  return {
    ok: true,
    result: { dependency: band.value, dependencyName: { zh: band.zh, en: band.en }, rulesVersion: rules.version },
  };
}
