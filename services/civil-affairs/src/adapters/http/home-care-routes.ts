import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { allow, principalOf } from '@fbl/auth/fastify';
import { Literals, ShortText, Uuid, VISIT_CHANNELS, VISIT_CONFIRMATIONS } from '@fbl/contracts';
import { serviceActor } from '@fbl/privacy';
import type { ServiceKit } from '@fbl/service-kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Elders } from '../../application/elders.js';
import type { HomeCareHours } from '../../application/home-care-hours.js';
import type { RegisterFacts } from '../../application/register-facts.js';
import type { Tanfang } from '../../application/tanfang.js';
import { REGISTER_FACTS } from '../../domain/home-care-hours.js';
import { statementWorkbook, XLSX_TYPE } from './statement-workbook.js';

const tags = ['civil-affairs 民政'];
const Day = Type.String({ format: 'date' });
const Month = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });
const ById = Type.Object({ id: Uuid });
const FactBody = Type.Object({ fact: Literals(REGISTER_FACTS), evidence: ShortText(500), validFrom: Day, validUntil: Type.Optional(Day) }, { additionalProperties: false });
const VisitBody = Type.Object(
  {
    channel: Literals(VISIT_CHANNELS),
    checkedInAt: Type.String({ format: 'date-time' }),
    checkedOutAt: Type.String({ format: 'date-time' }),
    items: Type.Optional(Type.Array(Type.Object({ code: ShortText(40), minutes: Type.Integer({ minimum: 0, maximum: 24 * 60 }) }, { additionalProperties: false }), { maxItems: 50 })),
    confirmation: Type.Optional(Literals(VISIT_CONFIRMATIONS)),
  },
  { additionalProperties: false },
);

