import { startEmbedded, type EmbeddedSystem } from '@fbl/embedded';
import { createLogger } from '@fbl/observability';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/processes.js';
import { residentIdCheckChar } from '@fbl/codes';
import { adminOf, plannerAt, staffOf, type Site } from '../support/actors.js';
import { call } from '../support/http.js';
import { dischargeRequest, referralToClosedLoop, waitForState } from './scenarios.js';

/** Debian's Chromium (the `chromium` package, installed by .ci/run); never a downloaded browser. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'test-output', 'screenshots');

describe('web UI in a real browser (Chromium), embedded mode with demo data', () => {
  let system: EmbeddedSystem;
  let browser: Browser;
  let site: Site;

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    system = await startEmbedded({ port: 0, host: '127.0.0.1', database: { dataDir: 'memory' }, logLevel: 'silent' }, { logger: createLogger({ name: 'ui-test', level: 'silent' }) });
    site = { url: system.url, authSecret: system.secrets.authSecret };
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const open = async (viewport: { width: number; height: number }): Promise<Page> => {
    const page = await browser.newPage({ viewport, locale: 'zh-CN' });
    await page.goto(system.url);
    return page;
  };
  /** Sign in with a demo account picked from the sign-in page's list. */
  const signInAs = async (page: Page, username: string) => {
    await page.locator(`.demo button[data-username="${username}"]`).click();
    await page.getByRole('button', { name: '登录' }).click();
  };

  it('shows the sign-in page in Chinese with a demo account of every role, and field errors in Chinese', async () => {
    const page = await open({ width: 1366, height: 768 });
    await expect.poll(() => page.locator('h1').textContent()).toBe('五床联动转诊系统');
    expect(await page.getByLabel('用户名').isVisible()).toBe(true);
    expect(await page.getByLabel('密码').isVisible()).toBe(true);
    await expect.poll(() => page.locator('.demo li').count()).toBe(6);
    const roles = await page.locator('.demo button').allTextContents();
    for (const role of ['出院准备/转诊专员', '机构工作人员', '民政评估员', '医保经办', '卫健委分析员', '系统管理员']) expect(roles.join('|')).toContain(role);

    await page.getByRole('button', { name: '登录' }).click();
    expect(await page.locator('#username-error').textContent()).toBe('请填写此项');
    expect(await page.locator('#password-error').textContent()).toBe('请填写此项');
    expect(await page.getByLabel('用户名').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('用户名').fill('analyst');
    await page.getByLabel('密码').fill('not-the-password-1');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.locator('.form-error').first().textContent()).toBe('用户名或密码错误');
    await page.screenshot({ path: join(SHOTS, 'sign-in.png'), fullPage: true });

    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.locator('h1').textContent()).toBe('Five-bed linkage referrals');
    expect(await page.getByLabel('Username').isVisible()).toBe(true);
    await page.close();
  });

  it('shows provider staff their inbox with the time left, asks for a reason to decline, and records an acceptance', async () => {
    const named = async (service: string, name: string) => ((await call(system.url, 'GET', `/api/${service}/institutions`, undefined, adminOf(site))).body as unknown as { id: string; name: string }[]).find((i) => i.name === name)!.id;
    const hospitalId = await named('medical-beds', '菏泽牡丹颐康医院');
    const homeId = await named('care-beds', '菏泽市牡丹区福寿康养中心');
    const created = await call(system.url, 'POST', '/api/referrals', dischargeRequest(hospitalId), plannerAt(site, hospitalId));
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const referralId = created.body['id'] as string;
    await waitForState(site, referralId, 'offering');

    const page = await open({ width: 1366, height: 768 });
    await signInAs(page, 'carehome');
    await expect.poll(() => page.locator('h2').textContent()).toBe('转诊收件箱');
    const offer = page.locator(`li.offer[data-referral="${referralId}"]`);
    await expect.poll(() => offer.count()).toBe(1);
    expect(await offer.locator('.status').textContent()).toBe('待响应');
    expect(await offer.locator('.countdown').textContent()).toMatch(/^剩余 (\d+ 小时 )?\d+ 分钟$/);

    await offer.getByRole('button', { name: '拒收' }).click();
    expect(await offer.locator('.field-error').textContent()).toBe('请选择拒收原因');
    await page.screenshot({ path: join(SHOTS, 'provider-inbox.png'), fullPage: true });

    await offer.getByRole('button', { name: '接收' }).click();
    await expect.poll(() => offer.locator('.status').textContent()).toBe('已接收');
    const inbox = (await call(system.url, 'GET', `/api/referrals/inbox/${homeId}`, undefined, staffOf(site, homeId))).body as unknown as { referralId: string; status: string }[];
    expect(inbox.find((o) => o.referralId === referralId)?.status).toBe('accepted');
    await page.close();
  });

  it('signs the analyst in to the dashboard, and the closed-loop figure changes when a referral closes', async () => {
    const page = await open({ width: 1366, height: 768 });
    await signInAs(page, 'analyst');
    await expect.poll(() => page.locator('h2').textContent()).toBe('闭环监测');
    const started = page.locator('[data-figure="started"] strong');
    const rate = page.locator('[data-figure="closed-loop-rate"] strong');
    // The provider's referral of the test before is started and still open.
    await expect.poll(() => started.textContent()).toBe('1');
    expect(await rate.textContent()).toBe('0.0%');

    await referralToClosedLoop(site);
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => started.textContent()).toBe('2');
    expect(await rate.textContent()).toBe('50.0%');
    expect(await page.locator('.chart svg').count()).toBe(1);
    // Nothing overflows the 1366-pixel laptop screen sideways.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1366);
    await page.screenshot({ path: join(SHOTS, 'analyst-dashboard.png'), fullPage: true });

    expect(await page.getByLabel('开始日期').isVisible()).toBe(true);
    expect(await page.getByLabel('床位类型').isVisible()).toBe(true);
    await page.close();
  });

  it('fits a tablet, and keeps other roles to what their workspace offers today', async () => {
    const page = await open({ width: 768, height: 1024 });
    await signInAs(page, 'planner');
    await expect.poll(() => page.locator('.who').textContent()).toContain('出院准备/转诊专员');
    expect(await page.locator('.dashboard').count()).toBe(0);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
    await page.screenshot({ path: join(SHOTS, 'planner-tablet.png'), fullPage: true });
    await page.getByRole('button', { name: '退出登录' }).click();
    await expect.poll(() => page.getByLabel('用户名').isVisible()).toBe(true);
    await page.close();
  });

  it('lets the planner start a referral by ID number (checked as typed), follow it, record the choice, and see it close', async () => {
    // An assessor registers the elder and records an assessment, through the API.
    const assessor = (await call(system.url, 'POST', '/api/auth/sign-in', { username: 'assessor', password: 'demo2026assessor' })).body['accessToken'] as string;
    const first17 = '37170219400315002';
    const idNumber = first17 + residentIdCheckChar(first17);
    const elder = await call(system.url, 'POST', '/api/civil-affairs/elders', { idNumber, name: '界面测试老人', gender: 'female', birthDate: '1940-03-15', address: { divisionCode: '371702', line: '牡丹区某街道' }, consent: { healthData: true, givenBy: 'guardian' } }, assessor);
    expect(elder.status, JSON.stringify(elder.body)).toBe(201);
    const answers: Record<string, number> = Object.fromEntries(
      ['eating', 'grooming', 'bathing', 'dressingUpper', 'dressingLower', 'urineControl', 'bowelControl', 'toileting', 'bedPositioning', 'bedChairTransfer', 'walkingFlat', 'orientationTime', 'orientationPlace', 'orientationPerson', 'memory', 'understanding', 'expression', 'dailyAffairs', 'socialInteraction'].map((k) => [k, 1]),
    );
    Object.assign(answers, { stairs: 0, aggression: 1, depressiveSymptoms: 1, consciousness: 2, vision: 1, hearing: 1, goingOut: 0 });
    const assessed = await call(system.url, 'POST', `/api/civil-affairs/elders/${elder.body['id'] as string}/assessments`, { answers, adjustments: {}, assessors: ['a-1', 'a-2'], reason: 'first', assessedOn: new Date().toISOString().slice(0, 10) }, assessor);
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(201);

    const page = await open({ width: 1366, height: 768 });
    await signInAs(page, 'planner');
    await expect.poll(() => page.locator('h3').first().textContent()).toBe('发起转诊');
    const id = page.getByLabel('老人身份证号');
    await id.pressSequentially(idNumber.slice(0, 10));
    expect(await page.locator('#id-message').textContent()).toBe('身份证号无效: 10/18');
    await id.fill(`${first17}${residentIdCheckChar(first17) === '0' ? '1' : '0'}`);
    await expect.poll(() => page.locator('#id-message').textContent()).toMatch(/^身份证号无效: /);
    await id.fill(idNumber);
    await expect.poll(() => page.locator('#id-message').textContent()).toMatch(/^已找到: 界面测试老人 371702\*+\d{3}[\dX] · 能力等级 \d$/);
    await page.getByRole('button', { name: '提交转诊' }).click();

    const referral = page.locator('main.referral');
    await expect.poll(() => referral.getAttribute('data-referral'), { timeout: 15_000 }).toMatch(/^[0-9a-f-]{36}$/);
    const referralId = (await referral.getAttribute('data-referral'))!;
    await expect.poll(() => page.locator('.state').getAttribute('data-state'), { timeout: 15_000 }).toBe('offering');
    expect(await page.locator('h3', { hasText: '候选机构及排序理由' }).isVisible()).toBe(true);
    expect(await page.locator('ol li ul li').count()).toBeGreaterThan(0);

    // A provider accepts (their inbox has its own test); the planner records the family's choice.
    const offers = (await call(system.url, 'GET', `/api/referrals/${referralId}`, undefined, adminOf(site))).body['offers'] as { id: string; institutionId: string }[];
    const staff = staffOf(site, offers[0]!.institutionId);
    expect((await call(system.url, 'POST', `/api/referrals/${referralId}/offers/${offers[0]!.id}/accept`, {}, staff)).status).toBe(200);
    const choose = page.getByRole('button', { name: '记录家属选择' });
    await expect.poll(() => choose.count(), { timeout: 15_000 }).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'planner-referral.png'), fullPage: true });
    await choose.click();
    const transferring = await waitForState(site, referralId, 'transferring');
    const hold = transferring['hold'] as { holdId: string; bedType: string };
    expect((await call(system.url, 'POST', `/api/care-beds/holds/${hold.holdId}/admission`, {}, staff)).status).toBe(200);
    await waitForState(site, referralId, 'followUp');
    expect((await call(system.url, 'POST', `/api/referrals/${referralId}/follow-up`, {}, staff)).status).toBe(200);
    await expect.poll(() => page.locator('.state').getAttribute('data-state'), { timeout: 15_000 }).toBe('closed');
    expect(await page.locator('.state').textContent()).toBe('已闭环');
    expect(await page.locator('.timeline li').count()).toBeGreaterThanOrEqual(7);
    await page.close();
  });
});
