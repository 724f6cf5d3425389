/**
 * Calendar days for the dates written inside Chinese identifiers. Internal to this package.
 *
 * A birth date in a resident ID is a day on the Chinese calendar, so "today" is taken in
 * China Standard Time (UTC+8, no daylight saving) whatever time zone the server runs in;
 * otherwise a person born today would look unborn between midnight and 08:00 in China.
 */

/** A day on the calendar, month 1–12. */
export interface CalendarDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The calendar day in China Standard Time at the given instant. */
export function chinaCalendarDay(instant: Date): CalendarDay {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('the reference day is an invalid Date');
  const shifted = new Date(ms + CHINA_OFFSET_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** Whether year-month-day exists on the Gregorian calendar (Feb 29 only in leap years). */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Negative when a is before b, zero on the same day, positive after. */
export function compareDays(a: CalendarDay, b: CalendarDay): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** ISO form 'YYYY-MM-DD'. */
export function formatDay(d: CalendarDay): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** Reads 'YYYY-MM-DD' into a real calendar day, or undefined. */
export function parseIsoDay(text: string): CalendarDay | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isRealDate(year, month, day) ? { year, month, day } : undefined;
}
