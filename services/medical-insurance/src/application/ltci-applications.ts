import { divisionCovers, divisionPrefix, type Principal } from '@fbl/auth';
import { causedBy, createMessage, LtciAuthorised, LtciRefused, newId, type AuthoriseLtci, type EnvelopeOf, type MessageOrigin } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import type { Outbox } from '@fbl/messaging';
import type { Sealer } from '@fbl/privacy';
import { chinaDay, gradeLtci, quoteDailyFund, type CareMode, type HospitalLevel, type LtciResult } from '@fbl/scales';
import { invalidInput, notFound, outOfScope, type ProblemError, type ProblemField, problemFields, type ServiceKit } from '@fbl/service-kit';
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { applications, assessments } from '../adapters/db/schema.js';
import type { LtciDeadlineDue } from '@fbl/contracts';
import {
  decide,
  evolveAll,
  mayApply,
  type ApplicationCommand,
  type ApplicationEvent,
  type ApplicationStatus,
  type EndReason,
  type RefusalCode,
  type RefusalGround,
} from '../domain/application.js';
import { numberOfReference } from '../domain/reference.js';
import { applyRefused, commandRefused } from './ltci-problems.js';
import type { InsuranceRules } from '../domain/rules.js';
import { effectsOf, SERVICE, type GradedFacts } from './application-effects.js';
import { columnsOf, pastOf, presentApplication, stateOf, type ApplicationRow } from './application-rows.js';
import { actorOf, serviceActor, type Actor, type AuditLog, type AuditOutcome } from './audit.js';

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

/** The officer's work queue when no status is asked for: everything waiting on a person. */
const WORK_QUEUE: ApplicationStatus[] = ['applied', 'accepted', 'objected', 'reassessment-due'];

/** Which applications a list shows: `work` (the queue) unless a status or `all` is asked for. */
export interface ListFilter {
  view: 'work' | 'all';
  status?: ApplicationStatus;
  elderRef?: string;
  /** 申请编号: `20261205-000123` or its number alone. */
  reference?: string;
  limit: number;
  offset: number;
}

type Changed = { ok: true; row: ApplicationRow } | { ok: false; problem: ProblemError };
type Extra = (tx: Tx, row: ApplicationRow, events: readonly ApplicationEvent[]) => Promise<{ graded?: GradedFacts }>;

/**
 * LTCI applications (长护险): apply, accept or refuse, assess, notice, objection, effect, care
 * mode, re-assessment, end. Each change locks the application's row, asks the domain rules,
 * and saves the new state with its messages, timers and audit row in one transaction. A
 * refusal is audited in a transaction that commits, then answered with a problem.
 */
export class LtciApplications {
  constructor(
    private readonly kit: ServiceKit,
    private readonly rules: InsuranceRules,
    private readonly audit: AuditLog,
    /** Seals the raw answers of assessments (health data) at rest. */
    private readonly sealer: Sealer,
  ) {}

  /** The raw answers of a stored assessment, opened. */
  private answersOf(row: { answers: Record<string, number> | null; answersSealed: string | null }): Record<string, number> {
    if (row.answersSealed !== null) return JSON.parse(this.sealer.open(row.answersSealed)) as Record<string, number>;
    return row.answers ?? {};
  }

  /**
   * Seal the raw answers of assessments stored in plain before sealing existed; returns how many.
   * Runs at start-up; each row is sealed and its plain answers cleared in one statement.
   */
  async sealPlainAnswers(): Promise<number> {
    const plain = await this.kit.deps.database.db.select({ id: assessments.id, answers: assessments.answers }).from(assessments).where(isNotNull(assessments.answers));
    for (const row of plain) {
      await this.kit.deps.database.db
        .update(assessments)
        .set({ answersSealed: this.sealer.seal(JSON.stringify(row.answers)), answers: null })
        .where(and(eq(assessments.id, row.id), isNotNull(assessments.answers)));
    }
    return plain.length;
  }

  private get now(): Date {
    return this.kit.deps.clock();
  }

  private entry(actor: Actor, action: string, objectId: string, outcome: AuditOutcome, detail?: Record<string, unknown>) {
    return { actor, action, objectType: 'ltci-application' as const, objectId, outcome, ...(detail ? { detail } : {}) };
  }

