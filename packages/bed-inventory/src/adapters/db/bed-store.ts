import { BedAvailabilityChanged, newId, type MessageOrigin, type OutgoingMessage } from '@fbl/contracts';
import type { Executor, Tx } from '@fbl/db';
import type { Outbox, Timers } from '@fbl/messaging';
import type { Sealer } from '@fbl/privacy';
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { BedEffect } from '../../application/bed-effects.js';
import type { BedMessages } from '../../application/messages.js';
import { summarise } from '../../domain/availability.js';
import type { BedCommand, BedState, HoldState, StayState, UnitState } from '../../domain/decider.js';
import type { UnitBatch } from '../../domain/institution.js';
import type { BedTypePolicy } from '../../domain/policy.js';
import { activeHold, freeUnit, type BedInventoryTables } from './tables.js';

type InstitutionRow = BedInventoryTables['institutions']['$inferSelect'];

/**
 * Where a bed service keeps institutions, units, holds and stays. Every change of an
 * institution's capacity first locks the institution's row, so changes of one institution are
 * serialised and each publishes a complete, ordered availability snapshot. Residents' health text
 * (service plans, discharge and transfer reasons, stage reviews) is written sealed.
 */
export class BedStore {
  constructor(
    private readonly t: BedInventoryTables,
    private readonly policy: BedTypePolicy,
    private readonly messages: BedMessages,
    private readonly timers: Timers,
    private readonly sealer: Sealer,
  ) {}

  /** Seal health text that leaves the service in a message (a transfer's reason). */
  seal(text: string): string {
    return this.sealer.seal(text);
  }

  /** Lock an institution's row for this transaction; undefined when there is none. */
  async lockInstitution(tx: Tx, institutionId: string): Promise<InstitutionRow | undefined> {
    const [institution] = await tx.select().from(this.t.institutions).where(eq(this.t.institutions.id, institutionId)).for('update');
    return institution;
  }

  /** What a command of the decider is decided on, locked. */
  async load(tx: Tx, command: BedCommand): Promise<BedState> {
    switch (command.type) {
      case 'Reserve': {
        const institution = await this.lockInstitution(tx, command.institutionId);
        if (!institution || command.bedType !== this.policy.bedType) return institution ? { institution } : {};
        const [hold] = await tx.select().from(this.t.holds).where(and(eq(this.t.holds.referralId, command.referralId), activeHold(this.t.holds)));
        if (hold) return { institution, hold, ...(hold.institutionId === command.institutionId ? { unit: await this.unit(tx, hold.unitId) } : {}) };
        const { units } = this.t;
        const free = freeUnit(units);
        const [candidate] = await tx
          .select()
          .from(units)
          .where(and(eq(units.institutionId, command.institutionId), free, sql`${units.attributes} @> ${JSON.stringify(command.requirements ?? {})}::jsonb`))
          .orderBy(asc(units.ordinal))
          .limit(1);
        if (candidate) return { institution, candidate };
        const [anyFree] = await tx.select({ id: units.id }).from(units).where(and(eq(units.institutionId, command.institutionId), free)).limit(1);
        return { institution, anyFree: Boolean(anyFree) };
      }
      case 'ExpireHold': {
        const institution = await this.lockInstitution(tx, command.institutionId);
        const [hold] = await tx.select().from(this.t.holds).where(eq(this.t.holds.id, command.holdId));
        return { ...(institution ? { institution } : {}), ...(hold ? { hold } : {}) };
      }
      case 'Release': {
        const institution = await this.lockInstitution(tx, command.institutionId);
        if (!institution) return {};
        const [hold] = await tx.select().from(this.t.holds).where(and(eq(this.t.holds.referralId, command.referralId), activeHold(this.t.holds)));
        return { institution, ...(hold ? { hold } : {}) };
      }
      case 'Admit': {
        const [found] = await tx.select({ institutionId: this.t.holds.institutionId }).from(this.t.holds).where(eq(this.t.holds.id, command.holdId));
        if (!found) return {};
        const institution = await this.lockInstitution(tx, found.institutionId);
        const [hold] = await tx.select().from(this.t.holds).where(eq(this.t.holds.id, command.holdId));
        return { ...(institution ? { institution } : {}), hold: hold! };
      }
      case 'FlagReview': {
        const institution = await this.lockInstitution(tx, command.institutionId);
        const [stay] = await tx.select().from(this.t.stays).where(eq(this.t.stays.id, command.stayId));
        return { ...(institution ? { institution } : {}), ...(stay ? { stay } : {}) };
      }
      case 'Discharge':
      case 'TransferOut':
      case 'Return':
      case 'ExpireKeptBed':
      case 'RenewEpisode': {
        const [found] = await tx.select({ institutionId: this.t.stays.institutionId }).from(this.t.stays).where(eq(this.t.stays.id, command.stayId));
        if (!found) return {};
        const institution = await this.lockInstitution(tx, found.institutionId);
        const [stay] = await tx.select().from(this.t.stays).where(eq(this.t.stays.id, command.stayId));
        return { ...(institution ? { institution } : {}), stay: stay! };
      }
    }
  }

