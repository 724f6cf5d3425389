import { signToken } from '@fbl/auth';
import { base32Decode, totp } from '@fbl/gateway';
import { describeWithKafkaAndPostgres, kafkaBrokers, waitFor } from '@fbl/testing';
import { Kafka, logLevel } from 'kafkajs';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminOf, plannerAt, staffOf } from '../support/actors.js';
import { FOLLOW_UP, samplePacket, samplePdf, WRITTEN_CONSENT } from '../support/builders.js';
import { call, expectProblem, openEvents } from '../support/http.js';
import { startDistributedSystem, type DistributedSystem } from '../support/system.js';
import { answerOffers, careHome, dischargeRequest, hospital, referral, referralToClosedLoop, register, waitForState, waitUntilMatchable } from './scenarios.js';

const SECRET = 'distributed-e2e-secret';

describeWithKafkaAndPostgres('distributed mode: separate processes over Kafka and PostgreSQL', () => {
  let system: DistributedSystem;

  beforeAll(async () => {
    // The workflow logs at info, so the test below can look for the packet in what it writes.
    system = await startDistributedSystem(['care-beds', 'medical-beds', 'referral-workflow', 'monitoring'], { monitoring: { AUTH_SECRET: SECRET }, 'referral-workflow': { LOG_LEVEL: 'info' } });
  });

  afterAll(async () => {
    const codes = await system?.stop();
    expect(codes?.every((c) => c === 0), `every service stops cleanly: ${codes?.join(', ')}`).toBe(true);
  });

  it('takes one referral from the HTTP request to the closed loop through Kafka, and the commission sees it close', async () => {
    const analyst = signToken({ userId: 'analyst-1', role: 'analyst', divisionCode: '370000' }, SECRET, { now: new Date(), ttlSeconds: 600 });
    const closedLoop = async () => {
      const r = await call(system.url, 'GET', '/api/monitoring/metrics/closed-loop', undefined, analyst);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return ((r.body['rows'] as { values: Record<string, number> }[])[0]?.values ?? { started: 0, closedInLoop: 0 });
    };
    expect(await closedLoop()).toMatchObject({ started: 0, closedInLoop: 0 });
    // Live updates through the gateway, fed by PostgreSQL NOTIFY in the workflow's database.
    const live = await openEvents(system.url, '/api/referrals/events', adminOf(system));
    const { id } = await referralToClosedLoop(system);
    try {
      await waitFor(() => live.events.some((e) => e.event === 'referral' && e.data['id'] === id && e.data['state'] === 'closed'), { what: 'the closing streamed live' });
      const states = live.events.filter((e) => e.data['id'] === id).map((e) => e.data['state']);
      for (const state of ['offering', 'choosing', 'transferring', 'followUp', 'closed']) expect(states).toContain(state);
    } finally {
      live.close();
    }
    const figures = await waitFor(async () => {
      const v = await closedLoop();
      return v['closedInLoop'] === 1 ? v : undefined;
    }, { what: 'the monitoring service counting the closed referral', timeoutMs: 30_000 });
    expect(figures).toMatchObject({ started: 1, closedInLoop: 1, open: 0, rate: 1 });
    // The commission sees the referral's offer answered and its bed flow, through the gateway.
    const accepted = await call(system.url, 'GET', '/api/monitoring/metrics/acceptance-rate', undefined, analyst);
    expect((accepted.body['rows'] as { values: Record<string, number> }[])[0]?.values).toMatchObject({ accepted: 1, rate: 1 });
    const flows = await call(system.url, 'GET', '/api/monitoring/metrics/flows-by-bed-type', undefined, analyst);
    expect(flows.body['rows']).toEqual([expect.objectContaining({ sub: 'medical→care', values: { transfers: 1 } })]);
    const open = await call(system.url, 'GET', '/api/monitoring/open-referrals', undefined, analyst);
    expect(open.body['items']).toEqual([]);
    expect(JSON.stringify(open.body)).not.toContain(id);
  });

  it('shows one OpenAPI document for the whole public API at the gateway', async () => {
    const doc = await call(system.url, 'GET', '/docs/json');
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body['paths'] as object);
    for (const path of ['/api/auth/sign-in', '/api/referrals', '/api/referrals/{id}/packet', '/api/referrals/{id}/attachments', '/api/care-beds/institutions', '/api/medical-beds/institutions', '/api/monitoring/metrics/{metric}']) expect(paths, path).toContain(path);
    // The packet's schema is in the document, with its Chinese-facing codes.
    const packet = JSON.stringify((doc.body['paths'] as Record<string, Record<string, unknown>>)['/api/referrals/{id}/packet']?.['put']);
    for (const word of ['careNeeds', 'diagnoses', 'familyContact', 'tube-feeding', 'prognosisMonths']) expect(packet, word).toContain(word);
  });

  it('signs in the first admin (enrolling the second factor admins need by default), whose token the monitoring service honours', async () => {
    const asked = await call(system.url, 'POST', '/api/auth/sign-in', { username: 'admin', password: 'e2e-admin-2026' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(403);
    expect(asked.body['accessToken']).toBeUndefined();
    const { secret } = asked.body['enrolment'] as { secret: string };
    const session = await call(system.url, 'POST', '/api/auth/sign-in', { username: 'admin', password: 'e2e-admin-2026', code: totp(base32Decode(secret), new Date()) });
    expect(session.status, JSON.stringify(session.body)).toBe(200);
    expect(session.body['recoveryCodes']).toHaveLength(10);
    const dashboard = await call(system.url, 'GET', '/api/monitoring/dashboard', undefined, session.body['accessToken'] as string);
    expect(dashboard.status).toBe(200);
    expect((await call(system.url, 'GET', '/api/monitoring/dashboard', undefined, 'not-a-token')).status).toBe(401);
    // The gateway itself turns away a request without a valid token before forwarding it.
    for (const path of ['/api/referrals', '/api/care-beds/institutions', '/api/monitoring/dashboard']) {
      const unsigned = await call(system.url, 'GET', path);
      expect(unsigned.status, path).toBe(401);
      expect(unsigned.body['detail'], path).toBe('the service APIs need a signed-in user');
    }
  });

  it('runs each service in its own consumer group', async () => {
    const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const groups = ['care-beds', 'medical-beds', 'referral-workflow', 'monitoring'].map((g) => `${system.namespace}.${g}`);
      const { groups: listed } = await admin.listGroups();
      expect(listed.map((g) => g.groupId)).toEqual(expect.arrayContaining(groups));
      const described = await admin.describeGroups(groups);
      for (const group of described.groups) expect(group.members.length, `${group.groupId} has a live member`).toBeGreaterThan(0);
    } finally {
      await admin.disconnect();
    }
  });

  it('keeps the packet and its attachments to the referral\'s parties, audits every read, and lets none of it into Kafka, the rows or the logs', async () => {
    const marker = '隐私标记';
    const hospitalId = await register(system, 'medical-beds', hospital('隐私医院', 3));
    const homeA = await register(system, 'care-beds', careHome('隐私甲护理院', 2));
    const homeB = await register(system, 'care-beds', careHome('隐私乙护理院', 2));
    const stranger = await register(system, 'medical-beds', hospital('无关医院', 1));
    await waitUntilMatchable(system, homeA);
    await waitUntilMatchable(system, homeB);
    const planner = plannerAt(system, hospitalId);
    const packet = samplePacket(marker);
    const created = await call(system.url, 'POST', '/api/referrals', dischargeRequest(hospitalId, { packet, consent: WRITTEN_CONSENT }), planner);
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const id = created.body['id'] as string;
    const offering = await waitForState(system, id, 'offering');
    // The care home of the test above may be offered too (it has a free bed left).
    expect((offering['offers'] as { institutionId: string }[]).map((o) => o.institutionId)).toEqual(expect.arrayContaining([homeA, homeB]));

    // Attachments through the gateway: a 3 MB discharge summary is kept; a file that is not what it
    // says, and one over 10 MB, are refused by name and leave nothing behind.
    const pdf = Buffer.concat([samplePdf(`summary ${marker}`), Buffer.alloc(3 * 1024 * 1024, 0x20), Buffer.from(`\n%${marker}\n`)]);
    const added = await call(system.url, 'POST', `/api/referrals/${id}/attachments?kind=discharge-summary&name=summary.pdf`, pdf, planner);
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const attachment = `/api/referrals/${id}/attachments/${added.body['id'] as string}`;
    expectProblem(await call(system.url, 'POST', `/api/referrals/${id}/attachments?kind=test-result&name=fake.pdf`, Buffer.from('<html>not a pdf</html>'), planner), 400, 'body');
    expectProblem(await call(system.url, 'POST', `/api/referrals/${id}/attachments?kind=wound-photo&name=png.pdf`, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2]), planner), 400, 'body');
    expectProblem(await call(system.url, 'POST', `/api/referrals/${id}/attachments?kind=test-result&name=big.pdf`, Buffer.concat([samplePdf(), Buffer.alloc(11 * 1024 * 1024)]), planner), 413, 'body');
    const listed = await call(system.url, 'GET', `/api/referrals/${id}/attachments`, undefined, planner);
    expect((listed.body as unknown as { name: string }[]).map((a) => a.name)).toEqual(['summary.pdf']);

    // An offered provider sees the clinical part and the file; not the family's contact.
    const a = staffOf(system, homeA);
    const seenByA = await call(system.url, 'GET', `/api/referrals/${id}/packet`, undefined, a);
    expect(seenByA.status).toBe(200);
    expect(seenByA.body['disclosure']).toBe('clinical');
    expect(JSON.stringify(seenByA.body)).toContain(`爆发痛每日两次${marker}`);
    expect(JSON.stringify(seenByA.body)).not.toContain('13912345678');
    const file = await fetch(`${system.url}${attachment}`, { headers: { authorization: `Bearer ${a}` } });
    expect(file.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await file.arrayBuffer()), pdf)).toBe(0);

    // A provider never offered, and one that declined, get nothing: not the packet, the list or the file.
    const b = staffOf(system, homeB);
    await answerOffers(system, id, [homeA]);
    // The declined offer leaves B's list of what is to do and stays among the finished, counted.
    const inboxOf = (view: string) => call(system.url, 'GET', `/api/referrals/inbox/${homeB}?view=${view}&limit=1`, undefined, b);
    expect(((await inboxOf('pending')).body as unknown as { referralId: string }[]).map((o) => o.referralId)).not.toContain(id);
    const done = await inboxOf('done');
    expect((done.body as unknown as { referralId: string; status: string }[])[0]).toMatchObject({ referralId: id, status: 'declined' });
    expect(done.headers.get('x-total-count')).toBe('1');
    for (const who of [staffOf(system, stranger), b]) {
      for (const path of [`/api/referrals/${id}/packet`, `/api/referrals/${id}/attachments`, attachment]) {
        const refused = await call(system.url, 'GET', path, undefined, who);
        expect(refused.status, path).toBe(403);
        expect(JSON.stringify(refused.body)).not.toContain(marker);
      }
    }

    // Withdrawn consent closes the packet to the provider at once; given again, it opens.
    expect((await call(system.url, 'POST', `/api/referrals/${id}/consent/withdraw`, WRITTEN_CONSENT, planner)).status).toBe(200);
    const withheld = await call(system.url, 'GET', `/api/referrals/${id}/packet`, undefined, a);
    expect(withheld.status).toBe(403);
    expect(withheld.body['type']).toContain('consent-required');
    expect((await call(system.url, 'GET', attachment, undefined, a)).status).toBe(403);
    expect((await call(system.url, 'POST', `/api/referrals/${id}/consent`, WRITTEN_CONSENT, planner)).status).toBe(200);

    // Chosen by the family, the provider sees all of it, the family's contact too; then the loop closes.
    await waitForState(system, id, 'choosing');
    const ours = ((await referral(system, id))['offers'] as { id: string; institutionId: string }[]).find((o) => o.institutionId === homeA)!;
    expect((await call(system.url, 'POST', `/api/referrals/${id}/choice`, { offerId: ours.id }, planner)).status).toBe(200);
    const transferring = await waitForState(system, id, 'transferring');
    const full = await call(system.url, 'GET', `/api/referrals/${id}/packet`, undefined, a);
    expect(full.body['disclosure']).toBe('full');
    expect(JSON.stringify(full.body)).toContain('13912345678');
    const holdId = (transferring['hold'] as { holdId: string }).holdId;
    expect((await call(system.url, 'POST', `/api/care-beds/holds/${holdId}/admission`, {}, a)).status).toBe(200);
    await waitForState(system, id, 'followUp');
    const followUp = { ...FOLLOW_UP, note: `随访说明${marker}` };
    expect((await call(system.url, 'POST', `/api/referrals/${id}/follow-up`, followUp, a)).status).toBe(200);
    const closed = await waitForState(system, id, 'closed');
    // The follow-up is read back by the referring side and the receiver only.
    expect((await call(system.url, 'GET', `/api/referrals/${id}/follow-up`, undefined, planner)).body).toMatchObject({ method: 'phone', condition: 'stable', note: `随访说明${marker}` });
    expect((await call(system.url, 'GET', `/api/referrals/${id}/follow-up`, undefined, a)).status).toBe(200);
    expect((await call(system.url, 'GET', `/api/referrals/${id}/follow-up`, undefined, b)).status).toBe(403);
    // The planner finds it by its number among the finished ones, and not among the active.
    const listOf = (view: string) => call(system.url, 'GET', `/api/referrals?view=${view}&reference=${closed['reference'] as string}`, undefined, planner);
    const finished = await listOf('finished');
    expect((finished.body as unknown as { id: string }[]).map((r) => r.id)).toEqual([id]);
    expect(finished.headers.get('x-total-count')).toBe('1');
    expect((await listOf('active')).body).toEqual([]);

    // Every read and every refusal is in the audit log, naming the account.
    const audit = await call(system.url, 'GET', `/api/referrals/audit?objectId=${id}&limit=500`, undefined, adminOf(system));
    const rows = audit.body as unknown as { actor: string; action: string; objectType: string; outcome: string }[];
    const actorA = `staff-${homeA.slice(-6)}`;
    const actorB = `staff-${homeB.slice(-6)}`;
    expect(rows.filter((r) => r.actor === actorA && r.action === 'read' && r.objectType === 'referral-packet' && r.outcome === 'allowed').length).toBeGreaterThanOrEqual(2);
    expect(rows.some((r) => r.actor === actorA && r.outcome === 'denied')).toBe(true);
    expect(rows.some((r) => r.actor === actorB && r.outcome === 'denied')).toBe(true);
    expect(rows.some((r) => r.action === 'withdraw-consent')).toBe(true);
    expect(rows.some((r) => r.actor === actorA && r.action === 'record-follow-up' && r.objectType === 'follow-up')).toBe(true);
    expect(rows.some((r) => r.actor === actorB && r.objectType === 'follow-up' && r.outcome === 'denied')).toBe(true);
    expect(rows.some((r) => r.actor === actorA && r.action === 'read' && r.objectType === 'referral-attachment' && r.outcome === 'allowed')).toBe(true);
    expect(rows.filter((r) => r.objectType === 'referral-attachment' && r.action === 'attach').map((r) => r.outcome).sort()).toEqual(['allowed', 'invalid', 'invalid']);

    // None of the packet in any message of the run, in any row of the workflow's database, or in its logs.
    const secrets = [marker, '13912345678'];
    const kafka = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${system.namespace}.`));
    const ends = await Promise.all(topics.map(async (topic) => ({ topic, total: (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0) })));
    await admin.disconnect();
    const expected = ends.reduce((n, e) => n + e.total, 0);
    expect(expected).toBeGreaterThan(10);
    const consumer = kafka.consumer({ groupId: `${system.namespace}.privacy-scan` });
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(`${message.key?.toString() ?? ''} ${message.value?.toString() ?? ''} ${JSON.stringify(message.headers ?? {})}`) });
    try {
      await waitFor(() => seen.length >= expected, { what: `every message of the run read (${expected})`, timeoutMs: 60_000 });
    } finally {
      await consumer.disconnect();
    }
    for (const secret of secrets) expect(seen.filter((m) => m.includes(secret))).toEqual([]);

    const sql = postgres(system.databaseUrl('referral-workflow'), { max: 1, onnotice: () => {} });
    try {
      const tables = await sql<{ schemaname: string; tablename: string }[]>`select schemaname, tablename from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`;
      expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(['packets', 'packet_consents', 'attachments', 'attachment_contents', 'audit_log', 'follow_ups']));
      for (const t of tables) {
        const dump = (await sql.unsafe(`select row_to_json(x)::text as row from "${t.schemaname}"."${t.tablename}" x`)) as { row: string }[];
        const text = dump.map((r) => r.row).join('\n');
        for (const secret of secrets) expect(text.includes(secret) || text.includes(Buffer.from(secret).toString('hex')), `${t.tablename} holds "${secret}"`).toBe(false);
      }
    } finally {
      await sql.end();
    }
    const logged = system.processes.get('referral-workflow')!.output();
    expect(logged.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(logged).not.toContain(secret);
  });
});
