import { residentIdCheckChar } from '@fbl/codes';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignWords, LAPTOP, rawValues, SHOTS, startBrowserHarness, type BrowserHarness } from '../support/browser.js';

const PHONE = { width: 390, height: 844 };
const ZHANG = { name: '张桂兰', idNumber: '37170219380412002' + residentIdCheckChar('37170219380412002') };

/** A time in China as a datetime-local input takes it (YYYY-MM-DDTHH:MM), and as the pages show it (HH:MM). */
const chinaLocal = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
const chinaHm = (at: Date) => chinaLocal(at).slice(11, 16);

/**
 * Home care as visits, in the browser on the demo data: the home-care provider admits an elder and
 * sets a service plan naming the worker, with two extra visits (one due now, one whose window ends
 * a minute after set-up); the worker signs in on a phone, sees today's visits, checks in, records
 * the items done and the family's signature drawn on the screen, and checks out; the provider sees
 * the visit done, and the other one missed once its window has passed, with the missed count.
 */
describe('home care visits in a real browser (Chromium) at phone width', () => {
  let ui: BrowserHarness;

  beforeAll(async () => {
    ui = await startBrowserHarness('ui-visits-test');
  }, 300_000);
  afterAll(async () => ui?.stop());

  const signedIn = async (username: string, viewport = LAPTOP) => {
    const page = await ui.open(viewport);
    const errors: string[] = [];
    page.on('dialog', (d) => void d.accept());
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await ui.signInAs(page, username);
    return Object.assign(page, { consoleErrors: errors });
  };
  type Signed = Awaited<ReturnType<typeof signedIn>>;
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const clean = async (page: Signed) => {
    expect(await foreignWords(page)).toEqual([]);
    expect(await rawValues(page)).toEqual([]);
    expect(page.consoleErrors).toEqual([]);
  };

  let homecare: Signed;
  const due = { start: new Date(), end: new Date() };
  const short = { start: new Date(), end: new Date() };

  it('lets the provider admit an elder and set a service plan naming the worker, with extra visits', async () => {
    const planner = await signedIn('planner');
    await planner.getByLabel('老人身份证号').fill(ZHANG.idNumber);
    await expect.poll(() => planner.locator('#id-message').textContent(), { timeout: 30_000 }).toContain(`已找到: ${ZHANG.name}`);
    await planner.locator('select[name="bedType"]').selectOption('home-care');
    await planner.locator('#pk-consent').check();
    await planner.getByRole('button', { name: '提交转诊' }).click();
    const detail = planner.locator('section.referral');
    await expect.poll(() => detail.getAttribute('data-referral'), { timeout: 30_000 }).toMatch(/^[0-9a-f-]{36}$/);
    const id = (await detail.getAttribute('data-referral'))!;

    homecare = await signedIn('homecare');
    const offer = homecare.locator(`li.offer[data-referral="${id}"]`);
    await expect.poll(() => offer.count(), { timeout: 60_000 }).toBe(1);
    await offer.getByRole('button', { name: '接收' }).click();
    await expect.poll(() => offer.locator('.status').textContent(), { timeout: 30_000 }).toBe('已接收');

    await planner.getByRole('button', { name: '返回列表' }).click();
    await planner.locator('section.referrals [data-view="active"]').click();
    await planner.locator(`section.referrals tr[data-referral="${id}"] button`).click();
    const record = planner.getByRole('button', { name: '记录家属选择' });
    await expect.poll(() => record.count(), { timeout: 60_000 }).toBe(1);
    await record.click();
    await expect.poll(() => planner.locator('.state').getAttribute('data-state'), { timeout: 60_000 }).toBe('transferring');

    await homecare.locator('button[data-tab="arrivals"]').click();
    const arrival = homecare.locator(`li.offer[data-referral="${id}"]`);
    await expect.poll(() => arrival.count(), { timeout: 60_000 }).toBe(1);
    await arrival.getByLabel('服务项目').fill('助浴、助餐');
    await arrival.getByLabel('每周上门次数').fill('2');
    await arrival.getByRole('button', { name: '确认入住' }).click();
    await expect.poll(() => arrival.count(), { timeout: 30_000 }).toBe(0);

    await homecare.locator('button[data-tab="residents"]').click();
    const stay = homecare.locator(`li.offer[data-referral="${id}"]`);
    await expect.poll(() => stay.count(), { timeout: 30_000 }).toBe(1);
    await stay.getByRole('button', { name: '服务计划' }).click();
    const plan = stay.locator('fieldset.visit-plan');
    await expect.poll(() => plan.locator('select[name="workerId"] option').count(), { timeout: 30_000 }).toBeGreaterThan(1);
    // A plan without its responsible worker is refused in the form.
    await plan.getByRole('button', { name: '保存服务计划' }).click();
    expect(await plan.locator('.field-error').first().textContent()).toBe('请选择责任人员');
    await plan.locator('select[name="workerId"]').selectOption({ label: '陈护理员（邻里居家养老服务站）' });
    await plan.getByLabel('助浴').check();
    await plan.getByLabel('助餐').check();
    await plan.getByRole('button', { name: '保存服务计划' }).click();
    await expect.poll(() => plan.locator('.field-ok').textContent(), { timeout: 30_000 }).toMatch(/^已保存第 1 版，排出 \d+ 次上门$/);
    await expect.poll(() => plan.locator('legend').textContent(), { timeout: 30_000 }).toBe('服务计划第 1 版');

    // Two extra visits: one due now for two hours, one whose window ends a minute from now.
    const now = Date.now();
    due.start = new Date(now - 10 * 60_000);
    due.end = new Date(now + 120 * 60_000);
    short.start = new Date(now - 5 * 60_000);
    short.end = new Date(now + 60_000);
    for (const window of [due, short]) {
      await plan.locator('input[name="extraStart"]').fill(chinaLocal(window.start));
      await plan.locator('input[name="extraEnd"]').fill(chinaLocal(window.end));
      await plan.getByRole('button', { name: '加入上门安排' }).click();
      await expect.poll(() => plan.locator('.field-ok').textContent(), { timeout: 30_000 }).toBe(`已加入上门安排：${chinaHm(window.start)}–${chinaHm(window.end)}`);
    }
    await shot(homecare, 'homecare-visit-plan-laptop');
    await clean(homecare);
  }, 600_000);

  it("lets the worker, on a phone, check in, record the items and the family's signature, and check out", async () => {
    const worker = await signedIn('worker', PHONE);
    await worker.locator('button[data-tab="today"]').click();
    const visit = worker.locator('li.visit', { hasText: `${chinaHm(due.start)}–${chinaHm(due.end)}` });
    await expect.poll(() => visit.count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => visit.locator('.elder-name').textContent(), { timeout: 30_000 }).toBe(ZHANG.name);
    expect(await visit.locator('.status').first().textContent()).toBe('待上门');
    await shot(worker, 'worker-today-phone');
    await visit.getByRole('button', { name: '签到' }).click();
    await expect.poll(() => visit.locator('.status').first().textContent(), { timeout: 30_000 }).toBe('服务中');
    const form = visit.locator('fieldset.check-out');
    await form.getByLabel('助浴', { exact: true }).check();
    await form.getByLabel('助浴用时（分钟）').fill('40');
    await form.getByLabel('服务记录（选填）').fill('老人精神好，洗浴顺利');
    // A photo, optional: scaled down on the phone and shown before it is sent.
    const tinyPng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    await form.locator('input[name="photo"]').setInputFiles({ name: '上门照片.png', mimeType: 'image/png', buffer: tinyPng });
    await expect.poll(() => form.locator('.visit-photos img').count(), { timeout: 30_000 }).toBe(1);
    // Without a signature the check-out is refused in the form.
    await form.getByRole('button', { name: '签退' }).click();
    expect(await form.locator('.form-error').textContent()).toBe('请老人或家属签名');
    const pad = form.locator('canvas.signature-pad');
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await worker.mouse.move(box.x + 20, box.y + box.height / 2);
    await worker.mouse.down();
    for (let i = 1; i <= 10; i++) await worker.mouse.move(box.x + 20 + i * ((box.width - 40) / 10), box.y + box.height / 2 + (i % 2 ? 20 : -20));
    await worker.mouse.up();
    await shot(worker, 'worker-check-out-phone');
    await form.getByRole('button', { name: '签退' }).click();
    await expect.poll(() => visit.locator('.status').first().textContent(), { timeout: 30_000 }).toBe('已完成');
    expect(await visit.innerText()).toContain('签退时间');
    await clean(worker);
    expect(await worker.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
  }, 300_000);

  it('shows the provider the visit done, and the short one missed once its window has passed, counted', async () => {
    await homecare.locator('button[data-tab="visits"]').click();
    const done = homecare.locator('table.visits-table tr', { hasText: `${chinaHm(due.start)}–${chinaHm(due.end)}` });
    await expect.poll(() => done.getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
    // Names arrive after the rows (the elder's from civil affairs, the worker's from the accounts).
    await expect.poll(() => done.innerText(), { timeout: 30_000 }).toContain('陈护理员（邻里居家养老服务站）');
    expect(await done.innerText()).toContain('助浴 40 分钟，手写签名');
    const missed = homecare.locator('table.visits-table tr', { hasText: `${chinaHm(short.start)}–${chinaHm(short.end)}` });
    // The window ends a minute after set-up; the timer flags it. Reload the day until it shows.
    await expect
      .poll(
        async () => {
          await homecare.locator('button[data-tab="today"]').click();
          await homecare.locator('button[data-tab="visits"]').click();
          return missed.getAttribute('data-status');
        },
        { timeout: 300_000, interval: 5_000 },
      )
      .toBe('missed');
    expect(await missed.locator('.status').first().textContent()).toBe('未上门');
    expect(Number(await homecare.locator('.visit-counts [data-count="missed"] dd').textContent())).toBeGreaterThanOrEqual(1);
    expect(Number(await homecare.locator('.visit-counts [data-count="completed"] dd').textContent())).toBeGreaterThanOrEqual(1);
    await shot(homecare, 'homecare-visits-laptop');
    await homecare.setViewportSize(PHONE);
    await shot(homecare, 'homecare-visits-phone');
    await clean(homecare);
  }, 600_000);
});
