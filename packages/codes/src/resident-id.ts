import { chinaCalendarDay, compareDays, formatDay, isRealDate, parseIsoDay, type CalendarDay } from './calendar-day.js';
import type { DivisionTable } from './divisions.js';

/**
 * What an 18-character number of the resident ID format identifies: a resident ID card
 * (居民身份证) or a residence permit for Hong Kong / Macao (港澳居民居住证, division code
 * 810000 or 820000) or Taiwan (台湾居民居住证, 830000) residents, which use the same format.
 */
export type ResidentIdKind = 'resident' | 'hk-macao-permit' | 'taiwan-permit';

/** Sex encoded by the 17th digit: odd for male, even for female. */
export type Sex = 'male' | 'female';

/** A valid resident ID number (身份证号, GB 11643-1999) and what it encodes. */
export interface ResidentId {
  /** The number, with a lowercase check character `x` normalised to `X`. */
  readonly value: string;
  /** First six digits: division code (GB/T 2260) of the place of first registration. */
  readonly divisionCode: string;
  /** Birth date as 'YYYY-MM-DD'. */
  readonly birthDate: string;
  readonly sex: Sex;
  readonly kind: ResidentIdKind;
}

/** Which check an ID number failed: screens say it in their own language, logs and APIs use `reason`. */
export type ResidentIdFault = 'length' | 'first-generation' | 'character' | 'check-character-form' | 'province' | 'permit-code' | 'birth-date' | 'birth-too-early' | 'birth-future' | 'check-character' | 'division';

/** Outcome of {@link parseResidentId}: the parsed ID, or which check failed with a reason in English. */
export type ResidentIdResult = { ok: true; id: ResidentId } | { ok: false; reason: string; fault: ResidentIdFault };

