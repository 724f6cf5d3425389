import { divisionInUseProblem, type DivisionTable } from '@fbl/codes';
import { Refusal, type FieldError } from '@fbl/contracts';
import { PHONE } from './elder.js';

/**
 * An elder's rights over their record (PIPL art. 46–47) as pure rules: correcting the address,
 * phone or guardian, and erasing the personal information. Callers pass the record's facts.
 */

/** What a correction may change: the home (division and address line), the phone, the guardian; null removes the phone or guardian. */
export interface Correction {
  address?: { divisionCode: string; line: string };
  phone?: string | null;
  guardian?: { name: string; relation: string; phone?: string } | null;
}

export type CorrectablePart = 'address' | 'phone' | 'guardian';

/** The record as it stands, opened: what a correction is compared with. */
export interface RecordFacts {
  erased: boolean;
  divisionCode: string;
  addressLine: string;
  phone: string | null;
  guardian: { name: string; relation: string; phone?: string } | null;
}

/** Check a correction's fields: a division in use, a non-blank address line, plausible phones, a guardian with a name and a relation. */
export function checkCorrection(input: Correction, divisions: DivisionTable): { ok: true; correction: Correction } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (input.address === undefined && input.phone === undefined && input.guardian === undefined) errors.push({ pointer: '', reason: 'names nothing to correct: give address, phone or guardian' });
  if (input.address) {
    const home = divisionInUseProblem(input.address.divisionCode, divisions);
    if (home !== undefined) errors.push({ pointer: '/address/divisionCode', reason: home });
    if (input.address.line.trim().length === 0) errors.push({ pointer: '/address/line', reason: 'must not be blank' });
  }
  if (typeof input.phone === 'string' && !PHONE.test(input.phone)) errors.push({ pointer: '/phone', reason: 'must be a mobile number (11 digits) or a landline with area code' });
  if (input.guardian) {
    if (input.guardian.name.trim().length === 0) errors.push({ pointer: '/guardian/name', reason: 'must not be blank' });
    if (input.guardian.relation.trim().length === 0) errors.push({ pointer: '/guardian/relation', reason: 'must not be blank' });
    if (input.guardian.phone !== undefined && !PHONE.test(input.guardian.phone)) errors.push({ pointer: '/guardian/phone', reason: 'must be a mobile number (11 digits) or a landline with area code' });
  }
  if (errors.length > 0) return { ok: false, errors };
  const guardian = input.guardian ? { name: input.guardian.name.trim(), relation: input.guardian.relation.trim(), ...(input.guardian.phone ? { phone: input.guardian.phone } : {}) } : input.guardian;
  return {
    ok: true,
    correction: {
      ...(input.address ? { address: { divisionCode: input.address.divisionCode, line: input.address.line.trim() } } : {}),
      ...(input.phone !== undefined ? { phone: input.phone } : {}),
      ...(guardian !== undefined ? { guardian } : {}),
    },
  };
}

const sameGuardian = (a: RecordFacts['guardian'], b: RecordFacts['guardian']) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The parts a correction changes, and whether the elder's home division moved. An erased record
 * has nothing left to correct; a correction that changes nothing is refused so the person hears
 * the record already says so.
 */
/** Why a correction or an erasure is refused, as the problem type the caller reads (its words are the caller's). */
export type RightsRefusalCode = 'erased' | 'unchanged' | 'on-waiting-list' | 'in-care';

const refused = (code: RightsRefusalCode, detail: string) => new Refusal('conflict', detail, { code });

export function decideCorrection(record: RecordFacts, correction: Correction): { parts: CorrectablePart[]; homeMoved: boolean } {
  if (record.erased) throw refused('erased', "this elder's personal information was erased: there is nothing left to correct");
  const parts: CorrectablePart[] = [];
  if (correction.address && (correction.address.divisionCode !== record.divisionCode || correction.address.line !== record.addressLine)) parts.push('address');
  if (correction.phone !== undefined && correction.phone !== record.phone) parts.push('phone');
  if (correction.guardian !== undefined && !sameGuardian(correction.guardian, record.guardian)) parts.push('guardian');
  if (parts.length === 0) throw refused('unchanged', 'the record already says this: nothing to correct');
  return { parts, homeMoved: correction.address !== undefined && correction.address.divisionCode !== record.divisionCode };
}

/** Why personal information is erased: the person asked (PIPL art. 47 (1)(5)), or the time to keep it passed (art. 47 (1)(1)(2)). */
export type ErasureGround = 'request' | 'retention';

/**
 * Whether an elder's personal information may be erased now: not twice, and not while it is
 * needed for a service the elder is in (a waiting-list place, or a provider receiving or caring
 * for them: PIPL art. 13 (2)); those end first.
 */
export function decideErasure(standing: { erased: boolean; queueing: number; caredFor: number }): void {
  if (standing.erased) throw refused('erased', "this elder's personal information was erased already");
  if (standing.queueing > 0) throw refused('on-waiting-list', 'the elder holds a place on a waiting list: withdraw it before erasing the record');
  if (standing.caredFor > 0) throw refused('in-care', 'a provider is receiving or caring for the elder: the record is needed until that service ends');
}
