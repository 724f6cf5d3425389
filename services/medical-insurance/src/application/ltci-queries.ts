import { invalidInput, notFound, outOfScope, problemFields } from '@fbl/contracts';
import { divisionCovers, divisionPrefix, type Principal } from '@fbl/auth';
import type { Database } from '@fbl/db';
import type { Sealer } from '@fbl/privacy';
import { chinaDay, quoteDailyFund, type CareMode, type HospitalLevel, type LtciGrade } from '@fbl/scales';
import type { ApplicationStore } from '../adapters/db/application-store.js';
import type { ApplicationStatus } from '../domain/application.js';
import { numberOfReference } from '../domain/reference.js';
import type { InsuranceRules } from '../domain/rules.js';
import { presentApplication } from './application-rows.js';
import { actorOf, type Actor, type AuditLog, type AuditOutcome } from './audit.js';
import { openSelfAssessment, presentSelfAssessment } from './self-assessments.js';

/** The officer's work queue when no status is asked for: everything waiting on a person. */
export const WORK_QUEUE: ApplicationStatus[] = ['applied', 'accepted', 'objected', 'reassessment-due'];

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

/** An audit row about an application. */
export function applicationEntry(actor: Actor, action: string, objectId: string, outcome: AuditOutcome, detail?: Record<string, unknown>) {
  return { actor, action, objectType: 'ltci-application' as const, objectId, outcome, ...(detail ? { detail } : {}) };
}

/**
 * Whether an officer may work on an application: its division is within the officer's
 * (applications kept before divisions were recorded have none and are open to every officer).
 */
export function inScope(who: Principal, row: { divisionCode: string | null }): boolean {
  return row.divisionCode === null || divisionCovers(who.divisionCode, row.divisionCode);
}

/** What officers read of LTCI applications (every read audited), and the payment quote. */
export class LtciQueries {
  constructor(
    private readonly database: Database,
    private readonly store: ApplicationStore,
    private readonly rules: InsuranceRules,
    private readonly audit: AuditLog,
    private readonly sealer: Sealer,
    private readonly clock: () => Date,
  ) {}

  /** The raw answers of a stored assessment, opened. */
  private answersOf(row: { answers: Record<string, number> | null; answersSealed: string | null }): Record<string, number> {
    if (row.answersSealed !== null) return JSON.parse(this.sealer.open(row.answersSealed)) as Record<string, number>;
    return row.answers ?? {};
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
    const oldestFirst = statuses !== undefined && statuses.every((s) => WORK_QUEUE.includes(s));
    return this.database.transaction(async (tx) => {
      const { total, rows } = await this.store.page(tx, {
        ...(statuses ? { statuses } : {}),
        ...(filter.elderRef ? { elderRef: filter.elderRef } : {}),
        ...(number !== undefined ? { number } : {}),
        divisionPrefix: who.divisionCode ? divisionPrefix(who.divisionCode) : undefined,
        oldestFirst,
        limit: filter.limit,
        offset: filter.offset,
      });
      await this.audit.write(tx, ...rows.map((r) => applicationEntry(actor, 'list', r.id, 'allowed')));
      return { total, items: rows.map(presentApplication) };
    });
  }

  /**
   * One application with its assessments (raw answers included: the officer works from them) and
   * the applicant's self-assessment, if one was given, beside the first on-site grade.
   */
  async view(id: string, who: Principal) {
    const actor = actorOf(who);
    const found = await this.database.transaction(async (tx) => {
      const application = await this.store.find(tx, id);
      if (!application) {
        await this.audit.write(tx, applicationEntry(actor, 'read', id, 'not-found'));
        return undefined;
      }
      if (!inScope(who, application.row)) {
        await this.audit.write(tx, applicationEntry(actor, 'read', id, 'denied', { divisionCode: application.row.divisionCode }));
        return 'denied' as const;
      }
      const done = await application.done();
      const selfAssessed = await application.selfAssessed();
      await this.audit.write(tx, applicationEntry(actor, 'read', id, 'allowed', selfAssessed ? { selfAssessment: 'opened' } : undefined));
      return { row: application.row, done, selfAssessed };
    });
    if (!found) throw notFound(`LTCI application ${id}`);
    if (found === 'denied') throw outOfScope('application');
    // The self-assessment pre-screened the first on-site assessment: that is the grade it is compared with.
    const onSite = found.done.find((a) => a.purpose === 'first');
    const selfAssessment = found.selfAssessed ? presentSelfAssessment(openSelfAssessment(found.selfAssessed, this.sealer), this.rules, onSite ? (onSite.grade as LtciGrade) : null) : null;
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
      selfAssessment,
    };
  }

  /** What the LTCI fund and the elder pay for one bed-day under the standard in effect. */
  quote(query: { careMode: CareMode; hospitalLevel?: HospitalLevel; dailyCost: number; on?: string }) {
    const on = query.on ? new Date(`${query.on}T12:00:00+08:00`) : this.clock();
    const quoted = quoteDailyFund(query.careMode, { dailyCost: query.dailyCost, ...(query.hospitalLevel !== undefined ? { hospitalLevel: query.hospitalLevel } : {}) }, on, this.rules.paymentStandards);
    if (!quoted.ok) throw invalidInput(problemFields(quoted.errors.map((e) => ({ pointer: e.pointer === '/mode' ? '/careMode' : e.pointer, reason: e.reason })), 'query'));
    return { careMode: query.careMode, ...(query.hospitalLevel !== undefined ? { hospitalLevel: query.hospitalLevel } : {}), dailyCost: query.dailyCost, on: chinaDay(on), ...quoted.result };
  }
}
