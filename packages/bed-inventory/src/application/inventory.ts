import { chinaDivisions, DEFAULT_PROVINCE, type DivisionTable } from '@fbl/codes';
import { causedBy, newId, type DischargeRecorded, type Envelope, type EnvelopeOf, type ExpireHold, type ExpireKeptBed, type FlagEpisodeReview, type MessageOrigin, type ReleaseBed, type ReserveBed, conflict, invalidInput, notFound } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import { CannotApply, type Outbox } from '@fbl/messaging';
import { serviceActor, type Actor, type AuditLog } from '@fbl/privacy';
import { effectsOf, run, runIn, type Pipeline, type ServicePorts } from '@fbl/service-kit/pipeline';
import type { BedStore } from '../adapters/db/bed-store.js';
import { decide, isRefusal, type BedCommand, type BedEvent, type BedState, type DischargeReasonCode, type EpisodeReview } from '../domain/decider.js';
import type { BedTypePolicy } from '../domain/policy.js';
import { BED_EFFECTS } from './bed-effects.js';
import { Capacity } from './capacity.js';
import type { BedMessages } from './messages.js';
import { stayAuditOf } from './stay-audit.js';

export type { DischargeReasonCode, EpisodeReview } from '../domain/decider.js';

/** A command with the origin of its messages, and what to do when it does not apply (a person is told; a message is dropped or dead-lettered). */
interface Addressed {
  command: BedCommand;
  origin: MessageOrigin;
  /** For a message: the refusal it cannot be applied with becomes a dead letter; for a person, a problem. */
  fromMessage: boolean;
  /** Who changes the records: a signed-in person, or the service acting on a message (its own timers). */
  actor: Actor;
}

/**
 * The use cases of one bed service. Holds, stays, kept beds and episodes go through one
 * pipeline: the store loads what the command names (the institution's row locked), the pure
 * decider says what happened, a typed map turns it into effects, and the store saves them with
 * one availability snapshot per changed institution, in one transaction, with the audit rows of
 * the residents' records it changed.
 */
export class BedInventory {
  private readonly capacity: Capacity;
  private readonly pipeline: Pipeline<Addressed, BedState, { events: BedEvent[]; origin: MessageOrigin; actor: Actor }, BedEvent[]>;

  /**
   * `messages` are the ones the store publishes availability with, so every message of the
   * service is made alike. Institutions and their service areas must lie in `province` (the
   * deployment's, two digits).
   */
  constructor(
    private readonly ports: ServicePorts,
    readonly policy: BedTypePolicy,
    readonly messages: BedMessages,
    private readonly store: BedStore,
    private readonly audit: AuditLog,
    divisions: DivisionTable = chinaDivisions,
    province: string = DEFAULT_PROVINCE,
  ) {
    this.capacity = new Capacity(ports, policy, this.store, this.messages, divisions, province);
    this.pipeline = {
      load: (tx, { command }) => this.store.load(tx, command),
      decide: (state, { command, origin, fromMessage, actor }) => {
        const outcome = decide(state, command, { policy, now: this.now, newId });
        if (!isRefusal(outcome)) return { events: outcome, origin, actor };
        if (fromMessage) throw new CannotApply(`${command.type}: ${outcome.reason}`);
        throw outcome.refused === 'not-found' ? notFound(outcome.reason) : conflict(outcome.reason);
      },
      save: async (tx, outbox, _state, { events, origin, actor }) => {
        const scope = { policy, messages: this.messages, now: this.now, origin, seal: (text: string) => this.store.seal(text) };
        await this.store.save(tx, outbox, events.flatMap((event) => effectsOf(BED_EFFECTS, { type: event.type, params: event }, scope)));
        await this.audit.write(tx, ...stayAuditOf(events, actor));
        return events;
      },
    };
  }

  private get now(): Date {
    return this.ports.clock();
  }

  private change(command: BedCommand, by: Actor, origin: MessageOrigin): Promise<BedEvent[]> {
    return run(this.ports.transact, this.pipeline, { command, origin, fromMessage: false, actor: by });
  }

  private async handle(command: BedCommand, envelope: Envelope, tx: Tx, outbox: Outbox): Promise<void> {
    await runIn(tx, outbox, this.pipeline, { command, origin: causedBy(envelope, this.policy.service), fromMessage: true, actor: serviceActor(envelope.source) });
  }

  // ---- capacity ------------------------------------------------------------------------

  /** Register an institution with its starting units. Bad input changes nothing. */
  registerInstitution: Capacity['register'] = (input, origin) => this.capacity.register(input, origin);
  /** Add units to an institution's capacity. */
  addUnits: Capacity['addUnits'] = (institutionId, batch, origin) => this.capacity.addUnits(institutionId, batch, origin);
  /** Take a free unit out of service, or put a closed one back. */
  setUnitInService: Capacity['setUnitInService'] = (unitId, inService, origin) => this.capacity.setUnitInService(unitId, inService, origin);

  // ---- holds (messages from the workflow and from this service's timers) -----------------

  /** Hold one free unit matching the requirements for a referral; the institution's row lock serialises requests for its last bed. */
  reserve(m: EnvelopeOf<typeof ReserveBed>, tx: Tx, outbox: Outbox): Promise<void> {
    const { referralId, institutionId, elderRef, bedType, requirements, holdHours } = m.data;
    return this.handle({ type: 'Reserve', referralId, institutionId, elderRef, bedType, ...(requirements ? { requirements } : {}), ...(holdHours ? { holdHours } : {}) }, m, tx, outbox);
  }

