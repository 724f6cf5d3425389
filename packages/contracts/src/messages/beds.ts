import Type from 'typebox';
import { defineMessage } from '../registry.js';
import { commandsTopic, eventsTopic } from '../topics.js';
import { BED_SERVICES, type BedType } from '../bed-services.js';
import { DivisionCode, Instant, ShortText, Uuid } from './common.js';

export { BED_SERVICES, BED_SERVICE_NAMES, BED_TYPES, type BedService, type BedType } from '../bed-services.js';

export const BedTypeSchema = Type.Union([
  Type.Literal('care'),
  Type.Literal('medical'),
  Type.Literal('home-care'),
  Type.Literal('home-sick'),
  Type.Literal('hospice'),
]);

/** The events topic of a bed type's service. */
export function bedEventsTopic(bedType: BedType): string {
  return eventsTopic(BED_SERVICES[bedType]);
}

/** The commands topic of a bed type's service. */
export function bedCommandsTopic(bedType: BedType): string {
  return commandsTopic(BED_SERVICES[bedType]);
}

// Nominal topics; bed services pass their own topic when they create a message.
const events = eventsTopic('beds');
const commands = commandsTopic('beds');

/** A capacity unit: a physical bed, or a slot in a home caseload. */
export const UnitKind = Type.Union([Type.Literal('bed'), Type.Literal('slot')]);
/** Attributes of a capacity unit (nursing-type, dementia, gender, ward, mode ...). */
export const UnitAttributes = Type.Record(Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9]{0,39}$' }), Type.Union([Type.String({ maxLength: 100 }), Type.Boolean()]));

const InstitutionFacts = {
  institutionId: Uuid,
  bedType: BedTypeSchema,
  name: ShortText(200),
  divisionCode: DivisionCode,
  ownership: Type.Union([Type.Literal('public'), Type.Literal('private')]),
  capabilities: Type.Array(Type.String({ maxLength: 40 })),
  serviceArea: Type.Array(DivisionCode),
  greenChannelPartners: Type.Array(Uuid),
};

/** An institution joined the network for one bed type. Subject: the institution. */
export const InstitutionRegistered = defineMessage({
  type: 'InstitutionRegistered',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({ ...InstitutionFacts, creditCode: Type.String({ minLength: 18, maxLength: 18 }) }),
});

/**
 * The whole capacity of an institution after a change, counted by unit kind and attributes: what
 * matching needs. `sequence` grows with every change of this institution; a reader keeps the
 * highest it has seen. Subject: the institution.
 */
export const BedAvailabilityChanged = defineMessage({
  type: 'BedAvailabilityChanged',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({
    ...InstitutionFacts,
    sequence: Type.Integer({ minimum: 1 }),
    units: Type.Array(
      Type.Object({
        kind: UnitKind,
        attributes: UnitAttributes,
        total: Type.Integer({ minimum: 0 }),
        free: Type.Integer({ minimum: 0 }),
        held: Type.Integer({ minimum: 0 }),
        occupied: Type.Integer({ minimum: 0 }),
        kept: Type.Integer({ minimum: 0 }),
        closed: Type.Integer({ minimum: 0 }),
      }),
    ),
  }),
});

/** Hold one unit matching `requirements` for a referral. Subject: the institution. */
export const ReserveBed = defineMessage({
  type: 'ReserveBed',
  version: 1,
  kind: 'command',
  topic: commands,
  schema: Type.Object({
    referralId: Uuid,
    institutionId: Uuid,
    bedType: BedTypeSchema,
    /** Opaque reference to the elder in the civil-affairs registry; never identity data. */
    elderRef: ShortText(100),
    requirements: Type.Optional(UnitAttributes),
    holdHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 14 })),
  }),
});

/** Give up a hold (the referral was cancelled or chose elsewhere). Subject: the institution. */
export const ReleaseBed = defineMessage({
  type: 'ReleaseBed',
  version: 1,
  kind: 'command',
  topic: commands,
  schema: Type.Object({
    referralId: Uuid,
    institutionId: Uuid,
    bedType: BedTypeSchema,
    reason: Type.Union([Type.Literal('cancelled'), Type.Literal('not-selected'), Type.Literal('other')]),
  }),
});

