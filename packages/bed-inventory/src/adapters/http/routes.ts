import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ROLES, type TokenKey } from '@fbl/auth';
import { allow, authenticate, principalOf, requireInstitution } from '@fbl/auth/fastify';
import { Instant, Uuid } from '@fbl/contracts';
import { userActor, type AuditLog } from '@fbl/privacy';
import type { ServiceKit } from '@fbl/service-kit';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { BedInventory, DischargeReasonCode } from '../../application/inventory.js';
import type { BedQueries } from '../db/bed-queries.js';
import type { StayStatus } from '../../domain/lifecycle.js';
import * as S from './schemas.js';
import { STAY_AUDIT, STAY_OBJECT } from '../../application/stay-audit.js';
import type { HomeVisits } from '../../application/visits.js';
import { visitRoutes } from './visit-routes.js';

/**
 * The HTTP API of one bed service under `/api/<service>`: provider operations (capacity,
 * admissions, discharges, urgent transfers) and reads for staff and matching. Every route needs a
 * signed-in user: admins register providers; a provider's staff (and admins) manage its capacity;
 * only its staff record admissions, discharges, transfers and reviews and see its holds and
 * residents; institutions and their capacity are open to every signed-in role. Another
 * institution's records answer 403 with no data. Every read of residents' records is written to
 * the audit log (one row per stay shown), every change in its own transaction by the use case, and
 * a refused access of another institution's records too.
 */
