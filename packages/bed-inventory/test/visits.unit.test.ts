import { describe, expect, it } from 'vitest';
import { catalogueFor, isItemFor } from '../src/domain/visit-catalogue.js';
import { decideVisit, type VisitState } from '../src/domain/visit-decider.js';
import { canCheckIn, checkPlan, dayBounds, expandSchedule, horizonOf, isLate, isMissed, localDay, minutesBetween, topUpAt, type PlanContent } from '../src/domain/visits.js';

const plan: PlanContent = { divisionCode: '370881', workerId: 'w1', startsOn: '2026-06-01', endsOn: '2026-06-30', graceMinutes: 15, slots: [{ purpose: 'service', weekdays: [1, 3], start: '08:30', windowMinutes: 120, items: ['bathing'] }] };
const at = (iso: string) => new Date(iso);

describe('schedule expansion', () => {
  it('lays out weekly slots in China time within the contract period', () => {
    // Monday 1 June 2026 00:00 China time is 31 May 16:00 UTC.
    const windows = expandSchedule(plan, dayBounds('2026-06-01').start, dayBounds('2026-06-07').end);
    expect(windows.map((w) => w.windowStart.toISOString())).toEqual(['2026-06-01T00:30:00.000Z', '2026-06-03T00:30:00.000Z']);
    expect(windows[0]!.windowEnd.toISOString()).toBe('2026-06-01T02:30:00.000Z');
    expect(windows[0]!.items).toEqual(['bathing']);
  });

  it('keeps a window that is open at `from` and stops at the contract end', () => {
    expect(expandSchedule(plan, at('2026-06-01T02:00:00Z'), at('2026-06-02T00:00:00Z'))).toHaveLength(1);
    expect(expandSchedule(plan, at('2026-06-01T02:30:00Z'), at('2026-06-02T00:00:00Z'))).toHaveLength(0);
    const all = expandSchedule(plan, at('2026-05-01T00:00:00Z'), at('2026-09-01T00:00:00Z'));
    // Mondays and Wednesdays of June 2026: 1,3,8,10,15,17,22,24,29 = 9.
    expect(all).toHaveLength(9);
    expect(localDay(all.at(-1)!.windowStart)).toBe('2026-06-29');
  });

  it('lays out a horizon of four weeks and tops up a week before it runs out, until the contract ends', () => {
    const now = at('2026-06-01T01:00:00Z');
    const long = { ...plan, endsOn: '2026-12-31' };
    const until = horizonOf(long, now);
    expect(until.toISOString()).toBe('2026-06-29T01:00:00.000Z');
    expect(topUpAt(long, until)?.toISOString()).toBe('2026-06-22T01:00:00.000Z');
    expect(horizonOf(plan, at('2026-06-20T00:00:00Z'))).toEqual(dayBounds('2026-06-30').end);
    expect(topUpAt(plan, dayBounds('2026-06-30').end)).toBeNull();
  });

  it('refuses items of the other home bed type, bad times and weekdays, and a 查床 on a home care bed', () => {
    expect(checkPlan(plan, 'home-care')).toEqual([]);
    const bad: PlanContent = { ...plan, endsOn: '2026-05-01', slots: [{ purpose: 'doctor-round', weekdays: [0, 8], start: '25:00', windowMinutes: 60, items: ['rounds'] }] };
    expect(checkPlan(bad, 'home-care').map((p) => p.field)).toEqual(['endsOn', 'slots.0.purpose', 'slots.0.weekdays', 'slots.0.start', 'slots.0.items.0']);
    expect(checkPlan({ ...bad, endsOn: '2026-06-30', slots: [{ ...bad.slots[0]!, weekdays: [1], start: '08:00' }] }, 'home-sick')).toEqual([]);
    expect(isItemFor('catheter-care', 'home-care')).toBe(false);
    expect(catalogueFor('home-sick').map((i) => i.code)).toContain('catheter-care');
  });
});

