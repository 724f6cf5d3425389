import { describe, expect, it } from 'vitest';
import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import { restoreSnapshot, storeSnapshot, type StoredSnapshot } from '../src/application/machine-host.js';
import { MACHINE_VERSION, referralMachine, type ActionParams, type ReferralContext, type ReferralEvent, type ReferralInput } from '../src/domain/referral-machine.js';
import { GREEN_CHANNEL_DEADLINES, ROUTINE_DEADLINES, type Offer } from '../src/domain/types.js';

/*
 * The important journeys of a referral, step by step, with the exact commands the machine
 * emits. The test plays the host: it answers `findMatches` with MatchesFound or NoMatches and
 * delivers the other services' answers and the deadlines as events.
 */

type Snap = SnapshotFrom<typeof referralMachine>;
interface Action {
  type: string;
  params: unknown;
}

const HOUR = 3600_000;

const discharge: ReferralInput = {
  referralId: 'r1',
  elderRef: 'elder-1',
  kind: 'discharge',
  urgency: 'routine',
  origin: { institutionId: 'hospital-1', bedType: 'medical', divisionCode: '370811', admissionId: 'stay-0' },
  requestedBedTypes: ['care'],
  widerBedTypes: ['home-care'],
  wantsLtci: false,
  facts: { abilityLevel: 2, abilityAssessedOn: '2025-01-10' },
  abilityCurrent: true,
  deadlines: ROUTINE_DEADLINES,
};

const returning: ReferralInput = {
  ...discharge,
  kind: 'return',
  origin: { institutionId: 'hospital-1', bedType: 'medical', divisionCode: '370811', admissionId: 'stay-0' },
  requestedBedTypes: ['hospice'],
  widerBedTypes: [],
  returnTo: { institutionId: 'care-home-9', bedType: 'care', admissionId: 'kept-1' },
};

const offer = (n: number, over: Partial<Offer> = {}): Offer => ({ offerId: `o${n}`, institutionId: `i${n}`, bedType: 'care', rank: n, status: 'open', ...over });
const threeOffers: ReferralEvent = { type: 'MatchesFound', offers: [offer(1), offer(2), offer(3)] };
const accepted = (n: number): ReferralEvent => ({ type: 'OfferAccepted', offerId: `o${n}` });
const declined = (n: number): ReferralEvent => ({ type: 'OfferDeclined', offerId: `o${n}`, reasonCode: 'no-capacity' });
const expired = (n: number): ReferralEvent => ({ type: 'OfferExpired', offerId: `o${n}` });
const chose = (n: number): ReferralEvent => ({ type: 'ChoiceRecorded', offerId: `o${n}`, recordedBy: 'daughter' });
const held = (n: number, holdId = 'h1'): ReferralEvent => ({ type: 'BedHeld', holdId, unitId: `unit-${holdId}`, institutionId: `i${n}` });
const cancel: ReferralEvent = { type: 'Cancel', reason: 'family-withdrew', recordedBy: 'planner' };

/** A referral driven through the pure functions; `actions` are those of the last step. */
class Referral {
  snapshot: Snap;
  actions: Action[];

  constructor(input: ReferralInput) {
    const [snapshot, actions] = initialTransition(referralMachine, input);
    this.snapshot = snapshot;
    this.actions = plain(actions);
  }

  /** Apply events one by one, as the host would. */
  send(...events: ReferralEvent[]): this {
    for (const event of events) {
      const [snapshot, actions] = transition(referralMachine, this.snapshot, event);
      this.snapshot = snapshot;
      this.actions = plain(actions);
    }
    return this;
  }

  get state(): unknown {
    return this.snapshot.value;
  }

  get context(): ReferralContext {
    return this.snapshot.context;
  }

  /** The parameters of the last step's actions of one type. */
  emitted<T extends keyof ActionParams>(type: T): ActionParams[T][] {
    return this.actions.filter((a) => a.type === type).map((a) => a.params as ActionParams[T]);
  }

