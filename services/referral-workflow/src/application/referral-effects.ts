import {
  AssessAbility,
  AuthoriseLtci,
  bedCommandsTopic,
  createMessage,
  OfferNotSelected,
  ProviderChoiceLapsed,
  ProviderChosen,
  ReferralCancelled,
  ReferralClosed,
  ReferralDeadlineDue,
  ReferralEscalated,
  ReferralOffered,
  ReleaseBed,
  ReserveBed,
  type MessageOrigin,
  type OutgoingMessage,
} from '@fbl/contracts';
import type { EffectMap } from '@fbl/service-kit/pipeline';
import type { ActionParams } from '../domain/referral-machine.js';
import type { DeclineReason, Offer, OfferStatus, Urgency } from '../domain/types.js';

/**
 * What a step of a referral leaves to be done, as data: the host saves these in the step's
 * transaction. `match` is the one effect answered at once (with MatchesFound or NoMatches) before
 * the step goes on.
 */
export type ReferralEffect =
  | { kind: 'send'; message: OutgoingMessage }
  | { kind: 'offersMade'; offers: readonly Offer[]; urgency: Urgency; offeredAt: Date; respondBy: Date }
  /** The answer is stored and announced with the time the offer was made, which its row keeps. */
  | { kind: 'offerAnswered'; offer: Offer; answer: 'accepted' | 'declined' | 'expired'; reasonCode?: DeclineReason; at: Date; origin: MessageOrigin }
  | { kind: 'offersReleased'; offerIds: readonly string[]; at: Date }
  /** An offer whose status changed inside the machine alone (the chosen one became unavailable, say). */
  | { kind: 'offerStatus'; offerId: string; status: OfferStatus }
  | { kind: 'schedule'; key: string; dueAt: Date; message: OutgoingMessage }
  | { kind: 'unschedule'; key: string }
  | { kind: 'unscheduleAll' }
  | { kind: 'match'; params: ActionParams['findMatches'] }
  /** A matching run, kept sealed (its exclusion reasons cite health facts). */
  | { kind: 'matchRun'; at: Date; widened: boolean; resultSealed: string };

/** What the effects of a step are made with. */
export interface EffectScope {
  referralId: string;
  now: Date;
  origin: MessageOrigin;
  /** The top-level state the referral stood in when the step began. */
  stage: string;
}

/** The key of a referral's deadline in the timers table. */
export function timerKey(referralId: string, key: string): string {
  return `referral:${referralId}:${key}`;
}

const send = (message: OutgoingMessage): ReferralEffect[] => [{ kind: 'send', message }];

