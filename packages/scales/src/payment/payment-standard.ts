import type { Versioned } from '../versions.js';

/** LTCI care modes (护理服务形式). */
export type CareMode = 'medical-special-care' | 'institutional-care' | 'home-visiting-care' | 'home-self-care';

/** Hospital level (医院等级) for medical special care: 一级, 二级, 三级. */
export type HospitalLevel = 1 | 2 | 3;

/** The fund pays a share of the day's cost, up to a cap. */
export interface SharePayment {
  readonly kind: 'share';
  /** Per cent of the daily cost the fund pays, e.g. 75. */
  readonly fundSharePercent: number;
  /** Most the fund pays per bed-day, in yuan. */
  readonly capPerDayYuan: number;
}

/** The fund pays a flat amount per day (居家自主护理: an allowance, whatever the cost). */
export interface FlatPayment {
  readonly kind: 'flat';
  readonly perDayYuan: number;
}

/** Share and cap depend on the hospital's level (医疗专护). */
export interface ByHospitalLevelPayment {
  readonly kind: 'by-hospital-level';
  readonly levels: Readonly<Record<HospitalLevel, SharePayment>>;
}

export type CareModePayment = SharePayment | FlatPayment | ByHospitalLevelPayment;

/** A version of a city's LTCI payment standard; a mode it leaves out is not paid under it. */
export interface PaymentStandard extends Versioned {
  readonly title: string;
  readonly modes: Readonly<Partial<Record<CareMode, CareModePayment>>>;
}
