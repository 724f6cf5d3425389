import type { BedTypePolicy } from '@fbl/bed-inventory';

/**
 * 家庭病床: places in a primary-care institution's home-treatment caseload. A stay is an episode
 * (建床 → reviews → 撤床), reviewed every 90 days by default.
 */
export const policy: BedTypePolicy = {
  bedType: 'home-sick',
  service: 'home-sick-beds',
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
};
