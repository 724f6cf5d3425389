import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METRICS } from '../src/domain/definitions.js';
import { countsOf, splitByChinaDay } from '../src/domain/capacity.js';
import { BOM, toCsv } from '../src/domain/csv.js';
import { chinaDay, divisionPrefix, periodBounds, weekOf } from '../src/domain/periods.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('metric definitions', () => {
  it('are documented in the README with the same formula, name and breakdown', () => {
    for (const m of METRICS) {
      expect(readme, m.key).toContain(`| \`${m.key}\` | ${m.label.zh} ${m.label.en} | ${m.formula} | ${'sub' in m ? m.sub.name : '—'} |`);
    }
    const table = readme.slice(readme.indexOf('| key | name | formula | breakdown |')).split('\n\n')[0]!;
    const documented = [...table.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((x) => x[1]);
    expect(documented).toEqual(METRICS.map((m) => m.key));
  });

  it('have unique keys and column names', () => {
    expect(new Set(METRICS.map((m) => m.key)).size).toBe(METRICS.length);
    for (const m of METRICS) expect(new Set(m.columns.map((c) => c.name)).size, m.key).toBe(m.columns.length);
  });

  it('give no rate when nothing was counted', () => {
    const acceptance = METRICS.find((m) => m.key === 'acceptance-rate')!;
    expect(acceptance.figures({ accepted: 0, declined: 0, expired: 0, open: 3 })).toEqual({ rate: null });
    expect(acceptance.figures({ accepted: 3, declined: 1, expired: 0, open: 0 })).toEqual({ rate: 0.75 });
  });
});

describe('China Standard Time calendar', () => {
  it('puts instants on the day they fall on in China', () => {
    expect(chinaDay(new Date('2026-10-31T15:59:59.999Z'))).toBe('2026-10-31');
    expect(chinaDay(new Date('2026-10-31T16:00:00.000Z'))).toBe('2026-11-01');
    expect(periodBounds('2026-11-01', '2026-11-30')).toEqual({ start: new Date('2026-10-31T16:00:00Z'), end: new Date('2026-11-30T16:00:00Z') });
  });
  it('keys ISO weeks by their Monday', () => {
    expect(weekOf('2026-11-22')).toBe('2026-11-16'); // a Sunday
    expect(weekOf('2026-11-23')).toBe('2026-11-23'); // a Monday
    expect(weekOf('2027-01-01')).toBe('2026-12-28');
  });
  it('reads division codes as province, city or county prefixes', () => {
    expect(divisionPrefix('370000')).toBe('37');
    expect(divisionPrefix('371700')).toBe('3717');
    expect(divisionPrefix('371702')).toBe('371702');
  });
});

describe('capacity', () => {
  it('cuts a step at China midnights, keeping every millisecond', () => {
    const start = new Date('2026-11-01T20:00:00+08:00');
    const end = new Date('2026-11-03T06:30:00+08:00');
    const pieces = splitByChinaDay(start, end);
    expect(pieces).toEqual([
      { day: '2026-11-01', ms: 4 * 3600_000 },
      { day: '2026-11-02', ms: 24 * 3600_000 },
      { day: '2026-11-03', ms: 6.5 * 3600_000 },
    ]);
    expect(pieces.reduce((n, p) => n + p.ms, 0)).toBe(end.getTime() - start.getTime());
    expect(splitByChinaDay(end, end)).toEqual([]);
  });
  it('counts open, nursing-type and dementia units of a report', () => {
    expect(
      countsOf([
        { attributes: { nursingType: true, dementia: true }, total: 10, occupied: 4, closed: 1 },
        { attributes: { nursingType: true }, total: 20, occupied: 12, closed: 0 },
        { attributes: { nursingType: false, dementia: false }, total: 5, occupied: 5, closed: 2 },
      ]),
    ).toEqual({ total: 35, open: 32, occupied: 21, nursing: 30, dementia: 10 });
  });
});

describe('CSV', () => {
  it('starts with a byte-order mark, quotes what RFC 4180 asks, ends lines with CRLF', () => {
    expect(toCsv(['名称', 'n'], [['菏泽市"颐养", 中心', 3], ['牡丹区', null]])).toBe(`${BOM}名称,n\r\n"菏泽市""颐养"", 中心",3\r\n牡丹区,\r\n`);
  });
  it('keeps text that a spreadsheet would run as a formula as text', () => {
    expect(toCsv(['name', 'n'], [['=HYPERLINK("x")', -1], ['@SUM(A1)', 0]])).toBe(`${BOM}name,n\r\n"'=HYPERLINK(""x"")",-1\r\n'@SUM(A1),0\r\n`);
  });
});

