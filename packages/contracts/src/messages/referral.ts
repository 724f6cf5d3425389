import Type from 'typebox';
import { defineMessage } from '../registry.js';
import { commandsTopic, eventsTopic } from '../topics.js';
import { BedTypeSchema } from './beds.js';
import { Instant, Literals, ShortText, Uuid } from './common.js';

/** Bounded context of the referral workflow (转诊). */
export const REFERRAL = 'referral';
const events = eventsTopic(REFERRAL);
const commands = commandsTopic(REFERRAL);

/** Routine, or the green channel (绿色通道): short deadlines, partners first. */
export const Urgency = Type.Union([Type.Literal('routine'), Type.Literal('green-channel')]);

/** A discharge planner (or an urgent transfer) started a referral. Subject: the referral. */
export const ReferralRequested = defineMessage({
  type: 'ReferralRequested',
  version: 2,
  kind: 'event',
  topic: events,
  schema: Type.Object({
    referralId: Uuid,
    /** Opaque reference to the elder in the civil-affairs registry; never identity data. */
    elderRef: ShortText(100),
    kind: Type.Union([Type.Literal('discharge'), Type.Literal('urgent-transfer'), Type.Literal('return')]),
    urgency: Urgency,
    originInstitutionId: Uuid,
    originBedType: BedTypeSchema,
    originDivisionCode: Type.String({ pattern: '^[0-9]{6}$' }),
    requestedBedTypes: Type.Array(BedTypeSchema, { minItems: 1 }),
    /** The number people use for it (转诊单号, e.g. `20261205-000123`); absent on referrals started before it was sent. */
    reference: Type.Optional(Type.String({ pattern: '^[0-9]{8}-[0-9]{6,12}$' })),
  }),
  past: [
    {
      version: 1,
      schema: Type.Object({ referralId: Uuid, elderRef: ShortText(100), institutionId: Uuid, bedType: BedTypeSchema }),
      upcast: (data) => {
        const v1 = data as { referralId: string; elderRef: string; institutionId: string; bedType: 'care' };
        return {
          referralId: v1.referralId,
          elderRef: v1.elderRef,
          kind: 'discharge',
          urgency: 'routine',
          originInstitutionId: v1.institutionId,
          originBedType: 'medical',
          originDivisionCode: '370000',
          requestedBedTypes: [v1.bedType],
        };
      },
    },
  ],
});

/** A referral moved from one state to another. Subject: the referral. */
export const ReferralStateChanged = defineMessage({
  type: 'ReferralStateChanged',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({
    referralId: Uuid,
    from: ShortText(100),
    to: ShortText(100),
    machineVersion: Type.Integer({ minimum: 1 }),
  }),
});

const OfferFacts = { referralId: Uuid, offerId: Uuid, institutionId: Uuid, bedType: BedTypeSchema };

/** A provider was offered the referral, with a deadline to answer. Subject: the referral. */
export const ReferralOffered = defineMessage({
  type: 'ReferralOffered',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({ ...OfferFacts, urgency: Urgency, rank: Type.Integer({ minimum: 1 }), respondBy: Instant }),
});

/** Why a provider declined. */
export const DeclineReason = Literals(['no-capacity', 'care-needs-exceed-capability', 'outside-service-area', 'payment-or-insurance', 'elder-or-family-refused', 'other']);

/** A provider answered an offer, or its deadline passed unanswered. Subject: the referral. */
export const OfferAnswered = defineMessage({
  type: 'OfferAnswered',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({
    ...OfferFacts,
    answer: Type.Union([Type.Literal('accepted'), Type.Literal('declined'), Type.Literal('expired')]),
    reasonCode: Type.Optional(DeclineReason),
    offeredAt: Instant,
  }),
});

/** The elder or family chose another provider; this one is released from the offer. */
export const OfferNotSelected = defineMessage({
  type: 'OfferNotSelected',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object(OfferFacts),
});

/** The referral could not be placed and goes to the health commission, with why. */
export const ReferralEscalated = defineMessage({
  type: 'ReferralEscalated',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({ referralId: Uuid, reason: ShortText(200), stage: ShortText(100), offersMade: Type.Integer({ minimum: 0 }) }),
});

/** The referral was cancelled, with the reason. */
export const ReferralCancelled = defineMessage({
  type: 'ReferralCancelled',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({
    referralId: Uuid,
    reason: Literals(['death', 'family-withdrew', 'condition-changed', 'duplicate', 'other']),
    stage: ShortText(100),
  }),
});

/** The loop is closed: accepted, arrived, followed up. */
export const ReferralClosed = defineMessage({
  type: 'ReferralClosed',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({ referralId: Uuid, institutionId: Uuid, bedType: BedTypeSchema, followUpLate: Type.Boolean() }),
});

/**
 * The elder or family chose a provider (the offer named): that provider may now know who the
 * elder is. Subject: the referral. Civil affairs lets the provider's staff read the elder's
 * identity from then on.
 */
export const ProviderChosen = defineMessage({
  type: 'ProviderChosen',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({ ...OfferFacts, elderRef: ShortText(100) }),
});

/**
 * The chosen provider will not receive the elder after all (its bed was lost, or the referral was
 * cancelled before arrival): what the choice disclosed is no longer needed. Subject: the referral.
 */
export const ProviderChoiceLapsed = defineMessage({
  type: 'ProviderChoiceLapsed',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({ ...OfferFacts, elderRef: ShortText(100), reason: Literals(['bed-lost', 'cancelled']) }),
});

/** A timer of the workflow fell due: apply `event` to the referral. Subject: the referral. */
export const ReferralDeadlineDue = defineMessage({
  type: 'ReferralDeadlineDue',
  version: 1,
  kind: 'command',
  topic: commands,
  schema: Type.Object({ referralId: Uuid, key: ShortText(200), event: Type.Object({ type: ShortText(100) }, { additionalProperties: true }) }),
});

/** Every message of the referral context. */
export const referralMessages = [
  ReferralRequested,
  ReferralStateChanged,
  ReferralOffered,
  OfferAnswered,
  OfferNotSelected,
  ReferralEscalated,
  ReferralCancelled,
  ReferralClosed,
  ProviderChosen,
  ProviderChoiceLapsed,
  ReferralDeadlineDue,
] as const;
