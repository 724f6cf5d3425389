import { testCreditCode } from '@fbl/testing/credit-code';

/**
 * Request bodies the system tests and the benchmark send. Free of vitest, so `pnpm bench` can
 * load them outside a test run.
 */

/** A made-up unified social credit code with a valid check character. */
export const creditCode = testCreditCode;

/** A care home registration with `beds` nursing-type beds. */
export function careHome(name: string, beds: number, divisionCode = '371702') {
  return { name, creditCode: creditCode(divisionCode), divisionCode, kind: 'care-home', ownership: 'private', capabilities: ['nursingType'], units: [{ kind: 'bed', count: beds, attributes: { nursingType: true } }] };
}

/** A hospital registration with `beds` beds. */
export function hospital(name: string, beds: number, divisionCode = '371702') {
  return { name, creditCode: creditCode(divisionCode), divisionCode, kind: 'hospital', ownership: 'public', units: [{ kind: 'bed', count: beds, attributes: { department: '老年医学科' } }] };
}

/** A discharge referral from a hospital toward care beds, with a current assessment. */
export function dischargeRequest(originId: string, extra: object = {}) {
  return {
    elderRef: `elder-${Math.random().toString(36).slice(2, 8)}`,
    origin: { institutionId: originId, divisionCode: '371702' },
    requestedBedTypes: ['care'],
    requirements: { nursingType: true },
    facts: { abilityLevel: 3, abilityAssessedOn: new Date().toISOString().slice(0, 10) },
    ...extra,
  };
}

/** Answers to the 26 items of GB/T 42195-2022 (an elder of moderate ability). */
export const ABILITY_ANSWERS: Readonly<Record<string, number>> = {
  eating: 1, grooming: 1, bathing: 1, dressingUpper: 1, dressingLower: 1, urineControl: 1, bowelControl: 1, toileting: 1,
  bedPositioning: 1, bedChairTransfer: 1, walkingFlat: 1, stairs: 0,
  orientationTime: 1, orientationPlace: 1, orientationPerson: 1, memory: 1, understanding: 1, expression: 1, aggression: 1, depressiveSymptoms: 1, consciousness: 2,
  vision: 1, hearing: 1, dailyAffairs: 1, goingOut: 0, socialInteraction: 1,
};
