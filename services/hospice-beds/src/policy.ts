import type { BedTypePolicy } from '@fbl/bed-inventory';

/** 安宁疗护床位: inpatient palliative beds, and home-hospice places. */
export const policy: BedTypePolicy = {
  bedType: 'hospice',
  service: 'hospice-beds',
  dbSchema: 'hospice_beds',
  title: { zh: '安宁疗护床位', en: 'hospice beds' },
  unitKinds: ['bed', 'slot'],
  attributes: {
    mode: { type: 'enum', values: ['inpatient', 'home'], label: '服务方式' },
  },
  institutionKinds: ['hospital', 'hospice', 'integrated-care', 'community-health-centre'],
  requiresServiceArea: false,
  holdHours: 24,
};