  /** The last step's actions that are not built into XState. */
  get commands(): Action[] {
    return this.actions.filter((a) => !a.type.startsWith('xstate.'));
  }

  statusOf(offerId: string): string | undefined {
    return this.context.offers.find((o) => o.offerId === offerId)?.status;
  }
}

const plain = (actions: readonly { type: string; params?: unknown }[]): Action[] => actions.map((a) => ({ type: a.type, params: a.params }));
const serialise = (s: Snap) => JSON.stringify({ value: s.value, context: s.context, status: s.status });

describe('the main path, to closed', () => {
  it('asks for matches, offers, lets the family choose, reserves, transfers, follows up and closes, emitting exactly these commands', () => {
    // given a discharge with a current assessment and no LTCI wanted
    const referral = new Referral({ ...discharge, requirements: { nursingType: true } });
    // then it goes straight to matching
    expect(referral.state).toBe('matching');
    expect(referral.commands).toEqual([{ type: 'findMatches', params: { widened: false, bedTypes: ['care'], excludeInstitutions: [] } }]);

    // when three providers are matched
    referral.send(threeOffers);
    // then each is offered, with its response deadline
    expect(referral.state).toBe('offering');
    expect(referral.commands).toEqual([
      { type: 'announceOffers', params: { offers: [offer(1), offer(2), offer(3)], urgency: 'routine', deadlineMs: 24 * HOUR } },
      ...[1, 2, 3].map((n) => ({ type: 'schedule', params: { key: `offer:o${n}`, afterMs: 24 * HOUR, event: { type: 'OfferExpired', offerId: `o${n}` } } })),
    ]);

    // when the first provider accepts
    referral.send(accepted(1));
    // then the answer is announced and its deadline cleared
    expect(referral.state).toBe('offering');
    expect(referral.commands).toEqual([
      { type: 'announceAnswer', params: { offer: offer(1, { status: 'accepted' }) } },
      { type: 'unschedule', params: { key: 'offer:o1' } },
    ]);

    // when the others answer, one declining
    referral.send(declined(2), accepted(3));
    // then the family is asked to choose, with a deadline
    expect(referral.state).toBe('choosing');
    expect(referral.commands).toEqual([
      { type: 'announceAnswer', params: { offer: offer(3, { status: 'accepted' }) } },
      { type: 'unschedule', params: { key: 'offer:o3' } },
      { type: 'schedule', params: { key: 'choice', afterMs: 48 * HOUR, event: { type: 'ChoiceDeadline' } } },
    ]);

    // when the family chooses the first provider
    referral.send(chose(1));
    // then the chosen provider may learn who the elder is, and the bed is reserved there, with the
    // requirements; the other provider that accepted waits in reserve
    expect(referral.state).toBe('reserving');
    expect(referral.commands).toEqual([
      { type: 'unschedule', params: { key: 'choice' } },
      { type: 'announceChoice', params: { offer: offer(1, { status: 'accepted' }), elderRef: 'elder-1' } },
      { type: 'reserveBed', params: { referralId: 'r1', elderRef: 'elder-1', institutionId: 'i1', bedType: 'care', requirements: { nursingType: true } } },
    ]);
    expect(referral.context.chosenOfferId).toBe('o1');
    expect(referral.statusOf('o3')).toBe('accepted');

    // when the bed is held
    referral.send(held(1));
    // then the provider in reserve is told it was not selected
    expect(referral.state).toBe('transferring');
    expect(referral.context.hold).toEqual({ holdId: 'h1', unitId: 'unit-h1', institutionId: 'i1', bedType: 'care' });
    expect(referral.commands).toEqual([{ type: 'announceNotSelected', params: { offers: [offer(3, { status: 'accepted' })] } }]);
    expect(referral.statusOf('o3')).toBe('not-selected');

    // when the origin discharges the elder and the destination admits them
    referral.send({ type: 'OriginDischarged', admissionId: 'stay-0' });
    expect(referral.context.originDischarged).toBe(true);
    expect(referral.commands).toEqual([]);
    referral.send({ type: 'AdmissionRecorded', holdId: 'h1', admissionId: 'a1' });
    // then the follow-up is due within a week
    expect(referral.state).toBe('followUp');
    expect(referral.context.admissionId).toBe('a1');
    expect(referral.commands).toEqual([{ type: 'schedule', params: { key: 'follow-up', afterMs: 7 * 24 * HOUR, event: { type: 'FollowUpDeadline' } } }]);

    // when the follow-up is recorded
    referral.send({ type: 'FollowUpRecorded', recordedBy: 'nurse' });
    // then the referral is closed, naming the bed
    expect(referral.state).toBe('closed');
    expect(referral.snapshot.status).toBe('done');
    expect(referral.commands).toEqual([
      { type: 'unschedule', params: { key: 'follow-up' } },
      { type: 'announceClosed', params: { institutionId: 'i1', bedType: 'care', followUpLate: false } },
    ]);
  });

  it('reserves without requirements when the referral has none', () => {
    const referral = new Referral(discharge).send(threeOffers, accepted(2), chose(2));
    expect(referral.emitted('reserveBed')).toEqual([{ referralId: 'r1', elderRef: 'elder-1', institutionId: 'i2', bedType: 'care' }]);
  });
});

