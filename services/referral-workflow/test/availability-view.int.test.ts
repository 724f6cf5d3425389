import { signToken } from '@fbl/auth';
import { BedAvailabilityChanged, BedHoldRejected, bedCommandsTopic, bedEventsTopic, createMessage } from '@fbl/contracts';
import { openDatabase, type Database } from '@fbl/db';
import { toRecord, type DeliveredRecord } from '@fbl/messaging';
import { createLogger } from '@fbl/observability';
import { generateKey } from '@fbl/privacy';
import { describeWithPostgres, waitFor } from '@fbl/testing';
import { testSealingKeys, testTokenKey } from '@fbl/testing/suite';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AvailabilityView } from '../src/adapters/db/availability-view.js';
import { startWorkflow, type WorkflowUnderTest } from './harness.js';

/*
 * The in-memory availability view matching ranks from, on a real PostgreSQL: it follows the
 * table in this replica once a consumed change commits, in other replicas by announcement, after
 * a restart by loading, and by its periodic resync when an announcement never came. A stale view
 * only ever costs an offer: a provider that lost its bed is offered, the bed service refuses the
 * hold, nobody is admitted, and the referral goes on to a provider the table knows.
 */

const HOSPITAL = '0192f3b2-7c1a-7000-8000-0000000000d1';
// The run's suite: under CRYPTO_SUITE=sm (the `sm` test project) SM4 seals and SM2-SM3 tokens.
const secrets = { authSecret: testTokenKey('availability-view-test-secret'), encryptionKey: testSealingKeys(generateKey()) };
const origin = { source: 'care-beds' };
const logger = createLogger({ name: 'availability-view-test', level: 'silent' });
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers read field by field
type Body = Record<string, any>;

