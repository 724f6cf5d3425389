import { createMessage, MessageRegistry, newId, type Envelope } from '@fbl/contracts';
import { describeWithPostgres } from '@fbl/testing';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, on, Outbox, replacedSnapshots } from '../src/index.js';
import { effectCount, logger, notedMessage, openHarness, recordOf, tables } from './fixture/harness.js';
import { effects } from './fixture/schema.js';

/** A note `home-1:3` is the third snapshot of home-1. */
const keyOf = (e: Envelope<'Noted', { note: string }>) => e.data.note.split(':')[0]!;
const rankOf = (e: Envelope<'Noted', { note: string }>) => Number(e.data.note.split(':')[1]);

describe('snapshots in a batch', () => {
  const envelope = (type: string, note: string) => ({ type, data: { note } }) as unknown as Envelope;
  const snapshots = { key: keyOf as (e: Envelope) => string, rank: rankOf as (e: Envelope) => number };

  it('keeps the greatest rank of each key, the later one on a tie, and leaves other types alone', () => {
    const batch = [envelope('Noted', 'a:1'), envelope('Noted', 'b:5'), envelope('Other', 'a:9'), envelope('Noted', 'a:3'), envelope('Noted', 'b:4'), envelope('Noted', 'a:3'), envelope('Other', 'a:1')];
    expect([...replacedSnapshots(batch, (type) => (type === 'Noted' ? snapshots : undefined))].sort()).toEqual([0, 3, 4]);
    expect(replacedSnapshots(batch, () => undefined).size).toBe(0);
  });
});

describeWithPostgres('a consumer of snapshots', () => {
  let h: Awaited<ReturnType<typeof openHarness>>;
  beforeAll(async () => {
    h = await openHarness('in-process');
  });
  afterAll(async () => h?.close());

  it("runs the handler once per key in a batch, for the latest snapshot, keeps every message in the inbox, and takes a replaced one delivered again as a duplicate", async () => {
    const topic = `fixture-${newId()}.events`;
    const definition = notedMessage(topic);
    const ran: string[] = [];
    const consumer = createConsumer({
      name: `group-${newId()}`,
      database: h.database,
      tables,
      outbox: new Outbox(tables),
      registry: new MessageRegistry([definition]),
      bus: h.bus,
      logger,
      handlers: [
        on(definition, async (e, { tx }) => {
          ran.push(e.data.note);
          await tx.insert(effects).values({ messageId: e.id, note: e.data.note });
        }, { snapshots: { key: keyOf, rank: rankOf } }),
      ],
    });
    const notes = ['home-1:1', 'home-2:1', 'home-1:3', 'home-1:2', 'home-2:2'];
    const messages = notes.map((note) => createMessage(definition, newId(), { note }, { source: 'test' }));
    await consumer.batch(messages.map(recordOf));
    expect(ran).toEqual(['home-1:3', 'home-2:2']);
    const inbox = await h.database.db.select().from(tables.inbox).where(inArray(tables.inbox.messageId, messages.map((m) => m.envelope.id)));
    expect(inbox).toHaveLength(5);
    // The older snapshot of home-1, delivered again with a newer one, changes nothing.
    const newer = createMessage(definition, newId(), { note: 'home-1:4' }, { source: 'test' });
    await consumer.batch([recordOf(messages[0]!), recordOf(newer)]);
    expect(ran).toEqual(['home-1:3', 'home-2:2', 'home-1:4']);
    expect(await effectCount(h.database, messages[0]!.envelope.id)).toBe(0);
    expect((await h.database.db.select().from(effects).where(eq(effects.messageId, newer.envelope.id))).map((e) => e.note)).toEqual(['home-1:4']);
  });
});
