import type { Role } from '@fbl/auth';
import { residentIdCheckChar } from '@fbl/codes';
import { describeWithKafkaAndPostgres, waitFor } from '@fbl/testing';
import http from 'node:http';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminOf, analystFor, plannerAt, staffOf, tokenFor } from '../support/actors.js';
import { samplePacket, samplePdf, WRITTEN_CONSENT } from '../support/builders.js';
import { call } from '../support/http.js';
import { ABSENT, acceptedTypes, closedObjects, fieldName, fieldsOf, mainType, operationsOf, sampleOf, withField, type Operation, type Schema } from '../support/openapi-inputs.js';
import { startDistributedSystem, type DistributedSystem, type ServiceName } from '../support/system.js';
import { careHome, creditCode, dischargeRequest, hospital, register, waitForState, waitUntilMatchable } from './scenarios.js';

// Response bodies are read loosely here; each check asserts the fields it relies on.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

const SERVICES: ServiceName[] = ['care-beds', 'medical-beds', 'home-care-beds', 'home-sick-beds', 'hospice-beds', 'referral-workflow', 'civil-affairs', 'medical-insurance', 'monitoring'];
const CONCURRENCY = 8;
/** A string far longer than any field allows (every string of the API has a bound). */
const HUGE = 100_000;
/** Over Fastify's `maxParamLength` (100): the router refuses such a path part with 414. */
const LONG_PARAM = 'a'.repeat(120);
/** The order callers are tried in, for each operation: the first the route's role check lets through. */
const ROLE_ORDER: Role[] = ['admin', 'planner', 'provider', 'assessor', 'insurer', 'analyst'];

/** A number or text written into a JSON body as it is, not as JSON.stringify would write it. */
const rawMarker = (text: string) => `\u0001raw:${text}\u0001`;
const RAW_TEXTS = ['1e400', '-1e400', '12345678901234567890123', '"\\ud800"'];
function jsonText(value: unknown): string {
  let text = JSON.stringify(value);
  for (const raw of RAW_TEXTS) text = text.replaceAll(JSON.stringify(rawMarker(raw)), raw);
  return text;
}

/** One malformed request, and the answer it must get. */
interface Variant {
  op: Operation;
  /** What is wrong with it, in words. */
  what: string;
  /** The path with its query, percent-encoded as sent. */
  path: string;
  body?: string | Buffer;
  contentType?: string;
  /** The statuses it may be answered with. */
  statuses: number[];
  /** Where the problem must name the fault: the part and the names accepted for the field. */
  names?: { in: string; fields: string[] };
  /** Checked by the owning service's schema after its role check: tells who may call the route. */
  probe?: boolean;
  /** Breaks no input the operation declares (an undeclared query parameter): refused before its own schema is reached. */
  undeclared?: boolean;
}

/** An answer as received. */
interface Reply {
  status: number;
  contentType: string;
  text: string;
}

/** A value of the wrong type for each JSON type a field might take. */
const WRONG_TYPES: { type: 'string' | 'number' | 'boolean' | 'object'; value: unknown }[] = [
  { type: 'string', value: 'text' },
  { type: 'number', value: 42 },
  { type: 'boolean', value: true },
  { type: 'object', value: { nested: 1 } },
];

/** A value a path or query parameter's schema refuses, when it constrains the text at all. */
function invalidText(schema: Schema): string | undefined {
  const type = mainType(schema);
  if (type === 'integer' || type === 'number') return 'abc';
  if (type === 'boolean') return 'maybe';
  if (Array.isArray(schema['enum']) || schema['anyOf'] || 'const' in schema) return 'no-such-value';
  if (schema['format'] === 'uuid') return 'not-a-uuid';
  if (schema['format'] === 'date' || schema['format'] === 'date-time') return '2026-13-45';
  if (typeof schema['pattern'] === 'string') return '!!';
  if (Number(schema['minLength'] ?? 0) > 0) return '';
  return undefined;
}

const encode = (value: unknown) => encodeURIComponent(String(value));

/**
 * The malformed requests for one operation. Each starts from a valid request (existing records in
 * the path where there are any, sampled values elsewhere) and breaks one thing, so the refusal must
 * name that thing; none of them may change anything.
 */
