import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { allow, principalOf } from '@fbl/auth/fastify';
import { DivisionCode, Literals, ShortText, Uuid } from '@fbl/contracts';
import type { ServiceKit } from '@fbl/service-kit';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ElderRights } from '../../application/elder-rights.js';

const tags = ['civil-affairs 民政'];
const ById = Type.Object({ id: Uuid });
const Phone = Type.String({ minLength: 5, maxLength: 20 });
const CorrectionBody = Type.Object(
  {
    address: Type.Optional(Type.Object({ divisionCode: DivisionCode, line: ShortText(200) }, { additionalProperties: false })),
    phone: Type.Optional(Type.Union([Phone, Type.Null()], { description: 'null removes the phone' })),
    guardian: Type.Optional(
      Type.Union([Type.Object({ name: ShortText(50), relation: ShortText(20), phone: Type.Optional(Phone) }, { additionalProperties: false }), Type.Null()], { description: 'null removes the guardian' }),
    ),
  },
  { additionalProperties: false },
);
const ErasureBody = Type.Object({ ground: Literals(['request', 'retention']) }, { additionalProperties: false });

/**
 * An elder's rights over their record (PIPL art. 46–47), exercised by civil-affairs staff of the
 * elder's division or an admin: correcting the home, phone or guardian, and erasing the personal
 * information. Both are audited, allowed or refused.
 */
export function elderRightsRoutes(fastify: FastifyInstance, kit: ServiceKit, rights: ElderRights): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.patch(
    '/api/civil-affairs/elders/:id',
    {
      preValidation: allow('assessor', 'admin'),
      schema: {
        tags,
        summary: "Correct an elder's home, phone or guardian at the elder's or guardian's request (PIPL art. 46)",
        params: ById,
        body: CorrectionBody,
        response: { 200: Type.Object({ parts: Type.Array(Literals(['address', 'phone', 'guardian'])), homeMoved: Type.Boolean() }) },
      },
    },
    async (request) => {
      const b = request.body;
      const correction = {
        ...(b.address ? { address: b.address } : {}),
        ...(b.phone !== undefined ? { phone: b.phone } : {}),
        ...(b.guardian !== undefined ? { guardian: b.guardian === null ? null : { name: b.guardian.name, relation: b.guardian.relation, ...(b.guardian.phone ? { phone: b.guardian.phone } : {}) } } : {}),
      };
      return rights.correct(request.params.id, correction, principalOf(request), kit.originOf(request));
    },
  );
  app.post(
    '/api/civil-affairs/elders/:id/erasure',
    {
      preValidation: allow('assessor', 'admin'),
      schema: {
        tags,
        summary: "Erase an elder's personal information, on request or after the time to keep it (PIPL art. 47); division, gender, birth year and assessment levels stay",
        params: ById,
        body: ErasureBody,
        response: { 200: Type.Object({ erasedAt: Type.String({ format: 'date-time' }) }) },
      },
    },
    async (request) => rights.erase(request.params.id, request.body.ground, principalOf(request), kit.originOf(request)),
  );
}
