/**
 * Time as the commission counts it: days, weeks and months of China Standard Time (UTC+8, no
 * daylight saving). Pure functions, used by the queries and by anyone checking their figures.
 */

/** How figures are grouped. */
export const GROUPINGS = ['total', 'day', 'week', 'month', 'city', 'county', 'bedType', 'provider'] as const;
export type Grouping = (typeof GROUPINGS)[number];

const OFFSET_MS = 8 * 3600_000;
export const DAY_MS = 86_400_000;

/** The calendar day (YYYY-MM-DD) of an instant in China Standard Time. */
export function chinaDay(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The first instant of a China Standard Time day. */
export function startOfChinaDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - OFFSET_MS);
}

/** The Monday (YYYY-MM-DD) of the ISO week holding a day. */
export function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * DAY_MS).toISOString().slice(0, 10);
}

/** The month (YYYY-MM) of a day. */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

/** The day after a day. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** A period of whole days, both ends included, as the half-open interval of instants it covers. */
export function periodBounds(from: string, to: string): { start: Date; end: Date } {
  return { start: startOfChinaDay(from), end: startOfChinaDay(nextDay(to)) };
}

/** The city (市) of a county division code: its first four digits and `00`. */
export function cityOf(divisionCode: string): string {
  return `${divisionCode.slice(0, 4)}00`;
}

/** What a division filter covers: the codes sharing its prefix (one rule with the accounts' scopes). */
export { divisionPrefix } from '@fbl/auth';
