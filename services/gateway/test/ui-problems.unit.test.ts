import { describe, expect, it } from 'vitest';
import { fieldsText, whyKind } from '../ui/src/problem-words.js';

/*
 * The server's refusals name each field with an English reason (for developers); the Chinese page
 * says the field by its Chinese name and the kind of refusal in Chinese words.
 */
describe("the server's field refusals in the reader's words", () => {
  it('tells the kind of each reason the schemas and rules give', () => {
    expect(whyKind('is required')).toBe('required');
    expect(whyKind('must match pattern "^[0-9]{6}$"')).toBe('format');
    expect(whyKind('must match format "date"')).toBe('format');
    expect(whyKind('must be >= 1')).toBe('range');
    expect(whyKind('must NOT have more than 100 characters')).toBe('length');
    expect(whyKind('371799 is not a known administrative division (table 2023-06-30)')).toBe('division');
    expect(whyKind('371727 (定陶县) is a retired administrative division (until 2016, now 371703)')).toBe('division');
    expect(whyKind("110101 (东城区) is outside the deployment's province 370000 (山东省)")).toBe('province');
    expect(whyKind('birth date 19380230 is not a real date')).toBe('realDate');
    expect(whyKind('the check character does not match')).toBe('checkChar');
    expect(whyKind('is not an allowed field')).toBe('extra');
    expect(whyKind('something new')).toBe('other');
  });

  it('names fields in Chinese, once each, and leaves out the ones it has no name for', () => {
    expect(fieldsText('zh', [
      { field: 'from', reason: 'must match format "date"' },
      { field: 'divisionCode', reason: "110101 (东城区) is outside the deployment's province 370000 (山东省)" },
      { field: 'serviceArea.0', reason: '371799 is not a known administrative division (table 2023-06-30)' },
      { field: 'packet.diagnoses.0.code', reason: 'must match pattern "^[A-Z]"' },
      { field: 'packet.diagnoses.1.code', reason: 'must match pattern "^[A-Z]"' },
      { field: 'somethingUnnamed', reason: 'is required' },
    ])).toBe('开始日期格式不正确；行政区划不在本省；服务区域不是现行的行政区划；编码格式不正确');
    expect(fieldsText('zh', [{ field: 'unknownKey', reason: 'is required' }])).toBe('');
    expect(fieldsText('en', [{ field: 'to', reason: 'is required' }])).toBe('end date is missing');
  });
});