export function bedRoutes(kit: ServiceKit, inventory: BedInventory, queries: BedQueries, audit: AuditLog, authSecret: TokenKey, visits?: HomeVisits): FastifyPluginAsync {
  const { policy } = inventory;
  const base = `/api/${policy.service}`;
  const tags = [`${policy.service} ${policy.title.zh}`];
  return async (fastify) => {
    authenticate(fastify, { secret: authSecret, clock: kit.deps.clock, oidc: kit.deps.oidc });
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    /** Staff of the institution `institutionId` (admins too when `admin`). */
    const staffOf = (request: FastifyRequest, institutionId: string, admin = false) => requireInstitution(principalOf(request), institutionId, 'institution', { admin });
    /** Staff of the institution a hold, stay or unit belongs to. */
    const staffOfOwner = async (request: FastifyRequest, kind: 'hold' | 'stay' | 'unit', id: string, admin = false) => staffOf(request, await queries.institutionOf(kind, id), admin);
    /** Staff of a resident's institution (admins too when `admin`); a refusal is audited before it is answered. */
    const staffOfAudited = async (request: FastifyRequest, institutionId: string, access: { action: string; objectType: string; objectId: string }, admin = false) => {
      const who = principalOf(request);
      if (!(admin && who.role === 'admin') && who.institutionId !== institutionId) await audit.alone({ actor: userActor(who), ...access, outcome: 'denied', detail: { institutionId } });
      requireInstitution(who, institutionId, 'institution', { admin });
    };
    /** Staff of the institution a stay belongs to; a refusal is audited. */
    const staffOfStay = async (request: FastifyRequest, stayId: string, action: string, admin = false) =>
      staffOfAudited(request, await queries.institutionOf('stay', stayId), { action, objectType: STAY_OBJECT, objectId: stayId }, admin);
    const actor = (request: FastifyRequest) => userActor(principalOf(request));
    const staff = allow('provider');
    const staffOrAdmin = allow('provider', 'admin');

    app.post(`${base}/institutions`, { preValidation: allow('admin'), schema: { tags, summary: `Register a provider of ${policy.title.en} with its capacity`, body: S.RegisterInstitutionBody, response: { 201: Type.Object({ id: Uuid }) } } }, async (request, reply) => {
      const b = request.body;
      const created = await inventory.registerInstitution(
        {
          name: b.name,
          creditCode: b.creditCode,
          ...(b.creditCodeOverrideReason ? { creditCodeOverrideReason: b.creditCodeOverrideReason } : {}),
          divisionCode: b.divisionCode,
          kind: b.kind,
          ownership: b.ownership,
          capabilities: b.capabilities ?? [],
          serviceArea: b.serviceArea ?? [],
          greenChannelPartners: b.greenChannelPartners ?? [],
          units: (b.units ?? []).map((u) => ({ kind: u.kind, count: u.count, attributes: u.attributes ?? {} })),
        },
        kit.originOf(request),
      );
      return reply.status(201).header('location', `${base}/institutions/${created.id}`).send(created);
    });

    app.get(`${base}/institutions`, { preValidation: allow(...ROLES), schema: { tags, summary: 'Providers and their capacity', response: { 200: Type.Array(S.InstitutionView) } } }, async () => queries.institutions());

    app.get(`${base}/institutions/:id`, { preValidation: allow(...ROLES), schema: { tags, summary: 'A provider and its capacity', params: S.IdParams, response: { 200: S.InstitutionView } } }, async (request) => queries.institution(request.params.id));

    app.get(`${base}/institutions/:id/units`, { preValidation: staffOrAdmin, schema: { tags, summary: 'Every unit and its status', params: S.IdParams, response: { 200: Type.Array(S.UnitView) } } }, async (request) => {
      staffOf(request, request.params.id, true);
      return queries.units(request.params.id);
    });

    app.post(`${base}/institutions/:id/units`, { preValidation: staffOrAdmin, schema: { tags, summary: 'Add capacity', params: S.IdParams, body: S.UnitBatchBody, response: { 201: Type.Object({ added: Type.Integer() }) } } }, async (request, reply) => {
      staffOf(request, request.params.id, true);
      const b = request.body;
      return reply.status(201).send(await inventory.addUnits(request.params.id, { kind: b.kind, count: b.count, attributes: b.attributes ?? {} }, kit.originOf(request)));
    });

    app.patch(
      `${base}/units/:id`,
      { preValidation: staffOrAdmin, schema: { tags, summary: 'Take a free unit out of service, or put it back', params: S.IdParams, body: Type.Object({ inService: Type.Boolean() }, { additionalProperties: false }), response: { 200: Type.Object({ id: Uuid, status: Type.String() }) } } },
      async (request) => {
        await staffOfOwner(request, 'unit', request.params.id, true);
        return inventory.setUnitInService(request.params.id, request.body.inService, kit.originOf(request));
      },
    );

    app.get(`${base}/holds/:id`, { preValidation: staffOrAdmin, schema: { tags, summary: 'A hold', params: S.IdParams, response: { 200: S.HoldView } } }, async (request) => {
      await staffOfOwner(request, 'hold', request.params.id, true);
      return queries.hold(request.params.id);
    });

    app.get(`${base}/institutions/:id/holds`, { preValidation: staffOrAdmin, schema: { tags, summary: 'Beds held for elders on their way, soonest expiry first', params: S.IdParams, response: { 200: Type.Array(S.HeldView) } } }, async (request) => {
      staffOf(request, request.params.id, true);
      return queries.activeHolds(request.params.id);
    });

    app.post(
      `${base}/holds/:id/admission`,
      {
        schema: { tags, summary: 'Record the arrival on a hold', params: S.IdParams, body: S.AdmissionBody, response: { 200: Type.Object({ admissionId: Uuid, admittedAt: Instant }) } },
        // The body is optional: an empty POST is an admission without a service plan.
        preValidation: async (request) => {
          await staff(request);
          request.body ??= {};
        },
      },
      async (request) => {
        await staffOfAudited(request, await queries.institutionOf('hold', request.params.id), { action: STAY_AUDIT.admit, objectType: 'hold', objectId: request.params.id });
        return inventory.admit(request.params.id, request.body.servicePlan ? { servicePlan: request.body.servicePlan } : {}, actor(request), kit.originOf(request));
      },
    );

    app.get(
      `${base}/institutions/:id/admissions`,
      { preValidation: staffOrAdmin, schema: { tags, summary: 'Current residents or cases', params: S.IdParams, querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('in-care'), Type.Literal('away'), Type.Literal('discharged')])) }), response: { 200: Type.Array(S.StayView) } } },
      async (request) => {
        await staffOfAudited(request, request.params.id, { action: STAY_AUDIT.list, objectType: 'institution', objectId: request.params.id }, true);
        const stays = await queries.stays(request.params.id, request.query.status as StayStatus | undefined);
        // Which stays were shown and which of their health text: the service plan, the discharge reason, the last review.
        const parts = (s: (typeof stays)[number]) => [...(s.servicePlan ? ['servicePlan'] : []), ...(s.dischargeReason ? ['dischargeReason'] : []), ...(s.lastReview ? ['lastReview'] : [])];
        await audit.alone(...stays.map((s) => ({ actor: actor(request), action: STAY_AUDIT.list, objectType: STAY_OBJECT, objectId: s.id, outcome: 'allowed' as const, detail: { elderRef: s.elderRef, institutionId: request.params.id, parts: parts(s) } })));
        return stays;
      },
    );

    app.get(`${base}/admissions/:id`, { preValidation: staffOrAdmin, schema: { tags, summary: 'One admission with its urgent transfers (their reasons) and stage reviews; every read audited', params: S.IdParams, response: { 200: S.AdmissionView } } }, async (request) => {
      await staffOfStay(request, request.params.id, STAY_AUDIT.read, true);
      const admission = await queries.admission(request.params.id);
      const parts = [...(admission.servicePlan ? ['servicePlan'] : []), ...(admission.dischargeReason ? ['dischargeReason'] : []), ...(admission.transfers.length ? ['transferReasons'] : []), ...(admission.reviews.length ? ['reviews'] : [])];
      await audit.alone({ actor: actor(request), action: STAY_AUDIT.read, objectType: STAY_OBJECT, objectId: admission.id, outcome: 'allowed', detail: { elderRef: admission.elderRef, institutionId: admission.institutionId, parts } });
      return admission;
    });

    app.post(`${base}/admissions/:id/discharge`, { preValidation: staff, schema: { tags, summary: 'Record a discharge', params: S.IdParams, body: S.DischargeBody, response: { 200: Type.Object({ admissionId: Uuid, dischargedAt: Instant }) } } }, async (request) => {
      await staffOfStay(request, request.params.id, STAY_AUDIT.discharge);
      return inventory.discharge(request.params.id, { reason: request.body.reason as DischargeReasonCode, ...(request.body.destination ? { destination: request.body.destination } : {}) }, actor(request), kit.originOf(request));
    });

    app.post(
      `${base}/admissions/:id/emergency-transfer`,
      { preValidation: staff, schema: { tags, summary: 'Start an urgent transfer to hospital (green channel)', params: S.IdParams, body: S.TransferBody, response: { 200: Type.Object({ transferId: Uuid, bedKept: Type.Boolean(), keptUntil: Type.Union([Instant, Type.Null()]) }) } } },
      async (request) => {
        await staffOfStay(request, request.params.id, STAY_AUDIT.transfer);
        return inventory.emergencyTransfer(request.params.id, { reason: request.body.reason, ...(request.body.hospitalInstitutionId ? { hospitalInstitutionId: request.body.hospitalInstitutionId } : {}) }, actor(request), kit.originOf(request));
      },
    );

    app.post(`${base}/admissions/:id/return`, { preValidation: staff, schema: { tags, summary: 'The resident is back from hospital in the kept bed', params: S.IdParams, response: { 200: Type.Object({ admissionId: Uuid, returnedAt: Instant }) } } }, async (request) => {
      await staffOfStay(request, request.params.id, STAY_AUDIT.return);
      return inventory.returnToKeptBed(request.params.id, actor(request), kit.originOf(request));
    });

    app.post(`${base}/admissions/:id/episode-review`, { preValidation: staff, schema: { tags, summary: "Record an episode's stage review (阶段评估: the elder's condition and the decision); the episode goes on to its next review date", params: S.IdParams, body: S.EpisodeReviewBody, response: { 200: Type.Object({ episodeId: Uuid, reviewDueAt: Instant }) } } }, async (request) => {
      await staffOfStay(request, request.params.id, STAY_AUDIT.review);
      const who = principalOf(request);
      return inventory.renewEpisode(request.params.id, request.body, { userId: who.userId, name: who.name, role: who.role }, kit.originOf(request));
    });
    if (visits) visitRoutes(fastify, kit, visits, visits.store, queries, base, tags);
  };
}