/** Options of {@link parseResidentId}. */
export interface ParseResidentIdOptions {
  /** The day against which "born in the future" is judged (its date in UTC+8). Defaults to now. */
  today?: Date;
  /**
   * When given, the division code must be in this table, in use or retired. Old IDs keep the
   * code of their place of first registration even after that code is retired (371727 定陶县
   * became 371703 定陶区 in 2016). No table holds every code retired since 1980, so a check
   * against one refuses some real old IDs: the registry does not pass one.
   */
  divisions?: DivisionTable;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character for each remainder 0..10 of ISO 7064 MOD 11-2. */
const CHECK_CHARS = '10X98765432';
const PROVINCE_PREFIXES: ReadonlySet<string> = new Set(
  [[11, 15], [21, 23], [31, 37], [41, 46], [50, 54], [61, 65], [71, 71], [81, 83]].flatMap(([from = 0, to = 0]) =>
    Array.from({ length: to - from + 1 }, (_, i) => String(from + i)),
  ),
);
const PERMIT_KINDS: Readonly<Record<string, ResidentIdKind>> = {
  '810000': 'hk-macao-permit',
  '820000': 'hk-macao-permit',
  '830000': 'taiwan-permit',
};
/** Earliest birth year accepted; catches typos like 0950 while keeping GB 11643's 1880 example. */
const EARLIEST_BIRTH_YEAR = 1800;

/**
 * The check character (校验码) for the first 17 digits: ISO 7064 MOD 11-2, '0'–'9' or 'X'.
 * @throws RangeError when `first17` is not exactly 17 digits.
 */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('the first 17 characters of a resident ID must be digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS.charAt(sum % 11);
}

/**
 * Validates a resident ID number (身份证号, GB 11643-1999) or a Hong Kong / Macao / Taiwan
 * residence permit number, and reads what it encodes. Checks, in order: length, characters,
 * province-level prefix, birth date (real, not before 1800, not after `today`), check
 * character, and the division table if one is passed. The reason names the first failure.
 */
export function parseResidentId(value: string, options: ParseResidentIdOptions = {}): ResidentIdResult {
  const fail = (reason: string, fault: ResidentIdFault): ResidentIdResult => ({ ok: false, reason, fault });
  if (value.length !== 18) {
    return fail(
      /^\d{15}$/.test(value)
        ? 'must be 18 characters; 15-digit first-generation numbers are not accepted'
        : `must be 18 characters, not ${value.length}`,
      /^\d{15}$/.test(value) ? 'first-generation' : 'length',
    );
  }
  const normalised = value.replace(/x$/, 'X');
  for (let i = 0; i < 17; i++) {
    const c = normalised.charAt(i);
    if (c < '0' || c > '9') return fail(`character ${i + 1} (${c}) must be a digit`, 'character');
  }
  const given = normalised.charAt(17);
  if (!/^[0-9X]$/.test(given)) return fail(`character 18 (${given}) must be a digit or X`, 'check-character-form');

  const divisionCode = normalised.slice(0, 6);
  const prefix = divisionCode.slice(0, 2);
  if (!PROVINCE_PREFIXES.has(prefix)) {
    return fail(`division code ${divisionCode} does not start with a province-level code (${prefix} is not one)`, 'province');
  }
  const kind = PERMIT_KINDS[divisionCode] ?? 'resident';
  if (kind === 'resident' && ['81', '82', '83'].includes(prefix)) {
    return fail(`division code ${divisionCode} is not valid: Hong Kong, Macao and Taiwan permits use 810000, 820000 or 830000`, 'permit-code');
  }

  const written = normalised.slice(6, 14);
  const birth: CalendarDay = { year: Number(written.slice(0, 4)), month: Number(written.slice(4, 6)), day: Number(written.slice(6, 8)) };
  if (!isRealDate(birth.year, birth.month, birth.day)) return fail(`birth date ${written} is not a real date`, 'birth-date');
  if (birth.year < EARLIEST_BIRTH_YEAR) return fail(`birth date ${written} is before ${EARLIEST_BIRTH_YEAR}`, 'birth-too-early');
  if (compareDays(birth, chinaCalendarDay(options.today ?? new Date())) > 0) {
    return fail(`birth date ${formatDay(birth)} is in the future`, 'birth-future');
  }

  const expected = residentIdCheckChar(normalised.slice(0, 17));
  if (given !== expected) return fail(`check character should be ${expected}, not ${given}`, 'check-character');

  const table = options.divisions;
  if (table && kind === 'resident' && !table.everExisted(divisionCode)) {
    return fail(`division code ${divisionCode} is not a known administrative division in table ${table.version}`, 'division');
  }
  const sex: Sex = Number(normalised.charAt(16)) % 2 === 1 ? 'male' : 'female';
  return { ok: true, id: { value: normalised, divisionCode, birthDate: formatDay(birth), sex, kind } };
}

/**
 * Masks a resident ID for display and logs: the first 6 and last 4 characters stay, the 8
 * between become asterisks ('371702********123X'). Anything not 18 characters long is masked
 * entirely, since a mistyped number may still be someone's real one. Does not validate.
 */
export function maskResidentId(value: string): string {
  if (value.length !== 18) return '*'.repeat(value.length);
  return `${value.slice(0, 6)}${'*'.repeat(8)}${value.slice(14).replace(/x$/, 'X')}`;
}

/**
 * Age in completed years on `day` (its date in UTC+8) of someone born on `birthDate`
 * ('YYYY-MM-DD'). Someone born on 29 February gains a year on 1 March in common years.
 * @throws RangeError when `birthDate` is not a real 'YYYY-MM-DD' date or is after `day`.
 */
export function ageOn(birthDate: string, day: Date): number {
  const birth = parseIsoDay(birthDate);
  if (!birth) throw new RangeError(`birth date ${birthDate} is not a real YYYY-MM-DD date`);
  const on = chinaCalendarDay(day);
  if (compareDays(birth, on) > 0) throw new RangeError(`birth date ${birthDate} is after ${formatDay(on)}`);
  const birthdayPassed = compareDays({ ...on, year: birth.year }, birth) >= 0;
  return on.year - birth.year - (birthdayPassed ? 0 : 1);
}
