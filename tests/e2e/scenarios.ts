import { waitFor } from '@fbl/testing';
import { expect } from 'vitest';
import { careHome, dischargeRequest, FOLLOW_UP, hospital } from '../support/builders.js';
import { adminOf, plannerAt, staffOf, type Site } from '../support/actors.js';
import { call } from '../support/http.js';

export { careHome, creditCode, dischargeRequest, hospital } from '../support/builders.js';

// Response bodies are read loosely here; each test asserts the fields it relies on.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

/** Register an institution at a bed service (as the admin); returns its id. */
export async function register(site: Site, service: string, body: object): Promise<string> {
  const r = await call(site.url, 'POST', `/api/${service}/institutions`, body, adminOf(site));
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body['id'] as string;
}

/** Wait until the workflow's matching sees an institution's capacity. */
export async function waitUntilMatchable(site: Site, institutionId: string, free = 1) {
  await waitFor(async () => {
    const r = await call(site.url, 'GET', '/api/referrals/capacity', undefined, adminOf(site));
    return (r.body as unknown as { institutionId: string; free: number }[]).some((c) => c.institutionId === institutionId && c.free >= free);
  }, { what: `the workflow to see the capacity of ${institutionId}`, timeoutMs: 30_000 });
}

/** Read a referral (as the admin). */
export async function referral(site: Site, id: string): Promise<Body> {
  const r = await call(site.url, 'GET', `/api/referrals/${id}`, undefined, adminOf(site));
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

/** Wait until a referral reaches `state`. */
export function waitForState(site: Site, id: string, state: string, timeoutMs = 30_000): Promise<Body> {
  return waitFor(async () => {
    const r = await referral(site, id);
    return r['state'] === state ? r : undefined;
  }, { what: `referral ${id} to reach ${state}`, timeoutMs });
}

/** Answer every open offer of a referral, each by the offered provider's staff: accept `accept`'s, decline the others. */
export async function answerOffers(site: Site, id: string, accept: string[]) {
  const r = await referral(site, id);
  for (const offer of (r['offers'] as Body[]).filter((o) => o['status'] === 'open')) {
    const path = `/api/referrals/${id}/offers/${offer['id']}/${accept.includes(offer['institutionId']) ? 'accept' : 'decline'}`;
    const answer = await call(site.url, 'POST', path, accept.includes(offer['institutionId']) ? {} : { reasonCode: 'no-capacity' }, staffOf(site, offer['institutionId'] as string));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  }
}

/**
 * One referral from a discharge planner's request to the closed loop, through the public API only:
 * offered to the care home, accepted, chosen by the family, the bed held (a message round trip
 * with the bed service), the arrival recorded, the follow-up sent.
 */
export async function referralToClosedLoop(site: Site) {
  const hospitalId = await register(site, 'medical-beds', hospital('测试医院', 5));
  const homeId = await register(site, 'care-beds', careHome('测试护理院', 2));
  await waitUntilMatchable(site, homeId);
  const planner = plannerAt(site, hospitalId);
  const staff = staffOf(site, homeId);

  const created = await call(site.url, 'POST', '/api/referrals', dischargeRequest(hospitalId), planner);
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  const id = created.body['id'] as string;
  expect(created.headers.get('location')).toBe(`/api/referrals/${id}`);

  const offering = await waitForState(site, id, 'offering');
  const ours = (offering['offers'] as Body[]).find((o) => o['institutionId'] === homeId);
  expect(ours, 'the care home is offered the referral').toBeDefined();
  expect((offering['ranking'] as Body)['candidates'][0]['reasons'].length).toBeGreaterThan(0);
  await answerOffers(site, id, [homeId]);
  await waitForState(site, id, 'choosing');
  expect((await call(site.url, 'POST', `/api/referrals/${id}/choice`, { offerId: ours!['id'] }, planner)).status).toBe(200);

  const transferring = await waitForState(site, id, 'transferring');
  const holdId = (transferring['hold'] as Body)['holdId'] as string;
  expect((await call(site.url, 'GET', `/api/care-beds/institutions/${homeId}`, undefined, staff)).body['capacity']).toMatchObject({ total: 2, free: 1, held: 1 });
  expect((await call(site.url, 'POST', `/api/care-beds/holds/${holdId}/admission`, {}, staff)).status).toBe(200);
  await waitForState(site, id, 'followUp');
  const due = (await call(site.url, 'GET', `/api/referrals/follow-ups/${homeId}`, undefined, staff)).body as unknown as Body[];
  expect(due.map((r) => r['id'])).toContain(id);
  expect((await call(site.url, 'POST', `/api/referrals/${id}/follow-up`, FOLLOW_UP, staff)).status).toBe(200);
  const after = (await call(site.url, 'GET', `/api/referrals/follow-ups/${homeId}`, undefined, staff)).body as unknown as Body[];
  expect(after.map((r) => r['id'])).not.toContain(id);
  const closed = await waitForState(site, id, 'closed');
  const steps = (closed['timeline'] as Body[]).map((s) => s['to']);
  for (const stage of ['matching', 'offering', 'choosing', 'reserving', 'transferring', 'followUp', 'closed']) expect(steps).toContain(stage);
  expect((await call(site.url, 'GET', `/api/care-beds/institutions/${homeId}`, undefined, staff)).body['capacity']).toMatchObject({ total: 2, free: 1, occupied: 1 });
  return { id, homeId, hospitalId, holdId };
}
