import { describe, expect, it } from 'vitest';
import { checkRuleSet, correctionLines, entitlement, RUSHAN_2022, statement, type DeliveredItem, type ElderFacts, type EntitlementRuleSet } from '../src/domain/home-care-hours.js';

const RUSHAN = '371083';
const P = 'provider-1';
const OTHER = 'provider-2';
const always = (code: string) => ({ code, validFrom: '2020-01-01', validUntil: null });
const elders = new Map<string, ElderFacts>([
  // 特困, at home, level 4 (完全丧失: 重度): 60 h.
  ['a-severe-poor', { divisionCode: RUSHAN, abilityLevel: 4, qualifiers: [always('extreme-poverty'), always('dispersed-living')] }],
  // 低保, at home, level 2 (中度受损: 中度): 45 h.
  ['b-moderate-low-income', { divisionCode: RUSHAN, abilityLevel: 2, qualifiers: [always('low-income'), always('dispersed-living')] }],
  // 重点优抚, level 3 (重度): 30 h.
  ['c-key-entitled', { divisionCode: RUSHAN, abilityLevel: 3, qualifiers: [always('key-entitled')] }],
  // 特困 at home but level 1: not entitled.
  ['d-mild', { divisionCode: RUSHAN, abilityLevel: 1, qualifiers: [always('extreme-poverty'), always('dispersed-living')] }],
  // 低保, severe, but lives in a home (no 分散居住): not entitled.
  ['e-not-at-home', { divisionCode: RUSHAN, abilityLevel: 3, qualifiers: [always('low-income')] }],
]);
let seq = 0;
const visit = (elderRef: string, day: string, items: [string, number][], institutionId = P): DeliveredItem[] =>
  items.map(([code, minutes]) => ({ elderRef, institutionId, at: `2026-03-${day}T02:00:00Z`, visitId: `v${String(++seq).padStart(4, '0')}`, code, minutes }));

