import { deepFreeze } from '../deep-freeze.js';
import type { AbilityRules } from './ability-rules.js';

/** Scores 0, 1, …, max: every GB/T 42195 item is scored on a run of integers. */
const upTo = (max: number): number[] => Array.from({ length: max + 1 }, (_, score) => score);

/**
 * GB/T 42195-2022 老年人能力评估规范 (Assessment specifications for older adults), as read in
 * DOMAIN.md §2. Item maxima and level bands must be checked against the standard's appendix
 * before go-live. `effectiveFrom` is the publication date; the standard applies from it.
 */
export const GB_T_42195_2022: AbilityRules = deepFreeze({
  version: 'GB/T 42195-2022',
  effectiveFrom: '2022-12-30',
  title: '老年人能力评估规范',
  dimensions: {
    selfCare: {
      zh: '自理能力',
      en: 'self-care',
      items: [
        { code: 'eating', zh: '进食', allowed: upTo(4) },
        { code: 'grooming', zh: '修饰', allowed: upTo(4) },
        { code: 'bathing', zh: '洗澡', allowed: upTo(4) },
        { code: 'dressingUpper', zh: '穿/脱上衣', allowed: upTo(4) },
        { code: 'dressingLower', zh: '穿/脱裤子和鞋袜', allowed: upTo(4) },
        { code: 'urineControl', zh: '小便控制', allowed: upTo(4) },
        { code: 'bowelControl', zh: '大便控制', allowed: upTo(4) },
        { code: 'toileting', zh: '如厕', allowed: upTo(4) },
      ],
    },
    basicMobility: {
      zh: '基础运动能力',
      en: 'basic mobility',
      items: [
        { code: 'bedPositioning', zh: '床上体位转移', allowed: upTo(4) },
        { code: 'bedChairTransfer', zh: '床椅转移', allowed: upTo(4) },
        { code: 'walkingFlat', zh: '平地行走', allowed: upTo(4) },
        { code: 'stairs', zh: '上下楼梯', allowed: upTo(3) },
      ],
    },
    mentalState: {
      zh: '精神状态',
      en: 'mental state',
      items: [
        { code: 'orientationTime', zh: '时间定向', allowed: upTo(4) },
        { code: 'orientationPlace', zh: '空间定向', allowed: upTo(4) },
        { code: 'orientationPerson', zh: '人物定向', allowed: upTo(4) },
        { code: 'memory', zh: '记忆', allowed: upTo(4) },
        { code: 'understanding', zh: '理解能力', allowed: upTo(4) },
        { code: 'expression', zh: '表达能力', allowed: upTo(4) },
        { code: 'aggression', zh: '攻击行为', allowed: upTo(1) },
        { code: 'depressiveSymptoms', zh: '抑郁症状', allowed: upTo(1) },
        { code: 'consciousness', zh: '意识水平', allowed: upTo(2) },
      ],
    },
    perceptionSocial: {
      zh: '感知觉与社会参与',
      en: 'perception and social participation',
      items: [
        { code: 'vision', zh: '视力', allowed: upTo(2) },
        { code: 'hearing', zh: '听力', allowed: upTo(2) },
        { code: 'dailyAffairs', zh: '执行日常事务', allowed: upTo(4) },
        { code: 'goingOut', zh: '使用交通工具外出', allowed: upTo(3) },
        { code: 'socialInteraction', zh: '社会交往能力', allowed: upTo(4) },
      ],
    },
  },
  levels: [
    { value: 0, min: 90, max: 90, zh: '能力完好', en: 'intact' },
    { value: 1, min: 66, max: 89, zh: '轻度受损', en: 'mild impairment' },
    { value: 2, min: 46, max: 65, zh: '中度受损', en: 'moderate impairment' },
    { value: 3, min: 30, max: 45, zh: '重度受损', en: 'severe impairment' },
    { value: 4, min: 0, max: 29, zh: '完全丧失', en: 'complete loss' },
  ],
  adjustments: {
    comaLevel: 4,
    careRiskEventsThreshold: 2,
    levelsPerCondition: 1,
    // DOMAIN §2 lists the three conditions in one sentence with "or": one raise when any applies.
    maxRaise: 1,
  },
});
