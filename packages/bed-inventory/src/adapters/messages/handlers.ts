import { ExtendVisitSchedule, FlagVisitMissed, ExpireHold, ExpireKeptBed, FlagEpisodeReview, ReleaseBed, ReserveBed } from '@fbl/contracts';
import { on, type HandlerEntry } from '@fbl/messaging';
import type { BedInventory } from '../../application/inventory.js';
import type { HomeVisits } from '../../application/visits.js';

/** Commands a bed service acts on: from the workflow, and from its own timers. */
export function bedHandlers(inventory: BedInventory, visits?: HomeVisits): HandlerEntry[] {
  return [
    on(ReserveBed, (m, { tx, outbox }) => inventory.reserve(m, tx, outbox)),
    on(ReleaseBed, (m, { tx, outbox }) => inventory.release(m, tx, outbox)),
    on(ExpireHold, (m, { tx, outbox }) => inventory.expireHold(m, tx, outbox)),
    on(ExpireKeptBed, (m, { tx, outbox }) => inventory.expireKeptBed(m, tx, outbox)),
    on(FlagEpisodeReview, (m, { tx, outbox }) => inventory.flagReview(m, tx, outbox)),
    ...(visits ? [on(FlagVisitMissed, (m, { tx, outbox }) => visits.flagMissed(m, tx, outbox)), on(ExtendVisitSchedule, (m, { tx, outbox }) => visits.extendSchedule(m, tx, outbox))] : []),
  ];
}
