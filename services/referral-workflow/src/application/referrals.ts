import { shandongDivisions } from '@fbl/codes';
import {
  AssessAbility,
  AuthoriseLtci,
  bedCommandsTopic,
  causedBy,
  createMessage,
  newId,
  OfferAnswered,
  OfferNotSelected,
  ProviderChoiceLapsed,
  ProviderChosen,
  ReferralCancelled,
  ReferralClosed,
  ReferralDeadlineDue,
  ReferralEscalated,
  ReferralOffered,
  ReferralRequested,
  ReferralStateChanged,
  ReleaseBed,
  ReserveBed,
  type Envelope,
  type MessageOrigin,
  type OutgoingMessage,
  type PacketConsent,
  type PacketEligibility,
  type ReferralPacket,
} from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import { CannotApply, type Outbox } from '@fbl/messaging';
import { conflict, notFound, ProblemError, type ServiceKit } from '@fbl/service-kit';
import { and, eq, inArray, like, ne, sql } from 'drizzle-orm';
import { initialTransition, transition } from 'xstate';
import { availability, elderFacts, elderProfiles, elderStays, matchRuns, offers, referrals, timeline, timers } from '../adapters/db/schema.js';
import { rankCandidates, type ProviderAvailability } from '../domain/matching.js';
import { factsOfPacket, MACHINE_FACTS, splitFacts } from '../domain/packet.js';
import { staysInTheWay, type CurrentStay } from '../domain/stays.js';
import { referenceOf } from '../domain/reference.js';
import type { PacketStore } from './packet-store.js';
import { MACHINE_VERSION, referralMachine, type ActionParams, type ReferralContext, type ReferralEvent, type ReferralInput } from '../domain/referral-machine.js';
import { type BedTypeName, type Deadlines, type KnownFacts, type Offer, type OfferStatus, type Origin, type ReferralKind, type ReturnTarget, type Urgency } from '../domain/types.js';
import { machineFor, migrateSnapshot, restoreSnapshot, storeSnapshot, topState, type StoredSnapshot } from './machine-host.js';

export const SERVICE = 'referral-workflow';

/** Thrown when another writer advanced the referral first; the message is retried. */
export class StaleReferralVersion extends Error {}

/** A new referral, from a discharge planner or from an urgent transfer. */
export interface NewReferral {
  elderRef: string;
  kind?: ReferralKind;
  urgency: Urgency;
  origin: Origin;
  requestedBedTypes: BedTypeName[];
  widerBedTypes?: BedTypeName[];
  requirements?: Record<string, string | boolean>;
  wantsLtci?: boolean;
  facts?: KnownFacts;
  returnTo?: ReturnTarget;
  parentId?: string;
  /** What the planner sends for providers to decide on (转诊资料); its eligibility facts join `facts`. */
  packet?: ReferralPacket;
  /** The elder's consent to share the packet with providers, given when the referral starts. */
  consent?: PacketConsent;
  /** The referring side confirms the elder leaves the bed they are in elsewhere (转床). */
  confirmMove?: boolean;
  /** The provider the sender chose (an urgent transfer's hospital): offered alone while it can take the elder. */
  preferredInstitutionId?: string;
}

/** Who or what caused a step: a person (HTTP), a service's message, or a deadline. */
export interface Cause {
  actor: string;
  causationId: string;
  origin: MessageOrigin;
  /** For a person: their display name and role; `service` or `deadline` otherwise. */
  actorName?: string | undefined;
  actorRole?: string | undefined;
  /** The institution the actor acted for (a person's own, or the one a service's message is about). */
  actorInstitutionId?: string | undefined;
}

/** How many providers are offered a referral at once. */
export const OFFERS_AT_ONCE = 3;

/** The parties of a referral from its machine context and its offers. */
export function partiesOf(context: ReferralContext, offerRows: readonly { id: string; institutionId: string; status: string }[]): Parties {
  return {
    originInstitutionId: context.origin.institutionId,
    originDivisionCode: context.origin.divisionCode,
    offers: new Map(offerRows.map((o) => [o.id, o.institutionId])),
    offerList: offerRows.map((o) => ({ offerId: o.id, institutionId: o.institutionId, status: o.status as OfferStatus })),
    chosenInstitutionId: context.offers.find((o) => o.offerId === context.chosenOfferId)?.institutionId,
    placedInstitutionId: context.hold?.institutionId,
    keptBedInstitutionId: context.returnTo?.institutionId,
  };
}

