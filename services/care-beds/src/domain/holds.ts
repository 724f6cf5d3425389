/** Hold rules of care beds (养老床位). Pure: time comes in as an argument. */

/** How long a bed is held for a referral unless the command says otherwise (hours). */
export const DEFAULT_HOLD_HOURS = 48;

/** When a hold made at `now` for `hours` expires. */
export function holdExpiry(now: Date, hours: number = DEFAULT_HOLD_HOURS): Date {
  return new Date(now.getTime() + hours * 3600_000);
}

/** The states a hold can be in. */
export type HoldStatus = 'active' | 'admitted' | 'expired' | 'released';

/** Whether an admission can be recorded against a hold, and why not. */
export function canAdmit(hold: { status: HoldStatus; expiresAt: Date }, now: Date): { ok: true } | { ok: false; reason: string } {
  switch (hold.status) {
    case 'active':
      return hold.expiresAt.getTime() >= now.getTime() ? { ok: true } : { ok: false, reason: 'the hold has expired' };
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