  private async unit(tx: Executor, unitId: string): Promise<UnitState> {
    const [unit] = await tx.select().from(this.t.units).where(eq(this.t.units.id, unitId));
    return unit!;
  }

  /** Carry out a decision's effects; capacity changes end in one availability snapshot per institution. */
  async save(tx: Tx, outbox: Outbox, effects: readonly BedEffect[]): Promise<void> {
    const { holds, stays, transfers, episodeReviews } = this.t;
    const messages: OutgoingMessage[] = [];
    const availability = new Map<string, MessageOrigin>();
    for (const e of effects) {
      switch (e.kind) {
        case 'send':
          messages.push(e.message);
          break;
        case 'holdPlaced':
          await tx.insert(holds).values({ ...holdRow(e.hold), createdAt: e.createdAt });
          break;
        case 'holdEnded':
          await tx.update(holds).set({ status: e.status, endedAt: e.at }).where(eq(holds.id, e.holdId));
          break;
        case 'unit':
          await this.setUnitStatus(tx, e.unitId, e.status);
          break;
        case 'stayBegan':
          await tx.insert(stays).values({ ...stayRow(e.stay), admittedAt: e.admittedAt, servicePlanSealed: e.servicePlan ? this.sealer.seal(JSON.stringify(e.servicePlan)) : null });
          break;
        case 'stay': {
          const { dischargeReason, ...patch } = e.patch;
          await tx
            .update(stays)
            .set({ ...patch, ...(dischargeReason !== undefined ? { dischargeReasonSealed: this.sealer.seal(dischargeReason) } : {}) })
            .where(eq(stays.id, e.stayId));
          break;
        }
        case 'transfer':
          await tx.insert(transfers).values({ id: e.id, stayId: e.stayId, reasonSealed: this.sealer.seal(e.reason), bedKept: e.bedKept, requestedAt: e.requestedAt });
          break;
        case 'review':
          await tx.insert(episodeReviews).values({ id: e.id, stayId: e.stayId, conditionSealed: this.sealer.seal(e.condition), decisionSealed: this.sealer.seal(e.decision), reviewedBy: e.reviewedBy, reviewedByName: e.reviewedByName, reviewedAt: e.reviewedAt, nextReviewDueAt: e.nextReviewDueAt });
          break;
        case 'schedule':
          await this.timers.schedule(tx, e.key, e.dueAt, e.message);
          break;
        case 'cancel':
          await this.timers.cancel(tx, e.key);
          break;
        case 'availability':
          availability.set(e.institutionId, e.origin);
          break;
      }
    }
    // The command's messages and the availability they changed, in that order, by one insert.
    for (const [institutionId, origin] of availability) messages.push(await this.availabilityMessage(tx, institutionId, origin));
    await outbox.append(tx, messages);
  }

  /**
   * Append the institution's complete availability after a change (the caller holds its lock),
   * read from its unit counts, which every unit change keeps in its own transaction.
   */
  async publishAvailability(tx: Tx, outbox: Outbox, institutionId: string, origin: MessageOrigin): Promise<void> {
    await outbox.append(tx, [await this.availabilityMessage(tx, institutionId, origin)]);
  }

  /** The institution's complete availability as a message, under the next sequence number (the caller holds its lock). */
  private async availabilityMessage(tx: Tx, institutionId: string, origin: MessageOrigin): Promise<OutgoingMessage> {
    const { institutions, unitCounts } = this.t;
    const [institution] = await tx
      .update(institutions)
      .set({ availabilitySequence: sql`${institutions.availabilitySequence} + 1` })
      .where(eq(institutions.id, institutionId))
      .returning();
    if (!institution) throw new Error(`institution ${institutionId} vanished under its own lock`);
    const counts = await tx
      .select({ kind: unitCounts.kind, attributes: unitCounts.attributes, status: unitCounts.status, count: unitCounts.count })
      .from(unitCounts)
      .where(and(eq(unitCounts.institutionId, institutionId), gt(unitCounts.count, 0)));
    return this.messages.event(BedAvailabilityChanged, institutionId, {
      institutionId,
      bedType: this.policy.bedType,
      name: institution.name,
      divisionCode: institution.divisionCode,
      ownership: institution.ownership,
      capabilities: institution.capabilities,
      serviceArea: institution.serviceArea,
      greenChannelPartners: institution.greenChannelPartners,
      sequence: institution.availabilitySequence,
      units: summarise(counts),
    }, origin);
  }

