import { residentIdCheckChar } from '@fbl/codes';
import { describe, expect, it } from 'vitest';
import { currentAssessmentSince, readElderQuery, reassessmentDue } from '../src/domain/elder.js';

const today = new Date('2026-05-01T20:00:00Z'); // 2 May in China
const first17 = '37170219440708005';

describe('reading an elder search', () => {
  it('given nothing, a name or a whole ID number, then it searches the division, the name or the number', () => {
    expect(readElderQuery(undefined, today)).toEqual({ ok: true, query: { by: 'all' } });
    expect(readElderQuery('  ', today)).toEqual({ ok: true, query: { by: 'all' } });
    expect(readElderQuery(' 刘建国 ', today)).toEqual({ ok: true, query: { by: 'name', name: '刘建国' } });
    const withX = '37170219440708001';
    expect(readElderQuery(first17 + residentIdCheckChar(first17), today)).toEqual({ ok: true, query: { by: 'id-number', idNumber: first17 + residentIdCheckChar(first17) } });
    if (residentIdCheckChar(withX) === 'X') expect(readElderQuery(`${withX}x`, today)).toMatchObject({ ok: true, query: { idNumber: `${withX}X` } });
  });

  it('given part of a number, a wrong check character or digits in a name, then it is refused with a reason', () => {
    expect(readElderQuery('3717', today)).toMatchObject({ ok: false, reason: expect.stringContaining('whole') });
    expect(readElderQuery(first17 + (residentIdCheckChar(first17) === '0' ? '1' : '0'), today)).toMatchObject({ ok: false });
    expect(readElderQuery('刘建国1', today)).toMatchObject({ ok: false, reason: expect.stringContaining('full name') });
  });
});

describe('when an assessment is due', () => {
  it('given the latest assessment, then it is current for 183 China days and due after', () => {
    expect(currentAssessmentSince(today)).toBe('2025-10-31');
    expect(reassessmentDue('2025-10-31', today)).toBe(false);
    expect(reassessmentDue('2025-10-30', today)).toBe(true);
    expect(reassessmentDue(undefined, today)).toBe(true);
  });
});
