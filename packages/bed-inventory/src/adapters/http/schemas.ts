import { BedTypeSchema, DivisionCode, EPISODE_REVIEW_CONDITION, EPISODE_REVIEW_DECISIONS, Instant, Literals, ShortText, UnitAttributes, UnitKind, Uuid } from '@fbl/contracts';
import Type from 'typebox';

/** Request and response schemas of the bed services' HTTP API. */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const UnitBatchBody = Type.Object(
  { kind: UnitKind, count: Type.Integer({ minimum: 1, maximum: 5000 }), attributes: Type.Optional(UnitAttributes) },
  { additionalProperties: false },
);

export const RegisterInstitutionBody = Type.Object(
  {
    name: ShortText(200),
    creditCode: Type.String({ minLength: 1, maxLength: 40 }),
    creditCodeOverrideReason: Type.Optional(ShortText(500)),
    divisionCode: DivisionCode,
    kind: Type.String({ minLength: 1, maxLength: 40 }),
    ownership: Type.Union([Type.Literal('public'), Type.Literal('private')]),
    capabilities: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 })),
    serviceArea: Type.Optional(Type.Array(DivisionCode, { maxItems: 200 })),
    greenChannelPartners: Type.Optional(Type.Array(Uuid, { maxItems: 200 })),
    units: Type.Optional(Type.Array(UnitBatchBody, { maxItems: 100 })),
  },
  { additionalProperties: false },
);

const UnitLine = Type.Object({
  kind: UnitKind,
  attributes: UnitAttributes,
  total: Type.Integer(),
  free: Type.Integer(),
  held: Type.Integer(),
  occupied: Type.Integer(),
  kept: Type.Integer(),
  closed: Type.Integer(),
});

export const InstitutionView = Type.Object({
  id: Uuid,
  name: Type.String(),
  creditCode: Type.String(),
  creditCodeOverridden: Type.Boolean(),
  divisionCode: Type.String(),
  kind: Type.String(),
  ownership: Type.String(),
  capabilities: Type.Array(Type.String()),
  serviceArea: Type.Array(Type.String()),
  greenChannelPartners: Type.Array(Type.String()),
  capacity: Type.Object({
    total: Type.Integer(),
    free: Type.Integer(),
    held: Type.Integer(),
    occupied: Type.Integer(),
    kept: Type.Integer(),
    closed: Type.Integer(),
    units: Type.Array(UnitLine),
  }),
});

export const UnitView = Type.Object({ id: Uuid, kind: UnitKind, label: Type.String(), attributes: UnitAttributes, status: Type.String() });

export const HoldView = Type.Object({ id: Uuid, referralId: Uuid, institutionId: Uuid, unitId: Uuid, status: Type.String(), expiresAt: Instant });

/** A bed held for an elder on the way, as the provider's arrivals list shows it. */
export const HeldView = Type.Object({ id: Uuid, referralId: Uuid, elderRef: Type.String(), unitId: Uuid, unitLabel: Type.String(), status: Type.String(), expiresAt: Instant });

export const StayView = Type.Object({
  id: Uuid,
  referralId: Uuid,
  elderRef: Type.String(),
  unitId: Uuid,
  unitLabel: Type.String(),
  status: Type.String(),
  admittedAt: Instant,
  keptUntil: Nullable(Instant),
  reviewDueAt: Nullable(Instant),
  /** The latest stage review of a home sick bed episode (阶段评估). */
  lastReview: Type.Optional(Nullable(Type.Object({ condition: Type.String(), decision: Type.String(), reviewedAt: Instant, reviewedByName: Nullable(Type.String()) }))),
  servicePlan: Nullable(Type.Object({ services: Type.Array(Type.String()), visitsPerWeek: Type.Integer() })),
  dischargedAt: Nullable(Instant),
  dischargeReason: Nullable(Type.String()),
});

/** One admission as its provider's staff read it: the stay, its urgent transfers with their reasons, and its stage reviews (newest first). */
export const AdmissionView = Type.Object({
  ...StayView.properties,
  institutionId: Uuid,
  transfers: Type.Array(Type.Object({ id: Uuid, reason: Type.String(), bedKept: Type.Boolean(), requestedAt: Instant })),
  reviews: Type.Array(Type.Object({ condition: Type.String(), decision: Type.String(), reviewedAt: Instant, reviewedByName: Nullable(Type.String()), nextReviewDueAt: Instant })),
});

export const AdmissionBody = Type.Object(
  {
    servicePlan: Type.Optional(
      Type.Object(
        { services: Type.Array(ShortText(100), { minItems: 1, maxItems: 30 }), visitsPerWeek: Type.Integer({ minimum: 1, maximum: 21 }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const DischargeBody = Type.Object(
  {
    reason: Type.Union(['recovered', 'transferred', 'died', 'family-request', 'episode-closed', 'other'].map((r) => Type.Literal(r))),
    destination: Type.Optional(BedTypeSchema),
  },
  { additionalProperties: false },
);

/** A stage review's answers (阶段评估): how the elder is, and what comes next. */
export const EpisodeReviewBody = Type.Object({ condition: Literals(EPISODE_REVIEW_CONDITION), decision: Literals(EPISODE_REVIEW_DECISIONS) }, { additionalProperties: false });

export const TransferBody = Type.Object({ reason: ShortText(500), hospitalInstitutionId: Type.Optional(Uuid) }, { additionalProperties: false });
export const IdParams = Type.Object({ id: Uuid });
