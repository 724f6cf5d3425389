/**
 * The five bed types (五床) and the service that keeps each one's capacity: the one place this
 * mapping is written. Constants only (no schema library), so the web UI can import it too
 * (`@fbl/contracts/bed-services`). Every bed service publishes the same message types on its
 * own topics (`<service>.events`, `<service>.commands`); `bedType` in the data says which.
 */
export const BED_SERVICES = {
  care: 'care-beds',
  medical: 'medical-beds',
  'home-care': 'home-care-beds',
  'home-sick': 'home-sick-beds',
  hospice: 'hospice-beds',
} as const;

/** 养老床位 care, 医疗床位 medical, 家庭养老床位 home-care, 家庭病床 home-sick, 安宁疗护床位 hospice. */
export type BedType = keyof typeof BED_SERVICES;
/** The service keeping a bed type's capacity. */
export type BedService = (typeof BED_SERVICES)[BedType];
export const BED_TYPES = Object.keys(BED_SERVICES) as BedType[];
/** The bed services, in the order of {@link BED_TYPES}. */
export const BED_SERVICE_NAMES = Object.values(BED_SERVICES) as BedService[];