/** Every institution among a referral's parties. */
function institutionsIn(p: Parties): string[] {
  return [...new Set([p.originInstitutionId, ...p.offers.values(), ...(p.placedInstitutionId ? [p.placedInstitutionId] : []), ...(p.keptBedInstitutionId ? [p.keptBedInstitutionId] : [])])];
}

/** The parties of a referral, as authorization needs them. */
export interface Parties {
  originInstitutionId: string;
  originDivisionCode: string;
  /** Offer id → the offered institution. */
  offers: Map<string, string>;
  /** Every offer with its institution and status (a declined provider is no longer a live party). */
  offerList: { offerId: string; institutionId: string; status: OfferStatus }[];
  /** The institution of the offer the family chose, while that choice stands. */
  chosenInstitutionId: string | undefined;
  /** The institution holding the bed (or, for a return, the kept bed once the elder is back). */
  placedInstitutionId: string | undefined;
  /** The institution keeping a bed for the elder's return (留床), on a return referral. */
  keptBedInstitutionId: string | undefined;
}
/** How long an ability assessment stays current (DOMAIN §2 default: six months). */
const ASSESSMENT_VALID_MS = 183 * 24 * 3600_000;

type Row = typeof referrals.$inferSelect;

/**
 * The host of the referral machine. For each message or request it loads the referral's
 * snapshot (row-locked), computes the pure transitions, carries out the actions that need this
 * service's own data at once (matching), and saves the snapshot with a version check, the
 * timeline, the read models, the deadlines and the outgoing messages in the caller's transaction.
 */
export class Referrals {
  constructor(
    private readonly kit: ServiceKit,
    private readonly deadlines: { routine: Deadlines; greenChannel: Deadlines },
    private readonly store: PacketStore,
  ) {}

  private get now(): Date {
    return this.kit.deps.clock();
  }

  // ---- starting ------------------------------------------------------------------------

  /**
   * Start a referral in its own transaction. `prepare` runs in it once the referral's row exists
   * and before it is matched (the packet, its consent and their audit are written there).
   */
  async request(input: NewReferral, cause: Cause, prepare?: (tx: Tx, referralId: string, packet: ReferralPacket | undefined) => Promise<void>): Promise<{ id: string; state: string }> {
    return this.kit.transact((tx, outbox) => this.start(tx, outbox, input, cause, prepare));
  }

