import { createMessage, newId } from '@fbl/contracts';
import { describeWithKafkaAndPostgres, describeWithPostgres, waitFor } from '@fbl/testing';
import { openDatabase } from '@fbl/db';
import { asc, eq, inArray, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Outbox, OutboxRelay, type Bus } from '../src/index.js';
import { collect, effectCount, logger, notedMessage, openHarness, startRecordingConsumer, tables, type BusKind } from './fixture/harness.js';
import { outbox as outboxTable } from './fixture/schema.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** The relay's ordering and crash behaviour, run against both bus adapters. */
function relaySuite(kind: BusKind) {
  let h: Awaited<ReturnType<typeof openHarness>>;
  const outbox = new Outbox(tables);
  const relayOn = (bus: Bus) => new OutboxRelay({ service: `fixture-${kind}`, database: h.database, tables, bus, logger });

  beforeAll(async () => {
    h = await openHarness(kind);
  });
  afterAll(async () => h?.close());

  it('publishes rows whose transactions commit out of id order, all of them, in commit order', async () => {
    const topic = `fixture-${newId()}.events`;
    const definition = notedMessage(topic);
    const published = await collect(h.bus, topic);
    const key = newId();
    const first = createMessage(definition, key, { note: 'written first, committed last' }, { source: 'test' });
    const second = createMessage(definition, key, { note: 'written second, committed first' }, { source: 'test' });

    const firstWritten = deferred();
    const releaseFirst = deferred();
    const slow = h.database.transaction(async (tx) => {
      await outbox.append(tx, [first]);
      firstWritten.resolve();
      await releaseFirst.promise;
    });
    await firstWritten.promise;
    await h.database.transaction((tx) => outbox.append(tx, [second]));

    const rows = await h.database.db.select().from(outboxTable).where(isNull(outboxTable.publishedAt)).orderBy(asc(outboxTable.seq));
    expect(rows.map((r) => r.id)).toEqual([second.envelope.id]); // the first is not visible yet
    const relay = relayOn(h.bus);
    expect(await relay.drain()).toBe(1);

    releaseFirst.resolve();
    await slow;
    // The published row has left the outbox; the late one is all there is.
    const left = await h.database.db.select().from(outboxTable);
    expect(left.map((r) => r.id)).toEqual([first.envelope.id]);
    expect(await relay.drain()).toBe(1);

    await waitFor(() => published.records.length >= 2, { what: 'both rows published' });
    expect(published.records.map((r) => JSON.parse(r.value).id)).toEqual([second.envelope.id, first.envelope.id]);
    expect(await relay.drain()).toBe(0);
    expect(await h.database.db.select().from(outboxTable)).toEqual([]);
    await published.subscription.stop();
  });

  it('tells its listeners what each batch published, once deleted, only what committed, and goes on when a listener fails', async () => {
    const topic = `fixture-${newId()}.events`;
    const definition = notedMessage(topic);
    await h.bus.ensureTopics([topic]);
    const keys = [newId(), newId()];
    const relay = relayOn(h.bus);
    const heard: { topic: string; key: string }[] = [];
    const leftWhenHeard: number[] = [];
    relay.afterPublish(async (records) => {
      heard.push(...records.filter((r) => r.topic === topic));
      leftWhenHeard.push((await h.database.db.select().from(outboxTable).where(eq(outboxTable.topic, topic))).length);
    });
    relay.afterPublish(async () => {
      throw new Error('a listener that fails');
    });
    const rolledBack = createMessage(definition, newId(), { note: 'never committed' }, { source: 'test' });
    await h.database.transaction(async (tx) => {
      await outbox.append(tx, [rolledBack]);
      throw new Error('rolled back');
    }).catch(() => undefined);
    await h.database.transaction((tx) => outbox.append(tx, keys.map((key) => createMessage(definition, key, { note: 'committed' }, { source: 'test' }))));
    expect(await relay.drain()).toBeGreaterThanOrEqual(2);
    expect(heard).toEqual(keys.map((key) => ({ topic, key })));
    expect(leftWhenHeard).toEqual([0]);
    expect(await h.database.db.select().from(outboxTable).where(eq(outboxTable.topic, topic))).toEqual([]);
  });

  it('sends the notices of a published batch with the statement that deletes its rows, and only for rows that committed', async () => {
    const topic = `fixture-${newId()}.events`;
    const definition = notedMessage(topic);
    await h.bus.ensureTopics([topic]);
    const channel = `fixture_notice_${newId().replaceAll('-', '')}`;
    const relay = relayOn(h.bus);
    relay.notifyOnPublish((records) => {
      const ours = records.filter((r) => r.topic === topic).map((r) => r.key);
      return ours.length === 0 ? [] : [{ channel, payload: JSON.stringify(ours) }];
    });
    const heard: { keys: string[] }[] = [];
    const listening = await h.database.listen(channel, (payload) => heard.push({ keys: JSON.parse(payload) as string[] }));
    const keys = [newId(), newId()];
    await h.database.transaction(async (tx) => {
      await outbox.append(tx, [createMessage(definition, newId(), { note: 'never committed' }, { source: 'test' })]);
      throw new Error('rolled back');
    }).catch(() => undefined);
    await h.database.transaction((tx) => outbox.append(tx, keys.map((key) => createMessage(definition, key, { note: 'committed' }, { source: 'test' }))));
    expect(await relay.drain()).toBeGreaterThanOrEqual(2);
    await waitFor(() => heard.length > 0, { what: 'the notice of the published batch' });
    expect(heard.flatMap((notice) => notice.keys)).toEqual(keys);
    expect(await h.database.db.select().from(outboxTable).where(eq(outboxTable.topic, topic))).toEqual([]);
    await listening.unlisten();
  });

  it('neither publishes again nor keeps rows an earlier version marked published', async () => {
    const topic = `fixture-${newId()}.events`;
    const definition = notedMessage(topic);
    const published = await collect(h.bus, topic);
    const marked = createMessage(definition, newId(), { note: 'published and marked by an earlier version' }, { source: 'test' });
    const fresh = createMessage(definition, newId(), { note: 'not published yet' }, { source: 'test' });
    await h.database.transaction((tx) => outbox.append(tx, [marked]));
    await h.database.db.update(outboxTable).set({ publishedAt: new Date() }).where(eq(outboxTable.id, marked.envelope.id));
    await h.database.transaction((tx) => outbox.append(tx, [fresh]));
    const relay = new OutboxRelay({ service: `fixture-legacy-${kind}`, database: h.database, tables, bus: h.bus, logger, pollMs: 50 });
    relay.start();
    try {
      await waitFor(() => published.records.length >= 1, { what: 'the unmarked row published' });
      await waitFor(async () => (await h.database.db.select().from(outboxTable).where(inArray(outboxTable.id, [marked.envelope.id, fresh.envelope.id]))).length === 0 || undefined, { what: 'both rows gone from the outbox' });
    } finally {
      await relay.stop();
    }
    expect(published.records.map((r) => JSON.parse(r.value).id)).toEqual([fresh.envelope.id]);
    await published.subscription.stop();
  });

  it('coalesces wakes: rows committed during a pass go out in one more pass, not one pass per wake', async () => {
    const topic = `fixture-${newId()}.events`;
    const definition = notedMessage(topic);
    await h.bus.ensureTopics([topic]);
    // A database handle of the relay's own that counts the passes (each reads the outbox once).
    let passes = 0;
    const counted = await openDatabase({ url: h.url }, { onStatement: (text) => void (/^\s*select\b[\s\S]*\bfrom "messaging_fixture"\."outbox"/i.test(text) && (passes += 1)) });
    const entered = deferred();
    const release = deferred();
    const batches: string[][] = [];
    const bus: Bus = {
      ...h.bus,
      kind: h.bus.kind,
      publish: async (records) => {
        batches.push(records.map((r) => JSON.parse(r.value).id as string));
        if (batches.length === 1) {
          entered.resolve();
          await release.promise;
        }
        await h.bus.publish(records);
      },
    };
    const relay = new OutboxRelay({ service: `fixture-coalesce-${kind}`, database: counted, tables, bus, logger, pollMs: 600_000 });
    const message = (note: string) => createMessage(definition, newId(), { note }, { source: 'test' });
    try {
      const first = message('starts a pass');
      await h.database.transaction((tx) => outbox.append(tx, [first]));
      relay.start();
      await entered.promise;
      // While the first batch is on its way, ten commits each wake the relay.
      const during = Array.from({ length: 10 }, (_, i) => message(`committed during the pass ${i}`));
      for (const m of during) {
        await h.database.transaction((tx) => outbox.append(tx, [m]));
        relay.wake();
      }
      const passesBefore = passes;
      release.resolve();
      await waitFor(async () => (await h.database.db.select().from(outboxTable).where(eq(outboxTable.topic, topic))).length === 0 || undefined, { what: 'every row published' });
      expect(batches).toEqual([[first.envelope.id], during.map((m) => m.envelope.id)]);
      // One more pass took all ten. A later commit's wake makes the next pass (the poll is minutes away).
      const later = message('committed after the passes');
      await h.database.transaction((tx) => outbox.append(tx, [later]));
      relay.wake();
      await waitFor(() => batches.length === 3 || undefined, { what: 'the later row published' });
      expect(batches[2]).toEqual([later.envelope.id]);
      expect(passes - passesBefore).toBe(2);
    } finally {
      await relay.stop();
      await counted.close();
    }
  });

  it('publishes again after a crash between publishing and deleting, and the inbox absorbs the duplicate', async () => {
    const topic = `fixture-${newId()}.events`;
    const consumer = await startRecordingConsumer(h, topic);
    const message = createMessage(consumer.definition, newId(), { note: 'published twice' }, { source: 'test' });
    await h.database.transaction((tx) => outbox.append(tx, [message]));

    // The bus takes the records, then the process dies before the rows are deleted.
    const crashingBus: Bus = {
      ...h.bus,
      kind: h.bus.kind,
      publish: async (records) => {
        await h.bus.publish(records);
        throw new Error('process died after the broker acknowledged');
      },
    };
    await expect(relayOn(crashingBus).drain()).rejects.toThrow('process died');
    expect(await relayOn(h.bus).drain()).toBe(1);

    await waitFor(() => consumer.delivered.length >= 2, { what: 'the message delivered twice' });
    await waitFor(async () => (await effectCount(h.database, message.envelope.id)) === 1, { what: 'the effect recorded' });
    expect(await effectCount(h.database, message.envelope.id)).toBe(1);
    await consumer.subscription.stop();
  });

  it('lets only one relay of an outbox be active at a time', async () => {
    const a = await h.database.tryLock('outbox-relay:exclusive-test');
    expect(a).not.toBeNull();
    const b = await h.database.tryLock('outbox-relay:exclusive-test');
    expect(b).toBeNull();
    await a?.release();
    const c = await h.database.tryLock('outbox-relay:exclusive-test');
    expect(c).not.toBeNull();
    await c?.release();
  });
}

describeWithKafkaAndPostgres('outbox relay over Kafka', () => relaySuite('kafka'));
describeWithPostgres('outbox relay in process', () => relaySuite('in-process'));
