import { conflict, invalidField, Refusal } from '@fbl/contracts';
import type { ApplyDecision, RefusalCode } from '../domain/application.js';

/**
 * Why an elder may not apply, as a refusal the HTTP edge answers with 409 problem+json. Each kind has its own type: `ltci-authorised` and
 * `ltci-in-progress` name the application (`applicationId`), `ltci-barred` the first day the
 * elder may apply again (`reapplyFrom`); `ltci-other-division` says no more (another division's
 * application is not described).
 */
export function applyRefused(refusal: Exclude<ApplyDecision, { ok: true }>, visible: boolean): Refusal {
  if (!visible) return refused('ltci-other-division', 'Applied elsewhere', 'the elder already has an application in another division', {});
  switch (refusal.because) {
    case 'authorised':
      return refused('ltci-authorised', 'Already authorised', `LTCI benefits are already authorised for this elder (application ${refusal.applicationId})`, { applicationId: refusal.applicationId });
    case 'in-progress':
      return refused('ltci-in-progress', 'Application in progress', `an application for this elder is being worked (application ${refusal.applicationId})`, { applicationId: refusal.applicationId });
    case 'barred':
      return refused('ltci-barred', 'May not apply yet', `an application for this elder was refused; the elder may apply again from ${refusal.reapplyFrom}`, {
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
export function commandRefused(refusal: { code: RefusalCode; reason: string }, facts: { noticeEndsAt: Date | null }): Refusal {
  const noticeEndsAt = facts.noticeEndsAt?.toISOString();
  switch (refusal.code) {
    case 'ends-in-future':
      return invalidField('endedOn', 'must not be in the future');
    case 'ends-before-effective':
      return invalidField('endedOn', refusal.reason);
    case 'notice-ended':
      return refused('ltci-notice-ended', 'The public notice has ended', refusal.reason, noticeEndsAt ? { noticeEndsAt } : {});
    case 'notice-running':
      return refused('ltci-notice-running', 'The public notice still runs', refusal.reason, noticeEndsAt ? { noticeEndsAt } : {});
    case 'wrong-status':
    case 'not-due':
      return conflict(refusal.reason);
    default: {
      const unreachable: never = refusal.code;
      throw new Error(`unknown refusal ${String(unreachable)}`);
    }
  }
}

/** A conflict with a code of its own and members a client reads beside the detail. */
function refused(code: string, title: string, detail: string, members: Record<string, string>): Refusal {
  return new Refusal('conflict', detail, { code, title, members });
}
