import { HARDSHIP_STATUS_CODES, SPECIAL_HARDSHIP_CATEGORIES } from '@fbl/contracts';

/**
 * Government-bought home-care hours (政府购买居家养老服务): who is entitled to how many hours a
 * month, at what rate, as dated and versioned rules data; and a provider's monthly statement of
 * the hours delivered against them. Pure: no clock, no database.
 *
 * Ability: the rules speak of 生活不能自理（重度） and 生活部分自理（中度）. They are read against the
 * ability levels of GB/T 42195-2022 (老年人能力评估规范, 表 "老年人能力等级划分", levels 0 能力完好,
 * 1 轻度受损, 2 中度受损, 3 重度受损, 4 完全丧失): 重度 is level 3 or 4 (the same line the waiting
 * list draws for "disabled"), 中度 is level 2. The level is the latest assessment made on or before
 * the month's last day.
 */

/** Register facts the rules need beyond hardship statuses: 分散居住, 市级以上劳动模范, 建国前老党员. */
export const ENTITLEMENT_FACTS = ['dispersed-living', 'model-worker', 'pre-1949-party-member'] as const;
export type EntitlementFact = (typeof ENTITLEMENT_FACTS)[number];

/** Every fact an elder may carry on the register, with evidence and validity: the special-hardship categories and the facts above. */
export const REGISTER_FACTS = [...SPECIAL_HARDSHIP_CATEGORIES, ...ENTITLEMENT_FACTS] as const;
export type RegisterFact = (typeof REGISTER_FACTS)[number];

/** What a rule may ask of an elder: a hardship status or a register fact, valid in the month. */
export type Qualifier = (typeof HARDSHIP_STATUS_CODES)[number] | RegisterFact;

/** 重度 (levels 3–4) or 中度 (level 2) of GB/T 42195-2022. */
export type AbilityBand = 'severe' | 'moderate';
const BAND_LEVELS: Record<AbilityBand, readonly number[]> = { severe: [3, 4], moderate: [2] };

/** One line of a table: an elder of this ability with any of `anyOf` and all of `allOf` gets `monthlyHours`. */
export interface EntitlementRule {
  id: string;
  ability: AbilityBand;
  anyOf: readonly Qualifier[];
  allOf?: readonly Qualifier[];
  monthlyHours: number;
}

/**
 * A rule set: the table of one region (elders whose division code starts with `divisionPrefix`),
 * in force from the first day of `effectiveFrom` (`YYYY-MM`) until a later set of the same region
 * takes over. Rules are tried in order; the first that matches wins.
 */
export interface EntitlementRuleSet {
  version: string;
  divisionPrefix: string;
  effectiveFrom: string;
  /** Rate in fen (分) per hour. */
  rateFen: number;
  rules: readonly EntitlementRule[];
  source: string;
}

/**
 * Rushan (乳山市, 371083): 乳政发〔2022〕8号 (二十一) 3. 60 h a month for a 特困 or 低保 elder living at
 * home (分散居住) who cannot care for themselves (重度), 45 h for one who partly can (中度), 30 h for a
 * severely dependent city-level (or higher) model worker, key entitled person, special-assistance
 * family-planning parent or pre-1949 party member; 20 元 an hour, "adjusted with development".
 * The document names no date of effect: January 2022, its year, is assumed.
 */
export const RUSHAN_2022: EntitlementRuleSet = {
  version: 'rushan-2022.1',
  divisionPrefix: '371083',
  effectiveFrom: '2022-01',
  rateFen: 2000,
  rules: [
    { id: 'hardship-severe', ability: 'severe', anyOf: ['extreme-poverty', 'low-income'], allOf: ['dispersed-living'], monthlyHours: 60 },
    { id: 'hardship-moderate', ability: 'moderate', anyOf: ['extreme-poverty', 'low-income'], allOf: ['dispersed-living'], monthlyHours: 45 },
    { id: 'merit-severe', ability: 'severe', anyOf: ['model-worker', 'key-entitled', 'family-planning-special', 'pre-1949-party-member'], monthlyHours: 30 },
  ],
  source: '乳政发〔2022〕8号 (二十一) 3',
};

/** The rule sets in force by default; other regions come from configuration. */
export const DEFAULT_RULE_SETS: readonly EntitlementRuleSet[] = [RUSHAN_2022];

const MONTH = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

/** Problems with a rule set given in configuration (empty: fine). */
export function checkRuleSet(set: EntitlementRuleSet): string[] {
  const problems: string[] = [];
  const qualifiers = new Set<string>([...HARDSHIP_STATUS_CODES, ...REGISTER_FACTS]);
  if (!set.version) problems.push('version is empty');
  if (!/^[0-9]{2,6}$/.test(set.divisionPrefix)) problems.push('divisionPrefix must be 2 to 6 digits');
  if (!MONTH.test(set.effectiveFrom)) problems.push('effectiveFrom must be YYYY-MM');
  if (!Number.isInteger(set.rateFen) || set.rateFen < 0) problems.push('rateFen must be a whole number of fen, not negative');
  for (const r of set.rules) {
    if (!(r.ability in BAND_LEVELS)) problems.push(`rule ${r.id}: ability must be severe or moderate`);
    if (!(r.monthlyHours > 0) || !Number.isInteger(r.monthlyHours * 60)) problems.push(`rule ${r.id}: monthlyHours must be positive whole minutes`);
    for (const q of [...r.anyOf, ...(r.allOf ?? [])]) if (!qualifiers.has(q)) problems.push(`rule ${r.id}: unknown qualifier ${q}`);
    if (r.anyOf.length === 0) problems.push(`rule ${r.id}: anyOf is empty`);
  }
  return problems;
}

