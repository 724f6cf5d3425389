import { describeWithKafkaAndPostgres, waitFor } from '@fbl/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminOf, plannerAt, staffOf } from '../support/actors.js';
import { FOLLOW_UP } from '../support/builders.js';
import { call } from '../support/http.js';
import { startDistributedSystem, type DistributedSystem } from '../support/system.js';
import { answerOffers, careHome, dischargeRequest, hospital, referral, register, waitForState, waitUntilMatchable } from './scenarios.js';

// Response bodies are read loosely here; each test asserts the fields it relies on.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

const OFFER_SECONDS = 4;

/**
 * The referral journeys over real Kafka and PostgreSQL, each service its own process: declined
 * everywhere, a deadline passing while the workflow is down, the chosen bed taken meanwhile,
 * cancellation, and the round trip to hospital and back to the kept bed.
 */
describeWithKafkaAndPostgres('referral journeys across separate processes', () => {
  let system: DistributedSystem;
  let hospitalId: string;

  beforeAll(async () => {
    system = await startDistributedSystem(['care-beds', 'medical-beds', 'referral-workflow'], {
      'referral-workflow': { OFFER_DEADLINE_SECONDS: String(OFFER_SECONDS), GREEN_CHANNEL_OFFER_DEADLINE_SECONDS: '60' },
    });
    hospitalId = await hospitalIn('371723');
  });
  afterAll(async () => {
    const codes = await system?.stop();
    expect(codes?.every((c) => c === 0), `every service stops cleanly: ${codes?.join(', ')}`).toBe(true);
  });

  const hospitals = new Map<string, string>();
  /** The test hospital of a county (a referral leaves from a hospital's own division), registered on first use. */
  async function hospitalIn(divisionCode: string): Promise<string> {
    let id = hospitals.get(divisionCode);
    if (!id) hospitals.set(divisionCode, (id = await register(system, 'medical-beds', hospital(`旅程测试医院${divisionCode}`, 10, divisionCode))));
    return id;
  }

  /**
   * Start a referral from the test hospital of `divisionCode`, and wait for its
   * offers. Each test keeps its care homes in a county of its own, so they rank first.
   */
  async function referralOffered(divisionCode: string, extra: object = {}): Promise<{ id: string; offers: Body[]; from: string }> {
    const from = await hospitalIn(divisionCode);
    const created = await call(system.url, 'POST', '/api/referrals', dischargeRequest(from, { origin: { institutionId: from, divisionCode }, ...extra }), plannerAt(system, from));
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const id = created.body['id'] as string;
    const offering = await waitForState(system, id, 'offering');
    return { id, offers: offering['offers'] as Body[], from };
  }

  it('widens the match once when every provider declines, then escalates with the history', async () => {
    const homes = [await register(system, 'care-beds', careHome('拒绝测试一院', 1, '371721')), await register(system, 'care-beds', careHome('拒绝测试二院', 1, '371721'))];
    for (const h of homes) await waitUntilMatchable(system, h);
    // Every provider offered declines, round after round: the match is widened once, then escalated.
    const { id: referralId } = await referralOffered('371721', { widerBedTypes: ['home-care'] });
    for (let round = 0; round < 3; round++) {
      const r = await waitFor(async () => {
        const now = await referral(system, referralId);
        return now['state'] === 'offering' || now['state'] === 'escalated' ? now : undefined;
      }, { what: 'offers or escalation', timeoutMs: 30_000 });
      if (r['state'] === 'escalated') break;
      await answerOffers(system, referralId, []);
      await waitFor(async () => (await referral(system, referralId))['offers'].every((o: Body) => o['status'] !== 'open'), { what: 'every offer answered' });
    }
    const escalated = await waitForState(system, referralId, 'escalated');
    expect(escalated['widened']).toBe(true);
    expect(escalated['escalation']).toMatch(/declined|no provider/);
    expect((escalated['offers'] as Body[]).every((o) => o['status'] === 'declined')).toBe(true);
    const events = (escalated['timeline'] as Body[]).map((s) => s['event']);
    expect(events.filter((e) => e === 'MatchesFound').length).toBeGreaterThanOrEqual(1);
    expect(events).toContain('OfferDeclined');
  });

  it('expires an offer whose deadline passed while the workflow was stopped', async () => {
    const home = await register(system, 'care-beds', careHome('期限测试院', 1, '371725'));
    await waitUntilMatchable(system, home);
    const { id } = await referralOffered('371725');
    await system.restart('referral-workflow', () => new Promise((resolve) => setTimeout(resolve, (OFFER_SECONDS + 1) * 1000)));
    const after = await waitFor(async () => {
      const r = await referral(system, id);
      return (r['timeline'] as Body[]).some((s) => s['event'] === 'OfferExpired' && s['actor']['kind'] === 'deadline' && String(s['actor']['deadline']).startsWith('offer:')) ? r : undefined;
    }, { what: 'the offer deadline to fire after the restart', timeoutMs: 30_000 });
    expect((after['offers'] as Body[]).some((o) => o['status'] === 'expired')).toBe(true);
  });

  it('goes back to choosing when the chosen bed is taken meanwhile', async () => {
    const first = await register(system, 'care-beds', careHome('被占测试一院', 1, '371726'));
    const second = await register(system, 'care-beds', careHome('被占测试二院', 1, '371726'));
    for (const h of [first, second]) await waitUntilMatchable(system, h);
    const { id, offers, from } = await referralOffered('371726');
    const ours = offers.filter((o) => o['institutionId'] === first || o['institutionId'] === second);
    expect(ours.length, 'both test homes offered').toBe(2);
    await answerOffers(system, id, [first, second]);
    await waitForState(system, id, 'choosing');
    // The first home's only bed goes out of service before the family's choice arrives.
    const units = (await call(system.url, 'GET', `/api/care-beds/institutions/${first}/units`, undefined, staffOf(system, first))).body as unknown as Body[];
    expect((await call(system.url, 'PATCH', `/api/care-beds/units/${units[0]!['id']}`, { inService: false }, staffOf(system, first))).status).toBe(200);
    const firstOffer = ours.find((o) => o['institutionId'] === first)!;
    expect((await call(system.url, 'POST', `/api/referrals/${id}/choice`, { offerId: firstOffer['id'] }, plannerAt(system, from))).status).toBe(200);
    const back = await waitFor(async () => {
      const r = await referral(system, id);
      return r['state'] === 'choosing' && (r['timeline'] as Body[]).some((s) => s['event'] === 'BedHoldRejected') ? r : undefined;
    }, { what: 'back to choosing after the hold was refused' });
    expect((back['offers'] as Body[]).find((o) => o['institutionId'] === first)?.['status']).toBe('unavailable');
    const secondOffer = ours.find((o) => o['institutionId'] === second)!;
    expect((await call(system.url, 'POST', `/api/referrals/${id}/choice`, { offerId: secondOffer['id'] }, plannerAt(system, from))).status).toBe(200);
    const transferring = await waitForState(system, id, 'transferring');
    expect(transferring['hold']['institutionId']).toBe(second);
  });

  it('releases the held bed when the referral is cancelled', async () => {
    const home = await register(system, 'care-beds', careHome('取消测试院', 1, '371724'));
    await waitUntilMatchable(system, home);
    const { id, offers, from } = await referralOffered('371724');
    const ours = offers.find((o) => o['institutionId'] === home);
    expect(ours).toBeDefined();
    await answerOffers(system, id, [home]);
    await waitForState(system, id, 'choosing');
    await call(system.url, 'POST', `/api/referrals/${id}/choice`, { offerId: ours!['id'] }, plannerAt(system, from));
    await waitForState(system, id, 'transferring');
    expect((await call(system.url, 'GET', `/api/care-beds/institutions/${home}`, undefined, adminOf(system))).body['capacity']).toMatchObject({ held: 1 });
    expect((await call(system.url, 'POST', `/api/referrals/${id}/cancel`, { reason: 'family-withdrew' }, plannerAt(system, from))).status).toBe(200);
    const cancelled = await waitForState(system, id, 'cancelled');
    expect((cancelled['offers'] as Body[]).filter((o) => o['status'] === 'open')).toEqual([]);
    await waitFor(async () => ((await call(system.url, 'GET', `/api/care-beds/institutions/${home}`, undefined, adminOf(system))).body as Body)['capacity']['free'] === 1, { what: 'the hold released at the care home' });
  });

  it('takes a resident to hospital and back to the kept bed', async () => {
    // A resident of a care home partnered with the hospital (green channel).
    const home = await register(system, 'care-beds', { ...careHome('往返测试院', 2, '371723'), greenChannelPartners: [hospitalId] });
    await waitUntilMatchable(system, home);
    const { id: firstId, offers } = await referralOffered('371723');
    await answerOffers(system, firstId, [home]);
    await waitForState(system, firstId, 'choosing');
    await call(system.url, 'POST', `/api/referrals/${firstId}/choice`, { offerId: offers.find((o) => o['institutionId'] === home)!['id'] }, plannerAt(system, hospitalId));
    const moving = await waitForState(system, firstId, 'transferring');
    const admission = await call(system.url, 'POST', `/api/care-beds/holds/${moving['hold']['holdId']}/admission`, {}, staffOf(system, home));
    const careStay = admission.body['admissionId'] as string;

    // Acute illness: staff start an urgent transfer; the bed is kept (留床).
    const transfer = await call(system.url, 'POST', `/api/care-beds/admissions/${careStay}/emergency-transfer`, { reason: '突发高热伴意识模糊' }, staffOf(system, home));
    expect(transfer.body).toMatchObject({ bedKept: true });
    const urgent = await waitFor(async () => {
      const list = (await call(system.url, 'GET', `/api/referrals?originInstitutionId=${home}`, undefined, staffOf(system, home))).body as unknown as Body[];
      return list.find((r) => r['kind'] === 'urgent-transfer');
    }, { what: 'the urgent referral created from the transfer' });
    expect(urgent['urgency']).toBe('green-channel');
    const urgentOffering = await waitForState(system, urgent['id'], 'offering');
    const hospitalOffer = (urgentOffering['offers'] as Body[]).find((o) => o['institutionId'] === hospitalId);
    expect(hospitalOffer, 'the partner hospital is offered first').toMatchObject({ rank: 1 });
    // The reason crossed Kafka sealed (care-beds and the workflow share PII_ENCRYPTION_KEY): the hospital's staff read it in the inbox.
    const inbox = (await call(system.url, 'GET', `/api/referrals/inbox/${hospitalId}?view=pending`, undefined, staffOf(system, hospitalId))).body as unknown as Body[];
    expect(inbox.find((o) => o['referralId'] === urgent['id'])?.['summary']).toMatchObject({ basis: 'emergency', transferReason: '突发高热伴意识模糊' });
    await answerOffers(system, urgent['id'], [hospitalId]);
    await waitForState(system, urgent['id'], 'choosing');
    await call(system.url, 'POST', `/api/referrals/${urgent['id']}/choice`, { offerId: hospitalOffer!['id'] }, staffOf(system, home));
    const toHospital = await waitForState(system, urgent['id'], 'transferring');
    const hospitalStay = (await call(system.url, 'POST', `/api/medical-beds/holds/${toHospital['hold']['holdId']}/admission`, {}, staffOf(system, hospitalId))).body['admissionId'] as string;
    await waitForState(system, urgent['id'], 'followUp');
    expect((await call(system.url, 'GET', `/api/care-beds/institutions/${home}`, undefined, staffOf(system, home))).body['capacity']).toMatchObject({ kept: 1 });

    // Treated: the hospital discharges toward the kept bed; a return referral takes the short path.
    expect((await call(system.url, 'POST', `/api/medical-beds/admissions/${hospitalStay}/discharge`, { reason: 'recovered', destination: 'care' }, staffOf(system, hospitalId))).status).toBe(200);
    const back = await waitFor(async () => {
      const list = (await call(system.url, 'GET', `/api/referrals?originInstitutionId=${hospitalId}&state=returning`, undefined, plannerAt(system, hospitalId))).body as unknown as Body[];
      return list.find((r) => r['kind'] === 'return');
    }, { what: 'the return referral' });
    // The care home keeping the bed follows the return referral before the resident is back.
    expect((await call(system.url, 'GET', `/api/referrals/${back['id']}`, undefined, staffOf(system, home))).status).toBe(200);
    expect((await call(system.url, 'POST', `/api/care-beds/admissions/${careStay}/return`, undefined, staffOf(system, home))).status).toBe(200);
    await waitForState(system, back['id'], 'followUp');
    expect((await call(system.url, 'POST', `/api/referrals/${back['id']}/follow-up`, FOLLOW_UP, staffOf(system, home))).status).toBe(200);
    const closed = await waitForState(system, back['id'], 'closed');
    expect(closed['parentId']).toBe(urgent['id']);
    expect((await call(system.url, 'GET', `/api/care-beds/institutions/${home}`, undefined, staffOf(system, home))).body['capacity']).toMatchObject({ kept: 0, occupied: 1 });
  });
});
