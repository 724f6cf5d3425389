import { createMessage, LtciAuthorised, LtciRefused, type MessageOrigin, type OutgoingMessage } from '@fbl/contracts';
import { chinaDay, type LtciGrade, type LtciResult } from '@fbl/scales';
import { LtciApplicationAccepted, LtciApplicationRefused, LtciDeadlineDue, LtciEnded, LtciGraded, LtciNoticePublished } from '@fbl/contracts';
import type { ApplicationEvent, ApplicationState, RefusalGround } from '../domain/application.js';

export const SERVICE = 'medical-insurance';

/** Timer key of an application's public notice. */
export const noticeTimer = (applicationId: string) => `ltci-notice:${applicationId}`;
/** Timer key of an application's next re-assessment. */
export const reassessmentTimer = (applicationId: string) => `ltci-reassessment:${applicationId}`;

/** A change to the service's durable deadlines. */
export type TimerChange = { kind: 'schedule'; key: string; dueAt: Date; message: OutgoingMessage } | { kind: 'cancel'; key: string };

/** The assessment behind a `graded` event. */
export interface GradedFacts {
  assessmentId: string;
  assessedOn: string;
  result: LtciResult;
}

/** What the effects of a decision need to know. */
export interface EffectContext {
  applicationId: string;
  elderRef: string;
  /** Referrals waiting for the answer. */
  referralIds: readonly string[];
  /** The state after the events. */
  next: ApplicationState;
  origin: MessageOrigin;
  now: Date;
  graded?: GradedFacts;
}

/** The messages and timer changes a decision's events cause. */
export interface Effects {
  messages: OutgoingMessage[];
  timers: TimerChange[];
}

/**
 * The answer to each waiting referral, with the referral as its journey; one answer without a
 * referral when none waits (the workflow is not the only reader of these events).
 */
function perReferral(ctx: EffectContext, build: (referralId: string | undefined, origin: MessageOrigin) => OutgoingMessage): OutgoingMessage[] {
  if (ctx.referralIds.length === 0) return [build(undefined, ctx.origin)];
  return ctx.referralIds.map((referralId) => build(referralId, { ...ctx.origin, correlationId: referralId }));
}

function refusedAnswers(ctx: EffectContext, ground: RefusalGround): OutgoingMessage[] {
  const { elderRef, now } = ctx;
  return perReferral(ctx, (referralId, origin) => createMessage(LtciRefused, elderRef, { elderRef, ground, ...(referralId ? { referralId } : {}) }, origin, { time: now }));
}

function authorisedAnswers(ctx: EffectContext, effectiveFrom: string, referralIds: readonly string[]): OutgoingMessage[] {
  const { elderRef, now } = ctx;
  const grade = gradeOf(ctx);
  return perReferral({ ...ctx, referralIds }, (referralId, origin) =>
    createMessage(LtciAuthorised, elderRef, { elderRef, grade, effectiveFrom, ...(referralId ? { referralId } : {}) }, origin, { time: now }),
  );
}

function gradeOf(ctx: EffectContext): LtciGrade {
  if (ctx.next.grade === null) throw new Error(`application ${ctx.applicationId} has no grade yet`);
  return ctx.next.grade;
}

function deadline(ctx: EffectContext, kind: 'notice-ends' | 'reassessment-due'): OutgoingMessage {
  return createMessage(LtciDeadlineDue, ctx.applicationId, { applicationId: ctx.applicationId, deadline: kind }, ctx.origin, { time: ctx.now });
}

/**
 * Turn domain events into integration messages (through the outbox) and durable deadlines.
 * Waiting referrals hear LtciAuthorised or LtciRefused; everyone hears the lifecycle events.
 */
export function effectsOf(events: readonly ApplicationEvent[], ctx: EffectContext): Effects {
  const { applicationId, elderRef, now, origin } = ctx;
  const at = { time: now };
  const messages: OutgoingMessage[] = [];
  const timers: TimerChange[] = [];
  for (const event of events) {
    switch (event.type) {
      case 'accepted':
        messages.push(createMessage(LtciApplicationAccepted, elderRef, { applicationId, elderRef, referralIds: [...ctx.referralIds], acceptedOn: chinaDay(event.at) }, origin, at));
        break;
      case 'refused':
        messages.push(createMessage(LtciApplicationRefused, elderRef, { applicationId, elderRef, ground: event.ground, reapplyFrom: event.reapplyFrom }, origin, at));
        messages.push(...refusedAnswers(ctx, event.ground));
        break;
      case 'graded': {
        const graded = ctx.graded;
        if (!graded) throw new Error('a graded event needs its assessment');
        const { indicators, rulesVersion } = graded.result;
        messages.push(
          createMessage(
            LtciGraded,
            elderRef,
            {
              applicationId,
              elderRef,
              assessmentId: graded.assessmentId,
              purpose: event.purpose,
              grade: event.grade,
              indicators: { dailyLiving: indicators.dailyLiving.score, cognition: indicators.cognition.score, perception: indicators.perception.score },
              rulesVersion,
              assessedOn: graded.assessedOn,
              eligible: event.eligible,
            },
            origin,
            at,
          ),
        );
        break;
      }
      case 'notice-published':
        messages.push(createMessage(LtciNoticePublished, elderRef, { applicationId, elderRef, grade: gradeOf(ctx), noticeEndsOn: chinaDay(event.noticeEndsAt) }, origin, at));
        timers.push({ kind: 'schedule', key: noticeTimer(applicationId), dueAt: event.noticeEndsAt, message: deadline(ctx, 'notice-ends') });
        break;
      case 'found-not-eligible':
        messages.push(...refusedAnswers(ctx, 'conditions-not-met'));
        break;
      case 'objection-raised':
        timers.push({ kind: 'cancel', key: noticeTimer(applicationId) });
        break;
      case 'became-effective':
        messages.push(...authorisedAnswers(ctx, event.effectiveFrom, ctx.referralIds));
        // Made effective by an officer once the notice ended, its timer has nothing left to do.
        timers.push({ kind: 'cancel', key: noticeTimer(applicationId) });
        timers.push({ kind: 'schedule', key: reassessmentTimer(applicationId), dueAt: event.reassessmentDueAt, message: deadline(ctx, 'reassessment-due') });
        break;
      case 'reauthorised':
        // The referrals that asked were answered long ago; the new grade is news for everyone.
        messages.push(...authorisedAnswers(ctx, event.gradeFrom, []));
        timers.push({ kind: 'schedule', key: reassessmentTimer(applicationId), dueAt: event.reassessmentDueAt, message: deadline(ctx, 'reassessment-due') });
        break;
      case 'care-chosen':
      case 'reassessment-fell-due':
        break;
      case 'ended':
        messages.push(createMessage(LtciEnded, elderRef, { applicationId, elderRef, reason: event.reason, endedOn: event.endedOn }, origin, at));
        timers.push({ kind: 'cancel', key: reassessmentTimer(applicationId) });
        break;
      default: {
        const unreachable: never = event;
        throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return { messages, timers };
}