  /** Start a referral in the caller's transaction (a message handler's). */
  async start(tx: Tx, outbox: Outbox, input: NewReferral, cause: Cause, prepare?: (tx: Tx, referralId: string, packet: ReferralPacket | undefined) => Promise<void>): Promise<{ id: string; state: string }> {
    const id = newId();
    const now = this.now;
    // A person's referral may not put the elder into a second bed beside one held elsewhere unless it is a confirmed move.
    const movesFrom = (input.kind ?? 'discharge') === 'discharge' ? await this.staysInTheWay(tx, input) : [];
    if (movesFrom.length > 0 && input.confirmMove !== true) {
      throw new ProblemError(409, 'elder-in-bed', 'The elder is in another bed', `the elder is in ${movesFrom.map((m) => `a ${m.bedType} bed`).join(' and ')} elsewhere: a referral into another bed must be confirmed as a move (confirmMove: true)`, [
        { field: 'confirmMove', pointer: '/confirmMove', in: 'body', reason: 'must be true: the elder is in another bed and leaves it by this referral' },
      ]);
    }
    const [known] = await tx.select().from(elderFacts).where(eq(elderFacts.elderRef, input.elderRef));
    const [profile] = await tx.select({ divisionCode: elderProfiles.divisionCode }).from(elderProfiles).where(eq(elderProfiles.elderRef, input.elderRef));
    // The facts a planner answers live in the sealed packet; the machine keeps only those it reads itself.
    const given = splitFacts(input.facts ?? {});
    // The route validated the separate facts against the same schema as the packet's eligibility.
    const eligibility: PacketEligibility = { ...(given.packet as PacketEligibility), ...(input.packet?.eligibility ?? {}) };
    const packet: ReferralPacket | undefined = input.packet || Object.keys(eligibility).length > 0 ? { ...(input.packet ?? {}), ...(Object.keys(eligibility).length > 0 ? { eligibility } : {}) } : undefined;
    const machineFacts = Object.fromEntries(MACHINE_FACTS.flatMap((k) => (eligibility[k] === undefined ? [] : [[k, eligibility[k]]])));
    const facts: KnownFacts = { ...(profile ? { homeDivisionCode: profile.divisionCode } : {}), ...((known?.facts as KnownFacts | undefined) ?? {}), ...given.other, ...machineFacts };
    const assessedOn = typeof facts.abilityAssessedOn === 'string' ? Date.parse(facts.abilityAssessedOn) : NaN;
    const machineInput: ReferralInput = {
      referralId: id,
      elderRef: input.elderRef,
      kind: input.kind ?? 'discharge',
      urgency: input.urgency,
      origin: input.origin,
      requestedBedTypes: input.requestedBedTypes,
      widerBedTypes: input.widerBedTypes ?? [],
      ...(input.requirements ? { requirements: input.requirements } : {}),
      wantsLtci: input.wantsLtci ?? false,
      facts,
      abilityCurrent: typeof facts.abilityLevel === 'number' && !Number.isNaN(assessedOn) && now.getTime() - assessedOn <= ASSESSMENT_VALID_MS,
      deadlines: input.urgency === 'green-channel' ? this.deadlines.greenChannel : this.deadlines.routine,
      ...(input.returnTo ? { returnTo: input.returnTo } : {}),
      ...(input.preferredInstitutionId ? { preferredInstitutionId: input.preferredInstitutionId } : {}),
    };
    const [snapshot, actions] = initialTransition(referralMachine, machineInput);
    const [created] = await tx.insert(referrals).values({
      id,
      machineVersion: MACHINE_VERSION,
      state: 'intake',
      snapshot: storeSnapshot(snapshot),
      version: 0,
      kind: machineInput.kind,
      urgency: input.urgency,
      elderRef: input.elderRef,
      originInstitutionId: input.origin.institutionId,
      originAdmissionId: input.origin.admissionId ?? null,
      parentId: input.parentId ?? null,
      movesFrom: movesFrom.length > 0 ? movesFrom.map((m) => ({ institutionId: m.institutionId, bedType: m.bedType })) : null,
      createdAt: now,
      updatedAt: now,
    }).returning({ number: referrals.number });
    const journey: Cause = { ...cause, origin: { ...cause.origin, correlationId: id } };
    await prepare?.(tx, id, packet);
    await outbox.append(tx, [
      createMessage(ReferralRequested, id, {
        referralId: id,
        elderRef: input.elderRef,
        kind: machineInput.kind,
        urgency: input.urgency,
        originInstitutionId: input.origin.institutionId,
        originBedType: input.origin.bedType,
        originDivisionCode: input.origin.divisionCode,
        requestedBedTypes: input.requestedBedTypes,
        reference: referenceOf(created!.number, now),
      }, journey.origin, { time: now }),
    ]);
    const [row] = await tx.select().from(referrals).where(eq(referrals.id, id));
    const state = await this.advance(tx, outbox, row!, { type: 'ReferralRequested' }, journey, { snapshot, actions });
    return { id, state };
  }

  /** The beds an elder is in now, in any bed service (admitted and not discharged). */
  private async currentStays(tx: Tx, elderRef: string): Promise<CurrentStay[]> {
    const rows = await tx.select().from(elderStays).where(eq(elderStays.elderRef, elderRef)).orderBy(elderStays.admittedAt);
    return rows.map((r) => ({ admissionId: r.admissionId, institutionId: r.institutionId, bedType: r.bedType as BedTypeName }));
  }

  private async staysInTheWay(tx: Tx, input: NewReferral): Promise<CurrentStay[]> {
    return staysInTheWay(await this.currentStays(tx, input.elderRef), input.origin, [...input.requestedBedTypes, ...(input.widerBedTypes ?? [])]);
  }

  /** Project a stay that began (any bed service's AdmissionRecorded). */
  async stayBegan(tx: Tx, stay: { admissionId: string; elderRef: string; institutionId: string; bedType: string; admittedAt: string }): Promise<void> {
    await tx.insert(elderStays).values({ ...stay, admittedAt: new Date(stay.admittedAt) }).onConflictDoNothing();
  }

