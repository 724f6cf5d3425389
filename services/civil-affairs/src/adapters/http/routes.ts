import type { TokenKey } from '@fbl/auth';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { allow, authenticate, principalOf } from '@fbl/auth/fastify';
import { DivisionCode, Literals, ShortText, Uuid } from '@fbl/contracts';
import { dayPeriod, DayPeriodQuery, type ServiceKit } from '@fbl/service-kit';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { AssessmentQueue } from '../../application/assessment-queue.js';
import { SEARCHERS, type ElderDirectory } from '../../application/elder-directory.js';
import type { ElderRights } from '../../application/elder-rights.js';
import type { Elders } from '../../application/elders.js';
import type { HomeCareHours } from '../../application/home-care-hours.js';
import type { RegisterFacts } from '../../application/register-facts.js';
import type { Tanfang } from '../../application/tanfang.js';
import type { WaitingList } from '../../application/waiting-list.js';
import { HARDSHIP_STATUSES } from '../../domain/waiting-list.js';
import { homeCareRoutes } from './home-care-routes.js';
import { elderRightsRoutes } from './rights-routes.js';

const tags = ['civil-affairs 民政'];
const ById = Type.Object({ id: Uuid });
const ByEntry = Type.Object({ entryId: Uuid });
const Day = Type.String({ format: 'date' });
const HardshipBody = Type.Object({ status: Literals(HARDSHIP_STATUSES), validFrom: Day, validUntil: Type.Optional(Day) }, { additionalProperties: false });
const ApplyBody = Type.Object({ elderId: Uuid, homeInstitutionId: Uuid }, { additionalProperties: false });
const OfferBody = Type.Object({ institutionId: Type.Optional(Uuid) }, { additionalProperties: false });
const Phone = Type.String({ minLength: 5, maxLength: 20 });
const Paging = { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })) };
const ElderSearchBody = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 50, description: 'a full name, or a whole ID number (18 characters); left out: every elder of the division' })),
    due: Type.Optional(Type.Boolean({ description: 'only elders due an assessment (never assessed, or the latest older than six months)' })),
    ...Paging,
  },
  { additionalProperties: false },
);
const ElderSummarySchema = Type.Object({
  elderRef: Uuid,
  name: Type.String(),
  gender: Literals(['male', 'female']),
  birthYear: Type.Integer(),
  age: Type.Integer(),
  divisionCode: Type.String(),
  divisionName: Type.Union([Type.String(), Type.Null()]),
  idNumberMasked: Type.String(),
  ability: Type.Union([Type.Object({ level: Type.Integer(), assessedOn: Type.String() }), Type.Null()]),
  reassessmentDue: Type.Boolean(),
});

