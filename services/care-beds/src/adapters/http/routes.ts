import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DivisionCode, Instant, ShortText, Uuid } from '@fbl/contracts';
import type { ServiceKit } from '@fbl/service-kit';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { CareBeds } from '../../application/care-beds.js';

const tags = ['care-beds 养老床位'];

const InstitutionView = Type.Object({
  id: Uuid,
  name: Type.String(),
  divisionCode: Type.String(),
  beds: Type.Object({ free: Type.Integer(), held: Type.Integer(), occupied: Type.Integer() }),
});

const HoldView = Type.Object({
  id: Uuid,
  referralId: Uuid,
  institutionId: Uuid,
  bedId: Uuid,
  status: Type.String(),
  expiresAt: Instant,
  admittedAt: Type.Union([Instant, Type.Null()]),
});

/** HTTP routes of the care-beds service, under `/api/care-beds`. */
export function careBedsRoutes(kit: ServiceKit, careBeds: CareBeds): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/api/care-beds/institutions',
      {
        schema: {
          tags,
          summary: 'Register a care home with its beds',
          body: Type.Object(
            { name: ShortText(200), divisionCode: DivisionCode, beds: Type.Integer({ minimum: 0, maximum: 5000 }) },
            { additionalProperties: false },
          ),
          response: { 201: Type.Object({ id: Uuid }) },
        },
      },
      async (request, reply) => {
        const result = await careBeds.registerInstitution(request.body, kit.originOf(request));
        return reply.status(201).header('location', `/api/care-beds/institutions/${result.id}`).send(result);
      },
    );

    app.get(
      '/api/care-beds/institutions',
      { schema: { tags, summary: 'Every care home and its beds by status', response: { 200: Type.Array(InstitutionView) } } },
      async () => careBeds.listInstitutions(),
    );

    app.get(
      '/api/care-beds/institutions/:id',
      { schema: { tags, summary: 'A care home and its beds by status', params: Type.Object({ id: Uuid }), response: { 200: InstitutionView } } },
      async (request) => careBeds.getInstitution(request.params.id),
    );

    app.get(
      '/api/care-beds/holds/:id',
      { schema: { tags, summary: 'A bed hold', params: Type.Object({ id: Uuid }), response: { 200: HoldView } } },
      async (request) => {
        const hold = await careBeds.getHold(request.params.id);
        return { ...hold, expiresAt: hold.expiresAt.toISOString(), admittedAt: hold.admittedAt?.toISOString() ?? null };
      },
    );

    app.post(
      '/api/care-beds/holds/:id/admission',
      {
        schema: {
          tags,
          summary: 'Record that the elder arrived and took the held bed',
          params: Type.Object({ id: Uuid }),
          response: { 200: Type.Object({ holdId: Uuid, admittedAt: Instant }) },
        },
      },
      async (request) => careBeds.recordAdmission(request.params.id, kit.originOf(request)),
    );
  };
}
