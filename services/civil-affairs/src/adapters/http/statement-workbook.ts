import { chinaDivisions } from '@fbl/codes';
// exceljs (a third of a second to load) is loaded by the first workbook asked for, not at every start.
import type ExcelJS from 'exceljs';
import type { IssuedStatement } from '../../application/home-care-hours.js';

/** The media type of an Excel workbook (.xlsx). */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const HEADING_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F0' } };
const HOURS = '0.00';
const YUAN = '#,##0.00';
const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;
const yuan = (fen: number) => fen / 100;
/** A county with its city, as people write it (菏泽市牡丹区, 威海市乳山市); the code when unknown. */
const placeOf = (code: string) => {
  const county = chinaDivisions.get(code);
  const city = chinaDivisions.get(`${code.slice(0, 4)}00`);
  if (!county) return code;
  return city && city.code !== county.code ? `${city.name}${county.name}` : county.name;
};
const widthOf = (text: string) => [...text].reduce((n, c) => n + (c.charCodeAt(0) <= 0xff ? 1 : 2), 0);

/** Who the elders are and what the provider is called, as the caller may see them. */
export interface StatementNames {
  elders: ReadonlyMap<string, string>;
  provider?: string;
}

function heading(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.eachCell((cell) => {
    cell.fill = HEADING_FILL;
  });
}

function fit(sheet: ExcelJS.Worksheet): void {
  sheet.columns.forEach((column) => {
    let width = 8;
    column.eachCell?.({ includeEmpty: false }, (cell) => {
      const v = cell.value;
      width = Math.max(width, typeof v === 'string' ? widthOf(v) + 2 : typeof v === 'number' ? 12 : 8);
    });
    column.width = Math.min(width, 40);
  });
}

/**
 * A provider's monthly statement of government-bought home-care hours as an Excel workbook:
 * 结算单 (one row per elder: 老人, 区县, 应享时长, 实际服务时长, 结算时长, 金额(元), then the hours of
 * each service item) and 服务项目明细 (per elder per item: hours and amount). Hours are minutes ÷ 60
 * to two decimals; amounts in 元. A correction's figures are differences.
 */
export async function statementWorkbook(s: IssuedStatement, names: StatementNames): Promise<Buffer> {
  const { Workbook } = (await import('exceljs')).default;
  const book = new Workbook();
  book.created = new Date(s.issuedAt);
  const sheet = book.addWorksheet('结算单');
  const title = s.correctionOf ? '政府购买居家养老服务结算单（更正）' : '政府购买居家养老服务结算单';
  sheet.addRow([title]).font = { bold: true, size: 14 };
  sheet.addRow(['服务机构', names.provider ?? '（未登记名称的机构）']);
  sheet.addRow(['结算月份', `${s.month.slice(0, 4)}年${Number(s.month.slice(5))}月`]);
  sheet.addRow(['规则版本', s.rulesVersion]);
  sheet.addRow(['单价（元/小时）', yuan(s.rateFen)]).getCell(2).numFmt = YUAN;
  sheet.addRow(['开具时间', new Date(new Date(s.issuedAt).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')]);
  if (s.correctionOf) sheet.addRow(['说明', '本更正单各行为与已开具结算单的差额']);
  sheet.addRow([]);
  const codes = [...new Set(s.lines.flatMap((l) => l.items.map((i) => i.code)))].sort();
  heading(sheet.addRow(['老人', '区县', '应享时长（小时）', '实际服务时长（小时）', '结算时长（小时）', '金额（元）', ...codes.map((c) => `${c}（小时）`)]));
  for (const l of s.lines) {
    const row = sheet.addRow([
      names.elders.get(l.elderRef) ?? '（无权查看姓名）',
      placeOf(l.divisionCode),
      hours(l.entitledMinutes),
      hours(l.deliveredMinutes),
      hours(l.paidMinutes),
      yuan(l.amountFen),
      ...codes.map((c) => hours(l.items.find((i) => i.code === c)?.deliveredMinutes ?? 0)),
    ]);
    [3, 4, 5, ...codes.map((_, i) => 7 + i)].forEach((n) => (row.getCell(n).numFmt = HOURS));
    row.getCell(6).numFmt = YUAN;
  }
  const sum = (f: (l: IssuedStatement['lines'][number]) => number) => s.lines.reduce((n, l) => n + f(l), 0);
  const total = sheet.addRow(['合计', '', hours(sum((l) => l.entitledMinutes)), hours(sum((l) => l.deliveredMinutes)), hours(sum((l) => l.paidMinutes)), yuan(sum((l) => l.amountFen)), ...codes.map((c) => hours(sum((l) => l.items.find((i) => i.code === c)?.deliveredMinutes ?? 0)))]);
  total.font = { bold: true };
  [3, 4, 5, ...codes.map((_, i) => 7 + i)].forEach((n) => (total.getCell(n).numFmt = HOURS));
  total.getCell(6).numFmt = YUAN;
  fit(sheet);

  const items = book.addWorksheet('服务项目明细');
  heading(items.addRow(['老人', '区县', '服务项目', '实际服务时长（小时）', '结算时长（小时）', '金额（元）']));
  for (const l of s.lines) {
    for (const i of l.items) {
      const row = items.addRow([names.elders.get(l.elderRef) ?? '（无权查看姓名）', placeOf(l.divisionCode), i.code, hours(i.deliveredMinutes), hours(i.paidMinutes), yuan(i.amountFen)]);
      row.getCell(4).numFmt = HOURS;
      row.getCell(5).numFmt = HOURS;
      row.getCell(6).numFmt = YUAN;
    }
  }
  fit(items);
  return Buffer.from(await book.xlsx.writeBuffer());
}
