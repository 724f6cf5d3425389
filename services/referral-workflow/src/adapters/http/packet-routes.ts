import type { TokenKey } from '@fbl/auth';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { allow, authenticate, principalOf } from '@fbl/auth/fastify';
import { ATTACHMENT_KINDS, ATTACHMENT_MEDIA_TYPES, Literals, PacketConsent, ReferralPacket, ShortText, Uuid } from '@fbl/contracts';
import type { AuditLog } from '@fbl/privacy';
import { dayPeriod, DayPeriodQuery, type ServiceKit } from '@fbl/service-kit';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Attachments } from '../../application/attachments.js';
import type { Packets } from '../../application/packets.js';
import { MAX_ATTACHMENT_BYTES } from '../../domain/attachments.js';
import { person } from './routes.js';

const tags = ['referral packets 转诊资料'];
const ById = Type.Object({ id: Uuid });
const ByAttachment = Type.Object({ id: Uuid, attachmentId: Uuid });
const AttachmentInfo = Type.Object({ id: Uuid, kind: Type.String(), mediaType: Type.String(), size: Type.Integer(), name: Type.String(), uploadedAt: Type.String({ format: 'date-time' }) });
/** The types an upload may be sent as (`application/octet-stream`: let the content say). */
const UPLOAD_TYPES = [...ATTACHMENT_MEDIA_TYPES, 'application/octet-stream'];

declare module 'fastify' {
  interface FastifyRequest {
    /** The bytes of an uploaded attachment, kept aside while the route's schema checks the rest. */
    upload?: Buffer;
  }
}

/**
 * The referral packet under `/api/referrals/:id`: the packet itself (read as far as the reader's
 * standing allows, replaced by the referring side), the consent to share it, its attachments, and
 * the audit of who read what (admins). Every read and change is audited by the use cases.
 */
export function packetRoutes(kit: ServiceKit, packets: Packets, attachments: Attachments, log: AuditLog, authSecret: TokenKey): FastifyPluginAsync {
  return async (fastify) => {
    authenticate(fastify, { secret: authSecret, clock: kit.deps.clock, oidc: kit.deps.oidc });
    // Attachments arrive as their own bytes; only this plugin's routes read such bodies.
    fastify.addContentTypeParser(UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES }, (_request, body, done) => done(null, body));
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/api/referrals/:id/packet',
      {
        preValidation: allow('planner', 'provider'),
        schema: {
          tags,
          summary: "The referral packet as the reader may see it: the referring side all of it; the chosen provider all of it, and a provider with a live offer its clinical part (no family contact), while the elder's consent stands; anyone else 403",
          params: ById,
        },
      },
      async (request) => packets.read(request.params.id, principalOf(request)),
    );

    app.put(
      '/api/referrals/:id/packet',
      {
        preValidation: allow('planner', 'provider'),
        schema: {
          tags,
          summary: 'The referring side replaces the packet with a new version; changed eligibility facts of a referral no provider could take start matching again',
          params: ById,
          body: ReferralPacket,
          response: { 200: Type.Object({ version: Type.Integer(), state: Type.String(), rematched: Type.Boolean() }) },
        },
      },
      async (request) => {
        const who = principalOf(request);
        return packets.update(request.params.id, request.body, who, person(kit, request, who, request.params.id));
      },
    );

    const ConsentResponse = Type.Object({ granted: Type.Boolean() }, { additionalProperties: true });
    app.post(
      '/api/referrals/:id/consent',
      { preValidation: allow('planner', 'provider'), schema: { tags, summary: "Record the elder's (or guardian's, or agent's) consent to share the packet with providers: who gave it and how", params: ById, body: PacketConsent, response: { 200: ConsentResponse } } },
      async (request) => packets.giveConsent(request.params.id, request.body, principalOf(request)),
    );
    app.post(
      '/api/referrals/:id/consent/withdraw',
      { preValidation: allow('planner', 'provider'), schema: { tags, summary: 'Record that consent was withdrawn: providers see nothing of the packet from then on', params: ById, body: PacketConsent, response: { 200: ConsentResponse } } },
      async (request) => packets.withdrawConsent(request.params.id, request.body, principalOf(request)),
    );

    app.get(
      '/api/referrals/:id/attachments',
      { preValidation: allow('planner', 'provider'), schema: { tags, summary: "A referral's attachments, for whoever may see the packet's clinical part", params: ById, response: { 200: Type.Array(AttachmentInfo) } } },
      async (request) => attachments.list(request.params.id, principalOf(request)),
    );

    app.post(
      '/api/referrals/:id/attachments',
      {
        bodyLimit: MAX_ATTACHMENT_BYTES,
        // The bytes are put aside before validation, which then checks the query and a placeholder body.
        preValidation: [
          allow('planner', 'provider'),
          async (request: FastifyRequest) => {
            if (Buffer.isBuffer(request.body)) {
              request.upload = request.body;
              request.body = '';
            }
          },
        ],
        schema: {
          tags,
          summary: 'The referring side attaches a document (出院小结, test results, wound photos): the bytes as the body, PDF, JPEG or PNG checked from the content, at most 10 MB each and 30 MB a referral',
          params: ById,
          querystring: Type.Object({ kind: Literals(ATTACHMENT_KINDS), name: ShortText(200) }, { additionalProperties: false }),
          body: Type.Unsafe<string>({ type: 'string', format: 'binary', description: 'the file itself, sent as application/pdf, image/jpeg, image/png or application/octet-stream' }),
          response: { 201: AttachmentInfo },
        },
      },
      async (request, reply) => {
        const declared = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const added = await attachments.add(request.params.id, { kind: request.query.kind, name: request.query.name, declaredType: declared, bytes: request.upload ?? Buffer.alloc(0) }, principalOf(request));
        return reply.status(201).header('location', `/api/referrals/${request.params.id}/attachments/${added.id}`).send(added);
      },
    );

    app.get(
      '/api/referrals/:id/attachments/:attachmentId',
      { preValidation: allow('planner', 'provider'), schema: { tags, summary: "An attachment's bytes, for whoever may see the packet's clinical part (every read audited)", params: ByAttachment } },
      async (request, reply) => {
        const { info, bytes } = await attachments.read(request.params.id, request.params.attachmentId, principalOf(request));
        return reply
          .type(info.mediaType)
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(info.name)}`)
          .header('cache-control', 'no-store')
          .header('x-content-type-options', 'nosniff')
          .send(bytes);
      },
    );

    app.delete(
      '/api/referrals/:id/attachments/:attachmentId',
      { preValidation: allow('planner', 'provider'), schema: { tags, summary: 'The referring side removes an attachment sent by mistake (its bytes are deleted)', params: ByAttachment } },
      async (request, reply) => {
        await attachments.remove(request.params.id, request.params.attachmentId, principalOf(request));
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/referrals/audit',
      {
        preValidation: allow('admin'),
        schema: {
          tags,
          summary: 'Who read or changed which referral packet or attachment, newest first (admins): by record, by account, within days `from`–`to` (China time)',
          querystring: Type.Object({ objectId: Type.Optional(ShortText(100)), actor: Type.Optional(ShortText(200)), ...DayPeriodQuery, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
        },
      },
      async (request) => {
        const q = request.query;
        return log.trail({ ...(q.objectId ? { objectId: q.objectId } : {}), ...(q.actor ? { actor: q.actor } : {}), ...dayPeriod(q), limit: q.limit ?? 100 });
      },
    );
  };
}
