/**
 * Administrative divisions (行政区划代码, GB/T 2260): six digits, two for the province, two for
 * the prefecture-level city, two for the county-level division. Codes are created, renamed
 * and retired every year, so tables are dated data passed in, never logic.
 */

/** Level of a division, read from its code: XX0000 province, XXYY00 city, anything else county. */
export type DivisionLevel = 'province' | 'city' | 'county';

/** One entry of a division table. Cities are prefecture-level (地级), counties county-level (县级). */
export type Division = {
  readonly code: string;
  readonly name: string;
  readonly level: DivisionLevel;
};

/** A dated table of division codes. */
export interface DivisionTable {
  /** Edition of the table, e.g. '2024-01'. */
  readonly version: string;
  get(code: string): Division | undefined;
  has(code: string): boolean;
  /** The containing division of a known code: county → city (or province if the city is absent), city → province. */
  parentOf(code: string): Division | undefined;
  /** Code of the city of a known county, or the code itself for a city; undefined otherwise. */
  cityOf(code: string): string | undefined;
  /** The counties of a city in the table, by code; empty when none are recorded. */
  countiesOf(cityCode: string): Division[];
  /** The cities of a province in the table, by code; empty when none are recorded. */
  citiesOf(provinceCode: string): Division[];
}

/** Where two places stand relative to each other, smallest shared division first. */
export type DistanceBand = 'same-county' | 'same-city' | 'same-province' | 'elsewhere';

const CODE = /^\d{6}$/;

/** Level implied by a code's shape. */
function levelOfCode(code: string): DivisionLevel {
  if (code.endsWith('0000')) return 'province';
  return code.endsWith('00') ? 'city' : 'county';
}

const provinceCodeOf = (code: string): string => `${code.slice(0, 2)}0000`;
const cityCodeOf = (code: string): string => `${code.slice(0, 4)}00`;

/**
 * Builds a table from one edition of division data.
 * @throws RangeError on an empty version, a code that is not six digits, a duplicate code, or
 * a level that does not match the code's shape.
 */
export function createDivisionTable(version: string, divisions: readonly Division[]): DivisionTable {
  if (version.trim() === '') throw new RangeError('a division table needs a version');
  const byCode = new Map<string, Division>();
  for (const division of divisions) {
    const { code, level } = division;
    if (!CODE.test(code)) throw new RangeError(`division code ${code} is not six digits`);
    if (byCode.has(code)) throw new RangeError(`division code ${code} appears twice in table ${version}`);
    if (levelOfCode(code) !== level) throw new RangeError(`division code ${code} cannot be a ${level}`);
    byCode.set(code, Object.freeze({ ...division }));
  }
  const get = (code: string): Division | undefined => byCode.get(code);
  const cityOf = (code: string): string | undefined => {
    const level = get(code)?.level;
    if (level === 'city') return code;
    return level === 'county' && byCode.has(cityCodeOf(code)) ? cityCodeOf(code) : undefined;
  };
  return Object.freeze({
    version,
    get,
    has: (code: string) => byCode.has(code),
    parentOf(code: string): Division | undefined {
      const division = get(code);
      if (!division || division.level === 'province') return undefined;
      const city = division.level === 'county' ? get(cityCodeOf(code)) : undefined;
      return city ?? get(provinceCodeOf(code));
    },
    cityOf,
    countiesOf(cityCode: string): Division[] {
      if (get(cityCode)?.level !== 'city') return [];
      return [...byCode.values()]
        .filter((d) => d.level === 'county' && cityCodeOf(d.code) === cityCode)
        .sort((a, b) => a.code.localeCompare(b.code));
    },
    citiesOf(provinceCode: string): Division[] {
      if (get(provinceCode)?.level !== 'province') return [];
      return [...byCode.values()]
        .filter((d) => d.level === 'city' && provinceCodeOf(d.code) === provinceCode)
        .sort((a, b) => a.code.localeCompare(b.code));
    },
  });
}

/**
 * How far apart two places are, by their division codes: the same county-level division, the
 * same prefecture-level city, the same province, or elsewhere. The table names the city where
 * it can; otherwise (retired codes in old IDs, other provinces, partial tables) the code's shape
 * does, where XX90YY is a county directly under its province (省直辖县级), in no city.
 * @throws RangeError when either code is not six digits.
 */
export function distanceBand(a: string, b: string, table: DivisionTable): DistanceBand {
  for (const code of [a, b]) if (!CODE.test(code)) throw new RangeError(`division code ${code} is not six digits`);
  if (a === b && levelOfCode(a) === 'county') return 'same-county';
  const cityA = cityKey(a, table);
  if (cityA !== undefined && cityA === cityKey(b, table)) return 'same-city';
  return a.slice(0, 2) === b.slice(0, 2) ? 'same-province' : 'elsewhere';
}

function cityKey(code: string, table: DivisionTable): string | undefined {
  const fromTable = table.cityOf(code);
  if (fromTable !== undefined) return fromTable;
  if (levelOfCode(code) === 'province' || code.slice(2, 4) === '90') return undefined;
  return cityCodeOf(code);
}
