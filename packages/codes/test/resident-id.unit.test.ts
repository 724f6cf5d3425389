import { describe, expect, it } from 'vitest';
import { ageOn, chinaDivisions, createDivisionTable, maskResidentId, parseResidentId, residentIdCheckChar } from '../src/index.js';

/** 1 June 2025, 00:00 in China. */
const today = new Date('2025-06-01T00:00:00+08:00');
/** A fictional 17-digit base completed with its computed check character. */
const withCheck = (first17: string): string => first17 + residentIdCheckChar(first17);
const reasonFor = (value: string, options = {}): string | undefined => {
  const result = parseResidentId(value, { today, ...options });
  return result.ok ? undefined : result.reason;
};

describe('residentIdCheckChar', () => {
  // The two examples printed in GB 11643-1999, verified independently by hand.
  it.each([
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
  ])('gives the published check character for %s', (first17, check) => {
    expect(residentIdCheckChar(first17)).toBe(check);
  });

  // Oracles written from the standard's text, not from the code: weights per position and the
  // character for each remainder of the weighted sum mod 11.
  const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const FOR_REMAINDER = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

  it.each(FOR_REMAINDER.map((check, remainder) => [remainder, check] as const))('maps remainder %i to %s', (remainder, check) => {
    // Position 8 weighs 1 and position 3 weighs 10, so one digit there makes the sum.
    const first17 = remainder === 10 ? '00100000000000000' : `0000000${remainder}000000000`;
    expect(residentIdCheckChar(first17)).toBe(check);
  });

  it.each(WEIGHTS.map((weight, i) => [i + 1, weight] as const))('weighs position %i by %i', (position, weight) => {
    const first17 = '0'.repeat(position - 1) + '1' + '0'.repeat(17 - position);
    expect(residentIdCheckChar(first17)).toBe(FOR_REMAINDER[weight % 11]);
  });

  it('produces every one of the 11 check characters for some sequence number', () => {
    const seen = new Set<string>();
    for (let seq = 0; seq < 200; seq++) seen.add(residentIdCheckChar(`37172319450315${String(seq).padStart(3, '0')}`));
    expect([...seen].sort().join('')).toBe('0123456789X');
  });

  it.each(['1101051949123100', '110105194912310021', '1101051949123100A'])('rejects a base that is not 17 digits: %s', (bad) => {
    expect(() => residentIdCheckChar(bad)).toThrow(RangeError);
  });
});

describe('parseResidentId accepts valid numbers', () => {
  it.each([
    { value: withCheck('37172319450315001'), divisionCode: '371723', birthDate: '1945-03-15', sex: 'male', kind: 'resident' },
    { value: withCheck('37108319520101002'), divisionCode: '371083', birthDate: '1952-01-01', sex: 'female', kind: 'resident' },
    { value: withCheck('37152419380630003'), divisionCode: '371524', birthDate: '1938-06-30', sex: 'male', kind: 'resident' },
    { value: withCheck('37150319400229004'), divisionCode: '371503', birthDate: '1940-02-29', sex: 'female', kind: 'resident' },
    { value: '11010519491231002X', divisionCode: '110105', birthDate: '1949-12-31', sex: 'female', kind: 'resident' },
    { value: '440524188001010014', divisionCode: '440524', birthDate: '1880-01-01', sex: 'male', kind: 'resident' },
    { value: withCheck('81000019800101001'), divisionCode: '810000', birthDate: '1980-01-01', sex: 'male', kind: 'hk-macao-permit' },
    { value: withCheck('82000019751120002'), divisionCode: '820000', birthDate: '1975-11-20', sex: 'female', kind: 'hk-macao-permit' },
    { value: withCheck('83000019680707005'), divisionCode: '830000', birthDate: '1968-07-07', sex: 'male', kind: 'taiwan-permit' },
  ] as const)('$value: $kind born $birthDate, $sex', (expected) => {
    expect(parseResidentId(expected.value, { today })).toEqual({ ok: true, id: expected });
  });

  it('normalises a lowercase check character x to X', () => {
    const result = parseResidentId('11010519491231002x', { today });
    expect(result).toMatchObject({ ok: true, id: { value: '11010519491231002X' } });
  });

  it('accepts someone born today, judged by the date in China', () => {
    // 16:30 UTC on 31 May is 00:30 on 1 June in China.
    const justAfterMidnightInChina = new Date('2025-05-31T16:30:00Z');
    expect(parseResidentId(withCheck('37172320250601001'), { today: justAfterMidnightInChina }).ok).toBe(true);
  });

  it('checks the division table only when one is passed, and never for permits', () => {
    const unknown = withCheck('37179919500101001'); // no division was ever 371799
    expect(parseResidentId(unknown, { today }).ok).toBe(true);
    expect(reasonFor(unknown, { divisions: chinaDivisions })).toBe(
      `division code 371799 is not a known administrative division in table ${chinaDivisions.version}`,
    );
    expect(parseResidentId(withCheck('37172319450315001'), { today, divisions: chinaDivisions }).ok).toBe(true);
    expect(parseResidentId(withCheck('81000019800101001'), { today, divisions: chinaDivisions }).ok).toBe(true);
  });

  it.each([
    ['371727', '定陶县'], // a district (371703) since 2016, hand-kept
    ['370882', '兖州市'], // 兖州区 (370812) since 2013, hand-kept
    ['371081', '文登市'], // 文登区 (371003) since 2014, hand-kept
    ['371523', '茌平县'], // 茌平区 (371503) since 2019, hand-kept
    ['330103', '下城区'], // merged in 2021, known from the 2021 edition
  ])('accepts an ID of retired code %s (%s) against the table', (code, name) => {
    expect(chinaDivisions.has(code)).toBe(false);
    expect(chinaDivisions.retired(code)?.name).toBe(name);
    expect(parseResidentId(withCheck(`${code}19500101001`), { today, divisions: chinaDivisions })).toMatchObject({ ok: true, id: { divisionCode: code } });
  });

  it('refuses a retired code against a table that does not hold it', () => {
    const currentOnly = createDivisionTable('current only', [{ code: '371703', name: '定陶区', level: 'county' }]);
    expect(reasonFor(withCheck('37172719500101001'), { divisions: currentOnly })).toBe('division code 371727 is not a known administrative division in table current only');
  });
});

