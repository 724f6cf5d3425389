import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignWords, LAPTOP, rawValues, SHOTS, startBrowserHarness, type BrowserHarness } from '../support/browser.js';

const PHONE = { width: 390, height: 844 };
/** The community health centre of the demo network, and the account the admin opens there. */
const CENTRE = '牡丹区东城街道社区卫生服务中心';
const NEWCOMER = { username: 'chc.qian', displayName: '钱医生（东城社区卫生服务中心）' };
/** A day in China (UTC+8), some days from today. */
const chinaDay = (days = 0) => new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The administrator's day in the browser, through the UI alone on the demo data: an account for
 * a community health centre opened with the pickers (role, then the institution by its name and
 * kind), its user signing in to the centre's workspace; disabled (the sign-in refused in Chinese,
 * the open session ended), enabled again with a password reset (shown once), and the user signing
 * in with it; the audit search by the account's name and a range of days. At laptop and phone width.
 */
describe("the administrator's accounts and audit search in a real browser (Chromium), embedded mode with demo data", () => {
  let ui: BrowserHarness;
  let admin: Page & { dialogs: string[]; consoleErrors: string[] };
  const newcomer = { password: '', session: null as Page | null };

  beforeAll(async () => {
    ui = await startBrowserHarness('ui-admin-test');
  }, 120_000);
  afterAll(async () => ui?.stop());

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  /** A page that accepts confirmations (noting what they asked) and collects console errors. */
  const watched = async (viewport: { width: number; height: number }) => {
    const page = await ui.open(viewport);
    const dialogs: string[] = [];
    const consoleErrors: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    page.on('console', (m) => {
      // A refused sign-in is logged by the browser as a failed request; that is the point here.
      if (m.type() === 'error' && !/status of (401|403)/.test(m.text())) consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    return Object.assign(page, { dialogs, consoleErrors });
  };
  /** Sign in by typing a user name and password, as a new member of staff does; what the page then says. */
  const typeSignIn = async (page: Page, username: string, password: string): Promise<'signed-in' | string> => {
    // Sign-in is limited to 10 a minute per address: a refusal for that is waited out.
    for (let attempt = 0; ; attempt++) {
      // A fresh sign-in page, so what an earlier attempt said is not read as this one's answer.
      await page.goto(ui.system.url);
      await page.locator('#username').fill(username);
      await page.locator('#password').fill(password);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      const outcome = await Promise.race([
        page.locator('.who').waitFor({ timeout: 30_000 }).then(() => 'signed-in'),
        page.locator('.sign-in .form-error:not(:empty)').waitFor({ timeout: 30_000 }).then(async () => (await page.locator('.sign-in .form-error').textContent()) ?? ''),
      ]);
      if (outcome !== '尝试过于频繁，请稍后再试' || attempt >= 2) return outcome;
      await page.waitForTimeout(61_000);
    }
  };
  const row = (page: Page, username: string) => page.locator(`table.accounts tr[data-account="${username}"]`);
  const findAccount = async (page: Page, text: string) => {
    await page.getByLabel('查找账户').fill(text);
    await expect.poll(() => page.locator('table.accounts tbody tr').count(), { timeout: 30_000 }).toBe(1);
  };
  const clean = async (page: Page, where: string) => {
    expect(await foreignWords(page), where).toEqual([]);
    expect(await rawValues(page), where).toEqual([]);
  };

  it('lets the admin open an account for a community health centre with the pickers; its user signs in to the centre\'s workspace', async () => {
    admin = await watched(LAPTOP);
    await ui.signInAs(admin, 'admin');
    await admin.locator('button[data-tab="accounts"]').click();
    // Every demo account is listed, by name and role, with its institution or division by name.
    await expect.poll(() => admin.locator('table.accounts tbody tr').count(), { timeout: 30_000 }).toBe(11);
    await expect.poll(() => row(admin, 'chc').locator('.scope').textContent(), { timeout: 30_000 }).toBe(CENTRE);
    expect(await row(admin, 'analyst').locator('.scope').textContent()).toBe('菏泽市');
    expect(await row(admin, 'admin').locator('[data-action="disable"]').count()).toBe(0);
    // Filters on the server: the analysts, then the disabled ones (none yet, and the page says what to do).
    await admin.getByLabel('按角色筛选').selectOption('analyst');
    await expect.poll(() => admin.locator('table.accounts tbody tr').count(), { timeout: 30_000 }).toBe(1);
    await admin.getByLabel('按状态筛选').selectOption('disabled');
    await expect.poll(() => admin.locator('.account-list .empty').textContent(), { timeout: 30_000 }).toContain('没有符合条件的账户');
    await admin.getByLabel('按角色筛选').selectOption('');
    await admin.getByLabel('按状态筛选').selectOption('');
    await expect.poll(() => admin.locator('table.accounts tbody tr').count(), { timeout: 30_000 }).toBe(11);
    await clean(admin, 'accounts');
    await shot(admin, 'admin-accounts');

    await admin.locator('[data-action="new-account"]').click();
    const form = admin.locator('form.account-form');
    // Nothing filled in: each field says what it needs, in Chinese; no institution or division until the role is known.
    await form.getByRole('button', { name: '创建账户' }).click();
    await expect.poll(() => form.locator('#acc-username-error').textContent()).toContain('用户名为 3–60 位');
    expect(await form.locator('#acc-display-name-error').textContent()).toBe('请填写姓名（显示名称）');
    expect(await form.locator('#acc-role-error').textContent()).toBe('请选择角色');
    expect(await form.locator('select[name="institutionId"], select[name="divisionCode"]').count()).toBe(0);
    await form.getByLabel('用户名').fill(NEWCOMER.username);
    await form.getByLabel('姓名（显示名称）').fill(NEWCOMER.displayName);
    // An assessor is given a division, by name.
    await form.getByLabel('角色', { exact: true }).selectOption({ label: '民政评估员' });
    expect(await form.locator('select[name="divisionCode"] option').allTextContents()).toEqual(expect.arrayContaining(['菏泽市', '\u3000牡丹区', '济南市']));
    // Staff of a provider: the institution, by its name and kind.
    await form.getByLabel('角色', { exact: true }).selectOption({ label: '机构工作人员' });
    const picker = form.getByLabel('所属机构');
    expect(await picker.locator('optgroup').evaluateAll((groups) => groups.map((g) => g.getAttribute('label')))).toEqual(expect.arrayContaining(['医院', '养老机构', '居家养老服务机构', '社区卫生服务中心', '乡镇卫生院']));
    expect(await picker.locator('optgroup[label="社区卫生服务中心"] option').allTextContents()).toEqual([`${CENTRE}（社区卫生服务中心）`]);
    await form.getByRole('button', { name: '创建账户' }).click();
    await expect.poll(() => form.locator('#acc-institution-error').textContent()).toBe('请选择所属机构');
    await picker.selectOption({ label: `${CENTRE}（社区卫生服务中心）` });
    // A first password is made up by the rules; the admin may take another one.
    const password = form.locator('input[name="password"]');
    const first = await password.inputValue();
    await form.locator('[data-action="new-password"]').click();
    newcomer.password = await password.inputValue();
    expect(newcomer.password).not.toBe(first);
    expect(newcomer.password).toMatch(/^(?=.*[A-Za-z])(?=.*\d).{10,}$/);
    await clean(admin, 'new account form');
    await shot(admin, 'admin-account-new');
    await form.getByRole('button', { name: '创建账户' }).click();

    // The password is shown once, with whose it is.
    const once = admin.locator('[data-notice="temporary-password"]');
    await expect.poll(() => once.locator('code').textContent(), { timeout: 30_000 }).toBe(newcomer.password);
    expect(await once.innerText()).toContain(`已为「${NEWCOMER.displayName}」设置临时密码`);
    expect(await form.count()).toBe(0);
    await findAccount(admin, '钱医生');
    const mine = row(admin, NEWCOMER.username);
    expect(await mine.locator('td').allInnerTexts()).toEqual([NEWCOMER.displayName, NEWCOMER.username, '机构工作人员', CENTRE, '启用', '未启用', expect.stringContaining('重置密码')]);
    await once.getByRole('button', { name: '我已记下，关闭' }).click();
    expect(await admin.locator('[data-notice="temporary-password"]').count()).toBe(0);
    expect(await admin.evaluate<string>('document.body.innerText')).not.toContain(newcomer.password);

    // The new member of staff signs in and finds the centre's workspace: its inbox.
    const staff = await watched(LAPTOP);
    expect(await typeSignIn(staff, NEWCOMER.username, newcomer.password)).toBe('signed-in');
    expect(await staff.locator('.who').textContent()).toBe(`${NEWCOMER.displayName} · 机构工作人员`);
    await expect.poll(() => staff.locator('main.provider h2').textContent(), { timeout: 30_000 }).toBe(CENTRE);
    await expect.poll(() => staff.locator('section.inbox').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => staff.getByText('加载中…').count(), { timeout: 30_000 }).toBe(0);
    await clean(staff, 'newcomer inbox');
    await shot(staff, 'admin-newcomer-inbox');
    newcomer.session = staff;
    expect(admin.consoleErrors).toEqual([]);
    expect(staff.consoleErrors).toEqual([]);
  });

  it('disables the account after asking: its sign-in is refused in Chinese and its open session cannot be renewed', async () => {
    expect(newcomer.session, 'the account was opened and signed in').not.toBeNull();
    const mine = row(admin, NEWCOMER.username);
    await mine.locator('[data-action="disable"]').click();
    await expect.poll(() => mine.locator('.status').textContent(), { timeout: 30_000 }).toBe('已停用');
    expect(admin.dialogs.at(-1)).toBe(`停用后「${NEWCOMER.displayName}」将无法登录，已登录的会话也会随即结束。确定停用？`);
    expect(await admin.locator('.notice').textContent()).toBe(`已停用「${NEWCOMER.displayName}」，其登录会话已结束。`);
    expect(await mine.getAttribute('data-enabled')).toBe('false');

    // The session open in the other browser ends at its next refresh (its access token lives 15 minutes at most).
    const renewed = await newcomer.session!.evaluate<number>(`(async () => {
      const session = JSON.parse(sessionStorage.getItem('fbl.session'));
      const r = await fetch('/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: session.refreshToken }) });
      return r.status;
    })()`);
    expect(renewed).toBe(401);

    const again = await watched(PHONE);
    expect(await typeSignIn(again, NEWCOMER.username, newcomer.password)).toBe('该账户已停用，请联系系统管理员');
    expect(await again.locator('.who').count()).toBe(0);
    // (The sign-in page lists the demo accounts with their user names; the refusal itself is all Chinese.)
    expect(await again.locator('.sign-in form').innerText()).not.toMatch(/[A-Za-z]{2,}/);
    await shot(again, 'admin-newcomer-disabled-phone');
    await again.close();
  });

  it('enables it again and resets its password, shown once; the user signs in with the new one only', async () => {
    const mine = row(admin, NEWCOMER.username);
    await mine.locator('[data-action="enable"]').click();
    await expect.poll(() => mine.locator('.status').textContent(), { timeout: 30_000 }).toBe('启用');
    expect(admin.dialogs.at(-1)).toBe(`启用后「${NEWCOMER.displayName}」可以重新登录。确定启用？`);
    await mine.locator('[data-action="reset-password"]').click();
    expect(admin.dialogs.at(-1)).toContain(`将为「${NEWCOMER.displayName}」设置新的临时密码`);
    const once = admin.locator('[data-notice="temporary-password"]');
    await expect.poll(() => once.count(), { timeout: 30_000 }).toBe(1);
    const reset = (await once.locator('code').textContent())!;
    expect(reset).not.toBe(newcomer.password);
    expect(reset).toMatch(/^(?=.*[A-Za-z])(?=.*\d).{10,}$/);
    expect(await once.innerText()).toContain('此密码只显示这一次');
    await clean(admin, 'password reset');
    await shot(admin, 'admin-password-reset');
    await once.getByRole('button', { name: '我已记下，关闭' }).click();

    const staff = await watched(PHONE);
    expect(await typeSignIn(staff, NEWCOMER.username, newcomer.password)).toBe('用户名或密码错误');
    expect(await typeSignIn(staff, NEWCOMER.username, reset)).toBe('signed-in');
    await expect.poll(() => staff.locator('main.provider h2').textContent(), { timeout: 30_000 }).toBe(CENTRE);
    await expect.poll(() => staff.getByText('加载中…').count(), { timeout: 30_000 }).toBe(0);
    expect(await staff.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await clean(staff, 'newcomer after reset');
    await shot(staff, 'admin-newcomer-inbox-phone');
    expect(staff.consoleErrors).toEqual([]);
    await staff.close();

    // A change of name and role from the same list: the scope follows the role.
    await mine.locator('[data-action="edit"]').click();
    const form = admin.locator('form.account-form[data-form="edit"]');
    await form.getByLabel('角色', { exact: true }).selectOption({ label: '出院准备/转诊专员' });
    expect(await form.getByLabel('所属机构').inputValue()).not.toBe('');
    await form.getByLabel('角色', { exact: true }).selectOption({ label: '卫健委分析员' });
    await form.getByRole('button', { name: '保存修改' }).click();
    await expect.poll(() => form.locator('#acc-division-error').textContent()).toBe('请选择所属辖区');
    await form.getByLabel('所属辖区').selectOption({ label: '\u3000牡丹区' });
    await form.getByRole('button', { name: '保存修改' }).click();
    await expect.poll(() => mine.locator('td').nth(2).textContent(), { timeout: 30_000 }).toBe('卫健委分析员');
    expect(await mine.locator('.scope').textContent()).toBe('牡丹区');
    // And back to the centre's staff.
    await mine.locator('[data-action="edit"]').click();
    await form.getByLabel('角色', { exact: true }).selectOption({ label: '机构工作人员' });
    await form.getByLabel('所属机构').selectOption({ label: `${CENTRE}（社区卫生服务中心）` });
    await form.getByRole('button', { name: '保存修改' }).click();
    await expect.poll(() => mine.locator('.scope').textContent(), { timeout: 30_000 }).toBe(CENTRE);
    expect(admin.consoleErrors).toEqual([]);
  });

  it('finds the account changes in the audit by the account\'s name and a range of days, and none outside the range', async () => {
    await admin.locator('button[data-tab="audit"]').click();
    await clean(admin, 'audit before a search');
    const rows = admin.locator('table.audit-rows tbody tr');
    const search = async (fields: { actor?: string; object?: string; from?: string; to?: string }) => {
      await admin.getByLabel('操作人（账户）').fill(fields.actor ?? '');
      await admin.getByLabel('对象编号').fill(fields.object ?? '');
      await admin.getByLabel('开始日期').fill(fields.from ?? '');
      await admin.getByLabel('结束日期').fill(fields.to ?? '');
      await admin.getByRole('button', { name: '检索' }).click();
    };
    const today = chinaDay();

    // By the account changed, typed as its display name, today: what was done to it, by whom, in words.
    await search({ object: NEWCOMER.displayName, from: today, to: today });
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(6);
    expect(await rows.locator('td[data-action]').allTextContents()).toEqual([
      '修改账户（角色、所属机构、所属辖区）',
      '修改账户（角色、所属机构、所属辖区）',
      '重置密码',
      '启用账户',
      '停用账户',
      '创建账户',
    ]);
    for (const text of await rows.allInnerTexts()) {
      expect(text).toContain('账户管理');
      expect(text).toContain('系统管理员（admin）');
      expect(text).toContain(`账户 ${NEWCOMER.displayName}（${NEWCOMER.username}）`);
      expect(text).toContain('允许');
    }
    await clean(admin, 'audit of the account');
    await shot(admin, 'admin-audit-account');

    // By the admin who acted, typed as a user name: the same changes among the admin's.
    await search({ actor: 'admin', from: chinaDay(-1), to: today });
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(6);
    expect((await rows.allInnerTexts()).every((r) => r.includes('系统管理员（admin）'))).toBe(true);

    // A range of days that ends before today finds none of it; one that starts after it neither.
    await search({ object: NEWCOMER.displayName, from: chinaDay(-30), to: chinaDay(-1) });
    await expect.poll(() => admin.locator('.audit .empty').textContent(), { timeout: 30_000 }).toBe('没有符合条件的记录');
    expect(await rows.count()).toBe(0);
    await search({ actor: 'admin', from: chinaDay(1) });
    await expect.poll(() => admin.locator('.audit .empty').textContent(), { timeout: 30_000 }).toBe('没有符合条件的记录');
    // A range backwards is said so, and an unknown account too.
    await search({ actor: 'admin', from: today, to: chinaDay(-1) });
    await expect.poll(() => admin.locator('.audit .form-error').textContent()).toBe('开始日期不能晚于结束日期');
    await search({ actor: '没有这个人' });
    await expect.poll(() => admin.locator('.audit .form-error').textContent()).toBe('没有找到这个账户，请核对用户名或姓名');

    // At phone width: each row a card, nothing wider than the screen.
    await search({ object: NEWCOMER.username, from: today, to: today });
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(6);
    await admin.setViewportSize(PHONE);
    expect(await admin.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await clean(admin, 'audit at phone width');
    await shot(admin, 'admin-audit-account-phone');
    await admin.locator('button[data-tab="accounts"]').click();
    await expect.poll(() => admin.locator('table.accounts tbody tr').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await admin.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await clean(admin, 'accounts at phone width');
    await shot(admin, 'admin-accounts-phone');
    expect(admin.consoleErrors).toEqual([]);
  });
});
