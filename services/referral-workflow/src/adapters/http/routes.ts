import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { divisionCovers, ROLES, type Principal, type TokenKey } from '@fbl/auth';
import { allow, authenticate, outOfScope, principalOf, requireInstitution } from '@fbl/auth/fastify';
import { BedTypeSchema, DeclineReason, DivisionCode, FollowUpRecord, Literals, PacketConsent, ReferralPacket, ShortText, UnitAttributes, Urgency, Uuid } from '@fbl/contracts';
import { chinaDivisions, DEFAULT_PROVINCE, divisionInUseProblem, provinceDivisionProblem } from '@fbl/codes';
import { invalidInput, type ProblemField, type ServiceKit } from '@fbl/service-kit';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { PassThrough } from 'node:stream';
import type { FeedItem, ReferralChanges } from '../../application/changes.js';
import type { Packets } from '../../application/packets.js';
import type { ReferralReads } from '../../application/referral-reads.js';
import type { Cause, Parties, Referrals } from '../../application/referrals.js';
import type { ReferralEvent } from '../../domain/referral-machine.js';
import type { Tx } from '@fbl/db';

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
    /** What the planner sends for providers to decide on; its eligibility facts count for matching. */
    packet: Type.Optional(ReferralPacket),
    /** The elder's (or guardian's, or agent's) consent to share the packet with providers. */
    consent: Type.Optional(PacketConsent),
    /** The elder is in a bed elsewhere and leaves it by this referral (转床): needed when they are. */
    confirmMove: Type.Optional(Type.Boolean()),
    /** Eligibility facts as separate fields (the packet's `eligibility` says the same and wins). */
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
const NoBody = Type.Optional(Type.Object({}, { additionalProperties: false }));

/** How long one event stream lasts before the client must reconnect (with a token then valid). */
const STREAM_LIFETIME_MS = 10 * 60_000;
/** Bytes an event stream may have waiting for a slow reader before it is ended. */
const STREAM_BUFFER_LIMIT = 256 * 1024;

/** The cause of a change made by a signed-in person: the actor is the account, never a stated name. */
export function person(kit: ServiceKit, request: FastifyRequest, who: Principal, correlationId?: string): Cause {
  return { actor: who.userId, actorName: who.name, actorRole: who.role, actorInstitutionId: who.institutionId, causationId: request.id, origin: kit.originOf(request, correlationId) };
}

/**
 * HTTP routes of the referral workflow under `/api/referrals`. Every route needs a signed-in
 * user, and each is scoped: the referring side (a planner of the hospital, or a provider's staff
 * for their own resident) starts and follows its referrals and records the family's choice; provider staff see their own inbox and the referrals offered
 * to their institution, answer those offers and send the follow-up of the elders placed with them;
 * the commission (analysts of the division, admins) reopens escalated referrals. Anyone else gets
 * 403 with no data of the referral.
 */
