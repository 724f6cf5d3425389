import type { RetiredDivision } from '../divisions.js';

/*
 * Retired codes kept by hand, as of January 2024: the renamings of Shandong's pilot cities that
 * the first (partial) table of 2024-01 recorded. The packages the table is generated from give
 * no history before their own editions (see `gbt2260.generated.ts` for the codes retired since
 * 2021), so older retirements live here, each with the year it went and the code that took its
 * place. Add to this list from the civil affairs ministry's record of changes
 * (民政部 行政区划变更情况), not from memory.
 */
const retired = (code: string, name: string, until: string, successor: string): RetiredDivision => ({
  code,
  name,
  level: 'county',
  until,
  successor,
  source: 'hand-kept list, 2024-01',
});

export const handKeptRetired: readonly RetiredDivision[] = [
  retired('370882', '兖州市', '2013', '370812'), // became 兖州区
  retired('371081', '文登市', '2014', '371003'), // became 文登区
  retired('371727', '定陶县', '2016', '371703'), // became 定陶区
  retired('371523', '茌平县', '2019', '371503'), // became 茌平区
];
