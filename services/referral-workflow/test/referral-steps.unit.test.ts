import { describe, expect, it } from 'vitest';
import { initialTransition } from 'xstate';
import { storeSnapshot } from '../src/application/machine-host.js';
import { offerStatusChanges, REFERRAL_EFFECTS, type ReferralEffect } from '../src/application/referral-effects.js';
import { step, type Cause, type LoadedReferral, type Match, type Step } from '../src/application/referral-steps.js';
import { effectsOf } from '@fbl/service-kit';
import { MACHINE_VERSION, referralMachine, type ReferralEvent, type ReferralInput } from '../src/domain/referral-machine.js';
import { ROUTINE_DEADLINES, type Offer } from '../src/domain/types.js';

/*
 * The referral's decider without a database: a step from the stored snapshot through an event,
 * the effects it leaves to be saved, and what it writes of offers.
 */

const NOW = new Date('2026-03-02T08:00:00Z');
const cause: Cause = { actor: 'planner-1', actorRole: 'planner', causationId: 'request-1', origin: { source: 'referral-workflow' } };
const input: ReferralInput = {
  referralId: 'r1',
  elderRef: 'elder-1',
  kind: 'discharge',
  urgency: 'routine',
  origin: { institutionId: 'hospital-1', bedType: 'medical', divisionCode: '371702' },
  requestedBedTypes: ['care'],
  widerBedTypes: [],
  wantsLtci: false,
  facts: { abilityLevel: 3 },
  abilityCurrent: true,
  deadlines: ROUTINE_DEADLINES,
};
const offers: Offer[] = ['home-a', 'home-b', 'home-c'].map((institutionId, i) => ({ offerId: `offer-${i + 1}`, institutionId, bedType: 'care', rank: i + 1, status: 'open' }));
/** Matching as a given: three providers found (the first run's offers are `offers`, later runs' new ones), the run recorded. */
let runs = 0;
const found: Match = async () => {
  runs += 1;
  const made = runs === 1 ? offers : offers.map((o) => ({ ...o, offerId: `${o.offerId}-run-${runs}` }));
  return { event: { type: 'MatchesFound', offers: made }, effects: [{ kind: 'matchRun', at: NOW, widened: false, resultSealed: 'sealed' }] };
};
const none: Match = async () => ({ event: { type: 'NoMatches' }, effects: [] });

const kinds = (s: Step) => s.effects.map((e) => (e.kind === 'send' ? `send ${e.message.envelope.type}` : e.kind));
/** The referral as the store would hand it back after a step was saved. */
const saved = (before: LoadedReferral, s: Step): LoadedReferral => ({ ...before, machineVersion: s.machineVersion, snapshot: JSON.parse(JSON.stringify(s.snapshot)), version: before.version + 1 });

async function started(match: Match = found): Promise<{ referral: LoadedReferral; first: Step }> {
  runs = 0;
  const initial = initialTransition(referralMachine, input);
  const referral: LoadedReferral = { id: 'r1', machineVersion: MACHINE_VERSION, snapshot: storeSnapshot(initial[0]), version: 0 };
  const first = await step(referral, { type: 'ReferralRequested' }, cause, NOW, match, initial);
  return { referral: saved(referral, first), first };
}
const then = async (referral: LoadedReferral, ...events: ReferralEvent[]) => {
  let last: Step | undefined;
  for (const event of events) {
    last = await step(referral, event, cause, NOW, found);
    referral = saved(referral, last);
  }
  return { referral, last: last! };
};