/** A timer's message: the hold's time is up. Subject: the institution. */
export const ExpireHold = defineMessage({
  type: 'ExpireHold',
  version: 1,
  kind: 'command',
  topic: commands,
  schema: Type.Object({ holdId: Uuid, institutionId: Uuid, bedType: BedTypeSchema }),
});

/** A timer's message: a kept bed's time is up. Subject: the institution. */
export const ExpireKeptBed = defineMessage({
  type: 'ExpireKeptBed',
  version: 1,
  kind: 'command',
  topic: commands,
  schema: Type.Object({ admissionId: Uuid, institutionId: Uuid, bedType: BedTypeSchema }),
});

/** A timer's message: a home sick bed episode is due for review. Subject: the institution. */
export const FlagEpisodeReview = defineMessage({
  type: 'FlagEpisodeReview',
  version: 1,
  kind: 'command',
  topic: commands,
  schema: Type.Object({ episodeId: Uuid, institutionId: Uuid, bedType: BedTypeSchema, reviewDueAt: Instant }),
});

const HoldFacts = { holdId: Uuid, referralId: Uuid, institutionId: Uuid, bedType: BedTypeSchema, unitId: Uuid };

/** A unit is held for a referral until it expires, is released, or the elder is admitted. */
export const BedHeld = defineMessage({
  type: 'BedHeld',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({ ...HoldFacts, unitKind: UnitKind, attributes: UnitAttributes, expiresAt: Instant }),
});

/** Why a hold could not be made. */
export const HoldRejectionReason = Type.Union([
  Type.Literal('no-free-bed'),
  Type.Literal('no-matching-unit'),
  Type.Literal('unknown-institution'),
  Type.Literal('other'),
]);

/**
 * A hold could not be made. Version 1 carried free text only and came from care homes;
 * version 2 carries the bed type and a reason code readers can act on.
 */
export const BedHoldRejected = defineMessage({
  type: 'BedHoldRejected',
  version: 2,
  kind: 'event',
  topic: events,
  schema: Type.Object({
    referralId: Uuid,
    institutionId: Uuid,
    bedType: BedTypeSchema,
    reasonCode: HoldRejectionReason,
    detail: Type.Optional(ShortText()),
  }),
  past: [
    {
      version: 1,
      schema: Type.Object({ referralId: Uuid, institutionId: Uuid, reason: ShortText() }),
      upcast: (data) => {
        const v1 = data as { referralId: string; institutionId: string; reason: string };
        return { referralId: v1.referralId, institutionId: v1.institutionId, bedType: 'care', reasonCode: 'other', detail: v1.reason };
      },
    },
  ],
});

/** A hold was not converted in time; the unit is free again. */
export const BedHoldExpired = defineMessage({
  type: 'BedHoldExpired',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object(HoldFacts),
});

/** A hold was given up on request; the unit is free again. */
export const BedReleased = defineMessage({
  type: 'BedReleased',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({ ...HoldFacts, reason: Type.String({ maxLength: 40 }) }),
});

/** The elder arrived and took the held unit. */
export const AdmissionRecorded = defineMessage({
  type: 'AdmissionRecorded',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({ ...HoldFacts, admissionId: Uuid, elderRef: ShortText(100), admittedAt: Instant }),
});

/** Why a stay ended. */
export const DischargeReason = Type.Union([
  Type.Literal('recovered'),
  Type.Literal('transferred'),
  Type.Literal('died'),
  Type.Literal('family-request'),
  Type.Literal('episode-closed'),
  Type.Literal('other'),
]);

/** The elder left; the unit is free again. */
export const DischargeRecorded = defineMessage({
  type: 'DischargeRecorded',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({
    admissionId: Uuid,
    referralId: Type.Union([Uuid, Type.Null()]),
    institutionId: Uuid,
    bedType: BedTypeSchema,
    unitId: Uuid,
    elderRef: ShortText(100),
    reason: DischargeReason,
    destination: Type.Optional(BedTypeSchema),
    dischargedAt: Instant,
  }),
});