describe('whole months of a period', () => {
  it('are the calendar months the period covers entirely', async () => {
    const { wholeMonths } = await import('../src/application/queries.js');
    expect(wholeMonths('2026-01-01', '2026-12-31')).toEqual({ first: '2026-01-01', last: '2026-12-01' });
    expect(wholeMonths('2026-01-15', '2026-04-30')).toEqual({ first: '2026-02-01', last: '2026-04-01' });
    expect(wholeMonths('2026-01-15', '2026-04-29')).toEqual({ first: '2026-02-01', last: '2026-03-01' });
    expect(wholeMonths('2026-02-01', '2026-02-28')).toEqual({ first: '2026-02-01', last: '2026-02-01' });
    expect(wholeMonths('2026-12-02', '2026-12-31')).toBeUndefined();
    expect(wholeMonths('2026-11-15', '2026-12-14')).toBeUndefined();
  });
});

describe('the pieces a period of bed-time is read in', () => {
  const DAY = 86_400_000;
  const plus = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
  const daysOf = (from: string, to: string) => {
    const out: string[] = [];
    for (let d = from; d <= to; d = plus(d, 1)) out.push(d);
    return out;
  };
  const monthEnd = (first: string) => plus(new Date(Date.UTC(Number(first.slice(0, 4)), Number(first.slice(5, 7)), 1)).toISOString().slice(0, 10), -1);

  it('are the whole months, then the whole weeks of the rest, then its days', async () => {
    const { bedPeriodPieces } = await import('../src/application/queries.js');
    // The dashboard's last 30 days: Wednesday 2 to Thursday 31 December 2026.
    expect(bedPeriodPieces('2026-12-02', '2026-12-31', 'total')).toEqual({
      weeks: [{ from: '2026-12-07', to: '2026-12-21' }],
      days: [{ from: '2026-12-02', to: '2026-12-06' }, { from: '2026-12-28', to: '2026-12-31' }],
    });
    expect(bedPeriodPieces('2026-08-15', '2026-12-10', 'county')).toEqual({
      months: { first: '2026-09-01', last: '2026-11-01' },
      weeks: [{ from: '2026-08-17', to: '2026-08-24' }],
      days: [{ from: '2026-08-15', to: '2026-08-16' }, { from: '2026-08-31', to: '2026-08-31' }, { from: '2026-12-01', to: '2026-12-10' }],
    });
    expect(bedPeriodPieces('2026-09-15', '2026-10-15', 'day')).toEqual({ weeks: [], days: [{ from: '2026-09-15', to: '2026-10-15' }] });
    // Grouped by week: weeks even where whole months are.
    expect(bedPeriodPieces('2026-11-02', '2026-11-29', 'week')).toEqual({ weeks: [{ from: '2026-11-02', to: '2026-11-23' }], days: [] });
    // Grouped by month, the week of 26 October to 1 November is read as days, on both sides.
    expect(bedPeriodPieces('2026-10-19', '2026-11-08', 'month')).toEqual({
      weeks: [{ from: '2026-10-19', to: '2026-10-19' }, { from: '2026-11-02', to: '2026-11-02' }],
      days: [{ from: '2026-10-26', to: '2026-10-31' }, { from: '2026-11-01', to: '2026-11-01' }],
    });
  });

  it('cover every day of any period once, with weeks from Monday to Sunday inside it', async () => {
    const { bedPeriodPieces } = await import('../src/application/queries.js');
    const groupings = ['total', 'day', 'week', 'month', 'city', 'county', 'bedType', 'provider'] as const;
    let seed = 7;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    for (let i = 0; i < 500; i++) {
      const from = plus('2025-01-01', Math.floor(rand() * 700));
      const to = plus(from, Math.floor(rand() * 120));
      const grouping = groupings[i % groupings.length]!;
      const p = bedPeriodPieces(from, to, grouping);
      const covered: string[] = [];
      if (p.months) for (let m = p.months.first; m <= p.months.last; m = plus(monthEnd(m), 1)) covered.push(...daysOf(m, monthEnd(m)));
      for (const w of p.weeks) {
        for (let monday = w.from; monday <= w.to; monday = plus(monday, 7)) {
          expect(new Date(`${monday}T00:00:00Z`).getUTCDay(), `${from}…${to}`).toBe(1);
          if (grouping === 'month') expect(plus(monday, 6).slice(0, 7)).toBe(monday.slice(0, 7));
          covered.push(...daysOf(monday, plus(monday, 6)));
        }
      }
      for (const d of p.days) covered.push(...daysOf(d.from, d.to));
      expect(covered.sort(), `${from}…${to} by ${grouping}`).toEqual(daysOf(from, to));
      if (grouping === 'day') expect(p.weeks).toEqual([]);
      if (grouping === 'day' || grouping === 'week') expect(p.months).toBeUndefined();
    }
  });
});
