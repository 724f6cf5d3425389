import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ROLES, type TokenKey } from '@fbl/auth';
import { allow, authenticate, principalOf } from '@fbl/auth/fastify';
import { DivisionCode, Literals, ShortText, Uuid } from '@fbl/contracts';
import { dayPeriod, DayPeriodQuery, type ServiceKit } from '@fbl/service-kit';
import type { HospitalLevel as HospitalLevelValue } from '@fbl/scales';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { AuditLog } from '../../application/audit.js';
import type { HomeSickBedFilings } from '../../application/home-sick-bed-filings.js';
import type { LtciApplications } from '../../application/ltci-applications.js';
import { APPLICATION_STATUSES, END_REASONS, REFUSAL_GROUNDS } from '../../domain/application.js';
import { SELF_ASSESSORS } from '../../domain/self-assessment.js';

const tags = ['medical-insurance 医保'];
const BASE = '/api/medical-insurance';
const ById = Type.Object({ id: Uuid });
const ElderRef = ShortText(100);
const CareMode = Literals(['medical-special-care', 'institutional-care', 'home-visiting-care', 'home-self-care']);
/** 一级, 二级, 三级: an integer, so a query string's `3` reads as one. */
const HospitalLevel = Type.Integer({ minimum: 1, maximum: 3 });
const strict = { additionalProperties: false } as const;

/** NHSA 2021 answers keyed by item code: any item code and any integer get through here; the grading rules name what is wrong. */
const LtciAnswers = Type.Record(Type.String({ pattern: '^[a-zA-Z]{1,40}$' }), Type.Integer());

const AssessmentBody = Type.Object(
  {
    answers: LtciAnswers,
    assessors: Type.Tuple([ShortText(50), ShortText(50)]),
    assessedOn: Type.String({ format: 'date' }),
  },
  strict,
);

/** The applicant's self-assessment (自评): the 17 NHSA items, and who filled it in (本人, 监护人, 委托代理人). Advisory. */
const SelfAssessmentBody = Type.Object({ filledBy: Literals(SELF_ASSESSORS), answers: LtciAnswers }, strict);

const CareModeBody = Type.Object({ careMode: CareMode, providerInstitutionId: Uuid, hospitalLevel: Type.Optional(HospitalLevel) }, strict);

/**
 * HTTP routes of medical insurance under `/api/medical-insurance`. Application and filing
 * routes are for insurance officers; the quote is for anyone signed in. Every read and change
 * of an application is audited in the use case.
 */
