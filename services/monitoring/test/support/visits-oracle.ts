/**
 * The expected figures of home visits, 探访 and government-bought hours for a generated history,
 * computed from its facts with plain arithmetic, independently of the projections and their SQL.
 */
import type { Filter, Row } from './oracle.js';
import { monthStart, type VisitHistory } from './visits-history.js';

const DAY = 86_400_000;
const CST = 8 * 3_600_000;

const dayOf = (ms: number) => new Date(ms + CST).toISOString().slice(0, 10);
const mondayOf = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY).toISOString().slice(0, 10);
};
const covers = (division: string | undefined, county: string) => {
  if (!division) return true;
  const prefix = division.endsWith('0000') ? division.slice(0, 2) : division.endsWith('00') ? division.slice(0, 4) : division;
  return county.startsWith(prefix);
};
const share = (a: number, b: number) => (b === 0 ? null : a / b);

/** Something counted: the day that places it in a period (China Standard Time), where, of what bed and provider. */
interface Item<T> {
  day: string;
  county: string;
  bedType: string | undefined;
  provider: string | undefined;
  of: T;
}

function keyOf(item: Item<unknown>, groupBy: Filter['groupBy']): string {
  switch (groupBy) {
    case 'total':
      return 'total';
    case 'day':
      return item.day;
    case 'week':
      return mondayOf(item.day);
    case 'month':
      return item.day.slice(0, 7);
    case 'city':
      return `${item.county.slice(0, 4)}00`;
    case 'county':
      return item.county;
    case 'bedType':
      return item.bedType ?? 'unknown';
    case 'provider':
      return item.provider ?? 'none';
  }
}

function grouped<T>(items: Item<T>[], filter: Filter, compute: (group: T[]) => Record<string, number | null>): Row[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    if (item.day < filter.from || item.day > filter.to) continue;
    if (!covers(filter.division, item.county)) continue;
    if (filter.bedType && item.bedType !== filter.bedType) continue;
    if (filter.provider && item.provider !== filter.provider) continue;
    const key = keyOf(item, filter.groupBy);
    groups.set(key, [...(groups.get(key) ?? []), item.of]);
  }
  return [...groups.entries()].map(([key, of]) => ({ key, values: compute(of) })).sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** The months (YYYY-MM) a visit without a 探访 id counts in: the month of its check-in, in China. */
const monthOf = (ms: number) => dayOf(ms).slice(0, 7);

/** The expected rows of one of the visit metrics for one filter. */
export function expectedVisits(history: VisitHistory, metric: string, filter: Filter): Row[] {
  switch (metric) {
    case 'home-visits': {
      // Home beds' visits only (a 探访 has no bed type); completed wins over a missed flag.
      const items = history.visits
        .filter((v) => v.bedType !== undefined)
        .map((v) => ({ day: dayOf(v.windowEnd), county: v.county, bedType: v.bedType, provider: v.provider?.id, of: v }));
      return grouped(items, filter, (g) => {
        const done = g.filter((v) => v.completed).length;
        return { planned: g.length, done, missed: g.length - done, late: g.filter((v) => v.completed?.late).length, rate: share(done, g.length) };
      });
    }
    case 'home-care-hours': {
      const items = history.statements.flatMap((s) =>
        s.lines.map((l) => ({ day: dayOf(monthStart(s.month)), county: l.county, bedType: 'home-care', provider: s.provider.id, of: l })),
      );
      return grouped(items, filter, (g) => {
        const entitledMinutes = g.reduce((n, l) => n + l.entitledMinutes, 0);
        const deliveredMinutes = g.reduce((n, l) => n + l.deliveredMinutes, 0);
        const amountFen = g.reduce((n, l) => n + l.amountFen, 0);
        return { entitledMinutes, deliveredMinutes, amountFen, entitledHours: entitledMinutes / 60, deliveredHours: deliveredMinutes / 60, rate: share(deliveredMinutes, entitledMinutes) };
      });
    }
    case 'tanfang-rate': {
      // One item per elder and month due a 探访, in the county of their latest schedule.
      const dues = new Map<string, { elderRef: string; month: string; ids: Set<string>; latest: { at: number; id: string; county: string } }>();
      for (const t of history.tanfangs) {
        const key = `${t.elderRef}|${t.month}`;
        const due = dues.get(key) ?? { elderRef: t.elderRef, month: t.month, ids: new Set<string>(), latest: { at: -Infinity, id: '', county: t.county } };
        due.ids.add(t.id);
        if (t.scheduledAt > due.latest.at || (t.scheduledAt === due.latest.at && t.id > due.latest.id)) due.latest = { at: t.scheduledAt, id: t.id, county: t.county };
        dues.set(key, due);
      }
      const made = history.visits.filter((v) => v.purpose === 'tanfang' && v.completed);
      const items = [...dues.values()].map((due) => {
        const visited = made.some((v) => (v.tanfangId !== undefined ? due.ids.has(v.tanfangId) : v.elderRef === due.elderRef && monthOf(v.completed!.checkedInAt) === due.month));
        return { day: `${due.month}-01`, county: due.latest.county, bedType: undefined, provider: undefined, of: visited };
      });
      return grouped(items, filter, (g) => {
        const visited = g.filter(Boolean).length;
        return { scheduled: g.length, visited, notVisited: g.length - visited, rate: share(visited, g.length), target: 1 };
      });
    }
    default:
      throw new Error(`no oracle for ${metric}`);
  }
}
