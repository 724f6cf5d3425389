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
 * Demo accounts over the demo network, in the order a newcomer uses them: a discharge planner at
 * a hospital; staff of each kind of provider (the hospital's own ward, a care home, a home-care
 * provider, a community health centre, a hospice ward); an assessor, an insurance officer and an
 * analyst for Heze; an admin.
 */
export function demoUsers(scope: { hospitalId: string; careHomeId: string; homeCareId: string; healthCentreId: string; hospiceId: string; division: string }): DemoUser[] {
  return [
    { username: 'planner', password: 'demo2026planner', displayName: '王医生（出院准备）', role: 'planner', institutionId: scope.hospitalId },
    { username: 'ward', password: 'demo2026ward', displayName: '孙护士长（牡丹颐康医院病区）', role: 'provider', institutionId: scope.hospitalId },
    { username: 'carehome', password: 'demo2026carehome', displayName: '李护士长（福寿康养中心）', role: 'provider', institutionId: scope.careHomeId },
    { username: 'homecare', password: 'demo2026homecare', displayName: '周站长（邻里居家养老服务站）', role: 'provider', institutionId: scope.homeCareId },
    { username: 'worker', password: 'demo2026worker', displayName: '陈护理员（邻里居家养老服务站）', role: 'provider', institutionId: scope.homeCareId },
    { username: 'chc', password: 'demo2026chc', displayName: '吴医生（东城街道社区卫生服务中心）', role: 'provider', institutionId: scope.healthCentreId },
    { username: 'hospice', password: 'demo2026hospice', displayName: '郑护士长（安宁疗护病区）', role: 'provider', institutionId: scope.hospiceId },
    { username: 'assessor', password: 'demo2026assessor', displayName: '张评估员（民政）', role: 'assessor', divisionCode: scope.division },
    { username: 'insurer', password: 'demo2026insurer', displayName: '刘经办（医保）', role: 'insurer', divisionCode: scope.division },
    { username: 'analyst', password: 'demo2026analyst', displayName: '赵科长（卫健委）', role: 'analyst', divisionCode: scope.division },
    { username: 'admin', password: 'demo2026admin', displayName: '系统管理员', role: 'admin' },
  ];
}

/** Create the demo accounts that do not exist yet; returns how many were added. */
export async function seedUsers(accounts: Accounts, list: readonly DemoUser[]): Promise<number> {
  const existing = new Set((await accounts.list()).map((u) => u.username));
  const missing = list.filter((u) => !existing.has(u.username));
  // Two at a time: each password hash takes a core for about 50 ms (and 32 MiB while it runs).
  for (let i = 0; i < missing.length; i += 2) await Promise.all(missing.slice(i, i + 2).map((u) => accounts.create(u)));
  return missing.length;
}

/**
 * An empty deployment's first admin (user name `admin`) from configuration (GATEWAY_ADMIN_PASSWORD);
 * that admin adds the others. Nothing when any account exists. Whether it was made.
 */
export async function ensureFirstAdmin(accounts: Accounts, password: string): Promise<boolean> {
  if (await accounts.any()) return false;
  await accounts.create({ username: 'admin', displayName: '系统管理员', password, role: 'admin' });
  return true;
}