describe('visit rules', () => {
  const visit: VisitState = { id: 'v1', planId: 'p1', stayId: 's1', institutionId: 'i1', elderRef: 'e1', divisionCode: '370881', purpose: 'service', windowStart: at('2026-06-01T00:30:00Z'), windowEnd: at('2026-06-01T02:30:00Z'), workerId: 'w1', workerName: null, items: ['bathing'], status: 'scheduled', checkedInAt: null, graceMinutes: 15 };
  const ctx = (now: string) => ({ bedType: 'home-care' as const, now: at(now), newId: () => 'new' });

  it('is late only after the grace', () => {
    expect(isLate(visit.windowStart, at('2026-06-01T00:45:00Z'), 15)).toBe(false);
    expect(isLate(visit.windowStart, at('2026-06-01T00:45:01Z'), 15)).toBe(true);
  });

  it('opens check-in an hour early and closes it when the window ends', () => {
    expect(canCheckIn(visit, at('2026-05-31T23:29:00Z')).ok).toBe(false);
    expect(canCheckIn(visit, at('2026-05-31T23:30:00Z')).ok).toBe(true);
    expect(canCheckIn(visit, at('2026-06-01T02:30:00Z')).ok).toBe(false);
    expect(canCheckIn({ ...visit, status: 'completed' }, at('2026-06-01T01:00:00Z')).ok).toBe(false);
  });

  it('is missed once the window ended without a check-in, and the timer leaves other visits alone', () => {
    expect(isMissed(visit, at('2026-06-01T02:29:59Z'))).toBe(false);
    expect(isMissed(visit, at('2026-06-01T02:30:00Z'))).toBe(true);
    expect(decideVisit({ visit }, { type: 'FlagMissed', visitId: 'v1' }, ctx('2026-06-01T02:31:00Z'))).toMatchObject([{ type: 'VisitMissed' }]);
    expect(decideVisit({ visit: { ...visit, status: 'in-progress' } }, { type: 'FlagMissed', visitId: 'v1' }, ctx('2026-06-01T02:31:00Z'))).toEqual([]);
    expect(decideVisit({}, { type: 'FlagMissed', visitId: 'v1' }, ctx('2026-06-01T02:31:00Z'))).toEqual([]);
  });

  it('checks out with whole minutes, the code only when it matches, and a review only on a review visit', () => {
    const inside = { ...visit, status: 'in-progress' as const, checkedInAt: at('2026-06-01T00:50:00Z') };
    const by = { userId: 'w1' };
    const done = decideVisit({ visit: inside, code: '123456' }, { type: 'CheckOut', visitId: 'v1', items: [{ code: 'bathing', minutes: 40 }], confirmation: { method: 'code', code: '123456' }, by }, ctx('2026-06-01T01:35:59Z'));
    expect(done).toMatchObject([{ type: 'VisitCompleted', minutes: 45, late: true }]);
    expect(decideVisit({ visit: inside, code: '123456' }, { type: 'CheckOut', visitId: 'v1', items: [], confirmation: { method: 'code', code: '654321' }, by }, ctx('2026-06-01T01:30:00Z'))).toMatchObject({ refused: 'conflict' });
    expect(decideVisit({ visit: inside }, { type: 'CheckOut', visitId: 'v1', items: [], confirmation: { method: 'none' }, review: { condition: 'stable', decision: 'continue' }, by }, ctx('2026-06-01T01:30:00Z'))).toMatchObject({ refused: 'conflict' });
    expect(decideVisit({ visit }, { type: 'CheckOut', visitId: 'v1', items: [], confirmation: { method: 'none' }, by }, ctx('2026-06-01T01:30:00Z'))).toMatchObject({ refused: 'conflict' });
    expect(minutesBetween(at('2026-06-01T01:00:00Z'), at('2026-06-01T00:00:00Z'))).toBe(0);
  });
});
