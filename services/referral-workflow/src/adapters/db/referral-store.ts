import { createMessage, OfferAnswered, type OutgoingMessage } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import type { Outbox, Timers } from '@fbl/messaging';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import type { ReferralEffect } from '../../application/referral-effects.js';
import { timerKey } from '../../application/referral-effects.js';
import type { StoredSnapshot } from '../../application/machine-host.js';
import type { Cause, LoadedReferral, Step } from '../../application/referral-steps.js';
import { MACHINE_VERSION, type ReferralInput } from '../../domain/referral-machine.js';
import type { CurrentStay } from '../../domain/stays.js';
import { matchRuns, offers, referrals, timeline, timers as timerRows } from './schema.js';

/** Thrown when another writer advanced the referral first; the message is retried. */
export class StaleReferralVersion extends Error {}

export type ReferralRow = typeof referrals.$inferSelect;

/** Where referrals and everything their steps leave behind are kept. */
export class ReferralStore {
  constructor(private readonly timers: Timers) {}

  /** Insert a new referral's row (in intake, version 0); answers its running number. */
  async create(tx: Tx, r: { id: string; input: ReferralInput; snapshot: StoredSnapshot; movesFrom: readonly CurrentStay[]; originAdmissionId: string | null; parentId: string | null; now: Date }): Promise<number> {
    const [created] = await tx
      .insert(referrals)
      .values({
        id: r.id,
        machineVersion: MACHINE_VERSION,
        state: 'intake',
        snapshot: r.snapshot,
        version: 0,
        kind: r.input.kind,
        urgency: r.input.urgency,
        elderRef: r.input.elderRef,
        originInstitutionId: r.input.origin.institutionId,
        originAdmissionId: r.originAdmissionId,
        parentId: r.parentId,
        movesFrom: r.movesFrom.length > 0 ? r.movesFrom.map((m) => ({ institutionId: m.institutionId, bedType: m.bedType })) : null,
        createdAt: r.now,
        updatedAt: r.now,
      })
      .returning({ number: referrals.number });
    return created!.number;
  }

  /** A referral, locked for the rest of the transaction; undefined when there is none. */
  async lock(tx: Tx, id: string): Promise<ReferralRow | undefined> {
    const [row] = await tx.select().from(referrals).where(eq(referrals.id, id)).for('update');
    return row;
  }

  /**
   * Save a step: its timeline (even when nothing applied, so the timeline says why), and, when it
   * changed the referral, its effects and the new snapshot under a version check, with the
   * outgoing messages in the outbox, all in the caller's transaction.
   */
  async save(tx: Tx, outbox: Outbox, referral: LoadedReferral, step: Step, cause: Cause, now: Date): Promise<void> {
    // The writes of a step do not depend on one another: issued together, the driver sends them
    // to PostgreSQL in one write, in this order, and the step costs one round trip for them
    // (and one more for the outbox rows, which carry what the offers' update returned).
    const timelineWritten = step.timeline.length > 0 ? tx.insert(timeline).values(
      step.timeline.map((t) => ({
        referralId: referral.id,
        at: now,
        event: t.event,
        fromState: t.from,
        toState: t.to,
        actor: cause.actor,
        actorName: cause.actorName ?? null,
        actorRole: cause.actorRole ?? null,
        actorInstitutionId: cause.actorInstitutionId ?? null,
        causedBy: cause.causationId,
        detail: t.detail,
      })),
    ).execute() : undefined;
    if (!step.changed) {
      await timelineWritten;
      return;
    }
    const carried = step.effects.map((effect) => this.carryOut(tx, referral.id, effect));
    const updated = tx
      .update(referrals)
      .set({ snapshot: step.snapshot, state: step.state, version: referral.version + 1, machineVersion: step.machineVersion, updatedAt: now })
      .where(and(eq(referrals.id, referral.id), eq(referrals.version, referral.version)))
      .returning({ id: referrals.id })
      .execute();
    const [, messages, rows] = await Promise.all([timelineWritten, Promise.all(carried), updated]);
    if (rows.length === 0) throw new StaleReferralVersion(`referral ${referral.id} changed concurrently`);
    await outbox.append(tx, messages.flat());
  }

  /** Carry out one effect; answers the messages it sends. */
  private async carryOut(tx: Tx, referralId: string, effect: ReferralEffect): Promise<OutgoingMessage[]> {
    switch (effect.kind) {
      case 'send':
        return [effect.message];
      case 'offersMade':
        if (effect.offers.length === 0) return [];
        await tx.insert(offers).values(
          effect.offers.map((o) => ({ id: o.offerId, referralId, institutionId: o.institutionId, bedType: o.bedType, rank: o.rank, status: 'open', urgency: effect.urgency, offeredAt: effect.offeredAt, respondBy: effect.respondBy })),
        );
        return [];
      case 'offerAnswered': {
        const { offer } = effect;
        const [stored] = await tx.update(offers).set({ status: offer.status, reasonCode: offer.reasonCode ?? null, answeredAt: effect.at }).where(eq(offers.id, offer.offerId)).returning({ offeredAt: offers.offeredAt });
        return [
          createMessage(OfferAnswered, referralId, {
            referralId,
            offerId: offer.offerId,
            institutionId: offer.institutionId,
            bedType: offer.bedType,
            answer: effect.answer,
            ...(effect.reasonCode ? { reasonCode: effect.reasonCode } : {}),
            offeredAt: (stored?.offeredAt ?? effect.at).toISOString(),
          }, effect.origin, { time: effect.at }),
        ];
      }
      case 'offersReleased':
        await tx.update(offers).set({ answeredAt: sql`coalesce(${offers.answeredAt}, ${effect.at.toISOString()}::timestamptz)` }).where(inArray(offers.id, [...effect.offerIds]));
        return [];
      case 'offerStatus':
        await tx.update(offers).set({ status: effect.status }).where(eq(offers.id, effect.offerId));
        return [];
      case 'schedule':
        await this.timers.schedule(tx, effect.key, effect.dueAt, effect.message);
        return [];
      case 'unschedule':
        await this.timers.cancel(tx, effect.key);
        return [];
      case 'unscheduleAll':
        await tx.delete(timerRows).where(and(like(timerRows.key, `${timerKey(referralId, '')}%`), sql`${timerRows.firedAt} is null`));
        return [];
      case 'matchRun':
        await tx.insert(matchRuns).values({ referralId, at: effect.at, widened: effect.widened ? 1 : 0, resultSealed: effect.resultSealed });
        return [];
      case 'match':
        throw new Error('a match is answered within its step, never saved');
    }
  }
}
