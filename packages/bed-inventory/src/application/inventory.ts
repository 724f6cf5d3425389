import { shandongDivisions, type DivisionTable } from '@fbl/codes';
import {
  EPISODE_REVIEW_CONDITION,
  EPISODE_REVIEW_DECISIONS,
  AdmissionRecorded,
  BedAvailabilityChanged,
  BedHeld,
  BedHoldExpired,
  BedHoldRejected,
  BedKeptForReturn,
  BedReleased,
  causedBy,
  DischargeRecorded,
  EmergencyTransferRequested,
  ExpireHold,
  ExpireKeptBed,
  FlagEpisodeReview,
  HomeSickBedEpisodeClosed,
  HomeSickBedEpisodeOpened,
  HomeSickBedEpisodeRenewed,
  HomeSickBedReviewDue,
  InstitutionRegistered,
  KeptBedReleased,
  newId,
  type Envelope,
  type EnvelopeOf,
  type MessageOrigin,
  type OutgoingMessage,
  type ReleaseBed,
  type ReserveBed,
} from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import type { Outbox } from '@fbl/messaging';
import { conflict, invalidInput, notFound, problemFields, type ServiceKit } from '@fbl/service-kit';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { BedInventoryTables } from '../adapters/db/tables.js';
import type { Attributes } from '../domain/attributes.js';
import { summarise, type StatusCount } from '../domain/availability.js';
import { checkRegistration, checkUnitBatch, type InstitutionRegistration, type UnitBatch } from '../domain/institution.js';
import {
  addDays,
  addHours,
  canAdmit,
  canDischarge,
  canReturn,
  canSetInService,
  canTransferOut,
  keptBedRunsOut,
  shouldExpire,
  type Decision,
  type UnitStatus,
} from '../domain/lifecycle.js';
import type { BedTypePolicy } from '../domain/policy.js';
import { BedMessages } from './messages.js';

/** A home sick bed's stage review (阶段评估) as coded answers: how the elder is, and what comes next. */
export interface EpisodeReview {
  condition: (typeof EPISODE_REVIEW_CONDITION)[number];
  decision: (typeof EPISODE_REVIEW_DECISIONS)[number];
}

/** Why a stay ended, as staff record it. */
export type DischargeReasonCode = 'recovered' | 'transferred' | 'died' | 'family-request' | 'episode-closed' | 'other';

const holdTimer = (holdId: string) => `hold-expiry:${holdId}`;
const keptBedTimer = (stayId: string) => `kept-bed:${stayId}`;
const reviewTimer = (stayId: string) => `episode-review:${stayId}`;

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if ((e as { code?: string }).code === '23505') return true;
  return false;
}

function refuse(decision: Decision): void {
  if (!decision.ok) throw conflict(decision.reason);
}

/**
 * The use cases of one bed service: capacity, holds, stays, kept beds and episodes. Each runs
 * in one transaction with the messages it causes. Every change of an institution's capacity
 * first locks the institution's row, so changes of one institution are serialised and each
 * publishes a complete, ordered availability snapshot (BedAvailabilityChanged).
 */
export class BedInventory {
  readonly messages: BedMessages;

  constructor(
    private readonly kit: ServiceKit,
    readonly policy: BedTypePolicy,
    private readonly t: BedInventoryTables,
    private readonly divisions: DivisionTable = shandongDivisions,
  ) {
    this.messages = new BedMessages(policy, kit.deps.clock);
  }

  private get now(): Date {
    return this.kit.deps.clock();
  }

  // ---- capacity ------------------------------------------------------------------------

