import { createMessage, newId } from '@fbl/contracts';
import { describeWithPostgres } from '@fbl/testing';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Outbox, TimerPoller, Timers } from '../src/index.js';
import { logger, notedMessage, openHarness, tables } from './fixture/harness.js';
import { outbox as outboxTable } from './fixture/schema.js';

describeWithPostgres('durable timers', () => {
  let h: Awaited<ReturnType<typeof openHarness>>;
  let now = new Date('2026-03-01T08:00:00Z');
  const outbox = new Outbox(tables);
  const timers = new Timers(tables);
  const definition = notedMessage('fixture-timers.commands');
  const poller = () => new TimerPoller({ database: h.database, tables, outbox, logger, clock: () => now });
  const outboxOf = (key: string) => h.database.db.select().from(outboxTable).where(eq(outboxTable.key, key)).orderBy(asc(outboxTable.seq));

  beforeAll(async () => {
    h = await openHarness('in-process');
  });
  afterAll(async () => h?.close());

  it('sends nothing before the due time and the message once after it, even from a new poller', async () => {
    const subject = newId();
    await h.database.transaction((tx) => timers.schedule(tx, `t:${subject}`, new Date('2026-03-01T10:00:00Z'), createMessage(definition, subject, { note: 'due' }, { source: 'test' })));

    expect(await poller().fireDue()).toBe(0);
    now = new Date('2026-03-01T10:00:01Z');
    // A poller made after a restart finds the timer in the database.
    expect(await poller().fireDue()).toBe(1);
    expect(await poller().fireDue()).toBe(0);
    const rows = await outboxOf(subject);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.envelope).toMatchObject({ type: 'Noted', data: { note: 'due' }, time: now.toISOString() });
  });

  it('moves a timer scheduled again under the same key, and forgets a cancelled one', async () => {
    now = new Date('2026-04-01T00:00:00Z');
    const moved = newId();
    const cancelled = newId();
    await h.database.transaction(async (tx) => {
      await timers.schedule(tx, `t:${moved}`, new Date('2026-04-01T01:00:00Z'), createMessage(definition, moved, { note: 'first' }, { source: 'test' }));
      await timers.schedule(tx, `t:${moved}`, new Date('2026-04-02T01:00:00Z'), createMessage(definition, moved, { note: 'moved' }, { source: 'test' }));
      await timers.schedule(tx, `t:${cancelled}`, new Date('2026-04-01T01:00:00Z'), createMessage(definition, cancelled, { note: 'never' }, { source: 'test' }));
    });
    await h.database.transaction((tx) => timers.cancel(tx, `t:${cancelled}`));

    now = new Date('2026-04-01T12:00:00Z');
    await poller().fireDue();
    expect(await outboxOf(moved)).toHaveLength(0);
    now = new Date('2026-04-02T12:00:00Z');
    await poller().fireDue();
    expect((await outboxOf(moved)).map((r) => (r.envelope as { data: { note: string } }).data.note)).toEqual(['moved']);
    expect(await outboxOf(cancelled)).toHaveLength(0);
  });
});
