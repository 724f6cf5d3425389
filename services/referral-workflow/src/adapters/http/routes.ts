import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { BedTypeSchema, Instant, ShortText, UnitAttributes, Uuid } from '@fbl/contracts';
import type { ServiceKit } from '@fbl/service-kit';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { Referrals } from '../../application/referrals.js';

const tags = ['referrals 转诊'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const ReferralView = Type.Object({
  id: Uuid,
  state: Type.String(),
  machineVersion: Type.Integer(),
  version: Type.Integer(),
  institutionId: Uuid,
  bedType: Type.String(),
  holdId: Nullable(Uuid),
  createdAt: Instant,
  updatedAt: Instant,
  timeline: Type.Array(
    Type.Object({ at: Instant, event: Type.String(), from: Nullable(Type.String()), to: Type.String(), causedBy: Type.String(), detail: Nullable(Type.String()) }),
  ),
});

/** HTTP routes of the referral workflow, under `/api/referrals`. */
export function referralRoutes(kit: ServiceKit, referrals: Referrals): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/api/referrals',
      {
        schema: {
          tags,
          summary: 'Start a referral: ask an institution to hold a bed for an elder',
          body: Type.Object(
            { elderRef: ShortText(100), institutionId: Uuid, bedType: Type.Optional(BedTypeSchema), requirements: Type.Optional(UnitAttributes) },
            { additionalProperties: false },
          ),
          response: { 202: Type.Object({ id: Uuid, state: Type.String() }) },
        },
      },
      async (request, reply) => {
        const { elderRef, institutionId, bedType, requirements } = request.body;
        const created = await referrals.request({ elderRef, institutionId, bedType: bedType ?? 'care', ...(requirements ? { requirements } : {}) }, kit.originOf(request));
        return reply.status(202).header('location', `/api/referrals/${created.id}`).send(created);
      },
    );

    app.get(
      '/api/referrals/:id',
      { schema: { tags, summary: 'A referral, its state and its timeline', params: Type.Object({ id: Uuid }), response: { 200: ReferralView } } },
      async (request) => referrals.get(request.params.id),
    );
  };
}