/** 留床: the resident went to hospital; the bed is kept for the return until `keptUntil`. */
export const BedKeptForReturn = defineMessage({
  type: 'BedKeptForReturn',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({ admissionId: Uuid, institutionId: Uuid, bedType: BedTypeSchema, unitId: Uuid, elderRef: ShortText(100), keptUntil: Instant }),
});

/** A kept bed is no longer kept: the resident returned, the time ran out, or the stay ended. */
export const KeptBedReleased = defineMessage({
  type: 'KeptBedReleased',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({
    admissionId: Uuid,
    institutionId: Uuid,
    bedType: BedTypeSchema,
    unitId: Uuid,
    reason: Type.Union([Type.Literal('returned'), Type.Literal('expired'), Type.Literal('discharged')]),
  }),
});

/**
 * Provider staff started an urgent transfer of a resident to hospital (green channel). The staff's
 * reason is health data: it travels sealed (`reasonSealed`, under the deployment's shared
 * PII_ENCRYPTION_KEY, the `Sealer` of @fbl/privacy), so it is never in clear on the bus. Messages
 * written before it was sealed carry `reason` in clear; a reader takes whichever it finds.
 */
export const EmergencyTransferRequested = defineMessage({
  type: 'EmergencyTransferRequested',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({
    transferId: Uuid,
    admissionId: Uuid,
    referralId: Type.Union([Uuid, Type.Null()]),
    institutionId: Uuid,
    bedType: BedTypeSchema,
    elderRef: ShortText(100),
    divisionCode: DivisionCode,
    /** 转院原因 in clear: only in messages written before the reason was sealed. */
    reason: Type.Optional(ShortText(500)),
    /** 转院原因, sealed with the shared personal-data key (a sealed 500-character text fits well within 4000). */
    reasonSealed: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
    bedKept: Type.Boolean(),
    /** The hospital the staff chose to send the resident to (the workflow offers it alone while it can take them). */
    hospitalInstitutionId: Type.Optional(Uuid),
    requestedAt: Instant,
  }),
});

const EpisodeFacts = { episodeId: Uuid, institutionId: Uuid, bedType: BedTypeSchema };

/** 家庭病床 建床: a home sick bed episode opened, with its first review date. */
export const HomeSickBedEpisodeOpened = defineMessage({
  type: 'HomeSickBedEpisodeOpened',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({ ...EpisodeFacts, referralId: Uuid, elderRef: ShortText(100), openedAt: Instant, reviewDueAt: Instant }),
});

/** A home sick bed episode reached its review date without a review. */
export const HomeSickBedReviewDue = defineMessage({
  type: 'HomeSickBedReviewDue',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({ ...EpisodeFacts, reviewDueAt: Instant }),
});

/** A home sick bed episode was reviewed and goes on to a new review date. */
export const HomeSickBedEpisodeRenewed = defineMessage({
  type: 'HomeSickBedEpisodeRenewed',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({ ...EpisodeFacts, reviewDueAt: Instant }),
});

/** 撤床: a home sick bed episode ended. */
export const HomeSickBedEpisodeClosed = defineMessage({
  type: 'HomeSickBedEpisodeClosed',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({ ...EpisodeFacts, closedAt: Instant, reason: DischargeReason }),
});

/** Every message of the bed services. */
export const bedMessages = [
  InstitutionRegistered,
  BedAvailabilityChanged,
  ReserveBed,
  ReleaseBed,
  ExpireHold,
  ExpireKeptBed,
  FlagEpisodeReview,
  BedHeld,
  BedHoldRejected,
  BedHoldExpired,
  BedReleased,
  AdmissionRecorded,
  DischargeRecorded,
  BedKeptForReturn,
  KeptBedReleased,
  EmergencyTransferRequested,
  HomeSickBedEpisodeOpened,
  HomeSickBedReviewDue,
  HomeSickBedEpisodeRenewed,
  HomeSickBedEpisodeClosed,
] as const;
