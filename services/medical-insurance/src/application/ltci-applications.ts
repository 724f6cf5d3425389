import type { Principal } from '@fbl/auth';
import { causedBy, newId, type EnvelopeOf, type LtciDeadlineDue, type MessageOrigin, invalidInput, notFound, outOfScope, problemFields, type RefusedField, Refusal } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import type { Outbox } from '@fbl/messaging';
import type { Sealer } from '@fbl/privacy';
import { chinaDay, gradeLtci, quoteDailyFund, type CareMode, type HospitalLevel, type LtciResult } from '@fbl/scales';
import { run, runIn, type Pipeline, type ServicePorts } from '@fbl/service-kit/pipeline';
import { ApplicationStore, type ApplicationRow } from '../adapters/db/application-store.js';
import { decide, evolveAll, type ApplicationCommand, type ApplicationEvent, type ApplicationState, type EndReason, type RefusalGround } from '../domain/application.js';
import type { InsuranceRules } from '../domain/rules.js';
import { effectsOf, SERVICE, type GradedFacts } from './application-effects.js';
import { columnsOf, presentApplication, stateOf } from './application-rows.js';
import { actorOf, serviceActor, type Actor, type AuditLog } from './audit.js';
import { commandRefused } from './ltci-problems.js';
import { LtciIntake } from './ltci-intake.js';
import { applicationEntry, inScope, LtciQueries } from './ltci-queries.js';

export type { ListFilter } from './ltci-queries.js';

/** What the officer records of an on-site assessment: raw answers, two assessors, the day. */
export interface AssessmentInput {
  answers: Record<string, number>;
  assessors: [string, string];
  assessedOn: string;
}

/** The care mode and designated provider an authorised elder chose. */
export interface CareChoiceInput {
  careMode: CareMode;
  providerInstitutionId: string;
  hospitalLevel?: HospitalLevel;
}

type Changed = { ok: true; row: ApplicationRow } | { ok: false; problem: Refusal };
type Extra = (tx: Tx, row: ApplicationRow, events: readonly ApplicationEvent[]) => Promise<{ graded?: GradedFacts }>;

/** A command on one application: by a person (within their division) or by the service's own deadline. */
interface ApplicationChange {
  id: string;
  command: ApplicationCommand;
  actor: Actor;
  /** The officer, whose division must cover the application; none for the service itself. */
  who?: Principal;
  origin: MessageOrigin;
  extra?: Extra;
}

type Decided = { change: ApplicationChange } & (
  | { kind: 'not-found' }
  | { kind: 'denied'; row: ApplicationRow }
  | { kind: 'refused'; row: ApplicationRow; code: Parameters<typeof commandRefused>[0]['code']; reason: string }
  | { kind: 'applies'; row: ApplicationRow; state: ApplicationState; next: ApplicationState; events: ApplicationEvent[] }
);

/**
 * LTCI applications (长护险): apply, accept or refuse, assess, notice, objection, effect, care
 * mode, re-assessment, end. Every change of an application goes through one pipeline: the row
 * locked, the domain's pure decide/evolve, and the new state saved with its messages, timers and
 * audit row in one transaction. A refusal is audited in a transaction that commits, then
 * answered with a problem.
 */
export class LtciApplications {
  private readonly store: ApplicationStore;
  private readonly queries: LtciQueries;
  private readonly intake: LtciIntake;
  private readonly pipeline: Pipeline<ApplicationChange, ApplicationRow | undefined, Decided, Changed>;

  constructor(
    private readonly ports: ServicePorts,
    private readonly rules: InsuranceRules,
    private readonly audit: AuditLog,
    /** Seals the raw answers of assessments (health data) at rest. */
    private readonly sealer: Sealer,
  ) {
    this.store = new ApplicationStore(ports.database);
    this.queries = new LtciQueries(ports.database, this.store, rules, audit, sealer, ports.clock);
    this.intake = new LtciIntake(ports, this.store, audit, sealer, rules);
    this.pipeline = {
      load: (tx, change) => this.store.lock(tx, change.id),
      decide: (row, change): Decided => {
        if (!row) return { change, kind: 'not-found' };
        if (change.who && !inScope(change.who, row)) return { change, kind: 'denied', row };
        const state = stateOf(row);
        const decision = decide(state, change.command, this.rules);
        if (!decision.ok) return { change, kind: 'refused', row, code: decision.code, reason: decision.reason };
        return { change, kind: 'applies', row, state, next: evolveAll(state, decision.events), events: decision.events };
      },
      save: (tx, outbox, _row, decided) => this.save(tx, outbox, decided),
    };
  }

  private get now(): Date {
    return this.ports.clock();
  }

