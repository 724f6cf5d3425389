import { ReserveBed } from '@fbl/contracts';
import { on, type HandlerEntry } from '@fbl/messaging';
import type { CareBeds } from '../../application/care-beds.js';

/** Commands the care-beds service acts on. */
export function careBedsHandlers(careBeds: CareBeds): HandlerEntry[] {
  return [on(ReserveBed, (command, { tx, outbox }) => careBeds.reserveBed(command, tx, outbox))];
}
