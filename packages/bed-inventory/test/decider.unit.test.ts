import { describe, expect, it } from 'vitest';
import { decide, type BedCommand, type BedEvent, type BedState, type HoldState, type StayState, type UnitState } from '../src/domain/decider.js';
import { BED_POLICIES } from '../src/domain/policies.js';

/*
 * The bed decider without a database: given what is known of a hold, unit or stay, when a
 * command comes, then these events (or this refusal).
 */

const care = BED_POLICIES.care;
const homeSick = BED_POLICIES['home-sick'];
const NOW = new Date('2026-03-02T08:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;
let ids = 0;
const context = (policy = care, now = NOW) => ({ policy, now, newId: () => `id-${++ids}` });
const institution = { id: 'home-1', divisionCode: '371702' };
const unit: UnitState = { id: 'unit-1', kind: 'bed', attributes: { nursingType: true }, status: 'free' };
const hold: HoldState = { id: 'hold-1', referralId: 'ref-1', elderRef: 'elder-1', institutionId: 'home-1', unitId: 'unit-1', status: 'active', expiresAt: new Date(NOW.getTime() + 10 * HOUR) };
const stay: StayState = { id: 'stay-1', holdId: 'hold-1', referralId: 'ref-1', elderRef: 'elder-1', institutionId: 'home-1', unitId: 'unit-1', status: 'in-care', keptUntil: null, reviewDueAt: null };
const reserve: BedCommand = { type: 'Reserve', referralId: 'ref-1', institutionId: 'home-1', elderRef: 'elder-1', bedType: 'care', requirements: { nursingType: true } };

const given = (state: BedState, policy = care, now = NOW) => ({ when: (command: BedCommand) => decide(state, command, context(policy, now)) });
const types = (outcome: BedEvent[] | unknown) => (outcome as BedEvent[]).map((e) => e.type);

describe('holds', () => {
  it('given a free matching unit, when a referral asks, then it is held until the policy\'s hold hours have passed', () => {
    const [placed] = given({ institution, candidate: unit }).when(reserve) as BedEvent[];
    expect(placed).toMatchObject({ type: 'HoldPlaced', unit, hold: { referralId: 'ref-1', unitId: 'unit-1', status: 'active' } });
    expect((placed as Extract<BedEvent, { type: 'HoldPlaced' }>).hold.expiresAt.getTime() - NOW.getTime()).toBe(care.holdHours * HOUR);
  });

  it('given the referral already holds a unit here, when it asks again, then it gets the same hold and nothing new', () => {
    expect(given({ institution, hold, unit: { ...unit, status: 'held' } }).when(reserve)).toEqual([{ type: 'HoldConfirmed', hold, unit: { ...unit, status: 'held' } }]);
  });

  it('rejects with a reason code: unknown institution, another bed type, a hold elsewhere, no matching unit, no free unit', () => {
    const reason = (state: BedState, command: BedCommand = reserve) => (given(state).when(command) as Extract<BedEvent, { type: 'HoldRejected' }>[])[0]!.reasonCode;
    expect(reason({})).toBe('unknown-institution');
    expect(reason({ institution }, { ...reserve, bedType: 'hospice' })).toBe('other');
    expect(reason({ institution, hold: { ...hold, institutionId: 'home-2' } })).toBe('other');
    expect(reason({ institution, anyFree: true })).toBe('no-matching-unit');
    expect(reason({ institution, anyFree: false })).toBe('no-free-bed');
  });

  it('expires a hold only when it is still active and its time has come', () => {
    const expire: BedCommand = { type: 'ExpireHold', holdId: 'hold-1', institutionId: 'home-1' };
    expect(types(given({ institution, hold }, care, new Date(hold.expiresAt.getTime() + 1)).when(expire))).toEqual(['HoldExpired']);
    expect(given({ institution, hold }).when(expire)).toEqual([]);
    expect(given({ institution, hold: { ...hold, status: 'admitted' } }, care, new Date(hold.expiresAt.getTime() + 1)).when(expire)).toEqual([]);
  });

  it('releases the referral\'s hold at the named institution only', () => {
    const release: BedCommand = { type: 'Release', referralId: 'ref-1', institutionId: 'home-1', reason: 'cancelled' };
    expect(given({ institution, hold }).when(release)).toEqual([{ type: 'HoldReleased', hold, reason: 'cancelled' }]);
    expect(given({ institution, hold }).when({ ...release, institutionId: 'home-2' })).toEqual([]);
    expect(given({ institution }).when(release)).toEqual([]);
  });
});

describe('stays', () => {
  it('given an active hold, when staff record the arrival, then a stay begins on the held unit', () => {
    const [admitted] = given({ institution, hold }).when({ type: 'Admit', holdId: 'hold-1' }) as Extract<BedEvent, { type: 'Admitted' }>[];
    expect(admitted!.stay).toMatchObject({ holdId: 'hold-1', unitId: 'unit-1', status: 'in-care', reviewDueAt: null });
  });

  it('opens a home sick bed as an episode with its review date', () => {
    const [admitted] = given({ institution, hold }, homeSick).when({ type: 'Admit', holdId: 'hold-1' }) as Extract<BedEvent, { type: 'Admitted' }>[];
    expect(admitted!.stay.reviewDueAt!.getTime() - NOW.getTime()).toBe(homeSick.episodes!.reviewDays * DAY);
  });

  it('refuses an arrival on an expired, released or used hold, and one on no hold at all', () => {
    expect(given({ institution, hold: { ...hold, expiresAt: new Date(NOW.getTime() - 1) } }).when({ type: 'Admit', holdId: 'hold-1' })).toEqual({ refused: 'conflict', reason: 'the hold has expired' });
    expect(given({ institution, hold: { ...hold, status: 'admitted' } }).when({ type: 'Admit', holdId: 'hold-1' })).toMatchObject({ refused: 'conflict' });
    expect(given({}).when({ type: 'Admit', holdId: 'hold-9' })).toEqual({ refused: 'not-found', reason: 'hold hold-9' });
  });

  it('given a resident in care, when staff start an urgent transfer where beds are kept, then the bed is kept for the policy\'s days', () => {
    const events = given({ institution, stay }).when({ type: 'TransferOut', stayId: 'stay-1', reason: '突发胸痛' }) as BedEvent[];
    expect(types(events)).toEqual(['TransferRequested', 'BedKept']);
    const kept = events[1] as Extract<BedEvent, { type: 'BedKept' }>;
    expect(kept.keptUntil.getTime() - NOW.getTime()).toBe(care.keptBed!.days * DAY);
    expect((events[0] as Extract<BedEvent, { type: 'TransferRequested' }>).divisionCode).toBe('371702');
  });

  it('ends the stay as a transfer where no bed is kept', () => {
    const events = given({ institution, stay }, homeSick).when({ type: 'TransferOut', stayId: 'stay-1', reason: '病情加重' }) as BedEvent[];
    expect(types(events)).toEqual(['TransferRequested', 'StayEnded']);
    expect(events[1]).toMatchObject({ reason: 'transferred', destination: 'medical' });
  });

  it('given a kept bed, the resident may come back before its time, and the bed is released when its time has come', () => {
    const away: StayState = { ...stay, status: 'away', keptUntil: new Date(NOW.getTime() + DAY) };
    expect(given({ institution, stay: away }).when({ type: 'Return', stayId: 'stay-1' })).toEqual([{ type: 'Returned', stay: away }]);
    expect(given({ institution, stay: away }).when({ type: 'ExpireKeptBed', stayId: 'stay-1' })).toEqual([]);
    const later = new Date(NOW.getTime() + 2 * DAY);
    expect(given({ institution, stay: away }, care, later).when({ type: 'Return', stayId: 'stay-1' })).toMatchObject({ refused: 'conflict' });
    expect(given({ institution, stay: away }, care, later).when({ type: 'ExpireKeptBed', stayId: 'stay-1' })).toEqual([{ type: 'StayEnded', stay: away, reason: 'transferred', destination: 'medical', keptBedReleased: 'expired' }]);
  });

  it('discharges a stay once, releasing its kept bed with it', () => {
    const away: StayState = { ...stay, status: 'away', keptUntil: new Date(NOW.getTime() + DAY) };
    expect(given({ institution, stay: away }).when({ type: 'Discharge', stayId: 'stay-1', reason: 'family-request' })).toEqual([{ type: 'StayEnded', stay: away, reason: 'family-request', keptBedReleased: 'discharged', correlationId: 'ref-1' }]);
    expect(given({ institution, stay: { ...stay, status: 'discharged' } }).when({ type: 'Discharge', stayId: 'stay-1', reason: 'recovered' })).toEqual({ refused: 'conflict', reason: 'the stay has already ended' });
  });
});

describe('home sick bed episodes', () => {
  const episode: StayState = { ...stay, reviewDueAt: new Date(NOW.getTime() - HOUR) };
  const review = { condition: 'improved', decision: 'continue' };

  it('renews an episode with a new review date, and refuses where stays are not episodes or the episode ended', () => {
    const [renewed] = given({ institution, stay: episode }, homeSick).when({ type: 'RenewEpisode', stayId: 'stay-1', review, by: { userId: 'doctor-1' } }) as Extract<BedEvent, { type: 'EpisodeRenewed' }>[];
    expect(renewed!.reviewDueAt.getTime() - NOW.getTime()).toBe(homeSick.episodes!.reviewDays * DAY);
    expect(given({ institution, stay: episode }, care).when({ type: 'RenewEpisode', stayId: 'stay-1', review, by: { userId: 'x' } })).toMatchObject({ refused: 'conflict' });
    expect(given({ institution, stay: { ...episode, status: 'discharged' } }, homeSick).when({ type: 'RenewEpisode', stayId: 'stay-1', review, by: { userId: 'x' } })).toEqual({ refused: 'conflict', reason: 'the episode has ended' });
  });

  it('flags a review that is due, and stays silent for one renewed or closed meanwhile', () => {
    const flag: BedCommand = { type: 'FlagReview', stayId: 'stay-1', institutionId: 'home-1' };
    expect(types(given({ institution, stay: episode }, homeSick).when(flag))).toEqual(['ReviewFlagged']);
    expect(given({ institution, stay: { ...episode, reviewDueAt: new Date(NOW.getTime() + DAY) } }, homeSick).when(flag)).toEqual([]);
    expect(given({ institution, stay: { ...episode, status: 'discharged' } }, homeSick).when(flag)).toEqual([]);
  });
});
