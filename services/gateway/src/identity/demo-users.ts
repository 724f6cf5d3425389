import type { Role } from '@fbl/auth';
import type { Accounts } from './accounts.js';

/** A demo account of the embedded mode; its password is shown on the sign-in page. */
export interface DemoUser {
  username: string;
  password: string;
  /** The password's scrypt hash, made once beforehand (see DEMO_PASSWORD_HASHES). */
  passwordHash: string;
  displayName: string;
  role: Role;
  institutionId?: string;
  divisionCode?: string;
}

/**
 * The demo passwords' scrypt hashes at the cost of every account (`hashPassword`), made once: the
 * passwords are public (the sign-in page shows them), so a hash made beforehand gives away
 * nothing, and a start with demo data does not spend a core-second hashing them. A test checks
 * each against its password; a changed password needs its hash made again with `hashPassword`.
 */
const DEMO_PASSWORD_HASHES: Record<string, string> = {
  planner: 'scrypt$32768$8$1$EPSXPsleaCImEr4uDCiEOQ$1O-JXKrl5vvgMQ-kvPMITgqbHBEtUroMdwPU43txZVg',
  ward: 'scrypt$32768$8$1$X-hzu_eKshUGz843j_6Y0Q$pENB1SWpj8PJfKUgIQtePwFBBDX7z2jBCqUPdXehHhs',
  carehome: 'scrypt$32768$8$1$OW7nXCp5mH8SVkpbWd0lUg$Bkj-Urn3UEfbLQpawetdCKWIc8nFIsI44o8wg28xsAw',
  homecare: 'scrypt$32768$8$1$lVdV6CfwpgZ2HBQY3J2-EQ$QkdPr4RfVnOc8HhOIN1WW21Z7Bt1nIrqdqLZCGDyAXQ',
  worker: 'scrypt$32768$8$1$vJIxO4n8bw2La2WxOGawmw$ngAz9ltRT01Qk7TuV9cVNfLvn-5F7-txchjBTTfr1Cw',
  chc: 'scrypt$32768$8$1$EM2Lf64BccT6y972e_-3aA$vEV3TSz1M69xMV8W7nKP12LmHtRLUG2skOcThC37n1I',
  hospice: 'scrypt$32768$8$1$MqfGMrxS5MZetGQ8xeeCZg$0PXz-xoTzYxzCsEP3d5L1m1vmWbKuoRm1Zo8duAbUrc',
  assessor: 'scrypt$32768$8$1$G2gsL8qtPn92F78niYKx_w$yuFXQQiOVB3rHjqlDlNUbFy5846DRJSiksEj4xnbaZM',
  insurer: 'scrypt$32768$8$1$hD1Qyo5FzIdRXBeybsccHw$EmJwPNt8e7FPByStj8Cx6Yi2WsimY8-CBNRRJOt7iRc',
  analyst: 'scrypt$32768$8$1$I4YhisE3QAC6Pat3vLFtCw$Sf2mVc5X-X4WbG9nbJK0njAiOBOyvy2y8XHWplFNUQw',
  admin: 'scrypt$32768$8$1$Y5FMfb1TGH4yMj_OkL8qxw$0nzSrL0CZaM3EN9vh6w14LDAWssyuQmefBvlGNI7ljI',
};

/**
 * Demo accounts over the demo network, in the order a newcomer uses them: a discharge planner at
 * a hospital; staff of each kind of provider (the hospital's own ward, a care home, a home-care
 * provider, a community health centre, a hospice ward); an assessor, an insurance officer and an
 * analyst for Heze; an admin.
 */
export function demoUsers(scope: { hospitalId: string; careHomeId: string; homeCareId: string; healthCentreId: string; hospiceId: string; division: string }): DemoUser[] {
  const users: Omit<DemoUser, 'passwordHash'>[] = [
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
  return users.map((u) => ({ ...u, passwordHash: DEMO_PASSWORD_HASHES[u.username]! }));
}

/** Create the demo accounts that do not exist yet; returns how many were added. */
export async function seedUsers(accounts: Accounts, list: readonly DemoUser[]): Promise<number> {
  const existing = new Set((await accounts.list()).map((u) => u.username));
  const missing = list.filter((u) => !existing.has(u.username));
  for (const u of missing) await accounts.create(u, undefined, u.passwordHash);
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
