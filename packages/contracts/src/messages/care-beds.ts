import Type from 'typebox';
import { defineMessage } from '../registry.js';
import { commandsTopic, eventsTopic } from '../topics.js';
import { DivisionCode, Instant, ShortText, Uuid } from './common.js';

/** Bounded context of care-home beds (养老床位). */
export const CARE_BEDS = 'care-beds';
const events = eventsTopic(CARE_BEDS);
const commands = commandsTopic(CARE_BEDS);

/** A care home joined the network with its beds. Subject: the institution. */
export const InstitutionRegistered = defineMessage({
  type: 'InstitutionRegistered',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({
    institutionId: Uuid,
    name: ShortText(200),
    divisionCode: DivisionCode,
    bedCount: Type.Integer({ minimum: 0 }),
  }),
});

/** Hold one free bed at an institution for a referral. Subject: the institution. */
export const ReserveBed = defineMessage({
  type: 'ReserveBed',
  version: 1,
  kind: 'command',
  topic: commands,
  schema: Type.Object({
    referralId: Uuid,
    institutionId: Uuid,
    holdHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 14 })),
  }),
});

/** A bed is held for a referral until it expires or the elder is admitted. Subject: the institution. */
export const BedHeld = defineMessage({
  type: 'BedHeld',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({
    holdId: Uuid,
    referralId: Uuid,
    institutionId: Uuid,
    bedId: Uuid,
    expiresAt: Instant,
  }),
});

/** Why a hold could not be made. */
export const HoldRejectionReason = Type.Union([
  Type.Literal('no-free-bed'),
  Type.Literal('unknown-institution'),
  Type.Literal('already-held'),
  Type.Literal('other'),
]);

/**
 * A hold could not be made. Subject: the institution.
 * Version 1 carried free text only; version 2 carries a reason code readers can act on.
 */
export const BedHoldRejected = defineMessage({
  type: 'BedHoldRejected',
  version: 2,
  kind: 'event',
  topic: events,
  schema: Type.Object({
    referralId: Uuid,
    institutionId: Uuid,
    reasonCode: HoldRejectionReason,
    detail: Type.Optional(ShortText()),
  }),
  past: [
    {
      version: 1,
      schema: Type.Object({ referralId: Uuid, institutionId: Uuid, reason: ShortText() }),
      upcast: (data) => {
        const v1 = data as { referralId: string; institutionId: string; reason: string };
        return { referralId: v1.referralId, institutionId: v1.institutionId, reasonCode: 'other', detail: v1.reason };
      },
    },
  ],
});

/** The elder arrived and took the held bed. Subject: the institution. */
export const AdmissionRecorded = defineMessage({
  type: 'AdmissionRecorded',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({
    holdId: Uuid,
    referralId: Uuid,
    institutionId: Uuid,
    bedId: Uuid,
    admittedAt: Instant,
  }),
});

/** Every message of the care-beds context. */
export const careBedsMessages = [InstitutionRegistered, ReserveBed, BedHeld, BedHoldRejected, AdmissionRecorded] as const;