describeWithPostgres('the availability view matching ranks from', () => {
  let workflow: WorkflowUnderTest;
  let other: Database;
  const views: AvailabilityView[] = [];

  const token = (claims: object) => signToken({ userId: 'u', ...claims } as never, secrets.authSecret, { now: new Date(), ttlSeconds: 3600 });
  const planner = () => token({ userId: 'planner-d', role: 'planner', institutionId: HOSPITAL });
  const staff = (institutionId: string) => token({ userId: `staff-${institutionId.slice(-4)}`, role: 'provider', institutionId });
  const inject = async (method: 'GET' | 'POST', url: string, who: string, payload?: object) => {
    const response = await workflow.http.inject({ method, url, headers: { authorization: `Bearer ${who}` }, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.json() as Body };
  };
  const read = async (id: string) => (await inject('GET', `/api/referrals/${id}`, token({ role: 'admin' }))).body;
  const publish = (message: ReturnType<typeof createMessage>) => workflow.bus.publish([toRecord(message.topic, message.key, message.envelope)]);
  const announce = (institutionId: string, bedType: 'care' | 'home-sick', sequence: number, free: number, name = `机构${institutionId.slice(-4)}`) =>
    publish(createMessage(BedAvailabilityChanged, institutionId, {
      institutionId, bedType, name, divisionCode: '371702', ownership: 'public', capabilities: [], serviceArea: ['371702'], greenChannelPartners: [], sequence,
      units: [{ kind: bedType === 'care' ? 'bed' : 'slot', attributes: {}, total: 5, free, held: 0, occupied: 5 - free, kept: 0, closed: 0 }],
    }, origin, { topic: bedEventsTopic(bedType) }));
  /** A row written to the table the way another replica's consumer would, its announcement not (yet) heard here. */
  const writeBehindTheView = (institutionId: string, bedType: string, sequence: number, free: number) =>
    workflow.database.rows(workflow.database.db, sql`
      insert into referral.availability (institution_id, bed_type, sequence, name, division_code, capabilities, service_area, green_channel_partners, units, updated_at)
      values (${institutionId}, ${bedType}, ${sequence}, ${`机构${institutionId.slice(-4)}`}, '371702', '[]'::jsonb, '["371702"]'::jsonb, '[]'::jsonb,
              ${JSON.stringify([{ kind: 'bed', attributes: {}, free }])}::jsonb, now())
      on conflict (institution_id, bed_type) do update set sequence = excluded.sequence, units = excluded.units, updated_at = now()`);
  const freeIn = (view: AvailabilityView, institutionId: string, bedType: 'care' | 'home-sick') => {
    const p = view.providers([bedType])?.find((x) => x.institutionId === institutionId);
    return p ? p.units.reduce((n, u) => n + u.free, 0) : undefined;
  };
  const replica = (resyncMs: number) => {
    const view = new AvailabilityView(other, logger, { resyncMs });
    views.push(view);
    view.start();
    return view;
  };
  const referralFor = async (bedTypes: string[]) => {
    const created = await inject('POST', '/api/referrals', planner(), { elderRef: `view-${randomUUID()}`, origin: { institutionId: HOSPITAL, divisionCode: '371702' }, requestedBedTypes: bedTypes, facts: { abilityLevel: 3, abilityAssessedOn: new Date().toISOString().slice(0, 10) } });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    return created.body['id'] as string;
  };

  beforeAll(async () => {
    // The workflow's own resync is an hour away: here its view changes only by what it consumes and hears.
    workflow = await startWorkflow('referral_availability_view', { ...secrets, attachmentRetentionDays: 90, clock: () => new Date(), availabilityResyncMs: 3_600_000 });
    other = await openDatabase({ url: workflow.databaseUrl }, { poolSize: 2 });
    await waitFor(() => workflow.service.referrals.availability.ready || undefined, { what: 'the view loaded', timeoutMs: 120_000 });
  });
  afterAll(async () => {
    for (const view of views) await view.stop();
    await other?.close();
    await workflow?.stop();
  });

  it("has a consumed change once its transaction committed, another replica's view has it by announcement, and an older sequence changes neither", { timeout: 300_000 }, async () => {
    const elsewhere = replica(3_600_000);
    await waitFor(() => elsewhere.ready || undefined, { what: "the other replica's view loaded", timeoutMs: 120_000 });
    const institution = randomUUID();
    await announce(institution, 'home-sick', 1, 2);
    // The consumer reads the row again after the commit, before it moves on.
    expect(freeIn(workflow.service.referrals.availability, institution, 'home-sick')).toBe(2);
    await waitFor(() => freeIn(elsewhere, institution, 'home-sick') === 2 || undefined, { what: 'the other replica told', timeoutMs: 120_000 });

    await announce(institution, 'home-sick', 3, 0);
    await announce(institution, 'home-sick', 2, 4); // late, and older: the table keeps sequence 3
    expect(freeIn(workflow.service.referrals.availability, institution, 'home-sick')).toBe(0);
    await waitFor(() => freeIn(elsewhere, institution, 'home-sick') === 0 || undefined, { what: 'the other replica told of sequence 3', timeoutMs: 120_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(freeIn(elsewhere, institution, 'home-sick')).toBe(0);
  });

  it('a restarted replica loads the table, and a row whose announcement never came is read at the next resync', { timeout: 300_000 }, async () => {
    const institution = randomUUID();
    await announce(institution, 'home-sick', 1, 3);
    const restarted = replica(300);
    await waitFor(() => freeIn(restarted, institution, 'home-sick') === 3 || undefined, { what: 'the restarted view loaded', timeoutMs: 120_000 });
    await writeBehindTheView(institution, 'home-sick', 2, 1);
    await waitFor(() => freeIn(restarted, institution, 'home-sick') === 1 || undefined, { what: 'the silent change read at a resync', timeoutMs: 120_000 });
    // The workflow's own view (resync an hour away) has not heard of it: announcements are how replicas learn.
    expect(freeIn(workflow.service.referrals.availability, institution, 'home-sick')).toBe(3);
    // The capacity route answers as matching here sees it.
    const capacity = await inject('GET', '/api/referrals/capacity?bedType=home-sick', token({ role: 'admin' }));
    expect((capacity.body as unknown as { institutionId: string; free: number; sequence: number }[]).find((c) => c.institutionId === institution)).toMatchObject({ free: 3, sequence: 1 });
  });

  it('a view that misses a provider does not leave a referral without offers: a ranking without candidates is made again from the table', { timeout: 300_000 }, async () => {
    const unheard = randomUUID();
    await writeBehindTheView(unheard, 'care', 1, 2);
    expect(freeIn(workflow.service.referrals.availability, unheard, 'care')).toBeUndefined();
    const id = await referralFor(['care']);
    const view = await read(id);
    expect(view['state']).toBe('offering');
    expect((view['offers'] as Body[]).map((o) => o['institutionId'])).toEqual([unheard]);
    // It stays unheard in the view (only announcements and resyncs change it): the table alone knew.
    expect(freeIn(workflow.service.referrals.availability, unheard, 'care')).toBeUndefined();
  });

  it('a view that still shows a bed taken since costs an offer, never an admission: the bed service refuses the hold and the referral goes on', { timeout: 300_000 }, async () => {
    const commands: DeliveredRecord[] = [];
    const subscription = await workflow.bus.subscribe({ group: `commands-${randomUUID()}`, topics: [bedCommandsTopic('care')], handle: async (record) => void commands.push(record) });
    try {
      const filled = randomUUID();
      await announce(filled, 'care', 1, 1);
      // The last bed is taken: another replica projected it, and its announcement has not arrived here.
      await writeBehindTheView(filled, 'care', 2, 0);
      expect(freeIn(workflow.service.referrals.availability, filled, 'care')).toBe(1);

      const id = await referralFor(['care']);
      const offered = await read(id);
      expect(offered['state']).toBe('offering');
      const offers = offered['offers'] as Body[];
      // Ranked from the stale view: the provider whose bed is gone is offered (the one the table alone knows is not).
      expect(offers.map((o) => o['institutionId'])).toEqual([filled]);

      expect((await inject('POST', `/api/referrals/${id}/offers/${offers[0]!['id']}/accept`, staff(filled), {})).status).toBe(200);
      expect((await inject('POST', `/api/referrals/${id}/choice`, planner(), { offerId: offers[0]!['id'] })).status).toBe(200);
      expect((await read(id))['state']).toBe('reserving');
      // Only the bed service holds a bed: the workflow asks it.
      const reserve = await waitFor(() => commands.find((r) => (JSON.parse(r.value) as Body)['data']?.['referralId'] === id), { what: 'ReserveBed sent to the bed service', timeoutMs: 120_000 });
      expect((JSON.parse(reserve.value) as Body)['type']).toBe('ReserveBed');

      // It has no free bed, and says so.
      await publish(createMessage(BedHoldRejected, filled, { referralId: id, institutionId: filled, bedType: 'care', reasonCode: 'no-free-bed' }, origin, { topic: bedEventsTopic('care') }));
      const after = await read(id);
      const timeline = (after['timeline'] as Body[]).map((s) => s['event']);
      expect(timeline).toContain('BedHoldRejected');
      expect(timeline).not.toContain('BedHeld');
      expect(timeline).not.toContain('AdmissionRecorded');
      expect(['transferring', 'followUp', 'closed']).not.toContain(after['state']);
      expect((after['offers'] as Body[]).find((o) => o['institutionId'] === filled)?.['status']).toBe('unavailable');
      // Matched again, the provider is not offered twice; the one the table knows (earlier test) is.
      expect(after['state']).toBe('offering');
      expect((after['offers'] as Body[]).filter((o) => o['status'] === 'open').map((o) => o['institutionId'])).not.toContain(filled);
    } finally {
      await subscription.stop();
    }
  });
});
