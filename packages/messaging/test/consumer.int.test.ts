import { createMessage, dlqTopic, newId } from '@fbl/contracts';
import { describeWithKafkaAndPostgres, describeWithPostgres, waitFor } from '@fbl/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HEADERS } from '../src/index.js';
import { collect, effectCount, notedMessage, openHarness, recordOf, startRecordingConsumer, type BusKind } from './fixture/harness.js';

/** The inbox and dead-letter behaviour, run against both bus adapters. */
function consumerSuite(kind: BusKind) {
  let h: Awaited<ReturnType<typeof openHarness>>;
  beforeAll(async () => {
    h = await openHarness(kind);
  });
  afterAll(async () => h?.close());

  it('gives a redelivered message no second effect', async () => {
    const topic = `fixture-${newId()}.events`;
    const consumer = await startRecordingConsumer(h, topic);
    const message = createMessage(consumer.definition, newId(), { note: 'once' }, { source: 'test' });

    await h.bus.publish([recordOf(message)]);
    await h.bus.publish([recordOf(message)]);

    await waitFor(() => consumer.delivered.length >= 2, { what: 'both deliveries of the same message' });
    expect(await effectCount(h.database, message.envelope.id)).toBe(1);
    await consumer.subscription.stop();
  });

  it('dead-letters a message that fails its schema, with the reason, and goes on', async () => {
    const topic = `fixture-${newId()}.events`;
    const consumer = await startRecordingConsumer(h, topic);
    const dlq = await collect(h.bus, dlqTopic(topic));
    const bad = createMessage(consumer.definition, newId(), { note: 'x' }, { source: 'test' });
    const badRecord = recordOf({ ...bad, envelope: { ...bad.envelope, data: { note: '' } } });
    const good = createMessage(consumer.definition, newId(), { note: 'after the bad one' }, { source: 'test' });

    await h.bus.publish([badRecord]);
    await h.bus.publish([recordOf(good)]);

    await waitFor(async () => (await effectCount(h.database, good.envelope.id)) === 1, { what: 'the good message after the bad one handled' });
    const dead = await waitFor(() => dlq.records.find((r) => r.headers[HEADERS.messageId] === bad.envelope.id), { what: 'the bad message in the DLQ' });
    expect(dead.topic).toBe(dlqTopic(topic));
    expect(dead.headers[HEADERS.dlqReason]).toContain('/note');
    expect(dead.headers[HEADERS.dlqTopic]).toBe(topic);
    expect(JSON.parse(dead.value)).toMatchObject({ id: bad.envelope.id });
    expect(await effectCount(h.database, bad.envelope.id)).toBe(0);
    await consumer.subscription.stop();
    await dlq.subscription.stop();
  });

  it('dead-letters at once, with the reason, a message its handler says can never apply, and goes on', async () => {
    const topic = `fixture-${newId()}.events`;
    const consumer = await startRecordingConsumer(h, topic);
    const dlq = await collect(h.bus, dlqTopic(topic));
    const never = createMessage(consumer.definition, newId(), { note: 'names nothing' }, { source: 'test' });
    const good = createMessage(consumer.definition, newId(), { note: 'after it' }, { source: 'test' });
    await h.bus.publish([recordOf(never), recordOf(good)]);
    await waitFor(async () => (await effectCount(h.database, good.envelope.id)) === 1, { what: 'the next message handled' });
    const dead = await waitFor(() => dlq.records.find((r) => r.headers[HEADERS.messageId] === never.envelope.id), { what: 'the message in the DLQ' });
    expect(dead.headers[HEADERS.dlqReason]).toBe('cannot be applied: the note names nothing that exists');
    expect(await effectCount(h.database, never.envelope.id)).toBe(0);
    // Handled once: not retried, since no retry could ever apply it.
    expect(consumer.attempts.get(never.envelope.id)).toBe(1);
    await consumer.subscription.stop();
    await dlq.subscription.stop();
  });

  it('dead-letters at once a message whose use case refuses it (a domain refusal), and goes on', async () => {
    const topic = `fixture-${newId()}.events`;
    const consumer = await startRecordingConsumer(h, topic);
    const dlq = await collect(h.bus, dlqTopic(topic));
    const refused = createMessage(consumer.definition, newId(), { note: 'refused' }, { source: 'test' });
    const good = createMessage(consumer.definition, newId(), { note: 'after the refused one' }, { source: 'test' });
    await h.bus.publish([recordOf(refused), recordOf(good)]);
    await waitFor(async () => (await effectCount(h.database, good.envelope.id)) === 1, { what: 'the next message handled' });
    const dead = await waitFor(() => dlq.records.find((r) => r.headers[HEADERS.messageId] === refused.envelope.id), { what: 'the refused message in the DLQ' });
    expect(dead.headers[HEADERS.dlqReason]).toBe('cannot be applied: the record the note names does not exist or is not visible to you');
    expect(await effectCount(h.database, refused.envelope.id)).toBe(0);
    expect(consumer.attempts.get(refused.envelope.id)).toBe(1);
    await consumer.subscription.stop();
    await dlq.subscription.stop();
  });

  it("runs a handler's after-commit task once its effect committed (seen from another connection), and never for an effect rolled back", async () => {
    const topic = `fixture-${newId()}.events`;
    const consumer = await startRecordingConsumer(h, topic);
    const never = createMessage(consumer.definition, newId(), { note: 'names nothing' }, { source: 'test' });
    const good = createMessage(consumer.definition, newId(), { note: 'committed' }, { source: 'test' });
    await h.bus.publish([recordOf(never), recordOf(good)]);
    await waitFor(() => consumer.committed.has(good.envelope.id) || undefined, { what: "the good message's after-commit task" });
    expect(consumer.committed.get(good.envelope.id)).toBe(1);
    // The two keys may lie in different partitions: the message that rolls back may come second.
    await waitFor(() => (consumer.attempts.get(never.envelope.id) ?? 0) > 0 || undefined, { what: 'the rolled-back message tried' });
    expect(consumer.committed.has(never.envelope.id)).toBe(false);
    await consumer.subscription.stop();
  });

  it('dead-letters a message that is not JSON', async () => {
    const topic = `fixture-${newId()}.events`;
    const consumer = await startRecordingConsumer(h, topic);
    const dlq = await collect(h.bus, dlqTopic(topic));
    await h.bus.publish([{ topic, key: 'k', value: '{not json', headers: { [HEADERS.messageId]: 'garbage' } }]);
    const dead = await waitFor(() => dlq.records.find((r) => r.headers[HEADERS.messageId] === 'garbage'), { what: 'the garbage in the DLQ' });
    expect(dead.headers[HEADERS.dlqReason]).toBe('malformed JSON');
    await consumer.subscription.stop();
    await dlq.subscription.stop();
  });
}