describe('eligibility', () => {
  it('asks for the assessment and LTCI at once, each with its deadline, and matches when both are known', () => {
    // given a referral without a current assessment, wanting LTCI
    const referral = new Referral({ ...discharge, facts: {}, abilityCurrent: false, wantsLtci: true });
    expect(referral.state).toEqual({ eligibility: { ability: 'requested', ltci: 'requested' } });
    expect(referral.commands).toEqual([
      { type: 'requestAssessment', params: { referralId: 'r1', elderRef: 'elder-1', urgency: 'routine' } },
      { type: 'schedule', params: { key: 'ability', afterMs: 72 * HOUR, event: { type: 'AbilityDeadline' } } },
      // The insurance officers of the referring hospital's division, the elder's home being unknown.
      { type: 'requestLtci', params: { referralId: 'r1', elderRef: 'elder-1', divisionCode: '370811' } },
      { type: 'schedule', params: { key: 'ltci', afterMs: 72 * HOUR, event: { type: 'LtciDeadline' } } },
    ]);
    const living = new Referral({ ...discharge, facts: { homeDivisionCode: '371722' }, abilityCurrent: false, wantsLtci: true });
    expect(living.commands.find((c) => c.type === 'requestLtci')).toEqual({ type: 'requestLtci', params: { referralId: 'r1', elderRef: 'elder-1', divisionCode: '371722' } });
    // when the assessment arrives
    referral.send({ type: 'AbilityAssessed', level: 3, assessedOn: '2025-03-01', dementiaDiagnosis: true });
    expect(referral.state).toEqual({ eligibility: { ability: 'known', ltci: 'requested' } });
    expect(referral.commands).toEqual([{ type: 'unschedule', params: { key: 'ability' } }]);
    expect(referral.context.facts).toMatchObject({ abilityLevel: 3, abilityAssessedOn: '2025-03-01', dementiaDiagnosis: true });
    // when LTCI gives no answer in time
    referral.send({ type: 'LtciDeadline' });
    // then matching goes on without LTCI funding
    expect(referral.state).toBe('matching');
    expect(referral.context.facts.ltciAuthorised).toBe(false);
    expect(referral.commands).toEqual([{ type: 'findMatches', params: { widened: false, bedTypes: ['care'], excludeInstitutions: [] } }]);
  });

  it('escalates when the assessment is not made in time, clearing the LTCI deadline too', () => {
    const referral = new Referral({ ...discharge, facts: {}, abilityCurrent: false, wantsLtci: true }).send({ type: 'AbilityDeadline' });
    expect(referral.state).toBe('escalated');
    expect(referral.emitted('unscheduleAll')).toHaveLength(1);
    expect(referral.emitted('escalate')).toEqual([expect.objectContaining({ reason: 'the ability assessment was not made in time', offersMade: 0 })]);
  });
});