export function referralRoutes(kit: ServiceKit, services: { referrals: Referrals; reads: ReferralReads; packets: Packets; changes: ReferralChanges }, authSecret: TokenKey): FastifyPluginAsync {
  const { referrals, reads, packets, changes } = services;
  const province = kit.deps.province ?? DEFAULT_PROVINCE;
  return async (fastify) => {
    authenticate(fastify, { secret: authSecret, clock: kit.deps.clock, oidc: kit.deps.oidc });
    // Open event streams would hold the server open: end them as it starts closing.
    fastify.addHook('preClose', async () => changes.endAll());
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    /** The referring side: a planner of the referring hospital, or staff of a provider referring its own resident (an urgent transfer). */
    const isOrigin = (p: { originInstitutionId: string }, who: Principal) => (who.role === 'planner' || who.role === 'provider') && who.institutionId === p.originInstitutionId;

    app.post('/api/referrals', { preValidation: allow('planner', 'provider'), schema: { tags, summary: 'Start a referral for an elder leaving a bed (the referring institution)', body: NewReferralBody, response: { 202: Type.Object({ id: Uuid, state: Type.String() }) } } }, async (request, reply) => {
      const b = request.body;
      const who = principalOf(request);
      requireInstitution(who, b.origin.institutionId, 'referring institution');
      // Divisions decide who handles the referral (insurance officers, the commission's analysts): they must be in use, the
      // origin in the deployment's province and the institution's own; the elder's home may be anywhere.
      const wrong: ProblemField[] = [];
      const registered = await referrals.registeredDivisionOf(b.origin.institutionId);
      const origin = provinceDivisionProblem(b.origin.divisionCode, province, chinaDivisions);
      if (origin !== undefined) wrong.push({ field: 'origin.divisionCode', pointer: '/origin/divisionCode', in: 'body', reason: origin });
      else if (registered !== undefined && registered !== b.origin.divisionCode) wrong.push({ field: 'origin.divisionCode', pointer: '/origin/divisionCode', in: 'body', reason: `is not the division the institution is registered in (${registered})` });
      const factsHome = b.facts?.homeDivisionCode === undefined ? undefined : divisionInUseProblem(b.facts.homeDivisionCode, chinaDivisions);
      if (factsHome !== undefined) wrong.push({ field: 'facts.homeDivisionCode', pointer: '/facts/homeDivisionCode', in: 'body', reason: factsHome });
      const home = b.packet?.eligibility?.homeDivisionCode;
      const packetHome = home === undefined ? undefined : divisionInUseProblem(home, chinaDivisions);
      if (packetHome !== undefined) wrong.push({ field: 'packet.eligibility.homeDivisionCode', pointer: '/packet/eligibility/homeDivisionCode', in: 'body', reason: packetHome });
      if (wrong.length > 0) throw invalidInput(wrong);
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
          ...(b.packet ? { packet: b.packet } : {}),
          ...(b.consent ? { consent: b.consent } : {}),
          ...(b.confirmMove !== undefined ? { confirmMove: b.confirmMove } : {}),
        },
        person(kit, request, who),
        (tx, id, packet) => packets.writeAtStart(tx, id, packet, b.consent, who),
      );
      return reply.status(202).header('location', `/api/referrals/${created.id}`).send(created);
    });

    app.get(
      '/api/referrals',
      {
        preValidation: allow('planner', 'provider', 'admin'),
        schema: {
          tags,
          summary: "Referrals, newest first (planners and staff see their own institution's): `view` active (not closed or cancelled), finished or all; `reference` finds one by its number (`20261205-000123` or `123`); `limit` and `offset` page it, `X-Total-Count` says how many there are",
          querystring: Type.Object({
            state: Type.Optional(ShortText(40)),
            originInstitutionId: Type.Optional(Uuid),
            view: Type.Optional(Literals(['active', 'finished', 'all'])),
            reference: Type.Optional(ShortText(20)),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            offset: Type.Optional(Type.Integer({ minimum: 0 })),
          }),
        },
      },
      async (request, reply) => {
        const who = principalOf(request);
        const q = request.query;
        const own = who.role !== 'admin';
        if (own && q.originInstitutionId !== undefined) requireInstitution(who, q.originInstitutionId, 'institution');
        const origin = own ? who.institutionId : q.originInstitutionId;
        if (own && !origin) throw outOfScope('institution');
        const page = await reads.list({ ...(q.state ? { state: q.state } : {}), ...(origin ? { originInstitutionId: origin } : {}), view: q.view ?? 'all', ...(q.reference ? { reference: q.reference } : {}), limit: q.limit ?? 100, offset: q.offset ?? 0 });
        void reply.header('x-total-count', String(page.total));
        return page.items;
      },
    );

    app.get(
      '/api/referrals/events',
      {
        preValidation: allow('planner', 'provider', 'admin'),
        schema: { tags, summary: 'Live updates (server-sent events): `referral` events {id, state, version} for the referrals the caller takes part in' },
      },
      async (request, reply) => {
        const who = principalOf(request);
        const concerns = (parties: readonly string[]) => who.role === 'admin' || (who.institutionId !== undefined && parties.includes(who.institutionId));
        const stream = new PassThrough();
        let ended = false;
        const end = () => {
          if (ended) return;
          ended = true;
          clearInterval(heartbeat);
          clearTimeout(lifetime);
          unsubscribe();
          stream.end();
        };
        const write = (text: string) => {
          // A reader that does not keep up is let go (it reconnects and reloads).
          if (stream.writableLength > STREAM_BUFFER_LIMIT) end();
          else if (!ended) stream.write(text);
        };
        const heartbeat = setInterval(() => write(': keep-alive\n\n'), 20_000);
        // Streams end before the access token would: the client reconnects with a fresh one, so a revoked account stops hearing.
        const lifetime = setTimeout(end, STREAM_LIFETIME_MS);
        const unsubscribe = changes.subscribe(
          who.userId,
          (item: FeedItem) => {
            if (item.kind === 'resync') write('event: resync\ndata: {}\n\n');
            else if (concerns(item.parties)) write(`event: referral\ndata: ${JSON.stringify(item.change)}\n\n`);
          },
          end,
        );
        request.raw.on('close', end);
        // The client may have gone while the request was being authenticated.
        if (request.raw.destroyed || request.socket.destroyed) end();
        write('retry: 3000\nevent: ready\ndata: {}\n\n');
        return reply.header('content-type', 'text/event-stream; charset=utf-8').header('cache-control', 'no-cache').header('x-accel-buffering', 'no').send(stream);
      },
    );

    app.get('/api/referrals/capacity', { preValidation: allow(...ROLES), schema: { tags, summary: "Providers' free capacity as matching sees it", querystring: Type.Object({ bedType: Type.Optional(BedTypeSchema) }) } }, async (request) =>
      reads.capacity(request.query.bedType),
    );

    app.get(
      '/api/referrals/inbox/:institutionId',
      {
        preValidation: allow('provider', 'admin'),
        schema: {
          tags,
          summary: "A provider's offers, open first (its own staff): `view` pending (open, or accepted while the referral goes on), done (the rest) or all; `limit` and `offset` page it, `X-Total-Count` says how many there are",
          params: Type.Object({ institutionId: Uuid }),
          querystring: Type.Object({ status: Type.Optional(ShortText(20)), view: Type.Optional(Literals(['pending', 'done', 'all'])), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), offset: Type.Optional(Type.Integer({ minimum: 0 })) }),
        },
      },
      async (request, reply) => {
        const who = principalOf(request);
        requireInstitution(who, request.params.institutionId, 'inbox', { admin: true });
        const q = request.query;
        const page = await reads.inbox(request.params.institutionId, who, { ...(q.status ? { status: q.status } : {}), view: q.view ?? 'all', limit: q.limit ?? 200, offset: q.offset ?? 0 });
        void reply.header('x-total-count', String(page.total));
        return page.items;
      },
    );

    app.get(
      '/api/referrals/follow-ups/:institutionId',
      { preValidation: allow('provider', 'admin'), schema: { tags, summary: 'Referrals placed with a provider and waiting for its follow-up (its own staff)', params: Type.Object({ institutionId: Uuid }) } },
      async (request) => {
        requireInstitution(principalOf(request), request.params.institutionId, 'institution', { admin: true });
        return reads.awaitingFollowUp(request.params.institutionId);
      },
    );

    app.get(
      '/api/referrals/stays',
      {
        preValidation: allow('planner'),
        schema: { tags, summary: 'The beds an elder is in now (any bed service), for a discharge planner to see before starting a referral; every read audited', querystring: Type.Object({ elderRef: ShortText(100) }, { additionalProperties: false }) },
      },
      async (request) => reads.staysOf(request.query.elderRef, principalOf(request)),
    );

    app.get(
      '/api/referrals/:id',
      { preValidation: allow('planner', 'provider', 'admin'), schema: { tags, summary: 'A referral as its reader may see it: state, offers (a provider its own), ranking with reasons (the referring side), timeline naming who acted', params: ById } },
      // Nothing of the referral leaves unless the reader takes part in it.
      async (request) => reads.view(request.params.id, principalOf(request)),
    );

    /** The provider of the offer named in the path, and the offer's own referral. */
    const offerHolder = (offerId: string) => (p: Parties, who: Principal) => who.role === 'provider' && who.institutionId !== undefined && p.offers.get(offerId) === who.institutionId;
    /** A person's decision, its 403 judged in the decision's own transaction on the locked referral. */
    const decideAs = (request: FastifyRequest, id: string, may: (parties: Parties, who: Principal) => boolean, event: ReferralEvent, then?: (tx: Tx) => Promise<void>, who = principalOf(request)) =>
      referrals.decide(id, event, person(kit, request, who, id), then, (parties) => may(parties, who));

    app.post('/api/referrals/:id/offers/:offerId/accept', { preValidation: allow('provider'), schema: { tags, summary: 'The provider accepts the offer', params: ByOffer, body: NoBody, response: { 200: Decision } } }, async (request) => {
      return decideAs(request, request.params.id, offerHolder(request.params.offerId), { type: 'OfferAccepted', offerId: request.params.offerId });
    });

    app.post(
      '/api/referrals/:id/offers/:offerId/decline',
      {
        preValidation: allow('provider'),
        schema: { tags, summary: 'The provider declines the offer, with a reason code and, if it likes, its own words (shown to the referring side only)', params: ByOffer, body: Type.Object({ reasonCode: DeclineReason, note: Type.Optional(ShortText(500)) }, { additionalProperties: false }), response: { 200: Decision } },
      },
      async (request) => {
        const { reasonCode, note } = request.body;
        return decideAs(request, request.params.id, offerHolder(request.params.offerId), { type: 'OfferDeclined', offerId: request.params.offerId, reasonCode }, note ? (tx) => packets.noteDecline(tx, request.params.offerId, note) : undefined);
      },
    );

    app.post(
      '/api/referrals/:id/choice',
      { preValidation: allow('planner', 'provider'), schema: { tags, summary: "Record the elder's or family's choice among the providers who accepted", params: ById, body: Type.Object({ offerId: Uuid }, { additionalProperties: false }), response: { 200: Decision } } },
      async (request) => {
        return decideAs(request, request.params.id, isOrigin, { type: 'ChoiceRecorded', offerId: request.body.offerId, recordedBy: principalOf(request).userId });
      },
    );

    app.post(
      '/api/referrals/:id/follow-up',
      { preValidation: allow('provider'), schema: { tags, summary: "The receiver's follow-up (随访: how it was done, how the elder settled and is, the family's satisfaction, what comes next) closes the loop; sealed at rest", params: ById, body: FollowUpRecord, response: { 200: Decision } } },
      async (request) => {
        const who = principalOf(request);
        return decideAs(request, request.params.id, (p, w) => w.role === 'provider' && w.institutionId !== undefined && p.placedInstitutionId === w.institutionId, { type: 'FollowUpRecorded', recordedBy: who.userId }, (tx) => packets.recordFollowUp(tx, request.params.id, request.body, who), who);
      },
    );

    app.get(
      '/api/referrals/:id/follow-up',
      { preValidation: allow('planner', 'provider'), schema: { tags, summary: 'The follow-up, for the referring side and the receiver (null until recorded); every read audited', params: ById } },
      async (request) => packets.readFollowUp(request.params.id, principalOf(request)),
    );

    app.post(
      '/api/referrals/:id/cancel',
      {
        preValidation: allow('planner', 'provider', 'admin'),
        schema: { tags, summary: 'Cancel the referral, with the reason; a held bed is released', params: ById, body: Type.Object({ reason: Literals(['death', 'family-withdrew', 'condition-changed', 'duplicate', 'other']) }, { additionalProperties: false }), response: { 200: Decision } },
      },
      async (request) => {
        return decideAs(request, request.params.id, (p, w) => w.role === 'admin' || isOrigin(p, w), { type: 'Cancel', reason: request.body.reason, recordedBy: principalOf(request).userId });
      },
    );

    app.post('/api/referrals/:id/reopen', { preValidation: allow('analyst', 'admin'), schema: { tags, summary: 'The commission reopens an escalated referral for a new match', params: ById, body: NoBody, response: { 200: Decision } } }, async (request) => {
      return decideAs(request, request.params.id, (p, w) => w.role === 'admin' || divisionCovers(w.divisionCode, p.originDivisionCode), { type: 'Reopen', recordedBy: principalOf(request).userId });
    });
  };
}
