import { createMessage, defineMessage, MessageRegistry, newId, type Envelope } from '@fbl/contracts';
import { openDatabase, type Database, type Tx } from '@fbl/db';
import { describeWithPostgres } from '@fbl/testing';
import { eq, inArray } from 'drizzle-orm';
import { fileURLToPath } from 'node:url';
import Type from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, InProcessBus, on, Outbox, replacedSnapshots } from '../src/index.js';
import { effectCount, logger, notedMessage, openHarness, recordOf, tables } from './fixture/harness.js';
import { effects } from './fixture/schema.js';

/** A note `home-1:3` is the third snapshot of home-1. */
const keyOf = (e: Envelope<'Noted', { note: string }>) => e.data.note.split(':')[0]!;
const rankOf = (e: Envelope<'Noted', { note: string }>) => Number(e.data.note.split(':')[1]);

describe('snapshots in a batch', () => {
  const envelope = (type: string, note: string) => ({ type, data: { note } }) as unknown as Envelope;
  const snapshots = { key: keyOf as (e: Envelope) => string, rank: rankOf as (e: Envelope) => number };

  it('keeps the greatest rank of each key, the first one on a tie, and leaves other types alone', () => {
    const batch = [envelope('Noted', 'a:1'), envelope('Noted', 'b:5'), envelope('Other', 'a:9'), envelope('Noted', 'a:3'), envelope('Noted', 'b:4'), envelope('Noted', 'a:3'), envelope('Other', 'a:1')];
    expect([...replacedSnapshots(batch, (type) => (type === 'Noted' ? snapshots : undefined))].sort()).toEqual([0, 4, 5]);
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

/*
 * A handler of many: the runs of its type in a batch go to it at once, in order, between the
 * messages of other types, with the inbox written by one statement; on PostgreSQL and on PGlite
 * (the embedded database) alike.
 */
for (const where of ['PostgreSQL', 'PGlite'] as const) {
  const suite = where === 'PostgreSQL' ? describeWithPostgres : describe;
  suite(`a consumer with a handler of many, on ${where}`, () => {
    let database: Database;
    let close: () => Promise<void>;
    beforeAll(async () => {
      if (where === 'PostgreSQL') {
        const h = await openHarness('in-process');
        database = h.database;
        close = () => h.close();
      } else {
        database = await openDatabase({ dataDir: 'memory' });
        await database.migrate({ folder: fileURLToPath(new URL('./fixture/drizzle', import.meta.url)), table: 'messaging_fixture_migrations' });
        close = () => database.close();
      }
    }, 120_000);
    afterAll(async () => close?.());

    it('gives each run of its type to the handler of many in order, other types to theirs between, and has every message once in the inbox', async () => {
      const topic = `fixture-${newId()}.events`;
      const noted = notedMessage(topic);
      const other = defineMessage({ type: 'Other', version: 1, kind: 'event', topic, schema: Type.Object({ note: Type.String({ minLength: 1 }) }) });
      const calls: string[][] = [];
      const write = (tx: Tx, e: Envelope<string, { note: string }>) => tx.insert(effects).values({ messageId: e.id, note: e.data.note });
      const consumer = createConsumer({
        name: `group-${newId()}`,
        database,
        tables,
        outbox: new Outbox(tables),
        registry: new MessageRegistry([noted, other]),
        bus: new InProcessBus(logger),
        logger,
        handlers: [
          on(noted, async (e, { tx }) => {
            calls.push([e.data.note]);
            await write(tx, e);
          }, {
            many: async (es, { tx }) => {
              calls.push(es.map((e) => e.data.note));
              for (const e of es) await write(tx, e);
            },
          }),
          on(other, async (e, { tx }) => {
            calls.push([`other ${e.data.note}`]);
            await write(tx, e);
          }),
        ],
      });
      const messages = [
        createMessage(noted, newId(), { note: 'n1' }, { source: 'test' }),
        createMessage(noted, newId(), { note: 'n2' }, { source: 'test' }),
        createMessage(other, newId(), { note: 'o1' }, { source: 'test' }),
        createMessage(noted, newId(), { note: 'n3' }, { source: 'test' }),
      ];
      // An id in upper case is the same message (the inbox gives it back in lower case).
      messages[3]!.envelope.id = messages[3]!.envelope.id.toUpperCase();
      // n1 delivered twice in the batch: its effect once.
      await consumer.batch([...messages, messages[0]!].map(recordOf));
      expect(calls).toEqual([['n1', 'n2'], ['other o1'], ['n3']]);
      const ids = messages.map((m) => m.envelope.id.toLowerCase());
      expect((await database.db.select().from(tables.inbox).where(inArray(tables.inbox.messageId, ids))).map((r) => r.type).sort()).toEqual(['Noted', 'Noted', 'Noted', 'Other']);
      const written = await database.db.select().from(effects).where(inArray(effects.messageId, ids)).orderBy(effects.seq);
      expect(written.map((r) => r.note)).toEqual(['n1', 'n2', 'o1', 'n3']);
      // All of them again: nothing new.
      await consumer.batch(messages.map(recordOf));
      expect(calls).toHaveLength(3);
      expect(await database.db.select().from(effects).where(inArray(effects.messageId, ids))).toHaveLength(4);
    });
  });
}