describe('when nobody accepts', () => {
  it('matches again, widened to the wider bed types and without the providers already asked; then escalates on NoMatches', () => {
    // given three offers
    const referral = new Referral(discharge).send(threeOffers);
    // when all decline or let the offer expire
    referral.send(declined(1), expired(2), declined(3));
    // then matching runs again, widened
    expect(referral.state).toBe('matching');
    expect(referral.context.widened).toBe(true);
    expect(referral.emitted('findMatches')).toEqual([{ widened: true, bedTypes: ['care', 'home-care'], excludeInstitutions: ['i1', 'i2', 'i3'] }]);
    // when even the widened match finds nobody
    referral.send({ type: 'NoMatches' });
    // then the commission is told
    expect(referral.state).toBe('escalated');
    expect(referral.commands).toEqual([
      { type: 'unscheduleAll', params: {} },
      { type: 'escalate', params: { reason: 'no provider can take the referral, even with the widened match', offersMade: 3 } },
    ]);
  });

  it('widens once at once when the first match finds nobody, then escalates', () => {
    const referral = new Referral(discharge).send({ type: 'NoMatches' });
    expect(referral.state).toBe('matching');
    expect(referral.commands).toEqual([{ type: 'findMatches', params: { widened: true, bedTypes: ['care', 'home-care'], excludeInstitutions: [] } }]);
    referral.send({ type: 'NoMatches' });
    expect(referral.state).toBe('escalated');
    expect(referral.emitted('escalate')).toEqual([{ reason: 'no provider can take the referral, even with the widened match', offersMade: 0 }]);
  });

  it('counts an expired offer as no answer: all expired is none accepted, and a later acceptance of it is ignored', () => {
    const referral = new Referral(discharge).send(threeOffers, expired(1));
    expect(referral.statusOf('o1')).toBe('expired');
    expect(referral.commands).toEqual([
      { type: 'announceAnswer', params: { offer: offer(1, { status: 'expired' }) } },
      { type: 'unschedule', params: { key: 'offer:o1' } },
    ]);
    const before = serialise(referral.snapshot);
    referral.send(accepted(1));
    expect(serialise(referral.snapshot)).toBe(before);
    expect(referral.actions).toEqual([]);
    referral.send(expired(2), expired(3));
    expect(referral.state).toBe('matching');
    expect(referral.emitted('findMatches')).toEqual([expect.objectContaining({ widened: true })]);
  });

  it('escalates when the widened offers are not accepted either', () => {
    const referral = new Referral(discharge).send(threeOffers, declined(1), declined(2), declined(3));
    referral.send({ type: 'MatchesFound', offers: [offer(4, { bedType: 'home-care' })] }, expired(4));
    expect(referral.state).toBe('escalated');
    expect(referral.emitted('escalate')).toEqual([{ reason: 'every provider offered declined or did not answer in time', offersMade: 4 }]);
  });
});

