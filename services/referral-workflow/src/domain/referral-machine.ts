import { assign, setup } from 'xstate';
import type {
  BedTypeName,
  CancelReason,
  DeclineReason,
  Deadlines,
  KnownFacts,
  Offer,
  Origin,
  ReferralKind,
  ReturnTarget,
  Urgency,
} from './types.js';

/**
 * The referral machine: one elder's journey from one bed toward the next. Pure: no I/O, no
 * clock, no ids. Its actions only name what must happen (send a command, publish a fact, set
 * or clear a deadline); the host turns them into outbox rows and timer rows in the same
 * transaction as the snapshot. Deadlines are explicit `schedule` / `unschedule` actions, never
 * XState delays, so they survive restarts as rows.
 *
 * intake → eligibility (ability ∥ LTCI) → matching → offering → choosing → reserving →
 * transferring → followUp → closed; no acceptance → widened once → escalated; cancelled from
 * anywhere; a return referral waits for the elder to be back in the kept bed (留床).
 */
export const MACHINE_VERSION = 2;

export interface ReferralInput {
  referralId: string;
  elderRef: string;
  kind: ReferralKind;
  urgency: Urgency;
  origin: Origin;
  requestedBedTypes: BedTypeName[];
  /** Bed types the planner allows when the match is widened. */
  widerBedTypes: BedTypeName[];
  requirements?: Record<string, string | boolean>;
  wantsLtci: boolean;
  facts: KnownFacts;
  /** Whether the facts hold a current ability assessment (decided by the host, which has a clock). */
  abilityCurrent: boolean;
  deadlines: Deadlines;
  returnTo?: ReturnTarget;
  /** The provider the sender chose (an urgent transfer's hospital), offered alone while it can take the elder. */
  preferredInstitutionId?: string;
}

export interface ReferralContext extends ReferralInput {
  widened: boolean;
  offers: Offer[];
  chosenOfferId?: string;
  hold?: { holdId: string; unitId: string; institutionId: string; bedType: BedTypeName };
  admissionId?: string;
  originDischarged: boolean;
  followUpLate: boolean;
  /** Set on entering `closed` or `cancelled`: a finished referral ignores every event. */
  finished?: boolean;
  escalation?: string;
  /** Where the referral stood when it was escalated: `matching` and `offers` wait on the packet's facts. */
  escalatedFrom?: 'ability' | 'matching' | 'offers' | 'choice';
  cancelReason?: CancelReason;
}

/** What the machine reacts to: answers from other services, people's decisions, deadlines. */
export type ReferralEvent =
  | { type: 'AbilityAssessed'; level: number; assessedOn: string; dementiaDiagnosis: boolean }
  | { type: 'AbilityDeadline' }
  | { type: 'LtciAuthorised'; grade: number }
  | { type: 'LtciRefused'; ground: string }
  | { type: 'LtciDeadline' }
  | { type: 'MatchesFound'; offers: Offer[] }
  | { type: 'NoMatches' }
  | { type: 'OfferAccepted'; offerId: string }
  | { type: 'OfferDeclined'; offerId: string; reasonCode: DeclineReason }
  | { type: 'OfferExpired'; offerId: string }
  | { type: 'ChoiceRecorded'; offerId: string; recordedBy: string }
  | { type: 'ChoiceDeadline' }
  | { type: 'BedHeld'; holdId: string; unitId: string; institutionId: string }
  | { type: 'BedHoldRejected'; institutionId: string; reasonCode: string }
  | { type: 'BedHoldExpired'; holdId: string }
  | { type: 'AdmissionRecorded'; holdId: string; admissionId: string }
  | { type: 'OriginDischarged'; admissionId: string }
  | { type: 'KeptBedReturned'; admissionId: string }
  | { type: 'KeptBedLost'; admissionId: string }
  | { type: 'FollowUpRecorded'; recordedBy: string }
  | { type: 'FollowUpDeadline' }
  | { type: 'Cancel'; reason: CancelReason; recordedBy: string }
  | { type: 'Reopen'; recordedBy: string }
  /** The planner changed the packet's eligibility facts (the host decides whether they changed). */
  | { type: 'PacketUpdated' };

