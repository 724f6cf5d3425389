import { describe, expect, it } from 'vitest';
import { createDivisionTable, distanceBand, shandongDivisions, type Division } from '../src/index.js';

const codesOf = (divisions: Division[]): string[] => divisions.map((d) => d.code);

describe('shandongDivisions', () => {
  it('is the 2024-01 edition', () => {
    expect(shandongDivisions.version).toBe('2024-01');
  });

  it('holds the province and its 16 prefecture-level cities', () => {
    expect(shandongDivisions.get('370000')).toEqual({ code: '370000', name: '山东省', level: 'province' });
    const cities = [
      ['370100', '济南市'], ['370200', '青岛市'], ['370300', '淄博市'], ['370400', '枣庄市'],
      ['370500', '东营市'], ['370600', '烟台市'], ['370700', '潍坊市'], ['370800', '济宁市'],
      ['370900', '泰安市'], ['371000', '威海市'], ['371100', '日照市'], ['371300', '临沂市'],
      ['371400', '德州市'], ['371500', '聊城市'], ['371600', '滨州市'], ['371700', '菏泽市'],
    ] as const;
    for (const [code, name] of cities) {
      expect(shandongDivisions.get(code), code).toEqual({ code, name, level: 'city' });
      expect(shandongDivisions.parentOf(code)?.code, code).toBe('370000');
    }
  });

  it.each([
    ['370800', ['370811', '370812', '370826', '370827', '370828', '370829', '370830', '370831', '370832', '370881', '370883']],
    ['371000', ['371002', '371003', '371082', '371083']],
    ['371500', ['371502', '371503', '371521', '371522', '371524', '371525', '371526', '371581']],
    ['371700', ['371702', '371703', '371721', '371722', '371723', '371724', '371725', '371726', '371728']],
  ])('lists the counties of city %s', (cityCode, counties) => {
    expect(codesOf(shandongDivisions.countiesOf(cityCode))).toEqual(counties);
  });

  it.each([
    ['371723', '成武县', '371700'],
    ['371083', '乳山市', '371000'],
    ['371524', '东阿县', '371500'],
    ['371503', '茌平区', '371500'],
    ['370881', '曲阜市', '370800'],
  ])('knows %s %s in city %s', (code, name, cityCode) => {
    expect(shandongDivisions.get(code)).toEqual({ code, name, level: 'county' });
    expect(shandongDivisions.has(code)).toBe(true);
    expect(shandongDivisions.cityOf(code)).toBe(cityCode);
    expect(shandongDivisions.parentOf(code)?.code).toBe(cityCode);
  });

  it.each(['371727', '371523', '370882', '999999', '37172', ''])('does not hold %j (retired or not a code)', (code) => {
    expect(shandongDivisions.has(code)).toBe(false);
    expect(shandongDivisions.get(code)).toBeUndefined();
    expect(shandongDivisions.parentOf(code)).toBeUndefined();
    expect(shandongDivisions.cityOf(code)).toBeUndefined();
  });

  it('lists the province\'s cities by code', () => {
    const cities = shandongDivisions.citiesOf('370000');
    expect(cities).toHaveLength(16);
    expect(cities[0]).toMatchObject({ code: '370100', name: '济南市' });
    expect(codesOf(cities)).not.toContain('371200');
  });

  it('answers for the province and for cities without recorded counties', () => {
    expect(shandongDivisions.parentOf('370000')).toBeUndefined();
    expect(shandongDivisions.cityOf('370000')).toBeUndefined();
    expect(shandongDivisions.cityOf('371700')).toBe('371700');
    expect(shandongDivisions.countiesOf('370100')).toEqual([]);
    expect(shandongDivisions.citiesOf('371700')).toEqual([]);
    expect(shandongDivisions.countiesOf('371723')).toEqual([]);
    expect(shandongDivisions.countiesOf('370000')).toEqual([]);
  });
});

describe('createDivisionTable', () => {
  it('puts a county directly under its province when it has no city (省直辖县级)', () => {
    const henan = createDivisionTable('test', [
      { code: '410000', name: '河南省', level: 'province' },
      { code: '419001', name: '济源市', level: 'county' },
    ]);
    expect(henan.parentOf('419001')?.code).toBe('410000');
    expect(henan.cityOf('419001')).toBeUndefined();
  });

  it.each([
    ['', [], 'a division table needs a version'],
    ['t', [{ code: '37170', name: 'x', level: 'city' }], 'division code 37170 is not six digits'],
    ['t', [{ code: '37A700', name: 'x', level: 'city' }], 'division code 37A700 is not six digits'],
    ['t', [{ code: '371700', name: 'x', level: 'city' }, { code: '371700', name: 'y', level: 'city' }], 'division code 371700 appears twice in table t'],
    ['t', [{ code: '371700', name: 'x', level: 'county' }], 'division code 371700 cannot be a county'],
    ['t', [{ code: '371723', name: 'x', level: 'city' }], 'division code 371723 cannot be a city'],
    ['t', [{ code: '370000', name: 'x', level: 'city' }], 'division code 370000 cannot be a city'],
  ] as const)('rejects version %j with %j', (version, divisions, message) => {
    expect(() => createDivisionTable(version, divisions)).toThrow(message);
  });
});

describe('distanceBand', () => {
  it.each([
    ['371723', '371723', 'same-county'],
    ['371723', '371721', 'same-city'],
    ['371723', '371700', 'same-city'],
    ['371700', '371700', 'same-city'],
    ['371723', '371083', 'same-province'],
    ['371723', '370000', 'same-province'],
    ['370000', '370000', 'same-province'],
    ['371723', '110105', 'elsewhere'],
    ['810000', '371723', 'elsewhere'],
    // Codes outside the table fall back on their shape:
    ['371727', '371723', 'same-city'], // retired 定陶县 vs 成武县
    ['370882', '370812', 'same-city'], // retired 兖州市 vs 兖州区
    ['110105', '110108', 'same-city'],
    ['429004', '429005', 'same-province'], // counties directly under Hubei, in no city
    ['429004', '429004', 'same-county'],
  ])('%s and %s: %s', (a, b, band) => {
    expect(distanceBand(a, b, shandongDivisions)).toBe(band);
    expect(distanceBand(b, a, shandongDivisions)).toBe(band);
  });

  it.each([['37172', '371723'], ['371723', 'abcdef']])('throws for %s / %s', (a, b) => {
    expect(() => distanceBand(a, b, shandongDivisions)).toThrow(RangeError);
  });
});