/** The rule set in force for a division in a month (`YYYY-MM`): the most specific region, then the latest. */
export function ruleSetFor(sets: readonly EntitlementRuleSet[], divisionCode: string, month: string): EntitlementRuleSet | undefined {
  return sets
    .filter((s) => divisionCode.startsWith(s.divisionPrefix) && s.effectiveFrom <= month)
    .sort((a, b) => b.divisionPrefix.length - a.divisionPrefix.length || b.effectiveFrom.localeCompare(a.effectiveFrom))[0];
}

/** A dated status or fact of an elder (dates `YYYY-MM-DD`, `validUntil` inclusive). */
export interface DatedQualifier {
  code: string;
  validFrom: string;
  validUntil: string | null;
}

/** What the rules look at: the elder's division, ability level, and dated statuses and facts. */
export interface ElderFacts {
  divisionCode: string;
  abilityLevel: number | null;
  qualifiers: readonly DatedQualifier[];
}

/** First and last day of a month `YYYY-MM`. */
export function monthDays(month: string): { first: string; last: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { first: `${month}-01`, last: `${month}-${String(lastDay).padStart(2, '0')}` };
}

/** A status or fact counts for a month when it is valid on any day of it. */
function validIn(q: DatedQualifier, month: string): boolean {
  const { first, last } = monthDays(month);
  return q.validFrom <= last && (q.validUntil === null || q.validUntil >= first);
}

/** An elder's entitlement in a month: the rule set and rule that apply and the minutes, or undefined when none. */
export interface Entitlement {
  ruleSet: EntitlementRuleSet;
  ruleId: string;
  minutes: number;
}

/** How many minutes of government-bought home care an elder is entitled to in a month (whole month; no proration by days). */
export function entitlement(facts: ElderFacts, month: string, sets: readonly EntitlementRuleSet[]): Entitlement | undefined {
  const ruleSet = ruleSetFor(sets, facts.divisionCode, month);
  if (!ruleSet || facts.abilityLevel === null) return undefined;
  const held = new Set(facts.qualifiers.filter((q) => validIn(q, month)).map((q) => q.code));
  const rule = ruleSet.rules.find((r) => BAND_LEVELS[r.ability].includes(facts.abilityLevel!) && r.anyOf.some((q) => held.has(q)) && (r.allOf ?? []).every((q) => held.has(q)));
  return rule ? { ruleSet, ruleId: rule.id, minutes: Math.round(rule.monthlyHours * 60) } : undefined;
}

/** Minutes of a service item done in a visit, by the provider that made it. */
export interface DeliveredItem {
  elderRef: string;
  institutionId: string;
  /** When the visit began (ISO): the cap is reached by the earliest visits first. */
  at: string;
  visitId: string;
  code: string;
  minutes: number;
}

export interface StatementItem {
  code: string;
  deliveredMinutes: number;
  paidMinutes: number;
  amountFen: number;
}

export interface StatementLine {
  elderRef: string;
  divisionCode: string;
  ruleId: string;
  entitledMinutes: number;
  deliveredMinutes: number;
  paidMinutes: number;
  amountFen: number;
  items: StatementItem[];
}

export interface ComputedStatement {
  rulesVersion: string;
  rateFen: number;
  lines: StatementLine[];
}

/** Shares of a whole `total` in proportion to `weights`, rounded so they add up to it (largest remainder, ties to the first). */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i]! += 1;
    left -= 1;
  }
  return shares;
}

/**
 * A provider's statement for a month. Per elder it served: the entitlement, the minutes of items
 * its workers delivered, and what is paid: the delivered minutes up to the entitlement (hours
 * beyond it are not the government's to pay), at the rule set's rate, rounded to the fen. An
 * elder served by several providers in the month has one entitlement: it is used up by the
 * earliest visits first, whoever made them. Elders not entitled get no line. The line's amount
 * is shared over its items in proportion to their paid minutes, so the items add up to it.
 * Every line must fall under the same rule set (version and rate); otherwise the rule sets found
 * are returned as a conflict.
 */
