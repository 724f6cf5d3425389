import type { ScaleItem } from '../answers.js';
import type { Band } from '../bands.js';
import type { Label } from '../field-error.js';
import type { Versioned } from '../versions.js';

/** The three indicators (一级指标) of the LTCI disability assessment. */
export type LtciIndicator = 'dailyLiving' | 'cognition' | 'perception';

/** The band of one indicator: 能力完好, 轻度受损, 中度受损, 重度受损. */
export type LtciBand = 'intact' | 'mild' | 'moderate' | 'severe';

/** 失能等级: 0 基本正常 … 5 重度失能Ⅲ级. */
export type LtciGrade = 0 | 1 | 2 | 3 | 4 | 5;

/** Bands from best to worst: "the worse of two bands" is the later one in this list. */
export const LTCI_BANDS: readonly LtciBand[] = ['intact', 'mild', 'moderate', 'severe'];

/** One indicator: its items (with allowed scores) and the bands of its total. */
export interface LtciIndicatorRules {
  readonly zh: string;
  readonly en: string;
  readonly items: readonly ScaleItem[];
  readonly bands: readonly Band<LtciBand>[];
}

/** A version of the LTCI disability assessment rules, all data. */
export interface LtciRules extends Versioned {
  readonly title: string;
  readonly indicators: Readonly<Record<LtciIndicator, LtciIndicatorRules>>;
  /**
   * The combination table (组合法): row = daily-living band, column = the worse of the
   * cognition and perception bands.
   */
  readonly gradeTable: Readonly<Record<LtciBand, Readonly<Record<LtciBand, LtciGrade>>>>;
  readonly gradeNames: Readonly<Record<LtciGrade, Label>>;
}

/** The indicators in the standard's order. */
export const LTCI_INDICATORS: readonly LtciIndicator[] = ['dailyLiving', 'cognition', 'perception'];

/** Every item of the rules, indicator by indicator. Item codes are unique across indicators. */
export function ltciItems(rules: LtciRules): ScaleItem[] {
  return LTCI_INDICATORS.flatMap((indicator) => rules.indicators[indicator].items);
}
