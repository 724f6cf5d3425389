import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ROLES, type Principal } from '@fbl/auth';
import { allow, principalOf, requireInstitution } from '@fbl/auth/fastify';
import { DivisionCode, EPISODE_REVIEW_CONDITION, EPISODE_REVIEW_DECISIONS, Instant, Literals, notFound, ShortText, Uuid } from '@fbl/contracts';
import { userActor } from '@fbl/privacy';
import type { ServiceKit } from '@fbl/service-kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { VISIT_AUDIT, type HomeVisits } from '../../application/visits.js';
import { catalogueFor } from '../../domain/visit-catalogue.js';
import { dayBounds, localDay } from '../../domain/visits.js';
import type { BedQueries } from '../db/bed-queries.js';
import type { VisitStore } from '../db/visit-store.js';

const Day = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' });
const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
const ItemCode = Type.String({ minLength: 1, maxLength: 40 });
const IdParams = Type.Object({ id: Uuid });

export const PlanBody = Type.Object(
  {
    divisionCode: DivisionCode,
    workerId: ShortText(100),
    workerName: Type.Optional(ShortText(100)),
    team: Type.Optional(ShortText(100)),
    startsOn: Day,
    endsOn: Day,
    graceMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 240 })),
    slots: Type.Array(
      Type.Object(
        {
          purpose: Type.Optional(Literals(['service', 'doctor-round'] as const)),
          weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7 }),
          start: Time,
          windowMinutes: Type.Integer({ minimum: 15, maximum: 12 * 60 }),
          items: Type.Array(ItemCode, { maxItems: 20 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 30 },
    ),
  },
  { additionalProperties: false },
);

const AddVisitBody = Type.Object({ purpose: Literals(['service', 'doctor-round', 'review'] as const), windowStart: Instant, windowEnd: Instant, items: Type.Optional(Type.Array(ItemCode, { maxItems: 20 })) }, { additionalProperties: false });