/** The machine's actions and their parameters: what the host must do. */
export interface ActionParams {
  requestAssessment: { referralId: string; elderRef: string; urgency: Urgency };
  requestLtci: { referralId: string; elderRef: string; divisionCode: string };
  findMatches: { widened: boolean; bedTypes: BedTypeName[]; excludeInstitutions: string[] };
  announceOffers: { offers: Offer[]; urgency: Urgency; deadlineMs: number };
  announceAnswer: { offer: Offer };
  announceNotSelected: { offers: Offer[] };
  reserveBed: { referralId: string; elderRef: string; institutionId: string; bedType: BedTypeName; requirements?: Record<string, string | boolean> };
  releaseBed: { referralId: string; institutionId: string; bedType: BedTypeName; reason: 'cancelled' | 'not-selected' | 'other' };
  schedule: { key: string; afterMs: number; event: ReferralEvent };
  unschedule: { key: string };
  unscheduleAll: Record<string, never>;
  escalate: { reason: string; offersMade: number };
  announceCancelled: { reason: CancelReason; stage: string };
  announceClosed: { institutionId: string; bedType: BedTypeName; followUpLate: boolean };
  /** The family chose this offer's provider: it may now learn who the elder is. */
  announceChoice: { offer: Offer; elderRef: string };
  /** The chosen provider will not receive the elder after all. */
  announceChoiceLapsed: { offer: Offer; elderRef: string; reason: 'bed-lost' | 'cancelled' };
}

const offerKey = (offerId: string) => `offer:${offerId}`;
const answered = (o: Offer) => o.status !== 'open';
const chosenOffer = (c: ReferralContext) => c.offers.find((o) => o.offerId === c.chosenOfferId);
const findOffer = (c: ReferralContext, offerId: string) => c.offers.find((o) => o.offerId === offerId);
const setOffer = (offers: Offer[], offerId: string, patch: Partial<Offer>) => offers.map((o) => (o.offerId === offerId ? { ...o, ...patch } : o));
/** Bed types whose eligibility rests on the ability level (DOMAIN §4). */
const needsAbility = (types: BedTypeName[]) => types.some((t) => t === 'care' || t === 'home-care');

const machineSetup = setup({
  types: {
    context: {} as ReferralContext,
    events: {} as ReferralEvent,
    input: {} as ReferralInput,
  },
  actions: {
    requestAssessment: (_, _p: ActionParams['requestAssessment']) => {},
    requestLtci: (_, _p: ActionParams['requestLtci']) => {},
    findMatches: (_, _p: ActionParams['findMatches']) => {},
    announceOffers: (_, _p: ActionParams['announceOffers']) => {},
    announceAnswer: (_, _p: ActionParams['announceAnswer']) => {},
    announceNotSelected: (_, _p: ActionParams['announceNotSelected']) => {},
    reserveBed: (_, _p: ActionParams['reserveBed']) => {},
    releaseBed: (_, _p: ActionParams['releaseBed']) => {},
    schedule: (_, _p: ActionParams['schedule']) => {},
    unschedule: (_, _p: ActionParams['unschedule']) => {},
    unscheduleAll: (_, _p: ActionParams['unscheduleAll']) => {},
    escalate: (_, _p: ActionParams['escalate']) => {},
    announceCancelled: (_, _p: ActionParams['announceCancelled']) => {},
    announceClosed: (_, _p: ActionParams['announceClosed']) => {},
    announceChoice: (_, _p: ActionParams['announceChoice']) => {},
    announceChoiceLapsed: (_, _p: ActionParams['announceChoiceLapsed']) => {},
  },
  guards: {
    isReturn: ({ context }) => context.kind === 'return',
    needsAssessment: ({ context }) => !context.abilityCurrent && needsAbility([...context.requestedBedTypes, ...context.widerBedTypes]),
    needsLtci: ({ context }) => context.wantsLtci && context.facts.ltciAuthorised === undefined,
    offerOpen: ({ context, event }) => 'offerId' in event && findOffer(context, event.offerId)?.status === 'open',
    offerAccepted: ({ context, event }) => 'offerId' in event && findOffer(context, event.offerId)?.status === 'accepted',
    allAnsweredSomeAccepted: ({ context }) => context.offers.every(answered) && context.offers.some((o) => o.status === 'accepted'),
    allAnsweredNoneAccepted: ({ context }) => context.offers.every(answered) && !context.offers.some((o) => o.status === 'accepted'),
    canWiden: ({ context }) => !context.widened,
    isOurHold: ({ context, event }) => 'holdId' in event && event.holdId === context.hold?.holdId,
    fromChosen: ({ context, event }) => event.type === 'BedHoldRejected' && event.institutionId === chosenOffer(context)?.institutionId,
    anotherAccepted: ({ context }) => context.offers.some((o) => o.status === 'accepted' && o.offerId !== context.chosenOfferId),
    isKeptStay: ({ context, event }) => 'admissionId' in event && event.admissionId === context.returnTo?.admissionId,
    isOriginStay: ({ context, event }) => !context.finished && event.type === 'OriginDischarged' && event.admissionId === context.origin.admissionId,
    notFinished: ({ context }) => !context.finished,
    waitsOnFacts: ({ context }) => context.escalatedFrom === 'matching' || context.escalatedFrom === 'offers',
  },
});

