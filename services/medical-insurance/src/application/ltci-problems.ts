import { conflict, invalidField, ProblemError, type Problem } from '@fbl/service-kit';
import type { ApplyDecision, RefusalCode } from '../domain/application.js';

/**
 * A problem with members of its own beside RFC 9457's (e.g. the day an elder may apply again), so
 * a client can say what is wrong in its reader's words rather than show the English detail.
 */
export class LtciProblem extends ProblemError {
  constructor(
    status: number,
    slug: string,
    title: string,
    detail: string,
    readonly members: Record<string, string>,
  ) {
    super(status, slug, title, detail);
  }

  override toProblem(instance?: string): Problem {
    const problem: Problem = super.toProblem(instance);
    return Object.assign(problem, this.members);
  }
}

/**
 * Why an elder may not apply, as a problem. Each kind has its own type: `ltci-authorised` and
 * `ltci-in-progress` name the application (`applicationId`), `ltci-barred` the first day the
 * elder may apply again (`reapplyFrom`); `ltci-other-division` says no more (another division's
 * application is not described).
 */
export function applyRefused(refusal: Exclude<ApplyDecision, { ok: true }>, visible: boolean): ProblemError {
  if (!visible) return new LtciProblem(409, 'ltci-other-division', 'Applied elsewhere', 'the elder already has an application in another division', {});
  switch (refusal.because) {
    case 'authorised':
      return new LtciProblem(409, 'ltci-authorised', 'Already authorised', `LTCI benefits are already authorised for this elder (application ${refusal.applicationId})`, { applicationId: refusal.applicationId });
    case 'in-progress':
      return new LtciProblem(409, 'ltci-in-progress', 'Application in progress', `an application for this elder is being worked (application ${refusal.applicationId})`, { applicationId: refusal.applicationId });
    case 'barred':
      return new LtciProblem(409, 'ltci-barred', 'May not apply yet', `an application for this elder was refused; the elder may apply again from ${refusal.reapplyFrom}`, {
        applicationId: refusal.applicationId,
        reapplyFrom: refusal.reapplyFrom,
      });
    default: {
      const unreachable: never = refusal;
      throw new Error(`unknown refusal ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * A command the rules refused, as a problem: a day of the end that cannot be is a bad `endedOn`
 * (400); a notice that has ended or still runs has its own type with `noticeEndsAt`; anything
 * else the current status does not allow is a plain conflict (409).
 */
export function commandRefused(refusal: { code: RefusalCode; reason: string }, facts: { noticeEndsAt: Date | null }): ProblemError {
  const noticeEndsAt = facts.noticeEndsAt?.toISOString();
  switch (refusal.code) {
    case 'ends-in-future':
      return invalidField('endedOn', 'must not be in the future');
    case 'ends-before-effective':
      return invalidField('endedOn', refusal.reason);
    case 'notice-ended':
      return new LtciProblem(409, 'ltci-notice-ended', 'The public notice has ended', refusal.reason, noticeEndsAt ? { noticeEndsAt } : {});
    case 'notice-running':
      return new LtciProblem(409, 'ltci-notice-running', 'The public notice still runs', refusal.reason, noticeEndsAt ? { noticeEndsAt } : {});
    case 'wrong-status':
    case 'not-due':
      return conflict(refusal.reason);
    default: {
      const unreachable: never = refusal.code;
      throw new Error(`unknown refusal ${String(unreachable)}`);
    }
  }
}