function variantsOf(op: Operation, realIds: (template: string, param: string) => string | undefined): Variant[] {
  const variants: Variant[] = [];
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const baseParams = Object.fromEntries(pathParams.map((p) => [p.name, encode(realIds(op.template, p.name) ?? sampleOf(p.schema))]));
  const baseQuery = Object.fromEntries(queryParams.filter((p) => p.required).map((p) => [p.name, encode(sampleOf(p.schema))]));
  const pathOf = (params: Record<string, string>, query: Record<string, string>, extra = '') => {
    const path = op.template.replace(/\{(\w+)\}/g, (_, name: string) => params[name]!);
    const q = [...Object.entries(query).map(([k, v]) => `${k}=${v}`), ...(extra ? [extra] : [])].join('&');
    return q ? `${path}?${q}` : path;
  };
  const basePath = pathOf(baseParams, baseQuery);
  // A valid body, for the variants that break something else.
  const baseBody = op.binaryBody
    ? { body: Buffer.from('not a document of any kind'), contentType: 'application/octet-stream' }
    : op.body
      ? { body: jsonText(sampleOf(op.body)), contentType: 'application/json' }
      : {};
  const add = (v: Omit<Variant, 'op'>) => variants.push({ op, ...v });

  // An undeclared query parameter holding a NUL: every operation, the ones without any input too.
  add({ what: 'an undeclared query parameter with a NUL', path: pathOf(baseParams, baseQuery, 'malformed=%00'), ...baseBody, statuses: [400], names: { in: 'query', fields: ['malformed'] }, undeclared: true });

  for (const p of pathParams) {
    const at = (value: string) => pathOf({ ...baseParams, [p.name]: value }, baseQuery);
    const invalid = invalidText(p.schema);
    if (invalid !== undefined && invalid !== '') add({ what: `path ${p.name}: not valid (${invalid})`, path: at(encode(invalid)), ...baseBody, statuses: [400], names: { in: 'params', fields: [p.name] }, probe: true });
    add({ what: `path ${p.name}: ${LONG_PARAM.length} characters`, path: at(LONG_PARAM), ...baseBody, statuses: [414], names: { in: 'params', fields: ['path', p.name] } });
    add({ what: `path ${p.name}: a NUL`, path: at('%00'), ...baseBody, statuses: [400], names: { in: 'params', fields: [p.name, 'path'] } });
    add({ what: `path ${p.name}: a lone surrogate (as UTF-8 bytes)`, path: at('%ED%A0%80'), ...baseBody, statuses: [400], names: { in: 'params', fields: [p.name, 'path'] } });
  }

  for (const p of queryParams) {
    const at = (value: string | typeof ABSENT) => {
      const query = { ...baseQuery };
      if (value === ABSENT) delete query[p.name];
      else query[p.name] = value;
      return pathOf(baseParams, query);
    };
    const names = { in: 'query', fields: [p.name] };
    const invalid = invalidText(p.schema);
    if (invalid !== undefined) add({ what: `query ${p.name}: not valid (${JSON.stringify(invalid)})`, path: at(encode(invalid)), ...baseBody, statuses: [400], names, probe: true });
    if (p.required) add({ what: `query ${p.name}: missing`, path: at(ABSENT), ...baseBody, statuses: [400], names });
    const type = mainType(p.schema);
    if (type === 'integer' || type === 'number') {
      for (const n of ['1e400', '-1e400', '12345678901234567890123']) add({ what: `query ${p.name}: ${n}`, path: at(n), ...baseBody, statuses: [400], names });
    }
    const max = p.schema['maxLength'];
    if (typeof max === 'number' && max < 4000) add({ what: `query ${p.name}: ${max + 1} characters`, path: at('x'.repeat(max + 1)), ...baseBody, statuses: [400], names });
    add({ what: `query ${p.name}: a NUL`, path: at('a%00b'), ...baseBody, statuses: [400], names });
    // The bytes of a lone surrogate do not decode, so they stay as literal text: wrong only where the text is constrained.
    if (invalid !== undefined && invalid !== '') add({ what: `query ${p.name}: a lone surrogate (as UTF-8 bytes)`, path: at('%ED%A0%80'), ...baseBody, statuses: [400], names });
  }
  if (queryParams.length > 0) {
    // The request line alone is longer than any server reads: refused before any route is found.
    add({ what: `query ${queryParams[0]!.name}: ${HUGE} characters`, path: pathOf(baseParams, { ...baseQuery, [queryParams[0]!.name]: 'x'.repeat(HUGE) }), ...baseBody, statuses: [414, 431] });
  }

  if (op.method === 'GET') return variants;
  const whole = { in: 'body', fields: [''] };
  add({ what: 'body: malformed JSON', path: basePath, body: '{"a":', contentType: 'application/json', statuses: [400], names: whole });
  add({ what: 'body: a type no route reads', path: basePath, body: '<referral/>', contentType: 'application/xml', statuses: [415], names: { in: 'headers', fields: ['content-type'] } });
  if (!op.body) return variants;

  // The body as a whole of the wrong kind.
  const types = acceptedTypes(op.body);
  for (const [kind, text] of [['array', '[]'], ['number', '42'], ['string', '"text"'], ['object', '{}']] as const) {
    if (types && !types.has(kind)) add({ what: `body: a JSON ${kind}`, path: basePath, body: text, contentType: 'application/json', statuses: [400], names: whole, probe: kind === 'array' });
  }
  if (op.binaryBody) return variants;

  const schema = op.body;
  const base = sampleOf(schema);
  const withValue = (path: (string | number)[], chain: Schema[], value: unknown) => jsonText(withField(base, schema, path, chain, value));
  for (const field of fieldsOf(schema)) {
    const name = fieldName(field.path);
    const names = { in: 'body', fields: [name] };
    const at = (what: string, value: unknown) => add({ what: `body ${name}: ${what}`, path: basePath, body: withValue(field.path, field.chain, value), contentType: 'application/json', statuses: [400], names });
    const accepted = acceptedTypes(field.schema);
    if (accepted) for (const wrong of WRONG_TYPES) if (!accepted.has(wrong.type)) at(`a ${wrong.type} instead`, wrong.value);
    if (field.required) at('missing', ABSENT);
    if (!accepted || accepted.has('string')) {
      at('a NUL', 'a\u0000b');
      at('a lone surrogate', rawMarker('"\\ud800"'));
      at(`${HUGE} characters`, 'x'.repeat(HUGE));
    }
    if (!accepted || accepted.has('number')) {
      for (const n of ['1e400', '-1e400', '12345678901234567890123']) at(n, rawMarker(n));
    }
  }
  for (const closed of closedObjects(schema)) {
    const path = [...closed.path, 'unexpectedField'];
    add({ what: `body ${fieldName(path)}: a field the schema does not allow`, path: basePath, body: withValue(path, [...closed.chain, {}], 'x'), contentType: 'application/json', statuses: [400], names: { in: 'body', fields: [fieldName(path)] } });
  }
  return variants;
}