  /** Project a stay that ended (DischargeRecorded). */
  async stayEnded(tx: Tx, admissionId: string): Promise<void> {
    await tx.delete(elderStays).where(eq(elderStays.admissionId, admissionId));
  }

  /** Lock a referral for a change made beside the machine (its packet, consent, attachments); 404 when there is none. */
  async lock(tx: Tx, referralId: string): Promise<Row> {
    const [row] = await tx.select().from(referrals).where(eq(referrals.id, referralId)).for('update');
    if (!row) throw notFound(`referral ${referralId}`);
    return row;
  }

  // ---- applying ------------------------------------------------------------------------

  /**
   * Apply an event to a referral in the caller's transaction. A message naming a referral that
   * does not exist can never apply: {@link CannotApply} sends it to the dead-letter topic.
   */
  async apply(tx: Tx, outbox: Outbox, referralId: string, event: ReferralEvent, cause: Cause): Promise<string> {
    const [row] = await tx.select().from(referrals).where(eq(referrals.id, referralId)).for('update');
    if (!row) throw new CannotApply(`${event.type} names referral ${referralId}, which does not exist`);
    return this.advance(tx, outbox, row, event, cause);
  }

  /**
   * Apply a person's decision in its own transaction; 404 when the referral does not exist, 409
   * when the decision does not apply. `then` runs in the same transaction once it applied (what
   * the decision carries besides the machine's event, e.g. a decline's note).
   */
  async decide(referralId: string, event: ReferralEvent, cause: Cause, then?: (tx: Tx) => Promise<void>): Promise<{ id: string; state: string; applied: boolean }> {
    return this.kit.transact(async (tx, outbox) => {
      const [row] = await tx.select().from(referrals).where(eq(referrals.id, referralId)).for('update');
      if (!row) throw notFound(`referral ${referralId}`);
      const before = row.version;
      const state = await this.advance(tx, outbox, row, event, cause);
      const [after] = await tx.select({ version: referrals.version }).from(referrals).where(eq(referrals.id, referralId));
      if (after!.version === before) throw conflict(`${event.type} does not apply to this referral in state ${row.state}`);
      await then?.(tx);
      return { id: referralId, state, applied: true };
    });
  }

  /**
   * Run the machine from the stored snapshot through `event` and whatever it leads to, carry out
   * the actions, and save. `first` is the already computed initial transition of a new referral.
   */
  private async advance(
    tx: Tx,
    outbox: Outbox,
    row: Row,
    event: ReferralEvent | { type: 'ReferralRequested' },
    cause: Cause,
    first?: { snapshot: ReturnType<typeof initialTransition<typeof referralMachine>>[0]; actions: ReturnType<typeof initialTransition<typeof referralMachine>>[1] },
  ): Promise<string> {
    let { machineVersion: version } = row;
    let stored = row.snapshot as StoredSnapshot;
    if (version !== MACHINE_VERSION) ({ version, stored } = migrateSnapshot(version, stored, { offerId: newId() }));
    const machine = machineFor(version);
    let snapshot = first?.snapshot ?? restoreSnapshot(version, stored);
    const startState = first ? 'intake' : topState(stored.value);
    const now = this.now;
    const messages: OutgoingMessage[] = [];
    const queue: { event: ReferralEvent | { type: 'ReferralRequested' }; actions?: typeof first extends undefined ? never : NonNullable<typeof first>['actions'] }[] = [{ event, ...(first ? { actions: first.actions } : {}) }];
    let changed = Boolean(first) || version !== row.machineVersion;
    while (queue.length > 0) {
      const step = queue.shift()!;
      // A new referral is stored in intake; where its first step took it (eligibility, matching) is a move others must hear of.
      const before = step.actions && first ? startState : topState(snapshot.value);
      const beforeContext = JSON.stringify(snapshot.context);
      let actions = step.actions;
      if (!actions && snapshot.status === 'done') {
        await this.record(tx, row.id, now, step.event.type, before, before, cause, `the referral is finished (${before})`);
        continue;
      }
      if (!actions) {
        const [next, produced] = transition(machine, snapshot, step.event as ReferralEvent);
        const moved = JSON.stringify(next.value) !== JSON.stringify(snapshot.value) || JSON.stringify(next.context) !== beforeContext || produced.length > 0;
        snapshot = next;
        actions = produced;
        if (!moved) {
          await this.record(tx, row.id, now, step.event.type, before, before, cause, `not applicable in state ${before}`);
          continue;
        }
      }
      changed = true;
      const after = topState(snapshot.value);
      const context = snapshot.context as ReferralContext;
      await this.record(tx, row.id, now, step.event.type, step.event.type === 'ReferralRequested' ? null : before, after, cause, describe(step.event));
      for (const action of actions) {
        const follow = await this.carryOut(tx, action as { type: string; params: unknown }, context, cause, now, messages, before);
        if (follow) queue.push({ event: follow });
      }
      if (after !== before) {
        messages.push(createMessage(ReferralStateChanged, row.id, { referralId: row.id, from: before, to: after, machineVersion: version }, cause.origin, { time: now }));
      }
    }
    if (!changed) return startState;
    const next = storeSnapshot(snapshot);
    // Offers whose status changed inside the machine alone (e.g. the chosen one became unavailable).
    for (const o of (snapshot.context as ReferralContext).offers) {
      await tx.update(offers).set({ status: o.status }).where(and(eq(offers.id, o.offerId), ne(offers.status, o.status)));
    }
    const updated = await tx
      .update(referrals)
      .set({ snapshot: next, state: topState(next.value), version: row.version + 1, machineVersion: version, updatedAt: now })
      .where(and(eq(referrals.id, row.id), eq(referrals.version, row.version)))
      .returning({ id: referrals.id });
    if (updated.length === 0) throw new StaleReferralVersion(`referral ${row.id} changed concurrently`);
    await outbox.append(tx, messages);
    return topState(next.value);
  }

