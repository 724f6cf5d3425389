/** A version of rules or standards, applying from a day on until a later version replaces it. */
export interface Versioned {
  /** Stable name of the version; every result carries it, so a stored result can be audited. */
  readonly version: string;
  /** First day it applies, `YYYY-MM-DD`, a day in China (UTC+8). */
  readonly effectiveFrom: string;
}

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * The day `YYYY-MM-DD` in China Standard Time (UTC+8, no daylight saving) at an instant: policy
 * dates are Chinese calendar days whatever time zone the server runs in.
 * @throws RangeError for an invalid Date.
 */
export function chinaDay(on: Date): string {
  const ms = on.getTime();
  if (Number.isNaN(ms)) throw new RangeError('the date is an invalid Date');
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The version in effect on `on` (its day in China): the one with the latest `effectiveFrom` not
 * after that day, or `undefined` when `on` is before every version. The list need not be sorted.
 * @throws RangeError for an invalid Date, or two versions taking effect on the same day.
 */
export function versionInEffect<T extends Versioned>(versions: readonly T[], on: Date): T | undefined {
  const day = chinaDay(on);
  const days = versions.map((v) => v.effectiveFrom);
  const clash = days.find((d, i) => days.indexOf(d) !== i);
  if (clash !== undefined) throw new RangeError(`two versions take effect on ${clash}: which applies is ambiguous`);
  let chosen: T | undefined;
  for (const candidate of versions) {
    if (candidate.effectiveFrom <= day && (chosen === undefined || candidate.effectiveFrom > chosen.effectiveFrom)) {
      chosen = candidate;
    }
  }
  return chosen;
}