  // ---- capacity ------------------------------------------------------------------------

  /** Whether an institution with this credit code is registered here. */
  async creditCodeTaken(tx: Tx, creditCode: string): Promise<boolean> {
    const [taken] = await tx.select({ id: this.t.institutions.id }).from(this.t.institutions).where(eq(this.t.institutions.creditCode, creditCode));
    return Boolean(taken);
  }

  async insertInstitution(tx: Tx, row: BedInventoryTables['institutions']['$inferInsert']): Promise<void> {
    await tx.insert(this.t.institutions).values(row);
  }

  /** Add a batch of free units after the institution's last, labelled 床N or 位N, and count them. */
  async insertUnits(tx: Tx, institutionId: string, batch: UnitBatch): Promise<void> {
    const { units, unitCounts } = this.t;
    const [row] = await tx
      .select({ n: sql<number>`coalesce(max(${units.ordinal}), 0)::int` })
      .from(units)
      .where(eq(units.institutionId, institutionId));
    const start = Number(row?.n ?? 0);
    const prefix = batch.kind === 'bed' ? '床' : '位';
    await tx.insert(units).values(
      Array.from({ length: batch.count }, (_, i) => ({ id: newId(), institutionId, kind: batch.kind, label: `${prefix}${start + i + 1}`, ordinal: start + i + 1, attributes: batch.attributes, status: 'free' as const })),
    );
    await tx
      .insert(unitCounts)
      .values({ institutionId, kind: batch.kind, attributes: batch.attributes, status: 'free', count: batch.count })
      .onConflictDoUpdate({ target: [unitCounts.institutionId, unitCounts.kind, unitCounts.attributes, unitCounts.status], set: { count: sql`${unitCounts.count} + excluded.count` } });
  }

  /** A unit with its institution; undefined when there is none. */
  async findUnit(tx: Executor, unitId: string) {
    const [unit] = await tx.select().from(this.t.units).where(eq(this.t.units.id, unitId));
    return unit;
  }

  /**
   * Set a unit's status and move it from its old status's count to the new one's: the counts follow
   * the row's real previous status (read under the unit's lock), whatever the caller believed, and
   * a status that does not change moves nothing. The two count rows are locked in one order (by
   * status) before either changes, so a hold (free → held) and a release (held → free) at the same
   * place at the same time wait for each other instead of deadlocking.
   */
  async setUnitStatus(tx: Tx, unitId: string, status: UnitState['status']): Promise<void> {
    const { units, unitCounts } = this.t;
    const [unit] = await tx
      .select({ institutionId: units.institutionId, kind: units.kind, attributes: units.attributes, status: units.status })
      .from(units)
      .where(eq(units.id, unitId))
      .for('update');
    if (!unit || unit.status === status) return;
    const place = and(eq(unitCounts.institutionId, unit.institutionId), eq(unitCounts.kind, unit.kind), eq(unitCounts.attributes, unit.attributes));
    // Both count lines locked in status order before either changes (the one it joins may not exist
    // yet), so a hold and a release at the same place wait for each other instead of deadlocking.
    await tx
      .select({ status: unitCounts.status })
      .from(unitCounts)
      .where(and(place, inArray(unitCounts.status, [unit.status, status])))
      .orderBy(asc(unitCounts.status))
      .for('update');
    await tx.update(units).set({ status }).where(eq(units.id, unitId));
    // One statement: the line it left loses it, the line it joins (made when new) gains it.
    const attributes = sql`${JSON.stringify(unit.attributes)}::jsonb`;
    await tx.execute(sql`with left_line as (
        update ${unitCounts} set count = count - 1
        where institution_id = ${unit.institutionId} and kind = ${unit.kind} and attributes = ${attributes} and status = ${unit.status}
        returning 1)
      insert into ${unitCounts} as line (institution_id, kind, attributes, status, count)
      values (${unit.institutionId}, ${unit.kind}, ${attributes}, ${status}, 1)
      on conflict (institution_id, kind, attributes, status) do update set count = line.count + 1`);
  }


}

function holdRow(h: HoldState) {
  return { id: h.id, referralId: h.referralId, elderRef: h.elderRef, institutionId: h.institutionId, unitId: h.unitId, status: h.status, expiresAt: h.expiresAt };
}

function stayRow(s: StayState) {
  return { id: s.id, holdId: s.holdId, referralId: s.referralId, elderRef: s.elderRef, institutionId: s.institutionId, unitId: s.unitId, status: s.status, keptUntil: s.keptUntil, reviewDueAt: s.reviewDueAt };
}
