import { createMessage, LtciAuthorised, LtciRefused, type MessageOrigin, type OutgoingMessage } from '@fbl/contracts';
import { chinaDay, type LtciGrade, type LtciResult } from '@fbl/scales';
import { LtciApplicationAccepted, LtciApplicationRefused, LtciDeadlineDue, LtciEnded, LtciGraded, LtciNoticePublished } from '@fbl/contracts';
import { effectsOf as mapEffect, type EffectMap } from '@fbl/service-kit/pipeline';
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

type EventParams = { [E in ApplicationEvent as E['type']]: E };
/** A message to send, or a change to the service's durable deadlines. */
export type InsuranceEffect = { kind: 'send'; message: OutgoingMessage } | TimerChange;

const send = (messages: OutgoingMessage[]): InsuranceEffect[] => messages.map((message) => ({ kind: 'send', message }));

/**
 * Every event of an application and what it stands for: integration messages (through the
 * outbox) and durable deadlines. Waiting referrals hear LtciAuthorised or LtciRefused; everyone
 * hears the lifecycle events. A missing event does not compile.
 */
export const APPLICATION_EFFECTS: EffectMap<EventParams, EffectContext, InsuranceEffect> = {
  accepted: (event, ctx) => send([createMessage(LtciApplicationAccepted, ctx.elderRef, { applicationId: ctx.applicationId, elderRef: ctx.elderRef, referralIds: [...ctx.referralIds], acceptedOn: chinaDay(event.at) }, ctx.origin, { time: ctx.now })]),
  refused: (event, ctx) =>
    send([
      createMessage(LtciApplicationRefused, ctx.elderRef, { applicationId: ctx.applicationId, elderRef: ctx.elderRef, ground: event.ground, reapplyFrom: event.reapplyFrom }, ctx.origin, { time: ctx.now }),
      ...refusedAnswers(ctx, event.ground),
    ]),
  graded: (event, ctx) => {
    const graded = ctx.graded;
    if (!graded) throw new Error('a graded event needs its assessment');
    const { indicators, rulesVersion } = graded.result;
    return send([
      createMessage(
        LtciGraded,
        ctx.elderRef,
        {
          applicationId: ctx.applicationId,
          elderRef: ctx.elderRef,
          assessmentId: graded.assessmentId,
          purpose: event.purpose,
          grade: event.grade,
          indicators: { dailyLiving: indicators.dailyLiving.score, cognition: indicators.cognition.score, perception: indicators.perception.score },
          rulesVersion,
          assessedOn: graded.assessedOn,
          eligible: event.eligible,
        },
        ctx.origin,
        { time: ctx.now },
      ),
    ]);
  },
  'notice-published': (event, ctx) => [
    ...send([createMessage(LtciNoticePublished, ctx.elderRef, { applicationId: ctx.applicationId, elderRef: ctx.elderRef, grade: gradeOf(ctx), noticeEndsOn: chinaDay(event.noticeEndsAt) }, ctx.origin, { time: ctx.now })]),
    { kind: 'schedule', key: noticeTimer(ctx.applicationId), dueAt: event.noticeEndsAt, message: deadline(ctx, 'notice-ends') },
  ],
  'found-not-eligible': (_event, ctx) => send(refusedAnswers(ctx, 'conditions-not-met')),
  'objection-raised': (_event, ctx) => [{ kind: 'cancel', key: noticeTimer(ctx.applicationId) }],
  'became-effective': (event, ctx) => [
    ...send(authorisedAnswers(ctx, event.effectiveFrom, ctx.referralIds)),
    // Made effective by an officer once the notice ended, its timer has nothing left to do.
    { kind: 'cancel', key: noticeTimer(ctx.applicationId) },
    { kind: 'schedule', key: reassessmentTimer(ctx.applicationId), dueAt: event.reassessmentDueAt, message: deadline(ctx, 'reassessment-due') },
  ],
  // The referrals that asked were answered long ago; the new grade is news for everyone.
  reauthorised: (event, ctx) => [
    ...send(authorisedAnswers(ctx, event.gradeFrom, [])),
    { kind: 'schedule', key: reassessmentTimer(ctx.applicationId), dueAt: event.reassessmentDueAt, message: deadline(ctx, 'reassessment-due') },
  ],
  'care-chosen': () => [],
  'reassessment-fell-due': () => [],
  ended: (event, ctx) => [
    ...send([createMessage(LtciEnded, ctx.elderRef, { applicationId: ctx.applicationId, elderRef: ctx.elderRef, reason: event.reason, endedOn: event.endedOn }, ctx.origin, { time: ctx.now })]),
    { kind: 'cancel', key: reassessmentTimer(ctx.applicationId) },
  ],
};

/** The messages and timer changes a decision's events cause, in order. */
export function effectsOf(events: readonly ApplicationEvent[], ctx: EffectContext): Effects {
  const effects = events.flatMap((event) => mapEffect(APPLICATION_EFFECTS, { type: event.type, params: event }, ctx));
  return {
    messages: effects.flatMap((e) => (e.kind === 'send' ? [e.message] : [])),
    timers: effects.flatMap((e) => (e.kind === 'send' ? [] : [e])),
  };
}
