import { deepFreeze } from '../deep-freeze.js';
import type { NursingGradeRules } from './nursing-grade-rules.js';

/**
 * Dependency bands of WS/T 431 护理分级 (hospital nursing grades) on the Barthel index, as read
 * in DOMAIN.md §3: 100 none, 61–99 light, 41–60 moderate, ≤ 40 heavy. Verify the edition in
 * force (WS/T 431-2013 or its revision) before go-live.
 */
export const WS_T_431_2013: NursingGradeRules = deepFreeze({
  version: 'WS/T 431-2013',
  effectiveFrom: '2014-05-01',
  title: '护理分级',
  grades: [
    { value: 'none', min: 100, max: 100, zh: '无需依赖', en: 'no dependency' },
    { value: 'light', min: 61, max: 99, zh: '轻度依赖', en: 'light dependency' },
    { value: 'moderate', min: 41, max: 60, zh: '中度依赖', en: 'moderate dependency' },
    { value: 'heavy', min: 0, max: 40, zh: '重度依赖', en: 'heavy dependency' },
  ],
});
