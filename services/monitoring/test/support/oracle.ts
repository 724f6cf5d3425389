/**
 * The expected figures of a generated history, computed from the journeys' facts with plain
 * arithmetic, independently of the projections and their SQL.
 */
import type { History, Institution, Journey } from './history.js';

const DAY = 86_400_000;
const CST = 8 * 3_600_000;

export interface Filter {
  from: string;
  to: string;
  groupBy: 'total' | 'day' | 'week' | 'month' | 'city' | 'county' | 'bedType' | 'provider';
  division?: string;
  bedType?: string;
  provider?: string;
}
export interface Row {
  key: string;
  sub?: string;
  values: Record<string, number | null>;
}

const dayOf = (ms: number) => new Date(ms + CST).toISOString().slice(0, 10);
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`) - CST;
const mondayOf = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY).toISOString().slice(0, 10);
};
const cityOf = (county: string) => `${county.slice(0, 4)}00`;
const covers = (division: string | undefined, county: string | undefined) => {
  if (!division) return true;
  if (!county) return false;
  const prefix = division.endsWith('0000') ? division.slice(0, 2) : division.endsWith('00') ? division.slice(0, 4) : division;
  return county.startsWith(prefix);
};
const rankValue = (values: number[], p: number): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(p * sorted.length) - 1]!;
};
const share = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);

/** An item counted by a metric: where and when it falls, and whatever the metric reads. */
interface Item<T> {
  at: number | null;
  county: string | undefined;
  bedType: string | undefined;
  provider: string | undefined;
  sub?: string;
  of: T;
}

function timeKey(groupBy: Filter['groupBy'], at: number | null): string | undefined {
  if (at === null) return 'total';
  const day = dayOf(at);
  if (groupBy === 'day') return day;
  if (groupBy === 'week') return mondayOf(day);
  if (groupBy === 'month') return day.slice(0, 7);
  return undefined;
}

function keyOf<T>(item: Item<T>, groupBy: Filter['groupBy']): string {
  switch (groupBy) {
    case 'total':
      return 'total';
    case 'city':
      return item.county ? cityOf(item.county) : 'unknown';
    case 'county':
      return item.county ?? 'unknown';
    case 'bedType':
      return item.bedType ?? 'unknown';
    case 'provider':
      return item.provider ?? 'none';
    case 'day':
    case 'week':
    case 'month':
      return timeKey(groupBy, item.at)!;
  }
}

/** Filter items by the period and the filter, group them, and compute each group's values. */
function grouped<T>(items: Item<T>[], filter: Filter, compute: (group: T[]) => Record<string, number | null>, timed = true): Row[] {
  const start = dayStart(filter.from);
  const end = dayStart(filter.to) + DAY;
  const groups = new Map<string, { key: string; sub: string | undefined; of: T[] }>();
  for (const item of items) {
    if (timed && (item.at === null || item.at < start || item.at >= end)) continue;
    if (!covers(filter.division, item.county)) continue;
    if (filter.bedType && item.bedType !== filter.bedType) continue;
    if (filter.provider && item.provider !== filter.provider) continue;
    const key = keyOf(timed ? item : { ...item, at: null }, filter.groupBy);
    const id = `${key}\u0000${item.sub ?? ''}`;
    const group = groups.get(id) ?? { key, sub: item.sub, of: [] };
    group.of.push(item.of);
    groups.set(id, group);
  }
  return [...groups.values()]
    .map((g) => ({ key: g.key, ...(g.sub !== undefined ? { sub: g.sub } : {}), values: compute(g.of) }))
    .sort((a, b) => (a.key === b.key ? ((a.sub ?? '') < (b.sub ?? '') ? -1 : 1) : a.key < b.key ? -1 : 1));
}

/** What the projection should know of a journey. */
interface Facts {
  j: Journey;
  placed: Institution | undefined;
  bedType: string;
  stage: string;
  open: boolean;
  arrivedAt: number | undefined;
  firstResponseAt: number | undefined;
}

function factsOf(j: Journey): Facts {
  const placed = j.admission?.institution ?? (j.closed ? j.placed : undefined);
  const responses = j.offers.filter((o) => o.answer && o.answer.kind !== 'expired').map((o) => o.answer!.at);
  const followUp = j.stages.find((s) => s.to === 'followUp');
  return {
    j,
    placed,
    bedType: placed?.bedType ?? j.requested[0]!,
    stage: j.stages.at(-1)?.to ?? 'intake',
    open: !j.closed && !j.cancelled,
    arrivedAt: j.admission?.admittedAt ?? followUp?.at,
    firstResponseAt: responses.length > 0 ? Math.min(...responses) : undefined,
  };
}

const durations = (group: number[]) => ({ count: group.length, medianMs: rankValue(group, 0.5), p90Ms: rankValue(group, 0.9), medianMinutes: null as number | null, p90Minutes: null as number | null });
const withMinutes = (v: ReturnType<typeof durations>) => ({ ...v, medianMinutes: v.medianMs === null ? null : v.medianMs / 60_000, p90Minutes: v.p90Ms === null ? null : v.p90Ms / 60_000 });

/** The expected rows of one metric for one filter. */
export function expected(history: History, metric: string, filter: Filter): Row[] {
  const facts = history.journeys.map(factsOf);
  const referralItem = <T>(f: Facts, at: number | undefined, of: T, sub?: string): Item<T> => ({
    at: at ?? null,
    county: f.j.origin.county,
    bedType: f.bedType,
    provider: f.placed?.id,
    ...(sub !== undefined ? { sub } : {}),
    of,
  });
  const offers = history.journeys.flatMap((j) => j.offers);
  const offerItem = <T>(o: (typeof offers)[number], of: T, sub?: string): Item<T> => ({
    at: o.offeredAt,
    county: o.institution.county,
    bedType: o.institution.bedType,
    provider: o.institution.id,
    ...(sub !== undefined ? { sub } : {}),
    of,
  });

  switch (metric) {
    case 'acceptance-rate':
      return grouped(
        offers.map((o) => offerItem(o, o.answer?.kind ?? 'open')),
        filter,
        (g) => {
          const c = (k: string) => g.filter((x) => x === k).length;
          return { accepted: c('accepted'), declined: c('declined'), expired: c('expired'), open: c('open'), rate: share(c('accepted'), c('accepted') + c('declined') + c('expired')) };
        },
      );
    case 'closed-loop':
      return grouped(
        facts.map((f) => referralItem(f, f.j.startedAt, f)),
        filter,
        (g) => {
          const inLoop = g.filter((f) => f.j.closed && !f.j.closed.late).length;
          return {
            started: g.length,
            closedInLoop: inLoop,
            closedLate: g.filter((f) => f.j.closed?.late).length,
            cancelled: g.filter((f) => f.j.cancelled).length,
            open: g.filter((f) => f.open).length,
            rate: share(inLoop, g.length),
          };
        },
      );
    case 'open-by-stage':
      return grouped(
        facts.filter((f) => f.open).map((f) => referralItem(f, f.j.startedAt, f, f.stage)),
        filter,
        (g) => ({ open: g.length, urgent: g.filter((f) => f.j.urgent).length }),
      );
    case 'first-response':
      return grouped(
        facts.filter((f) => f.firstResponseAt !== undefined).map((f) => referralItem(f, f.j.startedAt, f.firstResponseAt! - f.j.startedAt)),
        filter,
        (g) => withMinutes(durations(g)),
      );
    case 'placement-time':
    case 'green-channel-time':
      return grouped(
        facts.filter((f) => f.arrivedAt !== undefined && (metric === 'placement-time' || f.j.urgent)).map((f) => referralItem(f, f.j.startedAt, f.arrivedAt! - f.j.startedAt)),
        filter,
        (g) => withMinutes(durations(g)),
      );
    case 'decline-reasons':
      return grouped(
        offers.filter((o) => o.answer?.kind === 'declined').map((o) => offerItem(o, 1, o.answer!.reason ?? 'other')),
        filter,
        (g) => ({ declined: g.length }),
      );
    case 'flows-by-bed-type':
      return grouped(
        facts.filter((f) => f.arrivedAt !== undefined).map((f) => referralItem(f, f.arrivedAt, 1, `${f.j.origin.bedType}→${f.bedType}`)),
        filter,
        (g) => ({ transfers: g.length }),
      );
    case 'flows-by-district':
      return grouped(
        facts.filter((f) => f.arrivedAt !== undefined).map((f) => referralItem(f, f.arrivedAt, 1, `${f.j.origin.county}→${f.placed?.county ?? 'unknown'}`)),
        filter,
        (g) => ({ transfers: g.length }),
      );
    case 'readmission-31d': {
      const medicalAdmissions = history.journeys.filter((j) => j.admission?.institution.bedType === 'medical').map((j) => ({ elder: j.elderRef, at: j.admission!.admittedAt }));
      const window = 31 * DAY;
      return grouped(
        facts
          .filter((f) => f.j.origin.bedType === 'medical' && f.arrivedAt !== undefined && f.arrivedAt + window <= history.asOf)
          .map((f) => referralItem(f, f.arrivedAt, medicalAdmissions.some((a) => a.elder === f.j.elderRef && a.at > f.arrivedAt! && a.at <= f.arrivedAt! + window))),
        filter,
        (g) => {
          const readmitted = g.filter(Boolean).length;
          return { transfers: g.length, readmitted, rate: share(readmitted, g.length) };
        },
      );
    }
    case 'deadline-breaches': {
      const items: Item<number>[] = [
        ...offers.filter((o) => o.answer?.kind === 'expired').map((o) => ({ at: o.respondBy, county: o.institution.county, bedType: o.institution.bedType, provider: o.institution.id, sub: 'offer-expired', of: 1 })),
        ...facts
          .filter((f) => f.j.closed?.late)
          .map((f) => ({ at: f.j.closed!.at, county: f.placed?.county, bedType: f.placed?.bedType, provider: f.placed?.id, sub: 'follow-up-late', of: 1 })),
      ];
      return grouped(items, filter, (g) => ({ breaches: g.length }));
    }
    case 'escalations':
      return grouped(
        facts.filter((f) => f.j.escalations.length > 0).map((f) => referralItem(f, Math.min(...f.j.escalations), f)),
        filter,
        (g) => ({ referrals: g.length, escalations: g.reduce((n, f) => n + f.j.escalations.length, 0), stillEscalated: g.filter((f) => f.stage === 'escalated').length }),
      );
    case 'eligibility':
      return grouped(
        facts.map((f) => referralItem(f, f.j.startedAt, f)),
        filter,
        (g) => {
          const waits = g.filter((f) => f.j.assessedAt !== undefined).map((f) => f.j.assessedAt! - f.j.startedAt);
          const median = rankValue(waits, 0.5);
          return {
            assessed: waits.length,
            medianAssessmentMs: median,
            ltciAuthorised: g.filter((f) => f.j.ltci?.decision === 'authorised').length,
            ltciRefused: g.filter((f) => f.j.ltci?.decision === 'refused').length,
            medianAssessmentMinutes: median === null ? null : median / 60_000,
          };
        },
      );
    case 'occupancy':
    case 'nursing-share':
      return bedDayRows(history, metric, filter);
    case 'capacity-now': {
      const items = history.institutions.map((i) => {
        const last = i.steps.at(-1)!;
        const sum = (f: (u: (typeof last.units)[number]) => number) => last.units.reduce((n, u) => n + f(u), 0);
        return { at: null, county: i.county, bedType: i.bedType, provider: i.id, of: { care: i.bedType === 'care', total: sum((u) => u.total), open: sum((u) => u.total - u.closed), occupied: sum((u) => u.occupied), nursing: sum((u) => (u.attributes['nursingType'] === true ? u.total : 0)), dementia: sum((u) => (u.attributes['dementia'] === true ? u.total : 0)) } };
      });
      return grouped(
        items,
        filter,
        (g) => {
          const care = g.filter((x) => x.care);
          const sum = (list: typeof g, f: (x: (typeof g)[number]) => number) => (list.length === 0 ? null : list.reduce((n, x) => n + f(x), 0));
          const total = sum(g, (x) => x.total);
          const open = sum(g, (x) => x.open);
          const occupied = sum(g, (x) => x.occupied);
          const nursing = sum(care, (x) => x.nursing);
          const careTotal = sum(care, (x) => x.total);
          return { total, open, occupied, nursing, dementia: sum(care, (x) => x.dementia), careTotal, occupancy: share(occupied, open), nursingShare: share(nursing, careTotal) };
        },
        false,
      );
    }
    default:
      throw new Error(`no oracle for ${metric}`);
  }

}

/** Unit-milliseconds of each institution's capacity steps, cut at day boundaries (CST) and at asOf. */
function bedDayRows(history: History, metric: 'occupancy' | 'nursing-share', filter: Filter): Row[] {
  interface Piece {
    day: string;
    inst: Institution;
    ms: number;
    total: number;
    open: number;
    occupied: number;
    nursing: number;
    dementia: number;
  }
  const pieces: Piece[] = [];
  const periodStart = dayStart(filter.from);
  const periodEnd = Math.min(dayStart(filter.to) + DAY, history.asOf);
  for (const inst of history.institutions) {
    inst.steps.forEach((step, i) => {
      const stepEnd = i + 1 < inst.steps.length ? inst.steps[i + 1]!.at : history.asOf;
      const sum = (f: (u: (typeof step.units)[number]) => number) => step.units.reduce((n, u) => n + f(u), 0);
      const counts = {
        total: sum((u) => u.total),
        open: sum((u) => u.total - u.closed),
        occupied: sum((u) => u.occupied),
        nursing: sum((u) => (u.attributes['nursingType'] === true ? u.total : 0)),
        dementia: sum((u) => (u.attributes['dementia'] === true ? u.total : 0)),
      };
      for (let dayBegin = dayStart(dayOf(Math.max(step.at, periodStart))); dayBegin < Math.min(stepEnd, periodEnd); dayBegin += DAY) {
        const ms = Math.min(dayBegin + DAY, stepEnd, periodEnd) - Math.max(dayBegin, step.at, periodStart);
        if (ms > 0) pieces.push({ day: dayOf(dayBegin), inst, ms, ...counts });
      }
    });
  }
  const items = pieces
    .filter((p) => metric === 'occupancy' || p.inst.bedType === 'care')
    .map((p) => ({ at: dayStart(p.day), county: p.inst.county, bedType: p.inst.bedType, provider: p.inst.id, of: p }));
  return grouped(items, filter, (g): Record<string, number | null> => {
    const sum = (f: (p: Piece) => number) => g.reduce((n, p) => n + f(p) * p.ms, 0);
    if (metric === 'occupancy') {
      const occupiedMs = sum((p) => p.occupied);
      const openMs = sum((p) => p.open);
      return { occupiedMs, openMs, rate: share(occupiedMs, openMs), occupiedBedDays: occupiedMs / DAY, openBedDays: openMs / DAY };
    }
    const nursingMs = sum((p) => p.nursing);
    const dementiaMs = sum((p) => p.dementia);
    const totalMs = sum((p) => p.total);
    return { nursingMs, dementiaMs, totalMs, nursingShare: share(nursingMs, totalMs), dementiaShare: share(dementiaMs, totalMs), dementiaBedDays: dementiaMs / DAY };
  });
}
