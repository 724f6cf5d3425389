import type { Band } from '../bands.js';
import type { Versioned } from '../versions.js';

/** 自理能力分级 by Barthel index: 无需依赖, 轻度依赖, 中度依赖, 重度依赖. */
export type NursingDependency = 'none' | 'light' | 'moderate' | 'heavy';

/** A version of the Barthel dependency bands used for hospital nursing grades. */
export interface NursingGradeRules extends Versioned {
  readonly title: string;
  /** Bands of the Barthel total; together they span the valid totals. */
  readonly grades: readonly Band<NursingDependency>[];
}