  list: LtciQueries['list'] = (filter, who) => this.queries.list(filter, who);
  view: LtciQueries['view'] = (id, who) => this.queries.view(id, who);
  quote: LtciQueries['quote'] = (query) => this.queries.quote(query);

  /** Seal the raw answers of assessments stored in plain before sealing existed (at start-up); returns how many. */
  sealPlainAnswers(): Promise<number> {
    return this.store.sealPlainAnswers((text) => this.sealer.seal(text));
  }

  /**
   * Save what was decided: the new state with its effects and audit row, or the audit row of a
   * person's refused command. A deadline of the service's own that no longer applies is logged.
   */
  private async save(tx: Tx, outbox: Outbox, decided: Decided): Promise<Changed> {
    const { change } = decided;
    const { actor, command, id } = change;
    if (!change.who && (decided.kind === 'not-found' || decided.kind === 'refused')) {
      const reason = decided.kind === 'refused' ? decided.reason : 'no such application';
      this.ports.logger.info({ applicationId: id, command: command.type, reason }, 'a deadline that no longer applies was ignored');
      return { ok: false, problem: notFound(`LTCI application ${id}`) };
    }
    switch (decided.kind) {
      case 'not-found':
        await this.audit.write(tx, applicationEntry(actor, command.type, id, 'not-found'));
        return { ok: false, problem: notFound(`LTCI application ${id}`) };
      case 'denied':
        await this.audit.write(tx, applicationEntry(actor, command.type, id, 'denied', { divisionCode: decided.row.divisionCode }));
        return { ok: false, problem: outOfScope('application') };
      case 'refused':
        await this.audit.write(tx, applicationEntry(actor, command.type, id, 'invalid', { reason: decided.reason }));
        return { ok: false, problem: commandRefused(decided, { noticeEndsAt: decided.row.noticeEndsAt }) };
      case 'applies': {
        const { row, state, next, events } = decided;
        const saved = await this.store.update(tx, row.id, columnsOf(next), command.at);
        const more = change.extra ? await change.extra(tx, row, events) : {};
        const journey = change.origin.correlationId ?? row.referralIds[0];
        const effects = effectsOf(events, { applicationId: row.id, elderRef: row.elderRef, referralIds: row.referralIds, next, origin: journey ? { ...change.origin, correlationId: journey } : change.origin, now: command.at, ...more });
        await outbox.append(tx, effects.messages);
        for (const timer of effects.timers) {
          if (timer.kind === 'schedule') await this.ports.timers.schedule(tx, timer.key, timer.dueAt, timer.message);
          else await this.ports.timers.cancel(tx, timer.key);
        }
        await this.audit.write(tx, applicationEntry(actor, command.type, row.id, 'allowed', { from: state.status, to: next.status }));
        return { ok: true, row: saved };
      }
    }
  }

  /** Run one command from a person against an application. */
  private async change(id: string, who: Principal, command: ApplicationCommand, origin: MessageOrigin, extra?: Extra): Promise<ApplicationRow> {
    const change: ApplicationChange = { id, command, actor: actorOf(who), who, origin, ...(extra ? { extra } : {}) };
    const result = await run(this.ports.transact, this.pipeline, change);
    if (!result.ok) throw result.problem;
    return result.row;
  }

  /** An insurance officer opens an application for an elder (one live application per elder). */
  apply: LtciIntake['apply'] = (...args) => this.intake.apply(...args);
  /** The workflow asks whether an elder has LTCI. */
  requestAuthorisation: LtciIntake['requestAuthorisation'] = (command, tx, outbox) => this.intake.requestAuthorisation(command, tx, outbox);

  /** Accept (受理) an application for assessment. */
  async accept(id: string, who: Principal, origin: MessageOrigin) {
    return presentApplication(await this.change(id, who, { type: 'accept', at: this.now }, origin));
  }

  /** Refuse (不予受理) an application on one of the five grounds. */
  async refuse(id: string, ground: RefusalGround, who: Principal, origin: MessageOrigin) {
    return presentApplication(await this.change(id, who, { type: 'refuse', ground, at: this.now }, origin));
  }

  private async refuseInput(id: string, who: Principal, fields: RefusedField[]): Promise<never> {
    await this.audit.alone(applicationEntry(actorOf(who), 'record-assessment', id, 'invalid', { fields: fields.map((f) => f.field) }));
    throw invalidInput(fields);
  }