  private async record(tx: Tx, referralId: string, at: Date, event: string, from: string | null, to: string, cause: Cause, detail: string | null): Promise<void> {
    await tx.insert(timeline).values({
      referralId,
      at,
      event,
      fromState: from,
      toState: to,
      actor: cause.actor,
      actorName: cause.actorName ?? null,
      actorRole: cause.actorRole ?? null,
      actorInstitutionId: cause.actorInstitutionId ?? null,
      causedBy: cause.causationId,
      detail,
    });
  }

  /** Carry out one action of the machine; returns an event to feed back when the action answers at once. */
  private async carryOut(tx: Tx, action: { type: string; params: unknown }, context: ReferralContext, cause: Cause, now: Date, messages: OutgoingMessage[], stage: string): Promise<ReferralEvent | undefined> {
    const id = context.referralId;
    const at = { time: now };
    const type = action.type as keyof ActionParams | `xstate.${string}`;
    switch (type) {
      case 'requestAssessment': {
        const p = action.params as ActionParams['requestAssessment'];
        messages.push(createMessage(AssessAbility, p.elderRef, { elderRef: p.elderRef, referralId: p.referralId, reason: 'immediate', urgency: p.urgency }, cause.origin, at));
        return undefined;
      }
      case 'requestLtci': {
        const p = action.params as ActionParams['requestLtci'];
        messages.push(createMessage(AuthoriseLtci, p.elderRef, { elderRef: p.elderRef, referralId: p.referralId, requestedAt: now.toISOString(), divisionCode: p.divisionCode }, cause.origin, at));
        return undefined;
      }
      case 'findMatches':
        return this.findMatches(tx, context, action.params as ActionParams['findMatches'], now);
      case 'announceOffers': {
        const p = action.params as ActionParams['announceOffers'];
        const respondBy = new Date(now.getTime() + p.deadlineMs);
        for (const o of p.offers) {
          await tx.insert(offers).values({ id: o.offerId, referralId: id, institutionId: o.institutionId, bedType: o.bedType, rank: o.rank, status: 'open', urgency: p.urgency, offeredAt: now, respondBy });
          messages.push(createMessage(ReferralOffered, id, { referralId: id, offerId: o.offerId, institutionId: o.institutionId, bedType: o.bedType, urgency: p.urgency, rank: o.rank, respondBy: respondBy.toISOString() }, cause.origin, at));
        }
        return undefined;
      }
      case 'announceAnswer': {
        const { offer } = action.params as ActionParams['announceAnswer'];
        const [stored] = await tx.update(offers).set({ status: offer.status, reasonCode: offer.reasonCode ?? null, answeredAt: now }).where(eq(offers.id, offer.offerId)).returning();
        const answer = offer.status === 'accepted' || offer.status === 'declined' || offer.status === 'expired' ? offer.status : 'expired';
        messages.push(
          createMessage(OfferAnswered, id, {
            referralId: id,
            offerId: offer.offerId,
            institutionId: offer.institutionId,
            bedType: offer.bedType,
            answer,
            ...(offer.reasonCode ? { reasonCode: offer.reasonCode } : {}),
            offeredAt: (stored?.offeredAt ?? now).toISOString(),
          }, cause.origin, at),
        );
        return undefined;
      }
      case 'announceNotSelected': {
        const { offers: released } = action.params as ActionParams['announceNotSelected'];
        if (released.length === 0) return undefined;
        await tx.update(offers).set({ answeredAt: sql`coalesce(${offers.answeredAt}, ${now.toISOString()}::timestamptz)` }).where(inArray(offers.id, released.map((o) => o.offerId)));
        for (const o of released) messages.push(createMessage(OfferNotSelected, id, { referralId: id, offerId: o.offerId, institutionId: o.institutionId, bedType: o.bedType }, cause.origin, at));
        return undefined;
      }
      case 'reserveBed': {
        const p = action.params as ActionParams['reserveBed'];
        messages.push(createMessage(ReserveBed, p.institutionId, p, cause.origin, { ...at, topic: bedCommandsTopic(p.bedType) }));
        return undefined;
      }
      case 'releaseBed': {
        const p = action.params as ActionParams['releaseBed'];
        messages.push(createMessage(ReleaseBed, p.institutionId, p, cause.origin, { ...at, topic: bedCommandsTopic(p.bedType) }));
        return undefined;
      }
      case 'schedule': {
        const p = action.params as ActionParams['schedule'];
        const dueAt = new Date(now.getTime() + p.afterMs);
        await this.kit.timers.schedule(tx, timerKey(id, p.key), dueAt, createMessage(ReferralDeadlineDue, id, { referralId: id, key: p.key, event: p.event }, cause.origin, at));
        return undefined;
      }
      case 'unschedule':
        await this.kit.timers.cancel(tx, timerKey(id, (action.params as ActionParams['unschedule']).key));
        return undefined;
      case 'unscheduleAll':
        await tx.delete(timers).where(and(like(timers.key, `${timerKey(id, '')}%`), sql`${timers.firedAt} is null`));
        return undefined;
      case 'escalate': {
        const p = action.params as ActionParams['escalate'];
        // The stage is where the referral stood when it was escalated, which only the host sees.
        messages.push(createMessage(ReferralEscalated, id, { referralId: id, reason: p.reason, stage, offersMade: p.offersMade }, cause.origin, at));
        return undefined;
      }
      case 'announceCancelled': {
        const p = action.params as ActionParams['announceCancelled'];
        messages.push(createMessage(ReferralCancelled, id, { referralId: id, reason: p.reason, stage }, cause.origin, at));
        return undefined;
      }
      case 'announceClosed': {
        const p = action.params as ActionParams['announceClosed'];
        messages.push(createMessage(ReferralClosed, id, { referralId: id, institutionId: p.institutionId, bedType: p.bedType, followUpLate: p.followUpLate }, cause.origin, at));
        return undefined;
      }
      case 'announceChoice': {
        const { offer, elderRef } = action.params as ActionParams['announceChoice'];
        messages.push(createMessage(ProviderChosen, id, { referralId: id, offerId: offer.offerId, institutionId: offer.institutionId, bedType: offer.bedType, elderRef }, cause.origin, at));
        return undefined;
      }
      case 'announceChoiceLapsed': {
        const { offer, elderRef, reason } = action.params as ActionParams['announceChoiceLapsed'];
        messages.push(createMessage(ProviderChoiceLapsed, id, { referralId: id, offerId: offer.offerId, institutionId: offer.institutionId, bedType: offer.bedType, elderRef, reason }, cause.origin, at));
        return undefined;
      }
      default:
        if (type.startsWith('xstate.')) return undefined;
        throw new Error(`the referral machine emitted an action nobody carries out: ${type}`);
    }
  }

