import { residentIdCheckChar } from '@fbl/codes';
import { createMessage, HomeVisitCompleted, newId } from '@fbl/contracts';
import type { EmbeddedSystem } from '@fbl/embedded';
import { toRecord } from '@fbl/messaging';
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignWords, LAPTOP, rawValues, SHOTS, startBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { ABILITY_ANSWERS } from '../support/builders.js';
import { call } from '../support/http.js';

const PHONE = { width: 390, height: 844 };
/**
 * A fictional table for the demo county (no such Heze rule is known): 10 h a month for a 重度
 * elder living alone, at 20 元 an hour; Rushan's real table does not reach 牡丹区's demo elders.
 */
const TEST_RULES: NonNullable<NonNullable<Parameters<typeof startBrowserHarness>[1]>['homeCareRules']>[number] = { version: 'test-mudan-2026.1', divisionPrefix: '371702', effectiveFrom: '2026-01', rateFen: 2000, rules: [{ id: 'alone-severe', ability: 'severe', anyOf: ['living-alone'], monthlyHours: 10 }], source: 'browser test only' };
/** The month before this one, China time. */
const lastMonth = () => {
  const [y, m] = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7).split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};
const idOf = (first17: string) => first17 + residentIdCheckChar(first17);
/** An elder living alone in 牡丹区, on the special-hardship register. */
const WU = { name: '吴桂兰', first17: '37170219380214004', division: '371702', line: '牡丹区西城街道中华路 12 号' };

/**
 * Civil affairs' monthly 探访 in a real browser (Chromium), embedded mode with demo data: an elder
 * listed as living alone is due a 探访 this month; the assessor takes it on and records it by
 * phone at phone width, and it is marked visited. The register facts show on the elder's record,
 * and the statements page reads in Chinese. Screenshots at laptop and phone width.
 */
