/**
 * The Chinese words of the exports (CSV and the Excel workbook), which a commission reads as
 * they are: the codes of the projections (bed types, stages, reasons, kinds of breach, groupings)
 * each with its name. The web UI has its own word lists, in both languages.
 */
import type { DivisionTable } from '@fbl/codes';
import type { Grouping } from './periods.js';

export const BED_TYPE_WORDS: Record<string, string> = {
  care: '养老床位',
  medical: '医疗床位',
  'home-care': '家庭养老床位',
  'home-sick': '家庭病床',
  hospice: '安宁疗护床位',
};

/** The workflow's stages where a referral can stop, and its two ends. */
export const STAGE_WORDS: Record<string, string> = {
  intake: '受理',
  eligibility: '资格评估',
  matching: '匹配',
  offering: '待机构响应',
  noneAccepted: '无机构接收',
  choosing: '待家属选择',
  reserving: '预留床位',
  transferring: '转运中',
  afterLostBed: '床位失效',
  returning: '返回原床位',
  followUp: '待随访',
  escalated: '已上报卫健委',
  closed: '已闭环',
  cancelled: '已取消',
};

export const DECLINE_REASON_WORDS: Record<string, string> = {
  'no-capacity': '床位已满',
  'care-needs-exceed-capability': '护理需求超出服务能力',
  'outside-service-area': '不在服务范围内',
  'payment-or-insurance': '费用或医保原因',
  'elder-or-family-refused': '老人或家属拒绝',
  other: '其他原因',
};

export const BREACH_WORDS: Record<string, string> = {
  'offer-expired': '机构超时未响应',
  'follow-up-late': '随访逾期',
};

/** How rows are grouped, as a heading. */
export const GROUPING_WORDS: Record<Grouping, string> = {
  total: '合计',
  day: '按日',
  week: '按周',
  month: '按月',
  city: '按市',
  county: '按区县',
  bedType: '按床位类型',
  provider: '按机构',
};

/** The heading of the column holding a grouping's keys. */
export const GROUP_COLUMN_WORDS: Record<Grouping, string> = {
  total: '范围',
  day: '日期',
  week: '周（起始日）',
  month: '月份',
  city: '市',
  county: '区县',
  bedType: '床位类型',
  provider: '机构',
};

/** The heading of a metric's breakdown column. */
export const BREAKDOWN_WORDS: Record<string, string> = {
  stage: '停留环节',
  reason: '拒收原因',
  pair: '流向',
  kind: '超时类型',
};

const UNKNOWN = '未知';

/** A division's name as a commission writes it: a county with its city (菏泽市牡丹区), else the city's or province's own. */
export function divisionName(divisions: DivisionTable, code: string | undefined): string {
  if (code === undefined) return '全部';
  const division = divisions.get(code);
  if (!division) return UNKNOWN;
  if (division.level !== 'county') return division.name;
  const city = divisions.parentOf(code);
  return city?.level === 'city' ? `${city.name}${division.name}` : division.name;
}

/** A breakdown's value in words: a stage, a reason, a kind of breach, or a pair of bed types or of counties. */
export function breakdownWord(name: string, value: string, divisions: DivisionTable): string {
  const pair = (word: (part: string) => string) => value.split('→').map(word).join(' → ');
  switch (name) {
    case 'stage':
      return STAGE_WORDS[value] ?? UNKNOWN;
    case 'reason':
      return DECLINE_REASON_WORDS[value] ?? UNKNOWN;
    case 'kind':
      return BREACH_WORDS[value] ?? UNKNOWN;
    case 'pair':
      return value.includes('→') && /^\d/.test(value) ? pair((c) => divisions.get(c)?.name ?? UNKNOWN) : pair((b) => BED_TYPE_WORDS[b] ?? UNKNOWN);
    default:
      return value;
  }
}

/** A group's key in words: 合计, a day or month as written, a division's or provider's name, a bed type. */
export function groupWord(grouping: Grouping, key: string, keyLabel: string | undefined): string {
  switch (grouping) {
    case 'total':
      return '合计';
    case 'day':
    case 'week':
    case 'month':
      return key;
    case 'city':
    case 'county':
      return keyLabel ?? UNKNOWN;
    case 'bedType':
      return BED_TYPE_WORDS[key] ?? UNKNOWN;
    case 'provider':
      return key === 'none' ? '尚未安置' : (keyLabel ?? UNKNOWN);
  }
}