  /** Register an institution with its starting units. Bad input changes nothing. */
  async registerInstitution(input: InstitutionRegistration, origin: MessageOrigin): Promise<{ id: string }> {
    const checked = checkRegistration(this.policy, input, this.divisions);
    if (!checked.ok) throw invalidInput(problemFields(checked.errors));
    const r = checked.registration;
    const id = newId();
    const duplicate = () => conflict(`an institution with credit code ${r.creditCode} is already registered for ${this.policy.title.en}`);
    await this.kit.transact(async (tx, outbox) => {
      const [taken] = await tx.select({ id: this.t.institutions.id }).from(this.t.institutions).where(eq(this.t.institutions.creditCode, r.creditCode));
      if (taken) throw duplicate();
      await tx.insert(this.t.institutions).values({
        id,
        name: r.name,
        creditCode: r.creditCode,
        creditCodeOverridden: r.creditCodeOverridden,
        creditCodeOverrideReason: r.creditCodeOverridden ? (r.creditCodeOverrideReason ?? null) : null,
        divisionCode: r.divisionCode,
        kind: r.kind,
        ownership: r.ownership,
        capabilities: r.capabilities,
        serviceArea: r.serviceArea,
        greenChannelPartners: r.greenChannelPartners,
        createdAt: this.now,
      });
      for (const batch of r.units) await this.insertUnits(tx, id, batch);
      await outbox.append(tx, [
        this.messages.event(InstitutionRegistered, id, {
          institutionId: id,
          bedType: this.policy.bedType,
          name: r.name,
          creditCode: r.creditCode,
          divisionCode: r.divisionCode,
          ownership: r.ownership,
          capabilities: r.capabilities,
          serviceArea: r.serviceArea,
          greenChannelPartners: r.greenChannelPartners,
        }, origin),
      ]);
      await this.publishAvailability(tx, outbox, id, origin);
    }).catch((error: unknown) => {
      // Two registrations of one code at the same moment: the unique index decides, the loser gets 409.
      if (isUniqueViolation(error)) throw duplicate();
      throw error;
    });
    return { id };
  }

  /** Add units to an institution's capacity. */
  async addUnits(institutionId: string, batch: UnitBatch, origin: MessageOrigin): Promise<{ added: number }> {
    const errors = checkUnitBatch(this.policy, batch, '');
    if (errors.length > 0) throw invalidInput(problemFields(errors));
    await this.kit.transact(async (tx, outbox) => {
      await this.lockInstitution(tx, institutionId);
      await this.insertUnits(tx, institutionId, batch);
      await this.publishAvailability(tx, outbox, institutionId, origin);
    });
    return { added: batch.count };
  }

  /** Take a free unit out of service, or put a closed one back. */
  async setUnitInService(unitId: string, inService: boolean, origin: MessageOrigin): Promise<{ id: string; status: UnitStatus }> {
    return this.kit.transact(async (tx, outbox) => {
      const [found] = await tx.select().from(this.t.units).where(eq(this.t.units.id, unitId));
      if (!found) throw notFound(`unit ${unitId}`);
      await this.lockInstitution(tx, found.institutionId);
      const [unit] = await tx.select().from(this.t.units).where(eq(this.t.units.id, unitId));
      refuse(canSetInService(unit!, inService));
      const status: UnitStatus = inService ? 'free' : 'closed';
      await tx.update(this.t.units).set({ status }).where(eq(this.t.units.id, unitId));
      await this.publishAvailability(tx, outbox, found.institutionId, origin);
      return { id: unitId, status };
    });
  }

  private async insertUnits(tx: Tx, institutionId: string, batch: UnitBatch): Promise<void> {
    const [row] = await tx
      .select({ n: sql<number>`coalesce(max(${this.t.units.ordinal}), 0)::int` })
      .from(this.t.units)
      .where(eq(this.t.units.institutionId, institutionId));
    const start = Number(row?.n ?? 0);
    const prefix = batch.kind === 'bed' ? '床' : '位';
    await tx.insert(this.t.units).values(
      Array.from({ length: batch.count }, (_, i) => ({
        id: newId(),
        institutionId,
        kind: batch.kind,
        label: `${prefix}${start + i + 1}`,
        ordinal: start + i + 1,
        attributes: batch.attributes,
        status: 'free' as const,
      })),
    );
  }

  /** Lock an institution's row for this transaction; 404 if unknown. */
  private async lockInstitution(tx: Tx, institutionId: string) {
    const [institution] = await tx.select().from(this.t.institutions).where(eq(this.t.institutions.id, institutionId)).for('update');
    if (!institution) throw notFound(`institution ${institutionId}`);
    return institution;
  }