/** Whether a schema takes a string of any length: anything at all, or a string with no length, choice or form to keep it short. */
function unboundedString(s: Schema): boolean {
  const branches = (s['anyOf'] ?? s['oneOf']) as Schema[] | undefined;
  if (branches) return branches.some(unboundedString);
  const types = acceptedTypes(s);
  if (!types) return true;
  return types.has('string') && s['maxLength'] === undefined && s['enum'] === undefined && s['pattern'] === undefined && s['format'] === undefined && !('const' in s);
}

/** Fields of a request body that take a string without a bound: a 100,000-character value there is not malformed. */
function unboundedStrings(op: Operation): string[] {
  if (!op.body || op.binaryBody) return [];
  return fieldsOf(op.body)
    .filter((f) => unboundedString(f.schema))
    .map((f) => `${op.method} ${op.template} ${fieldName(f.path)}`);
}

/**
 * Every operation of the public OpenAPI document (as the gateway serves it, every service running
 * as its own process) gets malformed input: an undeclared query parameter with a NUL; each path
 * parameter not valid, over 100 characters, with a NUL, with the bytes of a lone surrogate; each
 * query parameter not valid, missing, 1e400, −1e400, 23 digits, over its length, with a NUL, and a
 * 100,000-character query; a body that is not JSON, of a type no route reads, an array, number or
 * string instead of an object; and each field of the body of a wrong type, missing, with a NUL, a
 * lone surrogate (the raw escape), 100,000 characters or a number out of range, and an unknown
 * field in each object that allows none. Existing records are named in the path where the seed
 * made one, so a malformed body reaches a real record.
 *
 * Each is sent by a caller the route's role check lets through, and must be answered with the
 * 4xx the fault calls for, as an RFC 9457 problem (`type`, `title`, `status` the HTTP status)
 * that names the field in its `errors`; never a 5xx. Nothing may change: every row of every
 * table of every database (each service's and the gateway's) is compared before and after.
 */
