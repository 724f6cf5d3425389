import { openDatabase, type Database } from '@fbl/db';
import { InProcessBus } from '@fbl/messaging';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS } from '../src/index.js';
import { drillableCounts } from '../src/domain/definitions.js';
import { eventsOf, generateHistory } from './support/history.js';
import { ADMIN, quietLogger, recordsOf, startMonitoring } from './support/harness.js';

interface Row {
  key: string;
  keyLabel?: string;
  sub?: string;
  values: Record<string, number | null>;
}
interface Metric {
  metric: string;
  rows: Row[];
}
interface Drilled {
  referralId: string;
  reference: string | null;
  stage: string;
  since: string | null;
  bedType: string | null;
  originInstitutionName: string | null;
}

/** The value of a cell as the workbook holds it (a formula's result, else the value). */
const cellValue = (cell: ExcelJS.Cell) => cell.value;
const rowValues = (sheet: ExcelJS.Worksheet, n: number) => (sheet.getRow(n).values as unknown[]).slice(1);

/**
 * The commission's exports and drill-down over a generated history (PGlite): the workbook opened
 * with exceljs holds the dashboard API's figures, the CSV reads in Chinese with percentages, and
 * the referrals behind every count are as many as the count, paged on the server.
 */
describe('monitoring exports and drill-down (PGlite)', () => {
  const history = generateHistory(4242, 140);
  let database: Database;
  let monitoring: Awaited<ReturnType<typeof startMonitoring>>;
  const clock = () => new Date(history.asOf);
  const analyst = { userId: 'analyst-heze', role: 'analyst', divisionCode: '371700' } as const;
  const period = 'from=2026-08-01&to=2026-12-31';
  const json = async <T,>(url: string, who = ADMIN as typeof ADMIN | typeof analyst): Promise<T> => {
    const r = await monitoring.get(url, who);
    expect(r.statusCode, `${url}: ${r.body}`).toBe(200);
    return r.json() as T;
  };

  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory' });
    const bus = new InProcessBus(quietLogger());
    monitoring = await startMonitoring(database, bus, clock);
    await bus.publish(recordsOf(eventsOf(history), 1_000_000));
  }, 120_000);
  afterAll(async () => {
    await monitoring?.stop();
    await database?.close();
  });

  it('gives the analyst the whole dashboard as a workbook: a summary of the filter and every figure, then one sheet per metric by month, county and bed type, each equal to the API', async () => {
    const response = await monitoring.get(`/api/monitoring/dashboard.xlsx?${period}`, analyst);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const disposition = String(response.headers['content-disposition']);
    expect(disposition).toContain('filename="dashboard_2026-08-01_2026-12-31.xlsx"');
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(disposition)![1]!)).toBe('闭环监测_菏泽市_2026-08-01_2026-12-31.xlsx');

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['汇总', ...METRICS.map((m) => m.label.zh)]);

    // The summary states the filter in words, then every figure of the dashboard.
    const summary = book.getWorksheet('汇总')!;
    expect(rowValues(summary, 2)).toEqual(['统计期间', '2026-08-01 至 2026-12-31']);
    expect(rowValues(summary, 3)).toEqual(['行政区划', '菏泽市']);
    expect(rowValues(summary, 4)).toEqual(['床位类型', '全部']);
    const board = await json<{ metrics: Metric[] }>(`/api/monitoring/dashboard?${period}`, analyst);
    let header = 0;
    summary.eachRow((row, n) => {
      if (row.getCell(1).value === '指标') header = n;
    });
    expect(rowValues(summary, header)).toEqual(['指标', '细分', '项目', '数值']);
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: header });
    const lines: { metric: string; figure: string; cell: ExcelJS.Cell }[] = [];
    for (let n = header + 1; n <= summary.rowCount; n++) lines.push({ metric: String(summary.getRow(n).getCell(1).value), figure: String(summary.getRow(n).getCell(3).value), cell: summary.getRow(n).getCell(4) });
    let rates = 0;
    for (const definition of METRICS) {
      const figures = board.metrics.find((m) => m.metric === definition.key)!;
      const mine = lines.filter((l) => l.metric === definition.label.zh);
      const want = figures.rows.flatMap((r) => definition.shown.map((f) => ({ figure: f.label.zh, value: r.values[f.name] ?? null, format: f.format })));
      if (figures.rows.length === 0) continue;
      expect(mine.map((l) => l.figure), definition.key).toEqual(want.map((w) => w.figure));
      want.forEach((w, i) => {
        const cell = mine[i]!.cell;
        expect(cellValue(cell) ?? null, `${definition.key} ${w.figure}`).toEqual(w.value);
        if (w.format === 'rate') {
          expect(cell.numFmt).toBe('0.0%');
          if (w.value !== null) rates++;
        }
      });
    }
    expect(rates).toBeGreaterThan(3);

    // Each metric's sheet: a frozen row of Chinese headings, then the total, months, counties and bed types as the API groups them.
    for (const definition of METRICS) {
      const sheet = book.getWorksheet(definition.label.zh)!;
      const heading = rowValues(sheet, 1) as string[];
      expect(heading.slice(0, 2)).toEqual(['分组方式', '分组']);
      expect(heading.slice(-definition.shown.length)).toEqual(definition.shown.map((f) => f.label.zh));
      expect(heading.join('')).not.toMatch(/[A-Za-z]{2,}/);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(8);
      const first = 2 + ('sub' in definition ? 1 : 0);
      const body = [];
      for (let n = 2; n <= sheet.rowCount; n++) body.push(sheet.getRow(n));
      for (const [grouping, word] of [['month', '按月'], ['county', '按区县'], ['bedType', '按床位类型']] as const) {
        if (grouping === 'month' && definition.time === null) continue;
        const api = await json<Metric>(`/api/monitoring/metrics/${definition.key}?${period}&groupBy=${grouping}`, analyst);
        const rows = body.filter((r) => r.getCell(1).value === word);
        expect(rows.length, `${definition.key} ${grouping}`).toBe(api.rows.length);
        api.rows.forEach((r, i) => {
          if (grouping === 'month') expect(rows[i]!.getCell(2).value).toBe(r.key);
          if (grouping === 'county') expect(rows[i]!.getCell(2).value).toBe(r.keyLabel);
          definition.shown.forEach((f, j) => {
            const cell = rows[i]!.getCell(first + j + 1);
            expect(cell.value ?? null, `${definition.key} ${grouping} ${r.key} ${f.name}`).toEqual(r.values[f.name] ?? null);
            expect(cell.numFmt).toBe(f.format === 'rate' ? '0.0%' : f.format === 'count' ? '0' : '0.0');
          });
        });
      }
    }
  });

  it('names a county with its city in the workbook, and refuses a division outside the analyst\'s', async () => {
    const response = await monitoring.get(`/api/monitoring/dashboard.xlsx?${period}&division=371702&bedType=care`, analyst);
    expect(response.statusCode).toBe(200);
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(String(response.headers['content-disposition']))![1]!)).toBe('闭环监测_菏泽市牡丹区_2026-08-01_2026-12-31.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const summary = book.getWorksheet('汇总')!;
    expect(rowValues(summary, 3)).toEqual(['行政区划', '菏泽市牡丹区']);
    expect(rowValues(summary, 4)).toEqual(['床位类型', '养老床位']);
    const other = await monitoring.get(`/api/monitoring/dashboard.xlsx?${period}&division=370800`, analyst);
    expect(other.statusCode).toBe(403);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('writes every metric as CSV with Chinese headings and shares as percentages', async () => {
    for (const definition of METRICS) {
      const r = await monitoring.get(`/api/monitoring/metrics/${definition.key}/csv?${period}&groupBy=month`, analyst);
      expect(r.statusCode, definition.key).toBe(200);
      const [head, ...lines] = r.rawPayload.subarray(3).toString('utf8').trimEnd().split('\r\n');
      expect(head, definition.key).not.toMatch(/[A-Za-z]{2,}/);
      expect(head!.split(',').slice(-definition.shown.length)).toEqual(definition.shown.map((f) => f.label.zh));
      expect(lines.join('\n')).not.toMatch(/\d\.\d{3,}/);
    }
    const loop = await monitoring.get(`/api/monitoring/metrics/closed-loop/csv?${period}&groupBy=month`, analyst);
    const api = await json<Metric>(`/api/monitoring/metrics/closed-loop?${period}&groupBy=month`, analyst);
    const lines = loop.rawPayload.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('月份,发起转诊,按时闭环,随访逾期闭环,已取消,未闭环,闭环率');
    const first = api.rows.find((r) => r.values['rate'] !== null)!;
    const v = first.values;
    expect(lines).toContain([first.key, v['started'], v['closedInLoop'], v['closedLate'], v['cancelled'], v['open'], `${(v['rate']! * 100).toFixed(1)}%`].join(','));
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(String(loop.headers['content-disposition']))![1]!)).toBe('闭环率_菏泽市_2026-08-01_2026-12-31.csv');
  });

  it('lists the referrals behind every count of the dashboard, as many as the count, paged on the server, with their numbers and no identity', async () => {
    const board = await json<{ metrics: Metric[] }>(`/api/monitoring/dashboard?${period}`, analyst);
    const elderRefs = history.journeys.map((j) => j.elderRef);
    let lists = 0;
    for (const definition of METRICS) {
      const counts = drillableCounts(definition);
      for (const row of board.metrics.find((m) => m.metric === definition.key)!.rows) {
        for (const count of counts.keys()) {
          const q = `${period}&count=${count}${row.sub !== undefined ? `&sub=${encodeURIComponent(row.sub)}` : ''}`;
          const r = await monitoring.get(`/api/monitoring/metrics/${definition.key}/referrals?${q}&limit=500`, analyst);
          expect(r.statusCode, `${definition.key} ${count}: ${r.body}`).toBe(200);
          expect(Number(r.headers['x-total-count']), `${definition.key} ${count} ${row.sub ?? ''}`).toBe(row.values[count]);
          expect((r.json() as Drilled[]).length).toBe(row.values[count]);
          expect(elderRefs.some((ref) => r.body.includes(ref))).toBe(false);
          expect(r.body).not.toMatch(/elderRef|elder_ref/);
          lists++;
        }
      }
    }
    expect(lists).toBeGreaterThan(30);
    // The stopped referrals of a stage: paged, every one once, each with its number and where it stopped.
    const stages = board.metrics.find((m) => m.metric === 'open-by-stage')!.rows;
    const largest = stages.reduce((a, b) => (b.values['open']! > a.values['open']! ? b : a));
    const seen: Drilled[] = [];
    for (let offset = 0; offset < largest.values['open']!; offset += 3) {
      const r = await monitoring.get(`/api/monitoring/metrics/open-by-stage/referrals?${period}&count=open&sub=${largest.sub}&limit=3&offset=${offset}`, analyst);
      expect(Number(r.headers['x-total-count'])).toBe(largest.values['open']);
      seen.push(...(r.json() as Drilled[]));
    }
    expect(seen.length).toBe(largest.values['open']);
    expect(new Set(seen.map((s) => s.referralId)).size).toBe(seen.length);
    expect(seen.every((s) => s.stage === largest.sub && s.since !== null && /^\d{8}-\d{6}$/.test(s.reference ?? '') && (s.originInstitutionName ?? '').length > 0)).toBe(true);
    const wanted = new Set(history.journeys.filter((j) => j.stages.at(-1)?.to === largest.sub && !j.closed && !j.cancelled && j.origin.county.startsWith('3717')).map((j) => j.id));
    expect(seen.filter((s) => wanted.has(s.referralId)).length).toBe(seen.length);
  });

  it('refuses a count that lists no referrals, a breakdown a metric lacks, and paging beyond its bounds, naming the field', async () => {
    const cases: [string, string][] = [
      [`/api/monitoring/metrics/occupancy/referrals?${period}&count=rate`, 'count'],
      [`/api/monitoring/metrics/closed-loop/referrals?${period}&count=rate`, 'count'],
      [`/api/monitoring/metrics/closed-loop/referrals?${period}&count=started&sub=x`, 'sub'],
      [`/api/monitoring/metrics/closed-loop/referrals?${period}&count=started&limit=501`, 'limit'],
      [`/api/monitoring/metrics/closed-loop/referrals?${period}&count=started&offset=100001`, 'offset'],
      [`/api/monitoring/open-referrals?${period}&offset=100001`, 'offset'],
    ];
    for (const [url, field] of cases) {
      const r = await monitoring.get(url, analyst);
      expect(r.statusCode, url).toBe(400);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect((r.json() as { errors: { field: string }[] }).errors.map((e) => e.field), url).toContain(field);
    }
  });
});