describe('the monthly 探访 and the home-care statements page, in a real browser, embedded mode with demo data', () => {
  let ui: BrowserHarness;
  let system: EmbeddedSystem;
  let wuId = '';

  beforeAll(async () => {
    ui = await startBrowserHarness('ui-tanfang-test', { homeCareRules: [TEST_RULES] });
    system = ui.system;
    const token = (await call(system.url, 'POST', '/api/auth/sign-in', { username: 'assessor', password: 'demo2026assessor' })).body['accessToken'] as string;
    const r = await call(system.url, 'POST', '/api/civil-affairs/elders', { idNumber: idOf(WU.first17), name: WU.name, gender: 'female', birthDate: '1938-02-14', address: { divisionCode: WU.division, line: WU.line }, consent: { healthData: true, givenBy: 'elder' } }, token);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    wuId = r.body['id'] as string;
    // Listed during the month: due a 探访 in it at once.
    const fact = await call(system.url, 'POST', `/api/civil-affairs/elders/${wuId}/facts`, { fact: 'living-alone', evidence: '社区居委会证明：独自居住', validFrom: '2026-01-01' }, token);
    expect(fact.status, JSON.stringify(fact.body)).toBe(201);
    const assessed = await call(system.url, 'POST', `/api/civil-affairs/elders/${wuId}/assessments`, { answers: ABILITY_ANSWERS, adjustments: {}, assessors: ['孙评估', '周评估'], reason: 'first', assessedOn: '2026-01-05' }, token);
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(201);
    expect(assessed.body['level']).toBe(4);
  }, 180_000);
  afterAll(async () => ui?.stop());

  const signedIn = async (viewport: { width: number; height: number }) => {
    const page = await ui.open(viewport);
    const faults: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') faults.push(m.text());
    });
    page.on('pageerror', (e) => faults.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 500) faults.push(`${r.status()} ${r.url()}`);
    });
    await ui.signInAs(page, 'assessor');
    return Object.assign(page, { faults });
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const sideways = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');
  const readable = async (page: Page) => {
    expect(await foreignWords(page)).toEqual([]);
    expect(await rawValues(page)).toEqual([]);
  };

  it('lists the elder due a 探访 this month until it is recorded, at phone width', async () => {
    const page = await signedIn(PHONE);
    await page.locator('nav.tabs button[data-tab="tanfang"]').click();
    await expect.poll(() => page.locator('main.assessor h2').textContent()).toContain('本月探访');
    const item = page.locator(`li[data-tanfang]`, { hasText: WU.name });
    await expect.poll(() => item.count(), { timeout: 30_000 }).toBe(1);
    expect(await item.getAttribute('data-visited')).toBe('no');
    expect(await item.innerText()).toContain('独居');
    expect(await item.innerText()).toContain('计划方式：上门');
    expect(await item.locator('.badge').textContent()).toBe('待探访');
    await readable(page);
    expect(await sideways(page)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'assessor-tanfang-due-phone');

    await item.getByRole('button', { name: '由我负责' }).click();
    await expect.poll(() => item.innerText(), { timeout: 30_000 }).toContain('负责');
    await item.getByRole('button', { name: '记录探访' }).click();
    const form = item.locator('form.visit-form');
    await form.getByLabel('探访方式').selectOption('phone');
    expect(await form.locator('select[name="channel"] option').allTextContents()).toEqual(['上门', '电话', '视频']);
    await form.getByLabel('时长（分钟）').fill('12');
    expect(await sideways(page)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'assessor-tanfang-record-phone');
    await form.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => item.getAttribute('data-visited'), { timeout: 30_000 }).toBe('yes');
    expect(await item.locator('.badge').textContent()).toBe('已探访');
    expect(await item.innerText()).toContain('探访时间');
    await readable(page);
    await shot(page, 'assessor-tanfang-visited-phone');
    expect(page.faults).toEqual([]);
    await page.close();
  });

  it('shows the register facts on the elder\'s record and the statements page in Chinese', async () => {
    const page = await signedIn(LAPTOP);
    await page.locator('nav.tabs button[data-tab="elders"]').click();
    const search = page.locator('form.elder-search');
    await search.getByLabel('姓名或身份证号').fill(WU.name);
    await search.getByRole('button', { name: '查找' }).click();
    await expect.poll(() => page.locator('ul.elder-list > li').count(), { timeout: 30_000 }).toBe(1);
    await page.locator('ul.elder-list > li').first().getByRole('button', { name: '查看档案' }).click();
    const facts = page.locator('section.register-facts');
    await expect.poll(() => facts.locator('li[data-fact="living-alone"]').innerText(), { timeout: 30_000 }).toContain('独居');
    expect(await facts.locator('li[data-fact="living-alone"]').innerText()).toContain('社区居委会证明：独自居住');
    // Another fact from the form: 分散居住.
    await facts.getByLabel('类别').selectOption('dispersed-living');
    await facts.getByLabel('依据').fill('居住证明');
    await facts.getByRole('button', { name: '登记' }).click();
    await expect.poll(() => facts.locator('li[data-fact="dispersed-living"]').count(), { timeout: 30_000 }).toBe(1);
    await readable(page);
    await shot(page, 'assessor-register-facts');

    await page.locator('nav.tabs button[data-tab="statements"]').click();
    await expect.poll(() => page.locator('main.assessor h2').textContent()).toContain('购买服务结算');
    await expect.poll(() => page.locator('section.statements .empty').textContent(), { timeout: 30_000 }).toBe('该月没有居家养老上门服务记录');
    await readable(page);
    expect(await sideways(page)).toBeLessThanOrEqual(LAPTOP.width);
    await shot(page, 'assessor-statements-empty');
    expect(page.faults).toEqual([]);
    await page.close();
  });
  it('issues last month\'s statement for the home-care provider and downloads it as Excel with the same figures', async () => {
    const institutions = (await call(system.url, 'GET', '/api/home-care-beds/institutions', undefined, (await call(system.url, 'POST', '/api/auth/sign-in', { username: 'assessor', password: 'demo2026assessor' })).body['accessToken'] as string)).body as unknown as { id: string; name: string }[];
    const provider = institutions.find((i) => i.name === '牡丹区邻里居家养老服务站')!;
    // The provider's worker made a 6-hour visit last month (as the home-care bed service publishes it).
    const month = lastMonth();
    const start = new Date(`${month}-10T09:00:00+08:00`);
    const data = {
      visitId: newId(), elderRef: wuId, divisionCode: WU.division, institutionId: provider.id, bedType: 'home-care' as const, purpose: 'service' as const, channel: 'home' as const,
      windowStart: start.toISOString(), windowEnd: new Date(start.getTime() + 8 * 3600_000).toISOString(), checkedInAt: start.toISOString(), checkedOutAt: new Date(start.getTime() + 6 * 3600_000).toISOString(),
      minutes: 360, items: [{ code: 'meal', minutes: 240 }, { code: 'cleaning', minutes: 120 }], confirmation: 'signature' as const, late: false,
    };
    const m = createMessage(HomeVisitCompleted, data.visitId, data, { source: 'home-care-beds' }, { topic: 'home-care-beds.events' });
    await system.deps.bus.publish([toRecord(m.topic, m.key, m.envelope)]);

    const page = await signedIn(LAPTOP);
    await page.locator('nav.tabs button[data-tab="statements"]').click();
    const row = page.locator(`li[data-provider="${provider.id}"]`);
    await expect.poll(async () => (await row.count()) === 1 && (await row.innerText()), { timeout: 60_000 }).toContain('上门服务 1 次');
    expect(await row.innerText()).toContain(provider.name);
    await row.getByRole('button', { name: '开具结算单' }).click();
    const line = row.locator('.statement-line');
    await expect.poll(() => line.count(), { timeout: 30_000 }).toBe(1);
    expect(await line.innerText()).toContain('1 位老人 · 结算 6 小时 · 金额 120.00 元（单价 20.00 元/小时）');
    expect(await row.getByRole('button', { name: '开具更正单' }).count()).toBe(1);
    await readable(page);
    await shot(page, 'assessor-statements-issued');

    const [file] = await Promise.all([page.waitForEvent('download'), line.getByRole('button', { name: '下载电子表格' }).click()]);
    expect(file.suggestedFilename()).toBe(`居家养老服务结算单-${month}-${provider.name}.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await file.path())!);
    const rows: unknown[][] = [];
    book.getWorksheet('结算单')!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows).toContainEqual(['服务机构', provider.name]);
    expect(rows.find((r) => r[0] === WU.name)).toEqual([WU.name, '菏泽市牡丹区', 10, 6, 6, 120, 2, 4]);

    // Nothing changed since: a correction is refused, and the page says so in Chinese.
    await row.getByRole('button', { name: '开具更正单' }).click();
    await expect.poll(() => page.locator('section.statements .form-error').textContent(), { timeout: 30_000 }).toBe('没有可结算的服务，或自上次开具以来没有变化');
    await page.setViewportSize(PHONE);
    expect(await sideways(page)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'assessor-statements-issued-phone');
    expect(page.faults.filter((f) => !f.includes('409'))).toEqual([]);
    await page.close();
  });
});
