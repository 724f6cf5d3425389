import { waitFor } from '@fbl/testing';
import { expect } from 'vitest';
import { careHome, dischargeRequest, hospital } from '../support/builders.js';
import { call } from '../support/http.js';

export { careHome, creditCode, dischargeRequest, hospital } from '../support/builders.js';

// Response bodies are read loosely here; each test asserts the fields it relies on.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

/** Register an institution at a bed service; returns its id. */
export async function register(baseUrl: string, service: string, body: object): Promise<string> {
  const r = await call(baseUrl, 'POST', `/api/${service}/institutions`, body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body['id'] as string;
}

/** Wait until the workflow's matching sees an institution's capacity. */
export async function waitUntilMatchable(baseUrl: string, institutionId: string, free = 1) {
  await waitFor(async () => {
    const r = await call(baseUrl, 'GET', '/api/referrals/capacity');
    return (r.body as unknown as { institutionId: string; free: number }[]).some((c) => c.institutionId === institutionId && c.free >= free);
  }, { what: `the workflow to see the capacity of ${institutionId}`, timeoutMs: 30_000 });
}

/** Read a referral. */
export async function referral(baseUrl: string, id: string): Promise<Body> {
  return (await call(baseUrl, 'GET', `/api/referrals/${id}`)).body;
}

/** Wait until a referral reaches `state`. */
export function waitForState(baseUrl: string, id: string, state: string, timeoutMs = 30_000): Promise<Body> {
  return waitFor(async () => {
    const r = await referral(baseUrl, id);
    return r['state'] === state ? r : undefined;
  }, { what: `referral ${id} to reach ${state}`, timeoutMs });
}

/** Answer every open offer of a referral: accept `accept`'s, decline the others. */
export async function answerOffers(baseUrl: string, id: string, accept: string[]) {
  const r = await referral(baseUrl, id);
  for (const offer of (r['offers'] as Body[]).filter((o) => o['status'] === 'open')) {
    const path = `/api/referrals/${id}/offers/${offer['id']}/${accept.includes(offer['institutionId']) ? 'accept' : 'decline'}`;
    const answer = await call(baseUrl, 'POST', path, accept.includes(offer['institutionId']) ? { recordedBy: 'staff-1' } : { recordedBy: 'staff-1', reasonCode: 'no-capacity' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  }
}

/**
 * One referral from a discharge planner's request to the closed loop, through the public API only:
 * offered to the care home, accepted, chosen by the family, the bed held (a message round trip
 * with the bed service), the arrival recorded, the follow-up sent.
 */
export async function referralToClosedLoop(baseUrl: string) {
  const hospitalId = await register(baseUrl, 'medical-beds', hospital('测试医院', 5));
  const homeId = await register(baseUrl, 'care-beds', careHome('测试护理院', 2));
  await waitUntilMatchable(baseUrl, homeId);

  const created = await call(baseUrl, 'POST', '/api/referrals', dischargeRequest(hospitalId));
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  const id = created.body['id'] as string;
  expect(created.headers.get('location')).toBe(`/api/referrals/${id}`);

  const offering = await waitForState(baseUrl, id, 'offering');
  const ours = (offering['offers'] as Body[]).find((o) => o['institutionId'] === homeId);
  expect(ours, 'the care home is offered the referral').toBeDefined();
  expect((offering['ranking'] as Body)['candidates'][0]['reasons'].length).toBeGreaterThan(0);
  await answerOffers(baseUrl, id, [homeId]);
  await waitForState(baseUrl, id, 'choosing');
  expect((await call(baseUrl, 'POST', `/api/referrals/${id}/choice`, { offerId: ours!['id'], recordedBy: 'planner-1' })).status).toBe(200);

  const transferring = await waitForState(baseUrl, id, 'transferring');
  const holdId = (transferring['hold'] as Body)['holdId'] as string;
  expect((await call(baseUrl, 'GET', `/api/care-beds/institutions/${homeId}`)).body['capacity']).toMatchObject({ total: 2, free: 1, held: 1 });
  expect((await call(baseUrl, 'POST', `/api/care-beds/holds/${holdId}/admission`, {})).status).toBe(200);
  await waitForState(baseUrl, id, 'followUp');
  expect((await call(baseUrl, 'POST', `/api/referrals/${id}/follow-up`, { recordedBy: 'staff-1' })).status).toBe(200);
  const closed = await waitForState(baseUrl, id, 'closed');
  const steps = (closed['timeline'] as Body[]).map((s) => s['to']);
  for (const stage of ['matching', 'offering', 'choosing', 'reserving', 'transferring', 'followUp', 'closed']) expect(steps).toContain(stage);
  expect((await call(baseUrl, 'GET', `/api/care-beds/institutions/${homeId}`)).body['capacity']).toMatchObject({ total: 2, free: 1, occupied: 1 });
  return { id, homeId, hospitalId, holdId };
}
