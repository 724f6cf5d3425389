import { createMessage, newId } from '@fbl/contracts';
import { describeWithKafkaAndPostgres, describeWithPostgres, waitFor } from '@fbl/testing';
import { asc, isNull } from 'drizzle-orm';
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
    const [firstRow] = await h.database.db.select().from(outboxTable).where(isNull(outboxTable.publishedAt));
    expect(firstRow?.id).toBe(first.envelope.id);
    expect(await relay.drain()).toBe(1);

    await waitFor(() => published.records.length >= 2, { what: 'both rows published' });
    expect(published.records.map((r) => JSON.parse(r.value).id)).toEqual([second.envelope.id, first.envelope.id]);
    expect(await relay.drain()).toBe(0);
    await published.subscription.stop();
  });

  it('tells its listeners what each batch published, once marked, only what committed, and goes on when a listener fails', async () => {
    const topic = `fixture-${newId()}.events`;
    const definition = notedMessage(topic);
    await h.bus.ensureTopics([topic]);
    const keys = [newId(), newId()];
    const relay = relayOn(h.bus);
    const heard: { topic: string; key: string }[] = [];
    relay.afterPublish(async (records) => void heard.push(...records.filter((r) => r.topic === topic)));
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
    const unmarked = await h.database.db.select().from(outboxTable).where(isNull(outboxTable.publishedAt));
    expect(unmarked).toEqual([]);
  });

  it('publishes again after a crash between publishing and marking, and the inbox absorbs the duplicate', async () => {
    const topic = `fixture-${newId()}.events`;
    const consumer = await startRecordingConsumer(h, topic);
    const message = createMessage(consumer.definition, newId(), { note: 'published twice' }, { source: 'test' });
    await h.database.transaction((tx) => outbox.append(tx, [message]));

    // The bus takes the records, then the process dies before the rows are marked.
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
