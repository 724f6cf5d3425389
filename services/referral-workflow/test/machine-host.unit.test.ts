import { describe, expect, it } from 'vitest';
import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import { machineFor, migrateSnapshot, restoreSnapshot, storeSnapshot, topState, type StoredSnapshot } from '../src/application/machine-host.js';
import { MACHINE_VERSION, referralMachine, type ReferralEvent, type ReferralInput } from '../src/domain/referral-machine.js';
import { ROUTINE_DEADLINES } from '../src/domain/types.js';

/*
 * The host's side of the machine: what is stored of a snapshot, how it is restored, and how a
 * snapshot stored by machine version 1 (requested → bedHeld → admitted | rejected) is moved onto
 * version 2 so that the referral carries on.
 */

type Snap = SnapshotFrom<typeof referralMachine>;

const discharge: ReferralInput = {
  referralId: 'r1',
  elderRef: 'elder-1',
  kind: 'discharge',
  urgency: 'routine',
  origin: { institutionId: 'hospital-1', bedType: 'medical', divisionCode: '370811', admissionId: 'stay-0' },
  requestedBedTypes: ['care'],
  widerBedTypes: ['home-care'],
  wantsLtci: true,
  facts: {},
  abilityCurrent: false,
  deadlines: ROUTINE_DEADLINES,
};

/** Through the database and back: JSON, as the jsonb column keeps it. */
const throughJson = (stored: StoredSnapshot): StoredSnapshot => JSON.parse(JSON.stringify(stored)) as StoredSnapshot;
const run = (snapshot: Snap, ...events: ReferralEvent[]) => {
  let actions: { type: string; params?: unknown }[] = [];
  for (const event of events) [snapshot, actions] = transition(referralMachine, snapshot, event);
  return { snapshot, actions: actions.map((a) => ({ type: a.type, params: a.params })) };
};
const same = (a: Snap, b: Snap) => expect(JSON.stringify({ v: a.value, c: a.context, s: a.status })).toBe(JSON.stringify({ v: b.value, c: b.context, s: b.status }));

describe('storing and restoring a snapshot', () => {
  it('keeps a snapshot inside the parallel eligibility state, which then answers events as the original does', () => {
    // given a referral waiting for both eligibility answers
    const [original] = initialTransition(referralMachine, discharge);
    const assessed = run(original, { type: 'AbilityAssessed', level: 3, assessedOn: '2025-03-01', dementiaDiagnosis: false }).snapshot;
    // when it is stored and restored
    const stored = throughJson(storeSnapshot(assessed));
    const restored = restoreSnapshot(MACHINE_VERSION, stored);
    // then the value is the parallel state's object, the context and status are kept
    expect(stored.value).toEqual({ eligibility: { ability: 'known', ltci: 'requested' } });
    expect(stored.status).toBe('active');
    expect(restored.value).toEqual(assessed.value);
    expect(restored.context).toEqual(assessed.context);
    expect(restored.status).toBe('active');
    // and the next event does to the restored snapshot what it does to the original
    const next: ReferralEvent = { type: 'LtciAuthorised', grade: 3 };
    const fromRestored = run(restored, next);
    const fromOriginal = run(assessed, next);
    same(fromRestored.snapshot, fromOriginal.snapshot);
    expect(fromRestored.actions).toEqual(fromOriginal.actions);
    expect(fromRestored.snapshot.value).toBe('matching');
    expect(fromRestored.actions.map((a) => a.type)).toEqual(['unschedule', 'findMatches']);
  });

  it('keeps a finished referral finished', () => {
    const [start] = initialTransition(referralMachine, { ...discharge, wantsLtci: false, abilityCurrent: true });
    const cancelled = run(start, { type: 'Cancel', reason: 'duplicate', recordedBy: 'planner' }).snapshot;
    const stored = throughJson(storeSnapshot(cancelled));
    expect(stored).toEqual({ value: 'cancelled', context: JSON.parse(JSON.stringify(cancelled.context)), status: 'done' });
    const restored = restoreSnapshot(MACHINE_VERSION, stored);
    expect(restored.value).toBe('cancelled');
    expect(restored.status).toBe('done');
    expect(restored.context.cancelReason).toBe('duplicate');
  });

  it('restores only on a machine version that exists', () => {
    expect(machineFor(MACHINE_VERSION)).toBe(referralMachine);
    expect(() => machineFor(1)).toThrow(/no referral machine of version 1/);
    expect(() => restoreSnapshot(1, { value: 'requested', context: {}, status: 'active' })).toThrow(/migrate/);
  });
});

describe('topState', () => {
  it.each([
    ['matching', 'matching'],
    [{ eligibility: { ability: 'requested', ltci: 'known' } }, 'eligibility'],
    [{}, 'unknown'],
  ] as const)('of %j is %s', (value, top) => {
    expect(topState(value)).toBe(top);
  });
});

