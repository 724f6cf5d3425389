import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { BedTypeSchema, DeclineReason, DivisionCode, Literals, ShortText, UnitAttributes, Urgency, Uuid } from '@fbl/contracts';
import type { ServiceKit } from '@fbl/service-kit';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Cause, Referrals } from '../../application/referrals.js';

const tags = ['referrals 转诊'];

const NewReferralBody = Type.Object(
  {
    elderRef: ShortText(100),
    urgency: Type.Optional(Urgency),
    origin: Type.Object(
      { institutionId: Uuid, bedType: Type.Optional(BedTypeSchema), divisionCode: DivisionCode, admissionId: Type.Optional(Uuid) },
      { additionalProperties: false },
    ),
    requestedBedTypes: Type.Array(BedTypeSchema, { minItems: 1, maxItems: 5, uniqueItems: true }),
    widerBedTypes: Type.Optional(Type.Array(BedTypeSchema, { maxItems: 5, uniqueItems: true })),
    requirements: Type.Optional(UnitAttributes),
    wantsLtci: Type.Optional(Type.Boolean()),
    facts: Type.Optional(
      Type.Object(
        {
          abilityLevel: Type.Optional(Type.Integer({ minimum: 0, maximum: 4 })),
          abilityAssessedOn: Type.Optional(Type.String({ format: 'date' })),
          dementiaDiagnosis: Type.Optional(Type.Boolean()),
          ltciGrade: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 })),
          medicalNeeds: Type.Optional(Type.Array(ShortText(100), { maxItems: 20 })),
          clearDiagnosis: Type.Optional(Type.Boolean()),
          stableCondition: Type.Optional(Type.Boolean()),
          bedBoundOrCannotReachClinic: Type.Optional(Type.Boolean()),
          homeSickBedConditions: Type.Optional(Type.Array(ShortText(60), { maxItems: 10 })),
          terminalIllness: Type.Optional(Type.Boolean()),
          prognosisMonths: Type.Optional(Type.Number({ minimum: 0, maximum: 600 })),
          kps: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
          ecog: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 })),
          informedChoice: Type.Optional(Literals(['elder', 'legal-representative'])),
          advanceCarePlanRecorded: Type.Optional(Type.Boolean()),
          homeDivisionCode: Type.Optional(DivisionCode),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const Decision = Type.Object({ id: Uuid, state: Type.String(), applied: Type.Boolean() });
const ById = Type.Object({ id: Uuid });
const ByOffer = Type.Object({ id: Uuid, offerId: Uuid });
const RecordedBy = Type.Object({ recordedBy: ShortText(100) }, { additionalProperties: false });

/** The person (or system) a request speaks for; sign-in replaces the stated name once it exists. */
function person(kit: ServiceKit, request: FastifyRequest, stated: string, correlationId: string): Cause {
  return { actor: stated, causationId: request.id, origin: kit.originOf(request, correlationId) };
}

/**
 * HTTP routes of the referral workflow under `/api/referrals`: planners start referrals and record
 * the family's choice; providers answer offers from their inbox and send the follow-up; anyone
 * entitled reads a referral with its ranking and timeline.
 */