describe('a step of the referral decider', () => {
  it('given a new referral with a current assessment, when it starts, then it is matched and offered at once: offers made, announced, timed', async () => {
    const { first } = await started();
    expect(first.changed).toBe(true);
    expect(first.state).toBe('offering');
    expect(first.timeline.map((t) => [t.event, t.from, t.to])).toEqual([['ReferralRequested', null, 'matching'], ['MatchesFound', 'matching', 'offering']]);
    expect(kinds(first)).toEqual(expect.arrayContaining(['matchRun', 'offersMade', 'send ReferralOffered', 'schedule', 'send ReferralStateChanged']));
    expect(kinds(first).filter((k) => k === 'send ReferralOffered')).toHaveLength(3);
    const made = first.effects.find((e) => e.kind === 'offersMade') as Extract<ReferralEffect, { kind: 'offersMade' }>;
    expect(made.respondBy.getTime() - NOW.getTime()).toBe(ROUTINE_DEADLINES.offerMs);
    // No offer is rewritten: the only statuses are the ones just made.
    expect(kinds(first)).not.toContain('offerStatus');
  });

  it('given no provider, when it starts, then the run is kept and the referral is escalated, nothing offered', async () => {
    const { first } = await started(none);
    expect(first.state).toBe('escalated');
    expect(kinds(first)).toContain('send ReferralEscalated');
    expect(kinds(first)).not.toContain('offersMade');
  });

  it('given an offering referral, when a provider accepts, then the answer is stored with its timer cancelled and nothing else is rewritten', async () => {
    const { referral } = await started();
    const { last } = await then(referral, { type: 'OfferAccepted', offerId: 'offer-1' });
    expect(kinds(last)).toEqual(['offerAnswered', 'unschedule']);
    expect(last.effects[0]).toMatchObject({ kind: 'offerAnswered', answer: 'accepted', offer: { offerId: 'offer-1', status: 'accepted' } });
  });

  it('given an event that does not apply, then nothing changes and the timeline says why', async () => {
    const { referral } = await started();
    const { last } = await then(referral, { type: 'FollowUpRecorded', recordedBy: 'x' });
    expect(last.changed).toBe(false);
    expect(last.effects).toEqual([]);
    expect(last.timeline).toEqual([{ event: 'FollowUpRecorded', from: 'offering', to: 'offering', detail: 'not applicable in state offering' }]);
  });

  it('given a chosen provider whose hold is refused, then its offer becomes unavailable by the one write that changes it', async () => {
    const { referral } = await started();
    const chosen = await then(
      referral,
      { type: 'OfferAccepted', offerId: 'offer-1' },
      { type: 'OfferDeclined', offerId: 'offer-2', reasonCode: 'no-capacity' },
      { type: 'OfferDeclined', offerId: 'offer-3', reasonCode: 'no-capacity' },
      { type: 'ChoiceRecorded', offerId: 'offer-1', recordedBy: 'planner-1' },
    );
    expect(chosen.last.state).toBe('reserving');
    const { last } = await then(chosen.referral, { type: 'BedHoldRejected', institutionId: 'home-a', reasonCode: 'no-free-bed' });
    expect(last.effects.filter((e) => e.kind === 'offerStatus')).toEqual([{ kind: 'offerStatus', offerId: 'offer-1', status: 'unavailable' }]);
    expect(kinds(last)).toContain('send ProviderChoiceLapsed');
  });
});

describe('the effects of the referral machine', () => {
  it('refuses an action nobody carries out, and ignores only the machine\'s own bookkeeping', () => {
    const scope = { referralId: 'r1', now: NOW, origin: cause.origin, stage: 'offering' };
    expect(() => effectsOf(REFERRAL_EFFECTS, { type: 'sendFax' }, scope)).toThrow(/nobody carries out: sendFax/);
    expect(effectsOf(REFERRAL_EFFECTS, { type: 'xstate.raise' }, scope, (t) => t.startsWith('xstate.'))).toEqual([]);
  });

  it('writes an offer status only where it differs from what the table holds after this step', () => {
    const stored = offers.map((o, i) => (i === 0 ? { ...o, status: 'accepted' as const } : o));
    const now = stored.map((o, i) => (i === 0 ? { ...o, status: 'unavailable' as const } : i === 1 ? { ...o, status: 'declined' as const } : o));
    const answered: ReferralEffect = { kind: 'offerAnswered', offer: now[1]!, answer: 'declined', at: NOW, origin: cause.origin };
    expect(offerStatusChanges(stored, [answered], now)).toEqual([{ kind: 'offerStatus', offerId: 'offer-1', status: 'unavailable' }]);
  });
});
