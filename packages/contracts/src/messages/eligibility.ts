import Type from 'typebox';
import { defineMessage } from '../registry.js';
import { commandsTopic, eventsTopic } from '../topics.js';
import { Instant, Literals, ShortText, Uuid } from './common.js';

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

/** Ask civil affairs for an ability assessment of an elder (老年人能力评估). Subject: the elder. */
export const AssessAbility = defineMessage({
  type: 'AssessAbility',
  version: 1,
  kind: 'command',
  topic: commandsTopic(CIVIL_AFFAIRS),
  schema: Type.Object({ elderRef: ShortText(100), referralId: Uuid, reason: Type.Union([Type.Literal('first'), Type.Literal('immediate'), Type.Literal('review')]) }),
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
  schema: Type.Object({ elderRef: ShortText(100), referralId: Uuid, requestedAt: Instant }),
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
export const eligibilityMessages = [ElderRegistered, AssessAbility, AbilityAssessed, AuthoriseLtci, LtciAuthorised, LtciRefused] as const;