  /** Rank providers from the availability projection; store the run; answer with offers or none. */
  private async findMatches(tx: Tx, context: ReferralContext, p: ActionParams['findMatches'], now: Date): Promise<ReferralEvent> {
    const rows = await tx.select().from(availability).where(inArray(availability.bedType, p.bedTypes));
    const providers: ProviderAvailability[] = rows.map((r) => ({
      institutionId: r.institutionId,
      bedType: r.bedType as BedTypeName,
      name: r.name,
      divisionCode: r.divisionCode,
      capabilities: r.capabilities,
      serviceArea: r.serviceArea,
      greenChannelPartners: r.greenChannelPartners,
      units: r.units as ProviderAvailability['units'],
    }));
    // The planner's answers on the packet (sealed, so not in the machine's context) count as known facts.
    const packet = await this.store.load(tx, context.referralId);
    const result = rankCandidates(
      {
        bedTypes: p.bedTypes,
        ...(context.requirements ? { requirements: context.requirements } : {}),
        facts: { ...context.facts, ...factsOfPacket(packet?.packet) },
        origin: { institutionId: context.origin.institutionId, divisionCode: context.origin.divisionCode },
        urgency: context.urgency,
        ltciFunded: context.facts.ltciAuthorised === true,
        excludeInstitutions: [...p.excludeInstitutions, context.origin.institutionId],
        ...(context.preferredInstitutionId ? { preferInstitutionId: context.preferredInstitutionId } : {}),
        maxOffers: OFFERS_AT_ONCE,
        asOf: now,
      },
      providers,
      shandongDivisions,
    );
    // Exclusion reasons cite the elder's health facts (a KPS, a diagnosis): the ranking is sealed at rest.
    await tx.insert(matchRuns).values({ referralId: context.referralId, at: now, widened: p.widened ? 1 : 0, resultSealed: this.store.seal(JSON.stringify(result)) });
    if (result.candidates.length === 0) return { type: 'NoMatches' };
    const made: Offer[] = result.candidates.map((c, i) => ({ offerId: newId(), institutionId: c.institutionId, bedType: c.bedType, rank: i + 1, status: 'open' }));
    return { type: 'MatchesFound', offers: made };
  }

