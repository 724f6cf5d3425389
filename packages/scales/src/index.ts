/**
 * The assessment scales of the five-bed linkage as pure functions over versioned, dated rules
 * that are data: the ability assessment (GB/T 42195-2022), the LTCI disability grade (NHSA
 * 2021), the hospital nursing dependency grade (Barthel), and LTCI daily payment standards.
 */
export type { Answers, ScaleItem } from './answers.js';
export type { Band } from './bands.js';
export type { FieldError, Label, Outcome } from './field-error.js';
export { chinaDay, versionInEffect, type Versioned } from './versions.js';
export {
  ABILITY_DIMENSIONS,
  abilityItems,
  type AbilityAdjustmentRules,
  type AbilityDimension,
  type AbilityDimensionRules,
  type AbilityItem,
  type AbilityLevel,
  type AbilityRules,
  type ScoreWording,
} from './ability/ability-rules.js';
export { GB_T_42195_2022 } from './ability/gb-t-42195-2022.js';
export {
  scoreAbility,
  type AbilityAdjustmentCode,
  type AbilityAdjustments,
  type AbilityResult,
} from './ability/score-ability.js';
export {
  LTCI_BANDS,
  LTCI_INDICATORS,
  ltciItems,
  type LtciBand,
  type LtciGrade,
  type LtciIndicator,
  type LtciIndicatorRules,
  type LtciRules,
} from './ltci/ltci-rules.js';
export { NHSA_2021 } from './ltci/nhsa-2021.js';
export { gradeLtci, type LtciIndicatorScore, type LtciResult } from './ltci/grade-ltci.js';
export type { NursingDependency, NursingGradeRules } from './nursing/nursing-grade-rules.js';
export { WS_T_431_2013 } from './nursing/ws-t-431-2013.js';
export { nursingGrade, type NursingGradeResult } from './nursing/nursing-grade.js';
export type {
  ByHospitalLevelPayment,
  CareMode,
  CareModePayment,
  FlatPayment,
  HospitalLevel,
  PaymentStandard,
  SharePayment,
} from './payment/payment-standard.js';
export { DEFAULT_PAYMENT_STANDARDS } from './payment/default-payment-standards.js';
export { quoteDailyFund, type DailyFundQuote, type DailyFundRequest } from './payment/quote-daily-fund.js';