/** Record a provider's answer (the offer was updated just before) and clear its deadline. */
const answer = machineSetup.enqueueActions(({ context, event, enqueue }) => {
    if (!('offerId' in event)) return;
    const offer = findOffer(context, event.offerId);
    if (!offer) return;
    enqueue({ type: 'announceAnswer', params: { offer } });
    enqueue({ type: 'unschedule', params: { key: offerKey(offer.offerId) } });
});
/**
 * The choice. Offers still open are released now; providers that accepted stay in reserve until
 * the chosen bed is held (if it cannot be, the family chooses again among them).
 */
const choose = machineSetup.enqueueActions(({ context, event, enqueue }) => {
  if (event.type !== 'ChoiceRecorded') return;
  const open = context.offers.filter((o) => o.offerId !== event.offerId && o.status === 'open');
  enqueue.assign({
    chosenOfferId: event.offerId,
    offers: context.offers.map((o) => (open.includes(o) ? { ...o, status: 'not-selected' as const } : o)),
  });
  for (const o of open) enqueue({ type: 'unschedule', params: { key: offerKey(o.offerId) } });
  if (open.length > 0) enqueue({ type: 'announceNotSelected', params: { offers: open } });
  const chosen = findOffer(context, event.offerId);
  if (chosen) enqueue({ type: 'announceChoice', params: { offer: chosen, elderRef: context.elderRef } });
});

/** The chosen bed is held: the providers kept in reserve are told they were not selected. */
const releaseAlternatives = machineSetup.enqueueActions(({ context, enqueue }) => {
  const reserve = context.offers.filter((o) => o.offerId !== context.chosenOfferId && o.status === 'accepted');
  if (reserve.length === 0) return;
  enqueue.assign({ offers: context.offers.map((o) => (reserve.includes(o) ? { ...o, status: 'not-selected' as const } : o)) });
  enqueue({ type: 'announceNotSelected', params: { offers: reserve } });
});

/** The chosen provider could not hold the bed: that offer is spent, and the choice lapses. */
const chosenUnavailable = machineSetup.enqueueActions(({ context, enqueue }) => {
  const chosen = chosenOffer(context);
  enqueue.assign({ offers: chosen ? setOffer(context.offers, chosen.offerId, { status: 'unavailable' }) : context.offers, chosenOfferId: undefined });
  if (chosen) enqueue({ type: 'announceChoiceLapsed', params: { offer: chosen, elderRef: context.elderRef, reason: 'bed-lost' } });
});
/**
 * Give back a bed held and not yet taken. While reserving, the hold may not have arrived yet:
 * the release still goes to the chosen provider, after the reservation on the same key, so the
 * bed service releases whatever it held for this referral.
 */
