import { describeWithKafkaAndPostgres, kafkaBrokers, waitFor } from '@fbl/testing';
import { prng } from '@fbl/testing/random';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminOf, plannerAt, staffOf } from '../support/actors.js';
import { FOLLOW_UP } from '../support/builders.js';
import { call } from '../support/http.js';
import { startDistributedSystem, type DistributedSystem } from '../support/system.js';
import { careHome, dischargeRequest, register, waitUntilMatchable } from './scenarios.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;
type Outcome = 'closed' | 'escalated' | 'cancelled';

const REFERRALS = 500;
const CONCURRENCY = 25;
const SEED = Number(process.env['REPLICA_TEST_SEED'] ?? 20261122);

/**
 * Two workflow instances in one consumer group carry a stream of referrals whose providers and
 * families answer at random. An independent oracle — the test's own record of the answers it gave
 * — says how each referral must end; the system must agree for every one, lose none, and apply no
 * message twice.
 */
describeWithKafkaAndPostgres(`two workflow instances, ${REFERRALS} referrals with random answers`, () => {
  let system: DistributedSystem;
  let workflows: string[];
  const homes: string[] = [];

  beforeAll(async () => {
    system = await startDistributedSystem(['care-beds', 'referral-workflow']);
    const second = await system.replica('referral-workflow');
    workflows = [system.processes.get('referral-workflow')!.url, second.url];
    // Bed events are keyed by institution: a dozen homes spread them over the partitions.
    for (let i = 0; i < 12; i++) homes.push(await register(system, 'care-beds', careHome(`副本测试护理院${i + 1}`, 50, '371702')));
    for (const h of homes) await waitUntilMatchable(system, h, 50);
    // The stream starts once the group has rebalanced: both instances own partitions.
    const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await waitFor(async () => {
        const { groups } = await admin.describeGroups([`${system.namespace}.referral-workflow`]);
        const members = groups[0]?.members ?? [];
        const owning = members.filter((m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment && Object.values(AssignerProtocol.MemberAssignment.decode(m.memberAssignment)!.assignment).some((p) => p.length > 0));
        return groups[0]?.state === 'Stable' && owning.length === 2;
      }, { what: 'both workflow instances to own partitions', timeoutMs: 90_000, intervalMs: 500 });
    } finally {
      await admin.disconnect();
    }
  }, 180_000);
  afterAll(async () => {
    const codes = await system?.stop();
    expect(codes?.every((c) => c === 0), `every service stops cleanly: ${codes?.join(', ')}`).toBe(true);
  });

  it('ends every referral as the oracle says, with no message applied twice', async () => {
    const random = prng(SEED);
    const plans = Array.from({ length: REFERRALS }, (_, i) => {
      const r = random();
      const outcome: Outcome = r < 0.15 ? 'escalated' : r < 0.25 ? 'cancelled' : 'closed';
      return { index: i, outcome, pick: random(), subset: random(), via: i % 2 };
    });
    const oracle = new Map<string, Outcome>();
    const hosts = () => workflows;
    const HOSPITAL = '0192f3b2-7c1a-7000-8000-00000000aaaa';
    const admin = adminOf(system);
    const planner = plannerAt(system, HOSPITAL);
    const read = async (via: number, id: string): Promise<Body> => (await call(hosts()[via]!, 'GET', `/api/referrals/${id}`, undefined, admin)).body;
    const until = (via: number, id: string, test: (r: Body) => boolean, what: string) =>
      waitFor(async () => {
        const r = await read(via, id);
        return test(r) ? r : undefined;
      }, { what: `${id}: ${what}`, timeoutMs: 120_000, intervalMs: 100 });
    const decide = async (via: number, path: string, body: object, token: string) => {
      const r = await call(hosts()[via]!, 'POST', path, body, token);
      expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(200);
    };
    const answerAll = async (via: number, id: string, accept: (offer: Body, index: number) => boolean) => {
      const r = await until(via, id, (x) => x['state'] !== 'matching' && (x['offers'] as Body[]).some((o) => o['status'] === 'open'), 'open offers');
      const open = (r['offers'] as Body[]).filter((o) => o['status'] === 'open');
      for (const [i, offer] of open.entries()) {
        const yes = accept(offer, i);
        await decide(via, `/api/referrals/${id}/offers/${offer['id']}/${yes ? 'accept' : 'decline'}`, yes ? {} : { reasonCode: 'no-capacity' }, staffOf(system, offer['institutionId'] as string));
      }
      return open;
    };

    const run = async (plan: (typeof plans)[number]) => {
      const { via } = plan;
      const created = await call(hosts()[via]!, 'POST', '/api/referrals', dischargeRequest(HOSPITAL, { elderRef: `replica-${plan.index}` }), planner);
      expect(created.status).toBe(202);
      const id = created.body['id'] as string;
      oracle.set(id, plan.outcome);
      if (plan.outcome === 'escalated') {
        await answerAll(via, id, () => false); // first round: three providers decline
        await answerAll(via, id, () => false); // widened round: three more decline
        await until(via, id, (r) => r['state'] === 'escalated', 'escalated');
        return;
      }
      // At least one provider accepts; the family picks one of those at random.
      const open = await answerAll(via, id, (_o, i) => i === 0 || plan.subset > 0.5);
      const accepted = plan.subset > 0.5 ? open : open.slice(0, 1);
      const chosen = accepted[Math.floor(plan.pick * accepted.length)]!;
      await until(via, id, (r) => r['state'] === 'choosing', 'choosing');
      await decide(via, `/api/referrals/${id}/choice`, { offerId: chosen['id'] }, planner);
      const moving = await until(via, id, (r) => r['state'] === 'transferring', 'transferring');
      if (plan.outcome === 'cancelled') {
        await decide(via, `/api/referrals/${id}/cancel`, { reason: 'condition-changed' }, planner);
        return;
      }
      const admitted = await call(system.url, 'POST', `/api/care-beds/holds/${moving['hold']['holdId']}/admission`, {}, staffOf(system, chosen['institutionId'] as string));
      expect(admitted.status).toBe(200);
      await until(via, id, (r) => r['state'] === 'followUp', 'followUp');
      await decide(via, `/api/referrals/${id}/follow-up`, FOLLOW_UP, staffOf(system, chosen['institutionId'] as string));
    };

    const queue = [...plans];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let plan = queue.shift(); plan; plan = queue.shift()) await run(plan);
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(`[replicas] ${REFERRALS} referrals in ${seconds.toFixed(1)} s (seed ${SEED})`);

    // Every referral ends as the oracle says (none lost, none stuck).
    const sql = postgres(system.databaseUrl('referral-workflow'), { max: 2, onnotice: () => {} });
    try {
      const finals = await waitFor(async () => {
        const rows = await sql<{ id: string; state: string }[]>`select id, state from referral.referrals where elder_ref like 'replica-%'`;
        return rows.length === REFERRALS && rows.every((r) => r.state === oracle.get(r.id)) ? rows : undefined;
      }, { what: 'every referral in its oracle state', timeoutMs: 60_000, intervalMs: 500 }).catch(async (error: unknown) => {
        const rows = await sql<{ id: string; state: string }[]>`select id, state from referral.referrals where elder_ref like 'replica-%'`;
        const wrong = rows.filter((r) => r.state !== oracle.get(r.id)).slice(0, 5);
        throw new Error(`${rows.length} referrals; mismatches: ${JSON.stringify(wrong.map((w) => ({ ...w, expected: oracle.get(w.id) })))}`, { cause: error });
      });
      expect(finals).toHaveLength(REFERRALS);
      for (const outcome of ['closed', 'escalated', 'cancelled'] as const) expect([...oracle.values()].filter((o) => o === outcome).length).toBeGreaterThan(10);

      // No message advanced a referral twice: each (referral, message, event) appears once.
      const twice = await sql`select referral_id, caused_by, event, count(*) from referral.timeline
        where caused_by in (select message_id::text from referral.inbox) group by 1, 2, 3 having count(*) > 1`;
      expect(twice).toHaveLength(0);
      // Every message-caused step is in the inbox exactly once (the inbox key forbids more).
      const handled = await sql<{ n: number }[]>`select count(*)::int as n from referral.inbox where consumer = 'referral-workflow'`;
      expect(handled[0]!.n).toBeGreaterThan(REFERRALS * 2);

      // The timeline explains every step: who or what, when, from which state to which.
      const steps = await sql<{ referral_id: string; event: string; actor: string; caused_by: string }[]>`
        select t.referral_id, t.event, t.actor, t.caused_by from referral.timeline t join referral.referrals r on r.id = t.referral_id
        where r.elder_ref like 'replica-%' order by t.seq`;
      const byReferral = new Map<string, string[]>();
      for (const s of steps) {
        expect(s.actor, `actor of ${s.event}`).not.toBe('');
        expect(s.caused_by).not.toBe('');
        byReferral.set(s.referral_id, [...(byReferral.get(s.referral_id) ?? []), s.event]);
      }
      const expected: Record<Outcome, string[]> = {
        closed: ['ReferralRequested', 'MatchesFound', 'OfferAccepted', 'ChoiceRecorded', 'BedHeld', 'AdmissionRecorded', 'FollowUpRecorded'],
        escalated: ['ReferralRequested', 'MatchesFound', 'OfferDeclined'],
        cancelled: ['ReferralRequested', 'MatchesFound', 'OfferAccepted', 'ChoiceRecorded', 'BedHeld', 'Cancel'],
      };
      for (const [id, outcome] of oracle) {
        const events = byReferral.get(id) ?? [];
        for (const e of expected[outcome]) expect(events, `${id} (${outcome}) timeline`).toContain(e);
      }
    } finally {
      await sql.end();
    }

    // The two instances shared the stream: both owned partitions (checked before it started), both
    // took decisions over HTTP, and together they handled every message. How the messages split
    // depends on where the institutions' keys hash, so it is reported rather than asserted.
    const handledBy = await Promise.all(
      workflows.map(async (url) => {
        const metrics = await (await fetch(`${url}/metrics`)).text();
        return metrics.split('\n').filter((l) => l.startsWith('fbl_messages_handled_total') && l.includes('outcome="handled"')).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
      }),
    );
    console.log(`[replicas] messages handled by each instance: ${handledBy.join(' / ')}`);
    expect(handledBy.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(REFERRALS * 2);
  }, 600_000);
});
