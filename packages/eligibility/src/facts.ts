/**
 * What is known about an elder at matching time.
 *
 * Every field is optional on purpose: an absent field means "not known", never "no".
 * A rule that needs an absent fact answers `unknown` and names the fact as missing,
 * so a discharge planner knows what to collect rather than seeing a bed type refused.
 */

import { HOME_SICK_BED_CONDITIONS } from '@fbl/contracts/packet-codes';

/** Qualifying conditions for a home sick bed (家庭病床): one list, kept with the referral packet's codes. */
export { HOME_SICK_BED_CONDITIONS };

/** One qualifying condition for a home sick bed. */
export type HomeSickBedCondition = (typeof HOME_SICK_BED_CONDITIONS)[number];

/**
 * Hardship statuses: 特困 extreme poverty, 低保 low income, 低保边缘 low-income edge,
 * 计划生育特殊家庭 family-planning special family, 重点优抚 key entitled groups, severe disability.
 */
export const HARDSHIP_STATUSES = [
  'extreme-poverty',
  'low-income',
  'low-income-edge',
  'family-planning-special',
  'key-entitled',
  'severe-disability',
] as const;

/** One hardship status. */
export type HardshipStatus = (typeof HARDSHIP_STATUSES)[number];

/** Who made the informed choice for hospice care. */
export type InformedChoiceBy = 'elder' | 'legal-representative';

/** What is known about the elder; see the module comment: absent ≠ false. */
export interface ElderFacts {
  /** 老年人能力评估 level 0 (intact) – 4 (complete loss), GB/T 42195-2022. */
  readonly abilityLevel?: number;
  /** ISO date (YYYY-MM-DD) of the ability assessment that gave `abilityLevel`. */
  readonly abilityAssessedOn?: string;
  /** 失能等级 LTCI disability grade 0–5 (NHSA 2021 standard). */
  readonly ltciGrade?: number;
  /** Diagnosed dementia (ICD-10 F00–F03). */
  readonly dementiaDiagnosis?: boolean;
  /** Condition stable (home sick bed). */
  readonly stableCondition?: boolean;
  /** Diagnosis is clear (home sick bed). */
  readonly clearDiagnosis?: boolean;
  /** Bed-bound, or cannot reach a clinic (home sick bed). */
  readonly bedBoundOrCannotReachClinic?: boolean;
  /** Home sick bed conditions present; an empty array means "known: none". */
  readonly homeSickBedConditions?: readonly HomeSickBedCondition[];
  /** 医保备案: the home sick bed insurance filing has been made. */
  readonly insuranceFiled?: boolean;
  /** Terminal illness (hospice). */
  readonly terminalIllness?: boolean;
  /** Expected survival in months (hospice). */
  readonly prognosisMonths?: number;
  /** Karnofsky performance status 0–100. */
  readonly kps?: number;
  /** ECOG performance status 0–5. */
  readonly ecog?: number;
  /** Who made the informed choice for hospice care; absent when nobody has yet. */
  readonly informedChoice?: InformedChoiceBy;
  /** Advance care planning status has been recorded. */
  readonly advanceCarePlanRecorded?: boolean;
  /** 行政区划代码 of the home address, 6 digits (GB/T 2260). */
  readonly homeDivisionCode?: string;
  /** Hardship statuses; an empty array means "known: none". */
  readonly hardship?: readonly HardshipStatus[];
  /** Medical needs (free text codes); an empty array means "known: none". */
  readonly medicalNeeds?: readonly string[];
  /** The elder wants the bed funded by long-term care insurance (长护险). */
  readonly wantsLtciFunding?: boolean;
}

/** Names of the facts that hold a boolean. */
export type BooleanFact = {
  [K in keyof ElderFacts]-?: NonNullable<ElderFacts[K]> extends boolean ? K : never;
}[keyof ElderFacts];

/** Names of the facts that hold a number. */
export type NumericFact = {
  [K in keyof ElderFacts]-?: NonNullable<ElderFacts[K]> extends number ? K : never;
}[keyof ElderFacts];