export function referralRoutes(kit: ServiceKit, referrals: Referrals): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.post('/api/referrals', { schema: { tags, summary: 'Start a referral for an elder leaving a bed', body: NewReferralBody, response: { 202: Type.Object({ id: Uuid, state: Type.String() }) } } }, async (request, reply) => {
      const b = request.body;
      const created = await referrals.request(
        {
          elderRef: b.elderRef,
          urgency: b.urgency ?? 'routine',
          origin: { institutionId: b.origin.institutionId, bedType: b.origin.bedType ?? 'medical', divisionCode: b.origin.divisionCode, ...(b.origin.admissionId ? { admissionId: b.origin.admissionId } : {}) },
          requestedBedTypes: b.requestedBedTypes,
          widerBedTypes: b.widerBedTypes ?? [],
          ...(b.requirements ? { requirements: b.requirements } : {}),
          wantsLtci: b.wantsLtci ?? false,
          facts: (b.facts ?? {}) as Record<string, unknown>,
        },
        { actor: 'planner', causationId: request.id, origin: kit.originOf(request) },
      );
      return reply.status(202).header('location', `/api/referrals/${created.id}`).send(created);
    });

    app.get(
      '/api/referrals',
      { schema: { tags, summary: 'Referrals, newest first', querystring: Type.Object({ state: Type.Optional(ShortText(40)), originInstitutionId: Type.Optional(Uuid), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }) } },
      async (request) => referrals.list({ ...(request.query.state ? { state: request.query.state } : {}), ...(request.query.originInstitutionId ? { originInstitutionId: request.query.originInstitutionId } : {}), limit: request.query.limit ?? 100 }),
    );

    app.get('/api/referrals/capacity', { schema: { tags, summary: "Providers' free capacity as matching sees it", querystring: Type.Object({ bedType: Type.Optional(BedTypeSchema) }) } }, async (request) =>
      referrals.capacity(request.query.bedType),
    );

    app.get('/api/referrals/inbox/:institutionId', { schema: { tags, summary: "A provider's offers, open first", params: Type.Object({ institutionId: Uuid }), querystring: Type.Object({ status: Type.Optional(ShortText(20)) }) } }, async (request) =>
      referrals.inbox(request.params.institutionId, request.query.status),
    );

    app.get('/api/referrals/:id', { schema: { tags, summary: 'A referral: state, offers, ranking with reasons, timeline', params: ById } }, async (request) => referrals.get(request.params.id));

    app.post('/api/referrals/:id/offers/:offerId/accept', { schema: { tags, summary: 'The provider accepts the offer', params: ByOffer, body: RecordedBy, response: { 200: Decision } } }, async (request) =>
      referrals.decide(request.params.id, { type: 'OfferAccepted', offerId: request.params.offerId }, person(kit, request, request.body.recordedBy, request.params.id)),
    );

    app.post(
      '/api/referrals/:id/offers/:offerId/decline',
      { schema: { tags, summary: 'The provider declines the offer, with a reason', params: ByOffer, body: Type.Object({ recordedBy: ShortText(100), reasonCode: DeclineReason }, { additionalProperties: false }), response: { 200: Decision } } },
      async (request) => referrals.decide(request.params.id, { type: 'OfferDeclined', offerId: request.params.offerId, reasonCode: request.body.reasonCode }, person(kit, request, request.body.recordedBy, request.params.id)),
    );

    app.post(
      '/api/referrals/:id/choice',
      { schema: { tags, summary: "Record the elder's or family's choice among the providers who accepted", params: ById, body: Type.Object({ offerId: Uuid, recordedBy: ShortText(100) }, { additionalProperties: false }), response: { 200: Decision } } },
      async (request) => referrals.decide(request.params.id, { type: 'ChoiceRecorded', offerId: request.body.offerId, recordedBy: request.body.recordedBy }, person(kit, request, request.body.recordedBy, request.params.id)),
    );

    app.post('/api/referrals/:id/follow-up', { schema: { tags, summary: "The receiver's follow-up closes the loop", params: ById, body: RecordedBy, response: { 200: Decision } } }, async (request) =>
      referrals.decide(request.params.id, { type: 'FollowUpRecorded', recordedBy: request.body.recordedBy }, person(kit, request, request.body.recordedBy, request.params.id)),
    );

    app.post(
      '/api/referrals/:id/cancel',
      { schema: { tags, summary: 'Cancel the referral, with the reason; a held bed is released', params: ById, body: Type.Object({ recordedBy: ShortText(100), reason: Literals(['death', 'family-withdrew', 'condition-changed', 'duplicate', 'other']) }, { additionalProperties: false }), response: { 200: Decision } } },
      async (request) => referrals.decide(request.params.id, { type: 'Cancel', reason: request.body.reason, recordedBy: request.body.recordedBy }, person(kit, request, request.body.recordedBy, request.params.id)),
    );

    app.post('/api/referrals/:id/reopen', { schema: { tags, summary: 'The commission reopens an escalated referral for a new match', params: ById, body: RecordedBy, response: { 200: Decision } } }, async (request) =>
      referrals.decide(request.params.id, { type: 'Reopen', recordedBy: request.body.recordedBy }, person(kit, request, request.body.recordedBy, request.params.id)),
    );
  };
}
