import type { Principal } from '@fbl/auth';
import { BED_POLICIES } from '@fbl/bed-inventory';
import { BED_TYPES, bedCommandsTopic, createMessage, newId, ReserveBed, type BedType } from '@fbl/contracts';
import { startEmbedded, type EmbeddedSystem } from '@fbl/embedded';
import { toRecord } from '@fbl/messaging';
import { createLogger } from '@fbl/observability';
import { waitFor } from '@fbl/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor, type Site } from '../support/actors.js';
import { call, openEvents } from '../support/http.js';
import { FOLLOW_UP, samplePacket, samplePdf, WRITTEN_CONSENT } from '../support/builders.js';
import { careHome, creditCode, dischargeRequest, hospital, register, waitForState, waitUntilMatchable } from './scenarios.js';

// Response bodies are read loosely here; each check asserts the fields it relies on.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

/**
 * Who knocks: nobody, and each role, with the scope that matters on the records used. "Origin" is
 * the hospital the referral leaves from, "owner" the institution the record belongs to (the
 * provider offered the referral and holding its bed; the bed service's institution), "other" an
 * institution of the same kind that has nothing to do with the record.
 */
const CALLERS = ['anonymous', 'plannerOrigin', 'plannerOther', 'staffOwner', 'staffOther', 'assessor', 'insurer', 'analyst', 'analystOther', 'admin'] as const;
type Caller = (typeof CALLERS)[number];

const SIGNED_IN = CALLERS.filter((c) => c !== 'anonymous');
const EVERYONE = CALLERS;

/** One route of the public API: how to call it and who may. */
interface RouteCase {
  method: string;
  /** The path as the OpenAPI document names it. */
  route: string;
  /** The concrete path, and the body. */
  path: string;
  body?: unknown;
  /** The callers allowed; every other caller is refused (401 without a token, else 403). */
  allowed: readonly Caller[];
  /**
   * Whether an allowed call must get past the checks with the fixture's records (2xx, or 409
   * because an earlier allowed call moved the record on): true for the scoped routes, whose
   * records the test creates; role-only routes may answer 400/404 on placeholder input.
   */
  strict: boolean;
  /**
   * For the open routes of sign-in, the route's own answer to every caller alike (a wrong password
   * is 401 whoever asks): the caller's token plays no part.
   */
  answers?: number[];
  /** A stream of server-sent events: an allowed call is judged by its first answer, then closed. */
  stream?: boolean;
  /** Allowed calls that change state run in this order (default 0), after every refusal. */
  order?: number;
  /** Data that must not appear in a refusal. */
  secrets?: string[];
  /** The token of the record's owner, where it is not the referral's provider (a bed service's own institution). */
  owner?: string;
  /** The type of a body of bytes (a file). */
  contentType?: string;
}

const PROBLEM_KEYS = ['type', 'title', 'status', 'detail', 'instance'];
const UNKNOWN_ID = '0192f3b2-7c1a-7000-8000-0000000a0a0a';

