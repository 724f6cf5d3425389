import { parseResidentId, type DivisionTable } from '@fbl/codes';
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

const PHONE = /^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$/;

/**
 * Check a registration: the ID's checksum and date (GB 11643), name, gender and birth date that
 * agree with the ID, a known division, a plausible phone. Every problem is named by its field.
 */
export function checkElder(input: ElderRegistration, divisions: DivisionTable, today: Date): { ok: true; elder: CheckedElder } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const id = parseResidentId(input.idNumber, { today });
  if (!id.ok) errors.push({ pointer: '/idNumber', reason: id.reason });
  if (id.ok && id.id.sex !== input.gender) errors.push({ pointer: '/gender', reason: `the ID number says ${id.id.sex}` });
  if (id.ok && id.id.birthDate !== input.birthDate) errors.push({ pointer: '/birthDate', reason: `the ID number says ${id.id.birthDate}` });
  if (input.name.trim().length === 0) errors.push({ pointer: '/name', reason: 'must not be blank' });
  if (!divisions.has(input.address.divisionCode)) errors.push({ pointer: '/address/divisionCode', reason: `${input.address.divisionCode} is not a known administrative division (table ${divisions.version})` });
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