  // ---- who takes part ------------------------------------------------------------------

  /**
   * Who takes part in a referral, for authorization: the referring institution and its division,
   * the institution of each offer, the institution holding the bed, and the one keeping a bed for
   * the elder's return.
   */
  async parties(id: string): Promise<Parties> {
    const found = await this.partiesNow(id);
    if (!found) throw notFound(`referral ${id}`);
    return found.parties;
  }

  /** A referral's state and version now, with every institution taking part in it (for the live feed); undefined when there is none. */
  async current(id: string) {
    const found = await this.partiesNow(id);
    return found && { change: { id, state: found.state, version: found.version }, parties: institutionsIn(found.parties) };
  }

  private async partiesNow(id: string): Promise<{ state: string; version: number; parties: Parties } | undefined> {
    const { db } = this.kit.deps.database;
    const [row] = await db.select({ state: referrals.state, version: referrals.version, snapshot: referrals.snapshot }).from(referrals).where(eq(referrals.id, id));
    if (!row) return undefined;
    const context = (row.snapshot as StoredSnapshot).context as unknown as ReferralContext;
    const offerRows = await db.select({ id: offers.id, institutionId: offers.institutionId, status: offers.status }).from(offers).where(eq(offers.referralId, id));
    return { state: row.state, version: row.version, parties: partiesOf(context, offerRows) };
  }

  /** The division an institution is registered in, as its bed service announced it; undefined when no bed service has. */
  async registeredDivisionOf(institutionId: string): Promise<string | undefined> {
    const [row] = await this.kit.deps.database.db.select({ divisionCode: availability.divisionCode }).from(availability).where(eq(availability.institutionId, institutionId)).limit(1);
    return row?.divisionCode;
  }

  // ---- projections ---------------------------------------------------------------------

  /** Keep the latest availability of a provider (an older sequence changes nothing). */
  async projectAvailability(tx: Tx, data: Envelope<'BedAvailabilityChanged', { institutionId: string; bedType: string; sequence: number; name: string; divisionCode: string; capabilities: string[]; serviceArea: string[]; greenChannelPartners: string[]; units: unknown[] }>['data']): Promise<void> {
    const row = { ...data, units: data.units, updatedAt: this.now };
    await tx
      .insert(availability)
      .values(row)
      .onConflictDoUpdate({ target: [availability.institutionId, availability.bedType], set: { ...row }, setWhere: sql`${availability.sequence} < ${data.sequence}` });
  }

