import type { Actor, AuditEntry } from '@fbl/privacy';
import type { BedEvent } from '../domain/decider.js';

/** The `audit_log` action names of residents' and admissions' records (object type `admission`, the stay's id). */
export const STAY_AUDIT = {
  /** The residents' list of an institution: one row per stay shown. */
  list: 'admission.list',
  read: 'admission.read',
  admit: 'admission.admit',
  discharge: 'admission.discharge',
  transfer: 'admission.transfer',
  return: 'admission.return',
  review: 'admission.episode-review',
} as const;

export const STAY_OBJECT = 'admission';

/**
 * The audit rows of a decision's events that change a resident's record, written in the decision's
 * transaction: who (`actor`), which stay, what was recorded (`parts`, the fields of health text
 * written, never their values). Hold events carry no health data and are not audited here.
 */
export function stayAuditOf(events: readonly BedEvent[], actor: Actor): AuditEntry[] {
  return events.flatMap((e): AuditEntry[] => {
    const row = (action: string, stayId: string, detail: Record<string, unknown>): AuditEntry[] => [{ actor, action, objectType: STAY_OBJECT, objectId: stayId, outcome: 'allowed', detail }];
    switch (e.type) {
      case 'Admitted':
        return row(STAY_AUDIT.admit, e.stay.id, { elderRef: e.stay.elderRef, institutionId: e.stay.institutionId, parts: e.servicePlan ? ['servicePlan'] : [] });
      case 'StayEnded':
        return row(STAY_AUDIT.discharge, e.stay.id, { elderRef: e.stay.elderRef, institutionId: e.stay.institutionId, parts: ['dischargeReason'], ...(e.keptBedReleased ? { keptBedReleased: e.keptBedReleased } : {}) });
      case 'TransferRequested':
        return row(STAY_AUDIT.transfer, e.stay.id, { elderRef: e.stay.elderRef, institutionId: e.stay.institutionId, transferId: e.transferId, parts: ['transferReason'], bedKept: e.keptUntil !== null });
      case 'Returned':
        return row(STAY_AUDIT.return, e.stay.id, { elderRef: e.stay.elderRef, institutionId: e.stay.institutionId, parts: [] });
      case 'EpisodeRenewed':
        return row(STAY_AUDIT.review, e.stay.id, { elderRef: e.stay.elderRef, institutionId: e.stay.institutionId, reviewId: e.reviewId, parts: ['condition', 'decision'] });
      // Holds carry no health data; a kept bed is part of its transfer's row; a review falling due changes nothing.
      case 'HoldPlaced':
      case 'HoldConfirmed':
      case 'HoldRejected':
      case 'HoldExpired':
      case 'HoldReleased':
      case 'BedKept':
      case 'ReviewFlagged':
        return [];
    }
  });
}