  /** Append the institution's complete availability after a change (caller holds its lock). */
  private async publishAvailability(tx: Tx, outbox: Outbox, institutionId: string, origin: MessageOrigin): Promise<void> {
    const { institutions, units } = this.t;
    const [institution] = await tx
      .update(institutions)
      .set({ availabilitySequence: sql`${institutions.availabilitySequence} + 1` })
      .where(eq(institutions.id, institutionId))
      .returning();
    if (!institution) throw notFound(`institution ${institutionId}`);
    const counts = await tx
      .select({ kind: units.kind, attributes: units.attributes, status: units.status, count: sql<number>`count(*)::int` })
      .from(units)
      .where(eq(units.institutionId, institutionId))
      .groupBy(units.kind, units.attributes, units.status);
    await outbox.append(tx, [
      this.messages.event(BedAvailabilityChanged, institutionId, {
        institutionId,
        bedType: this.policy.bedType,
        name: institution.name,
        divisionCode: institution.divisionCode,
        ownership: institution.ownership,
        capabilities: institution.capabilities,
        serviceArea: institution.serviceArea,
        greenChannelPartners: institution.greenChannelPartners,
        sequence: institution.availabilitySequence,
        units: summarise(counts.map((c) => ({ ...c, count: Number(c.count) }) as StatusCount)),
      }, origin),
    ]);
  }

  // ---- holds ---------------------------------------------------------------------------

  /**
   * Hold one free unit matching the requirements for a referral. The institution's row lock
   * serialises concurrent requests, and a partial unique index allows one active hold per unit,
   * so fifty requests for the last bed produce exactly one hold.
   */
  async reserve(command: EnvelopeOf<typeof ReserveBed>, tx: Tx, outbox: Outbox): Promise<void> {
    const { referralId, institutionId, elderRef, requirements, holdHours } = command.data;
    const origin = causedBy(command, this.policy.service);
    const reject = (reasonCode: 'no-free-bed' | 'no-matching-unit' | 'unknown-institution' | 'other', detail: string) =>
      outbox.append(tx, [this.messages.event(BedHoldRejected, institutionId, { referralId, institutionId, bedType: this.policy.bedType, reasonCode, detail }, origin)]);

    const [institution] = await tx.select({ id: this.t.institutions.id }).from(this.t.institutions).where(eq(this.t.institutions.id, institutionId)).for('update');
    if (!institution) return reject('unknown-institution', `institution ${institutionId} does not offer ${this.policy.title.en}`);
    if (command.data.bedType !== this.policy.bedType) return reject('other', `this service keeps ${this.policy.bedType} beds, not ${command.data.bedType}`);
    const [existing] = await tx.select().from(this.t.holds).where(and(eq(this.t.holds.referralId, referralId), eq(this.t.holds.status, 'active')));
    if (existing) {
      if (existing.institutionId !== institutionId) return reject('other', 'this referral already holds a unit at another institution');
      // The same request again (a retry upstream) gets the hold it already has.
      const [unit] = await tx.select().from(this.t.units).where(eq(this.t.units.id, existing.unitId));
      await outbox.append(tx, [this.heldEvent(existing, unit!, origin)]);
      return;
    }
    const wanted: Attributes = requirements ?? {};
    const [unit] = await tx
      .select()
      .from(this.t.units)
      .where(and(eq(this.t.units.institutionId, institutionId), eq(this.t.units.status, 'free'), sql`${this.t.units.attributes} @> ${JSON.stringify(wanted)}::jsonb`))
      .orderBy(asc(this.t.units.ordinal))
      .limit(1);
    if (!unit) {
      const [anyFree] = await tx.select({ id: this.t.units.id }).from(this.t.units).where(and(eq(this.t.units.institutionId, institutionId), eq(this.t.units.status, 'free'))).limit(1);
      return anyFree ? reject('no-matching-unit', `no free unit with ${JSON.stringify(wanted)}`) : reject('no-free-bed', 'no free unit at this institution');
    }
    const hold = { id: newId(), referralId, elderRef, institutionId, unitId: unit.id, status: 'active' as const, expiresAt: addHours(this.now, holdHours ?? this.policy.holdHours), createdAt: this.now };
    await tx.update(this.t.units).set({ status: 'held' }).where(eq(this.t.units.id, unit.id));
    await tx.insert(this.t.holds).values(hold);
    await this.kit.timers.schedule(tx, holdTimer(hold.id), hold.expiresAt, this.messages.command(ExpireHold, institutionId, { holdId: hold.id, institutionId, bedType: this.policy.bedType }, origin));
    await outbox.append(tx, [this.heldEvent(hold, unit, origin)]);
    await this.publishAvailability(tx, outbox, institutionId, origin);
  }