describe('choosing', () => {
  it('an early choice in offering releases the offers still open, with their deadlines, and keeps the accepted ones in reserve until the bed is held', () => {
    // given two acceptances and one open offer
    const referral = new Referral(discharge).send(threeOffers, accepted(1), accepted(2));
    // when the family chooses before the third answers
    referral.send(chose(2));
    // then the open offer is released at once
    expect(referral.state).toBe('reserving');
    expect(referral.emitted('announceNotSelected')).toEqual([{ offers: [offer(3)] }]);
    expect(referral.emitted('unschedule')).toEqual([{ key: 'offer:o3' }]);
    expect(referral.emitted('reserveBed')).toEqual([expect.objectContaining({ institutionId: 'i2' })]);
    expect(referral.statusOf('o3')).toBe('not-selected');
    expect(referral.statusOf('o1')).toBe('accepted');
    // and the accepted one when the chosen bed is held
    referral.send(held(2));
    expect(referral.emitted('announceNotSelected')).toEqual([{ offers: [offer(1, { status: 'accepted' })] }]);
    expect(referral.statusOf('o1')).toBe('not-selected');
    // a late answer of the released provider changes nothing
    const before = serialise(referral.snapshot);
    referral.send(accepted(3));
    expect(serialise(referral.snapshot)).toBe(before);
  });

  it('ignores a choice of an offer that was not accepted', () => {
    const referral = new Referral(discharge).send(threeOffers, accepted(1));
    const before = serialise(referral.snapshot);
    referral.send(chose(2));
    expect(referral.state).toBe('offering');
    expect(serialise(referral.snapshot)).toBe(before);
    expect(referral.actions).toEqual([]);
  });

  it('escalates on the choice deadline, withdrawing the offers the providers had accepted', () => {
    const referral = new Referral(discharge).send(threeOffers, accepted(1), declined(2), accepted(3), { type: 'ChoiceDeadline' });
    expect(referral.state).toBe('escalated');
    expect(referral.commands.map((a) => a.type)).toEqual(['unschedule', 'unscheduleAll', 'announceNotSelected', 'escalate']);
    expect((referral.emitted('announceNotSelected')[0] as { offers: { offerId: string }[] }).offers.map((o) => o.offerId)).toEqual(['o1', 'o3']);
    expect(referral.emitted('unschedule')).toEqual([{ key: 'choice' }]);
    expect(referral.emitted('escalate')).toEqual([expect.objectContaining({ reason: 'the elder or family did not choose in time', offersMade: 3 })]);
  });

  it('reopens an escalated referral to matching, not widened', () => {
    const referral = new Referral(discharge).send(threeOffers, accepted(1), declined(2), declined(3), { type: 'ChoiceDeadline' });
    referral.send({ type: 'Reopen', recordedBy: 'commission' });
    expect(referral.state).toBe('matching');
    expect(referral.context.escalation).toBeUndefined();
    // the providers that declined are not asked again; the one that accepted is not either
    expect(referral.commands).toEqual([{ type: 'findMatches', params: { widened: false, bedTypes: ['care'], excludeInstitutions: ['i1', 'i2', 'i3'] } }]);
  });
});

describe('losing the chosen bed', () => {
  it('goes back to choosing when the chosen provider rejects the hold and another provider accepted', () => {
    // given two acceptances and the first chosen
    const referral = new Referral(discharge).send(threeOffers, accepted(1), accepted(2), declined(3), chose(1));
    // when the chosen provider cannot hold the bed
    referral.send({ type: 'BedHoldRejected', institutionId: 'i1', reasonCode: 'no-free-unit' });
    // then the family chooses again, among the others
    expect(referral.state).toBe('choosing');
    expect(referral.statusOf('o1')).toBe('unavailable');
    expect(referral.context.chosenOfferId).toBeUndefined();
    // and the choice that disclosed the elder to the first provider lapses
    expect(referral.commands).toEqual([
      { type: 'announceChoiceLapsed', params: { offer: offer(1, { status: 'accepted' }), elderRef: 'elder-1', reason: 'bed-lost' } },
      { type: 'schedule', params: { key: 'choice', afterMs: 48 * HOUR, event: { type: 'ChoiceDeadline' } } },
    ]);
    referral.send(chose(2));
    expect(referral.emitted('reserveBed')).toEqual([expect.objectContaining({ institutionId: 'i2' })]);
  });

  it('matches again without the failed provider when nobody else accepted', () => {
    const referral = new Referral(discharge).send(threeOffers, accepted(1), declined(2), expired(3), chose(1));
    referral.send({ type: 'BedHoldRejected', institutionId: 'i1', reasonCode: 'no-free-unit' });
    expect(referral.state).toBe('matching');
    expect(referral.emitted('findMatches')).toEqual([{ widened: false, bedTypes: ['care'], excludeInstitutions: ['i1', 'i2', 'i3'] }]);
  });

  it('ignores a rejection from a provider that was not chosen', () => {
    const referral = new Referral(discharge).send(threeOffers, accepted(1), accepted(2), declined(3), chose(1));
    const before = serialise(referral.snapshot);
    referral.send({ type: 'BedHoldRejected', institutionId: 'i2', reasonCode: 'no-free-unit' });
    expect(serialise(referral.snapshot)).toBe(before);
    expect(referral.actions).toEqual([]);
  });

  it('matches again when the hold expires while transferring (the reserve was released when the bed was held)', () => {
    // given a bed held at the chosen provider, the other acceptance released
    const referral = new Referral(discharge).send(threeOffers, accepted(1), accepted(2), declined(3), chose(1), held(1));
    // when the hold expires before the admission
    referral.send({ type: 'BedHoldExpired', holdId: 'h1' });
    // then matching runs again without the failed provider and the decliner; the released one may be asked again
    expect(referral.state).toBe('matching');
    expect(referral.context.hold).toBeUndefined();
    expect(referral.statusOf('o1')).toBe('unavailable');
    expect(referral.emitted('findMatches')).toEqual([{ widened: false, bedTypes: ['care'], excludeInstitutions: ['i1', 'i3'] }]);
  });

  it('ignores the expiry of a hold that is not the referral’s', () => {
    const referral = new Referral(discharge).send(threeOffers, accepted(1), declined(2), declined(3), chose(1), held(1));
    const before = serialise(referral.snapshot);
    referral.send({ type: 'BedHoldExpired', holdId: 'h-other' }, { type: 'AdmissionRecorded', holdId: 'h-other', admissionId: 'a9' });
    expect(serialise(referral.snapshot)).toBe(before);
    expect(referral.actions).toEqual([]);
  });
});

