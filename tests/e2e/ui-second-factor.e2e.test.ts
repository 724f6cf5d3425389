import { base32Decode, hotp, timeStep } from '@fbl/gateway';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOf } from '../support/actors.js';
import { foreignWords, LAPTOP, rawValues, SHOTS, startBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { call } from '../support/http.js';

const PHONE = { width: 390, height: 844 };
const SECOND_ADMIN = { username: 'admin.sun', displayName: '孙主任（信息科）', password: 'sun-admin-2026' };

/**
 * Two factors at sign-in in a real browser (Chromium), the embedded mode with demo data and the
 * second factor required of admins: the demo admin is taken to enrolment before any session (the
 * secret as a QR code and as text; the test's "authenticator" computes the code from that text),
 * keeps the recovery codes, signs out and in again with password and code; a wrong code is refused
 * in Chinese and counted, five lock the account. A second admin enrols at phone width and the first
 * resets it. At 1366×768 and 390×844.
 */
describe('two-step verification at sign-in in a real browser (Chromium), embedded mode with demo data, admins required to enrol', () => {
  let ui: BrowserHarness;
  let laptop: Page;
  const secrets = new Map<string, string>();
  const lastStep = new Map<string, number>();

  beforeAll(async () => {
    ui = await startBrowserHarness('ui-second-factor-test', { signInPolicy: { secondFactorRoles: ['admin'] } });
  }, 120_000);
  afterAll(async () => ui?.stop());

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const clean = async (page: Page, where: string) => {
    expect(await foreignWords(page), where).toEqual([]);
    expect(await rawValues(page), where).toEqual([]);
  };
  /**
   * What an authenticator app shows for an account's secret: the code of now, or of the next step
   * when now's was used (a code is accepted once); waits for the clock when that step is too far ahead.
   */
  const codeFor = async (page: Page, username: string): Promise<string> => {
    const key = base32Decode(secrets.get(username)!);
    const step = Math.max(timeStep(new Date()), (lastStep.get(username) ?? -1) + 1);
    while (timeStep(new Date()) < step - 1) await page.waitForTimeout(1000);
    lastStep.set(username, step);
    return hotp(key, step);
  };
  /** A code no app shows now: five steps ahead. */
  const wrongCode = (username: string) => hotp(base32Decode(secrets.get(username)!), timeStep(new Date()) + 5);
  /** Type a user name and password on a fresh sign-in page and press 登录. */
  const password = async (page: Page, username: string, secret: string) => {
    await page.goto(ui.system.url);
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(secret);
    await page.getByRole('button', { name: '登录', exact: true }).click();
  };
  const outcomes = async (username: string) =>
    ((await call(ui.site.url, 'GET', `/api/auth/sign-ins?username=${username}&limit=20`, undefined, adminOf(ui.site))).body as unknown as { outcome: string }[]).map((r) => r.outcome);

  it('takes the admin to enrolment before any session: the secret as a QR code and as text, confirmed by a first code; the recovery codes shown once', async () => {
    laptop = await ui.open(LAPTOP);
    await laptop.locator('.demo button[data-username="admin"]').click();
    await laptop.getByRole('button', { name: '登录', exact: true }).click();
    await laptop.getByText('系统管理员等角色须使用两步验证').waitFor({ timeout: 60_000 });
    expect(await laptop.locator('.who').count()).toBe(0);
    expect(await laptop.locator('.totp-secret svg.qr').count()).toBe(1);
    const secret = (await laptop.locator('code.secret').getAttribute('data-secret'))!;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    // The text shown is the secret, in groups of four to type.
    expect((await laptop.locator('code.secret').textContent())!.replaceAll(' ', '')).toBe(secret);
    secrets.set('admin', secret);
    await clean(laptop, 'enrolment (laptop)');
    await shot(laptop, 'second-factor-enrol-laptop');

    await laptop.getByLabel('验证码（6 位数字）').fill(await codeFor(laptop, 'admin'));
    await laptop.getByRole('button', { name: '验证并登录' }).click();
    await laptop.getByText('请保存恢复码').waitFor({ timeout: 60_000 });
    const codes = await laptop.locator('.recovery-codes li').allTextContents();
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    await clean(laptop, 'recovery codes');
    await shot(laptop, 'second-factor-recovery-codes-laptop');
    await laptop.getByRole('button', { name: '我已妥善保存，继续' }).click();
    await laptop.locator('.who').waitFor({ timeout: 60_000 });
    expect(await laptop.locator('.who').textContent()).toContain('系统管理员');

    // The account's own security page says it is on, with ten recovery codes left.
    await laptop.getByRole('button', { name: '账户安全' }).click();
    await laptop.getByText('已启用两步验证').waitFor({ timeout: 30_000 });
    expect(await laptop.locator('.security').innerText()).toContain('剩余可用恢复码：10 个');
    await clean(laptop, 'security page');
    await shot(laptop, 'second-factor-security-laptop');
    expect((await outcomes('admin')).slice(0, 2)).toEqual(['signed-in', 'enrolment-required']);
  });

  it('signs the admin out and in again with password and code; a wrong code is refused in Chinese and counted', async () => {
    await laptop.getByRole('button', { name: '退出登录' }).click();
    await laptop.locator('#username').waitFor({ timeout: 30_000 });
    await password(laptop, 'admin', 'demo2026admin');
    await laptop.getByLabel('验证码（6 位数字）').waitFor({ timeout: 60_000 });
    expect(await laptop.locator('.signing-in').innerText()).toContain('admin');
    expect(await laptop.locator('.who').count()).toBe(0);
    await clean(laptop, 'code step');
    await shot(laptop, 'second-factor-code-laptop');

    await laptop.getByLabel('验证码（6 位数字）').fill(wrongCode('admin'));
    await laptop.getByRole('button', { name: '验证并登录' }).click();
    await expect.poll(() => laptop.locator('#code-error').textContent(), { timeout: 60_000 }).toBe('验证码错误或已使用过，请填写应用上当前显示的验证码');
    expect(await laptop.locator('.who').count()).toBe(0);
    expect((await outcomes('admin')).slice(0, 2)).toEqual(['wrong-code', 'code-required']);
    await shot(laptop, 'second-factor-wrong-code-laptop');

    await laptop.getByLabel('验证码（6 位数字）').fill(await codeFor(laptop, 'admin'));
    await laptop.getByRole('button', { name: '验证并登录' }).click();
    await laptop.locator('.who').waitFor({ timeout: 60_000 });
    expect((await outcomes('admin'))[0]).toBe('signed-in');
  });

  it('has a second admin enrol at phone width, and the first reset it from the accounts page', async () => {
    const created = await call(ui.site.url, 'POST', '/api/auth/users', { ...SECOND_ADMIN, role: 'admin' }, adminOf(ui.site));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const phone = await ui.open(PHONE);
    await password(phone, SECOND_ADMIN.username, SECOND_ADMIN.password);
    await phone.getByText('系统管理员等角色须使用两步验证').waitFor({ timeout: 60_000 });
    secrets.set(SECOND_ADMIN.username, (await phone.locator('code.secret').getAttribute('data-secret'))!);
    await clean(phone, 'enrolment (phone)');
    // Nothing wider than the phone.
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'second-factor-enrol-phone');
    await phone.getByLabel('验证码（6 位数字）').fill(await codeFor(phone, SECOND_ADMIN.username));
    await phone.getByRole('button', { name: '验证并登录' }).click();
    await phone.getByText('请保存恢复码').waitFor({ timeout: 60_000 });
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'second-factor-recovery-codes-phone');
    await phone.getByRole('button', { name: '我已妥善保存，继续' }).click();
    await phone.locator('.who').waitFor({ timeout: 60_000 });
    await phone.getByRole('button', { name: '账户安全' }).click();
    await phone.getByText('已启用两步验证').waitFor({ timeout: 30_000 });
    // The same page changes one's own password: the current one first, the new one twice.
    await phone.getByLabel('当前密码').fill('not-the-password-1');
    await phone.getByLabel('新密码', { exact: true }).fill('sun-admin-2027');
    await phone.getByLabel('再次填写新密码').fill('sun-admin-2027');
    await phone.getByRole('button', { name: '修改密码' }).click();
    await expect.poll(() => phone.locator('#pw-current-error').textContent(), { timeout: 30_000 }).toBe('当前密码错误');
    await phone.getByLabel('当前密码').fill(SECOND_ADMIN.password);
    await phone.getByRole('button', { name: '修改密码' }).click();
    await phone.getByText('密码已修改，下次登录请使用新密码').waitFor({ timeout: 30_000 });
    await clean(phone, 'security page (phone)');
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'second-factor-security-phone');

    // The first admin sees it on, and resets it (after a confirmation); its session ends.
    laptop.on('dialog', (d) => void d.accept());
    await laptop.locator('button[data-tab="accounts"]').click();
    await laptop.getByLabel('查找账户').fill('孙主任');
    const row = laptop.locator(`table.accounts tr[data-account="${SECOND_ADMIN.username}"]`);
    await expect.poll(() => row.locator('.second-factor').textContent(), { timeout: 30_000 }).toBe('已启用');
    // Not on one's own account.
    await laptop.getByLabel('查找账户').fill('系统管理员');
    await expect.poll(() => laptop.locator('table.accounts tr[data-account="admin"] .second-factor').textContent(), { timeout: 30_000 }).toBe('已启用');
    expect(await laptop.locator('table.accounts tr[data-account="admin"] [data-action="reset-second-factor"]').count()).toBe(0);
    await laptop.getByLabel('查找账户').fill('孙主任');
    await row.locator('[data-action="reset-second-factor"]').click();
    await laptop.getByText('已重置“孙主任（信息科）”的两步验证').waitFor({ timeout: 30_000 });
    await expect.poll(() => row.locator('.second-factor').textContent(), { timeout: 30_000 }).toBe('未启用');
    await clean(laptop, 'accounts after the reset');
    await shot(laptop, 'second-factor-accounts-laptop');
    // The audit of account changes names it, by the admin who did it.
    const audit = (await call(ui.site.url, 'GET', `/api/auth/audit?objectId=${(created.body as { id: string }).id}`, undefined, adminOf(ui.site))).body as unknown as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(['reset-second-factor', 'change-password', 'enrol-second-factor', 'create-account']);
  });

  it('locks the admin after five wrong codes, even against the right password, and says so in Chinese', async () => {
    // Sign-in is limited to 10 attempts a minute per address; this test's earlier ones are waited out.
    await laptop.waitForTimeout(61_000);
    const page = await ui.open(LAPTOP);
    await password(page, 'admin', 'demo2026admin');
    await page.getByLabel('验证码（6 位数字）').waitFor({ timeout: 60_000 });
    for (let i = 0; i < 4; i++) {
      await page.getByLabel('验证码（6 位数字）').fill(wrongCode('admin'));
      await page.getByRole('button', { name: '验证并登录' }).click();
      await expect.poll(() => outcomes('admin').then((o) => o.slice(0, i + 1).every((x) => x === 'wrong-code')), { timeout: 60_000 }).toBe(true);
    }
    await page.getByLabel('验证码（6 位数字）').fill(wrongCode('admin'));
    await page.getByRole('button', { name: '验证并登录' }).click();
    await expect.poll(async () => (await outcomes('admin'))[0], { timeout: 60_000 }).toBe('wrong-code-locked');
    // Now even the right password and code are refused while the lockout lasts.
    await password(page, 'admin', 'demo2026admin');
    await expect.poll(() => page.locator('.sign-in .form-error').textContent(), { timeout: 60_000 }).toBe('登录失败次数过多，账户已暂时锁定，请稍后再试');
    expect(await page.locator('.who').count()).toBe(0);
    expect((await outcomes('admin')).slice(0, 6)).toEqual(['locked', 'wrong-code-locked', 'wrong-code', 'wrong-code', 'wrong-code', 'wrong-code']);
    // (The sign-in page lists the demo accounts with their user names; the refusal itself is all Chinese.)
    expect(await page.locator('.sign-in form').innerText()).not.toMatch(/[A-Za-z]{2,}/);
  });
});
