import { createMessage, newId } from '@fbl/contracts';
import { openDatabase, type Database } from '@fbl/db';
import { createMetrics, type ProcessMetrics } from '@fbl/observability';
import { createTestDatabase, waitFor } from '@fbl/testing';
import { privateServersUnavailable, startPrivatePostgres, type PrivateServer } from '@fbl/testing/private-servers';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessBus, Outbox, OutboxRelay, type Bus, type BusRecord } from '../src/index.js';
import { logger, notedMessage, tables } from './fixture/harness.js';

const missing = privateServersUnavailable();
if (missing && process.env['CI']) throw new Error(`a private PostgreSQL server is required in CI: ${missing}`);

const SERVICE = 'fencing-fixture';

/** The relay's lock is fenced: a database restart ends the session that held it, and the relay must notice. */
describe.skipIf(missing !== '')('outbox relay across a database restart', () => {
  let server: PrivateServer;
  let url: string;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    url = (await createTestDatabase('fencing', server.value)).url;
    const setup = await openDatabase({ url });
    await setup.migrate({ folder: fileURLToPath(new URL('./fixture/drizzle', import.meta.url)), table: 'messaging_fixture_migrations' });
    await setup.close();
  }, 120_000);
  afterAll(async () => server?.remove());

  it('tells a lock lost with its session, even after the driver reconnected', async () => {
    const database = await openDatabase({ url });
    try {
      const lock = await database.tryLock('held-test');
      expect(lock).not.toBeNull();
      expect(await lock!.held()).toBe(true);
      await lock!.release();
      expect(await lock!.held()).toBe(false);
      const again = await database.tryLock('held-test');
      expect(await again!.held()).toBe(true);
      await server.stop();
      await server.start();
      // The locks' connection is back (the driver reconnects), but the lock ended with the old session.
      await waitFor(async () => database.ping().then(() => true, () => false), { what: 'the database back', timeoutMs: 60_000 });
      expect(await again!.held()).toBe(false);
      const retaken = await database.tryLock('held-test');
      expect(await retaken!.held()).toBe(true);
      await retaken!.release();
    } finally {
      await database.close();
    }
  }, 120_000);

  it('has exactly one relay publishing after the restart, and publishes every row', async () => {
    const topic = `fencing-${newId()}.events`;
    const definition = notedMessage(topic);
    const outbox = new Outbox(tables);
    const bus = new InProcessBus(logger);
    // Which relay published what, and when.
    const log: { relay: 'a' | 'b'; at: number; ids: string[] }[] = [];
    const recording = (relay: 'a' | 'b'): Bus => ({
      kind: bus.kind,
      ensureTopics: bus.ensureTopics.bind(bus),
      ping: bus.ping.bind(bus),
      subscribe: bus.subscribe.bind(bus),
      replay: bus.replay.bind(bus),
      close: bus.close.bind(bus),
      publish: async (records: BusRecord[]) => {
        await bus.publish(records);
        log.push({ relay, at: Date.now(), ids: records.map((r) => (JSON.parse(r.value) as { id: string }).id) });
      },
    });
    const open = async (name: 'a' | 'b') => {
      const database = await openDatabase({ url });
      const metrics = createMetrics({ process: name });
      const relay = new OutboxRelay({ service: SERVICE, database, tables, bus: recording(name), logger, metrics, pollMs: 50 });
      return { database, metrics, relay };
    };
    const active = async (m: ProcessMetrics) => (await m.outboxRelayActive.get()).values.find((v) => v.labels.service === SERVICE)?.value ?? 0;
    const a = await open('a');
    const b = await open('b');
    const written: string[] = [];
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const message = createMessage(definition, newId(), { note: 'during a restart' }, { source: 'test' });
        const ok = await a.database.transaction((tx) => outbox.append(tx, [message])).then(() => true, () => false);
        if (ok) written.push(message.envelope.id);
        await new Promise((r) => setTimeout(r, ok ? 20 : 200));
      }
    })();
    // Both relays' active flags, sampled all along: never two at once.
    const samples: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push((await active(a.metrics)) + (await active(b.metrics)));
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    try {
      a.relay.start();
      await waitFor(async () => (await active(a.metrics)) === 1, { what: 'relay a active', timeoutMs: 60_000 });
      b.relay.start();
      await waitFor(() => log.length >= 5, { what: 'a few batches published', timeoutMs: 60_000 });
      expect(new Set(log.map((l) => l.relay))).toEqual(new Set(['a']));

      await server.stop();
      await new Promise((r) => setTimeout(r, 1000));
      await server.start();
      const restarted = Date.now();
      // Some relay takes over (either may), and rows keep flowing.
      await waitFor(async () => (await active(a.metrics)) + (await active(b.metrics)) === 1 && log.some((l) => l.at > restarted), { what: 'a relay active again and publishing', timeoutMs: 120_000 });
      const settled = Date.now();
      await waitFor(() => log.filter((l) => l.at > settled).length >= 20, { what: 'batches published after the restart', timeoutMs: 120_000 });
      writing = false;
      await writer;
      // Everything written is published.
      await waitFor(() => {
        const published = new Set(log.flatMap((l) => l.ids));
        return written.every((id) => published.has(id));
      }, { what: 'every committed row published', timeoutMs: 120_000 });
      const after = log.filter((l) => l.at > settled);
      expect(new Set(after.map((l) => l.relay)).size, `relays publishing after the restart: ${[...new Set(after.map((l) => l.relay))].join(', ')}`).toBe(1);
      sampling = false;
      await sampler;
      expect(Math.max(...samples), 'two relays of one outbox were active at once').toBeLessThanOrEqual(1);
      expect(samples.at(-1)).toBe(1);
      // A row goes out twice only when a batch was published and not marked as the database went: a batch at most.
      const counts = new Map<string, number>();
      for (const id of log.flatMap((l) => l.ids)) counts.set(id, (counts.get(id) ?? 0) + 1);
      const twice = [...counts.values()].filter((n) => n > 1).length;
      console.log(`[fencing] ${written.length} rows, ${log.length} batches, ${twice} rows published more than once`);
      expect(twice).toBeLessThanOrEqual(500);
    } finally {
      writing = false;
      sampling = false;
      await writer;
      await sampler;
      await a.relay.stop();
      await b.relay.stop();
      await a.database.close();
      await b.database.close();
    }
  }, 300_000);
});

/** The lock check of a relay on PGlite: one session, always held while open. */
describe('outbox relay lock on the embedded database', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory' });
  });
  afterAll(async () => database?.close());
  it('is held while the database is open', async () => {
    const lock = await database.tryLock('embedded');
    expect(await lock!.held()).toBe(true);
  });
});
