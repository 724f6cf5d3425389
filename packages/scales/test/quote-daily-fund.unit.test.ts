import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PAYMENT_STANDARDS,
  quoteDailyFund,
  versionInEffect,
  type CareMode,
  type DailyFundRequest,
  type PaymentStandard,
} from '../src/index.js';

const ON = new Date('2025-03-01T12:00:00+08:00');
const quote = (mode: CareMode, request: DailyFundRequest, on = ON, standards?: readonly PaymentStandard[]): unknown =>
  quoteDailyFund(mode, request, on, standards);

/** Two fictional versions, listed out of order: a rise of the institutional cap from 1 July 2025. */
const V2024: PaymentStandard = {
  version: 'test-2024',
  effectiveFrom: '2024-01-01',
  title: 'test',
  modes: { 'institutional-care': { kind: 'share', fundSharePercent: 75, capPerDayYuan: 60 } },
};
const V2025: PaymentStandard = {
  version: 'test-2025-07',
  effectiveFrom: '2025-07-01',
  title: 'test',
  modes: { 'institutional-care': { kind: 'share', fundSharePercent: 80, capPerDayYuan: 70 } },
};
const TWO_VERSIONS = [V2025, V2024];

describe('quoteDailyFund: each care mode of the default standard', () => {
  it.each<[string, number, number, CareMode, DailyFundRequest, boolean]>([
    ['level 1 hospital below the cap', 72, 18, 'medical-special-care', { hospitalLevel: 1, dailyCost: 90 }, false],
    ['level 1 hospital above the cap', 80, 120, 'medical-special-care', { hospitalLevel: 1, dailyCost: 200 }, true],
    ['level 2 hospital below the cap', 90, 30, 'medical-special-care', { hospitalLevel: 2, dailyCost: 120 }, false],
    ['level 2 hospital above the cap', 100, 100, 'medical-special-care', { hospitalLevel: 2, dailyCost: 200 }, true],
    ['level 3 hospital below the cap', 105, 45, 'medical-special-care', { hospitalLevel: 3, dailyCost: 150 }, false],
    ['level 3 hospital above the cap', 120, 80, 'medical-special-care', { hospitalLevel: 3, dailyCost: 200 }, true],
    ['institutional care below the cap', 45, 15, 'institutional-care', { dailyCost: 60 }, false],
    ['institutional care above the cap', 60, 40, 'institutional-care', { dailyCost: 100 }, true],
    ['home visiting care below the cap', 36, 4, 'home-visiting-care', { dailyCost: 40 }, false],
    ['home visiting care above the cap', 45, 55, 'home-visiting-care', { dailyCost: 100 }, true],
    ['home self-care costing more than the flat rate', 30, 20, 'home-self-care', { dailyCost: 50 }, false],
    ['home self-care costing less than the flat rate', 30, 0, 'home-self-care', { dailyCost: 20 }, false],
    ['home self-care with no cost', 30, 0, 'home-self-care', { dailyCost: 0 }, false],
  ])('given %s, when quoted, then the fund pays %d and the elder %d', (_, fundPays, elderPays, mode, request, capApplied) => {
    expect(quote(mode, request)).toEqual({
      ok: true,
      result: { fundPays, elderPays, capApplied, standardVersion: 'shandong-default-2024' },
    });
  });

  it.each<[number, number, number, boolean]>([
    [80, 60, 20, false], // 75 % of 80 is exactly the cap
    [80.01, 60, 20.01, true], // 60.0075 rounds to 60.01, over the cap
    [33.33, 25, 8.33, false], // 24.9975 rounds half up to the fen
    [0.01, 0.01, 0, false], // 0.0075 rounds up to one fen
  ])('given institutional care costing %d, when quoted, then the fund pays %d and the elder %d', (dailyCost, fundPays, elderPays, capApplied) => {
    expect(quote('institutional-care', { dailyCost })).toMatchObject({ ok: true, result: { fundPays, elderPays, capApplied } });
  });

  it('given a hospital level with another mode, when quoted, then the level is ignored', () => {
    expect(quote('institutional-care', { hospitalLevel: 3, dailyCost: 60 })).toMatchObject({ ok: true, result: { fundPays: 45 } });
  });
});

