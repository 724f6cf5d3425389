import type { CareMode, HospitalLevel, LtciGrade } from '@fbl/scales';
import type { ApplicationRow } from '../adapters/db/application-store.js';
import { referenceOf } from '../domain/reference.js';
import { APPLICATION_STATUSES, END_REASONS, REFUSAL_GROUNDS, type ApplicationState, type ApplicationStatus, type EndReason, type PastApplication, type RefusalGround } from '../domain/application.js';

function member<T extends string>(values: readonly T[], value: string, what: string): T {
  if (!(values as readonly string[]).includes(value)) throw new Error(`stored ${what} ${value} is not known`);
  return value as T;
}

function optionalMember<T extends string>(values: readonly T[], value: string | null, what: string): T | null {
  return value === null ? null : member(values, value, what);
}

/** The domain state held in a row. */
export function stateOf(row: ApplicationRow): ApplicationState {
  return {
    status: member<ApplicationStatus>(APPLICATION_STATUSES, row.status, 'status'),
    grade: row.grade as LtciGrade | null,
    refusalGround: optionalMember<RefusalGround>(REFUSAL_GROUNDS, row.refusalGround, 'refusal ground'),
    decidedAt: row.decidedAt,
    reapplyFrom: row.reapplyFrom,
    noticeEndsAt: row.noticeEndsAt,
    objectionReason: row.objectionReason,
    effectiveAt: row.effectiveAt,
    effectiveFrom: row.effectiveFrom,
    careChoice:
      row.careMode !== null && row.providerInstitutionId !== null
        ? { careMode: row.careMode as CareMode, providerInstitutionId: row.providerInstitutionId, hospitalLevel: row.hospitalLevel as HospitalLevel | null }
        : null,
    benefitsFrom: row.benefitsFrom,
    reassessmentDueAt: row.reassessmentDueAt,
    endReason: optionalMember<EndReason>(END_REASONS, row.endReason, 'end reason'),
    endedAt: row.endedAt,
    endedOn: row.endedOn,
  };
}

/** A stored application as an earlier one of the same elder. */
export function pastOf(row: ApplicationRow): PastApplication {
  return { id: row.id, status: member<ApplicationStatus>(APPLICATION_STATUSES, row.status, 'status'), reapplyFrom: row.reapplyFrom };
}

/** The columns that hold a domain state. */
export function columnsOf(state: ApplicationState) {
  return {
    status: state.status,
    grade: state.grade,
    refusalGround: state.refusalGround,
    decidedAt: state.decidedAt,
    reapplyFrom: state.reapplyFrom,
    noticeEndsAt: state.noticeEndsAt,
    objectionReason: state.objectionReason,
    effectiveAt: state.effectiveAt,
    effectiveFrom: state.effectiveFrom,
    careMode: state.careChoice?.careMode ?? null,
    providerInstitutionId: state.careChoice?.providerInstitutionId ?? null,
    hospitalLevel: state.careChoice?.hospitalLevel ?? null,
    benefitsFrom: state.benefitsFrom,
    reassessmentDueAt: state.reassessmentDueAt,
    endReason: state.endReason,
    endedAt: state.endedAt,
    endedOn: state.endedOn,
  } satisfies Partial<ApplicationRow>;
}

/** What an insurance officer sees of an application. */
export function presentApplication(row: ApplicationRow) {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id,
    reference: referenceOf(row.number, row.appliedAt),
    elderRef: row.elderRef,
    divisionCode: row.divisionCode,
    status: row.status,
    source: row.source,
    referralIds: row.referralIds,
    appliedAt: row.appliedAt.toISOString(),
    appliedBy: row.appliedBy,
    grade: row.grade,
    refusalGround: row.refusalGround,
    reapplyFrom: row.reapplyFrom,
    noticeEndsAt: iso(row.noticeEndsAt),
    objectionReason: row.objectionReason,
    effectiveFrom: row.effectiveFrom,
    careMode: row.careMode,
    providerInstitutionId: row.providerInstitutionId,
    hospitalLevel: row.hospitalLevel,
    benefitsFrom: row.benefitsFrom,
    reassessmentDueAt: iso(row.reassessmentDueAt),
    endReason: row.endReason,
    endedAt: iso(row.endedAt),
    endedOn: row.endedOn,
    updatedAt: row.updatedAt.toISOString(),
  };
}
