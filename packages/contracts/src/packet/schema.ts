import Type, { type Static } from 'typebox';
import { DivisionCode, Literals, ShortText } from '../messages/common.js';
import {
  CARE_NEEDS,
  COGNITION,
  CONSENT_GIVERS,
  CONSENT_METHODS,
  CONTINENCE,
  FAMILY_RELATIONS,
  FOLLOW_UP_CONDITION,
  FOLLOW_UP_METHODS,
  FOLLOW_UP_NEEDS,
  FOLLOW_UP_SATISFACTION,
  FOLLOW_UP_SETTLING,
  HOME_SICK_BED_CONDITIONS,
  ICD10_PATTERN,
  INFORMED_CHOICE_BY,
  MOBILITY,
} from './codes.js';

/** A telephone number as people write it: digits, spaces, +, - and parentheses. */
const Phone = Type.String({ minLength: 5, maxLength: 20, pattern: '^[0-9+() -]+$' });
const strict = { additionalProperties: false } as const;

/** One diagnosis: its ICD-10 code when known, and its name (Chinese, or free text). */
export const PacketDiagnosis = Type.Object({ code: Type.Optional(Type.String({ pattern: ICD10_PATTERN, maxLength: 16 })), name: ShortText(100) }, strict);

/** A current medication: name, dose and frequency as the ward's order says them. */
export const PacketMedication = Type.Object({ name: ShortText(100), dose: Type.Optional(ShortText(50)), frequency: Type.Optional(ShortText(50)) }, strict);

/** The eligibility facts of DOMAIN §4 a planner answers (hospice, home sick bed, dementia unit, home division). */
export const PacketEligibility = Type.Object(
  {
    clearDiagnosis: Type.Optional(Type.Boolean()),
    stableCondition: Type.Optional(Type.Boolean()),
    bedBoundOrCannotReachClinic: Type.Optional(Type.Boolean()),
    homeSickBedConditions: Type.Optional(Type.Array(Literals(HOME_SICK_BED_CONDITIONS), { maxItems: HOME_SICK_BED_CONDITIONS.length, uniqueItems: true })),
    insuranceFiled: Type.Optional(Type.Boolean()),
    terminalIllness: Type.Optional(Type.Boolean()),
    prognosisMonths: Type.Optional(Type.Number({ minimum: 0, maximum: 600 })),
    kps: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, multipleOf: 10 })),
    ecog: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 })),
    informedChoice: Type.Optional(Literals(INFORMED_CHOICE_BY)),
    advanceCarePlanRecorded: Type.Optional(Type.Boolean()),
    dementiaDiagnosis: Type.Optional(Type.Boolean()),
    homeDivisionCode: Type.Optional(DivisionCode),
  },
  strict,
);
export type PacketEligibility = Static<typeof PacketEligibility>;

/**
 * The referral packet (转诊资料): what a planner sends so a provider can decide. Every part is
 * optional except where a bed type's rules need it; health data, sealed at rest by the workflow,
 * never carried by a message.
 */
export const ReferralPacket = Type.Object(
  {
    /** 转诊原因 */
    reason: Type.Optional(ShortText(1000)),
    /** 计划出院日期 */
    plannedDischargeDate: Type.Optional(Type.String({ format: 'date' })),
    /** 诊断 */
    diagnoses: Type.Optional(Type.Array(PacketDiagnosis, { maxItems: 20 })),
    /** 过敏史 (empty text: none known) */
    allergies: Type.Optional(Type.String({ maxLength: 500 })),
    /** 在用药物 */
    medications: Type.Optional(Type.Array(PacketMedication, { maxItems: 40 })),
    /** 护理需求, each with a note */
    careNeeds: Type.Optional(Type.Array(Type.Object({ code: Literals(CARE_NEEDS), note: Type.Optional(Type.String({ maxLength: 200 })) }, strict), { maxItems: CARE_NEEDS.length })),
    /** 功能状况 as the ward sees it; the ability level and LTCI grade come from their owners. */
    functional: Type.Optional(Type.Object({ mobility: Type.Optional(Literals(MOBILITY)), continence: Type.Optional(Literals(CONTINENCE)), cognition: Type.Optional(Literals(COGNITION)) }, strict)),
    /** 入住条件所需信息 */
    eligibility: Type.Optional(PacketEligibility),
    /** 家属联系人 (guardian or agent): shown only to the provider the family chose. */
    familyContact: Type.Optional(Type.Object({ name: ShortText(50), relation: Literals(FAMILY_RELATIONS), phone: Phone }, strict)),
    /** 老人本人意愿 */
    wishes: Type.Optional(Type.String({ maxLength: 1000 })),
    /** 转诊联系人 at the sending institution */
    plannerContact: Type.Optional(Type.Object({ name: ShortText(50), phone: Phone }, strict)),
  },
  strict,
);
export type ReferralPacket = Static<typeof ReferralPacket>;

/**
 * The elder's (or guardian's, or agent's) separate consent to share the packet with providers
 * (PIPL art. 29): who gave it, and how. When it was recorded, and by whom, the workflow adds.
 */
export const PacketConsent = Type.Object(
  {
    givenBy: Literals(CONSENT_GIVERS),
    /** The name of the guardian or agent who gave it (not needed when the elder did). */
    giverName: Type.Optional(ShortText(50)),
    method: Literals(CONSENT_METHODS),
  },
  strict,
);
export type PacketConsent = Static<typeof PacketConsent>;

/**
 * The receiving provider's follow-up (随访) that closes a referral's loop: how it was done, how
 * the elder has settled and is, the family's satisfaction, what comes next, and a note. Health
 * data: sealed at rest by the workflow, shown only to the referral's parties, never in messages.
 */
export const FollowUpRecord = Type.Object(
  {
    method: Literals(FOLLOW_UP_METHODS),
    settling: Literals(FOLLOW_UP_SETTLING),
    condition: Literals(FOLLOW_UP_CONDITION),
    satisfaction: Literals(FOLLOW_UP_SATISFACTION),
    needs: Type.Optional(Type.Array(Literals(FOLLOW_UP_NEEDS), { maxItems: FOLLOW_UP_NEEDS.length, uniqueItems: true })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  strict,
);
export type FollowUpRecord = Static<typeof FollowUpRecord>;
