import Type from 'typebox';
import { defineMessage } from '../registry.js';
import { commandsTopic, eventsTopic } from '../topics.js';
import { DivisionCode, Instant, Literals, ShortText, Uuid } from './common.js';
import { Urgency } from './referral.js';

/** Bounded context of civil affairs (民政): elders, ability assessment, waiting lists. */
export const CIVIL_AFFAIRS = 'civil-affairs';
/** Bounded context of medical insurance (医保): long-term care insurance. */
export const MEDICAL_INSURANCE = 'medical-insurance';

/** An elder joined the civil-affairs registry. Subject: the elder. No identity data travels. */
export const ElderRegistered = defineMessage({
  type: 'ElderRegistered',
  version: 1,
  kind: 'event',
  topic: eventsTopic(CIVIL_AFFAIRS),
  schema: Type.Object({ elderRef: Uuid, divisionCode: Type.String({ pattern: '^[0-9]{6}$' }), birthYear: Type.Integer({ minimum: 1800, maximum: 2200 }), gender: Literals(['male', 'female']) }),
});

/** Hardship statuses civil affairs records (特困, 低保, 低保边缘, 计划生育特殊家庭, 重点优抚, 重度残疾). */
export const HARDSHIP_STATUS_CODES = ['extreme-poverty', 'low-income', 'low-income-edge', 'family-planning-special', 'key-entitled', 'severe-disability'] as const;

/** A hardship status was recorded for an elder, with its validity. Subject: the elder. No identity data. */
export const HardshipStatusChanged = defineMessage({
  type: 'HardshipStatusChanged',
  version: 1,
  kind: 'event',
  topic: eventsTopic(CIVIL_AFFAIRS),
  schema: Type.Object({
    hardshipId: Uuid,
    elderRef: Uuid,
    status: Literals(HARDSHIP_STATUS_CODES),
    validFrom: Type.String({ format: 'date' }),
    validUntil: Type.Optional(Type.String({ format: 'date' })),
  }),
});

/**
 * Ask civil affairs for an ability assessment of an elder (老年人能力评估). Subject: the elder.
 * `urgency` is the referral's: a green-channel (绿色通道) request comes before routine ones in the
 * assessors' queue. It was added to version 1 as an optional field, which is no breaking change:
 * a reader that does not know it ignores it, and a command without it is routine.
 */
export const AssessAbility = defineMessage({
  type: 'AssessAbility',
  version: 1,
  kind: 'command',
  topic: commandsTopic(CIVIL_AFFAIRS),
  schema: Type.Object({ elderRef: ShortText(100), referralId: Uuid, reason: Type.Union([Type.Literal('first'), Type.Literal('immediate'), Type.Literal('review')]), urgency: Type.Optional(Urgency) }),
});

/** An elder's ability was assessed (GB/T 42195-2022). Subject: the elder. */
export const AbilityAssessed = defineMessage({
  type: 'AbilityAssessed',
  version: 1,
  kind: 'event',
  topic: eventsTopic(CIVIL_AFFAIRS),
  schema: Type.Object({
    assessmentId: Uuid,
    elderRef: ShortText(100),
    level: Type.Integer({ minimum: 0, maximum: 4 }),
    assessedOn: Type.String({ format: 'date' }),
    dementiaDiagnosis: Type.Boolean(),
    referralId: Type.Optional(Uuid),
  }),
});

/** Ask medical insurance to authorise long-term care insurance for an elder. Subject: the elder. */
export const AuthoriseLtci = defineMessage({
  type: 'AuthoriseLtci',
  version: 1,
  kind: 'command',
  topic: commandsTopic(MEDICAL_INSURANCE),
  schema: Type.Object({
    elderRef: ShortText(100),
    referralId: Uuid,
    requestedAt: Instant,
    /** Where the elder lives (else the referring hospital's division): whose insurance officers handle it. */
    divisionCode: Type.Optional(DivisionCode),
  }),
});

/** LTCI benefits are authorised for an elder, with the disability grade. Subject: the elder. */
export const LtciAuthorised = defineMessage({
  type: 'LtciAuthorised',
  version: 1,
  kind: 'event',
  topic: eventsTopic(MEDICAL_INSURANCE),
  schema: Type.Object({ elderRef: ShortText(100), grade: Type.Integer({ minimum: 0, maximum: 5 }), referralId: Type.Optional(Uuid), effectiveFrom: Type.String({ format: 'date' }) }),
});

/** LTCI benefits are refused for an elder, on one of the five grounds. Subject: the elder. */
export const LtciRefused = defineMessage({
  type: 'LtciRefused',
  version: 1,
  kind: 'event',
  topic: eventsTopic(MEDICAL_INSURANCE),
  schema: Type.Object({
    elderRef: ShortText(100),
    referralId: Type.Optional(Uuid),
    ground: Literals(['not-insured', 'conditions-not-met', 'outside-fund-scope', 'materials-incomplete-or-false', 'other']),
  }),
});

/** Messages between the workflow and civil affairs / medical insurance. */
export const eligibilityMessages = [ElderRegistered, HardshipStatusChanged, AssessAbility, AbilityAssessed, AuthoriseLtci, LtciAuthorised, LtciRefused] as const;
