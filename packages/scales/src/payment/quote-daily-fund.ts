import type { FieldError, Outcome } from '../field-error.js';
import { chinaDay, versionInEffect } from '../versions.js';
import type { CareMode, FlatPayment, HospitalLevel, PaymentStandard, SharePayment } from './payment-standard.js';
import { DEFAULT_PAYMENT_STANDARDS } from './default-payment-standards.js';

/** The bed-day to quote. */
export interface DailyFundRequest {
  /** Needed for `medical-special-care`; ignored by the other modes. */
  readonly hospitalLevel?: HospitalLevel;
  /** The day's cost of care in yuan, at most 2 decimals. */
  readonly dailyCost: number;
}

/** What the LTCI fund and the elder pay for one bed-day, in yuan. */
export interface DailyFundQuote {
  readonly fundPays: number;
  readonly elderPays: number;
  /** True when the cap, not the share, set what the fund pays. */
  readonly capApplied: boolean;
  readonly standardVersion: string;
}

/**
 * Quotes one bed-day under the payment standard in effect on `on` (its day in China): the one
 * with the latest `effectiveFrom` not after that day.
 *
 * Share modes: the fund pays `fundSharePercent` of `dailyCost`, rounded half up to the fen, but
 * no more than `capPerDayYuan`; the elder pays the rest. Flat modes (居家自主护理): the fund pays
 * the flat amount whatever the cost, and the elder pays only what the cost exceeds it by.
 *
 * Refuses, by pointer: a date before the first standard (`/on`), a mode the standard does not
 * pay (`/mode`), a missing or wrong hospital level for medical special care (`/hospitalLevel`),
 * and a cost that is negative, not finite or finer than a fen (`/dailyCost`).
 *
 * `on` comes before `standards` (unlike the rules argument of the scales) so that the
 * defaulted argument is last and a call never has to pass `undefined`.
 */
export function quoteDailyFund(
  mode: CareMode,
  request: DailyFundRequest,
  on: Date,
  standards: readonly PaymentStandard[] = DEFAULT_PAYMENT_STANDARDS,
): Outcome<DailyFundQuote> {
  const errors: FieldError[] = [];
  const costFen = toFen(request.dailyCost, errors);
  const standard = standardOn(standards, on, errors);
  const payment = standard === undefined ? undefined : paymentFor(standard, mode, request.hospitalLevel, errors);
  if (errors.length > 0 || costFen === undefined || standard === undefined || payment === undefined) return { ok: false, errors };

  let fundFen: number;
  let capApplied = false;
  switch (payment.kind) {
    case 'share': {
      const shareFen = Math.round((costFen * payment.fundSharePercent) / 100);
      const capFen = Math.round(payment.capPerDayYuan * 100);
      capApplied = shareFen > capFen;
      fundFen = Math.min(shareFen, capFen);
      break;
    }
    case 'flat':
      fundFen = Math.round(payment.perDayYuan * 100);
      break;
    default: {
      const unexpected: never = payment;
      throw new TypeError(`unknown payment kind ${JSON.stringify(unexpected)}`);
    }
  }
  return {
    ok: true,
    result: {
      fundPays: fundFen / 100,
      elderPays: Math.max(0, costFen - fundFen) / 100,
      capApplied,
      standardVersion: standard.version,
    },
  };
}

function toFen(yuan: unknown, errors: FieldError[]): number | undefined {
  if (typeof yuan !== 'number' || !Number.isFinite(yuan) || yuan < 0) {
    errors.push({ pointer: '/dailyCost', reason: `must be an amount in yuan, 0 or more, not ${String(yuan)}` });
    return undefined;
  }
  const fen = Math.round(yuan * 100);
  if (Math.abs(yuan * 100 - fen) > 1e-6) {
    errors.push({ pointer: '/dailyCost', reason: `must be in yuan with at most 2 decimals, not ${yuan}` });
    return undefined;
  }
  return fen;
}

function standardOn(standards: readonly PaymentStandard[], on: Date, errors: FieldError[]): PaymentStandard | undefined {
  if (!(on instanceof Date) || Number.isNaN(on.getTime())) {
    errors.push({ pointer: '/on', reason: 'must be a valid date' });
    return undefined;
  }
  const standard = versionInEffect(standards, on);
  if (standard === undefined) {
    const first = standards.map((s) => s.effectiveFrom).sort()[0];
    const reason =
      first === undefined
        ? 'no payment standard is configured'
        : `no payment standard in effect on ${chinaDay(on)}: the first takes effect on ${first}`;
    errors.push({ pointer: '/on', reason });
  }
  return standard;
}

function paymentFor(
  standard: PaymentStandard,
  mode: CareMode,
  hospitalLevel: HospitalLevel | undefined,
  errors: FieldError[],
): SharePayment | FlatPayment | undefined {
  const payment = Object.hasOwn(standard.modes, mode) ? standard.modes[mode] : undefined;
  if (payment === undefined) {
    errors.push({ pointer: '/mode', reason: `${String(mode)} is not paid under ${standard.version}` });
    return undefined;
  }
  if (payment.kind !== 'by-hospital-level') return payment;
  const level = hospitalLevel !== undefined && Object.hasOwn(payment.levels, hospitalLevel) ? payment.levels[hospitalLevel] : undefined;
  if (level === undefined) {
    const levels = Object.keys(payment.levels).join(', ');
    errors.push({ pointer: '/hospitalLevel', reason: `${mode} needs the hospital level (${levels}), not ${String(hospitalLevel)}` });
  }
  return level;
}