export function medicalInsuranceRoutes(kit: ServiceKit, useCases: { ltci: LtciApplications; filings: HomeSickBedFilings; audit: AuditLog }, authSecret: TokenKey): FastifyPluginAsync {
  const { ltci, filings, audit } = useCases;
  return async (fastify) => {
    authenticate(fastify, { secret: authSecret, clock: kit.deps.clock, oidc: kit.deps.oidc });
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      `${BASE}/applications`,
      {
        preValidation: allow('insurer'),
        schema: {
          tags,
          summary: "Open an LTCI application for an elder, in the officer's division or one within it, with the applicant's self-assessment (自评, advisory: graded, never refuses) when given",
          body: Type.Object({ elderRef: ElderRef, divisionCode: Type.Optional(DivisionCode), selfAssessment: Type.Optional(SelfAssessmentBody) }, strict),
        },
      },
      async (request, reply) => {
        const b = request.body;
        const self = b.selfAssessment ? { filledBy: b.selfAssessment.filledBy, answers: b.selfAssessment.answers } : undefined;
        const created = await ltci.apply(b.elderRef, principalOf(request), b.divisionCode, self);
        return reply.status(201).header('location', `${BASE}/applications/${created.id}`).send(created);
      },
    );

    app.get(
      `${BASE}/applications`,
      {
        preValidation: allow('insurer'), schema: {
          tags,
          summary:
            "The insurance officers' applications within their division: `view` work (default: everything waiting on a person, oldest first) or all (newest first), or one `status`; `elderRef` one elder's; `reference` the one with that number (`20261205-000123` or `123`); `limit` and `offset` page it, `X-Total-Count` says how many there are",
          querystring: Type.Object(
            {
              view: Type.Optional(Literals(['work', 'all'])),
              status: Type.Optional(Literals(APPLICATION_STATUSES)),
              elderRef: Type.Optional(ElderRef),
              reference: Type.Optional(ShortText(20)),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
              offset: Type.Optional(Type.Integer({ minimum: 0 })),
            },
            strict,
          ),
        },
      },
      async (request, reply) => {
        const q = request.query;
        const page = await ltci.list(
          { view: q.view ?? 'work', ...(q.status ? { status: q.status } : {}), ...(q.elderRef ? { elderRef: q.elderRef } : {}), ...(q.reference ? { reference: q.reference } : {}), limit: q.limit ?? 100, offset: q.offset ?? 0 },
          principalOf(request),
        );
        void reply.header('x-total-count', String(page.total));
        return page.items;
      },
    );

    app.get(`${BASE}/applications/:id`, { preValidation: allow('insurer'), schema: { tags, summary: 'One application with its assessments', params: ById } }, async (request) => ltci.view(request.params.id, principalOf(request)));

    app.post(`${BASE}/applications/:id/accept`, { preValidation: allow('insurer'), schema: { tags, summary: 'Accept (受理) the application', params: ById } }, async (request) =>
      ltci.accept(request.params.id, principalOf(request), kit.originOf(request)),
    );

    app.post(
      `${BASE}/applications/:id/refuse`,
      { preValidation: allow('insurer'), schema: { tags, summary: 'Refuse (不予受理) the application on one of five grounds', params: ById, body: Type.Object({ ground: Literals(REFUSAL_GROUNDS) }, strict) } },
      async (request) => ltci.refuse(request.params.id, request.body.ground, principalOf(request), kit.originOf(request)),
    );

    app.post(`${BASE}/applications/:id/assessment`, { preValidation: allow('insurer'), schema: { tags, summary: 'Record the on-site assessment of two assessors (NHSA 2021)', params: ById, body: AssessmentBody } }, async (request, reply) => {
      const who = principalOf(request);
      const b = request.body;
      const result = await ltci.assess(request.params.id, { answers: b.answers, assessors: [b.assessors[0], b.assessors[1]], assessedOn: b.assessedOn }, who, kit.originOf(request));
      return reply.status(201).send(result);
    });

    app.post(
      `${BASE}/applications/:id/objection`,
      { preValidation: allow('insurer'), schema: { tags, summary: 'Record an objection (异议) during the public notice', params: ById, body: Type.Object({ reason: ShortText(1000) }, strict) } },
      async (request) => ltci.object(request.params.id, request.body.reason, principalOf(request), kit.originOf(request)),
    );

    app.post(`${BASE}/applications/:id/effect`, { preValidation: allow('insurer'), schema: { tags, summary: 'The public notice ended without an objection: the conclusion takes effect (its timer does this too)', params: ById } }, async (request) =>
      ltci.makeEffective(request.params.id, principalOf(request), kit.originOf(request)),
    );

    app.post(`${BASE}/applications/:id/care-mode`, { preValidation: allow('insurer'), schema: { tags, summary: 'Record the care mode and designated provider chosen', params: ById, body: CareModeBody } }, async (request) => {
      const b = request.body;
      return ltci.chooseCare(request.params.id, { careMode: b.careMode, providerInstitutionId: b.providerInstitutionId, ...(b.hospitalLevel !== undefined ? { hospitalLevel: b.hospitalLevel as HospitalLevelValue } : {}) }, principalOf(request), kit.originOf(request));
    });

    app.post(
      `${BASE}/applications/:id/end`,
      {
        preValidation: allow('insurer'),
        schema: {
          tags,
          summary: 'End the benefits for a reason, on a day (`endedOn`, default today in China; not after today, not before they took effect)',
          params: ById,
          body: Type.Object({ reason: Literals(END_REASONS), endedOn: Type.Optional(Type.String({ format: 'date' })) }, strict),
        },
      },
      async (request) => ltci.end(request.params.id, request.body.reason, principalOf(request), kit.originOf(request), request.body.endedOn),
    );

    app.get(
      `${BASE}/quote`,
      {
        preValidation: allow(...ROLES), schema: {
          tags,
          summary: 'What the LTCI fund and the elder pay for one bed-day',
          querystring: Type.Object({ careMode: CareMode, hospitalLevel: Type.Optional(HospitalLevel), dailyCost: Type.Number({ minimum: 0, maximum: 100_000 }), on: Type.Optional(Type.String({ format: 'date' })) }, strict),
        },
      },
      async (request) => {
        const q = request.query;
        return ltci.quote({ careMode: q.careMode, dailyCost: q.dailyCost, ...(q.hospitalLevel !== undefined ? { hospitalLevel: q.hospitalLevel as HospitalLevelValue } : {}), ...(q.on ? { on: q.on } : {}) });
      },
    );

    app.post(
      `${BASE}/home-sick-bed-filings`,
      { preValidation: allow('insurer'), schema: { tags, summary: 'File a home sick bed episode (家庭病床医保备案)', body: Type.Object({ elderRef: ElderRef, institutionId: Uuid }, strict) } },
      async (request, reply) => {
        const { created, filing } = await filings.file(request.body, principalOf(request), kit.originOf(request));
        return reply.status(created ? 201 : 200).send(filing);
      },
    );

    app.get(
      `${BASE}/audit`,
      { preValidation: allow('admin'), schema: { tags, summary: 'The access log (append-only), newest first: by record, by account, within days `from`–`to` (China time)', querystring: Type.Object({ objectId: Type.Optional(ShortText(100)), actor: Type.Optional(ShortText(100)), ...DayPeriodQuery, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }, strict) } },
      async (request) => {
        const q = request.query;
        return audit.trail({ ...(q.objectId ? { objectId: q.objectId } : {}), ...(q.actor ? { actor: q.actor } : {}), ...dayPeriod(q), limit: q.limit ?? 100 });
      },
    );
  };
}