const RegisterBody = Type.Object(
  {
    idNumber: Type.String({ minLength: 1, maxLength: 30 }),
    name: ShortText(50),
    gender: Literals(['male', 'female']),
    birthDate: Type.String({ format: 'date' }),
    phone: Type.Optional(Phone),
    address: Type.Object({ divisionCode: DivisionCode, line: ShortText(200) }, { additionalProperties: false }),
    guardian: Type.Optional(Type.Object({ name: ShortText(50), relation: ShortText(20), phone: Type.Optional(Phone) }, { additionalProperties: false })),
    consent: Type.Object({ healthData: Type.Boolean(), givenBy: Literals(['elder', 'guardian']) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

const AssessmentBody = Type.Object(
  {
    answers: Type.Record(Type.String({ pattern: '^[a-zA-Z]{1,40}$' }), Type.Integer()),
    adjustments: Type.Object(
      {
        coma: Type.Optional(Type.Boolean()),
        dementiaDiagnosis: Type.Optional(Type.Boolean()),
        otherPsychiatricDiagnosis: Type.Optional(Type.Boolean()),
        careRiskEventsLast30Days: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
      },
      { additionalProperties: false },
    ),
    assessors: Type.Tuple([ShortText(50), ShortText(50)]),
    reason: Literals(['first', 'routine', 'immediate', 'review', 'other']),
    assessedOn: Type.String({ format: 'date' }),
  },
  { additionalProperties: false },
);

/**
 * HTTP routes of civil affairs under `/api/civil-affairs`. Every route needs a signed-in user;
 * what a role sees of a person is decided in the use case, and every access is audited.
 */
export function civilAffairsRoutes(
  kit: ServiceKit,
  use: { elders: Elders; rights: ElderRights; directory: ElderDirectory; queue: AssessmentQueue; waitingList: WaitingList; facts: RegisterFacts; tanfang: Tanfang; hours: HomeCareHours },
  authSecret: TokenKey,
): FastifyPluginAsync {
  const { elders, rights, directory, queue, waitingList } = use;
  return async (fastify) => {
    authenticate(fastify, { secret: authSecret, clock: kit.deps.clock, oidc: kit.deps.oidc });
    homeCareRoutes(fastify, kit, use);
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    elderRightsRoutes(fastify, kit, rights);

    app.post('/api/civil-affairs/elders', { preValidation: allow('assessor', 'admin'), schema: { tags, summary: 'Register an elder (identity sealed at rest)', body: RegisterBody, response: { 201: Type.Object({ id: Uuid }) } } }, async (request, reply) => {
      const who = principalOf(request);
      const b = request.body;
      const created = await elders.register(
        {
          idNumber: b.idNumber,
          name: b.name,
          gender: b.gender,
          birthDate: b.birthDate,
          ...(b.phone ? { phone: b.phone } : {}),
          address: b.address,
          ...(b.guardian ? { guardian: { name: b.guardian.name, relation: b.guardian.relation, ...(b.guardian.phone ? { phone: b.guardian.phone } : {}) } } : {}),
          consent: b.consent,
        },
        who,
        kit.originOf(request),
      );
      return reply.status(201).header('location', `/api/civil-affairs/elders/${created.id}`).send(created);
    });

    app.post(
      '/api/civil-affairs/elders/search',
      {
        preValidation: allow(...SEARCHERS),
        schema: {
          tags,
          summary:
            "Elders of the caller's division, newest registered first: `q` finds one by full name (a blind index; names stay sealed) or by whole ID number; `due` keeps those due an assessment; `limit` and `offset` page it, `X-Total-Count` says how many there are. In the body, never in a URL (URLs end up in access logs and browser history). Planners search by name or ID number only. Each elder shown is an audited read; ID numbers come masked",
          body: ElderSearchBody,
          response: { 200: Type.Array(ElderSummarySchema) },
        },
      },
      async (request, reply) => {
        const q = request.body;
        const found = await directory.search(principalOf(request), { ...(q.q !== undefined ? { q: q.q } : {}), ...(q.due !== undefined ? { due: q.due } : {}), limit: q.limit ?? 20, offset: q.offset ?? 0 });
        void reply.header('x-total-count', String(found.total));
        return found.items;
      },
    );

    app.get('/api/civil-affairs/elders/:id', { preValidation: allow('planner', 'provider', 'assessor', 'insurer', 'analyst', 'admin'), schema: { tags, summary: "An elder's record, as the caller's role may see it", params: ById } }, async (request) =>
      elders.view(request.params.id, principalOf(request)),
    );

    app.post(
      '/api/civil-affairs/elders/lookup',
      { preValidation: allow('planner', 'assessor', 'insurer', 'admin'), schema: { tags, summary: 'Find an elder by ID number (in the body, never in a URL)', body: Type.Object({ idNumber: Type.String({ minLength: 1, maxLength: 30 }) }, { additionalProperties: false }) } },
      async (request) => elders.findByIdNumber(request.body.idNumber, principalOf(request)),
    );

    app.post(
      '/api/civil-affairs/elders/names',
      {
        preValidation: allow('planner', 'provider', 'assessor', 'insurer', 'admin'),
        schema: {
          tags,
          summary: "Names of several elders for a list of the people one works with; only those the caller may see (provider staff: the elders their institution was chosen for), each read audited",
          body: Type.Object({ elderRefs: Type.Array(Uuid, { minItems: 1, maxItems: 200 }) }, { additionalProperties: false }),
          response: { 200: Type.Array(Type.Object({ elderRef: Uuid, name: Type.String() })) },
        },
      },
      async (request) => elders.names(request.body.elderRefs, principalOf(request)),
    );

    app.post('/api/civil-affairs/elders/:id/assessments', { preValidation: allow('assessor'), schema: { tags, summary: 'Record an ability assessment (GB/T 42195-2022)', params: ById, body: AssessmentBody } }, async (request, reply) => {
      const who = principalOf(request);
      const b = request.body;
      const result = await elders.assess(request.params.id, { answers: b.answers, adjustments: b.adjustments, assessors: [b.assessors[0], b.assessors[1]], reason: b.reason, assessedOn: b.assessedOn }, who, kit.originOf(request));
      return reply.status(201).send(result);
    });

    app.get('/api/civil-affairs/elders/:id/assessments', { preValidation: allow('planner', 'provider', 'assessor', 'insurer', 'analyst', 'admin'), schema: { tags, summary: "An elder's assessments, newest first", params: ById } }, async (request) =>
      elders.history(request.params.id, principalOf(request)),
    );

    app.get(
      '/api/civil-affairs/assessment-requests',
      {
        preValidation: allow('assessor', 'admin'),
        schema: {
          tags,
          summary: "The assessors' queue of the caller's division: green-channel requests first, then the most urgent; each with the elder (ID number masked). `limit` and `offset` page it, `X-Total-Count` says how many there are",
          querystring: Type.Object(Paging, { additionalProperties: false }),
        },
      },
      async (request, reply) => {
        const found = await queue.list(principalOf(request), { limit: request.query.limit ?? 100, offset: request.query.offset ?? 0 });
        void reply.header('x-total-count', String(found.total));
        return found.items;
      },
    );

    app.post('/api/civil-affairs/elders/:id/hardships', { preValidation: allow('assessor', 'admin'), schema: { tags, summary: 'Record a hardship status with its validity (特困, 低保, …)', params: ById, body: HardshipBody, response: { 201: Type.Object({ id: Uuid }) } } }, async (request, reply) => {
      const who = principalOf(request);
      const b = request.body;
      const created = await elders.recordHardship(request.params.id, { status: b.status, validFrom: b.validFrom, ...(b.validUntil ? { validUntil: b.validUntil } : {}) }, who, kit.originOf(request));
      return reply.status(201).send(created);
    });

    app.get('/api/civil-affairs/elders/:id/hardships', { preValidation: allow('planner', 'provider', 'assessor', 'insurer', 'analyst', 'admin'), schema: { tags, summary: "An elder's hardship statuses", params: ById } }, async (request) =>
      elders.hardshipsOf(request.params.id, principalOf(request)),
    );

    app.post('/api/civil-affairs/waiting-list', { preValidation: allow('assessor', 'admin'), schema: { tags, summary: 'Put an elder on a public care home\'s waiting list (轮候)', body: ApplyBody } }, async (request, reply) => {
      const who = principalOf(request);
      const created = await waitingList.apply(request.body.elderId, request.body.homeInstitutionId, who);
      return reply.status(201).header('location', `/api/civil-affairs/waiting-list/entries/${created.id}/position`).send(created);
    });

    app.get('/api/civil-affairs/waiting-list/:homeInstitutionId', { preValidation: allow('assessor', 'admin', 'analyst'), schema: { tags, summary: "A home's waiting list in order (no identity)", params: Type.Object({ homeInstitutionId: Uuid }) } }, async (request) =>
      waitingList.list(request.params.homeInstitutionId, principalOf(request)),
    );

    app.get('/api/civil-affairs/waiting-list/entries/:entryId/position', { preValidation: allow('planner', 'provider', 'assessor', 'insurer', 'analyst', 'admin'), schema: { tags, summary: 'Why an entry is at its position', params: ByEntry } }, async (request) =>
      waitingList.position(request.params.entryId, principalOf(request)),
    );

    app.post(
      '/api/civil-affairs/waiting-list/entries/:entryId/offer',
      {
        schema: { tags, summary: 'Offer a bed (in this home or, by transfer, another; the body may be left out)', params: ByEntry, body: OfferBody },
        // A POST without a body means an offer in the home applied for.
        preValidation: async (request) => {
          await allow('assessor', 'admin')(request);
          request.body ??= {};
        },
      },
      async (request) => {
        const who = principalOf(request);
        const institutionId = request.body.institutionId;
        return waitingList.move(request.params.entryId, 'offer', who, institutionId ? { institutionId } : {});
      },
    );

    for (const move of ['accept', 'refuse', 'withdraw'] as const) {
      app.post(`/api/civil-affairs/waiting-list/entries/:entryId/${move}`, { preValidation: allow('assessor', 'admin'), schema: { tags, summary: `${move[0]!.toUpperCase()}${move.slice(1)} (waiting list)`, params: ByEntry } }, async (request) =>
        waitingList.move(request.params.entryId, move, principalOf(request)),
      );
    }

    app.get(
      '/api/civil-affairs/audit',
      { preValidation: allow('admin'), schema: { tags, summary: 'The personal-data access log (append-only), newest first: by record, by account, within days `from`–`to` (China time)', querystring: Type.Object({ objectId: Type.Optional(ShortText(100)), actor: Type.Optional(ShortText(100)), ...DayPeriodQuery, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }) } },
      async (request) => {
        const q = request.query;
        return elders.auditTrail({ ...(q.objectId ? { objectId: q.objectId } : {}), ...(q.actor ? { actor: q.actor } : {}), ...dayPeriod(q), limit: q.limit ?? 100 });
      },
    );
  };
}