describe('cancelling', () => {
  it('while transferring releases the held bed and clears every deadline', () => {
    const referral = new Referral(discharge).send(threeOffers, accepted(1), declined(2), declined(3), chose(1), held(1));
    referral.send({ type: 'Cancel', reason: 'condition-changed', recordedBy: 'doctor' });
    expect(referral.state).toBe('cancelled');
    expect(referral.snapshot.status).toBe('done');
    expect(referral.context.cancelReason).toBe('condition-changed');
    expect(referral.commands).toEqual([
      { type: 'unscheduleAll', params: {} },
      { type: 'releaseBed', params: { referralId: 'r1', institutionId: 'i1', bedType: 'care', reason: 'cancelled' } },
      { type: 'announceChoiceLapsed', params: { offer: offer(1, { status: 'accepted' }), elderRef: 'elder-1', reason: 'cancelled' } },
      { type: 'announceCancelled', params: { reason: 'condition-changed', stage: 'cancelled' } },
    ]);
  });

  it('while reserving releases the bed being reserved at the chosen provider, and withdraws the offer kept in reserve', () => {
    const referral = new Referral(discharge).send(threeOffers, accepted(1), accepted(2), declined(3), chose(1), cancel);
    expect(referral.state).toBe('cancelled');
    expect(referral.emitted('releaseBed')).toEqual([{ referralId: 'r1', institutionId: 'i1', bedType: 'care', reason: 'cancelled' }]);
    expect(referral.emitted('announceNotSelected')).toEqual([{ offers: [offer(2, { status: 'accepted' })] }]);
    expect(referral.statusOf('o2')).toBe('withdrawn');
  });

  it('after the admission releases nothing', () => {
    const referral = new Referral(discharge).send(threeOffers, accepted(1), declined(2), declined(3), chose(1), held(1));
    referral.send({ type: 'AdmissionRecorded', holdId: 'h1', admissionId: 'a1' }, { type: 'Cancel', reason: 'death', recordedBy: 'nurse' });
    expect(referral.state).toBe('cancelled');
    expect(referral.emitted('releaseBed')).toEqual([]);
    expect(referral.emitted('unscheduleAll')).toHaveLength(1);
    expect(referral.emitted('announceCancelled')).toEqual([{ reason: 'death', stage: 'cancelled' }]);
  });

  it('while offering withdraws the offers still open or accepted and tells their providers', () => {
    const referral = new Referral(discharge).send(threeOffers, accepted(1), declined(2), cancel);
    expect(referral.emitted('announceNotSelected')).toEqual([{ offers: [offer(1, { status: 'accepted' }), offer(3)] }]);
    expect(referral.emitted('unscheduleAll')).toHaveLength(1);
    expect(referral.emitted('releaseBed')).toEqual([]);
    expect(referral.context.offers.map((o) => o.status)).toEqual(['withdrawn', 'declined', 'withdrawn']);
  });

  it('a return referral back in its kept bed releases nothing', () => {
    const referral = new Referral(returning).send({ type: 'KeptBedReturned', admissionId: 'kept-1' }, cancel);
    expect(referral.state).toBe('cancelled');
    expect(referral.emitted('releaseBed')).toEqual([]);
  });

  // The host applies events with the pure `transition()`, which does not stop at a done snapshot
  // as an actor does: the machine itself must ignore events once finished.
  it('a closed referral, restored as the host restores it, ignores Cancel', () => {
    const closed = new Referral(discharge).send(threeOffers, accepted(1), declined(2), declined(3), chose(1), held(1));
    closed.send({ type: 'AdmissionRecorded', holdId: 'h1', admissionId: 'a1' }, { type: 'FollowUpRecorded', recordedBy: 'nurse' });
    expect(closed.state).toBe('closed');
    const restored = restoreSnapshot(MACHINE_VERSION, JSON.parse(JSON.stringify(storeSnapshot(closed.snapshot))) as StoredSnapshot);
    expect(restored.status).toBe('done');
    const [next, actions] = transition(referralMachine, restored, cancel);
    expect(plain(actions)).toEqual([]);
    expect(next.value).toBe('closed');
  });
});

