import type { DivisionTable } from '@fbl/codes';
// exceljs (a third of a second to load) is loaded by the first workbook asked for, not at every start.
import type ExcelJS from 'exceljs';
import type { MetricDefinition } from '../../domain/definitions.js';
import { excelFormat, metricTable, type ColumnFormat, type FigureRow } from '../../domain/tables.js';
import { BED_TYPE_WORDS, breakdownWord, BREAKDOWN_WORDS, divisionName, GROUPING_WORDS } from '../../domain/words.js';
import type { Grouping } from '../../domain/periods.js';

/** The media type of an Excel workbook (.xlsx). */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** One metric's figures under each grouping its sheet shows, the total first. */
export interface MetricSheet {
  definition: MetricDefinition;
  groups: { grouping: Grouping; rows: FigureRow[] }[];
}

/** The filter the figures were computed under, as the summary states it. */
export interface WorkbookFilter {
  from: string;
  to: string;
  division?: string;
  bedType?: string;
  providerName?: string;
  asOf: Date;
}

const HEADING = { bold: true } as const;
const HEADING_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F0' } };

/** How wide a text is in Excel's units: a Chinese character takes two. */
const widthOf = (text: string) => [...text].reduce((n, c) => n + (c.charCodeAt(0) <= 0xff ? 1 : 2), 0);

/** An Excel sheet name: at most 31 characters, none of []:*?/\. */
const sheetName = (name: string) => name.replace(/[[\]:*?/\\]/g, '·').slice(0, 31);

/** Write a table from a row on: a heading row in bold on a fill, then the rows with each column's number format. */
function writeTable(sheet: ExcelJS.Worksheet, header: string[], formats: ColumnFormat[], rows: (string | number | null)[][]): void {
  const top = sheet.addRow(header);
  top.font = HEADING;
  top.eachCell((cell) => {
    cell.fill = HEADING_FILL;
  });
  for (const values of rows) {
    const row = sheet.addRow(values);
    formats.forEach((format, i) => {
      const numFmt = excelFormat(format);
      if (numFmt) row.getCell(i + 1).numFmt = numFmt;
    });
  }
}

/** Column widths that fit the longest text of each column (numbers take at most 12). */
function fitColumns(sheet: ExcelJS.Worksheet, fromRow: number): void {
  sheet.columns.forEach((column, i) => {
    let width = 8;
    sheet.eachRow((row, n) => {
      if (n < fromRow) return;
      const value = row.getCell(i + 1).value;
      width = Math.max(width, typeof value === 'string' ? widthOf(value) + 2 : typeof value === 'number' ? 12 : 0);
    });
    column.width = Math.min(width, 60);
  });
}

/** An instant as written in China: 2026-12-05 14:03. */
const chinaMinute = (instant: Date) => new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

/**
 * The whole dashboard as an Excel workbook (exceljs): a summary sheet stating the filter (the
 * period, the division by name, the bed type) with every metric's totals, then one sheet per
 * metric with its figures in total, by month (for metrics over a period), by county and by bed
 * type. Chinese headings, a frozen heading row with a filter, shares as real numbers formatted
 * as percentages, minutes and days with one decimal.
 */
export async function dashboardWorkbook(filter: WorkbookFilter, sheets: readonly MetricSheet[], divisions: DivisionTable): Promise<Buffer> {
  const { Workbook } = (await import('exceljs')).default;
  const book = new Workbook();
  book.creator = '五床联动转诊系统';
  book.created = filter.asOf;

  const summary = book.addWorksheet('汇总');
  summary.addRow(['五床联动转诊闭环监测']).font = { bold: true, size: 14 };
  const facts: [string, string][] = [
    ['统计期间', `${filter.from} 至 ${filter.to}`],
    ['行政区划', divisionName(divisions, filter.division)],
    ['床位类型', filter.bedType ? (BED_TYPE_WORDS[filter.bedType] ?? filter.bedType) : '全部'],
    ...(filter.providerName ? [['机构', filter.providerName] as [string, string]] : []),
    ['数据截至', `${chinaMinute(filter.asOf)}（北京时间）`],
  ];
  for (const [name, value] of facts) summary.addRow([name, value]).getCell(1).font = HEADING;
  summary.addRow([]);
  const headerRow = summary.rowCount + 1;
  const lines: (string | number | null)[][] = [];
  const lineFormats: ColumnFormat[] = [];
  for (const { definition, groups } of sheets) {
    const totals = groups.find((g) => g.grouping === 'total')?.rows ?? [];
    const sub = definition.sub;
    // No row at all: nothing was counted (counts are 0, other figures have no value).
    const rows: FigureRow[] = totals.length > 0 ? totals : sub ? [] : [{ key: 'total', values: {} }];
    if (rows.length === 0) {
      lines.push([definition.label.zh, '（无）', null, null]);
      lineFormats.push('text');
    }
    for (const row of rows) {
      for (const figure of definition.shown) {
        const value = row.values[figure.name] ?? (totals.length === 0 && figure.format === 'count' ? 0 : null);
        lines.push([definition.label.zh, sub ? `${BREAKDOWN_WORDS[sub.name] ?? sub.name}：${breakdownWord(sub.name, row.sub ?? '', divisions)}` : '', figure.label.zh, value]);
        lineFormats.push(figure.format);
      }
    }
  }
  writeTable(summary, ['指标', '细分', '项目', '数值'], ['text', 'text', 'text', 'text'], lines);
  lines.forEach((_, i) => {
    const numFmt = excelFormat(lineFormats[i]!);
    if (numFmt) summary.getRow(headerRow + 1 + i).getCell(4).numFmt = numFmt;
  });
  summary.views = [{ state: 'frozen', ySplit: headerRow }];
  summary.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: 4 } };
  fitColumns(summary, 2);

  for (const { definition, groups } of sheets) {
    const sheet = book.addWorksheet(sheetName(definition.label.zh));
    const rows = groups.flatMap(({ grouping, rows: figures }) => metricTable(definition, figures, grouping, divisions).rows.map((r) => [GROUPING_WORDS[grouping], ...r]));
    const shape = metricTable(definition, [], 'total', divisions);
    writeTable(sheet, ['分组方式', '分组', ...shape.header.slice(1)], ['text', ...shape.formats], rows);
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: shape.header.length + 1 } };
    fitColumns(sheet, 1);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
