import type { BedTypePolicy } from '@fbl/bed-inventory';

/**
 * 养老床位: beds in care homes. Nursing-type (护理型) and dementia-unit (认知障碍) beds are
 * attributes; a resident's bed is kept (留床) while they are in hospital.
 */
export const policy: BedTypePolicy = {
  bedType: 'care',
  service: 'care-beds',
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
};