describe('follow-up', () => {
  it('a missed follow-up deadline marks the referral late, and the follow-up recorded afterwards still closes it, late', () => {
    const referral = new Referral(discharge).send(threeOffers, accepted(1), declined(2), declined(3), chose(1), held(1));
    referral.send({ type: 'AdmissionRecorded', holdId: 'h1', admissionId: 'a1' }, { type: 'FollowUpDeadline' });
    expect(referral.state).toBe('followUp');
    expect(referral.context.followUpLate).toBe(true);
    expect(referral.commands).toEqual([]);
    referral.send({ type: 'FollowUpRecorded', recordedBy: 'nurse' });
    expect(referral.state).toBe('closed');
    expect(referral.emitted('announceClosed')).toEqual([{ institutionId: 'i1', bedType: 'care', followUpLate: true }]);
  });
});

describe('a return referral (留床)', () => {
  it('waits for the elder and, back in the kept bed, follows up and closes on that bed', () => {
    const referral = new Referral(returning);
    expect(referral.state).toBe('returning');
    expect(referral.commands).toEqual([]);
    // an answer about another stay changes nothing
    referral.send({ type: 'KeptBedReturned', admissionId: 'kept-other' });
    expect(referral.state).toBe('returning');
    expect(referral.actions).toEqual([]);
    referral.send({ type: 'KeptBedReturned', admissionId: 'kept-1' });
    expect(referral.state).toBe('followUp');
    expect(referral.context.admissionId).toBe('kept-1');
    expect(referral.context.hold).toEqual({ holdId: 'kept-1', unitId: 'kept-1', institutionId: 'care-home-9', bedType: 'care' });
    expect(referral.commands).toEqual([{ type: 'schedule', params: { key: 'follow-up', afterMs: 7 * 24 * HOUR, event: { type: 'FollowUpDeadline' } } }]);
    referral.send({ type: 'FollowUpRecorded', recordedBy: 'nurse' });
    expect(referral.emitted('announceClosed')).toEqual([{ institutionId: 'care-home-9', bedType: 'care', followUpLate: false }]);
  });

  it('when the kept bed is lost, looks for a bed of the kept bed’s type the usual way', () => {
    const referral = new Referral(returning).send({ type: 'KeptBedLost', admissionId: 'kept-1' });
    expect(referral.state).toBe('matching');
    expect(referral.context.kind).toBe('discharge');
    expect(referral.context.requestedBedTypes).toEqual(['care']);
    expect(referral.commands).toEqual([{ type: 'findMatches', params: { widened: false, bedTypes: ['care'], excludeInstitutions: [] } }]);
  });

  it('when the kept bed is lost and the assessment is not current, asks for it first', () => {
    const referral = new Referral({ ...returning, abilityCurrent: false }).send({ type: 'KeptBedLost', admissionId: 'kept-1' });
    expect(referral.state).toEqual({ eligibility: { ability: 'requested', ltci: 'known' } });
    expect(referral.emitted('requestAssessment')).toEqual([{ referralId: 'r1', elderRef: 'elder-1', urgency: 'routine' }]);
  });
});