  private heldEvent(
    hold: { id: string; referralId: string; institutionId: string; unitId: string; expiresAt: Date },
    unit: { kind: 'bed' | 'slot'; attributes: Attributes },
    origin: MessageOrigin,
  ): OutgoingMessage {
    return this.messages.event(BedHeld, hold.institutionId, {
      holdId: hold.id,
      referralId: hold.referralId,
      institutionId: hold.institutionId,
      bedType: this.policy.bedType,
      unitId: hold.unitId,
      unitKind: unit.kind,
      attributes: unit.attributes,
      expiresAt: hold.expiresAt.toISOString(),
    }, origin);
  }

  private holdFacts(hold: { id: string; referralId: string; institutionId: string; unitId: string }) {
    return { holdId: hold.id, referralId: hold.referralId, institutionId: hold.institutionId, bedType: this.policy.bedType, unitId: hold.unitId };
  }

  /** A hold's timer fell due: free the unit unless the hold was converted or released meanwhile. */
  async expireHold(command: EnvelopeOf<typeof ExpireHold>, tx: Tx, outbox: Outbox): Promise<void> {
    const origin = causedBy(command, this.policy.service);
    await this.lockInstitution(tx, command.data.institutionId);
    const [hold] = await tx.select().from(this.t.holds).where(eq(this.t.holds.id, command.data.holdId));
    if (!hold || !shouldExpire(hold, this.now)) return;
    await tx.update(this.t.holds).set({ status: 'expired', endedAt: this.now }).where(eq(this.t.holds.id, hold.id));
    await tx.update(this.t.units).set({ status: 'free' }).where(eq(this.t.units.id, hold.unitId));
    await outbox.append(tx, [this.messages.event(BedHoldExpired, hold.institutionId, this.holdFacts(hold), origin)]);
    await this.publishAvailability(tx, outbox, hold.institutionId, origin);
  }

  /** Give up a referral's active hold on request. */
  async release(command: EnvelopeOf<typeof ReleaseBed>, tx: Tx, outbox: Outbox): Promise<void> {
    const origin = causedBy(command, this.policy.service);
    const { referralId, institutionId, reason } = command.data;
    const [institution] = await tx.select({ id: this.t.institutions.id }).from(this.t.institutions).where(eq(this.t.institutions.id, institutionId)).for('update');
    if (!institution) return;
    const [hold] = await tx.select().from(this.t.holds).where(and(eq(this.t.holds.referralId, referralId), eq(this.t.holds.status, 'active')));
    if (!hold || hold.institutionId !== institutionId) return;
    await tx.update(this.t.holds).set({ status: 'released', endedAt: this.now }).where(eq(this.t.holds.id, hold.id));
    await tx.update(this.t.units).set({ status: 'free' }).where(eq(this.t.units.id, hold.unitId));
    await this.kit.timers.cancel(tx, holdTimer(hold.id));
    await outbox.append(tx, [this.messages.event(BedReleased, institutionId, { ...this.holdFacts(hold), reason }, origin)]);
    await this.publishAvailability(tx, outbox, institutionId, origin);
  }

  // ---- stays ---------------------------------------------------------------------------