describe('migrating a version-1 snapshot', () => {
  /** A version-1 context as the last version-1 machine stored it. */
  const v1 = (value: string, extra: Record<string, unknown> = {}): StoredSnapshot => ({
    value,
    context: { referralId: 'r-old', elderRef: 'elder-9', institutionId: 'care-home-3', bedType: 'care', requirements: { nursingType: true }, ...extra },
    status: value === 'admitted' || value === 'rejected' ? 'done' : 'active',
  });
  const migrated = (stored: StoredSnapshot) => {
    const moved = migrateSnapshot(1, stored, { offerId: 'offer-m' });
    expect(moved.version).toBe(MACHINE_VERSION);
    return restoreSnapshot(moved.version, throughJson(moved.stored));
  };

  it('leaves a version-2 snapshot alone and refuses unknown versions', () => {
    const stored: StoredSnapshot = { value: 'matching', context: { referralId: 'r1' }, status: 'active' };
    expect(migrateSnapshot(MACHINE_VERSION, stored, { offerId: 'x' })).toEqual({ version: MACHINE_VERSION, stored });
    expect(() => migrateSnapshot(7, stored, { offerId: 'x' })).toThrow(/no migration from referral machine version 7/);
  });

  it('requested becomes reserving with one accepted, chosen offer, and takes the bed when it is held', () => {
    const snapshot = migrated(v1('requested'));
    expect(snapshot.value).toBe('reserving');
    expect(snapshot.context.offers).toEqual([{ offerId: 'offer-m', institutionId: 'care-home-3', bedType: 'care', rank: 1, status: 'accepted' }]);
    expect(snapshot.context.chosenOfferId).toBe('offer-m');
    expect(snapshot.context.requirements).toEqual({ nursingType: true });
    const held = run(snapshot, { type: 'BedHeld', holdId: 'hold-1', unitId: 'unit-1', institutionId: 'care-home-3' });
    expect(held.snapshot.value).toBe('transferring');
    expect(held.snapshot.context.hold).toEqual({ holdId: 'hold-1', unitId: 'unit-1', institutionId: 'care-home-3', bedType: 'care' });
  });

  it('requested, then rejected by the provider, matches again without that provider', () => {
    const rejected = run(migrated(v1('requested')), { type: 'BedHoldRejected', institutionId: 'care-home-3', reasonCode: 'no-free-unit' });
    expect(rejected.snapshot.value).toBe('matching');
    expect(rejected.actions).toEqual([
      { type: 'announceChoiceLapsed', params: { offer: { offerId: 'offer-m', institutionId: 'care-home-3', bedType: 'care', rank: 1, status: 'accepted' }, elderRef: expect.any(String), reason: 'bed-lost' } },
      { type: 'findMatches', params: { widened: false, bedTypes: ['care'], excludeInstitutions: ['care-home-3'] } },
    ]);
  });

  it('bedHeld becomes transferring, and the admission on the migrated hold moves it to follow-up', () => {
    const snapshot = migrated(v1('bedHeld', { holdId: 'hold-7', unitId: 'unit-7' }));
    expect(snapshot.value).toBe('transferring');
    expect(snapshot.context.hold).toEqual({ holdId: 'hold-7', unitId: 'unit-7', institutionId: 'care-home-3', bedType: 'care' });
    // an admission on another hold is not this referral's
    const other = run(snapshot, { type: 'AdmissionRecorded', holdId: 'hold-8', admissionId: 'adm-8' });
    expect(other.snapshot.value).toBe('transferring');
    expect(other.actions).toEqual([]);
    const admitted = run(snapshot, { type: 'AdmissionRecorded', holdId: 'hold-7', admissionId: 'adm-7' });
    expect(admitted.snapshot.value).toBe('followUp');
    expect(admitted.snapshot.context.admissionId).toBe('adm-7');
    expect(admitted.actions).toEqual([{ type: 'schedule', params: { key: 'follow-up', afterMs: ROUTINE_DEADLINES.followUpMs, event: { type: 'FollowUpDeadline' } } }]);
  });

  it('bedHeld, when the hold expires, matches again', () => {
    const expired = run(migrated(v1('bedHeld', { holdId: 'hold-7', unitId: 'unit-7' })), { type: 'BedHoldExpired', holdId: 'hold-7' });
    expect(expired.snapshot.value).toBe('matching');
    expect(expired.snapshot.context.hold).toBeUndefined();
    expect(expired.snapshot.context.offers[0]?.status).toBe('unavailable');
  });

  it('admitted becomes follow-up, and the follow-up closes it on the migrated bed', () => {
    const snapshot = migrated(v1('admitted', { holdId: 'hold-7', unitId: 'unit-7' }));
    expect(snapshot.value).toBe('followUp');
    expect(snapshot.status).toBe('active');
    const closed = run(snapshot, { type: 'FollowUpRecorded', recordedBy: 'nurse' });
    expect(closed.snapshot.value).toBe('closed');
    expect(closed.actions).toEqual([
      { type: 'unschedule', params: { key: 'follow-up' } },
      { type: 'announceClosed', params: { institutionId: 'care-home-3', bedType: 'care', followUpLate: false } },
    ]);
  });

  // Version 1 never recorded the stay's id; the migration marks the admission so a cancel does
  // not release the bed the elder lies in.
  it('admitted, when cancelled, releases no bed: the elder is in it', () => {
    const cancelled = run(migrated(v1('admitted', { holdId: 'hold-7', unitId: 'unit-7' })), { type: 'Cancel', reason: 'death', recordedBy: 'nurse' });
    expect(cancelled.snapshot.value).toBe('cancelled');
    expect(cancelled.actions.filter((a) => a.type === 'releaseBed')).toEqual([]);
  });

  it('rejected becomes escalated, with the reason, and can be reopened to match without that provider', () => {
    const snapshot = migrated(v1('rejected', { rejection: 'no-free-unit' }));
    expect(snapshot.value).toBe('escalated');
    expect(snapshot.context.escalation).toBe('the bed could not be held (migrated from version 1)');
    const reopened = run(snapshot, { type: 'Reopen', recordedBy: 'commission' });
    expect(reopened.snapshot.value).toBe('matching');
    expect(reopened.actions).toEqual([{ type: 'findMatches', params: { widened: false, bedTypes: ['care'], excludeInstitutions: ['care-home-3'] } }]);
  });

  it('an unknown version-1 state becomes escalated', () => {
    expect(migrated(v1('somewhere')).value).toBe('escalated');
  });
});
