import type { BedTypePolicy } from '@fbl/bed-inventory';

/**
 * 家庭养老床位: places in a care provider's home-service caseload, inside its service area; each
 * admission carries a service plan.
 */
export const policy: BedTypePolicy = {
  bedType: 'home-care',
  service: 'home-care-beds',
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
};