  /** Staff record the elder's arrival on a hold: the stay (or home sick bed episode) begins. */
  async admit(holdId: string, input: { servicePlan?: { services: string[]; visitsPerWeek: number } }, origin: MessageOrigin): Promise<{ admissionId: string; admittedAt: string }> {
    if (this.policy.servicePlan && !input.servicePlan) throw invalidInput([{ field: 'servicePlan', pointer: '/servicePlan', in: 'body', reason: `is required for ${this.policy.title.en}` }]);
    return this.kit.transact(async (tx, outbox) => {
      const [found] = await tx.select().from(this.t.holds).where(eq(this.t.holds.id, holdId));
      if (!found) throw notFound(`hold ${holdId}`);
      await this.lockInstitution(tx, found.institutionId);
      const [hold] = await tx.select().from(this.t.holds).where(eq(this.t.holds.id, holdId));
      refuse(canAdmit(hold!, this.now));
      const now = this.now;
      const journey = { ...origin, correlationId: found.referralId };
      const stay = {
        id: newId(),
        holdId,
        referralId: found.referralId,
        elderRef: found.elderRef,
        institutionId: found.institutionId,
        unitId: found.unitId,
        status: 'in-care' as const,
        admittedAt: now,
        reviewDueAt: this.policy.episodes ? addDays(now, this.policy.episodes.reviewDays) : null,
        servicePlan: input.servicePlan ?? null,
      };
      await tx.update(this.t.holds).set({ status: 'admitted', endedAt: now }).where(eq(this.t.holds.id, holdId));
      await tx.update(this.t.units).set({ status: 'occupied' }).where(eq(this.t.units.id, found.unitId));
      await tx.insert(this.t.stays).values(stay);
      await this.kit.timers.cancel(tx, holdTimer(holdId));
      const messages: OutgoingMessage[] = [
        this.messages.event(AdmissionRecorded, found.institutionId, { ...this.holdFacts(found), admissionId: stay.id, elderRef: found.elderRef, admittedAt: now.toISOString() }, journey),
      ];
      if (stay.reviewDueAt) {
        messages.push(
          this.messages.event(HomeSickBedEpisodeOpened, found.institutionId, {
            episodeId: stay.id,
            institutionId: found.institutionId,
            bedType: this.policy.bedType,
            referralId: found.referralId,
            elderRef: found.elderRef,
            openedAt: now.toISOString(),
            reviewDueAt: stay.reviewDueAt.toISOString(),
          }, journey),
        );
        await this.scheduleReview(tx, stay.id, found.institutionId, stay.reviewDueAt, journey);
      }
      await outbox.append(tx, messages);
      await this.publishAvailability(tx, outbox, found.institutionId, journey);
      return { admissionId: stay.id, admittedAt: now.toISOString() };
    });
  }

  private async lockStay(tx: Tx, stayId: string) {
    const [found] = await tx.select().from(this.t.stays).where(eq(this.t.stays.id, stayId));
    if (!found) throw notFound(`admission ${stayId}`);
    await this.lockInstitution(tx, found.institutionId);
    const [stay] = await tx.select().from(this.t.stays).where(eq(this.t.stays.id, stayId));
    return stay!;
  }

  /** The stay ends: the unit is free again; a kept bed is released, an episode closed. */
  async discharge(stayId: string, input: { reason: DischargeReasonCode; destination?: EnvelopeOf<typeof DischargeRecorded>['data']['destination'] }, origin: MessageOrigin): Promise<{ admissionId: string; dischargedAt: string }> {
    return this.kit.transact(async (tx, outbox) => {
      const stay = await this.lockStay(tx, stayId);
      refuse(canDischarge(stay));
      const messages = await this.endStay(tx, stay, input.reason, input.destination, { ...origin, correlationId: stay.referralId });
      await outbox.append(tx, messages);
      await this.publishAvailability(tx, outbox, stay.institutionId, origin);
      return { admissionId: stayId, dischargedAt: this.now.toISOString() };
    });
  }

