import { describe, expect, it } from 'vitest';
import { staysInTheWay, type CurrentStay } from '../src/domain/stays.js';

const careHome: CurrentStay = { admissionId: 'a1', institutionId: 'home-1', bedType: 'care' };
const homeCare: CurrentStay = { admissionId: 'a2', institutionId: 'provider-2', bedType: 'home-care' };
const homeSick: CurrentStay = { admissionId: 'a3', institutionId: 'chc-3', bedType: 'home-sick' };
const ward: CurrentStay = { admissionId: 'a4', institutionId: 'hospital-4', bedType: 'medical' };

describe('an elder already in a bed (staysInTheWay)', () => {
  it('lets the referral leave the bed at its own origin', () => {
    expect(staysInTheWay([ward], { institutionId: 'hospital-4' }, ['care'])).toEqual([]);
    expect(staysInTheWay([careHome], { institutionId: 'home-1' }, ['hospice'])).toEqual([]);
  });

  it('names a bed elsewhere that a new bed would stand beside', () => {
    expect(staysInTheWay([careHome, ward], { institutionId: 'hospital-4' }, ['home-care'])).toEqual([careHome]);
    expect(staysInTheWay([homeCare], { institutionId: 'hospital-4' }, ['care'])).toEqual([homeCare]);
  });

  it('allows a home sick bed beside a home care bed and the other way round (两床融合), but not when the referral may end elsewhere', () => {
    expect(staysInTheWay([homeCare], { institutionId: 'hospital-4' }, ['home-sick'])).toEqual([]);
    expect(staysInTheWay([homeSick], { institutionId: 'hospital-4' }, ['home-care'])).toEqual([]);
    expect(staysInTheWay([homeCare], { institutionId: 'hospital-4' }, ['home-sick', 'care'])).toEqual([homeCare]);
    expect(staysInTheWay([careHome], { institutionId: 'hospital-4' }, ['home-sick'])).toEqual([careHome]);
  });

  it('finds nothing in the way of an elder in no bed', () => {
    expect(staysInTheWay([], { institutionId: 'hospital-4' }, ['care', 'hospice'])).toEqual([]);
  });
});
