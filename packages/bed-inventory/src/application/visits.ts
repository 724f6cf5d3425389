import { causedBy, conflict, ExtendVisitSchedule, FlagVisitMissed, HomeVisitCompleted, HomeVisitMissed, invalidInput, newId, notFound, type Envelope, type EnvelopeOf, type MessageOrigin } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import { CannotApply, type Outbox } from '@fbl/messaging';
import type { AuditLog, Sealer } from '@fbl/privacy';
import { run, runIn, type Pipeline, type ServicePorts } from '@fbl/service-kit/pipeline';
import { randomInt } from 'node:crypto';
import type { VisitStore } from '../adapters/db/visit-store.js';
import { isRefusal } from '../domain/decider.js';
import type { HomeBedType } from '../domain/visit-catalogue.js';
import { decideVisit, type Actor, type NewVisit, type VisitCommand, type VisitEvent, type VisitState } from '../domain/visit-decider.js';
import { checkPlan, type PlanContent } from '../domain/visits.js';
import type { BedInventory } from './inventory.js';
import type { BedMessages } from './messages.js';

interface Addressed {
  command: VisitCommand;
  origin: MessageOrigin;
  fromMessage: boolean;
}
type Loaded = Awaited<ReturnType<VisitStore['load']>>;

/** The `audit_log` action names of visit records. */
export const VISIT_AUDIT = { plan: 'visit-plan.set', planRead: 'visit-plan.read', checkIn: 'visit.check-in', checkOut: 'visit.check-out', read: 'visit.read' } as const;

/**
 * The use cases of home bed visits: a provider sets (and versions) a service plan at admission,
 * which lays out visit windows; a worker checks in and out where the visit happens, with the items
 * done and the family's confirmation; a timer flags a visit missed when its window ends without a
 * check-in. Completion and misses go out as events on the bed service's topic. Notes, signatures
 * and one-time codes are sealed; every change is written to the audit log in its transaction.
 */
export class HomeVisits {
  private readonly pipeline: Pipeline<Addressed, Loaded, { events: VisitEvent[]; origin: MessageOrigin }, VisitEvent[]>;

  constructor(
    private readonly ports: ServicePorts,
    readonly bedType: HomeBedType,
    private readonly messages: BedMessages,
    readonly store: VisitStore,
    private readonly sealer: Sealer,
    readonly audit: AuditLog,
    private readonly inventory: BedInventory,
  ) {
    this.pipeline = {
      load: (tx, { command }) => this.store.load(tx, command, this.now),
      decide: (state, { command, origin, fromMessage }) => {
        const code = command.type === 'CheckOut' && state.codeSealed ? this.sealer.open(state.codeSealed) : undefined;
        const outcome = decideVisit({ ...state, ...(code ? { code } : {}) }, command, { bedType, now: this.now, newId });
        if (!isRefusal(outcome)) return { events: outcome, origin };
        if (fromMessage) throw new CannotApply(`${command.type}: ${outcome.reason}`);
        throw outcome.refused === 'not-found' ? notFound(outcome.reason) : conflict(outcome.reason);
      },
      save: async (tx, outbox, _state, { events, origin }) => {
        for (const event of events) await this.apply(tx, outbox, event, origin);
        return events;
      },
    };
  }

  private get now(): Date {
    return this.ports.clock();
  }

  private change(command: VisitCommand, origin: MessageOrigin): Promise<VisitEvent[]> {
    return run(this.ports.transact, this.pipeline, { command, origin, fromMessage: false });
  }

  private handle(command: VisitCommand, envelope: Envelope, tx: Tx, outbox: Outbox): Promise<VisitEvent[]> {
    return runIn(tx, outbox, this.pipeline, { command, origin: causedBy(envelope, this.inventory.policy.service), fromMessage: true });
  }

  /** A fresh six-digit one-time code, sealed. */
  private newCode(): string {
    return this.sealer.seal(String(randomInt(0, 1_000_000)).padStart(6, '0'));
  }

