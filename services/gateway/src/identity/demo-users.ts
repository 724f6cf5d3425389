import type { Role } from '@fbl/auth';
import type { Accounts } from './accounts.js';

/** A demo account of the embedded mode; its password is shown on the sign-in page. */
export interface DemoUser {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  institutionId?: string;
  divisionCode?: string;
}

/**
 * One demo account per role over the demo network: a discharge planner at a hospital, staff of a
 * care home, and an assessor, an insurance officer and an analyst for Heze, and an admin.
 */
export function demoUsers(scope: { hospitalId: string; careHomeId: string; division: string }): DemoUser[] {
  return [
    { username: 'planner', password: 'demo2026planner', displayName: '王医生（出院准备）', role: 'planner', institutionId: scope.hospitalId },
    { username: 'carehome', password: 'demo2026carehome', displayName: '李护士长（福寿康养中心）', role: 'provider', institutionId: scope.careHomeId },
    { username: 'assessor', password: 'demo2026assessor', displayName: '张评估员（民政）', role: 'assessor', divisionCode: scope.division },
    { username: 'insurer', password: 'demo2026insurer', displayName: '刘经办（医保）', role: 'insurer', divisionCode: scope.division },
    { username: 'analyst', password: 'demo2026analyst', displayName: '赵科长（卫健委）', role: 'analyst', divisionCode: scope.division },
    { username: 'admin', password: 'demo2026admin', displayName: '系统管理员', role: 'admin' },
  ];
}

/** Create the demo accounts that do not exist yet; returns how many were added. */
export async function seedUsers(accounts: Accounts, list: readonly DemoUser[]): Promise<number> {
  const existing = new Set((await accounts.list()).map((u) => u.username));
  let added = 0;
  for (const u of list) {
    if (existing.has(u.username)) continue;
    await accounts.create(u);
    added += 1;
  }
  return added;
}
