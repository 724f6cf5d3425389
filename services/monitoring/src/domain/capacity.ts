import { chinaDay, DAY_MS, nextDay, startOfChinaDay } from './periods.js';

/** Capacity of one institution at one moment, as the commission counts it. */
export interface CapacityCounts {
  total: number;
  /** Units not closed. */
  open: number;
  occupied: number;
  /** Nursing-type (护理型) units. */
  nursing: number;
  /** Dementia-care (认知障碍) units. */
  dementia: number;
}

/** A capacity unit group as BedAvailabilityChanged reports it. */
export interface ReportedUnits {
  attributes: Record<string, string | boolean>;
  total: number;
  occupied: number;
  closed: number;
}

/** The counts of an availability report. */
export function countsOf(units: readonly ReportedUnits[]): CapacityCounts {
  const counts: CapacityCounts = { total: 0, open: 0, occupied: 0, nursing: 0, dementia: 0 };
  for (const u of units) {
    counts.total += u.total;
    counts.open += u.total - u.closed;
    counts.occupied += u.occupied;
    if (u.attributes['nursingType'] === true) counts.nursing += u.total;
    if (u.attributes['dementia'] === true) counts.dementia += u.total;
  }
  return counts;
}

/** The milliseconds of `[start, end)` falling on each China day, earliest first. */
export function splitByChinaDay(start: Date, end: Date): { day: string; ms: number }[] {
  const pieces: { day: string; ms: number }[] = [];
  let day = chinaDay(start);
  let from = start.getTime();
  const until = end.getTime();
  while (from < until) {
    const dayEnd = Math.min(startOfChinaDay(nextDay(day)).getTime(), until);
    pieces.push({ day, ms: dayEnd - from });
    from = dayEnd;
    day = nextDay(day);
    if (pieces.length > 366 * 50) throw new Error('capacity step longer than fifty years');
  }
  return pieces;
}

export { DAY_MS };
