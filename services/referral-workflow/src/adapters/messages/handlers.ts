import { AdmissionRecorded, BedHeld, BedHoldRejected } from '@fbl/contracts';
import { on, type HandlerEntry } from '@fbl/messaging';
import type { Referrals } from '../../application/referrals.js';

/** Events from the bed services that move referrals. */
export function referralHandlers(referrals: Referrals): HandlerEntry[] {
  return [
    on(BedHeld, (e, { tx, outbox }) => referrals.apply(e.data.referralId, { type: 'BedHeld', holdId: e.data.holdId, unitId: e.data.unitId }, e, tx, outbox)),
    on(BedHoldRejected, (e, { tx, outbox }) =>
      referrals.apply(e.data.referralId, { type: 'BedHoldRejected', reasonCode: e.data.reasonCode, ...(e.data.detail ? { detail: e.data.detail } : {}) }, e, tx, outbox),
    ),
    on(AdmissionRecorded, (e, { tx, outbox }) => referrals.apply(e.data.referralId, { type: 'AdmissionRecorded', holdId: e.data.holdId }, e, tx, outbox)),
  ];
}
