import { createDivisionTable, type Division, type DivisionLevel, type DivisionTable, type RetiredDivision } from '../divisions.js';
import { gbt2260 } from './gbt2260.generated.js';
import { handKeptRetired } from './retired-hand-kept.js';

const levelOf = (code: string): DivisionLevel => (code.endsWith('0000') ? 'province' : code.endsWith('00') ? 'city' : 'county');

const current: Division[] = gbt2260.current.map(([code, name]) => ({ code, name, level: levelOf(code) }));
const fromEditions: RetiredDivision[] = gbt2260.retired.map(([code, name, lastSeenIn, goneBy]) => ({ code, name, level: levelOf(code), until: goneBy, source: `last in ${lastSeenIn}` }));
const handKeptCodes = new Set(handKeptRetired.map((d) => d.code));

/**
 * 中华人民共和国行政区划代码: every province, prefecture-level city and county-level division of
 * GB/T 2260 in use, generated from the npm package named in `gbt2260.generated.ts` (its version
 * is the table's, its data date the edition's), with the retired codes that package's editions
 * and the hand-kept list know. Refresh with `pnpm --filter @fbl/codes divisions:refresh`.
 */
export const chinaDivisions: DivisionTable = createDivisionTable(gbt2260.dataDate, current, [
  ...handKeptRetired,
  ...fromEditions.filter((d) => !handKeptCodes.has(d.code)),
]);

/** Where the table comes from. */
export const chinaDivisionsSource = Object.freeze({
  package: gbt2260.source,
  version: gbt2260.sourceVersion,
  data: gbt2260.sourceData,
  dataDate: gbt2260.dataDate,
});
