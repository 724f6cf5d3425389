import { allMessages, MessageRegistry, newId } from '@fbl/contracts';
import { openDatabase, type Database } from '@fbl/db';
import { createKafkaBus, type Bus, type ReplayProgress } from '@fbl/messaging';
import { createTestDatabase, describeWithKafkaAndPostgres, kafkaBrokers, waitFor, type TestDatabase } from '@fbl/testing';
import { sql } from 'drizzle-orm';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { METRIC_KEYS, replayTopics, VISIT_METRIC_KEYS } from '../src/index.js';
import { toRecord } from '@fbl/messaging';
import { describeProgress } from '../src/adapters/messages/replay.js';
import { eventsOf, generateHistory } from './support/history.js';
import { ADMIN, comparable, metricPath, quietLogger, recordsOf, startMonitoring } from './support/harness.js';
import { expected, type Filter, type Row } from './support/oracle.js';
import { generateVisitHistory, visitEventsOf } from './support/visits-history.js';
import { expectedVisits } from './support/visits-oracle.js';

const FILTERS: Filter[] = [
  { from: '2026-08-01', to: '2026-12-31', groupBy: 'month' },
  { from: '2026-08-01', to: '2026-12-31', groupBy: 'county', division: '371700' },
  { from: '2026-09-01', to: '2026-11-30', groupBy: 'bedType' },
];

describeWithKafkaAndPostgres('monitoring over Kafka: rebuilding by replaying the topics gives the live figures', () => {
  const history = generateHistory(7, 200);
  const events = eventsOf(history);
  // Home visits, 探访 and statements beside the referrals: their projections are rebuilt too.
  const visitHistory = generateVisitHistory(7, 60);
  const visitMessages = visitEventsOf(visitHistory, 7);
  const visitRecords = visitMessages.map((m) => toRecord(m.topic, m.key, m.envelope));
  const messageCount = events.length + new Set(visitMessages.map((m) => m.envelope.id)).size;
  const oracle = (metric: string, f: Filter) => (VISIT_METRIC_KEYS.includes(metric as never) ? expectedVisits(visitHistory, metric, f) : expected(history, metric, f));
  const clock = () => new Date(history.asOf);
  let testDb: TestDatabase;
  let database: Database;
  let bus: Bus;
  const namespace = `replay-${newId().slice(-12)}`;

  const inboxCount = async () => Number((await database.rows<{ n: string | number }>(database.db, sql`select count(*) as n from monitoring.inbox where consumer = 'monitoring'`))[0]!.n);
  /** Every metric under every filter, through the HTTP API. */
  const figures = async (get: Awaited<ReturnType<typeof startMonitoring>>['get']) => {
    const all: Record<string, Row[]> = {};
    for (const metric of METRIC_KEYS) {
      for (const f of FILTERS) {
        const response = await get(metricPath(metric, f, history.asOf), ADMIN);
        expect(response.statusCode, response.body).toBe(200);
        all[`${metric} ${JSON.stringify(f)}`] = comparable((response.json() as { rows: Row[] }).rows);
      }
    }
    return all;
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('monitoring_replay');
    database = await openDatabase({ url: testDb.url });
    bus = await createKafkaBus({ brokers: kafkaBrokers(), clientId: `monitoring-replay-test`, logger: quietLogger(), namespace, partitions: 3 });
  });
  afterAll(async () => {
    await bus?.close();
    await database?.close();
    await testDb?.drop();
  });

  it('projects live from Kafka, then a replay from empty projections reproduces every figure, reporting progress', async () => {
    const monitoring = await startMonitoring(database, bus, clock);
    let live: Record<string, Row[]>;
    try {
      // Published as the relays would, duplicates included; the live consumer counts each once.
      const records = [...recordsOf(events, 11), ...visitRecords];
      for (let i = 0; i < records.length; i += 1000) await bus.publish(records.slice(i, i + 1000));
      await waitFor(async () => ((await inboxCount()) === messageCount ? true : undefined), { what: 'every event projected', timeoutMs: 120_000 });
      live = await figures(monitoring.get);
    } finally {
      await monitoring.stop();
    }
    // The live figures are the oracle's.
    for (const metric of METRIC_KEYS) for (const f of FILTERS) expect(live[`${metric} ${JSON.stringify(f)}`], metric).toEqual(oracle(metric, f));

    // Break the projection on purpose: the replay must not build on what is there.
    await database.db.execute(sql`update monitoring.referrals set stage = 'intake', closed_at = null`);
    await database.db.execute(sql`update monitoring.visits set outcome = 'missed'`);
    await database.db.execute(sql`delete from monitoring.tanfangs where month = '2026-09-01'`);
    await database.db.execute(sql`update monitoring.statement_lines set delivered_minutes = 0`);
    const progress: ReplayProgress[] = [];
    const result = await replayTopics({ database, bus, registry: new MessageRegistry(allMessages), logger: quietLogger(), onProgress: (p) => progress.push(p) });
    const published = recordsOf(events, 11).length + visitRecords.length;
    expect(result).toEqual({ records: published, total: published });
    expect(progress[0]).toEqual({ records: 0, total: published });
    expect(progress.at(-1)).toEqual({ records: published, total: published });
    expect(describeProgress(progress.at(-1)!)).toBe(`${published.toLocaleString('en')} / ${published.toLocaleString('en')} records (100.0 %)`);
    expect(await inboxCount()).toBe(messageCount);

    const rebuilt = await startMonitoring(database, bus, clock);
    try {
      expect(await figures(rebuilt.get)).toEqual(live);
    } finally {
      await rebuilt.stop();
    }
  }, 240_000);

  it('refuses to replay while the live consumer group has members', async () => {
    const monitoring = await startMonitoring(database, bus, clock);
    try {
      await expect(replayTopics({ database, bus, registry: new MessageRegistry(allMessages), logger: quietLogger() })).rejects.toThrow(/live member/);
      // Refused before anything was emptied.
      expect(await inboxCount()).toBe(messageCount);
    } finally {
      await monitoring.stop();
    }
  }, 120_000);

  it('refuses to rebuild from a log whose oldest records retention has deleted', async () => {
    const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const topic = `${namespace}.referral.events`;
      const [partition] = (await admin.fetchTopicOffsets(topic)).filter((p) => BigInt(p.high) > 1n);
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: partition!.partition, offset: '1' }] });
    } finally {
      await admin.disconnect();
    }
    const before = await inboxCount();
    await expect(replayTopics({ database, bus, registry: new MessageRegistry(allMessages), logger: quietLogger() })).rejects.toThrow(/older records were deleted/);
    expect(await inboxCount()).toBe(before);
  }, 120_000);
});