/** The routes of the special-hardship register, its 探访 and the government-bought home-care hours. */
export function homeCareRoutes(fastify: FastifyInstance, kit: ServiceKit, use: { elders: Elders; facts: RegisterFacts; tanfang: Tanfang; hours: HomeCareHours }): void {
  const { elders, facts, tanfang, hours } = use;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const officers = allow('assessor', 'admin');
  // A POST without a body means the defaults.
  const officersOrEmpty = async (request: FastifyRequest) => {
    await officers(request);
    request.body ??= {};
  };

  app.post('/api/civil-affairs/elders/:id/facts', { preValidation: officers, schema: { tags, summary: 'Record a register fact with evidence and validity: a special-hardship category (独居, 空巢 …) or 分散居住, 劳动模范, 建国前老党员', params: ById, body: FactBody, response: { 201: Type.Object({ id: Uuid }) } } }, async (request, reply) => {
    const who = principalOf(request);
    const b = request.body;
    const created = await facts.record(request.params.id, { fact: b.fact, evidence: b.evidence, validFrom: b.validFrom, ...(b.validUntil ? { validUntil: b.validUntil } : {}) }, who);
    // An elder listed during a month is due a 探访 in it.
    await tanfang.schedule(tanfang.thisMonth(), '', kit.originOf(request), serviceActor('civil-affairs'), request.params.id);
    return reply.status(201).send(created);
  });

  app.get('/api/civil-affairs/elders/:id/facts', { preValidation: allow('planner', 'provider', 'assessor', 'insurer', 'analyst', 'admin'), schema: { tags, summary: "An elder's register facts (evidence for roles that see the record whole)", params: ById } }, async (request) =>
    facts.of(request.params.id, principalOf(request)),
  );

  app.get(
    '/api/civil-affairs/tanfang',
    { preValidation: officers, schema: { tags, summary: "A month's 探访 of the caller's division (this month when left out), not yet visited first; `due=true` keeps those not yet visited", querystring: Type.Object({ month: Type.Optional(Month), due: Type.Optional(Type.Boolean()) }, { additionalProperties: false }) } },
    async (request) => tanfang.list(principalOf(request), request.query.month ?? tanfang.thisMonth(), request.query.due ?? false),
  );

  app.post(
    '/api/civil-affairs/tanfang/schedule',
    { preValidation: officersOrEmpty, schema: { tags, summary: "Schedule a month's 探访 (this month when left out; the body may be left out) for the caller's division; idempotent", body: Type.Object({ month: Type.Optional(Month) }, { additionalProperties: false }) } },
    async (request) => ({ scheduled: await tanfang.scheduleFor(principalOf(request), request.body.month ?? tanfang.thisMonth(), kit.originOf(request)) }),
  );

  app.post(
    '/api/civil-affairs/tanfang/:id/assign',
    { preValidation: officersOrEmpty, schema: { tags, summary: 'Assign a 探访 to a civil-affairs account (the caller when no `userId` is given; the body may be left out)', params: ById, body: Type.Object({ userId: Type.Optional(ShortText(100)), name: Type.Optional(ShortText(50)) }, { additionalProperties: false }) } },
    async (request, reply) => {
      const b = request.body;
      await tanfang.assign(request.params.id, b.userId ? { userId: b.userId, ...(b.name ? { name: b.name } : {}) } : undefined, principalOf(request));
      return reply.status(204).send();
    },
  );

  app.post('/api/civil-affairs/tanfang/:id/visit', { preValidation: officers, schema: { tags, summary: 'Record a 探访 as made (at home, by phone or online)', params: ById, body: VisitBody, response: { 201: Type.Object({ visitId: Uuid }) } } }, async (request, reply) => {
    const b = request.body;
    const made = await tanfang.record(request.params.id, { channel: b.channel, checkedInAt: b.checkedInAt, checkedOutAt: b.checkedOutAt, items: b.items ?? [], confirmation: b.confirmation ?? 'none' }, principalOf(request), kit.originOf(request));
    return reply.status(201).send(made);
  });

  app.get('/api/civil-affairs/home-care/months/:month', { preValidation: officers, schema: { tags, summary: 'Providers with home-care service visits in a month and the statements issued for it', params: Type.Object({ month: Month }) } }, async (request) =>
    hours.month(request.params.month),
  );

  app.get(
    '/api/civil-affairs/home-care/preview',
    { preValidation: officers, schema: { tags, summary: "What a provider's statement for a month would hold now, before it is issued", querystring: Type.Object({ institutionId: Uuid, month: Month }, { additionalProperties: false }) } },
    async (request) => {
      const r = await hours.preview(request.query.institutionId, request.query.month);
      return r.ok ? { statement: r.statement } : { conflict: r.versions };
    },
  );

  app.post(
    '/api/civil-affairs/home-care/statements',
    { preValidation: officers, schema: { tags, summary: "Issue a provider's statement for a month that has ended; issuing again makes a correction holding the differences", body: Type.Object({ institutionId: Uuid, month: Month }, { additionalProperties: false }) } },
    async (request, reply) => {
      const issued = await hours.issue(request.body.institutionId, request.body.month, principalOf(request), kit.originOf(request));
      return reply.status(201).header('location', `/api/civil-affairs/home-care/statements/${issued.id}`).send(issued);
    },
  );

  const named = async (id: string, request: Parameters<typeof principalOf>[0]) => {
    const s = await hours.one(id);
    const refs = [...new Set(s.lines.map((l) => l.elderRef))];
    const names = refs.length === 0 ? [] : await elders.names(refs, principalOf(request));
    return { s, names: new Map(names.map((n) => [n.elderRef, n.name])) };
  };

  app.get('/api/civil-affairs/home-care/statements/:id', { preValidation: officers, schema: { tags, summary: 'An issued statement, each elder named as the caller may see them (audited reads)', params: ById } }, async (request) => {
    const { s, names } = await named(request.params.id, request);
    return { ...s, lines: s.lines.map((l) => ({ ...l, name: names.get(l.elderRef) ?? null })) };
  });

  app.get(
    '/api/civil-affairs/home-care/statements/:id/xlsx',
    { preValidation: officers, schema: { tags, summary: 'An issued statement as an Excel workbook (结算单 and 服务项目明细)', params: ById, querystring: Type.Object({ provider: Type.Optional(ShortText(100)) }, { additionalProperties: false }) } },
    async (request, reply) => {
      const { s, names } = await named(request.params.id, request);
      const body = await statementWorkbook(s, { elders: names, ...(request.query.provider ? { provider: request.query.provider } : {}) });
      const file = `home-care-statement-${s.month}${s.correctionOf ? '-correction' : ''}.xlsx`;
      return reply.header('content-type', XLSX_TYPE).header('content-disposition', `attachment; filename="${file}"`).send(body);
    },
  );
}
