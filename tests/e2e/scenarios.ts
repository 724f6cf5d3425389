import { creditCodeCheckChar } from '@fbl/codes';
import { waitFor } from '@fbl/testing';
import { expect } from 'vitest';
import { call } from '../support/http.js';

let made = 0;
/** A care home registration with `beds` nursing-type beds and a made-up valid credit code. */
export function careHome(name: string, beds: number) {
  made += 1;
  const first17 = `52371702MA${String(Date.now() % 1_000_000).padStart(6, '0')}${made % 10}`;
  return {
    name,
    creditCode: first17 + creditCodeCheckChar(first17),
    divisionCode: '371702',
    kind: 'care-home',
    ownership: 'private',
    units: [{ kind: 'bed', count: beds, attributes: { nursingType: true } }],
  };
}

/**
 * One referral from a discharge planner's request to the elder's admission, through the public
 * API only: register a care home, request a bed, wait for the hold (a message round trip between
 * the workflow and the bed service), record the admission, wait for the workflow to see it.
 */
export async function referralToAdmission(baseUrl: string) {
  const home = await call(baseUrl, 'POST', '/api/care-beds/institutions', careHome('测试护理院', 2));
  expect(home.status).toBe(201);
  const institutionId = home.body['id'] as string;

  const created = await call(baseUrl, 'POST', '/api/referrals', { elderRef: 'elder-e2e-1', institutionId });
  expect(created.status).toBe(202);
  const referralId = created.body['id'] as string;
  expect(created.headers.get('location')).toBe(`/api/referrals/${referralId}`);

  const held = await waitFor(
    async () => {
      const r = await call(baseUrl, 'GET', `/api/referrals/${referralId}`);
      return r.body['state'] === 'bedHeld' ? r.body : undefined;
    },
    { what: `referral ${referralId} to reach bedHeld`, timeoutMs: 30_000 },
  );
  const holdId = held['holdId'] as string;
  const hold = await call(baseUrl, 'GET', `/api/care-beds/holds/${holdId}`);
  expect(hold.body).toMatchObject({ referralId, institutionId, status: 'active' });
  expect((await call(baseUrl, 'GET', `/api/care-beds/institutions/${institutionId}`)).body['capacity']).toMatchObject({ total: 2, free: 1, held: 1, occupied: 0 });

  const admission = await call(baseUrl, 'POST', `/api/care-beds/holds/${holdId}/admission`);
  expect(admission.status).toBe(200);

  const admitted = await waitFor(
    async () => {
      const r = await call(baseUrl, 'GET', `/api/referrals/${referralId}`);
      return r.body['state'] === 'admitted' ? r.body : undefined;
    },
    { what: `referral ${referralId} to reach admitted`, timeoutMs: 30_000 },
  );
  expect((admitted['timeline'] as { event: string; to: string }[]).map((s) => [s.event, s.to])).toEqual([
    ['ReferralRequested', 'requested'],
    ['BedHeld', 'bedHeld'],
    ['AdmissionRecorded', 'admitted'],
  ]);
  expect((await call(baseUrl, 'GET', `/api/care-beds/institutions/${institutionId}`)).body['capacity']).toMatchObject({ total: 2, free: 1, held: 0, occupied: 1 });
  const again = await call(baseUrl, 'POST', `/api/care-beds/holds/${holdId}/admission`);
  expect(again.status).toBe(409);
  return { referralId, institutionId, holdId };
}