const CheckOutBody = Type.Object(
  {
    items: Type.Array(Type.Object({ code: ItemCode, minutes: Type.Integer({ minimum: 0, maximum: 24 * 60 }) }, { additionalProperties: false }), { maxItems: 50 }),
    confirmation: Type.Union([
      Type.Object({ method: Type.Literal('signature'), png: Type.String({ pattern: '^data:image/png;base64,[A-Za-z0-9+/=]+$', maxLength: 400_000 }) }, { additionalProperties: false }),
      Type.Object({ method: Type.Literal('code'), code: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false }),
      Type.Object({ method: Type.Literal('none') }, { additionalProperties: false }),
    ]),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    /** Optional photos (JPEG or PNG data URLs, scaled down by the page), sealed at rest. */
    photos: Type.Optional(Type.Array(Type.String({ pattern: '^data:image/(jpeg|png);base64,[A-Za-z0-9+/=]+$', maxLength: 300_000 }), { maxItems: 2 })),
    review: Type.Optional(Type.Object({ condition: Literals(EPISODE_REVIEW_CONDITION), decision: Literals(EPISODE_REVIEW_DECISIONS) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

const VisitsQuery = Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day), mine: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

/**
 * The visit routes of a home bed service under `/api/<service>`: the catalogue; an admission's
 * service plan (set, changed as a new version, read with its versions); extra visits; the visits
 * of a day (a worker's own, or all of the provider's with missed and late counts); check-in and
 * check-out; a visit's record with its notes and signature (an audited read) and its one-time code.
 * Only staff of the institution see and change its plans and visits.
 */
export function visitRoutes(app: FastifyInstance, kit: ServiceKit, visits: HomeVisits, store: VisitStore, queries: BedQueries, base: string, tags: string[]): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const staff = allow('provider');
  const by = (p: Principal) => ({ userId: p.userId, ...(p.name ? { name: p.name } : {}) });
  const ownerOf = async (request: FastifyRequest, kind: 'plan' | 'visit', id: string) => {
    const institutionId = await store.institutionOf(kind, id);
    if (!institutionId) throw notFound(`no ${kind} ${id}`);
    requireInstitution(principalOf(request), institutionId, 'institution');
    return institutionId;
  };
  const view = (v: NonNullable<Awaited<ReturnType<VisitStore['visit']>>>) => ({
    id: v.id, planId: v.planId, stayId: v.stayId, elderRef: v.elderRef, divisionCode: v.divisionCode, purpose: v.purpose, windowStart: v.windowStart.toISOString(), windowEnd: v.windowEnd.toISOString(),
    workerId: v.workerId, workerName: v.workerName, items: v.items, status: v.status, late: v.late, checkedInAt: v.checkedInAt?.toISOString() ?? null, checkedOutAt: v.checkedOutAt?.toISOString() ?? null,
    minutes: v.minutes, itemsDone: v.itemsDone, confirmation: v.confirmation, missedAt: v.missedAt?.toISOString() ?? null,
  });

  api.get(`${base}/visit-catalogue`, { preValidation: allow(...ROLES), schema: { tags, summary: 'The service items of this home bed type with their typical minutes' } }, async () => catalogueFor(visits.bedType));

  api.put(`${base}/admissions/:id/plan`, { preValidation: staff, schema: { tags, summary: "Set an admission's service plan; a change is a new version and replaces the visits still to come", params: IdParams, body: PlanBody } }, async (request) => {
    await queries.institutionOf('stay', request.params.id).then((institutionId) => requireInstitution(principalOf(request), institutionId, 'institution'));
    const b = request.body;
    const content = { ...b, graceMinutes: b.graceMinutes ?? 15, slots: b.slots.map((s) => ({ ...s, purpose: s.purpose ?? ('service' as const) })) };
    return visits.setPlan(request.params.id, content, by(principalOf(request)), kit.originOf(request));
  });

  api.get(`${base}/admissions/:id/plan`, { preValidation: staff, schema: { tags, summary: "An admission's service plan and every version of it (null before the first is set); every read audited", params: IdParams } }, async (request) => {
    await queries.institutionOf('stay', request.params.id).then((institutionId) => requireInstitution(principalOf(request), institutionId, 'institution'));
    const found = await store.planOfStay(request.params.id);
    // An admission without a plan yet answers null: the plan form starts empty.
    if (!found) return null;
    await visits.audit.alone({ actor: userActor(principalOf(request)), action: VISIT_AUDIT.planRead, objectType: 'visit-plan', objectId: found.plan.id, outcome: 'allowed', detail: { stayId: request.params.id, versions: found.versions.length } });
    return { id: found.plan.id, version: found.plan.version, content: found.plan.content, versions: found.versions.map((v) => ({ version: v.version, content: v.content, changedBy: v.changedByName ?? v.changedBy, changedAt: v.changedAt.toISOString() })) };
  });

  api.post(`${base}/plans/:id/visits`, { preValidation: staff, schema: { tags, summary: 'An extra visit of a plan in a given window (a 查床, a review, a service visit)', params: IdParams, body: AddVisitBody } }, async (request, reply) => {
    await ownerOf(request, 'plan', request.params.id);
    const b = request.body;
    return reply.status(201).send(await visits.addVisit(request.params.id, { purpose: b.purpose, windowStart: new Date(b.windowStart), windowEnd: new Date(b.windowEnd), items: b.items ?? [] }, kit.originOf(request)));
  });

  api.get(`${base}/institutions/:id/visits`, { preValidation: staff, schema: { tags, summary: 'Visits whose windows start on the days from…to (local dates, today by default); `mine` for the signed-in worker’s own; with counts by status and late', params: IdParams, querystring: VisitsQuery } }, async (request) => {
    const who = principalOf(request);
    requireInstitution(who, request.params.id, 'institution');
    const today = localDay(kit.deps.clock());
    const from = dayBounds(request.query.from ?? today).start;
    const to = dayBounds(request.query.to ?? request.query.from ?? today).end;
    const rows = await store.visitsBetween(request.params.id, from, to, request.query.mine ? who.userId : undefined);
    const counts = { scheduled: 0, 'in-progress': 0, completed: 0, missed: 0, cancelled: 0, late: 0 };
    for (const c of await store.counts(request.params.id, from, to)) {
      counts[c.status as keyof typeof counts] += c.count;
      if (c.late) counts.late += c.count;
    }
    return { visits: rows.map(view), counts };
  });

  api.get(`${base}/visits/:id`, { preValidation: staff, schema: { tags, summary: "A visit's record with its notes, photos and the family's signature (each read audited)", params: IdParams } }, async (request) => {
    const institutionId = await ownerOf(request, 'visit', request.params.id);
    const v = (await store.visit(request.params.id))!;
    await visits.audit.alone({ actor: userActor(principalOf(request)), action: VISIT_AUDIT.read, objectType: 'visit', objectId: v.id, outcome: 'allowed', detail: { institutionId } });
    const photos = (await store.photos(v.id)).map((sealed) => visits.open(sealed)!);
    return { ...view(v), notes: visits.open(v.notesSealed), signature: visits.open(v.signatureSealed), photos };
  });

  api.get(`${base}/visits/:id/code`, { preValidation: staff, schema: { tags, summary: "A visit's one-time confirmation code, for the family (sent by SMS in practice); audited", params: IdParams } }, async (request) => {
    await ownerOf(request, 'visit', request.params.id);
    const v = (await store.visit(request.params.id))!;
    await visits.audit.alone({ actor: userActor(principalOf(request)), action: 'visit.code-read', objectType: 'visit', objectId: v.id, outcome: 'allowed' });
    return { code: visits.openCode(v.codeSealed) };
  });

  api.post(`${base}/visits/:id/check-in`, { preValidation: staff, schema: { tags, summary: 'The worker is at the elder’s home', params: IdParams } }, async (request) => {
    await ownerOf(request, 'visit', request.params.id);
    return visits.checkIn(request.params.id, by(principalOf(request)), kit.originOf(request));
  });

  api.post(`${base}/visits/:id/check-out`, { preValidation: staff, schema: { tags, summary: 'The worker leaves: items done with minutes, notes, optional photos, and the family’s confirmation (a signature drawn on the screen or the one-time code)', params: IdParams, body: CheckOutBody } }, async (request) => {
    await ownerOf(request, 'visit', request.params.id);
    const b = request.body;
    return visits.checkOut(request.params.id, { items: b.items, confirmation: b.confirmation, ...(b.notes ? { notes: b.notes } : {}), ...(b.photos?.length ? { photos: b.photos } : {}), ...(b.review ? { review: b.review } : {}) }, by(principalOf(request)), kit.originOf(request));
  });
}
