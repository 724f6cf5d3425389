import { Refusal } from '@fbl/contracts';
import { describe, expect, it } from 'vitest';
import { bear, type StartFacts } from '../src/application/referral-start.js';
import { GREEN_CHANNEL_DEADLINES, ROUTINE_DEADLINES } from '../src/domain/types.js';

/* Whether a referral may start, and what it is born as, without a database. */

const NOW = new Date('2026-03-02T08:00:00Z');
const deadlines = { routine: ROUTINE_DEADLINES, greenChannel: GREEN_CHANNEL_DEADLINES };
const origin = { institutionId: 'hospital-1', bedType: 'medical' as const, divisionCode: '371702' };
const facts = (over: Partial<StartFacts> = {}): StartFacts => ({ id: 'r1', now: NOW, stays: [], known: { facts: undefined, homeDivisionCode: undefined }, ...over });
const careHomeStay = { admissionId: 'a1', institutionId: 'home-9', bedType: 'care' as const };

describe('a referral as it is born', () => {
  it('refuses a referral into another bed while the elder is in one elsewhere, naming confirmMove', () => {
    const refused = (() => {
      try {
        bear(facts({ stays: [careHomeStay] }), { elderRef: 'e1', urgency: 'routine', origin, requestedBedTypes: ['hospice'] }, deadlines);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(Refusal);
    expect(refused).toMatchObject({ kind: 'conflict', code: 'elder-in-bed', fields: [{ field: 'confirmMove' }] });
  });

  it('starts it as a move when the referring side confirms, and never asks for an urgent transfer or a stay at the origin', () => {
    const moved = bear(facts({ stays: [careHomeStay] }), { elderRef: 'e1', urgency: 'routine', origin, requestedBedTypes: ['hospice'], confirmMove: true }, deadlines);
    expect(moved.movesFrom).toEqual([careHomeStay]);
    const urgent = bear(facts({ stays: [careHomeStay] }), { elderRef: 'e1', kind: 'urgent-transfer', urgency: 'green-channel', origin, requestedBedTypes: ['medical'] }, deadlines);
    expect(urgent.movesFrom).toEqual([]);
    const atOrigin = bear(facts({ stays: [{ ...careHomeStay, institutionId: 'hospital-1' }] }), { elderRef: 'e1', urgency: 'routine', origin, requestedBedTypes: ['care'] }, deadlines);
    expect(atOrigin.movesFrom).toEqual([]);
  });

  it('merges what the workflow knows of the elder with the planner’s facts, the planner’s winning, and keeps the packet’s eligibility', () => {
    const born = bear(
      facts({ known: { facts: { abilityLevel: 2, abilityAssessedOn: '2026-01-10' }, homeDivisionCode: '371702' } }),
      { elderRef: 'e1', urgency: 'routine', origin, requestedBedTypes: ['care'], facts: { abilityLevel: 3 }, packet: { eligibility: { dementiaDiagnosis: true } } },
      deadlines,
    );
    expect(born.machineInput.facts).toMatchObject({ homeDivisionCode: '371702', abilityLevel: 3, abilityAssessedOn: '2026-01-10', dementiaDiagnosis: true });
    expect(born.machineInput.abilityCurrent).toBe(true);
    expect(born.packet?.eligibility).toMatchObject({ dementiaDiagnosis: true });
    expect(born.first[0].value).toBeDefined();
  });

  it('counts an assessment older than six months as not current, and gives a green channel its own deadlines', () => {
    const stale = bear(facts({ known: { facts: { abilityLevel: 2, abilityAssessedOn: '2025-06-01' }, homeDivisionCode: undefined } }), { elderRef: 'e1', urgency: 'green-channel', origin, requestedBedTypes: ['care'] }, deadlines);
    expect(stale.machineInput.abilityCurrent).toBe(false);
    expect(stale.machineInput.deadlines).toBe(GREEN_CHANNEL_DEADLINES);
  });
});