  private async addVisits(tx: Tx, visits: readonly NewVisit[], planVersion: number, origin: MessageOrigin): Promise<void> {
    await this.store.addVisits(tx, visits.map((v) => ({ ...v, planVersion, codeSealed: this.newCode() })));
    for (const v of visits) await this.ports.timers.schedule(tx, `visit-missed:${v.id}`, v.windowEnd, this.messages.command(FlagVisitMissed, v.institutionId, { visitId: v.id, institutionId: v.institutionId, bedType: this.bedType, windowEnd: v.windowEnd.toISOString() }, origin));
  }

  private async scheduleTopUp(tx: Tx, plan: { id: string; institutionId: string; scheduledUntil: Date }, at: Date | null, origin: MessageOrigin): Promise<void> {
    const key = `visit-schedule:${plan.id}`;
    if (!at) return this.ports.timers.cancel(tx, key);
    await this.ports.timers.schedule(tx, key, at, this.messages.command(ExtendVisitSchedule, plan.institutionId, { planId: plan.id, institutionId: plan.institutionId, bedType: this.bedType, until: plan.scheduledUntil.toISOString() }, origin));
  }

  private facts(visit: VisitState) {
    return { visitId: visit.id, elderRef: visit.elderRef, divisionCode: visit.divisionCode, institutionId: visit.institutionId, bedType: this.bedType, planId: visit.planId, purpose: visit.purpose, channel: 'home' as const, windowStart: visit.windowStart.toISOString(), windowEnd: visit.windowEnd.toISOString() };
  }

  private async apply(tx: Tx, outbox: Outbox, event: VisitEvent, origin: MessageOrigin): Promise<void> {
    const actor = (by: Actor) => ({ id: by.userId, role: 'provider' });
    switch (event.type) {
      case 'PlanSet': {
        await this.store.savePlan(tx, event.plan, event.by, this.now);
        await this.store.cancel(tx, event.cancelled.map((v) => v.id));
        for (const v of event.cancelled) await this.ports.timers.cancel(tx, `visit-missed:${v.id}`);
        await this.addVisits(tx, event.added, event.plan.version, origin);
        await this.scheduleTopUp(tx, event.plan, event.topUpAt, origin);
        return this.audit.write(tx, { actor: actor(event.by), action: VISIT_AUDIT.plan, objectType: 'visit-plan', objectId: event.plan.id, outcome: 'allowed', detail: { version: event.plan.version } });
      }
      case 'ScheduleExtended':
        await this.store.setScheduledUntil(tx, event.plan.id, event.plan.scheduledUntil);
        await this.addVisits(tx, event.added, event.plan.version, origin);
        return this.scheduleTopUp(tx, event.plan, event.topUpAt, origin);
      case 'VisitAdded':
        return this.addVisits(tx, [event.visit], 0, origin);
      case 'CheckedIn':
        await this.store.checkIn(tx, event.visit.id, event.at, event.late, event.by.userId);
        await this.ports.timers.cancel(tx, `visit-missed:${event.visit.id}`);
        return this.audit.write(tx, { actor: actor(event.by), action: VISIT_AUDIT.checkIn, objectType: 'visit', objectId: event.visit.id, outcome: 'allowed' });
      case 'VisitCompleted': {
        const { confirmation: c } = event;
        await this.store.complete(tx, event.visit.id, { at: event.at, minutes: event.minutes, items: event.items, confirmation: c.method, signatureSealed: c.method === 'signature' ? this.sealer.seal(c.png) : null, notesSealed: event.notes ? this.sealer.seal(event.notes) : null, photosSealed: (event.photos ?? []).map((photo) => this.sealer.seal(photo)) });
        if (event.review) await this.inventory.renewEpisodeIn(tx, outbox, event.visit.stayId, event.review, event.by, origin);
        await this.audit.write(tx, { actor: actor(event.by), action: VISIT_AUDIT.checkOut, objectType: 'visit', objectId: event.visit.id, outcome: 'allowed', detail: { confirmation: c.method } });
        const checkedInAt = event.visit.checkedInAt!.toISOString();
        await outbox.append(tx, [this.messages.event(HomeVisitCompleted, event.visit.institutionId, { ...this.facts(event.visit), checkedInAt, checkedOutAt: event.at.toISOString(), minutes: event.minutes, items: event.items, confirmation: c.method, late: event.late }, origin)]);
        return;
      }
      case 'VisitMissed':
        await this.store.miss(tx, event.visit.id, event.at);
        await outbox.append(tx, [this.messages.event(HomeVisitMissed, event.visit.institutionId, { ...this.facts(event.visit), flaggedAt: event.at.toISOString() }, origin)]);
        return;
    }
  }