  /** Serialise the work on one elder's applications (apply, AuthoriseLtci) within a transaction. */
  private async lockElder(tx: Tx, elderRef: string): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`ltci-elder:${elderRef}`}, 0))`);
  }

  private history(tx: Tx, elderRef: string): Promise<ApplicationRow[]> {
    return tx.select().from(applications).where(eq(applications.elderRef, elderRef)).orderBy(desc(applications.appliedAt));
  }

  /**
   * Whether an officer may work on an application: its division is within the officer's
   * (applications kept before divisions were recorded have none and are open to every officer).
   */
  private inScope(who: Principal, row: { divisionCode: string | null }): boolean {
    return row.divisionCode === null || divisionCovers(who.divisionCode, row.divisionCode);
  }

  /** The SQL condition of {@link inScope} for lists: a county, a city (its 4-digit prefix) or a province (2 digits). */
  private scopeCondition(who: Principal) {
    const prefix = who.divisionCode ? divisionPrefix(who.divisionCode) : undefined;
    if (!prefix) return sql`${applications.divisionCode} is null`;
    return sql`(${applications.divisionCode} is null or left(${applications.divisionCode}, ${prefix.length}) = ${prefix})`;
  }

  private async open(tx: Tx, values: { elderRef: string; divisionCode: string | null; referralIds: string[]; source: 'officer' | 'referral'; appliedBy: string }): Promise<ApplicationRow> {
    const now = this.now;
    const [row] = await tx
      .insert(applications)
      .values({ id: newId(), ...values, status: 'applied', appliedAt: now, updatedAt: now })
      .returning();
    if (!row) throw new Error('the new application was not stored');
    return row;
  }

  /**
   * An insurance officer opens an application for an elder (one live application per elder), in
   * the officer's division unless a division within it is named.
   */
  async apply(elderRef: string, who: Principal, divisionCode?: string) {
    // Nothing is published when an application opens: acceptance or refusal is the first fact.
    const actor = actorOf(who);
    const division = divisionCode ?? who.divisionCode ?? null;
    if (division === null || !divisionCovers(who.divisionCode, division)) {
      await this.audit.alone(this.entry(actor, 'apply', elderRef, 'denied', { divisionCode: division }));
      throw outOfScope('division');
    }
    const result = await this.kit.transact(async (tx): Promise<Changed> => {
      await this.lockElder(tx, elderRef);
      const past = await this.history(tx, elderRef);
      const may = mayApply(past.map(pastOf), this.now);
      if (!may.ok) {
        await this.audit.write(tx, this.entry(actor, 'apply', may.applicationId, 'invalid', { elderRef, because: may.because }));
        // Another division's application is not described to this officer.
        const blocking = past.find((p) => p.id === may.applicationId);
        return { ok: false, problem: applyRefused(may, blocking !== undefined && this.inScope(who, blocking)) };
      }
      const row = await this.open(tx, { elderRef, divisionCode: division, referralIds: [], source: 'officer', appliedBy: actor.id });
      await this.audit.write(tx, this.entry(actor, 'apply', row.id, 'allowed'));
      return { ok: true, row };
    });
    if (!result.ok) throw result.problem;
    return presentApplication(result.row);
  }

  /**
   * A page of the officer's applications within their division and how many there are: one
   * status, or the work queue (everything waiting on a person), or all; of one elder, or the one
   * with a reference (申请编号). Work waiting on a person comes oldest first, the rest newest first.
   */
  async list(filter: ListFilter, who: Principal): Promise<{ total: number; items: ReturnType<typeof presentApplication>[] }> {
    const actor = actorOf(who);
    const number = filter.reference === undefined ? undefined : numberOfReference(filter.reference);
    if (filter.reference !== undefined && number === undefined) return { total: 0, items: [] };
    const statuses = filter.status ? [filter.status] : filter.view === 'all' ? undefined : WORK_QUEUE;
    const where = and(
      statuses ? inArray(applications.status, statuses) : undefined,
      filter.elderRef ? eq(applications.elderRef, filter.elderRef) : undefined,
      number !== undefined ? eq(applications.number, number) : undefined,
      this.scopeCondition(who),
    );
    const oldestFirst = statuses !== undefined && statuses.every((s) => WORK_QUEUE.includes(s));
    return this.kit.deps.database.transaction(async (tx) => {
      const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(applications).where(where);
      const rows = await tx
        .select()
        .from(applications)
        .where(where)
        .orderBy(oldestFirst ? asc(applications.appliedAt) : desc(applications.appliedAt), asc(applications.number))
        .limit(filter.limit)
        .offset(filter.offset);
      await this.audit.write(tx, ...rows.map((r) => this.entry(actor, 'list', r.id, 'allowed')));
      return { total: Number(count?.n ?? 0), items: rows.map(presentApplication) };
    });
  }

  /** One application with its assessments (raw answers included: the officer works from them). */
  async view(id: string, who: Principal) {
    const actor = actorOf(who);
    const found = await this.kit.deps.database.transaction(async (tx) => {
      const [row] = await tx.select().from(applications).where(eq(applications.id, id));
      if (!row) {
        await this.audit.write(tx, this.entry(actor, 'read', id, 'not-found'));
        return undefined;
      }
      if (!this.inScope(who, row)) {
        await this.audit.write(tx, this.entry(actor, 'read', id, 'denied', { divisionCode: row.divisionCode }));
        return 'denied' as const;
      }
      const done = await tx.select().from(assessments).where(eq(assessments.applicationId, id)).orderBy(asc(assessments.recordedAt));
      await this.audit.write(tx, this.entry(actor, 'read', id, 'allowed'));
      return { row, done };
    });
    if (!found) throw notFound(`LTCI application ${id}`);
    if (found === 'denied') throw outOfScope('application');
    return {
      ...presentApplication(found.row),
      assessments: found.done.map((a) => ({
        id: a.id,
        purpose: a.purpose,
        assessedOn: a.assessedOn,
        assessors: a.assessors,
        answers: this.answersOf(a),
        grade: a.grade,
        result: a.result,
        rulesVersion: a.rulesVersion,
        recordedBy: a.recordedBy,
        recordedAt: a.recordedAt.toISOString(),
      })),
    };
  }

  /**
   * Decide a command on a locked row; when allowed, save the new state, its messages, timers
   * and audit row. A refused command changes nothing and returns why.
   */
  private async decideAndSave(
    tx: Tx,
    outbox: Outbox,
    row: ApplicationRow,
    command: ApplicationCommand,
    actor: Actor,
    origin: MessageOrigin,
    extra?: Extra,
  ): Promise<{ ok: true; row: ApplicationRow } | { ok: false; code: RefusalCode; reason: string }> {
    const state = stateOf(row);
    const decision = decide(state, command, this.rules);
    if (!decision.ok) return decision;
    const next = evolveAll(state, decision.events);
    const [saved] = await tx.update(applications).set({ ...columnsOf(next), updatedAt: command.at }).where(eq(applications.id, row.id)).returning();
    if (!saved) throw new Error(`application ${row.id} vanished while locked`);
    const more = extra ? await extra(tx, row, decision.events) : {};
    const journey = origin.correlationId ?? row.referralIds[0];
    const effects = effectsOf(decision.events, {
      applicationId: row.id,
      elderRef: row.elderRef,
      referralIds: row.referralIds,
      next,
      origin: journey ? { ...origin, correlationId: journey } : origin,
      now: command.at,
      ...more,
    });
    await outbox.append(tx, effects.messages);
    for (const timer of effects.timers) {
      if (timer.kind === 'schedule') await this.kit.timers.schedule(tx, timer.key, timer.dueAt, timer.message);
      else await this.kit.timers.cancel(tx, timer.key);
    }
    await this.audit.write(tx, this.entry(actor, command.type, row.id, 'allowed', { from: state.status, to: next.status }));
    return { ok: true, row: saved };
  }

  /** Run one command from a person against an application. */
  private async change(id: string, who: Principal, command: ApplicationCommand, origin: MessageOrigin, extra?: Extra): Promise<ApplicationRow> {
    const actor = actorOf(who);
    const result = await this.kit.transact(async (tx, outbox): Promise<Changed> => {
      const [row] = await tx.select().from(applications).where(eq(applications.id, id)).for('update');
      if (!row) {
        await this.audit.write(tx, this.entry(actor, command.type, id, 'not-found'));
        return { ok: false, problem: notFound(`LTCI application ${id}`) };
      }
      if (!this.inScope(who, row)) {
        await this.audit.write(tx, this.entry(actor, command.type, id, 'denied', { divisionCode: row.divisionCode }));
        return { ok: false, problem: outOfScope('application') };
      }
      const done = await this.decideAndSave(tx, outbox, row, command, actor, origin, extra);
      if (done.ok) return done;
      await this.audit.write(tx, this.entry(actor, command.type, id, 'invalid', { reason: done.reason }));
      return { ok: false, problem: commandRefused(done, { noticeEndsAt: row.noticeEndsAt }) };
    });
    if (!result.ok) throw result.problem;
    return result.row;
  }

  /** Accept (受理) an application for assessment. */
  async accept(id: string, who: Principal, origin: MessageOrigin) {
    return presentApplication(await this.change(id, who, { type: 'accept', at: this.now }, origin));
  }

  /** Refuse (不予受理) an application on one of the five grounds. */
  async refuse(id: string, ground: RefusalGround, who: Principal, origin: MessageOrigin) {
    return presentApplication(await this.change(id, who, { type: 'refuse', ground, at: this.now }, origin));
  }

  private async refuseInput(id: string, who: Principal, fields: ProblemField[]): Promise<never> {
    await this.audit.alone(this.entry(actorOf(who), 'record-assessment', id, 'invalid', { fields: fields.map((f) => f.field) }));
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
      await tx.insert(assessments).values({
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
      await this.audit.alone(this.entry(actorOf(who), 'choose-care', id, 'invalid', { fields: errors.map((e) => e.pointer) }));
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

  /**
   * The workflow asks whether an elder has LTCI. Authorised benefits answer at once; a refusal
   * still barring a new application answers with its ground; an application being worked takes
   * the referral on; otherwise a new application joins the officers' queue.
   */
  async requestAuthorisation(command: EnvelopeOf<typeof AuthoriseLtci>, tx: Tx, outbox: Outbox): Promise<void> {
    const { elderRef, referralId } = command.data;
    const divisionCode = command.data.divisionCode ?? null;
    const origin = causedBy(command, SERVICE);
    const actor = serviceActor(command.source);
    const now = this.now;
    await this.lockElder(tx, elderRef);
    const past = await this.history(tx, elderRef);
    const may = mayApply(past.map(pastOf), now);
    if (may.ok) {
      const row = await this.open(tx, { elderRef, divisionCode, referralIds: [referralId], source: 'referral', appliedBy: actor.id });
      await this.audit.write(tx, this.entry(actor, 'apply', row.id, 'allowed', { referralId }));
      return;
    }
    const row = past.find((p) => p.id === may.applicationId);
    if (!row) throw new Error(`application ${may.applicationId} vanished`);
    switch (may.because) {
      case 'authorised': {
        if (row.grade === null || row.effectiveFrom === null) throw new Error(`authorised application ${row.id} has no grade or start`);
        await outbox.append(tx, [createMessage(LtciAuthorised, elderRef, { elderRef, grade: row.grade, referralId, effectiveFrom: row.effectiveFrom }, origin, { time: now })]);
        break;
      }
      case 'barred':
        await outbox.append(tx, [createMessage(LtciRefused, elderRef, { elderRef, referralId, ground: stateOf(row).refusalGround ?? 'other' }, origin, { time: now })]);
        break;
      case 'in-progress':
        if (!row.referralIds.includes(referralId)) {
          await tx.update(applications).set({ referralIds: [...row.referralIds, referralId], updatedAt: now }).where(eq(applications.id, row.id));
        }
        break;
      default: {
        const unreachable: never = may;
        throw new Error(`unknown refusal ${JSON.stringify(unreachable)}`);
      }
    }
    await this.audit.write(tx, this.entry(actor, 'authorise-request', row.id, 'allowed', { referralId, answered: may.because }));
  }

  /** A durable deadline fell due: the end of a public notice, or a re-assessment. Stale ones do nothing. */
  async deadlineDue(command: EnvelopeOf<typeof LtciDeadlineDue>, tx: Tx, outbox: Outbox): Promise<void> {
    const { applicationId, deadline } = command.data;
    const at = this.now;
    const [row] = await tx.select().from(applications).where(eq(applications.id, applicationId)).for('update');
    if (!row) {
      this.kit.logger.warn({ applicationId, deadline }, 'deadline of an unknown LTCI application');
      return;
    }
    const next: ApplicationCommand = deadline === 'notice-ends' ? { type: 'end-notice', at } : { type: 'reassessment-falls-due', at };
    const done = await this.decideAndSave(tx, outbox, row, next, serviceActor(SERVICE), causedBy(command, SERVICE));
    if (!done.ok) this.kit.logger.info({ applicationId, deadline, reason: done.reason }, 'stale LTCI deadline ignored');
  }

  /** What the LTCI fund and the elder pay for one bed-day under the standard in effect. */
  quote(query: { careMode: CareMode; hospitalLevel?: HospitalLevel; dailyCost: number; on?: string }) {
    const on = query.on ? new Date(`${query.on}T12:00:00+08:00`) : this.now;
    const quoted = quoteDailyFund(query.careMode, { dailyCost: query.dailyCost, ...(query.hospitalLevel !== undefined ? { hospitalLevel: query.hospitalLevel } : {}) }, on, this.rules.paymentStandards);
    if (!quoted.ok) throw invalidInput(problemFields(quoted.errors.map((e) => ({ pointer: e.pointer === '/mode' ? '/careMode' : e.pointer, reason: e.reason })), 'query'));
    return { careMode: query.careMode, ...(query.hospitalLevel !== undefined ? { hospitalLevel: query.hospitalLevel } : {}), dailyCost: query.dailyCost, on: chinaDay(on), ...quoted.result };
  }
}