describe('authorization matrix: every API route × every role', () => {
  let system: EmbeddedSystem;
  let site: Site;
  const tokens = {} as Record<Caller, string | undefined>;
  const cases: RouteCase[] = [];

  beforeAll(async () => {
    system = await startEmbedded({ port: 0, host: '127.0.0.1', database: { dataDir: 'memory' }, logLevel: 'silent' }, { logger: createLogger({ name: 'authz-test', level: 'silent' }), demoData: false });
    site = { url: system.url, authSecret: system.secrets.authSecret };

    // A referral from hospital H1 to care home C1, accepted, chosen, its bed held at C1.
    const h1 = await register(site, 'medical-beds', hospital('授权测试医院一', 5));
    const h2 = await register(site, 'medical-beds', hospital('授权测试医院二', 5));
    const c1 = await register(site, 'care-beds', careHome('授权测试护理院一', 3));
    await waitUntilMatchable(site, c1);
    const as = (who: Principal) => tokenFor(site, who);
    const elderRef = `authz-${newId().slice(-8)}`;
    // With a packet the elder consented to share, and a discharge summary attached.
    const packet = samplePacket('授权');
    const created = await call(site.url, 'POST', '/api/referrals', dischargeRequest(h1, { elderRef, packet: { ...packet, eligibility: {} }, consent: WRITTEN_CONSENT }), as({ userId: 'p1', role: 'planner', institutionId: h1 }));
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const referralId = created.body['id'] as string;
    const attached = await call(site.url, 'POST', `/api/referrals/${referralId}/attachments?kind=discharge-summary&name=summary.pdf`, samplePdf(), as({ userId: 'p1', role: 'planner', institutionId: h1 }));
    expect(attached.status, JSON.stringify(attached.body)).toBe(201);
    const attachmentId = attached.body['id'] as string;
    const offered = await waitForState(site, referralId, 'offering');
    const offer = (offered['offers'] as Body[]).find((o) => o['institutionId'] === c1)!;
    expect(offer, 'C1 is offered the referral').toBeDefined();
    expect((await call(site.url, 'POST', `/api/referrals/${referralId}/offers/${offer['id']}/accept`, {}, as({ userId: 's1', role: 'provider', institutionId: c1 }))).status).toBe(200);
    await waitForState(site, referralId, 'choosing');
    expect((await call(site.url, 'POST', `/api/referrals/${referralId}/choice`, { offerId: offer['id'] }, as({ userId: 'p1', role: 'planner', institutionId: h1 }))).status).toBe(200);
    await waitForState(site, referralId, 'transferring');
    // A second care home, registered after the offers were made: it has nothing to do with the referral.
    const c2 = await register(site, 'care-beds', careHome('授权测试护理院二', 1));

    Object.assign(tokens, {
      anonymous: undefined,
      plannerOrigin: as({ userId: 'planner-origin', role: 'planner', institutionId: h1 }),
      plannerOther: as({ userId: 'planner-other', role: 'planner', institutionId: h2 }),
      staffOwner: as({ userId: 'staff-owner', role: 'provider', institutionId: c1 }),
      staffOther: as({ userId: 'staff-other', role: 'provider', institutionId: c2 }),
      assessor: as({ userId: 'assessor', role: 'assessor', divisionCode: '371700' }),
      insurer: as({ userId: 'insurer', role: 'insurer', divisionCode: '371700' }),
      analyst: as({ userId: 'analyst', role: 'analyst', divisionCode: '371700' }),
      analystOther: as({ userId: 'analyst-other', role: 'analyst', divisionCode: '370100' }),
      admin: as({ userId: 'admin', role: 'admin' }),
    });

    // Referral workflow.
    const r = `/api/referrals/${referralId}`;
    const secrets = [elderRef, '授权测试护理院一', c1, packet.diagnoses[0].name, packet.familyContact.name];
    const referralRoutes: RouteCase[] = [
      { method: 'POST', route: '/api/referrals', path: '/api/referrals', body: dischargeRequest(h1), allowed: ['plannerOrigin'], strict: true },
      { method: 'GET', route: '/api/referrals', path: '/api/referrals', allowed: ['plannerOrigin', 'plannerOther', 'staffOwner', 'staffOther', 'admin'], strict: true },
      { method: 'GET', route: '/api/referrals/events', path: '/api/referrals/events', allowed: ['plannerOrigin', 'plannerOther', 'staffOwner', 'staffOther', 'admin'], strict: true, stream: true },
      { method: 'GET', route: '/api/referrals/capacity', path: '/api/referrals/capacity', allowed: SIGNED_IN, strict: true },
      { method: 'GET', route: '/api/referrals/inbox/{institutionId}', path: `/api/referrals/inbox/${c1}`, allowed: ['staffOwner', 'admin'], strict: true, secrets },
      { method: 'GET', route: '/api/referrals/follow-ups/{institutionId}', path: `/api/referrals/follow-ups/${c1}`, allowed: ['staffOwner', 'admin'], strict: true, secrets },
      { method: 'GET', route: '/api/referrals/{id}', path: r, allowed: ['plannerOrigin', 'staffOwner', 'admin'], strict: true, secrets },
      { method: 'POST', route: '/api/referrals/{id}/offers/{offerId}/accept', path: `${r}/offers/${offer['id']}/accept`, body: {}, allowed: ['staffOwner'], strict: true, secrets },
      { method: 'POST', route: '/api/referrals/{id}/offers/{offerId}/decline', path: `${r}/offers/${offer['id']}/decline`, body: { reasonCode: 'no-capacity' }, allowed: ['staffOwner'], strict: true, secrets },
      { method: 'POST', route: '/api/referrals/{id}/choice', path: `${r}/choice`, body: { offerId: offer['id'] }, allowed: ['plannerOrigin'], strict: true, secrets },
      { method: 'POST', route: '/api/referrals/{id}/follow-up', path: `${r}/follow-up`, body: FOLLOW_UP, allowed: ['staffOwner'], strict: true, secrets },
      { method: 'GET', route: '/api/referrals/{id}/follow-up', path: `${r}/follow-up`, allowed: ['plannerOrigin', 'staffOwner'], strict: true, secrets },
      { method: 'GET', route: '/api/referrals/stays', path: `/api/referrals/stays?elderRef=${elderRef}`, allowed: ['plannerOrigin', 'plannerOther'], strict: true },
      { method: 'POST', route: '/api/referrals/{id}/reopen', path: `${r}/reopen`, body: {}, allowed: ['analyst', 'admin'], strict: true, secrets },
      { method: 'POST', route: '/api/referrals/{id}/cancel', path: `${r}/cancel`, body: { reason: 'other' }, allowed: ['plannerOrigin', 'admin'], strict: true, order: 9, secrets },
      // The packet: the referring side and the provider holding the bed (the elder consented); nobody else, admins included.
      { method: 'GET', route: '/api/referrals/{id}/packet', path: `${r}/packet`, allowed: ['plannerOrigin', 'staffOwner'], strict: true, secrets },
      { method: 'PUT', route: '/api/referrals/{id}/packet', path: `${r}/packet`, body: { ...packet, eligibility: {} }, allowed: ['plannerOrigin'], strict: true, secrets },
      { method: 'POST', route: '/api/referrals/{id}/consent', path: `${r}/consent`, body: WRITTEN_CONSENT, allowed: ['plannerOrigin'], strict: true, secrets },
      { method: 'POST', route: '/api/referrals/{id}/consent/withdraw', path: `${r}/consent/withdraw`, body: WRITTEN_CONSENT, allowed: ['plannerOrigin'], strict: true, order: 8, secrets },
      { method: 'GET', route: '/api/referrals/{id}/attachments', path: `${r}/attachments`, allowed: ['plannerOrigin', 'staffOwner'], strict: true, secrets },
      { method: 'POST', route: '/api/referrals/{id}/attachments', path: `${r}/attachments?kind=test-result&name=result.pdf`, body: samplePdf('result'), contentType: 'application/pdf', allowed: ['plannerOrigin'], strict: true, secrets },
      { method: 'GET', route: '/api/referrals/{id}/attachments/{attachmentId}', path: `${r}/attachments/${attachmentId}`, allowed: ['plannerOrigin', 'staffOwner'], strict: true, secrets },
      { method: 'DELETE', route: '/api/referrals/{id}/attachments/{attachmentId}', path: `${r}/attachments/${attachmentId}`, allowed: ['plannerOrigin'], strict: true, order: 7, secrets },
      { method: 'GET', route: '/api/referrals/audit', path: `/api/referrals/audit?objectId=${referralId}`, allowed: ['admin'], strict: true },
    ];
    cases.push(...referralRoutes);

    // Each bed service, on an institution of its own with a unit, a held bed and a stay.
    for (const type of BED_TYPES) cases.push(...(await bedRoutes(type)));

    // Role-only routes: the people's records, insurance, the dashboard, accounts.
    const ca = '/api/civil-affairs';
    const any = SIGNED_IN;
    const assessorAdmin: Caller[] = ['assessor', 'admin'];
    cases.push(
      { method: 'POST', route: `${ca}/elders`, path: `${ca}/elders`, body: {}, allowed: assessorAdmin, strict: false },
      // Finding elders by name: planners (by name or ID number only), the officers of a division, admins.
      { method: 'POST', route: `${ca}/elders/search`, path: `${ca}/elders/search`, body: { q: '授权测试' }, allowed: ['plannerOrigin', 'plannerOther', 'assessor', 'insurer', 'admin'], strict: true },
      { method: 'GET', route: `${ca}/elders/{id}`, path: `${ca}/elders/${UNKNOWN_ID}`, allowed: any, strict: false },
      { method: 'POST', route: `${ca}/elders/names`, path: `${ca}/elders/names`, body: { elderRefs: [UNKNOWN_ID] }, allowed: ['plannerOrigin', 'plannerOther', 'staffOwner', 'staffOther', 'assessor', 'insurer', 'admin'], strict: true },
      { method: 'POST', route: `${ca}/elders/lookup`, path: `${ca}/elders/lookup`, body: { idNumber: '371702194003150021' }, allowed: ['plannerOrigin', 'plannerOther', 'assessor', 'insurer', 'admin'], strict: false },
      { method: 'POST', route: `${ca}/elders/{id}/assessments`, path: `${ca}/elders/${UNKNOWN_ID}/assessments`, body: {}, allowed: ['assessor'], strict: false },
      { method: 'GET', route: `${ca}/elders/{id}/assessments`, path: `${ca}/elders/${UNKNOWN_ID}/assessments`, allowed: any, strict: false },
      { method: 'GET', route: `${ca}/assessment-requests`, path: `${ca}/assessment-requests`, allowed: assessorAdmin, strict: true },
      { method: 'POST', route: `${ca}/elders/{id}/hardships`, path: `${ca}/elders/${UNKNOWN_ID}/hardships`, body: {}, allowed: assessorAdmin, strict: false },
      { method: 'GET', route: `${ca}/elders/{id}/hardships`, path: `${ca}/elders/${UNKNOWN_ID}/hardships`, allowed: any, strict: false },
      { method: 'PATCH', route: `${ca}/elders/{id}`, path: `${ca}/elders/${UNKNOWN_ID}`, body: { phone: null }, allowed: assessorAdmin, strict: false },
      // The special-hardship register, 探访 and government-bought home-care hours: civil-affairs officers.
      { method: 'GET', route: `${ca}/elders/{id}/facts`, path: `${ca}/elders/${UNKNOWN_ID}/facts`, allowed: any, strict: false },
      { method: 'POST', route: `${ca}/elders/{id}/facts`, path: `${ca}/elders/${UNKNOWN_ID}/facts`, body: {}, allowed: assessorAdmin, strict: false },
      { method: 'GET', route: `${ca}/tanfang`, path: `${ca}/tanfang`, allowed: assessorAdmin, strict: false },
      { method: 'POST', route: `${ca}/tanfang/schedule`, path: `${ca}/tanfang/schedule`, body: {}, allowed: assessorAdmin, strict: false },
      { method: 'POST', route: `${ca}/tanfang/{id}/assign`, path: `${ca}/tanfang/${UNKNOWN_ID}/assign`, body: {}, allowed: assessorAdmin, strict: false },
      { method: 'POST', route: `${ca}/tanfang/{id}/visit`, path: `${ca}/tanfang/${UNKNOWN_ID}/visit`, body: {}, allowed: assessorAdmin, strict: false },
      { method: 'GET', route: `${ca}/home-care/months/{month}`, path: `${ca}/home-care/months/2026-11`, allowed: assessorAdmin, strict: false },
      { method: 'GET', route: `${ca}/home-care/preview`, path: `${ca}/home-care/preview?institutionId=${UNKNOWN_ID}&month=2026-11`, allowed: assessorAdmin, strict: false },
      { method: 'POST', route: `${ca}/home-care/statements`, path: `${ca}/home-care/statements`, body: {}, allowed: assessorAdmin, strict: false },
      { method: 'GET', route: `${ca}/home-care/statements/{id}`, path: `${ca}/home-care/statements/${UNKNOWN_ID}`, allowed: assessorAdmin, strict: false },
      { method: 'GET', route: `${ca}/home-care/statements/{id}/xlsx`, path: `${ca}/home-care/statements/${UNKNOWN_ID}/xlsx`, allowed: assessorAdmin, strict: false },
      { method: 'POST', route: `${ca}/elders/{id}/erasure`, path: `${ca}/elders/${UNKNOWN_ID}/erasure`, body: { ground: 'request' }, allowed: assessorAdmin, strict: false },
      { method: 'POST', route: `${ca}/waiting-list`, path: `${ca}/waiting-list`, body: {}, allowed: assessorAdmin, strict: false },
      { method: 'GET', route: `${ca}/waiting-list/{homeInstitutionId}`, path: `${ca}/waiting-list/${UNKNOWN_ID}`, allowed: ['assessor', 'admin', 'analyst', 'analystOther'], strict: false },
      { method: 'GET', route: `${ca}/waiting-list/entries/{entryId}/position`, path: `${ca}/waiting-list/entries/${UNKNOWN_ID}/position`, allowed: any, strict: false },
      ...(['offer', 'accept', 'refuse', 'withdraw'] as const).map((move): RouteCase => ({ method: 'POST', route: `${ca}/waiting-list/entries/{entryId}/${move}`, path: `${ca}/waiting-list/entries/${UNKNOWN_ID}/${move}`, body: {}, allowed: assessorAdmin, strict: false })),
      { method: 'GET', route: `${ca}/audit`, path: `${ca}/audit`, allowed: ['admin'], strict: true },
    );
    const mi = '/api/medical-insurance';
    const insurer: Caller[] = ['insurer'];
    cases.push(
      { method: 'POST', route: `${mi}/applications`, path: `${mi}/applications`, body: {}, allowed: insurer, strict: false },
      { method: 'GET', route: `${mi}/applications`, path: `${mi}/applications`, allowed: insurer, strict: true },
      { method: 'GET', route: `${mi}/applications/{id}`, path: `${mi}/applications/${UNKNOWN_ID}`, allowed: insurer, strict: false },
      ...(['accept', 'refuse', 'assessment', 'objection', 'effect', 'care-mode', 'end'] as const).map((step): RouteCase => ({ method: 'POST', route: `${mi}/applications/{id}/${step}`, path: `${mi}/applications/${UNKNOWN_ID}/${step}`, body: {}, allowed: insurer, strict: false })),
      { method: 'GET', route: `${mi}/quote`, path: `${mi}/quote?careMode=institutional&dailyCost=120`, allowed: any, strict: false },
      { method: 'POST', route: `${mi}/home-sick-bed-filings`, path: `${mi}/home-sick-bed-filings`, body: {}, allowed: insurer, strict: false },
      { method: 'GET', route: `${mi}/audit`, path: `${mi}/audit`, allowed: ['admin'], strict: true },
    );
    const mo = '/api/monitoring';
    const commission: Caller[] = ['analyst', 'analystOther', 'admin'];
    cases.push(
      { method: 'GET', route: `${mo}/definitions`, path: `${mo}/definitions`, allowed: commission, strict: true },
      { method: 'GET', route: `${mo}/dashboard`, path: `${mo}/dashboard`, allowed: commission, strict: true },
      { method: 'GET', route: `${mo}/metrics/{metric}`, path: `${mo}/metrics/closed-loop`, allowed: commission, strict: true },
      { method: 'GET', route: `${mo}/metrics/{metric}/csv`, path: `${mo}/metrics/closed-loop/csv`, allowed: commission, strict: true },
      { method: 'GET', route: `${mo}/open-referrals`, path: `${mo}/open-referrals`, allowed: commission, strict: true },
      { method: 'GET', route: `${mo}/dashboard.xlsx`, path: `${mo}/dashboard.xlsx`, allowed: commission, strict: true },
      { method: 'GET', route: `${mo}/metrics/{metric}/referrals`, path: `${mo}/metrics/open-by-stage/referrals?count=open`, allowed: commission, strict: true },
    );
    const au = '/api/auth';
    // An account of its own for the admin's account routes.
    const account = await call(site.url, 'POST', `${au}/users`, { username: 'authz-account', displayName: '授权测试账户', password: 'Authz-account-2026', role: 'provider', institutionId: c1 }, tokens.admin);
    expect(account.status, JSON.stringify(account.body)).toBe(201);
    const u = `${au}/users/${account.body['id'] as string}`;
    cases.push(
      { method: 'POST', route: `${au}/sign-in`, path: `${au}/sign-in`, body: { username: 'nobody', password: 'wrong-password-1' }, allowed: EVERYONE, strict: false, answers: [401] },
      { method: 'POST', route: `${au}/refresh`, path: `${au}/refresh`, body: { refreshToken: 'x'.repeat(43) }, allowed: EVERYONE, strict: false, answers: [401] },
      { method: 'POST', route: `${au}/sign-out`, path: `${au}/sign-out`, body: { refreshToken: 'x'.repeat(43) }, allowed: EVERYONE, strict: false },
      { method: 'GET', route: `${au}/demo-users`, path: `${au}/demo-users`, allowed: EVERYONE, strict: true },
      // Sign-in at an external provider: open to everyone, and not configured in the embedded mode.
      { method: 'GET', route: `${au}/oidc`, path: `${au}/oidc`, allowed: EVERYONE, strict: true },
      { method: 'POST', route: `${au}/oidc/token`, path: `${au}/oidc/token`, body: { code: 'c', codeVerifier: 'v'.repeat(43), redirectUri: 'http://127.0.0.1/' }, allowed: EVERYONE, strict: false, answers: [404] },
      { method: 'POST', route: `${au}/oidc/refresh`, path: `${au}/oidc/refresh`, body: { refreshToken: 'r' }, allowed: EVERYONE, strict: false, answers: [404] },
      { method: 'GET', route: `${au}/me`, path: `${au}/me`, allowed: any, strict: true },
      // The accounts of the caller's own institution, to name a plan's worker: provider staff only.
      { method: 'GET', route: `${au}/colleagues`, path: `${au}/colleagues`, allowed: ['staffOwner', 'staffOther'], strict: true },
      { method: 'GET', route: `${au}/users`, path: `${au}/users`, allowed: ['admin'], strict: true },
      { method: 'POST', route: `${au}/users`, path: `${au}/users`, body: { username: 'authz-new-user', displayName: '新用户', password: 'Authz-new-2026-x', role: 'analyst', divisionCode: '371700' }, allowed: ['admin'], strict: true },
      { method: 'GET', route: `${au}/sign-ins`, path: `${au}/sign-ins`, allowed: ['admin'], strict: true },
      { method: 'GET', route: `${au}/users/{id}`, path: u, allowed: ['admin'], strict: true },
      { method: 'PATCH', route: `${au}/users/{id}`, path: u, body: { displayName: '授权测试账户（改）' }, allowed: ['admin'], strict: true },
      { method: 'POST', route: `${au}/users/{id}/disable`, path: `${u}/disable`, body: {}, allowed: ['admin'], strict: true, order: 1 },
      { method: 'POST', route: `${au}/users/{id}/enable`, path: `${u}/enable`, body: {}, allowed: ['admin'], strict: true, order: 2 },
      { method: 'POST', route: `${au}/users/{id}/password`, path: `${u}/password`, body: { password: 'Authz-reset-2026' }, allowed: ['admin'], strict: true },
      { method: 'GET', route: `${au}/audit`, path: `${au}/audit`, allowed: ['admin'], strict: true },
      // The account's own second factor and password: every signed-in account; resetting another's: admins.
      { method: 'GET', route: `${au}/second-factor`, path: `${au}/second-factor`, allowed: any, strict: false },
      { method: 'POST', route: `${au}/second-factor/offer`, path: `${au}/second-factor/offer`, body: {}, allowed: any, strict: false },
      { method: 'POST', route: `${au}/second-factor/confirm`, path: `${au}/second-factor/confirm`, body: { code: '000000' }, allowed: any, strict: false },
      { method: 'POST', route: `${au}/password`, path: `${au}/password`, body: { currentPassword: 'not-the-password-1', newPassword: 'Authz-changed-2026-x' }, allowed: any, strict: false },
      { method: 'POST', route: `${au}/users/{id}/second-factor/reset`, path: `${u}/second-factor/reset`, body: {}, allowed: ['admin'], strict: false },
    );
  }, 120_000);
  afterAll(async () => system?.stop());

  /** The routes of one bed service, on fixtures of their own: owner X, other Y of the same type. */
  async function bedRoutes(type: BedType): Promise<RouteCase[]> {
    const policy = BED_POLICIES[type];
    const service = policy.service;
    const unit = { care: { kind: 'bed', attributes: { nursingType: true } }, medical: { kind: 'bed', attributes: { department: '老年医学科' } }, 'home-care': { kind: 'slot', attributes: { careLevel: 'standard' } }, 'home-sick': { kind: 'slot', attributes: { team: '家医一队' } }, hospice: { kind: 'bed', attributes: { mode: 'inpatient' } } }[type];
    const kind = { care: 'care-home', medical: 'hospital', 'home-care': 'home-care-provider', 'home-sick': 'community-health-centre', hospice: 'hospital' }[type];
    const registration = (name: string) => ({ name, creditCode: creditCode('371702'), divisionCode: '371702', kind, ownership: 'private', serviceArea: ['371702'], units: [{ ...unit, count: 4 }] });
    const x = await register(site, service, registration(`授权${type}甲`));
    await register(site, service, registration(`授权${type}乙`));
    const admin = tokenFor(site, { userId: 'fixture-admin', role: 'admin' });
    const staffX = tokenFor(site, { userId: 'fixture-staff', role: 'provider', institutionId: x });
    // Two beds held by ReserveBed commands (as the workflow sends them); the second becomes a stay.
    const hold = async () => {
      const referralId = newId();
      const m = createMessage(ReserveBed, x, { referralId, institutionId: x, bedType: type, elderRef: `authz-${type}-${referralId.slice(-6)}` }, { source: 'authz-test' }, { topic: bedCommandsTopic(type) });
      await system.deps.bus.publish([toRecord(m.topic, m.key, m.envelope)]);
      return waitFor(async () => ((await call(site.url, 'GET', `/api/${service}/institutions/${x}/holds`, undefined, admin)).body as unknown as Body[]).find((h) => h['referralId'] === referralId), { what: `a ${type} hold` });
    };
    const held = await hold();
    const toAdmit = await hold();
    const admissionBody = policy.servicePlan ? { servicePlan: { services: ['助餐'], visitsPerWeek: 2 } } : {};
    const admitted = await call(site.url, 'POST', `/api/${service}/holds/${toAdmit['id']}/admission`, admissionBody, staffX);
    expect(admitted.status, JSON.stringify(admitted.body)).toBe(200);
    const stayId = admitted.body['admissionId'] as string;
    const units = (await call(site.url, 'GET', `/api/${service}/institutions/${x}/units`, undefined, admin)).body as unknown as Body[];
    const free = units.find((u) => u['status'] === 'free')!;

    const b = `/api/${service}`;
    const staffOrAdmin: Caller[] = ['staffOwner', 'admin'];
    const secrets = [held['elderRef'] as string, held['referralId'] as string];
    // The owner, for these routes, is the staff of X.
    const routes: RouteCase[] = [
      { method: 'POST', route: `${b}/institutions`, path: `${b}/institutions`, body: registration(`授权${type}丙`), allowed: ['admin'], strict: true },
      { method: 'GET', route: `${b}/institutions`, path: `${b}/institutions`, allowed: SIGNED_IN, strict: true },
      { method: 'GET', route: `${b}/institutions/{id}`, path: `${b}/institutions/${x}`, allowed: SIGNED_IN, strict: true },
      { method: 'GET', route: `${b}/institutions/{id}/units`, path: `${b}/institutions/${x}/units`, allowed: staffOrAdmin, strict: true },
      { method: 'POST', route: `${b}/institutions/{id}/units`, path: `${b}/institutions/${x}/units`, body: { kind: unit.kind, count: 1, attributes: unit.attributes }, allowed: staffOrAdmin, strict: true },
      { method: 'PATCH', route: `${b}/units/{id}`, path: `${b}/units/${free['id']}`, body: { inService: true }, allowed: staffOrAdmin, strict: true },
      { method: 'GET', route: `${b}/holds/{id}`, path: `${b}/holds/${held['id']}`, allowed: staffOrAdmin, strict: true, secrets },
      { method: 'GET', route: `${b}/institutions/{id}/holds`, path: `${b}/institutions/${x}/holds`, allowed: staffOrAdmin, strict: true, secrets },
      { method: 'POST', route: `${b}/holds/{id}/admission`, path: `${b}/holds/${held['id']}/admission`, body: admissionBody, allowed: ['staffOwner'], strict: true, secrets },
      { method: 'GET', route: `${b}/institutions/{id}/admissions`, path: `${b}/institutions/${x}/admissions`, allowed: staffOrAdmin, strict: true, secrets },
      // One admission with its transfers' reasons and stage reviews: health text, opened for the owner's staff (and admins) only.
      { method: 'GET', route: `${b}/admissions/{id}`, path: `${b}/admissions/${stayId}`, allowed: staffOrAdmin, strict: true, secrets },
      { method: 'POST', route: `${b}/admissions/{id}/episode-review`, path: `${b}/admissions/${stayId}/episode-review`, body: { condition: 'stable', decision: 'continue' }, allowed: ['staffOwner'], strict: true },
      { method: 'POST', route: `${b}/admissions/{id}/emergency-transfer`, path: `${b}/admissions/${stayId}/emergency-transfer`, body: { reason: '突发胸痛' }, allowed: ['staffOwner'], strict: true, order: 1 },
      { method: 'POST', route: `${b}/admissions/{id}/return`, path: `${b}/admissions/${stayId}/return`, allowed: ['staffOwner'], strict: true, order: 2 },
      { method: 'POST', route: `${b}/admissions/{id}/discharge`, path: `${b}/admissions/${stayId}/discharge`, body: { reason: 'recovered' }, allowed: ['staffOwner'], strict: true, order: 3 },
    ];
    if (policy.visits) routes.push(...(await visitRoutes(b, x, stayId, staffX, secrets)));
    return routes.map((c) => ({ ...c, owner: staffX }));
  }

  /** A home bed's visit routes, on a plan of the admission and a visit of it due now. */
  async function visitRoutes(b: string, x: string, stayId: string, staffX: string, secrets: string[]): Promise<RouteCase[]> {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const plan = { divisionCode: '371702', workerId: 'fixture-staff', startsOn: today, endsOn: today, slots: [{ weekdays: [1, 2, 3, 4, 5, 6, 7], start: '08:00', windowMinutes: 60, items: [] }] };
    const set = await call(site.url, 'PUT', `${b}/admissions/${stayId}/plan`, plan, staffX);
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const window = { purpose: 'service', windowStart: new Date(Date.now() - 60_000).toISOString(), windowEnd: new Date(Date.now() + 7_200_000).toISOString() };
    const added = await call(site.url, 'POST', `${b}/plans/${set.body['planId'] as string}/visits`, window, staffX);
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const v = `${b}/visits/${added.body['visitId'] as string}`;
    const owner: Caller[] = ['staffOwner'];
    return [
      { method: 'GET', route: `${b}/visit-catalogue`, path: `${b}/visit-catalogue`, allowed: SIGNED_IN, strict: true },
      { method: 'PUT', route: `${b}/admissions/{id}/plan`, path: `${b}/admissions/${stayId}/plan`, body: plan, allowed: owner, strict: true, secrets },
      { method: 'GET', route: `${b}/admissions/{id}/plan`, path: `${b}/admissions/${stayId}/plan`, allowed: owner, strict: true, secrets },
      { method: 'POST', route: `${b}/plans/{id}/visits`, path: `${b}/plans/${set.body['planId'] as string}/visits`, body: window, allowed: owner, strict: true, secrets },
      { method: 'GET', route: `${b}/institutions/{id}/visits`, path: `${b}/institutions/${x}/visits`, allowed: owner, strict: true, secrets },
      { method: 'GET', route: `${b}/visits/{id}`, path: v, allowed: owner, strict: true, secrets },
      { method: 'GET', route: `${b}/visits/{id}/code`, path: `${v}/code`, allowed: owner, strict: true, secrets },
      { method: 'POST', route: `${b}/visits/{id}/check-in`, path: `${v}/check-in`, allowed: owner, strict: true, secrets },
      { method: 'POST', route: `${b}/visits/{id}/check-out`, path: `${v}/check-out`, body: { items: [], confirmation: { method: 'none' } }, allowed: owner, strict: true, secrets, order: 1 },
    ];
  }

  /** The token a caller knocks with on a route: bed routes have an owner of their own. */
  const callerToken = (c: RouteCase, caller: Caller): string | undefined => (caller === 'staffOwner' && c.owner ? c.owner : tokens[caller]);

  it('has a rule for every route of the public API document, and no rule for a route that does not exist', async () => {
    const doc = await call(site.url, 'GET', '/docs/json');
    const documented = Object.entries(doc.body['paths'] as Record<string, Record<string, unknown>>)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
      .filter((r) => r.includes(' /api/'))
      .sort();
    const covered = [...new Set(cases.map((c) => `${c.method} ${c.route}`))].sort();
    expect(covered).toEqual(documented);
  });

  it('refuses every caller a route is not for: 401 without a token, 403 otherwise, with no data of the record', async () => {
    const wrong: string[] = [];
    let refusals = 0;
    for (const c of cases) {
      for (const caller of CALLERS.filter((k) => !c.allowed.includes(k))) {
        const r = await call(site.url, c.method, c.path, c.body, callerToken(c, caller), c.contentType);
        refusals += 1;
        const expected = caller === 'anonymous' ? 401 : 403;
        if (r.status !== expected) {
          wrong.push(`${caller} ${c.method} ${c.path}: ${r.status} (expected ${expected}) ${JSON.stringify(r.body).slice(0, 200)}`);
          continue;
        }
        if (!(r.headers.get('content-type') ?? '').includes('application/problem+json')) wrong.push(`${caller} ${c.method} ${c.path}: not problem+json`);
        const extra = Object.keys(r.body).filter((k) => !PROBLEM_KEYS.includes(k));
        if (extra.length > 0) wrong.push(`${caller} ${c.method} ${c.path}: fields beyond the problem: ${extra.join(', ')}`);
        const text = JSON.stringify({ ...r.body, instance: undefined });
        for (const secret of c.secrets ?? []) if (text.includes(secret)) wrong.push(`${caller} ${c.method} ${c.path}: the refusal names ${secret}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(refusals).toBeGreaterThan(500);
  });

  it('lets every caller a route is for past authorization, onto the record itself', async () => {
    const wrong: string[] = [];
    const ordered = [...cases].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
    for (const c of ordered) {
      for (const caller of c.allowed) {
        if (c.stream) {
          const events = await openEvents(site.url, c.path, callerToken(c, caller));
          events.close();
          if (events.status !== 200 || !events.contentType.startsWith('text/event-stream')) wrong.push(`${caller} ${c.method} ${c.path}: ${events.status} ${events.contentType}`);
          continue;
        }
        const r = await call(site.url, c.method, c.path, c.body, callerToken(c, caller), c.contentType);
        if (c.answers) {
          if (!c.answers.includes(r.status)) wrong.push(`${caller} ${c.method} ${c.path}: ${r.status}, expected one of ${c.answers.join(', ')}`);
          continue;
        }
        const refused = r.status === 401 || r.status === 403 || r.status >= 500;
        const offRecord = c.strict && !(r.status < 300 || r.status === 409);
        if (refused || offRecord) wrong.push(`${caller} ${c.method} ${c.path}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps lists to the caller\'s own institution: another hospital\'s referrals, another provider\'s inbox', async () => {
    const theirs = await call(site.url, 'GET', '/api/referrals', undefined, tokens.plannerOther);
    expect(theirs.status).toBe(200);
    expect(theirs.body).toEqual([]);
    const mine = (await call(site.url, 'GET', '/api/referrals', undefined, tokens.plannerOrigin)).body as unknown as Body[];
    expect(mine.length).toBeGreaterThan(0);
    const origin = mine[0]!['originInstitutionId'] as string;
    expect(mine.every((r) => r['originInstitutionId'] === origin)).toBe(true);
    const asked = await call(site.url, 'GET', `/api/referrals?originInstitutionId=${origin}`, undefined, tokens.plannerOther);
    expect(asked.status).toBe(403);
    expect(JSON.stringify(asked.body)).not.toContain('elderRef');
    // A token signed with another secret, or expired, is refused outright.
    const forged = tokenFor({ url: site.url, authSecret: 'not-the-secret' }, { userId: 'x', role: 'admin' });
    expect((await call(site.url, 'GET', '/api/referrals', undefined, forged)).status).toBe(401);
  });
});