describeWithKafkaAndPostgres('consumer over Kafka', () => consumerSuite('kafka'));

/** Records a fetch brings together, applied in one transaction (Kafka fetches in batches; the in-process bus does not). */
describeWithKafkaAndPostgres('a batching consumer over Kafka', () => {
  let h: Awaited<ReturnType<typeof openHarness>>;
  beforeAll(async () => {
    h = await openHarness('kafka');
  });
  afterAll(async () => h?.close());

  it('applies the records of one fetch in fewer transactions than records, each effect once', async () => {
    const topic = `fixture-${newId()}.events`;
    const definition = notedMessage(topic);
    const messages = Array.from({ length: 30 }, (_, i) => createMessage(definition, newId(), { note: `batched ${i}` }, { source: 'test' }));
    const consumer = await startRecordingConsumer(h, topic, { batched: true, beforeSubscribe: () => h.bus.publish(messages.map(recordOf)) });
    await waitFor(async () => (await Promise.all(messages.map((m) => effectCount(h.database, m.envelope.id)))).every((n) => n === 1) || undefined, { what: 'every message applied' });
    const transactions = new Set(messages.map((m) => consumer.transactions.get(m.envelope.id)));
    expect(transactions.has(undefined)).toBe(false);
    expect(transactions.size).toBeLessThan(messages.length);
    // Each batch's after-commit tasks ran once it committed.
    await waitFor(() => messages.every((m) => consumer.committed.has(m.envelope.id)) || undefined, { what: 'every after-commit task' });
    expect(messages.map((m) => consumer.committed.get(m.envelope.id))).toEqual(messages.map(() => 1));
    await consumer.subscription.stop();
  });

  it('gives a message delivered twice within a batch one effect, and when one record cannot apply, applies the others alone and dead-letters it', async () => {
    const topic = `fixture-${newId()}.events`;
    const definition = notedMessage(topic);
    const [a, b, c] = ['first', 'second', 'third'].map((note) => createMessage(definition, newId(), { note }, { source: 'test' }));
    const never = createMessage(definition, newId(), { note: 'names nothing' }, { source: 'test' });
    const dlq = await collect(h.bus, dlqTopic(topic));
    const consumer = await startRecordingConsumer(h, topic, { batched: true, beforeSubscribe: () => h.bus.publish([a!, b!, a!, never, c!].map(recordOf)) });
    await waitFor(async () => (await Promise.all([a!, b!, c!].map((m) => effectCount(h.database, m.envelope.id)))).every((n) => n === 1) || undefined, { what: 'the good messages applied' });
    const dead = await waitFor(() => dlq.records.find((r) => r.headers[HEADERS.messageId] === never.envelope.id), { what: 'the message that cannot apply in the DLQ' });
    expect(dead.headers[HEADERS.dlqReason]).toBe('cannot be applied: the note names nothing that exists');
    expect(await effectCount(h.database, never.envelope.id)).toBe(0);
    // The batch that rolled back ran no after-commit task; each record applied alone ran its own.
    await waitFor(() => [a!, b!, c!].every((m) => consumer.committed.has(m.envelope.id)) || undefined, { what: 'the after-commit tasks of the good messages' });
    expect([a!, b!, c!].map((m) => consumer.committed.get(m.envelope.id))).toEqual([1, 1, 1]);
    expect(consumer.committed.has(never.envelope.id)).toBe(false);
    for (const m of [a!, b!, c!]) expect(await effectCount(h.database, m.envelope.id)).toBe(1);
    await consumer.subscription.stop();
    await dlq.subscription.stop();
  });
});
describeWithPostgres('consumer in process', () => consumerSuite('in-process'));
