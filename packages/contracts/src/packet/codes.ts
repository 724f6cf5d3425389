/**
 * The vocabularies of a referral packet (转诊资料): the codes a planner picks from and a
 * provider reads. Plain constants with no schema library, so the web UI can import them; their
 * words in each language live in the UI's locale files.
 */

/** Care needs a receiving provider must be able to meet (护理需求). */
export const CARE_NEEDS = [
  'tube-feeding', // 鼻饲
  'urinary-catheter', // 导尿
  'oxygen', // 吸氧
  'pressure-injury-care', // 压疮护理
  'stoma-care', // 造口护理
  'dialysis', // 透析
  'tracheostomy', // 气管切开
  'wound-dressing', // 伤口换药
  'insulin-injection', // 胰岛素注射
  'pain-management', // 疼痛管理
  'rehabilitation', // 康复训练
  'restraint-risk', // 约束风险
  'wandering-risk', // 走失风险
  'fall-risk', // 跌倒风险
  'behavioural-symptoms', // 精神行为症状
] as const;
export type CareNeed = (typeof CARE_NEEDS)[number];

/** How the elder moves about (活动能力). */
export const MOBILITY = ['independent', 'walking-aid', 'wheelchair', 'bed-bound'] as const;
/** Bladder and bowel control (大小便控制). */
export const CONTINENCE = ['continent', 'occasional-incontinence', 'incontinent', 'catheter-or-stoma'] as const;
/** Cognition as the sending ward judges it (认知状况); the ability assessment is civil affairs'. */
export const COGNITION = ['intact', 'mild-impairment', 'moderate-impairment', 'severe-impairment'] as const;

/**
 * Qualifying conditions of a home sick bed (家庭病床), as listed by Shandong's health authorities.
 * The eligibility rules of the bed services read the same list.
 */
export const HOME_SICK_BED_CONDITIONS = [
  'tubes-or-catheter',
  'pressure-injury-or-stoma',
  'recurrent-infection',
  'diabetic-foot',
  'late-stage-cancer',
  'fracture-traction-or-fixation',
  'stroke-or-trauma-sequelae',
  'organ-failure-home-oxygen-or-niv',
  'palliative-need',
  'other-set-by-health-authority',
] as const;

/** Who made the informed choice of hospice care (知情选择). */
export const INFORMED_CHOICE_BY = ['elder', 'legal-representative'] as const;

/** How a family contact is related to the elder (与老人关系). */
export const FAMILY_RELATIONS = ['spouse', 'child', 'child-in-law', 'grandchild', 'sibling', 'other-relative', 'legal-guardian', 'agent', 'other'] as const;

/** Who gave (or withdrew) consent to share the packet with providers. */
export const CONSENT_GIVERS = ['elder', 'guardian', 'agent'] as const;
/** How consent was given or withdrawn (书面签字, 口头并有见证, 电子签名). */
export const CONSENT_METHODS = ['written', 'verbal-witnessed', 'electronic-signature'] as const;

