import { signToken } from '@fbl/auth';
import { residentIdCheckChar } from '@fbl/codes';
import { generateKey } from '@fbl/privacy';
import { describeWithKafkaAndPostgres, waitFor } from '@fbl/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { plannerAt } from '../support/actors.js';
import { startDistributedSystem, type DistributedSystem } from '../support/system.js';
import { careHome, register, waitForState, waitUntilMatchable } from './scenarios.js';

const secrets = { AUTH_SECRET: 'eligibility-e2e-secret', PII_ENCRYPTION_KEY: generateKey(), PII_HASH_KEY: generateKey() };
const assessor = signToken({ userId: 'assessor-e2e', role: 'assessor', divisionCode: '371700' }, secrets.AUTH_SECRET, { now: new Date(), ttlSeconds: 3600 });
const insurer = signToken({ userId: 'insurer-e2e', role: 'insurer', divisionCode: '371700' }, secrets.AUTH_SECRET, { now: new Date(), ttlSeconds: 3600 });
const first17 = '37172219400315204';
const ID_NUMBER = first17 + residentIdCheckChar(first17);

async function authed(baseUrl: string, method: string, path: string, body?: object, token = assessor) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * The referral's eligibility step against civil affairs over real Kafka: an elder without a
 * current ability assessment waits in eligibility; the workflow asks civil affairs (AssessAbility);
 * the request reaches the assessors' queue; the assessment is recorded; AbilityAssessed moves the
 * referral on to matching and offers.
 */
describeWithKafkaAndPostgres('eligibility across the workflow and civil affairs', () => {
  let system: DistributedSystem;
  beforeAll(async () => {
    system = await startDistributedSystem(['care-beds', 'referral-workflow', 'civil-affairs', 'medical-insurance'], { 'civil-affairs': secrets, 'medical-insurance': { AUTH_SECRET: secrets.AUTH_SECRET } });
  });
  afterAll(async () => {
    const codes = await system?.stop();
    expect(codes?.every((c) => c === 0), `every service stops cleanly: ${codes?.join(', ')}`).toBe(true);
  });

  it('asks civil affairs for an assessment and goes on to offers when it arrives', async () => {
    const elder = await authed(system.url, 'POST', '/api/civil-affairs/elders', {
      idNumber: ID_NUMBER,
      name: '资格测试老人',
      gender: 'female',
      birthDate: '1940-03-15',
      address: { divisionCode: '371722', line: '单县某街道' },
      consent: { healthData: true, givenBy: 'guardian' },
    });
    expect(elder.status, JSON.stringify(elder.body)).toBe(201);
    const elderRef = elder.body['id'] as string;
    const home = await register(system, 'care-beds', careHome('资格测试护理院', 3, '371722'));
    await waitUntilMatchable(system, home);

    const created = await fetch(`${system.url}/api/referrals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${plannerAt(system, '0192f3b2-7c1a-7000-8000-00000000bbbb')}` },
      body: JSON.stringify({ elderRef, origin: { institutionId: '0192f3b2-7c1a-7000-8000-00000000bbbb', divisionCode: '371722' }, requestedBedTypes: ['care'], requirements: { nursingType: true } }),
    });
    const { id } = (await created.json()) as { id: string };
    await waitForState(system, id, 'eligibility');

    const queued = await waitFor(async () => {
      const queue = (await authed(system.url, 'GET', '/api/civil-affairs/assessment-requests')).body as unknown as { elderRef: string; referralId: string }[];
      return queue.find((q) => q.elderRef === elderRef);
    }, { what: 'the assessment request in the assessors queue' });
    expect(queued.referralId).toBe(id);

    const answers = Object.fromEntries(
      ['eating', 'grooming', 'bathing', 'dressingUpper', 'dressingLower', 'urineControl', 'bowelControl', 'toileting', 'bedPositioning', 'bedChairTransfer', 'walkingFlat', 'orientationTime', 'orientationPlace', 'orientationPerson', 'memory', 'understanding', 'expression', 'dailyAffairs', 'socialInteraction'].map((k) => [k, 1]),
    );
    Object.assign(answers, { stairs: 0, aggression: 1, depressiveSymptoms: 1, consciousness: 2, vision: 1, hearing: 1, goingOut: 0 });
    const assessed = await authed(system.url, 'POST', `/api/civil-affairs/elders/${elderRef}/assessments`, { answers, adjustments: {}, assessors: ['a-1', 'a-2'], reason: 'immediate', assessedOn: new Date().toISOString().slice(0, 10) });
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(201);
    expect(assessed.body['level']).toBeGreaterThanOrEqual(3);

    const offering = await waitForState(system, id, 'offering');
    const ability = (offering['timeline'] as { event: string; actor: object }[]).find((s) => s.event === 'AbilityAssessed');
    expect(ability?.actor).toEqual({ kind: 'service', service: 'civil-affairs', institutionName: null });
    expect((offering['offers'] as { institutionId: string }[]).map((o) => o.institutionId)).toContain(home);
  });

  it('asks medical insurance about LTCI and goes on when the officer decides', async () => {
    const elderRef = `ltci-${Date.now()}`;
    const home = await register(system, 'care-beds', careHome('长护险测试护理院', 3, '371728'));
    await waitUntilMatchable(system, home);
    const created = await fetch(`${system.url}/api/referrals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${plannerAt(system, '0192f3b2-7c1a-7000-8000-00000000cccc')}` },
      body: JSON.stringify({
        elderRef,
        origin: { institutionId: '0192f3b2-7c1a-7000-8000-00000000cccc', divisionCode: '371728' },
        requestedBedTypes: ['care'],
        wantsLtci: true,
        facts: { abilityLevel: 3, abilityAssessedOn: new Date().toISOString().slice(0, 10) },
      }),
    });
    const { id } = (await created.json()) as { id: string };
    await waitForState(system, id, 'eligibility');
    const application = await waitFor(async () => {
      const queue = (await authed(system.url, 'GET', '/api/medical-insurance/applications', undefined, insurer)).body as unknown as { id: string; elderRef: string }[];
      return Array.isArray(queue) ? queue.find((a) => a.elderRef === elderRef) : undefined;
    }, { what: 'the LTCI application opened by the referral' });
    const refused = await authed(system.url, 'POST', `/api/medical-insurance/applications/${application.id}/refuse`, { ground: 'not-insured' }, insurer);
    expect(refused.status, JSON.stringify(refused.body)).toBe(200);
    const offering = await waitForState(system, id, 'offering');
    const step = (offering['timeline'] as { event: string; actor: object }[]).find((s) => s.event === 'LtciRefused');
    expect(step?.actor).toEqual({ kind: 'service', service: 'medical-insurance', institutionName: null });
  });
});
