/**
 * Who uses the system (ARCHITECTURE §1) and what each role may see of a person's record.
 */
export const ROLES = ['planner', 'provider', 'assessor', 'insurer', 'analyst', 'admin'] as const;
/** 出院准备/转诊专员 planner, 机构工作人员 provider, 评估员 assessor, 医保经办 insurer, 卫健委分析员 analyst, admin. */
export type Role = (typeof ROLES)[number];

/** A signed-in user: who, in which role, scoped to which institution or division. */
export interface Principal {
  userId: string;
  role: Role;
  /** The hospital of a planner, the institution of provider staff. */
  institutionId?: string;
  /** The division an assessor, insurance officer or analyst works for (city or county code). */
  divisionCode?: string;
  /** The account's display name, as records of what a person did show it (never used to decide access). */
  name?: string;
}

/** How much of a person's identity a role sees. */
export type IdentityView = 'full' | 'masked' | 'none';

/**
 * Identity fields by role: assessors and insurance officers work with the person and see them
 * whole; planners and provider staff see the name and a masked ID; analysts see no identity.
 */
export function identityViewOf(role: Role): IdentityView {
  switch (role) {
    case 'assessor':
    case 'insurer':
    case 'admin':
      return 'full';
    case 'planner':
    case 'provider':
      return 'masked';
    case 'analyst':
      return 'none';
    default: {
      const unreachable: never = role;
      throw new Error(`unknown role ${String(unreachable)}`);
    }
  }
}

/**
 * The leading digits every code inside a division shares: a province code (`xx0000`) its two, a
 * city code (`xxxx00`) its four, a county the whole code.
 */
export function divisionPrefix(division: string): string {
  if (division.endsWith('0000')) return division.slice(0, 2);
  if (division.endsWith('00')) return division.slice(0, 4);
  return division;
}

/** Whether a division scope covers a division: the same code, or its city, or its province. */
export function divisionCovers(scope: string | undefined, divisionCode: string): boolean {
  return scope !== undefined && scope !== '' && divisionCode.startsWith(divisionPrefix(scope));
}