  /**
   * Record an on-site assessment by two assessors: graded by the rules (NHSA 2021 by default)
   * and concluded against the threshold. Bad answers are refused by field, stored nowhere.
   */
  async assess(id: string, input: AssessmentInput, who: Principal, origin: MessageOrigin) {
    const graded = gradeLtci(input.answers, this.rules.grading);
    if (!graded.ok) return this.refuseInput(id, who, problemFields([...graded.errors]));
    if (input.assessors[0].trim() === input.assessors[1].trim()) {
      return this.refuseInput(id, who, [{ field: 'assessors.1', pointer: '/assessors/1', in: 'body', reason: 'two different assessors are required' }]);
    }
    if (input.assessedOn > chinaDay(this.now)) {
      return this.refuseInput(id, who, [{ field: 'assessedOn', pointer: '/assessedOn', in: 'body', reason: 'must not be in the future' }]);
    }
    const result: LtciResult = graded.result;
    const assessmentId = newId();
    const row = await this.change(id, who, { type: 'record-assessment', grade: result.grade, at: this.now }, origin, async (tx, before, events) => {
      const purpose = events.find((e) => e.type === 'graded')?.purpose;
      if (!purpose) throw new Error('an assessment decision without a graded event');
      await this.store.insertAssessment(tx, {
        id: assessmentId,
        applicationId: before.id,
        purpose,
        assessedOn: input.assessedOn,
        assessors: [...input.assessors],
        answersSealed: this.sealer.seal(JSON.stringify(input.answers)),
        grade: result.grade,
        result,
        rulesVersion: result.rulesVersion,
        recordedBy: who.userId,
        recordedAt: this.now,
      });
      return { graded: { assessmentId, assessedOn: input.assessedOn, result } };
    });
    return {
      ...presentApplication(row),
      assessment: { id: assessmentId, grade: result.grade, gradeName: result.gradeName, indicators: result.indicators, rulesVersion: result.rulesVersion, eligible: result.grade >= this.rules.minGrade },
    };
  }

  /** Record an objection (异议) raised during the public notice; a re-assessment follows. */
  async object(id: string, reason: string, who: Principal, origin: MessageOrigin) {
    return presentApplication(await this.change(id, who, { type: 'object', reason, at: this.now }, origin));
  }

  /** Record the care mode and designated provider (定点机构) an authorised elder chose. */
  async chooseCare(id: string, input: CareChoiceInput, who: Principal, origin: MessageOrigin) {
    // The payment standard in effect decides which modes (and hospital levels) are paid.
    const paid = quoteDailyFund(input.careMode, { dailyCost: 0, ...(input.hospitalLevel !== undefined ? { hospitalLevel: input.hospitalLevel } : {}) }, this.now, this.rules.paymentStandards);
    if (!paid.ok) {
      const errors = paid.errors.map((e) => ({ pointer: e.pointer === '/mode' || e.pointer === '/on' ? '/careMode' : e.pointer, reason: e.reason }));
      await this.audit.alone(applicationEntry(actorOf(who), 'choose-care', id, 'invalid', { fields: errors.map((e) => e.pointer) }));
      throw invalidInput(problemFields(errors));
    }
    const hospitalLevel = input.careMode === 'medical-special-care' ? (input.hospitalLevel ?? null) : null;
    const choice = { careMode: input.careMode, providerInstitutionId: input.providerInstitutionId, hospitalLevel };
    return presentApplication(await this.change(id, who, { type: 'choose-care', choice, at: this.now }, origin));
  }

  /**
   * The public notice ended without an objection: the conclusion takes effect. Its timer does
   * this by itself; an officer may do it as soon as the notice has ended (refused while it runs).
   */
  async makeEffective(id: string, who: Principal, origin: MessageOrigin) {
    return presentApplication(await this.change(id, who, { type: 'end-notice', at: this.now }, origin));
  }

  /** End an elder's benefits (death, improvement, or loss of insurance) on a day: today unless another is named. */
  async end(id: string, reason: EndReason, who: Principal, origin: MessageOrigin, endedOn?: string) {
    return presentApplication(await this.change(id, who, { type: 'end', reason, ...(endedOn ? { endedOn } : {}), at: this.now }, origin));
  }

  /** A durable deadline fell due: the end of a public notice, or a re-assessment. Stale ones do nothing. */
  async deadlineDue(command: EnvelopeOf<typeof LtciDeadlineDue>, tx: Tx, outbox: Outbox): Promise<void> {
    const { applicationId, deadline } = command.data;
    const at = this.now;
    const next: ApplicationCommand = deadline === 'notice-ends' ? { type: 'end-notice', at } : { type: 'reassessment-falls-due', at };
    await runIn(tx, outbox, this.pipeline, { id: applicationId, command: next, actor: serviceActor(SERVICE), origin: causedBy(command, SERVICE) });
  }
}