describe('government-bought home-care hours: the Rushan table (乳政发〔2022〕8号)', () => {
  it('the Rushan rule set is well formed', () => {
    expect(checkRuleSet(RUSHAN_2022)).toEqual([]);
    expect(checkRuleSet({ ...RUSHAN_2022, rateFen: -1, rules: [{ id: 'x', ability: 'severe', anyOf: ['rich'] as never, monthlyHours: 10 }] })).toEqual(['rateFen must be a whole number of fen, not negative', 'rule x: unknown qualifier rich']);
  });

  it('entitles by category and ability level (重度 = levels 3–4, 中度 = level 2)', () => {
    const hours = (ref: string) => (entitlement(elders.get(ref)!, '2026-03', [RUSHAN_2022])?.minutes ?? 0) / 60;
    expect(['a-severe-poor', 'b-moderate-low-income', 'c-key-entitled', 'd-mild', 'e-not-at-home'].map(hours)).toEqual([60, 45, 30, 0, 0]);
    // Outside Rushan no rule set applies.
    expect(entitlement({ ...elders.get('a-severe-poor')!, divisionCode: '371702' }, '2026-03', [RUSHAN_2022])).toBeUndefined();
    // A status counts in a month when valid on any day of it.
    const ended = { divisionCode: RUSHAN, abilityLevel: 4, qualifiers: [{ code: 'extreme-poverty', validFrom: '2020-01-01', validUntil: '2026-02-28' }, always('dispersed-living')] };
    expect(entitlement(ended, '2026-02', [RUSHAN_2022])?.minutes).toBe(3600);
    expect(entitlement(ended, '2026-03', [RUSHAN_2022])).toBeUndefined();
    expect(entitlement({ ...ended, abilityLevel: null }, '2026-02', [RUSHAN_2022])).toBeUndefined();
  });

  it('computes a month by hand: 60 h × 20 元 = 1,200 元 delivered in full, 30 of 45 h = 600 元, a 30 h elder over-served is paid 30 h, no line when not entitled', () => {
    const delivered = [
      ...visit('a-severe-poor', '02', [['bathing', 600], ['cleaning', 900]]),
      ...visit('a-severe-poor', '10', [['bathing', 600], ['meal', 1500]]),
      ...visit('b-moderate-low-income', '05', [['cleaning', 1200], ['meal', 600]]),
      ...visit('c-key-entitled', '03', [['meal', 1200]]),
      ...visit('c-key-entitled', '20', [['meal', 800]]), // 2,000 minutes against 1,800
      ...visit('d-mild', '04', [['meal', 600]]),
      ...visit('e-not-at-home', '04', [['meal', 600]]),
    ];
    const r = statement(P, '2026-03', elders, delivered, [RUSHAN_2022]);
    expect(r.ok).toBe(true);
    const s = r.ok ? r.statement! : undefined;
    expect(s).toMatchObject({ rulesVersion: 'rushan-2022.1', rateFen: 2000 });
    expect(s!.lines.map((l) => [l.elderRef, l.entitledMinutes / 60, l.deliveredMinutes / 60, l.paidMinutes / 60, l.amountFen / 100])).toEqual([
      ['a-severe-poor', 60, 60, 60, 1200],
      ['b-moderate-low-income', 45, 30, 30, 600],
      ['c-key-entitled', 30, 2000 / 60, 30, 600],
    ]);
    expect(s!.lines[0]!.items).toEqual([
      { code: 'bathing', deliveredMinutes: 1200, paidMinutes: 1200, amountFen: 40000 },
      { code: 'cleaning', deliveredMinutes: 900, paidMinutes: 900, amountFen: 30000 },
      { code: 'meal', deliveredMinutes: 1500, paidMinutes: 1500, amountFen: 50000 },
    ]);
    // The minutes beyond the entitlement are the latest ones, and are not paid.
    expect(s!.lines[2]!.items).toEqual([{ code: 'meal', deliveredMinutes: 2000, paidMinutes: 1800, amountFen: 60000 }]);
    for (const l of s!.lines) expect(l.items.reduce((n, i) => n + i.amountFen, 0)).toBe(l.amountFen);
  });

  it('pays odd minutes to the fen, the items adding up to the line', () => {
    const r = statement(P, '2026-03', elders, visit('b-moderate-low-income', '05', [['a', 7], ['b', 7], ['c', 7]]), [RUSHAN_2022]);
    const line = r.ok ? r.statement!.lines[0]! : undefined;
    expect(line!.amountFen).toBe(700); // 21 min × 2,000 fen / 60
    const one = statement(P, '2026-03', elders, visit('b-moderate-low-income', '05', [['a', 1]]), [RUSHAN_2022]);
    expect(one.ok && one.statement!.lines[0]!.amountFen).toBe(33); // 33.3 fen
    const two = statement(P, '2026-03', elders, visit('b-moderate-low-income', '05', [['a', 1], ['b', 1]]), [RUSHAN_2022]);
    expect(two.ok && two.statement!.lines[0]!.items.map((i) => i.amountFen)).toEqual([34, 33]); // 66.7 → 67
  });

  it('uses one entitlement across providers, earliest visits first', () => {
    const delivered = [...visit('a-severe-poor', '01', [['meal', 3000]], OTHER), ...visit('a-severe-poor', '15', [['meal', 1200]])];
    const mine = statement(P, '2026-03', elders, delivered, [RUSHAN_2022]);
    expect(mine.ok && mine.statement!.lines.map((l) => [l.deliveredMinutes, l.paidMinutes, l.amountFen])).toEqual([[1200, 600, 20000]]);
    const theirs = statement(OTHER, '2026-03', elders, delivered, [RUSHAN_2022]);
    expect(theirs.ok && theirs.statement!.lines.map((l) => [l.deliveredMinutes, l.paidMinutes, l.amountFen])).toEqual([[3000, 3000, 100000]]);
    // A provider with no entitled elder has nothing to state.
    expect(statement(P, '2026-03', elders, visit('d-mild', '01', [['meal', 60]]), [RUSHAN_2022])).toEqual({ ok: true, statement: null });
  });

  it('a rate changed from a month changes statements from that month only', () => {
    const raised: EntitlementRuleSet = { ...RUSHAN_2022, version: 'rushan-2026.2', effectiveFrom: '2026-04', rateFen: 2500 };
    const sets = [RUSHAN_2022, raised];
    const full = (month: string) => {
      const d = visit('a-severe-poor', '02', [['meal', 3600]]).map((v) => ({ ...v, at: `${month}-02T02:00:00Z` }));
      const r = statement(P, month, elders, d, sets);
      return r.ok && r.statement ? [r.statement.rulesVersion, r.statement.lines[0]!.amountFen / 100] : undefined;
    };
    expect(full('2026-03')).toEqual(['rushan-2022.1', 1200]);
    expect(full('2026-04')).toEqual(['rushan-2026.2', 1500]);
    expect(full('2026-05')).toEqual(['rushan-2026.2', 1500]);
    expect(full('2021-12')).toBeUndefined(); // before any Rushan rules: no entitlement, no statement
  });

  it('refuses a statement over elders of different rule sets', () => {
    const weihai: EntitlementRuleSet = { ...RUSHAN_2022, version: 'weihai-x', divisionPrefix: '3710' };
    const both = new Map([...elders, ['f-weihai', { ...elders.get('a-severe-poor')!, divisionCode: '371002' }]]);
    const d = [...visit('a-severe-poor', '02', [['meal', 60]]), ...visit('f-weihai', '02', [['meal', 60]])];
    expect(statement(P, '2026-03', both, d, [RUSHAN_2022, weihai])).toEqual({ ok: false, versions: ['rushan-2022.1', 'weihai-x'] });
  });

  it('a correction holds the differences from what was issued', () => {
    const first = statement(P, '2026-03', elders, visit('b-moderate-low-income', '05', [['meal', 1200]]), [RUSHAN_2022]);
    const issued = first.ok ? first.statement!.lines : [];
    const later = statement(P, '2026-03', elders, [...visit('b-moderate-low-income', '05', [['meal', 1200]]), ...visit('b-moderate-low-income', '28', [['meal', 600], ['bathing', 60]])], [RUSHAN_2022]);
    const diff = correctionLines(later.ok ? later.statement!.lines : [], issued);
    expect(diff).toEqual([
      { elderRef: 'b-moderate-low-income', divisionCode: RUSHAN, ruleId: 'hardship-moderate', entitledMinutes: 0, deliveredMinutes: 660, paidMinutes: 660, amountFen: 22000, items: [{ code: 'bathing', deliveredMinutes: 60, paidMinutes: 60, amountFen: 2000 }, { code: 'meal', deliveredMinutes: 600, paidMinutes: 600, amountFen: 20000 }] },
    ]);
    expect(correctionLines(issued, issued)).toEqual([]);
    // An elder no longer on the statement is taken off by a negative line.
    expect(correctionLines([], issued).map((l) => [l.entitledMinutes, l.amountFen])).toEqual([[-2700, -40000]]);
  });
});
