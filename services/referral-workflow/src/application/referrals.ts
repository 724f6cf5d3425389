import { causedBy, createMessage, newId, ReferralRequested, ReferralStateChanged, type Envelope, type MessageOrigin } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import type { Outbox } from '@fbl/messaging';
import { notFound, type ServiceKit } from '@fbl/service-kit';
import { and, asc, eq } from 'drizzle-orm';
import { initialTransition, transition } from 'xstate';
import { referrals, timeline } from '../adapters/db/schema.js';
import { MACHINE_VERSION, referralMachine, type BedTypeName, type ReferralEvent } from '../domain/referral-machine.js';
import { machineFor, messagesOfActions, restoreSnapshot, storeSnapshot, type StoredSnapshot } from './machine-host.js';

export const SERVICE = 'referral-workflow';

/** Thrown when another writer advanced the referral first; the message is retried. */
export class StaleReferralVersion extends Error {}

/** Input of a new referral from a discharge planner. */
export interface NewReferral {
  elderRef: string;
  institutionId: string;
  bedType: BedTypeName;
  requirements?: Record<string, string | boolean>;
}

/**
 * The host of the referral machine. For each message it loads the referral's snapshot, computes
 * the pure transition, and saves the snapshot (with a version check), the timeline and the
 * resulting commands in the caller's transaction.
 */
export class Referrals {
  constructor(private readonly kit: ServiceKit) {}

  private get now(): Date {
    return this.kit.deps.clock();
  }

  /** Start a referral; its first command (hold a bed) leaves through the outbox. */
  async request(input: NewReferral, origin: MessageOrigin): Promise<{ id: string; state: string }> {
    const id = newId();
    const [snapshot, actions] = initialTransition(referralMachine, { referralId: id, ...input });
    const stored = storeSnapshot(snapshot);
    const now = this.now;
    const journey: MessageOrigin = { ...origin, correlationId: id };
    await this.kit.transact(async (tx, outbox) => {
      await tx.insert(referrals).values({
        id,
        machineVersion: MACHINE_VERSION,
        state: stored.value,
        snapshot: stored,
        version: 1,
        institutionId: input.institutionId,
        createdAt: now,
        updatedAt: now,
      });
      await tx.insert(timeline).values({ referralId: id, at: now, event: 'ReferralRequested', fromState: null, toState: stored.value, causedBy: origin.causationId ?? 'request' });
      await outbox.append(tx, [
        createMessage(ReferralRequested, id, { referralId: id, elderRef: input.elderRef, institutionId: input.institutionId, bedType: input.bedType }, journey, { time: now }),
        ...messagesOfActions(actions, journey, now),
      ]);
    });
    return { id, state: stored.value };
  }

  /** Apply a message to the referral it is about, in the consumer's transaction. */
  async apply(referralId: string, event: ReferralEvent, cause: Envelope, tx: Tx, outbox: Outbox): Promise<void> {
    const [row] = await tx.select().from(referrals).where(eq(referrals.id, referralId)).for('update');
    if (!row) {
      this.kit.logger.warn({ referralId, type: cause.type }, 'message for an unknown referral ignored');
      return;
    }
    const stored = row.snapshot as StoredSnapshot;
    const machine = machineFor(row.machineVersion);
    const [next, actions] = transition(machine, restoreSnapshot(row.machineVersion, stored), event);
    const nextStored = storeSnapshot(next);
    const now = this.now;
    const changed = nextStored.value !== stored.value || JSON.stringify(nextStored.context) !== JSON.stringify(stored.context);
    await tx.insert(timeline).values({
      referralId,
      at: now,
      event: event.type,
      fromState: stored.value,
      toState: nextStored.value,
      causedBy: cause.id,
      detail: changed ? null : `not applicable in state ${stored.value}`,
    });
    if (!changed && actions.length === 0) return;
    const updated = await tx
      .update(referrals)
      .set({ snapshot: nextStored, state: nextStored.value, version: row.version + 1, updatedAt: now })
      .where(and(eq(referrals.id, referralId), eq(referrals.version, row.version)))
      .returning({ id: referrals.id });
    if (updated.length === 0) throw new StaleReferralVersion(`referral ${referralId} changed concurrently`);
    const origin = causedBy(cause, SERVICE);
    const messages = messagesOfActions(actions, origin, now);
    if (nextStored.value !== stored.value) {
      messages.push(
        createMessage(ReferralStateChanged, referralId, { referralId, from: stored.value, to: nextStored.value, machineVersion: row.machineVersion }, origin, { time: now }),
      );
    }
    await outbox.append(tx, messages);
  }

  /** A referral with its timeline. */
  async get(id: string) {
    const { db } = this.kit.deps.database;
    const [row] = await db.select().from(referrals).where(eq(referrals.id, id));
    if (!row) throw notFound(`referral ${id}`);
    const steps = await db.select().from(timeline).where(eq(timeline.referralId, id)).orderBy(asc(timeline.seq));
    const context = (row.snapshot as StoredSnapshot).context;
    return {
      id: row.id,
      state: row.state,
      machineVersion: row.machineVersion,
      version: row.version,
      institutionId: row.institutionId,
      bedType: String(context['bedType']),
      holdId: typeof context['holdId'] === 'string' ? context['holdId'] : null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      timeline: steps.map((s) => ({ at: s.at.toISOString(), event: s.event, from: s.fromState, to: s.toState, causedBy: s.causedBy, detail: s.detail })),
    };
  }
}
