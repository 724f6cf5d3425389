import Type from 'typebox';
import { defineMessage } from '../registry.js';
import { commandsTopic, eventsTopic } from '../topics.js';
import { Literals, ShortText, Uuid } from './common.js';
import { MEDICAL_INSURANCE } from './eligibility.js';

/**
 * Messages of medical insurance (医保) beyond the eligibility exchange with the workflow:
 * the LTCI (长护险) application lifecycle, home sick bed filings (家庭病床医保备案), and the
 * service's own deadline command. Events are keyed by the elder; the deadline by the application.
 */

const ElderRef = ShortText(100);
const Day = Type.String({ format: 'date' });
const Grade = Type.Integer({ minimum: 0, maximum: 5 });

/** The five grounds on which an LTCI application is refused (不予受理). */
export const LtciRefusalGround = Literals(['not-insured', 'conditions-not-met', 'outside-fund-scope', 'materials-incomplete-or-false', 'other']);

/** Why LTCI benefits end: death, improvement (re-assessed below the threshold), or loss of insurance. */
export const LtciEndReason = Literals(['death', 'improvement', 'insurance-lost']);

/** An LTCI application was accepted (受理) and waits for the on-site assessment. Subject: the elder. */
export const LtciApplicationAccepted = defineMessage({
  type: 'LtciApplicationAccepted',
  version: 1,
  kind: 'event',
  topic: eventsTopic(MEDICAL_INSURANCE),
  schema: Type.Object({ applicationId: Uuid, elderRef: ElderRef, referralIds: Type.Array(Uuid), acceptedOn: Day }),
});

/** An LTCI application was refused (不予受理); the elder may apply again from `reapplyFrom`. Subject: the elder. */
export const LtciApplicationRefused = defineMessage({
  type: 'LtciApplicationRefused',
  version: 1,
  kind: 'event',
  topic: eventsTopic(MEDICAL_INSURANCE),
  schema: Type.Object({ applicationId: Uuid, elderRef: ElderRef, ground: LtciRefusalGround, reapplyFrom: Day }),
});

/**
 * An elder was graded (失能等级, NHSA 2021) by two assessors: the grade, the three indicator
 * scores, the rules version, and whether the grade meets the threshold. Subject: the elder.
 */
export const LtciGraded = defineMessage({
  type: 'LtciGraded',
  version: 1,
  kind: 'event',
  topic: eventsTopic(MEDICAL_INSURANCE),
  schema: Type.Object({
    applicationId: Uuid,
    elderRef: ElderRef,
    assessmentId: Uuid,
    purpose: Literals(['first', 'objection', 'reassessment']),
    grade: Grade,
    indicators: Type.Object({
      dailyLiving: Type.Integer({ minimum: 0, maximum: 100 }),
      cognition: Type.Integer({ minimum: 0, maximum: 100 }),
      perception: Type.Integer({ minimum: 0, maximum: 100 }),
    }),
    rulesVersion: ShortText(50),
    assessedOn: Day,
    eligible: Type.Boolean(),
  }),
});

/** A conclusion meeting the threshold is publicly noticed (公示) until `noticeEndsOn`. Subject: the elder. */
export const LtciNoticePublished = defineMessage({
  type: 'LtciNoticePublished',
  version: 1,
  kind: 'event',
  topic: eventsTopic(MEDICAL_INSURANCE),
  schema: Type.Object({ applicationId: Uuid, elderRef: ElderRef, grade: Grade, noticeEndsOn: Day }),
});

/** An elder's LTCI benefits ended. Subject: the elder. */
export const LtciEnded = defineMessage({
  type: 'LtciEnded',
  version: 1,
  kind: 'event',
  topic: eventsTopic(MEDICAL_INSURANCE),
  schema: Type.Object({ applicationId: Uuid, elderRef: ElderRef, reason: LtciEndReason, endedOn: Day }),
});

/** A home sick bed episode was filed with medical insurance (家庭病床医保备案). Subject: the elder. */
export const HomeSickBedFiled = defineMessage({
  type: 'HomeSickBedFiled',
  version: 1,
  kind: 'event',
  topic: eventsTopic(MEDICAL_INSURANCE),
  schema: Type.Object({ filingId: Uuid, elderRef: ElderRef, institutionId: Uuid, validFrom: Day, referralId: Type.Optional(Uuid) }),
});

/** Ask medical insurance to file a home sick bed episode at an institution. Subject: the elder. */
export const FileHomeSickBed = defineMessage({
  type: 'FileHomeSickBed',
  version: 1,
  kind: 'command',
  topic: commandsTopic(MEDICAL_INSURANCE),
  schema: Type.Object({ elderRef: ElderRef, institutionId: Uuid, referralId: Type.Optional(Uuid) }),
});

/**
 * A durable deadline of an LTCI application fell due (the end of the public notice, or the
 * periodic re-assessment). Medical insurance sends it to itself through its timers. Subject: the application.
 */
export const LtciDeadlineDue = defineMessage({
  type: 'LtciDeadlineDue',
  version: 1,
  kind: 'command',
  topic: commandsTopic(MEDICAL_INSURANCE),
  schema: Type.Object({ applicationId: Uuid, deadline: Literals(['notice-ends', 'reassessment-due']) }),
});

/** Messages of the LTCI lifecycle and home sick bed filings. */
export const insuranceMessages = [
  LtciApplicationAccepted,
  LtciApplicationRefused,
  LtciGraded,
  LtciNoticePublished,
  LtciEnded,
  HomeSickBedFiled,
  FileHomeSickBed,
  LtciDeadlineDue,
] as const;