describe('parseResidentId rejects invalid numbers with a reason', () => {
  it.each([
    ['', 'must be 18 characters, not 0'],
    ['3717231945031500', 'must be 18 characters, not 16'],
    ['3717231945031500112', 'must be 18 characters, not 19'],
    ['371723450315001', 'must be 18 characters; 15-digit first-generation numbers are not accepted'],
    ['3717A3194503150011', 'character 5 (A) must be a digit'],
    ['371723194503150X11', 'character 16 (X) must be a digit'],
    ['37172319450315 011', 'character 15 ( ) must be a digit'],
    ['37172319450315001Y', 'character 18 (Y) must be a digit or X'],
    [withCheck('99123419450315001'), 'division code 991234 does not start with a province-level code (99 is not one)'],
    [withCheck('16010019450315001'), 'division code 160100 does not start with a province-level code (16 is not one)'],
    [withCheck('00000019450315001'), 'division code 000000 does not start with a province-level code (00 is not one)'],
    [withCheck('81010019800101001'), 'division code 810100 is not valid: Hong Kong, Macao and Taiwan permits use 810000, 820000 or 830000'],
    [withCheck('37172319500230001'), 'birth date 19500230 is not a real date'],
    [withCheck('37172319501301001'), 'birth date 19501301 is not a real date'],
    [withCheck('37172319500100001'), 'birth date 19500100 is not a real date'],
    [withCheck('37172319000229001'), 'birth date 19000229 is not a real date'],
    [withCheck('37172317991231001'), 'birth date 17991231 is before 1800'],
    [withCheck('37172320250602001'), 'birth date 2025-06-02 is in the future'],
    [withCheck('37172330000101001'), 'birth date 3000-01-01 is in the future'],
  ])('%j: %s', (value, reason) => {
    expect(reasonFor(value)).toBe(reason);
  });

  const valid = withCheck('37172319450315001');
  const wrongChecks = [...'0123456789X'].filter((c) => c !== valid.charAt(17));
  it.each(wrongChecks)('check character %s instead of the right one', (wrong) => {
    expect(reasonFor(valid.slice(0, 17) + wrong)).toBe(`check character should be ${valid.charAt(17)}, not ${wrong}`);
  });

  it('rejects a published example with a changed check character', () => {
    expect(reasonFor('110105194912310021')).toBe('check character should be X, not 1');
  });
});

describe('maskResidentId', () => {
  it.each([
    ['37170219500101123X', '371702********123X'],
    ['37170219500101123x', '371702********123X'],
    ['440524188001010014', '440524********0014'],
    ['371702500101123', '***************'],
    ['', ''],
  ])('%j → %j', (value, masked) => {
    expect(maskResidentId(value)).toBe(masked);
  });
});

describe('ageOn', () => {
  it.each([
    ['1945-03-15', '2025-03-14', 79],
    ['1945-03-15', '2025-03-15', 80],
    ['1945-03-15', '2025-12-31', 80],
    ['1940-02-29', '2025-02-28', 84],
    ['1940-02-29', '2025-03-01', 85],
    ['1940-02-29', '2024-02-29', 84],
    ['2025-06-01', '2025-06-01', 0],
  ])('born %s, on %s: %i', (birthDate, day, age) => {
    expect(ageOn(birthDate, new Date(`${day}T12:00:00+08:00`))).toBe(age);
  });

  it('takes the day in China, not in UTC', () => {
    // 20:00 UTC on 14 March is already 15 March in China: the birthday.
    expect(ageOn('1945-03-15', new Date('2025-03-14T20:00:00Z'))).toBe(80);
  });

  it.each(['1950-02-30', '19500101', '1950-1-1', '2025-06-02'])('throws for birth date %s', (birthDate) => {
    expect(() => ageOn(birthDate, today)).toThrow(RangeError);
  });
});
