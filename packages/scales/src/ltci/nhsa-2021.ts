import { deepFreeze } from '../deep-freeze.js';
import type { LtciRules } from './ltci-rules.js';

/**
 * 长期护理失能等级评估标准（试行）, 医保办发〔2021〕37号 (NHSA and Ministry of Civil Affairs),
 * as read in DOMAIN.md §3: 3 indicators, 17 items; the daily-living items under the names the
 * notice prints them with (面部与口腔清洁 where Barthel says 修饰, 用厕 where it says 如厕). `effectiveFrom` is the day NHSA published
 * the notice. Item scores and bands (the cognition cut-offs above all) must be checked against
 * the standard's annex before go-live.
 */
export const NHSA_2021: LtciRules = deepFreeze({
  version: 'NHSA-2021-37',
  effectiveFrom: '2021-08-03',
  title: '长期护理失能等级评估标准（试行）',
  indicators: {
    dailyLiving: {
      zh: '日常生活活动能力',
      en: 'activities of daily living',
      // Barthel index scoring: total 0–100.
      items: [
        { code: 'feeding', zh: '进食', allowed: [0, 5, 10] },
        { code: 'bathing', zh: '洗澡', allowed: [0, 5] },
        { code: 'grooming', zh: '面部与口腔清洁', allowed: [0, 5] },
        { code: 'dressing', zh: '穿衣', allowed: [0, 5, 10] },
        { code: 'bowelControl', zh: '大便控制', allowed: [0, 5, 10] },
        { code: 'bladderControl', zh: '小便控制', allowed: [0, 5, 10] },
        { code: 'toiletUse', zh: '用厕', allowed: [0, 5, 10] },
        { code: 'transfer', zh: '床椅转移', allowed: [0, 5, 10, 15] },
        { code: 'mobility', zh: '平地行走', allowed: [0, 5, 10, 15] },
        { code: 'stairs', zh: '上下楼梯', allowed: [0, 5, 10] },
      ],
      // Totals are multiples of 5, so the gaps (96–99, 61–64, 41–44) are never reached.
      bands: [
        { value: 'intact', min: 100, max: 100, zh: '能力完好', en: 'intact' },
        { value: 'mild', min: 65, max: 95, zh: '轻度受损', en: 'mildly impaired' },
        { value: 'moderate', min: 45, max: 60, zh: '中度受损', en: 'moderately impaired' },
        { value: 'severe', min: 0, max: 40, zh: '重度受损', en: 'severely impaired' },
      ],
    },
    cognition: {
      zh: '认知能力',
      en: 'cognition',
      items: [
        { code: 'timeOrientation', zh: '时间定向', allowed: [0, 1, 2, 3, 4] },
        { code: 'personOrientation', zh: '人物定向', allowed: [0, 1, 2, 3, 4] },
        { code: 'placeOrientation', zh: '空间定向', allowed: [0, 1, 2, 3, 4] },
        { code: 'memory', zh: '记忆力', allowed: [0, 1, 2, 3, 4] },
      ],
      bands: [
        { value: 'intact', min: 16, max: 16, zh: '能力完好', en: 'intact' },
        { value: 'mild', min: 12, max: 15, zh: '轻度受损', en: 'mildly impaired' },
        { value: 'moderate', min: 8, max: 11, zh: '中度受损', en: 'moderately impaired' },
        { value: 'severe', min: 0, max: 7, zh: '重度受损', en: 'severely impaired' },
      ],
    },
    perception: {
      zh: '感知觉与沟通能力',
      en: 'perception and communication',
      items: [
        { code: 'vision', zh: '视力', allowed: [0, 1, 2, 3, 4] },
        { code: 'hearing', zh: '听力', allowed: [0, 1, 2, 3, 4] },
        { code: 'communication', zh: '沟通能力', allowed: [0, 1, 2, 3, 4] },
      ],
      bands: [
        { value: 'intact', min: 12, max: 12, zh: '能力完好', en: 'intact' },
        { value: 'mild', min: 8, max: 11, zh: '轻度受损', en: 'mildly impaired' },
        { value: 'moderate', min: 4, max: 7, zh: '中度受损', en: 'moderately impaired' },
        { value: 'severe', min: 0, max: 3, zh: '重度受损', en: 'severely impaired' },
      ],
    },
  },
  gradeTable: {
    intact: { intact: 0, mild: 0, moderate: 1, severe: 1 },
    mild: { intact: 1, mild: 1, moderate: 1, severe: 2 },
    moderate: { intact: 2, mild: 2, moderate: 2, severe: 3 },
    severe: { intact: 3, mild: 3, moderate: 4, severe: 5 },
  },
  gradeNames: {
    0: { zh: '基本正常', en: 'basically normal' },
    1: { zh: '轻度失能', en: 'mild disability' },
    2: { zh: '中度失能', en: 'moderate disability' },
    3: { zh: '重度失能Ⅰ级', en: 'severe disability I' },
    4: { zh: '重度失能Ⅱ级', en: 'severe disability II' },
    5: { zh: '重度失能Ⅲ级', en: 'severe disability III' },
  },
});
