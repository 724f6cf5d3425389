import { BED_SERVICES, type BedType } from '@fbl/contracts/bed-services';
import type { BedTypePolicy } from './policy.js';

/**
 * The five bed types' policies: capacity model, unit attributes, institution kinds and
 * lifecycle rules, with default numbers (each service's configuration may override them).
 * Kept here, in one table, so the bed services stay thin and the workflow can read what each
 * bed type offers.
 */
export const BED_POLICIES: Readonly<Record<BedType, BedTypePolicy>> = {
  /**
   * 养老床位: beds in care homes. Nursing-type (护理型) and dementia-unit (认知障碍) beds are
   * attributes; a resident's bed is kept (留床) while they are in hospital.
   */
  care: {
    bedType: 'care',
    service: BED_SERVICES['care'],
    dbSchema: 'care_beds',
    title: { zh: '养老床位', en: 'care beds' },
    unitKinds: ['bed'],
    attributes: {
      nursingType: { type: 'boolean', label: '护理型床位' },
      dementia: { type: 'boolean', label: '认知障碍照护床位' },
      gender: { type: 'enum', values: ['male', 'female', 'any'], label: '性别' },
      room: { type: 'text', maxLength: 40, label: '房间' },
    },
    institutionKinds: ['care-home', 'integrated-care'],
    requiresServiceArea: false,
    holdHours: 48,
    keptBed: { days: 15 },
  },
  /** 医疗床位: hospital beds, by department and ward; the way back to hospital in a round trip. */
  medical: {
    bedType: 'medical',
    service: BED_SERVICES['medical'],
    dbSchema: 'medical_beds',
    title: { zh: '医疗床位', en: 'medical beds' },
    unitKinds: ['bed'],
    attributes: {
      department: { type: 'text', maxLength: 40, label: '科室' },
      ward: { type: 'text', maxLength: 40, label: '病区' },
      gender: { type: 'enum', values: ['male', 'female', 'any'], label: '性别' },
    },
    institutionKinds: ['hospital', 'integrated-care'],
    requiresServiceArea: false,
    holdHours: 24,
  },
  /**
   * 家庭养老床位: places in a care provider's home-service caseload, inside its service area; each
   * admission carries a service plan.
   */
  'home-care': {
    bedType: 'home-care',
    service: BED_SERVICES['home-care'],
    dbSchema: 'home_care_beds',
    title: { zh: '家庭养老床位', en: 'home care beds' },
    unitKinds: ['slot'],
    attributes: {
      careLevel: { type: 'enum', values: ['standard', 'intensive'], label: '照护等级' },
    },
    institutionKinds: ['home-care-provider', 'care-home', 'integrated-care'],
    requiresServiceArea: true,
    holdHours: 72,
    servicePlan: true,
    visits: true,
  },
  /**
   * 家庭病床: places in a primary-care institution's home-treatment caseload. A stay is an episode
   * (建床 → reviews → 撤床), reviewed every 90 days by default.
   */
  'home-sick': {
    bedType: 'home-sick',
    service: BED_SERVICES['home-sick'],
    dbSchema: 'home_sick_beds',
    title: { zh: '家庭病床', en: 'home sick beds' },
    unitKinds: ['slot'],
    attributes: {
      team: { type: 'text', maxLength: 40, label: '家庭医生团队' },
    },
    institutionKinds: ['community-health-centre', 'township-health-centre', 'hospital'],
    requiresServiceArea: true,
    holdHours: 72,
    episodes: { reviewDays: 90 },
    visits: true,
  },
  /** 安宁疗护床位: inpatient palliative beds, and home-hospice places. */
  hospice: {
    bedType: 'hospice',
    service: BED_SERVICES['hospice'],
    dbSchema: 'hospice_beds',
    title: { zh: '安宁疗护床位', en: 'hospice beds' },
    unitKinds: ['bed', 'slot'],
    attributes: {
      mode: { type: 'enum', values: ['inpatient', 'home'], label: '服务方式' },
    },
    institutionKinds: ['hospital', 'hospice', 'integrated-care', 'community-health-centre'],
    requiresServiceArea: false,
    holdHours: 24,
  },
};
