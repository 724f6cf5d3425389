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

/**
 * A code no longer in use. Resident ID numbers keep the code of the place where they were first
 * issued, so old IDs carry retired codes. `until` is when it went: a year or day where the
 * record knows it, else the date of the first edition without it (it went by then).
 */
export type RetiredDivision = Division & {
  readonly until: string;
  /** Where the record comes from (an edition that last held the code, or the hand-kept list). */
  readonly source: string;
  /** The code that took its place, where the record names one. */
  readonly successor?: string;
};

/** The shape of the generated data file (`src/data/gbt2260.generated.ts`). */
export interface GeneratedDivisions {
  /** npm package and version the data was generated from. */
  readonly source: string;
  readonly sourceVersion: string;
  /** What the package's data is, in its own words. */
  readonly sourceData: string;
  /** The day the data stands at. */
  readonly dataDate: string;
  readonly current: readonly (readonly [code: string, name: string])[];
  /** Retired codes: code, name, the edition that last held it, the date of the first edition without it. */
  readonly retired: readonly (readonly [code: string, name: string, lastSeenIn: string, goneBy: string])[];
}

/** A dated table of division codes. */
export interface DivisionTable {
  /** Edition of the table, e.g. '2023-06-30'. */
  readonly version: string;
  /** A division in use (retired codes are not). */
  get(code: string): Division | undefined;
  /** Whether a code is in use. */
  has(code: string): boolean;
  /** A retired code, with when it went. */
  retired(code: string): RetiredDivision | undefined;
  /** Whether a code is in use or was once (what the first six digits of an ID number may be). */
  everExisted(code: string): boolean;
  /** The provinces (and Hong Kong, Macao, Taiwan) in the table, by code. */
  provinces(): Division[];
  /** The containing division of a known code: county → city (or province if the city is absent), city → province. */
  parentOf(code: string): Division | undefined;
  /** Code of the city of a known county, or the code itself for a city; undefined otherwise. */
  cityOf(code: string): string | undefined;
  /** The counties of a city in the table, by code; empty when none are recorded. */
  countiesOf(cityCode: string): Division[];
  /** The cities of a province in the table, by code; empty when none are recorded. */
  citiesOf(provinceCode: string): Division[];
}

/** The deployment's province when none is configured: Shandong (山东省). */
export const DEFAULT_PROVINCE = '37';

/**
 * Whether a division code lies in a province, given by its two-digit prefix ('37'): the
 * province itself, its cities and its counties.
 */
export function inProvince(code: string, province: string): boolean {
  return CODE.test(code) && code.slice(0, 2) === province;
}

/**
 * Why a code cannot be where someone or something is now, or undefined when it can: it must
 * be a division in use (a retired code is named with its end and successor). The reason is
 * English, fit to show as a field error.
 */
export function divisionInUseProblem(code: string, table: DivisionTable): string | undefined {
  if (table.has(code)) return undefined;
  const retired = table.retired(code);
  if (retired) return `${code} (${retired.name}) is a retired administrative division (until ${retired.until}${retired.successor ? `, now ${retired.successor}` : ''})`;
  return `${code} is not a known administrative division (table ${table.version})`;
}

/**
 * Why a code cannot be where an institution works, serves, or a referral starts, in a
 * deployment for one province (its two-digit prefix, e.g. '37'), or undefined when it can: a
 * division in use, in that province.
 */
export function provinceDivisionProblem(code: string, province: string, table: DivisionTable): string | undefined {
  const inUse = divisionInUseProblem(code, table);
  if (inUse !== undefined || inProvince(code, province)) return inUse;
  const home = table.get(`${province}0000`);
  return `${code} (${table.get(code)?.name ?? ''}) is outside the deployment's province ${province}0000${home ? ` (${home.name})` : ''}`;
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
export function createDivisionTable(version: string, divisions: readonly Division[], retiredDivisions: readonly RetiredDivision[] = []): DivisionTable {
  if (version.trim() === '') throw new RangeError('a division table needs a version');
  const byCode = new Map<string, Division>();
  const retiredByCode = new Map<string, RetiredDivision>();
  for (const division of retiredDivisions) {
    const { code, level } = division;
    if (!CODE.test(code)) throw new RangeError(`division code ${code} is not six digits`);
    if (levelOfCode(code) !== level) throw new RangeError(`division code ${code} cannot be a ${level}`);
    // A code retired twice (reused, then retired again) keeps its latest record.
    const had = retiredByCode.get(code);
    if (!had || had.until < division.until) retiredByCode.set(code, Object.freeze({ ...division }));
  }
  for (const division of divisions) {
    const { code, level } = division;
    if (!CODE.test(code)) throw new RangeError(`division code ${code} is not six digits`);
    if (byCode.has(code)) throw new RangeError(`division code ${code} appears twice in table ${version}`);
    if (levelOfCode(code) !== level) throw new RangeError(`division code ${code} cannot be a ${level}`);
    byCode.set(code, Object.freeze({ ...division }));
  }
  const get = (code: string): Division | undefined => byCode.get(code);
  const countiesByCity = new Map<string, Division[]>();
  const citiesByProvince = new Map<string, Division[]>();
  for (const d of [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code))) {
    if (d.level === 'province') continue;
    const [index, parent] = d.level === 'county' ? [countiesByCity, cityCodeOf(d.code)] : [citiesByProvince, provinceCodeOf(d.code)];
    const siblings = index.get(parent);
    if (siblings) siblings.push(d);
    else index.set(parent, [d]);
  }
  const cityOf = (code: string): string | undefined => {
    const level = get(code)?.level;
    if (level === 'city') return code;
    return level === 'county' && byCode.has(cityCodeOf(code)) ? cityCodeOf(code) : undefined;
  };
  return Object.freeze({
    version,
    get,
    has: (code: string) => byCode.has(code),
    // A reused code is in use: its retired record describes an older division.
    retired: (code: string) => (byCode.has(code) ? undefined : retiredByCode.get(code)),
    everExisted: (code: string) => byCode.has(code) || retiredByCode.has(code),
    provinces: () => [...byCode.values()].filter((d) => d.level === 'province').sort((a, b) => a.code.localeCompare(b.code)),
    parentOf(code: string): Division | undefined {
      const division = get(code);
      if (!division || division.level === 'province') return undefined;
      const city = division.level === 'county' ? get(cityCodeOf(code)) : undefined;
      return city ?? get(provinceCodeOf(code));
    },
    cityOf,
    countiesOf(cityCode: string): Division[] {
      if (get(cityCode)?.level !== 'city') return [];
      return [...(countiesByCity.get(cityCode) ?? [])];
    },
    citiesOf(provinceCode: string): Division[] {
      if (get(provinceCode)?.level !== 'province') return [];
      return [...(citiesByProvince.get(provinceCode) ?? [])];
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