  private async endStay(
    tx: Tx,
    stay: typeof this.t.stays.$inferSelect,
    reason: DischargeReasonCode,
    destination: EnvelopeOf<typeof DischargeRecorded>['data']['destination'],
    origin: MessageOrigin,
  ): Promise<OutgoingMessage[]> {
    const now = this.now;
    const messages: OutgoingMessage[] = [];
    if (stay.status === 'away') {
      await this.kit.timers.cancel(tx, keptBedTimer(stay.id));
      messages.push(this.messages.event(KeptBedReleased, stay.institutionId, { admissionId: stay.id, institutionId: stay.institutionId, bedType: this.policy.bedType, unitId: stay.unitId, reason: reason === 'transferred' && keptBedRunsOut(stay, now) ? 'expired' : 'discharged' }, origin));
    }
    await tx.update(this.t.stays).set({ status: 'discharged', dischargedAt: now, dischargeReason: reason, keptUntil: null }).where(eq(this.t.stays.id, stay.id));
    await tx.update(this.t.units).set({ status: 'free' }).where(eq(this.t.units.id, stay.unitId));
    messages.push(
      this.messages.event(DischargeRecorded, stay.institutionId, {
        admissionId: stay.id,
        referralId: stay.referralId,
        institutionId: stay.institutionId,
        bedType: this.policy.bedType,
        unitId: stay.unitId,
        elderRef: stay.elderRef,
        reason,
        ...(destination ? { destination } : {}),
        dischargedAt: now.toISOString(),
      }, origin),
    );
    if (this.policy.episodes) {
      await this.kit.timers.cancel(tx, reviewTimer(stay.id));
      messages.push(this.messages.event(HomeSickBedEpisodeClosed, stay.institutionId, { episodeId: stay.id, institutionId: stay.institutionId, bedType: this.policy.bedType, closedAt: now.toISOString(), reason }, origin));
    }
    return messages;
  }

  /**
   * Provider staff start an urgent transfer to hospital. Where the policy keeps beds (留床),
   * the bed is kept until its time runs out; elsewhere the stay ends as a transfer.
   */
  async emergencyTransfer(stayId: string, input: { reason: string; hospitalInstitutionId?: string }, origin: MessageOrigin): Promise<{ transferId: string; bedKept: boolean; keptUntil: string | null }> {
    return this.kit.transact(async (tx, outbox) => {
      const stay = await this.lockStay(tx, stayId);
      refuse(canTransferOut(stay));
      const [institution] = await tx.select().from(this.t.institutions).where(eq(this.t.institutions.id, stay.institutionId));
      const now = this.now;
      const transferId = newId();
      const journey = { ...origin, correlationId: transferId };
      const keptUntil = this.policy.keptBed ? addDays(now, this.policy.keptBed.days) : null;
      await tx.insert(this.t.transfers).values({ id: transferId, stayId, reason: input.reason, bedKept: keptUntil !== null, requestedAt: now });
      const messages: OutgoingMessage[] = [
        this.messages.event(EmergencyTransferRequested, stay.institutionId, {
          transferId,
          admissionId: stay.id,
          referralId: stay.referralId,
          institutionId: stay.institutionId,
          bedType: this.policy.bedType,
          elderRef: stay.elderRef,
          divisionCode: institution!.divisionCode,
          reason: input.reason,
          bedKept: keptUntil !== null,
          ...(input.hospitalInstitutionId ? { hospitalInstitutionId: input.hospitalInstitutionId } : {}),
          requestedAt: now.toISOString(),
        }, journey),
      ];
      if (keptUntil) {
        await tx.update(this.t.stays).set({ status: 'away', keptUntil }).where(eq(this.t.stays.id, stayId));
        await tx.update(this.t.units).set({ status: 'kept' }).where(eq(this.t.units.id, stay.unitId));
        await this.kit.timers.schedule(tx, keptBedTimer(stayId), keptUntil, this.messages.command(ExpireKeptBed, stay.institutionId, { admissionId: stayId, institutionId: stay.institutionId, bedType: this.policy.bedType }, journey));
        messages.push(this.messages.event(BedKeptForReturn, stay.institutionId, { admissionId: stayId, institutionId: stay.institutionId, bedType: this.policy.bedType, unitId: stay.unitId, elderRef: stay.elderRef, keptUntil: keptUntil.toISOString() }, journey));
      } else {
        messages.push(...(await this.endStay(tx, stay, 'transferred', 'medical', journey)));
      }
      await outbox.append(tx, messages);
      await this.publishAvailability(tx, outbox, stay.institutionId, journey);
      return { transferId, bedKept: keptUntil !== null, keptUntil: keptUntil?.toISOString() ?? null };
    });
  }