  // ---- use cases ---------------------------------------------------------------------

  /** Set the service plan of an admission (the first version, or a new one); bad input names the field. */
  async setPlan(stayId: string, content: PlanContent, by: Actor, origin: MessageOrigin): Promise<{ planId: string; version: number; visitsAdded: number; visitsCancelled: number }> {
    const problems = checkPlan(content, this.bedType);
    if (problems.length > 0) throw invalidInput(problems.map((p) => ({ field: p.field, pointer: `/${p.field.replaceAll('.', '/')}`, in: 'body' as const, reason: p.reason })));
    const [set] = (await this.change({ type: 'SetPlan', stayId, content, by }, origin)) as Extract<VisitEvent, { type: 'PlanSet' }>[];
    return { planId: set!.plan.id, version: set!.plan.version, visitsAdded: set!.added.length, visitsCancelled: set!.cancelled.length };
  }

  /** An extra visit of a plan in a window the provider names: a 查床, a review, or a service visit out of the weekly slots. */
  async addVisit(planId: string, input: { purpose: 'service' | 'doctor-round' | 'review'; windowStart: Date; windowEnd: Date; items: string[] }, origin: MessageOrigin): Promise<{ visitId: string }> {
    const [added] = (await this.change({ type: 'AddVisit', planId, ...input }, origin)) as Extract<VisitEvent, { type: 'VisitAdded' }>[];
    return { visitId: added!.visit.id };
  }

  async checkIn(visitId: string, by: Actor, origin: MessageOrigin): Promise<{ visitId: string; checkedInAt: string; late: boolean }> {
    const [event] = (await this.change({ type: 'CheckIn', visitId, by }, origin)) as Extract<VisitEvent, { type: 'CheckedIn' }>[];
    return { visitId, checkedInAt: event!.at.toISOString(), late: event!.late };
  }

  async checkOut(visitId: string, input: Omit<Extract<VisitCommand, { type: 'CheckOut' }>, 'type' | 'visitId' | 'by'>, by: Actor, origin: MessageOrigin): Promise<{ visitId: string; checkedOutAt: string; minutes: number }> {
    const [event] = (await this.change({ type: 'CheckOut', visitId, by, ...input }, origin)) as Extract<VisitEvent, { type: 'VisitCompleted' }>[];
    return { visitId, checkedOutAt: event!.at.toISOString(), minutes: event!.minutes };
  }

  /** The timer of a visit's window fell due. */
  async flagMissed(m: EnvelopeOf<typeof FlagVisitMissed>, tx: Tx, outbox: Outbox): Promise<void> {
    await this.handle({ type: 'FlagMissed', visitId: m.data.visitId }, m, tx, outbox);
  }

  /** The timer of a plan's laid-out weeks fell due. */
  async extendSchedule(m: EnvelopeOf<typeof ExtendVisitSchedule>, tx: Tx, outbox: Outbox): Promise<void> {
    await this.handle({ type: 'ExtendSchedule', planId: m.data.planId }, m, tx, outbox);
  }

  /** The one-time code of a visit, for the family (in practice sent by SMS); audited. */
  openCode(sealed: string): string {
    return this.sealer.open(sealed);
  }

  /** Open a sealed note or signature. */
  open(sealed: string | null): string | null {
    return sealed === null ? null : this.sealer.open(sealed);
  }
}
