/**
 * The service-item catalogue of home beds (上门服务项目): what a worker may do on a visit, for which
 * home bed type, and how long it typically takes. From the Jining plan's 助餐、助浴、助洁、助急、助医、
 * 助行, 康复训练、健康监测 and the home sick bed's 巡诊、换药、导尿管护理. Codes are what messages and
 * statements carry; the labels are the pages'.
 */
export type HomeBedType = 'home-care' | 'home-sick';

export interface ServiceItem {
  zh: string;
  en: string;
  bedTypes: readonly HomeBedType[];
  /** Typical minutes of the item on one visit. */
  minutes: number;
}

export const SERVICE_ITEMS = {
  bathing: { zh: '助浴', en: 'Bathing', bedTypes: ['home-care'], minutes: 60 },
  cleaning: { zh: '助洁', en: 'Cleaning', bedTypes: ['home-care'], minutes: 60 },
  meals: { zh: '助餐', en: 'Meals', bedTypes: ['home-care'], minutes: 30 },
  mobility: { zh: '助行', en: 'Walking help', bedTypes: ['home-care'], minutes: 30 },
  'medical-escort': { zh: '助医', en: 'Escort to the doctor', bedTypes: ['home-care'], minutes: 120 },
  rehabilitation: { zh: '康复训练', en: 'Rehabilitation exercises', bedTypes: ['home-care', 'home-sick'], minutes: 45 },
  'health-monitoring': { zh: '健康监测', en: 'Health monitoring', bedTypes: ['home-care', 'home-sick'], minutes: 15 },
  nursing: { zh: '护理', en: 'Nursing care', bedTypes: ['home-care', 'home-sick'], minutes: 30 },
  rounds: { zh: '巡诊', en: 'Doctor’s round', bedTypes: ['home-sick'], minutes: 30 },
  'dressing-change': { zh: '换药', en: 'Dressing change', bedTypes: ['home-sick'], minutes: 20 },
  'catheter-care': { zh: '导尿管护理', en: 'Catheter care', bedTypes: ['home-sick'], minutes: 20 },
  injection: { zh: '注射', en: 'Injection', bedTypes: ['home-sick'], minutes: 15 },
} as const satisfies Record<string, ServiceItem>;

export type ServiceItemCode = keyof typeof SERVICE_ITEMS;

/** Whether a code is an item of the catalogue for a home bed type. */
export function isItemFor(code: string, bedType: HomeBedType): code is ServiceItemCode {
  return Object.hasOwn(SERVICE_ITEMS, code) && (SERVICE_ITEMS[code as ServiceItemCode].bedTypes as readonly string[]).includes(bedType);
}

/** The catalogue of one home bed type, in catalogue order. */
export function catalogueFor(bedType: HomeBedType): { code: ServiceItemCode; zh: string; en: string; minutes: number }[] {
  return (Object.entries(SERVICE_ITEMS) as [ServiceItemCode, ServiceItem][]).filter(([, item]) => item.bedTypes.includes(bedType)).map(([code, item]) => ({ code, zh: item.zh, en: item.en, minutes: item.minutes }));
}
