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