describe('green channel', () => {
  it('uses the deadlines the referral was given', () => {
    const deadlines = { ...GREEN_CHANNEL_DEADLINES, offerMs: 90 * 60_000 };
    const referral = new Referral({ ...discharge, urgency: 'green-channel', deadlines }).send(threeOffers);
    expect(referral.emitted('announceOffers')).toEqual([expect.objectContaining({ urgency: 'green-channel', deadlineMs: deadlines.offerMs })]);
    expect(referral.emitted('schedule').map((p) => p.afterMs)).toEqual([deadlines.offerMs, deadlines.offerMs, deadlines.offerMs]);
    referral.send(accepted(1), declined(2), declined(3));
    expect(referral.emitted('schedule')).toEqual([{ key: 'choice', afterMs: 4 * HOUR, event: { type: 'ChoiceDeadline' } }]);
  });

  it('asks for the assessment as a green-channel one, so assessors take it first', () => {
    const referral = new Referral({ ...discharge, urgency: 'green-channel', deadlines: GREEN_CHANNEL_DEADLINES, facts: {}, abilityCurrent: false });
    expect(referral.emitted('requestAssessment')).toEqual([{ referralId: 'r1', elderRef: 'elder-1', urgency: 'green-channel' }]);
  });
});

describe('events that do not apply', () => {
  const atMatching = () => new Referral(discharge);
  const atOffering = () => new Referral(discharge).send(threeOffers, accepted(1));
  const atTransferring = () => new Referral(discharge).send(threeOffers, accepted(1), declined(2), declined(3), chose(1), held(1));
  const atFollowUp = () => atTransferring().send({ type: 'AdmissionRecorded', holdId: 'h1', admissionId: 'a1' });
  const cases: [string, () => Referral, ReferralEvent][] = [
    ['matching', atMatching, accepted(1)],
    ['matching', atMatching, held(1)],
    ['matching', atMatching, { type: 'FollowUpRecorded', recordedBy: 'nurse' }],
    ['matching', atMatching, { type: 'Reopen', recordedBy: 'commission' }],
    ['matching', atMatching, { type: 'AbilityAssessed', level: 1, assessedOn: '2025-01-01', dementiaDiagnosis: false }],
    ['matching', atMatching, { type: 'OriginDischarged', admissionId: 'stay-other' }],
    ['offering', atOffering, accepted(1)],
    ['offering', atOffering, { type: 'OfferAccepted', offerId: 'o-unknown' }],
    ['offering', atOffering, threeOffers],
    ['offering', atOffering, { type: 'NoMatches' }],
    ['offering', atOffering, { type: 'ChoiceDeadline' }],
    ['transferring', atTransferring, held(1, 'h2')],
    ['transferring', atTransferring, chose(1)],
    ['transferring', atTransferring, { type: 'KeptBedLost', admissionId: 'kept-1' }],
    ['followUp', atFollowUp, { type: 'AdmissionRecorded', holdId: 'h1', admissionId: 'a1' }],
    ['followUp', atFollowUp, { type: 'ChoiceDeadline' }],
  ];
  it.each(cases.map(([state, given, event]) => ({ state, given, event, type: event.type })))('in $state, $type changes nothing', ({ given, event }) => {
    const referral = given();
    const before = serialise(referral.snapshot);
    referral.send(event);
    expect(serialise(referral.snapshot)).toBe(before);
    expect(referral.actions).toEqual([]);
  });
});