export function statement(
  institutionId: string,
  month: string,
  elders: ReadonlyMap<string, ElderFacts>,
  delivered: readonly DeliveredItem[],
  sets: readonly EntitlementRuleSet[],
): { ok: true; statement: ComputedStatement | null } | { ok: false; versions: string[] } {
  const served = [...new Set(delivered.filter((d) => d.institutionId === institutionId).map((d) => d.elderRef))].sort();
  const lines: StatementLine[] = [];
  const versions = new Map<string, EntitlementRuleSet>();
  for (const elderRef of served) {
    const facts = elders.get(elderRef);
    const owed = facts && entitlement(facts, month, sets);
    if (!facts || !owed) continue;
    versions.set(owed.ruleSet.version, owed.ruleSet);
    const visits = delivered.filter((d) => d.elderRef === elderRef).sort((a, b) => a.at.localeCompare(b.at) || a.visitId.localeCompare(b.visitId));
    let left = owed.minutes;
    const items = new Map<string, { delivered: number; paid: number }>();
    for (const v of visits) {
      const paid = Math.min(left, v.minutes);
      left -= paid;
      if (v.institutionId !== institutionId) continue;
      const item = items.get(v.code) ?? { delivered: 0, paid: 0 };
      item.delivered += v.minutes;
      item.paid += paid;
      items.set(v.code, item);
    }
    const codes = [...items.keys()].sort();
    const deliveredMinutes = codes.reduce((n, c) => n + items.get(c)!.delivered, 0);
    const paidMinutes = codes.reduce((n, c) => n + items.get(c)!.paid, 0);
    const amountFen = Math.round((paidMinutes * owed.ruleSet.rateFen) / 60);
    const shares = apportion(amountFen, codes.map((c) => items.get(c)!.paid));
    lines.push({
      elderRef,
      divisionCode: facts.divisionCode,
      ruleId: owed.ruleId,
      entitledMinutes: owed.minutes,
      deliveredMinutes,
      paidMinutes,
      amountFen,
      items: codes.map((code, i) => ({ code, deliveredMinutes: items.get(code)!.delivered, paidMinutes: items.get(code)!.paid, amountFen: shares[i]! })),
    });
  }
  if (versions.size > 1) return { ok: false, versions: [...versions.keys()].sort() };
  const set = [...versions.values()][0];
  return { ok: true, statement: set ? { rulesVersion: set.version, rateFen: set.rateFen, lines } : null };
}

/**
 * A correction: the lines of a new computation less what the statements already issued for the
 * provider and month add up to, per elder and item; lines that do not change are left out.
 */
export function correctionLines(now: readonly StatementLine[], issued: readonly StatementLine[]): StatementLine[] {
  const sumOf = (lines: readonly StatementLine[]) => {
    const by = new Map<string, StatementLine>();
    for (const l of lines) {
      const prev = by.get(l.elderRef);
      if (!prev) {
        by.set(l.elderRef, { ...l, items: l.items.map((i) => ({ ...i })) });
        continue;
      }
      prev.entitledMinutes += l.entitledMinutes;
      prev.deliveredMinutes += l.deliveredMinutes;
      prev.paidMinutes += l.paidMinutes;
      prev.amountFen += l.amountFen;
      for (const i of l.items) {
        const it = prev.items.find((x) => x.code === i.code);
        if (it) {
          it.deliveredMinutes += i.deliveredMinutes;
          it.paidMinutes += i.paidMinutes;
          it.amountFen += i.amountFen;
        } else prev.items.push({ ...i });
      }
    }
    return by;
  };
  const after = sumOf(now);
  const before = sumOf(issued);
  const out: StatementLine[] = [];
  for (const elderRef of [...new Set([...after.keys(), ...before.keys()])].sort()) {
    const a = after.get(elderRef);
    const b = before.get(elderRef);
    const base = (a ?? b)!;
    const codes = [...new Set([...(a?.items ?? []), ...(b?.items ?? [])].map((i) => i.code))].sort();
    const item = (l: StatementLine | undefined, code: string) => l?.items.find((i) => i.code === code) ?? { code, deliveredMinutes: 0, paidMinutes: 0, amountFen: 0 };
    const items = codes
      .map((code) => ({ code, deliveredMinutes: item(a, code).deliveredMinutes - item(b, code).deliveredMinutes, paidMinutes: item(a, code).paidMinutes - item(b, code).paidMinutes, amountFen: item(a, code).amountFen - item(b, code).amountFen }))
      .filter((i) => i.deliveredMinutes !== 0 || i.paidMinutes !== 0 || i.amountFen !== 0);
    const line: StatementLine = {
      elderRef,
      divisionCode: base.divisionCode,
      ruleId: a?.ruleId ?? b!.ruleId,
      entitledMinutes: (a?.entitledMinutes ?? 0) - (b?.entitledMinutes ?? 0),
      deliveredMinutes: (a?.deliveredMinutes ?? 0) - (b?.deliveredMinutes ?? 0),
      paidMinutes: (a?.paidMinutes ?? 0) - (b?.paidMinutes ?? 0),
      amountFen: (a?.amountFen ?? 0) - (b?.amountFen ?? 0),
      items,
    };
    if (line.entitledMinutes !== 0 || line.deliveredMinutes !== 0 || line.amountFen !== 0 || items.length > 0) out.push(line);
  }
  return out;
}
