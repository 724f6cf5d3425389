import { chinaDivisions } from '@fbl/codes';
import { Refusal } from '@fbl/contracts';
import { describe, expect, it } from 'vitest';
import { checkCorrection, decideCorrection, decideErasure, type RecordFacts } from '../src/domain/elder-rights.js';

const record: RecordFacts = { erased: false, divisionCode: '371702', addressLine: '幸福路8号', phone: '13800001234', guardian: { name: '女儿甲', relation: '女儿' } };
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof Refusal) return `${error.kind}/${error.code}: ${error.detail}`;
    throw error;
  }
  return 'no refusal';
};

describe("an elder's rights over the record", () => {
  it('checks a correction field by field, trimming what people type', () => {
    expect(checkCorrection({}, chinaDivisions)).toMatchObject({ ok: false, errors: [{ pointer: '' }] });
    const bad = checkCorrection({ address: { divisionCode: '371799', line: '  ' }, phone: '123', guardian: { name: ' ', relation: '', phone: '1' } }, chinaDivisions);
    expect(bad.ok ? [] : bad.errors.map((e) => e.pointer)).toEqual(['/address/divisionCode', '/address/line', '/phone', '/guardian/name', '/guardian/relation', '/guardian/phone']);
    expect(checkCorrection({ address: { divisionCode: '110101', line: ' 东城区1号 ' }, phone: null, guardian: null }, chinaDivisions)).toEqual({ ok: true, correction: { address: { divisionCode: '110101', line: '东城区1号' }, phone: null, guardian: null } });
  });

  it('names the parts a correction changes and whether the home moved', () => {
    expect(decideCorrection(record, { address: { divisionCode: '371702', line: '幸福路9号' } })).toEqual({ parts: ['address'], homeMoved: false });
    expect(decideCorrection(record, { address: { divisionCode: '371721', line: '幸福路8号' }, phone: '13800001234' })).toEqual({ parts: ['address'], homeMoved: true });
    expect(decideCorrection(record, { phone: null, guardian: { name: '女儿甲', relation: '女儿', phone: '13900000000' } })).toEqual({ parts: ['phone', 'guardian'], homeMoved: false });
    expect(refusal(() => decideCorrection(record, { phone: '13800001234', guardian: { name: '女儿甲', relation: '女儿' } }))).toBe('conflict/unchanged: the record already says this: nothing to correct');
    expect(refusal(() => decideCorrection({ ...record, erased: true }, { phone: null }))).toMatch(/^conflict\/erased: .*erased/);
  });

  it('erases once, and not while a waiting-list place or a provider needs the record', () => {
    expect(refusal(() => decideErasure({ erased: false, queueing: 0, caredFor: 0 }))).toBe('no refusal');
    expect(refusal(() => decideErasure({ erased: true, queueing: 0, caredFor: 0 }))).toMatch(/^conflict\/erased: .*erased already/);
    expect(refusal(() => decideErasure({ erased: false, queueing: 1, caredFor: 0 }))).toMatch(/^conflict\/on-waiting-list: .*waiting list/);
    expect(refusal(() => decideErasure({ erased: false, queueing: 0, caredFor: 2 }))).toMatch(/^conflict\/in-care: .*provider/);
  });
});