/** Every action of the referral machine and what it stands for: a missing one does not compile. */
export const REFERRAL_EFFECTS: EffectMap<ActionParams, EffectScope, ReferralEffect> = {
  requestAssessment: (p, s) => send(createMessage(AssessAbility, p.elderRef, { elderRef: p.elderRef, referralId: p.referralId, reason: 'immediate', urgency: p.urgency }, s.origin, { time: s.now })),
  requestLtci: (p, s) => send(createMessage(AuthoriseLtci, p.elderRef, { elderRef: p.elderRef, referralId: p.referralId, requestedAt: s.now.toISOString(), divisionCode: p.divisionCode }, s.origin, { time: s.now })),
  findMatches: (params) => [{ kind: 'match', params }],
  announceOffers: (p, s) => {
    const respondBy = new Date(s.now.getTime() + p.deadlineMs);
    return [
      { kind: 'offersMade', offers: p.offers, urgency: p.urgency, offeredAt: s.now, respondBy },
      ...p.offers.flatMap((o) =>
        send(createMessage(ReferralOffered, s.referralId, { referralId: s.referralId, offerId: o.offerId, institutionId: o.institutionId, bedType: o.bedType, urgency: p.urgency, rank: o.rank, respondBy: respondBy.toISOString() }, s.origin, { time: s.now })),
      ),
    ];
  },
  announceAnswer: ({ offer }, s) => {
    const answer = offer.status === 'accepted' || offer.status === 'declined' ? offer.status : 'expired';
    return [{ kind: 'offerAnswered', offer, answer, ...(offer.reasonCode ? { reasonCode: offer.reasonCode } : {}), at: s.now, origin: s.origin }];
  },
  announceNotSelected: ({ offers }, s) =>
    offers.length === 0
      ? []
      : [
          { kind: 'offersReleased', offerIds: offers.map((o) => o.offerId), at: s.now },
          ...offers.flatMap((o) => send(createMessage(OfferNotSelected, s.referralId, { referralId: s.referralId, offerId: o.offerId, institutionId: o.institutionId, bedType: o.bedType }, s.origin, { time: s.now }))),
        ],
  reserveBed: (p, s) => send(createMessage(ReserveBed, p.institutionId, p, s.origin, { time: s.now, topic: bedCommandsTopic(p.bedType) })),
  releaseBed: (p, s) => send(createMessage(ReleaseBed, p.institutionId, p, s.origin, { time: s.now, topic: bedCommandsTopic(p.bedType) })),
  schedule: (p, s) => [
    {
      kind: 'schedule',
      key: timerKey(s.referralId, p.key),
      dueAt: new Date(s.now.getTime() + p.afterMs),
      message: createMessage(ReferralDeadlineDue, s.referralId, { referralId: s.referralId, key: p.key, event: p.event }, s.origin, { time: s.now }),
    },
  ],
  unschedule: (p, s) => [{ kind: 'unschedule', key: timerKey(s.referralId, p.key) }],
  unscheduleAll: () => [{ kind: 'unscheduleAll' }],
  // The stage is where the referral stood when it was escalated or cancelled, which only the host sees.
  escalate: (p, s) => send(createMessage(ReferralEscalated, s.referralId, { referralId: s.referralId, reason: p.reason, stage: s.stage, offersMade: p.offersMade }, s.origin, { time: s.now })),
  announceCancelled: (p, s) => send(createMessage(ReferralCancelled, s.referralId, { referralId: s.referralId, reason: p.reason, stage: s.stage }, s.origin, { time: s.now })),
  announceClosed: (p, s) => send(createMessage(ReferralClosed, s.referralId, { referralId: s.referralId, institutionId: p.institutionId, bedType: p.bedType, followUpLate: p.followUpLate }, s.origin, { time: s.now })),
  announceChoice: ({ offer, elderRef }, s) =>
    send(createMessage(ProviderChosen, s.referralId, { referralId: s.referralId, offerId: offer.offerId, institutionId: offer.institutionId, bedType: offer.bedType, elderRef }, s.origin, { time: s.now })),
  announceChoiceLapsed: ({ offer, elderRef, reason }, s) =>
    send(createMessage(ProviderChoiceLapsed, s.referralId, { referralId: s.referralId, offerId: offer.offerId, institutionId: offer.institutionId, bedType: offer.bedType, elderRef, reason }, s.origin, { time: s.now })),
};

/**
 * Offers whose status the machine changed without an effect writing it: compared with what the
 * offers table holds (the statuses at the start of the step, then what this step's effects
 * wrote), so only a real change is written.
 */
export function offerStatusChanges(stored: readonly Offer[], effects: readonly ReferralEffect[], now: readonly Offer[]): ReferralEffect[] {
  const written = new Map(stored.map((o) => [o.offerId, o.status]));
  for (const e of effects) {
    if (e.kind === 'offersMade') for (const o of e.offers) written.set(o.offerId, 'open');
    if (e.kind === 'offerAnswered') written.set(e.offer.offerId, e.offer.status);
  }
  return now.filter((o) => written.has(o.offerId) && written.get(o.offerId) !== o.status).map((o) => ({ kind: 'offerStatus', offerId: o.offerId, status: o.status }));
}