  /** A hold's timer fell due: free the unit unless the hold was converted or released meanwhile. */
  expireHold(m: EnvelopeOf<typeof ExpireHold>, tx: Tx, outbox: Outbox): Promise<void> {
    return this.handle({ type: 'ExpireHold', holdId: m.data.holdId, institutionId: m.data.institutionId }, m, tx, outbox);
  }

  /** Give up a referral's active hold on request. */
  release(m: EnvelopeOf<typeof ReleaseBed>, tx: Tx, outbox: Outbox): Promise<void> {
    return this.handle({ type: 'Release', referralId: m.data.referralId, institutionId: m.data.institutionId, reason: m.data.reason }, m, tx, outbox);
  }

  /** A kept bed's timer fell due: the stay ends unless the resident came back meanwhile. */
  expireKeptBed(m: EnvelopeOf<typeof ExpireKeptBed>, tx: Tx, outbox: Outbox): Promise<void> {
    return this.handle({ type: 'ExpireKeptBed', stayId: m.data.admissionId }, m, tx, outbox);
  }

  /** An episode's review timer fell due: say so, unless it was renewed or closed meanwhile. */
  flagReview(m: EnvelopeOf<typeof FlagEpisodeReview>, tx: Tx, outbox: Outbox): Promise<void> {
    return this.handle({ type: 'FlagReview', stayId: m.data.episodeId, institutionId: m.data.institutionId }, m, tx, outbox);
  }

  // ---- stays (people) -----------------------------------------------------------------

  /** Staff record the elder's arrival on a hold: the stay (or home sick bed episode) begins. */
  async admit(holdId: string, input: { servicePlan?: { services: string[]; visitsPerWeek: number } }, by: Actor, origin: MessageOrigin): Promise<{ admissionId: string; admittedAt: string }> {
    if (this.policy.servicePlan && !input.servicePlan) throw invalidInput([{ field: 'servicePlan', pointer: '/servicePlan', in: 'body', reason: `is required for ${this.policy.title.en}` }]);
    const [admitted] = await this.change({ type: 'Admit', holdId, ...(input.servicePlan ? { servicePlan: input.servicePlan } : {}) }, by, origin);
    return { admissionId: (admitted as Extract<BedEvent, { type: 'Admitted' }>).stay.id, admittedAt: this.now.toISOString() };
  }

  /** The stay ends: the unit is free again; a kept bed is released, an episode closed. */
  async discharge(stayId: string, input: { reason: DischargeReasonCode; destination?: EnvelopeOf<typeof DischargeRecorded>['data']['destination'] }, by: Actor, origin: MessageOrigin): Promise<{ admissionId: string; dischargedAt: string }> {
    await this.change({ type: 'Discharge', stayId, reason: input.reason, ...(input.destination ? { destination: input.destination } : {}) }, by, origin);
    return { admissionId: stayId, dischargedAt: this.now.toISOString() };
  }

  /** Provider staff start an urgent transfer to hospital; where the policy keeps beds (留床), the bed is kept until its time runs out. */
  async emergencyTransfer(stayId: string, input: { reason: string; hospitalInstitutionId?: string }, by: Actor, origin: MessageOrigin): Promise<{ transferId: string; bedKept: boolean; keptUntil: string | null }> {
    const [requested] = (await this.change({ type: 'TransferOut', stayId, reason: input.reason, ...(input.hospitalInstitutionId ? { hospitalInstitutionId: input.hospitalInstitutionId } : {}) }, by, origin)) as Extract<BedEvent, { type: 'TransferRequested' }>[];
    return { transferId: requested!.transferId, bedKept: requested!.keptUntil !== null, keptUntil: requested!.keptUntil?.toISOString() ?? null };
  }

  /** The resident comes back from hospital to the kept bed. */
  async returnToKeptBed(stayId: string, by: Actor, origin: MessageOrigin): Promise<{ admissionId: string; returnedAt: string }> {
    await this.change({ type: 'Return', stayId }, by, origin);
    return { admissionId: stayId, returnedAt: this.now.toISOString() };
  }

  /** The same renewal in the caller's transaction (a review visit's check-out). */
  async renewEpisodeIn(tx: Tx, outbox: Outbox, stayId: string, review: EpisodeReview, by: { userId: string; name?: string | undefined }, origin: MessageOrigin): Promise<void> {
    await runIn(tx, outbox, this.pipeline, { command: { type: 'RenewEpisode', stayId, review, by }, origin, fromMessage: false, actor: { id: by.userId, role: 'provider' } });
  }

  /** The episode was reviewed and goes on: a new review date. */
  async renewEpisode(stayId: string, review: EpisodeReview, by: { userId: string; name?: string | undefined; role: string }, origin: MessageOrigin): Promise<{ episodeId: string; reviewDueAt: string }> {
    const [renewed] = (await this.change({ type: 'RenewEpisode', stayId, review, by: { userId: by.userId, name: by.name } }, { id: by.userId, role: by.role }, origin)) as Extract<BedEvent, { type: 'EpisodeRenewed' }>[];
    return { episodeId: stayId, reviewDueAt: renewed!.reviewDueAt.toISOString() };
  }
}