describe('quoteDailyFund: the standard in effect on the date', () => {
  it.each<[string, string, string, number]>([
    ['its first day', '2024-01-01T00:00:00+08:00', 'test-2024', 45],
    ['the last day (China time) before the second', '2025-06-30T15:59:59Z', 'test-2024', 45],
    ['midnight in China starting the second', '2025-06-30T16:00:00Z', 'test-2025-07', 48],
    ['years later', '2031-01-01T00:00:00+08:00', 'test-2025-07', 48],
  ])('given %s, when quoted, then that version applies', (_, on, standardVersion, fundPays) => {
    expect(quote('institutional-care', { dailyCost: 60 }, new Date(on), TWO_VERSIONS)).toMatchObject({
      ok: true,
      result: { fundPays, standardVersion },
    });
  });

  it('given a date before the first version, when quoted, then the date is refused', () => {
    expect(quote('institutional-care', { dailyCost: 60 }, new Date('2023-12-31T23:59:59+08:00'), TWO_VERSIONS)).toEqual({
      ok: false,
      errors: [{ pointer: '/on', reason: 'no payment standard in effect on 2023-12-31: the first takes effect on 2024-01-01' }],
    });
  });

  it('given the default standards and a day in 2023, when quoted, then the date is refused', () => {
    expect(quote('home-self-care', { dailyCost: 30 }, new Date('2023-06-01T12:00:00+08:00'))).toMatchObject({
      ok: false,
      errors: [{ pointer: '/on' }],
    });
    expect(DEFAULT_PAYMENT_STANDARDS.map((standard) => standard.effectiveFrom)).toEqual(['2024-01-01']);
  });

  it('given two versions on the same day, when one is chosen, then the ambiguity is an error', () => {
    expect(() => versionInEffect([V2024, { ...V2025, effectiveFrom: '2024-01-01' }], ON)).toThrow(RangeError);
  });
});

describe('quoteDailyFund: refused input', () => {
  it.each<[string, CareMode, DailyFundRequest, Date, readonly PaymentStandard[] | undefined, { pointer: string; reason: string }]>([
    ['medical special care without a hospital level', 'medical-special-care', { dailyCost: 100 }, ON, undefined,
      { pointer: '/hospitalLevel', reason: 'medical-special-care needs the hospital level (1, 2, 3), not undefined' }],
    ['hospital level 4', 'medical-special-care', { hospitalLevel: 4 as 1, dailyCost: 100 }, ON, undefined,
      { pointer: '/hospitalLevel', reason: 'medical-special-care needs the hospital level (1, 2, 3), not 4' }],
    ['a mode the standard does not pay', 'home-self-care', { dailyCost: 30 }, ON, TWO_VERSIONS,
      { pointer: '/mode', reason: 'home-self-care is not paid under test-2024' }],
    ['an unknown mode', 'toString' as CareMode, { dailyCost: 30 }, ON, undefined,
      { pointer: '/mode', reason: 'toString is not paid under shandong-default-2024' }],
    ['a negative cost', 'institutional-care', { dailyCost: -1 }, ON, undefined,
      { pointer: '/dailyCost', reason: 'must be an amount in yuan, 0 or more, not -1' }],
    ['a cost finer than a fen', 'institutional-care', { dailyCost: 10.005 }, ON, undefined,
      { pointer: '/dailyCost', reason: 'must be in yuan with at most 2 decimals, not 10.005' }],
    ['a cost that is not a number', 'institutional-care', { dailyCost: Number.NaN }, ON, undefined,
      { pointer: '/dailyCost', reason: 'must be an amount in yuan, 0 or more, not NaN' }],
    ['an invalid date', 'institutional-care', { dailyCost: 60 }, new Date('not a date'), undefined,
      { pointer: '/on', reason: 'must be a valid date' }],
    ['no standards at all', 'institutional-care', { dailyCost: 60 }, ON, [],
      { pointer: '/on', reason: 'no payment standard is configured' }],
  ])('given %s, when quoted, then it is refused', (_, mode, request, on, standards, error) => {
    expect(quote(mode, request, on, standards)).toEqual({ ok: false, errors: [error] });
  });

  it('given a bad cost and a bad date, when quoted, then both are named', () => {
    const outcome = quote('institutional-care', { dailyCost: -5 }, new Date('2020-01-01T00:00:00+08:00'));
    expect(outcome).toMatchObject({ ok: false, errors: [{ pointer: '/dailyCost' }, { pointer: '/on' }] });
  });
});