/** What an attachment is (出院小结, 检查检验结果, 伤口照片, 影像报告, 其他). */
export const ATTACHMENT_KINDS = ['discharge-summary', 'test-result', 'wound-photo', 'imaging-report', 'other'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
/** The types an attachment may be, checked against its content. */
export const ATTACHMENT_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AttachmentMediaType = (typeof ATTACHMENT_MEDIA_TYPES)[number];
/** The largest attachment accepted (10 MB). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** The most a referral's attachments may hold together (30 MB). */
export const MAX_REFERRAL_ATTACHMENT_BYTES = 30 * 1024 * 1024;

/** The facts of the eligibility rules (DOMAIN §4) a planner answers on the packet form. */
export const PACKET_FACTS = [
  'clearDiagnosis',
  'stableCondition',
  'bedBoundOrCannotReachClinic',
  'homeSickBedConditions',
  'insuranceFiled',
  'terminalIllness',
  'prognosisMonths',
  'kps',
  'ecog',
  'informedChoice',
  'advanceCarePlanRecorded',
  'dementiaDiagnosis',
  'homeDivisionCode',
] as const;
export type PacketFact = (typeof PACKET_FACTS)[number];

/** Which facts each bed type's rules ask the planner for (ability and LTCI come from their owners). */
export const FACTS_BY_BED_TYPE: Record<'care' | 'medical' | 'home-care' | 'home-sick' | 'hospice', readonly PacketFact[]> = {
  care: ['dementiaDiagnosis'],
  medical: [],
  'home-care': ['homeDivisionCode'],
  'home-sick': ['clearDiagnosis', 'stableCondition', 'bedBoundOrCannotReachClinic', 'homeSickBedConditions', 'homeDivisionCode', 'insuranceFiled'],
  hospice: ['terminalIllness', 'prognosisMonths', 'kps', 'ecog', 'informedChoice', 'advanceCarePlanRecorded'],
};

/** An ICD-10 code as used in China (国家临床版 2.0 / 医保版): a letter, two digits, an optional extension. */
export const ICD10_PATTERN = '^[A-Z][0-9]{2}(\\.[0-9A-Za-z]{1,4}(x[0-9]{3})?)?$';

/**
 * Diagnoses common at discharge of elders, with their ICD-10 codes and Chinese names, offered as
 * suggestions on the form (any other code or free text may be entered).
 */
export const COMMON_DIAGNOSES: readonly { code: string; name: string }[] = [
  { code: 'I63.9', name: '脑梗死' },
  { code: 'I69.3', name: '脑梗死后遗症' },
  { code: 'I61.9', name: '脑出血' },
  { code: 'G30.9', name: '阿尔茨海默病' },
  { code: 'F03', name: '痴呆' },
  { code: 'G20', name: '帕金森病' },
  { code: 'I10', name: '原发性高血压' },
  { code: 'I25.1', name: '动脉硬化性心脏病' },
  { code: 'I50.9', name: '心力衰竭' },
  { code: 'I48', name: '心房颤动' },
  { code: 'J44.9', name: '慢性阻塞性肺病' },
  { code: 'J18.9', name: '肺炎' },
  { code: 'E11.9', name: '2型糖尿病' },
  { code: 'E11.5', name: '2型糖尿病伴周围循环并发症（糖尿病足）' },
  { code: 'N18.5', name: '慢性肾脏病5期' },
  { code: 'S72.0', name: '股骨颈骨折' },
  { code: 'M81.9', name: '骨质疏松' },
  { code: 'L89.9', name: '压疮' },
  { code: 'C34.9', name: '支气管或肺恶性肿瘤' },
  { code: 'C16.9', name: '胃恶性肿瘤' },
  { code: 'C22.0', name: '肝细胞癌' },
  { code: 'C18.9', name: '结肠恶性肿瘤' },
  { code: 'C78.0', name: '肺继发恶性肿瘤' },
];

/** How the receiving provider followed the elder up (随访方式). */
export const FOLLOW_UP_METHODS = ['phone', 'home-visit', 'on-site', 'video'] as const;
/** How the elder has settled in the new bed (入住适应情况). */
export const FOLLOW_UP_SETTLING = ['settled', 'adjusting', 'not-settled'] as const;
/** The elder's condition since the transfer (健康状况变化). */
export const FOLLOW_UP_CONDITION = ['improved', 'stable', 'worse'] as const;
/** The elder's or family's satisfaction with the transfer (满意度). */
export const FOLLOW_UP_SATISFACTION = ['satisfied', 'mostly-satisfied', 'dissatisfied'] as const;
/** What the elder needs next (后续需求), any number of them. */
export const FOLLOW_UP_NEEDS = ['medical-visit', 'rehabilitation', 'medication-review', 'ltci-application', 'psychological-support', 'another-transfer'] as const;

/** A home sick bed's stage review (阶段评估): how the elder is, and what comes next. */
export const EPISODE_REVIEW_CONDITION = ['improved', 'stable', 'worse'] as const;
/** What a stage review decides: go on with the plan, change it, or prepare to close the bed (撤床). */
export const EPISODE_REVIEW_DECISIONS = ['continue', 'adjust-plan', 'prepare-closing'] as const;