const releaseHeldBed = machineSetup.enqueueActions(({ context, enqueue }) => {
  if (context.admissionId || context.kind === 'return') return;
  const chosen = chosenOffer(context);
  const target = context.hold ? { institutionId: context.hold.institutionId, bedType: context.hold.bedType } : chosen ? { institutionId: chosen.institutionId, bedType: chosen.bedType } : undefined;
  if (target) enqueue({ type: 'releaseBed', params: { referralId: context.referralId, ...target, reason: 'cancelled' } });
  if (chosen) enqueue({ type: 'announceChoiceLapsed', params: { offer: chosen, elderRef: context.elderRef, reason: 'cancelled' } });
});

/** The referral is cancelled: offers still open or in reserve are withdrawn, and their providers told. */
const withdrawOffers = machineSetup.enqueueActions(({ context, enqueue }) => {
  const live = context.offers.filter((o) => o.status === 'open' || (o.status === 'accepted' && o.offerId !== context.chosenOfferId));
  if (live.length === 0) return;
  enqueue.assign({ offers: context.offers.map((o) => (live.includes(o) ? { ...o, status: 'withdrawn' as const } : o)) });
  enqueue({ type: 'announceNotSelected', params: { offers: live } });
});

/** Start each new offer's response deadline. */
const scheduleOfferDeadlines = machineSetup.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'MatchesFound') return;
    for (const o of event.offers) enqueue({ type: 'schedule', params: { key: offerKey(o.offerId), afterMs: context.deadlines.offerMs, event: { type: 'OfferExpired', offerId: o.offerId } } });
});