  /** Keep what civil affairs announced of a registered elder (sex, birth year, home division). */
  async projectProfile(tx: Tx, p: { elderRef: string; gender: string; birthYear: number; divisionCode: string }): Promise<void> {
    const row = { ...p, updatedAt: this.now };
    await tx.insert(elderProfiles).values(row).onConflictDoUpdate({ target: elderProfiles.elderRef, set: row });
  }

  /** Merge what civil affairs or medical insurance said about an elder. */
  async projectFacts(tx: Tx, elderRef: string, facts: KnownFacts): Promise<void> {
    const [existing] = await tx.select().from(elderFacts).where(eq(elderFacts.elderRef, elderRef)).for('update');
    const merged = { ...((existing?.facts as KnownFacts | undefined) ?? {}), ...facts };
    await tx.insert(elderFacts).values({ elderRef, facts: merged, updatedAt: this.now }).onConflictDoUpdate({ target: elderFacts.elderRef, set: { facts: merged, updatedAt: this.now } });
  }

  /** Referrals of an elder still in a given state. */
  async openReferralsOf(tx: Tx, elderRef: string, state: string): Promise<string[]> {
    const rows = await tx.select({ id: referrals.id }).from(referrals).where(and(eq(referrals.elderRef, elderRef), eq(referrals.state, state)));
    return rows.map((r) => r.id);
  }

  /** Referrals whose elder's stay at the origin is `admissionId`. */
  async referralsFromStay(tx: Tx, admissionId: string): Promise<string[]> {
    const rows = await tx.select({ id: referrals.id }).from(referrals).where(eq(referrals.originAdmissionId, admissionId));
    return rows.map((r) => r.id);
  }

  /** The return referral waiting for the elder to be back in the kept bed of stay `admissionId`. */
  async returnWaitingFor(tx: Tx, admissionId: string): Promise<string | undefined> {
    const [row] = await tx
      .select({ id: referrals.id })
      .from(referrals)
      .where(and(eq(referrals.kind, 'return'), sql`${referrals.snapshot}->'context'->'returnTo'->>'admissionId' = ${admissionId}`, sql`${referrals.state} in ('returning', 'intake')`));
    return row?.id;
  }

  /**
   * The urgent transfer started from a stay that has not brought the elder to hospital yet (not
   * admitted there, not finished): what a return to the kept bed makes pointless.
   */
  async urgentTransferPendingFor(tx: Tx, admissionId: string): Promise<string | undefined> {
    const [row] = await tx
      .select({ id: referrals.id })
      .from(referrals)
      .where(and(eq(referrals.kind, 'urgent-transfer'), eq(referrals.originAdmissionId, admissionId), sql`${referrals.state} not in ('followUp', 'closed', 'cancelled')`));
    return row?.id;
  }

  /** A referral's machine context. */
  async contextOf(tx: Tx, referralId: string): Promise<ReferralContext | undefined> {
    const [row] = await tx.select({ snapshot: referrals.snapshot }).from(referrals).where(eq(referrals.id, referralId));
    return row ? ((row.snapshot as StoredSnapshot).context as unknown as ReferralContext) : undefined;
  }

  /** The cause of a step taken on a message. */
  static messageCause(envelope: Envelope): Cause {
    const institutionId = (envelope.data as { institutionId?: unknown } | null)?.institutionId;
    return { actor: envelope.source, actorRole: 'service', ...(typeof institutionId === 'string' ? { actorInstitutionId: institutionId } : {}), causationId: envelope.id, origin: causedBy(envelope, SERVICE) };
  }
}

/** The key of a referral's deadline in the timers table. */
export function timerKey(referralId: string, key: string): string {
  return `referral:${referralId}:${key}`;
}

function describe(event: { type: string } & Record<string, unknown>): string | null {
  switch (event.type) {
    case 'OfferDeclined':
      return `declined: ${String(event['reasonCode'])}`;
    case 'Cancel':
      return `reason: ${String(event['reason'])}`;
    case 'BedHoldRejected':
      return `rejected: ${String(event['reasonCode'])}`;
    case 'LtciRefused':
      return `refused: ${String(event['ground'])}`;
    case 'AbilityAssessed':
      return `ability level ${String(event['level'])}`;
    case 'MatchesFound':
      return `${(event['offers'] as unknown[]).length} providers offered`;
    default:
      return null;
  }
}
