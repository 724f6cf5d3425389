import { divisionCovers, type Principal } from '@fbl/auth';

/**
 * Whether a principal may see an elder of this division at all, by role and division: planners
 * every elder (masked), assessors, insurance officers and analysts those of their division.
 * Provider staff see no elder by division; only the elders their institution was chosen for
 * (see {@link Elders}).
 */
export function maySee(who: Principal, divisionCode: string): boolean {
  switch (who.role) {
    case 'admin':
    case 'planner':
      return true;
    case 'provider':
      return false;
    case 'assessor':
    case 'insurer':
    case 'analyst':
      return divisionCovers(who.divisionCode, divisionCode);
    default: {
      const unreachable: never = who.role;
      throw new Error(`unknown role ${String(unreachable)}`);
    }
  }
}