  /** The resident comes back from hospital to the kept bed. */
  async returnToKeptBed(stayId: string, origin: MessageOrigin): Promise<{ admissionId: string; returnedAt: string }> {
    return this.kit.transact(async (tx, outbox) => {
      const stay = await this.lockStay(tx, stayId);
      refuse(canReturn(stay, this.now));
      await tx.update(this.t.stays).set({ status: 'in-care', keptUntil: null }).where(eq(this.t.stays.id, stayId));
      await tx.update(this.t.units).set({ status: 'occupied' }).where(eq(this.t.units.id, stay.unitId));
      await this.kit.timers.cancel(tx, keptBedTimer(stayId));
      await outbox.append(tx, [this.messages.event(KeptBedReleased, stay.institutionId, { admissionId: stayId, institutionId: stay.institutionId, bedType: this.policy.bedType, unitId: stay.unitId, reason: 'returned' }, origin)]);
      await this.publishAvailability(tx, outbox, stay.institutionId, origin);
      return { admissionId: stayId, returnedAt: this.now.toISOString() };
    });
  }

  /** A kept bed's timer fell due: the stay ends unless the resident came back meanwhile. */
  async expireKeptBed(command: EnvelopeOf<typeof ExpireKeptBed>, tx: Tx, outbox: Outbox): Promise<void> {
    const origin = causedBy(command, this.policy.service);
    const stay = await this.lockStay(tx, command.data.admissionId);
    if (!keptBedRunsOut(stay, this.now)) return;
    await outbox.append(tx, await this.endStay(tx, stay, 'transferred', 'medical', origin));
    await this.publishAvailability(tx, outbox, stay.institutionId, origin);
  }

  // ---- home sick bed episodes ----------------------------------------------------------

  private async scheduleReview(tx: Tx, stayId: string, institutionId: string, dueAt: Date, origin: MessageOrigin): Promise<void> {
    await this.kit.timers.schedule(tx, reviewTimer(stayId), dueAt, this.messages.command(FlagEpisodeReview, institutionId, { episodeId: stayId, institutionId, bedType: this.policy.bedType, reviewDueAt: dueAt.toISOString() }, origin));
  }

  /** The episode was reviewed and goes on: a new review date. */
  async renewEpisode(stayId: string, review: EpisodeReview, by: { userId: string; name?: string | undefined }, origin: MessageOrigin): Promise<{ episodeId: string; reviewDueAt: string }> {
    const episodes = this.policy.episodes;
    if (!episodes) throw conflict(`${this.policy.title.en} stays are not episodes with reviews`);
    return this.kit.transact(async (tx, outbox) => {
      const stay = await this.lockStay(tx, stayId);
      if (stay.status === 'discharged') throw conflict('the episode has ended');
      const reviewDueAt = addDays(this.now, episodes.reviewDays);
      await tx.update(this.t.stays).set({ reviewDueAt }).where(eq(this.t.stays.id, stayId));
      await tx.insert(this.t.episodeReviews).values({ id: newId(), stayId, condition: review.condition, decision: review.decision, reviewedBy: by.userId, reviewedByName: by.name ?? null, reviewedAt: this.now, nextReviewDueAt: reviewDueAt });
      await this.scheduleReview(tx, stayId, stay.institutionId, reviewDueAt, origin);
      await outbox.append(tx, [this.messages.event(HomeSickBedEpisodeRenewed, stay.institutionId, { episodeId: stayId, institutionId: stay.institutionId, bedType: this.policy.bedType, reviewDueAt: reviewDueAt.toISOString() }, origin)]);
      return { episodeId: stayId, reviewDueAt: reviewDueAt.toISOString() };
    });
  }

  /** An episode's review timer fell due: say so, unless it was renewed or closed meanwhile. */
  async flagReview(command: EnvelopeOf<typeof FlagEpisodeReview>, tx: Tx, outbox: Outbox): Promise<void> {
    await this.lockInstitution(tx, command.data.institutionId);
    const [stay] = await tx.select().from(this.t.stays).where(eq(this.t.stays.id, command.data.episodeId));
    if (!stay || stay.status === 'discharged' || !stay.reviewDueAt || stay.reviewDueAt.getTime() > this.now.getTime()) return;
    await outbox.append(tx, [
      this.messages.event(HomeSickBedReviewDue, stay.institutionId, { episodeId: stay.id, institutionId: stay.institutionId, bedType: this.policy.bedType, reviewDueAt: stay.reviewDueAt.toISOString() }, causedBy(command as Envelope, this.policy.service)),
    ]);
  }
}
