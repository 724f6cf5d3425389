import type { BedTypePolicy } from '@fbl/bed-inventory';

/** 医疗床位: hospital beds, by department and ward; the way back to hospital in a round trip. */
export const policy: BedTypePolicy = {
  bedType: 'medical',
  service: 'medical-beds',
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
};
