import { NHSA_2021 } from '@fbl/scales';

/** English names of the items (the standard and `@fbl/scales` name them in Chinese). */
const ITEM_EN: Record<string, string> = {
  feeding: 'Feeding',
  bathing: 'Bathing',
  grooming: 'Grooming',
  dressing: 'Dressing',
  bowelControl: 'Bowel control',
  bladderControl: 'Bladder control',
  toiletUse: 'Toilet use',
  transfer: 'Bed–chair transfer',
  mobility: 'Walking on the flat',
  stairs: 'Stairs',
  timeOrientation: 'Orientation in time',
  personOrientation: 'Orientation to people',
  placeOrientation: 'Orientation in place',
  memory: 'Memory',
  vision: 'Vision',
  hearing: 'Hearing',
  communication: 'Communication',
};

/** The items of the NHSA 2021 LTCI disability scale from `@fbl/scales`, the rules the API grades with. */
export const INDICATORS = Object.entries(NHSA_2021.indicators).map(([key, d]) => ({
  key,
  items: d.items.map((item) => ({ code: item.code, zh: item.zh, en: ITEM_EN[item.code] ?? item.code, allowed: [...item.allowed] })),
}));
export const ITEMS = INDICATORS.flatMap((i) => i.items);
