/**
 * The rules of holds, stays and kept beds, shared by every bed type. Pure: time comes in.
 */

export type HoldStatus = 'active' | 'admitted' | 'expired' | 'released';
export type StayStatus = 'in-care' | 'away' | 'discharged';
export type UnitStatus = 'free' | 'held' | 'occupied' | 'kept' | 'closed';

/** A refusal a person can read. */
export type Decision = { ok: true } | { ok: false; reason: string };

const DAY = 24 * 3600_000;

/** When something started at `from` ends after `hours` hours. */
export function addHours(from: Date, hours: number): Date {
  return new Date(from.getTime() + hours * 3600_000);
}

/** When something started at `from` ends after `days` days. */
export function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY);
}

/** Whether an admission can be recorded against a hold. */
export function canAdmit(hold: { status: HoldStatus; expiresAt: Date }, now: Date): Decision {
  switch (hold.status) {
    case 'active':
      return hold.expiresAt.getTime() > now.getTime() ? { ok: true } : { ok: false, reason: 'the hold has expired' };
    case 'admitted':
      return { ok: false, reason: 'the elder has already been admitted on this hold' };
    case 'expired':
      return { ok: false, reason: 'the hold has expired' };
    case 'released':
      return { ok: false, reason: 'the hold was released' };
    default: {
      const unreachable: never = hold.status;
      throw new Error(`unknown hold status ${String(unreachable)}`);
    }
  }
}

/** Whether a hold's expiry should take effect now (it may have been converted meanwhile). */
export function shouldExpire(hold: { status: HoldStatus; expiresAt: Date }, now: Date): boolean {
  return hold.status === 'active' && hold.expiresAt.getTime() <= now.getTime();
}

/** Whether a stay can end by discharge. */
export function canDischarge(stay: { status: StayStatus }): Decision {
  return stay.status === 'discharged' ? { ok: false, reason: 'the stay has already ended' } : { ok: true };
}

/** Whether a resident can leave for hospital with an urgent transfer. */
export function canTransferOut(stay: { status: StayStatus }): Decision {
  switch (stay.status) {
    case 'in-care':
      return { ok: true };
    case 'away':
      return { ok: false, reason: 'the resident is already away in hospital' };
    case 'discharged':
      return { ok: false, reason: 'the stay has ended' };
    default: {
      const unreachable: never = stay.status;
      throw new Error(`unknown stay status ${String(unreachable)}`);
    }
  }
}

/** Whether a resident can come back to a kept bed. */
export function canReturn(stay: { status: StayStatus; keptUntil: Date | null }, now: Date): Decision {
  if (stay.status !== 'away' || !stay.keptUntil) return { ok: false, reason: 'no bed is kept for this resident' };
  if (stay.keptUntil.getTime() < now.getTime()) return { ok: false, reason: 'the kept bed was released when its time ran out' };
  return { ok: true };
}

/** Whether a kept bed's time is up now. */
export function keptBedRunsOut(stay: { status: StayStatus; keptUntil: Date | null }, now: Date): boolean {
  return stay.status === 'away' && stay.keptUntil !== null && stay.keptUntil.getTime() <= now.getTime();
}

/** Whether a unit can be taken out of service or put back. */
export function canSetInService(unit: { status: UnitStatus }, inService: boolean): Decision {
  if (inService) return unit.status === 'closed' ? { ok: true } : { ok: false, reason: 'the unit is already in service' };
  return unit.status === 'free' ? { ok: true } : { ok: false, reason: `only a free unit can be taken out of service; this one is ${unit.status}` };
}
