import { divisionInUseProblem, parseResidentId, type DivisionTable } from '@fbl/codes';
import type { FieldError } from '@fbl/contracts';

/** What civil-affairs staff record when an elder joins the registry. */
export interface ElderRegistration {
  idNumber: string;
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
  phone?: string;
  address: { divisionCode: string; line: string };
  guardian?: { name: string; relation: string; phone?: string };
  consent: { healthData: boolean; givenBy: 'elder' | 'guardian' };
}

/** The checked registration: the normalised ID and its kind. */
export interface CheckedElder extends ElderRegistration {
  idKind: string;
  birthYear: number;
}

export const PHONE = /^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$/;

/**
 * Check a registration: the ID's checksum and date (GB 11643), name, gender and birth date that
 * agree with the ID, a division in use anywhere in the country (elders come from anywhere), a
 * plausible phone. Every problem is named by its field. The ID's first six digits are checked
 * for their province only: they name where it was first issued, often a code retired since, and
 * no table holds every retired code (see @fbl/codes).
 */
export function checkElder(input: ElderRegistration, divisions: DivisionTable, today: Date): { ok: true; elder: CheckedElder } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const id = parseResidentId(input.idNumber, { today });
  if (!id.ok) errors.push({ pointer: '/idNumber', reason: id.reason });
  if (id.ok && id.id.sex !== input.gender) errors.push({ pointer: '/gender', reason: `the ID number says ${id.id.sex}` });
  if (id.ok && id.id.birthDate !== input.birthDate) errors.push({ pointer: '/birthDate', reason: `the ID number says ${id.id.birthDate}` });
  if (input.name.trim().length === 0) errors.push({ pointer: '/name', reason: 'must not be blank' });
  const home = divisionInUseProblem(input.address.divisionCode, divisions);
  if (home !== undefined) errors.push({ pointer: '/address/divisionCode', reason: home });
  if (input.phone !== undefined && !PHONE.test(input.phone)) errors.push({ pointer: '/phone', reason: 'must be a mobile number (11 digits) or a landline with area code' });
  if (input.guardian?.phone !== undefined && !PHONE.test(input.guardian.phone)) errors.push({ pointer: '/guardian/phone', reason: 'must be a mobile number (11 digits) or a landline with area code' });
  if (!id.ok || errors.length > 0) return { ok: false, errors };
  return { ok: true, elder: { ...input, name: input.name.trim(), idNumber: id.id.value, idKind: id.id.kind, birthYear: Number(id.id.birthDate.slice(0, 4)) } };
}

/** Working days after `from` (Monday to Friday), for assessment due dates (DOMAIN §5: 3 working days). */
export function addWorkingDays(from: Date, days: number): Date {
  const d = new Date(from.getTime());
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const weekday = d.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return d;
}

/** Days an ability assessment stays current (DOMAIN §2 default: routine reassessment every six months). */
export const ASSESSMENT_VALID_DAYS = 183;

/**
 * The earliest assessment day (`YYYY-MM-DD`) still current on `today`: an assessment made on it or
 * later needs no reassessment yet. Days are China calendar days.
 */
export function currentAssessmentSince(today: Date, validDays = ASSESSMENT_VALID_DAYS): string {
  const chinaDay = new Date(today.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  return new Date(Date.parse(chinaDay) - validDays * 86_400_000).toISOString().slice(0, 10);
}

/** Whether an elder is due an assessment: never assessed, or the latest one is no longer current. */
export function reassessmentDue(latestAssessedOn: string | undefined, today: Date, validDays = ASSESSMENT_VALID_DAYS): boolean {
  return latestAssessedOn === undefined || latestAssessedOn < currentAssessmentSince(today, validDays);
}

/** What a search for elders was given: nothing (the whole division), a full name, or a whole ID number. */
export type ElderQuery = { by: 'all' } | { by: 'name'; name: string } | { by: 'id-number'; idNumber: string };

/**
 * Read the search text: digits (and a final X) are an ID number, which must be whole and valid
 * (only a whole number can be looked up by its hash); anything else is a full name, which holds
 * no digits. The reason of a refusal is an English sentence for the problem body.
 */
export function readElderQuery(text: string | undefined, today: Date): { ok: true; query: ElderQuery } | { ok: false; reason: string } {
  const q = (text ?? '').trim();
  if (q === '') return { ok: true, query: { by: 'all' } };
  if (/^[0-9]+[xX]?$/.test(q)) {
    const id = parseResidentId(q.toUpperCase(), { today });
    return id.ok ? { ok: true, query: { by: 'id-number', idNumber: id.id.value } } : { ok: false, reason: `an ID number must be whole and valid: ${id.reason}` };
  }
  if (/[0-9]/.test(q)) return { ok: false, reason: 'must be a full name or a whole ID number, not a mix of both' };
  return { ok: true, query: { by: 'name', name: q } };
}
