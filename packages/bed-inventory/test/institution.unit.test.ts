import { chinaDivisions, creditCodeCheckChar } from '@fbl/codes';
import { describe, expect, it } from 'vitest';
import { checkRegistration, type InstitutionRegistration } from '../src/domain/institution.js';
import { BED_POLICIES } from '../src/domain/policies.js';

const creditCode = (division: string) => `52${division}MA0000001` + creditCodeCheckChar(`52${division}MA0000001`);
/** A home-care provider registered in `divisionCode`, serving `serviceArea`. */
const provider = (divisionCode: string, serviceArea: string[]): InstitutionRegistration => ({
  name: '区划测试居家服务中心',
  creditCode: creditCode(divisionCode),
  divisionCode,
  kind: 'home-care-provider',
  ownership: 'private',
  capabilities: [],
  serviceArea,
  greenChannelPartners: [],
  units: [],
});
const errorsOf = (input: InstitutionRegistration, province: string) => {
  const checked = checkRegistration(BED_POLICIES['home-care'], input, chinaDivisions, province);
  return checked.ok ? [] : checked.errors;
};

describe('where an institution may be registered and serve', () => {
  it('in any city of the deployment\'s province: 济南市历下区 serving 历下区 and all of 青岛市', () => {
    expect(errorsOf(provider('370102', ['370102', '370200']), '37')).toEqual([]);
  });

  it('not outside it, each field named', () => {
    expect(errorsOf(provider('110101', ['370102', '110105']), '37')).toEqual([
      { pointer: '/divisionCode', reason: "110101 (东城区) is outside the deployment's province 370000 (山东省)" },
      { pointer: '/serviceArea/1', reason: "110105 (朝阳区) is outside the deployment's province 370000 (山东省)" },
    ]);
  });

  it('in the province the deployment is configured for, which may be another', () => {
    expect(errorsOf(provider('110101', ['110105']), '11')).toEqual([]);
    expect(errorsOf(provider('370102', ['370102']), '11').map((e) => e.pointer)).toEqual(['/divisionCode', '/serviceArea/0']);
  });

  it('not in a retired or unknown division', () => {
    expect(errorsOf(provider('371727', ['371799']), '37')).toEqual([
      { pointer: '/divisionCode', reason: '371727 (定陶县) is a retired administrative division (until 2016, now 371703)' },
      { pointer: '/serviceArea/0', reason: '371799 is not a known administrative division (table 2023-06-30)' },
    ]);
  });
});