describeWithKafkaAndPostgres('malformed input to every operation of the public API', () => {
  let system: DistributedSystem;
  let operations: Operation[];
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });
  const tokens = {} as Record<Role, string>;
  /** Existing records, by the path up to the parameter that names them. */
  const records = new Map<string, string>();
  let signInAddress = 0;

  /** Send one request as it is (node:http, so paths and bodies go out byte for byte). */
  function send(method: string, path: string, options: { body?: string | Buffer | undefined; contentType?: string | undefined; token?: string | undefined }): Promise<Reply> {
    const url = new URL(system.url);
    const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body, 'utf8');
    // Sign-in is limited per address (10 a minute): each attempt comes from an address of its own on
    // the loopback network (Linux answers on all of 127.0.0.0/8), so the limit does not hide its validation.
    const localAddress = path.startsWith('/api/auth/sign-in') ? `127.0.1.${(signInAddress++ % 250) + 1}` : undefined;
    return new Promise((resolve) => {
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          agent,
          ...(localAddress ? { localAddress } : {}),
          headers: {
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
            ...(body ? { 'content-type': options.contentType ?? 'application/json', 'content-length': String(body.length) } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'] ?? '', text: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', (e) => resolve({ status: 0, contentType: '', text: `response failed: ${e.message}` }));
        },
      );
      request.on('error', (e) => resolve({ status: 0, contentType: '', text: `request failed: ${e.message}` }));
      request.end(body);
    });
  }

  /** What is wrong with an answer: a 5xx, no answer, a 4xx that is not an RFC 9457 problem. */
  function faultsOf(reply: Reply): string[] {
    if (reply.status === 0) return [`no answer: ${reply.text}`];
    if (reply.status >= 500) return [`${reply.status}: ${reply.text.slice(0, 300)}`];
    if (reply.status < 400) return [];
    if (!reply.contentType.startsWith('application/problem+json')) return [`${reply.status} as ${reply.contentType || 'no content type'}: ${reply.text.slice(0, 200)}`];
    let problem: Body;
    try {
      problem = JSON.parse(reply.text) as Body;
    } catch {
      return [`${reply.status}: the problem is not JSON: ${reply.text.slice(0, 200)}`];
    }
    const faults: string[] = [];
    if (typeof problem['type'] !== 'string' || typeof problem['title'] !== 'string') faults.push(`${reply.status}: the problem lacks a type or title: ${reply.text.slice(0, 200)}`);
    if (problem['status'] !== reply.status) faults.push(`${reply.status}: the problem says status ${String(problem['status'])}`);
    return faults;
  }

  /** The existing record a path parameter can name, if the seed made one. */
  function realId(template: string, param: string): string | undefined {
    const upTo = template.slice(0, template.indexOf(`{${param}}`) + param.length + 2);
    return records.get(upTo);
  }

  /**
   * Every table of every database of the deployment (each service's and the gateway's), each as
   * its row count and a digest of its rows: a change to any row, not just a new one, shows.
   */
  async function stateOf(): Promise<Record<string, string>> {
    const state: Record<string, string> = {};
    for (const name of [...SERVICES, 'gateway'] as const) {
      const sql = postgres(system.databaseUrl(name), { max: 1, onnotice: () => {} });
      try {
        const tables = await sql<{ schema: string; table: string }[]>`
          select table_schema as schema, table_name as table from information_schema.tables
          where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1, 2`;
        for (const { schema, table } of tables) {
          const [row] = await sql.unsafe<{ rows: number; digest: string }[]>(
            `select count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as digest from "${schema}"."${table}" t`,
          );
          state[`${name}: ${schema}.${table}`] = `${row!.rows} rows, ${row!.digest}`;
        }
      } finally {
        await sql.end();
      }
    }
    return state;
  }

  /**
   * Rows of the append-only logs not yet linked into their schema's hash chain, in every database:
   * the chain job links them every few seconds, so a state at rest has none.
   */
  async function unlinkedLogRows(): Promise<number> {
    let unlinked = 0;
    for (const name of [...SERVICES, 'gateway'] as const) {
      const sql = postgres(system.databaseUrl(name), { max: 1, onnotice: () => {} });
      try {
        const chains = await sql<{ schema: string }[]>`select table_schema as schema from information_schema.tables where table_name = 'audit_chain_state' and table_type = 'BASE TABLE'`;
        for (const { schema } of chains) {
          const logs = await sql.unsafe<{ log: string }[]>(`select log from "${schema}".audit_chain_state`);
          for (const { log } of logs) {
            const [row] = await sql.unsafe<{ n: number }[]>(`select (select count(*) from "${schema}"."${log}")::int - (select count(*) from "${schema}".audit_chain where log = $1)::int as n`, [log]);
            unlinked += row!.n;
          }
        }
      } finally {
        await sql.end();
      }
    }
    return unlinked;
  }

  beforeAll(async () => {
    system = await startDistributedSystem(SERVICES);
    const site = system;
    const admin = adminOf(site);

    // A small network: a hospital, a care home, and a provider at each other bed service.
    const hospitalId = await register(site, 'medical-beds', hospital('畸形输入测试医院', 3));
    const homeId = await register(site, 'care-beds', careHome('畸形输入测试护理院', 3));
    const institutions: Record<string, string> = { 'medical-beds': hospitalId, 'care-beds': homeId };
    const others = {
      'home-care-beds': { kind: 'home-care-provider', unit: { kind: 'slot', attributes: { careLevel: 'standard' } } },
      'home-sick-beds': { kind: 'community-health-centre', unit: { kind: 'slot', attributes: { team: '家医一队' } } },
      'hospice-beds': { kind: 'hospital', unit: { kind: 'bed', attributes: { mode: 'inpatient' } } },
    };
    for (const [service, { kind, unit }] of Object.entries(others)) {
      institutions[service] = await register(site, service, { name: `畸形输入测试${service}`, creditCode: creditCode('371702'), divisionCode: '371702', kind, ownership: 'private', serviceArea: ['371702'], units: [{ ...unit, count: 2 }] });
    }
    for (const [service, id] of Object.entries(institutions)) {
      records.set(`/api/${service}/institutions/{id}`, id);
      const units = await call(site.url, 'GET', `/api/${service}/institutions/${id}/units`, undefined, admin);
      expect(units.status, JSON.stringify(units.body)).toBe(200);
      records.set(`/api/${service}/units/{id}`, (units.body as unknown as Body[])[0]!['id'] as string);
    }
    records.set('/api/referrals/inbox/{institutionId}', homeId);
    records.set('/api/referrals/follow-ups/{institutionId}', homeId);
    records.set('/api/civil-affairs/waiting-list/{homeInstitutionId}', homeId);

    // A referral with its packet and an attachment, offered, accepted, chosen, its bed held and the elder arrived.
    await waitUntilMatchable(site, homeId);
    const planner = plannerAt(site, hospitalId);
    const staff = staffOf(site, homeId);
    const created = await call(site.url, 'POST', '/api/referrals', dischargeRequest(hospitalId, { packet: samplePacket('畸形'), consent: WRITTEN_CONSENT }), planner);
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const referralId = created.body['id'] as string;
    const attached = await call(site.url, 'POST', `/api/referrals/${referralId}/attachments?kind=discharge-summary&name=summary.pdf`, samplePdf(), planner);
    expect(attached.status, JSON.stringify(attached.body)).toBe(201);
    const offering = await waitForState(site, referralId, 'offering');
    const offer = (offering['offers'] as Body[]).find((o) => o['institutionId'] === homeId)!;
    expect(offer, 'the care home is offered the referral').toBeDefined();
    expect((await call(site.url, 'POST', `/api/referrals/${referralId}/offers/${offer['id']}/accept`, {}, staff)).status).toBe(200);
    await waitForState(site, referralId, 'choosing');
    expect((await call(site.url, 'POST', `/api/referrals/${referralId}/choice`, { offerId: offer['id'] }, planner)).status).toBe(200);
    const transferring = await waitForState(site, referralId, 'transferring');
    const holdId = (transferring['hold'] as Body)['holdId'] as string;
    const admitted = await call(site.url, 'POST', `/api/care-beds/holds/${holdId}/admission`, {}, staff);
    expect(admitted.status, JSON.stringify(admitted.body)).toBe(200);
    await waitForState(site, referralId, 'followUp');
    records.set('/api/referrals/{id}', referralId);
    records.set('/api/referrals/{id}/offers/{offerId}', offer['id'] as string);
    records.set('/api/referrals/{id}/attachments/{attachmentId}', attached.body['id'] as string);
    records.set('/api/care-beds/holds/{id}', holdId);
    records.set('/api/care-beds/admissions/{id}', admitted.body['admissionId'] as string);

    // An elder on the register, an insurance application for them, and an account.
    const assessor = tokenFor(site, { userId: 'assessor-malformed', role: 'assessor', divisionCode: '371702' });
    const insurer = tokenFor(site, { userId: 'insurer-malformed', role: 'insurer', divisionCode: '371702' });
    const first17 = '37170219400315002';
    const elder = await call(site.url, 'POST', '/api/civil-affairs/elders', { idNumber: first17 + residentIdCheckChar(first17), name: '畸形输入测试老人', gender: 'female', birthDate: '1940-03-15', address: { divisionCode: '371702', line: '牡丹区某街道' }, consent: { healthData: true, givenBy: 'elder' } }, assessor);
    expect(elder.status, JSON.stringify(elder.body)).toBe(201);
    records.set('/api/civil-affairs/elders/{id}', elder.body['id'] as string);
    const application = await call(site.url, 'POST', '/api/medical-insurance/applications', { elderRef: elder.body['id'] }, insurer);
    expect(application.status, JSON.stringify(application.body)).toBe(201);
    records.set('/api/medical-insurance/applications/{id}', application.body['id'] as string);
    const account = await call(site.url, 'POST', '/api/auth/users', { username: 'malformed-account', displayName: '畸形输入测试账户', password: 'Malformed-account-2026', role: 'provider', institutionId: homeId }, admin);
    expect(account.status, JSON.stringify(account.body)).toBe(201);
    records.set('/api/auth/users/{id}', account.body['id'] as string);

    Object.assign(tokens, { admin, planner, provider: staff, assessor, insurer, analyst: analystFor(site, '371700') });

    const doc = await call(site.url, 'GET', '/docs/json');
    expect(doc.status).toBe(200);
    operations = operationsOf(doc.body as { paths: Record<string, Record<string, unknown>> }).filter((op) => op.template.startsWith('/api/'));
  }, 300_000);

  afterAll(async () => {
    agent.destroy();
    const codes = await system?.stop();
    expect(codes?.every((c) => c === 0), `every service stops cleanly: ${codes?.join(', ')}`).toBe(true);
  });

  it('answers every malformed request with a 4xx problem naming the fault, never a 5xx, and changes nothing', async () => {
    // The document covers every service: each routed prefix has operations in it.
    for (const prefix of ['/api/auth/', '/api/referrals', '/api/care-beds/', '/api/medical-beds/', '/api/home-care-beds/', '/api/home-sick-beds/', '/api/hospice-beds/', '/api/civil-affairs/', '/api/medical-insurance/', '/api/monitoring/']) {
      expect(operations.some((op) => op.template.startsWith(prefix)), prefix).toBe(true);
    }
    expect(operations.flatMap(unboundedStrings), 'every string a body may carry has a bound').toEqual([]);
    const variants = operations.map((op) => ({ op, variants: variantsOf(op, realId) }));
    // The raw texts went out as written: 1e400 as a number, the surrogate as its escape, no marker left.
    const bodies = variants.flatMap((v) => v.variants).map((v) => (typeof v.body === 'string' ? v.body : ''));
    expect(bodies.filter((b) => b.includes('\\u0001raw:'))).toEqual([]);
    for (const raw of RAW_TEXTS) expect(bodies.some((b) => b.includes(`:${raw}`)), raw).toBe(true);
    const withRealIds = operations.filter((op) => op.parameters.some((p) => p.in === 'path' && realId(op.template, p.name) !== undefined)).length;

    // Nothing is in flight from the seed any more: every log row is linked into its chain, and the
    // state holds still for three looks in a row.
    let looks: string[] = [];
    const before = await waitFor(async () => {
      if ((await unlinkedLogRows()) > 0) return undefined;
      const state = await stateOf();
      looks = [...looks, JSON.stringify(state)].slice(-3);
      return looks.length === 3 && new Set(looks).size === 1 ? state : undefined;
    }, { what: 'the seeded system to come to rest', timeoutMs: 120_000, intervalMs: 1000 });

    const faults: string[] = [];
    const counts = new Map<number, number>();
    /** The answers each operation gave to requests that break an input it declares. */
    const byOperation = new Map<Operation, Set<number>>();
    const pool = async <T>(items: T[], work: (item: T) => Promise<void>) => {
      let next = 0;
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        while (next < items.length) await work(items[next++]!);
      }));
    };

    // Who calls each operation: the first role its role check lets through, as a probe that fails
    // the route's schema shows (403 before validation for a role that may not; 400 after it for one that may).
    const callers = new Map<Operation, Role>();
    let probes = 0;
    const probeAnswers = new Map<number, number>();
    await pool(variants, async ({ op, variants: vs }) => {
      // An operation without inputs of its own is probed with its first malformed request (an undeclared parameter).
      const probe = vs.find((v) => v.probe) ?? vs[0];
      if (!probe) {
        callers.set(op, 'admin');
        return;
      }
      for (const role of ROLE_ORDER) {
        const reply = await send(op.method, probe.path, { body: probe.body, contentType: probe.contentType, token: tokens[role] });
        probes += 1;
        probeAnswers.set(reply.status, (probeAnswers.get(reply.status) ?? 0) + 1);
        for (const f of faultsOf(reply)) faults.push(`${role} ${op.method} ${probe.path.slice(0, 160)} (probe: ${probe.what}): ${f}`);
        if (reply.status !== 403) {
          callers.set(op, role);
          return;
        }
      }
      faults.push(`${op.method} ${op.template}: every role is refused (403) before validation`);
    });

    const all = variants.flatMap((v) => v.variants);
    await pool(all, async (v) => {
      const role = callers.get(v.op) ?? 'admin';
      const reply = await send(v.op.method, v.path, { body: v.body, contentType: v.contentType, token: tokens[role] });
      counts.set(reply.status, (counts.get(reply.status) ?? 0) + 1);
      if (!v.undeclared) byOperation.set(v.op, (byOperation.get(v.op) ?? new Set<number>()).add(reply.status));
      const where = `${role} ${v.op.method} ${v.path.slice(0, 160)} (${v.what})`;
      const found = faultsOf(reply);
      if (found.length === 0 && !v.statuses.includes(reply.status)) found.push(`answered ${reply.status}, expected ${v.statuses.join(' or ')}: ${reply.text.slice(0, 300)}`);
      if (found.length === 0 && v.names) {
        const errors = ((JSON.parse(reply.text) as Body)['errors'] ?? []) as { in?: string; field?: string }[];
        if (!errors.some((e) => e.in === v.names!.in && v.names!.fields.includes(e.field ?? ''))) found.push(`the problem does not name ${v.names.in} ${v.names.fields.map((f) => JSON.stringify(f)).join(' or ')}: ${reply.text.slice(0, 300)}`);
      }
      for (const f of found) faults.push(`${where}: ${f}`);
    });

    const after = await stateOf();
    const withInputs = operations.filter((op) => op.body || op.parameters.some((p) => p.in === 'path' || p.in === 'query'));
    const reached = [...counts].filter(([s]) => s >= 400 && s < 500 && s !== 401 && s !== 403 && s !== 429).reduce((n, [, c]) => n + c, 0);
    const summary = [...counts].sort(([a], [b]) => a - b).map(([s, c]) => `${s}×${c}`).join(', ');
    const probeSummary = [...probeAnswers].sort(([a], [b]) => a - b).map(([s, c]) => `${s}×${c}`).join(', ');
    const byRole = ROLE_ORDER.map((r) => `${r} ${[...callers.values()].filter((c) => c === r).length}`).join(', ');
    console.log(`[malformed] ${all.length} requests over ${operations.length} operations: ${summary}; ${reached} reached validation (4xx other than 401/403/429); ${probes} role probes (${probeSummary}); callers: ${byRole}; ${withRealIds} operations on existing records, ${operations.length - withInputs.length} without inputs of their own; state compared: ${Object.keys(before).length} tables in ${SERVICES.length + 1} databases`);

    if (faults.length > 0) console.log(`[malformed] ${faults.length} faults:\n${faults.join('\n')}`);
    expect(faults.slice(0, 60), `${faults.length} faults`).toEqual([]);
    expect(reached).toBe(all.length);
    // Nothing changed: every row of every table of every database is as it was.
    expect(after).toEqual(before);
    // Every operation with an input of its own (a body, path or query parameters) refused at least one
    // request breaking it as invalid (400): its own schema was reached, past its role check. The
    // others only read, and take nothing to break but an undeclared query parameter.
    expect(withInputs.filter((op) => !byOperation.get(op)?.has(400)).map((op) => `${op.method} ${op.template}`)).toEqual([]);
    expect(operations.filter((op) => !withInputs.includes(op) && op.method !== 'GET').map((op) => `${op.method} ${op.template}`)).toEqual([]);
  }, 600_000);
});
