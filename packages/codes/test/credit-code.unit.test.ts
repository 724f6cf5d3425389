import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, parseCreditCode } from '../src/index.js';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** The example printed in GB 32100-2015. */
const STANDARD_EXAMPLE = '91350100M000100Y43';
/** A fictional 17-character base completed with its computed check character. */
const withCheck = (first17: string): string => first17 + creditCodeCheckChar(first17);
const reasonFor = (value: string, options = {}): string | undefined => {
  const result = parseCreditCode(value, options);
  return result.ok ? undefined : result.reason;
};
const override = { allowChecksumOverride: { reason: 'issued 2016 before the check was enforced; licence seen' } };

describe('creditCodeCheckChar', () => {
  it.each([
    ['91350100M000100Y4', '3'], // GB 32100-2015 example
    ['52371083MJD000006', '0'], // Σ mod 31 = 0: 31 is written 0
    ['52371083MJD000025', 'Y'], // Σ mod 31 = 1: 30, the last character
    ['52371083MJD000015', 'X'],
  ])('%s → %s', (first17, check) => {
    expect(creditCodeCheckChar(first17)).toBe(check);
  });

  // Oracle from the standard's text: weights 3^i mod 31 as printed, check = 31 − Σ mod 31.
  const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  it.each(WEIGHTS.map((weight, i) => [i + 1, weight] as const))('weighs position %i by %i', (position, weight) => {
    const first17 = '0'.repeat(position - 1) + '1' + '0'.repeat(17 - position);
    expect(creditCodeCheckChar(first17)).toBe(ALPHABET.charAt(31 - weight));
  });

  it('gives each character its index in the alphabet as its value', () => {
    for (const [value, c] of [...ALPHABET].entries()) {
      const check = creditCodeCheckChar(`${c}${'0'.repeat(16)}`); // position 1 weighs 1
      expect(check, c).toBe(ALPHABET.charAt((31 - value) % 31));
    }
  });

  it.each(['91350100M000100Y', '91350100M000100Y43', '91350100I000100Y4', '91350100m000100Y4'])(
    'rejects a base that is not 17 alphabet characters: %s',
    (bad) => {
      expect(() => creditCodeCheckChar(bad)).toThrow(RangeError);
    },
  );
});

describe('parseCreditCode accepts valid codes', () => {
  it.each([
    [STANDARD_EXAMPLE, '350100'],
    [withCheck('12371700MB1234567'), '371700'], // 机构编制 / 事业单位 in 菏泽
    [withCheck('52371083MJD000001'), '371083'], // 民政 / 民办非企业单位 in 乳山
    [withCheck('91371723MA3C0000A'), '371723'], // 工商 / 企业 in 成武
    ['52371083MJD0000060', '371083'],
    ['52371083MJD000025Y', '371083'],
  ])('%s (division %s)', (value, divisionCode) => {
    expect(parseCreditCode(value)).toEqual({ ok: true, code: { value, divisionCode, checksumOverridden: false } });
  });

  it('accepts lowercase letters and normalises them to uppercase', () => {
    expect(parseCreditCode('91350100m000100y43')).toMatchObject({ ok: true, code: { value: STANDARD_EXAMPLE } });
  });
});

describe('parseCreditCode rejects invalid codes with a reason', () => {
  it.each([
    ['', 'must be 18 characters, not 0'],
    ['91350100M000100Y4', 'must be 18 characters, not 17'],
    ['91350100M000100Y433', 'must be 18 characters, not 19'],
    ['9135I100M000100Y43', 'character 5 (I) is not allowed'],
    ['91350100O000100Y43', 'character 9 (O) is not allowed'],
    ['91350100M000100Z43', 'character 16 (Z) is not allowed'],
    ['S1350100M000100Y43', 'character 1 (S) is not allowed'],
    ['91350100M000100Y4V', 'character 18 (V) is not allowed'],
    ['91350100M000100Y4i', 'character 18 (i) is not allowed'],
    ['91350100M-00100Y43', 'character 10 (-) is not allowed'],
    ['91350100M 00100Y43', 'character 10 ( ) is not allowed'],
    ['913501００M000100Y43', 'character 7 (０) is not allowed'],
    ['91A50100M000100Y43', 'characters 3–8 are a division code and must be digits, not A50100'],
  ])('%j: %s', (value, reason) => {
    expect(reasonFor(value)).toBe(reason);
  });

  const wrongChecks = [...ALPHABET].filter((c) => c !== '3');
  it.each(wrongChecks)('check character %s instead of 3', (wrong) => {
    expect(reasonFor(STANDARD_EXAMPLE.slice(0, 17) + wrong)).toBe(`check character should be 3, not ${wrong}`);
  });

  it('names the right check character for a changed organisation code', () => {
    expect(reasonFor('91350100M000100Y53')).toBe(`check character should be ${creditCodeCheckChar('91350100M000100Y5')}, not 3`);
  });
});

describe('parseCreditCode checksum override', () => {
  const failingCheck = '91350100M000100Y45';

  it('accepts a code failing only its check character, recording the trimmed reason', () => {
    const result = parseCreditCode(failingCheck, { allowChecksumOverride: { reason: '  early code, licence seen  ' } });
    expect(result).toEqual({
      ok: true,
      code: { value: failingCheck, divisionCode: '350100', checksumOverridden: true, overrideReason: 'early code, licence seen' },
    });
  });

  it.each(['', '   ', 'abc', ' ab '])('refuses an override whose reason is %j', (reason) => {
    expect(reasonFor(failingCheck, { allowChecksumOverride: { reason } })).toBe(
      'check character should be 3, not 5, and a checksum override needs a reason of at least 4 characters',
    );
  });

  it.each([
    ['9135I100M000100Y45', 'character 5 (I) is not allowed'],
    ['91350100M000100Y4', 'must be 18 characters, not 17'],
    ['91A50100M000100Y45', 'characters 3–8 are a division code and must be digits, not A50100'],
  ])('never overrides a format error: %s', (value, reason) => {
    expect(reasonFor(value, override)).toBe(reason);
  });

  it('leaves a valid code unmarked even when an override is offered', () => {
    expect(parseCreditCode(STANDARD_EXAMPLE, override)).toEqual({
      ok: true,
      code: { value: STANDARD_EXAMPLE, divisionCode: '350100', checksumOverridden: false },
    });
  });
});
