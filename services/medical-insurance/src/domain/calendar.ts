/**
 * Calendar arithmetic for LTCI deadlines. Instants move by exact durations; policy days
 * (`YYYY-MM-DD`) are days in China (see `chinaDay` of @fbl/scales) and move by calendar months.
 */

const DAY_MS = 24 * 3600_000;

/** The instant `days` whole days after `from`. */
export function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}

/** The instant `months` calendar months after `from` (UTC), the day clamped to the month's last. */
export function addMonths(from: Date, months: number): Date {
  const target = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(from.getUTCDate(), lastDay));
  target.setUTCHours(from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds());
  return target;
}

function parseDay(day: string): { y: number; m: number; d: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new RangeError(`not a day: ${day}`);
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The day `months` calendar months after `day`, clamped to the month's last day (05-31 + 6 → 11-30). */
export function addMonthsToDay(day: string, months: number): string {
  const { y, m, d } = parseDay(day);
  return formatDay(addMonths(new Date(Date.UTC(y, m - 1, d)), months));
}

/** The first day of the month after `day` (2026-05-14 → 2026-06-01; 2026-12-31 → 2027-01-01). */
export function firstOfNextMonth(day: string): string {
  const { y, m } = parseDay(day);
  return formatDay(new Date(Date.UTC(y, m, 1)));
}
