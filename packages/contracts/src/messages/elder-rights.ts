import Type from 'typebox';
import { defineMessage } from '../registry.js';
import { eventsTopic } from '../topics.js';
import { DivisionCode, Instant, Literals, Uuid } from './common.js';
import { CIVIL_AFFAIRS } from './eligibility.js';

/** Parts of an elder's record a person may have corrected (PIPL art. 46). */
export const CORRECTABLE_PARTS = ['address', 'phone', 'guardian'] as const;

/**
 * Civil affairs corrected an elder's record at the elder's or guardian's request: which parts
 * changed, and the home division after the change (`homeMoved` when it changed, for the bed types
 * that depend on where the elder lives). No identity data. Subject: the elder.
 */
export const ElderRecordCorrected = defineMessage({
  type: 'ElderRecordCorrected',
  version: 1,
  kind: 'event',
  topic: eventsTopic(CIVIL_AFFAIRS),
  schema: Type.Object({
    elderRef: Uuid,
    parts: Type.Array(Literals(CORRECTABLE_PARTS), { minItems: 1, uniqueItems: true }),
    divisionCode: DivisionCode,
    homeMoved: Type.Boolean(),
    correctedAt: Instant,
  }),
});

/**
 * Civil affairs erased an elder's personal information (PIPL art. 47), on request or after the
 * time to keep it: the register keeps the reference, division, gender, birth year and assessment
 * levels only. Subject: the elder.
 */
export const ElderErased = defineMessage({
  type: 'ElderErased',
  version: 1,
  kind: 'event',
  topic: eventsTopic(CIVIL_AFFAIRS),
  schema: Type.Object({ elderRef: Uuid, ground: Literals(['request', 'retention']), erasedAt: Instant }),
});

/** The messages of an elder's rights over their record. */
export const elderRightsMessages = [ElderRecordCorrected, ElderErased] as const;