export const referralMachine = machineSetup.createMachine({
  id: 'referral',
  context: ({ input }) => ({ ...input, widened: false, offers: [], originDischarged: false, followUpLate: false }),
  initial: 'intake',
  on: {
    Cancel: { guard: 'notFinished', target: '.cancelled', actions: assign({ cancelReason: ({ event }) => event.reason }) },
    OriginDischarged: { guard: 'isOriginStay', actions: assign({ originDischarged: true }) },
  },
  states: {
    intake: {
      always: [{ guard: 'isReturn', target: 'returning' }, { target: 'eligibility' }],
    },
    eligibility: {
      type: 'parallel',
      onDone: 'matching',
      states: {
        ability: {
          initial: 'checking',
          states: {
            checking: { always: [{ guard: 'needsAssessment', target: 'requested' }, { target: 'known' }] },
            requested: {
              entry: [
                { type: 'requestAssessment', params: ({ context }) => ({ referralId: context.referralId, elderRef: context.elderRef, urgency: context.urgency }) },
                { type: 'schedule', params: ({ context }) => ({ key: 'ability', afterMs: context.deadlines.assessmentMs, event: { type: 'AbilityDeadline' } }) },
              ],
              on: {
                AbilityAssessed: {
                  target: 'known',
                  actions: [
                    assign({ facts: ({ context, event }) => ({ ...context.facts, abilityLevel: event.level, abilityAssessedOn: event.assessedOn, dementiaDiagnosis: event.dementiaDiagnosis }), abilityCurrent: true }),
                    { type: 'unschedule', params: { key: 'ability' } },
                  ],
                },
                AbilityDeadline: { target: '#referral.escalated', actions: assign({ escalation: 'the ability assessment was not made in time', escalatedFrom: 'ability' }) },
              },
            },
            known: { type: 'final' },
          },
        },
        ltci: {
          initial: 'checking',
          states: {
            checking: { always: [{ guard: 'needsLtci', target: 'requested' }, { target: 'known' }] },
            requested: {
              entry: [
                { type: 'requestLtci', params: ({ context }) => ({ referralId: context.referralId, elderRef: context.elderRef, divisionCode: context.facts.homeDivisionCode ?? context.origin.divisionCode }) },
                { type: 'schedule', params: ({ context }) => ({ key: 'ltci', afterMs: context.deadlines.ltciMs, event: { type: 'LtciDeadline' } }) },
              ],
              on: {
                LtciAuthorised: { target: 'known', actions: [assign({ facts: ({ context, event }) => ({ ...context.facts, ltciGrade: event.grade, ltciAuthorised: true }) }), { type: 'unschedule', params: { key: 'ltci' } }] },
                LtciRefused: { target: 'known', actions: [assign({ facts: ({ context }) => ({ ...context.facts, ltciAuthorised: false }) }), { type: 'unschedule', params: { key: 'ltci' } }] },
                // No answer in time: go on without LTCI funding; the planner sees it on the timeline.
                LtciDeadline: { target: 'known', actions: assign({ facts: ({ context }) => ({ ...context.facts, ltciAuthorised: false }) }) },
              },
            },
            known: { type: 'final' },
          },
        },
      },
    },
    matching: {
      entry: {
        type: 'findMatches',
        params: ({ context }) => ({
          widened: context.widened,
          bedTypes: context.widened ? [...new Set([...context.requestedBedTypes, ...context.widerBedTypes])] : context.requestedBedTypes,
          excludeInstitutions: context.offers.filter((o) => o.status !== 'not-selected').map((o) => o.institutionId),
        }),
      },
      on: {
        MatchesFound: {
          target: 'offering',
          actions: [
            assign({ offers: ({ context, event }) => [...context.offers, ...event.offers] }),
            { type: 'announceOffers', params: ({ context, event }) => ({ offers: event.offers, urgency: context.urgency, deadlineMs: context.deadlines.offerMs }) },
            scheduleOfferDeadlines,
          ],
        },
        NoMatches: [
          { guard: 'canWiden', target: 'matching', reenter: true, actions: assign({ widened: true }) },
          { target: 'escalated', actions: assign({ escalation: 'no provider can take the referral, even with the widened match', escalatedFrom: 'matching' }) },
        ],
      },
    },
    offering: {
      always: [
        { guard: 'allAnsweredSomeAccepted', target: 'choosing' },
        { guard: 'allAnsweredNoneAccepted', target: 'noneAccepted' },
      ],
      on: {
        OfferAccepted: { guard: 'offerOpen', actions: [assign({ offers: ({ context, event }) => setOffer(context.offers, event.offerId, { status: 'accepted' }) }), answer] },
        OfferDeclined: { guard: 'offerOpen', actions: [assign({ offers: ({ context, event }) => setOffer(context.offers, event.offerId, { status: 'declined', reasonCode: event.reasonCode }) }), answer] },
        OfferExpired: { guard: 'offerOpen', actions: [assign({ offers: ({ context, event }) => setOffer(context.offers, event.offerId, { status: 'expired' }) }), answer] },
        // An early choice among those who already accepted, before every provider answered.
        ChoiceRecorded: { guard: 'offerAccepted', target: 'reserving', actions: choose },
      },
    },
    noneAccepted: {
      always: [
        { guard: 'canWiden', target: 'matching', actions: assign({ widened: true }) },
        { target: 'escalated', actions: assign({ escalation: 'every provider offered declined or did not answer in time', escalatedFrom: 'offers' }) },
      ],
    },
    choosing: {
      entry: { type: 'schedule', params: ({ context }) => ({ key: 'choice', afterMs: context.deadlines.choiceMs, event: { type: 'ChoiceDeadline' } }) },
      exit: { type: 'unschedule', params: { key: 'choice' } },
      on: {
        ChoiceRecorded: { guard: 'offerAccepted', target: 'reserving', actions: choose },
        ChoiceDeadline: { target: 'escalated', actions: assign({ escalation: 'the elder or family did not choose in time', escalatedFrom: 'choice' }) },
      },
    },
    reserving: {
      entry: {
        type: 'reserveBed',
        params: ({ context }) => {
          const offer = chosenOffer(context)!;
          return { referralId: context.referralId, elderRef: context.elderRef, institutionId: offer.institutionId, bedType: offer.bedType, ...(context.requirements ? { requirements: context.requirements } : {}) };
        },
      },
      on: {
        BedHeld: {
          target: 'transferring',
          actions: [
            assign({ hold: ({ context, event }) => ({ holdId: event.holdId, unitId: event.unitId, institutionId: event.institutionId, bedType: chosenOffer(context)!.bedType }) }),
            releaseAlternatives,
          ],
        },
        BedHoldRejected: { guard: 'fromChosen', actions: chosenUnavailable, target: 'afterLostBed' },
      },
    },
    transferring: {
      on: {
        AdmissionRecorded: { guard: 'isOurHold', target: 'followUp', actions: assign({ admissionId: ({ event }) => event.admissionId }) },
        BedHoldExpired: { guard: 'isOurHold', target: 'afterLostBed', actions: [chosenUnavailable, assign({ hold: undefined })] },
      },
    },
    // The chosen bed went to someone else: back to another accepted offer, or to new offers.
    afterLostBed: {
      always: [{ guard: 'anotherAccepted', target: 'choosing' }, { target: 'matching' }],
    },
    returning: {
      on: {
        KeptBedReturned: {
          guard: 'isKeptStay',
          target: 'followUp',
          actions: assign({
            admissionId: ({ event }) => event.admissionId,
            hold: ({ context }) => ({ holdId: context.returnTo!.admissionId, unitId: context.returnTo!.admissionId, institutionId: context.returnTo!.institutionId, bedType: context.returnTo!.bedType }),
          }),
        },
        // The kept bed's time ran out: look for a bed of that type the usual way.
        KeptBedLost: { guard: 'isKeptStay', target: 'eligibility', actions: assign({ requestedBedTypes: ({ context }) => [context.returnTo!.bedType], kind: 'discharge' }) },
      },
    },
    followUp: {
      entry: { type: 'schedule', params: ({ context }) => ({ key: 'follow-up', afterMs: context.deadlines.followUpMs, event: { type: 'FollowUpDeadline' } }) },
      on: {
        FollowUpRecorded: {
          target: 'closed',
          actions: [
            { type: 'unschedule', params: { key: 'follow-up' } },
            { type: 'announceClosed', params: ({ context }) => ({ institutionId: context.hold!.institutionId, bedType: context.hold!.bedType, followUpLate: context.followUpLate }) },
          ],
        },
        // Late follow-up is a breach the commission sees; the loop can still close.
        FollowUpDeadline: { actions: assign({ followUpLate: true }) },
      },
    },
    escalated: {
      entry: [
        { type: 'unscheduleAll', params: {} },
        withdrawOffers,
        { type: 'escalate', params: ({ context }) => ({ reason: context.escalation ?? 'escalated', offersMade: context.offers.length }) },
      ],
      on: {
        Reopen: { target: 'matching', actions: assign({ widened: false, escalation: undefined, escalatedFrom: undefined }) },
        // New facts on the packet may let providers take a referral no one could: match again.
        PacketUpdated: { guard: 'waitsOnFacts', target: 'matching', actions: assign({ widened: false, escalation: undefined, escalatedFrom: undefined }) },
      },
    },
    closed: { type: 'final', entry: assign({ finished: true }) },
    cancelled: {
      type: 'final',
      entry: [
        assign({ finished: true }),
        { type: 'unscheduleAll', params: {} },
        releaseHeldBed,
        withdrawOffers,
        { type: 'announceCancelled', params: ({ context }) => ({ reason: context.cancelReason ?? 'other', stage: 'cancelled' }) },
      ],
    },
  },
});

/** The state names of the machine's top level. */
export type ReferralState =
  | 'intake'
  | 'eligibility'
  | 'matching'
  | 'offering'
  | 'noneAccepted'
  | 'choosing'
  | 'reserving'
  | 'transferring'
  | 'afterLostBed'
  | 'returning'
  | 'followUp'
  | 'escalated'
  | 'closed'
  | 'cancelled';
