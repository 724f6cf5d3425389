import { CIVIL_AFFAIRS, bedEventsTopic, createMessage, eventsTopic, HomeVisitCompleted, HomeVisitMissed, newId, TanfangScheduled } from '@fbl/contracts';
import type { EmbeddedSystem } from '@fbl/embedded';
import { toRecord } from '@fbl/messaging';
import { waitFor } from '@fbl/testing';
import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOf, analystFor, plannerAt, type Site } from '../support/actors.js';
import { foreignWords, LAPTOP, rawValues, SHOTS, startBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { call } from '../support/http.js';
import { answerOffers, dischargeRequest, referral, waitForState } from './scenarios.js';

const PHONE = { width: 390, height: 844 };
const REFERENCE = /^\d{8}-\d{6}$/;

/**
 * The health commission's analyst in a real browser, on the demo data with a few referrals from
 * the demo hospital in 牡丹区: picks a county, opens the referrals behind a count (by their
 * numbers, with where each stopped and since when, no identity), is told in Chinese what is wrong
 * with a period, and downloads the dashboard as an Excel workbook, which the test opens.
 */
describe("the analyst's dashboard in a real browser (Chromium): county picker, drill-down, Excel workbook", () => {
  let ui: BrowserHarness;
  let system: EmbeddedSystem;
  let site: Site;
  let analyst: Page & { consoleErrors: string[] };
  const ids = { declined: '', urgent: '', waiting: '' };

  beforeAll(async () => {
    ui = await startBrowserHarness('ui-analyst-test');
    ({ system, site } = ui);
    const hospitals = (await call(system.url, 'GET', '/api/medical-beds/institutions', undefined, adminOf(site))).body as unknown as { id: string; name: string }[];
    const hospitalId = hospitals.find((i) => i.name === '菏泽牡丹颐康医院')!.id;
    const planner = plannerAt(site, hospitalId);
    const start = async (extra: object) => {
      const created = await call(system.url, 'POST', '/api/referrals', dischargeRequest(hospitalId, extra), planner);
      expect(created.status, JSON.stringify(created.body)).toBe(202);
      return created.body['id'] as string;
    };
    // Three referrals from the hospital in 牡丹区: one every provider declines, one green-channel
    // waiting for answers, one waiting for its ability assessment.
    ids.declined = await start({});
    ids.urgent = await start({ urgency: 'green-channel' });
    ids.waiting = await start({ facts: {} });
    await waitForState(site, ids.declined, 'offering');
    await answerOffers(site, ids.declined, []);
    await waitFor(async () => ((await referral(site, ids.declined))['offers'] as { status: string }[]).some((o) => o.status === 'declined'), { what: 'an offer of the first referral to be declined', timeoutMs: 30_000 });
    await waitForState(site, ids.waiting, 'eligibility');
    // The commission's projections have seen all three.
    const token = analystFor(site, '371700');
    await waitFor(async () => {
      const board = (await call(system.url, 'GET', '/api/monitoring/dashboard?division=371702', undefined, token)).body as { metrics: { metric: string; rows: { values: Record<string, number> }[] }[] };
      return (board.metrics.find((m) => m.metric === 'closed-loop')?.rows[0]?.values['started'] ?? 0) >= 3;
    }, { what: 'the monitoring projections to count the three referrals', timeoutMs: 30_000 });

    // Home visits of a home-care provider in 牡丹区 (one made late, one missed), and two elders due
    // their 探访 this month, one of them visited: as the bed service and civil affairs publish them.
    const homeCare = (await call(system.url, 'GET', '/api/home-care-beds/institutions', undefined, adminOf(site))).body as unknown as { id: string }[];
    const now = Date.now();
    const month = new Date(now + 8 * 3600_000).toISOString().slice(0, 7);
    const visit = (purpose: 'service' | 'tanfang', extra: object) => ({
      visitId: newId(),
      elderRef: newId(),
      divisionCode: '371702',
      purpose,
      channel: 'home' as const,
      windowStart: new Date(now - 3 * 3600_000).toISOString(),
      windowEnd: new Date(now - 3600_000).toISOString(),
      ...extra,
    });
    const made = (v: ReturnType<typeof visit>, late: boolean) => ({ ...v, checkedInAt: new Date(now - 2 * 3600_000).toISOString(), checkedOutAt: new Date(now - 3600_000).toISOString(), minutes: 60, items: [], confirmation: 'signature' as const, late });
    const bedTopic = bedEventsTopic('home-care');
    const civil = eventsTopic(CIVIL_AFFAIRS);
    const provider = { institutionId: homeCare[0]!.id, bedType: 'home-care' as const };
    const dueElders = [newId(), newId()];
    const tanfangIds = [newId(), newId()];
    const messages = [
      createMessage(HomeVisitCompleted, newId(), made(visit('service', provider), true), { source: bedTopic }, { topic: bedTopic }),
      createMessage(HomeVisitMissed, newId(), { ...visit('service', provider), flaggedAt: new Date(now).toISOString() }, { source: bedTopic }, { topic: bedTopic }),
      ...dueElders.map((elderRef, i) => createMessage(TanfangScheduled, tanfangIds[i]!, { tanfangId: tanfangIds[i]!, elderRef, divisionCode: '371702', month, categories: ['living-alone'], channel: 'home', scheduledAt: new Date(now).toISOString() }, { source: civil }, { topic: civil })),
      createMessage(HomeVisitCompleted, newId(), made(visit('tanfang', { elderRef: dueElders[0]!, tanfangId: tanfangIds[0]! }), false), { source: civil }, { topic: civil }),
    ];
    await system.deps.bus.publish(messages.map((m) => toRecord(m.topic, m.key, m.envelope)));
    await waitFor(async () => {
      const board = (await call(system.url, 'GET', '/api/monitoring/dashboard?division=371702', undefined, token)).body as { metrics: { metric: string; rows: { values: Record<string, number> }[] }[] };
      return (board.metrics.find((m) => m.metric === 'tanfang-rate')?.rows[0]?.values['scheduled'] ?? 0) >= 2 && (board.metrics.find((m) => m.metric === 'home-visits')?.rows[0]?.values['planned'] ?? 0) >= 2;
    }, { what: 'the monitoring projections to count the visits and 探访', timeoutMs: 30_000 });
  }, 180_000);
  afterAll(async () => ui?.stop());

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const figure = (name: string) => analyst.locator(`section.cards [data-figure="${name}"] strong`);
  const drill = () => analyst.locator('section.drill');
  const apply = () => analyst.getByRole('button', { name: '查询' }).click();

  it('lets the analyst pick a county and see its figures, none in a county without referrals', async () => {
    const page = await ui.open(LAPTOP);
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await ui.signInAs(page, 'analyst');
    analyst = Object.assign(page, { consoleErrors: errors });
    await expect.poll(() => analyst.locator('h2').textContent(), { timeout: 30_000 }).toBe('闭环监测');
    await expect.poll(() => figure('started').textContent(), { timeout: 30_000 }).toMatch(/^[1-9]\d*$/);

    const division = analyst.getByLabel('行政区划');
    await division.selectOption('371723');
    await apply();
    await expect.poll(() => figure('started').textContent(), { timeout: 30_000 }).toBe('0');
    // Nothing counted, nothing to open.
    expect(await analyst.locator('section.cards [data-figure="started"] button').count()).toBe(0);

    await division.selectOption('371702');
    await apply();
    await expect.poll(async () => Number(await figure('started').textContent()), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    expect(await foreignWords(analyst)).toEqual([]);
    expect(await rawValues(analyst)).toEqual([]);
  });

  it('opens the referrals behind a count: their numbers, bed type, where each stopped and since when, paged on the server, no identity', async () => {
    const open = Number(await figure('open').textContent());
    expect(open).toBeGreaterThanOrEqual(2);
    await analyst.locator('section.cards [data-figure="open"] button.drill-count').click();
    await expect.poll(() => drill().getAttribute('data-total'), { timeout: 30_000 }).toBe(String(open));
    expect(await drill().locator('h3').textContent()).toBe('转诊明细：闭环率 · 未闭环');
    const rows = drill().locator('tbody tr');
    expect(await rows.count()).toBe(Math.min(open, 20));
    const references = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-reference')));
    expect(references.every((r) => REFERENCE.test(r ?? ''))).toBe(true);
    // The planner's number of the green-channel referral is among them, with its badge.
    const urgentNumber = (await referral(site, ids.urgent))['reference'] as string;
    expect(references).toContain(urgentNumber);
    const urgentRow = drill().locator(`tr[data-reference="${urgentNumber}"]`);
    expect(await urgentRow.locator('.badge').textContent()).toBe('绿色通道');
    expect(await urgentRow.innerText()).toMatch(/养老床位.*(待机构响应|匹配|无机构接收|已上报卫健委)/s);
    expect(await urgentRow.innerText()).toContain('牡丹区 · 菏泽牡丹颐康医院');
    // No identity: no elder reference and no UUID reaches the page.
    const text = await analyst.evaluate<string>('document.body.innerText');
    expect(text).not.toMatch(/elder-[a-z0-9]{6}/);
    expect(await foreignWords(analyst)).toEqual([]);
    expect(await rawValues(analyst)).toEqual([]);

    // A stopped stage's count: the referral waiting for its assessment, since when it waits.
    const waitingNumber = (await referral(site, ids.waiting))['reference'] as string;
    await analyst.locator('section.stages tr[data-stage="eligibility"] [data-figure="open"] button').click();
    await expect.poll(() => drill().locator('h3').textContent(), { timeout: 30_000 }).toBe('转诊明细：未闭环转诊（按停留环节） · 资格评估');
    await expect.poll(() => drill().locator('tbody tr').count(), { timeout: 30_000 }).toBe(1);
    const waiting = drill().locator('tbody tr').first();
    expect(await waiting.getAttribute('data-reference')).toBe(waitingNumber);
    expect(await waiting.locator('td.stage').textContent()).toBe('资格评估');
    expect(await waiting.innerText()).toMatch(/\d{4}\/\d{1,2}\/\d{1,2} \d{1,2}:\d{2}/);

    // A count among every metric's figures: the declined offers, with the provider that declined.
    await analyst.locator('details[data-metric="decline-reasons"] summary').click();
    const declined = analyst.locator('details[data-metric="decline-reasons"] tr[data-sub="no-capacity"]');
    expect(await declined.locator('td').first().textContent()).toBe('床位已满');
    const declinedCount = Number(await declined.locator('[data-figure="declined"]').textContent());
    expect(declinedCount).toBeGreaterThanOrEqual(1);
    await declined.locator('[data-figure="declined"] button').click();
    await expect.poll(() => drill().getAttribute('data-total'), { timeout: 30_000 }).toBe(String(declinedCount));
    const declinedNumber = (await referral(site, ids.declined))['reference'] as string;
    expect(await drill().locator(`tr[data-reference="${declinedNumber}"]`).count()).toBeGreaterThanOrEqual(1);
    expect(await drill().innerText()).toContain('菏泽');
    expect(await foreignWords(analyst)).toEqual([]);
    expect(await analyst.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(LAPTOP.width);
    await shot(analyst, 'analyst-drill-down');

    // At phone width the list scrolls inside its box; the page does not widen.
    await analyst.setViewportSize(PHONE);
    await expect.poll(() => analyst.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    expect(await foreignWords(analyst)).toEqual([]);
    await shot(analyst, 'analyst-drill-down-phone');
    await analyst.setViewportSize(LAPTOP);
    await drill().getByRole('button', { name: '关闭' }).click();
    expect(await drill().count()).toBe(0);
  });

  it('says in Chinese what is wrong with a period, and sends nothing', async () => {
    const from = analyst.getByLabel('开始日期');
    const before = await from.inputValue();
    await from.fill('');
    await apply();
    expect(await analyst.locator('.dashboard .form-error').textContent()).toBe('请选择开始日期和结束日期');
    await analyst.getByRole('button', { name: '导出电子表格' }).click();
    expect(await analyst.locator('.dashboard .form-error').textContent()).toBe('请选择开始日期和结束日期');
    await from.fill('2020-01-01');
    await apply();
    expect(await analyst.locator('.dashboard .form-error').textContent()).toBe('统计期间不能超过三年');
    await from.fill(before);
    await apply();
    await expect.poll(() => analyst.locator('.dashboard .form-error').textContent()).toBe('');
  });

  it('downloads the whole dashboard as an Excel workbook that holds the figures shown, in Chinese, with percentages', async () => {
    const started = Number(await figure('started').textContent());
    const rateShown = await figure('closed-loop-rate').textContent();
    const from = await analyst.getByLabel('开始日期').inputValue();
    const to = await analyst.getByLabel('结束日期').inputValue();
    const [file] = await Promise.all([analyst.waitForEvent('download', { timeout: 60_000 }), analyst.getByRole('button', { name: '导出电子表格' }).click()]);
    expect(file.suggestedFilename()).toBe(`闭环监测_菏泽市牡丹区_${from}_${to}.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await readFile((await file.path())!)) as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.name).toBe('汇总');
    expect(book.worksheets.map((s) => s.name)).toEqual(expect.arrayContaining(['闭环率', '接收率', '未闭环转诊（按停留环节）', '拒收原因']));

    const summary = book.getWorksheet('汇总')!;
    const cells = (n: number) => (summary.getRow(n).values as unknown[]).slice(1);
    expect(cells(2)).toEqual(['统计期间', `${from} 至 ${to}`]);
    expect(cells(3)).toEqual(['行政区划', '菏泽市牡丹区']);
    const line = (metric: string, item: string) => {
      for (let n = 1; n <= summary.rowCount; n++) {
        const row = summary.getRow(n);
        if (row.getCell(1).value === metric && row.getCell(3).value === item) return row.getCell(4);
      }
      throw new Error(`no line ${metric} · ${item} in the summary`);
    };
    expect(line('闭环率', '发起转诊').value).toBe(started);
    const rate = line('闭环率', '闭环率');
    if (rateShown === '—') expect(rate.value ?? null).toBeNull();
    else {
      expect(typeof rate.value).toBe('number');
      expect(`${((rate.value as number) * 100).toFixed(1)}%`).toBe(rateShown);
    }
    expect(rate.numFmt).toBe('0.0%');
    const acceptance = line('接收率', '接收率');
    expect(typeof acceptance.value).toBe('number');
    expect(acceptance.numFmt).toBe('0.0%');

    const stages = book.getWorksheet('未闭环转诊（按停留环节）')!;
    expect((stages.getRow(1).values as unknown[]).slice(1)).toEqual(['分组方式', '分组', '停留环节', '未闭环', '其中绿色通道']);
    expect(stages.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const eligibility = [];
    for (let n = 2; n <= stages.rowCount; n++) if (stages.getRow(n).getCell(1).value === '合计' && stages.getRow(n).getCell(3).value === '资格评估') eligibility.push(stages.getRow(n).getCell(4).value);
    expect(eligibility).toEqual([1]);

    // One metric's CSV, from its table: Chinese headings, shares as percentages.
    await analyst.locator('details[data-metric="acceptance-rate"] summary').click();
    const [csv] = await Promise.all([analyst.waitForEvent('download', { timeout: 60_000 }), analyst.locator('details[data-metric="acceptance-rate"] [data-action="export-csv"]').click()]);
    expect(csv.suggestedFilename()).toBe(`接收率_菏泽市牡丹区_${from}_${to}.csv`);
    const lines = (await readFile((await csv.path())!, 'utf8')).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('月份,接收,拒收,超时未响应,待响应,接收率');
    expect(lines.slice(1).every((l) => /,(\d+\.\d%)?$/.test(l))).toBe(true);
    expect(await foreignWords(analyst)).toEqual([]);
    await shot(analyst, 'analyst-dashboard-metrics');
    await analyst.setViewportSize(PHONE);
    await expect.poll(() => analyst.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await shot(analyst, 'analyst-dashboard-metrics-phone');
    // Every metric's table, all open: Chinese words only, no raw value, nothing wider than the phone.
    await analyst.locator('details.metric').evaluateAll((all) => all.forEach((d) => d.setAttribute('open', '')));
    expect(await analyst.locator('details.metric table.figures, details.metric .empty').count()).toBe(19);
    expect(await foreignWords(analyst)).toEqual([]);
    expect(await rawValues(analyst)).toEqual([]);
    await expect.poll(() => analyst.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    expect(analyst.consoleErrors).toEqual([]);
  });

  it('shows home visits done ÷ planned, missed and late, and the monthly 探访 rate by county against its 100 % target', async () => {
    await analyst.setViewportSize(LAPTOP);
    await analyst.getByLabel('行政区划').selectOption('371702');
    await apply();
    const panel = analyst.locator('section[data-panel="visits"]');
    const card = (name: string) => panel.locator(`[data-figure="${name}"] strong`);
    await expect.poll(() => card('home-visits-rate').textContent(), { timeout: 30_000 }).toBe('50.0%');
    expect(await card('home-visits-missed').textContent()).toBe('1');
    expect(await card('home-visits-late').textContent()).toBe('1');
    await expect.poll(() => card('tanfang-rate').textContent(), { timeout: 30_000 }).toBe('50.0%');
    expect(await panel.locator('[data-figure="tanfang-rate"] .target').innerText()).toBe('目标 100.0% 未达标');
    const county = panel.locator('table[data-table="tanfang-by-county"] tr[data-county="371702"]');
    expect(await county.locator('td').first().textContent()).toBe('牡丹区');
    expect(await county.locator('[data-figure="scheduled"]').textContent()).toBe('2');
    expect(await county.locator('[data-figure="visited"]').textContent()).toBe('1');
    expect(await county.locator('[data-target]').getAttribute('data-target')).toBe('missed');
    const providerRow = panel.locator('table[data-table="visits-by-provider"] tbody tr').first();
    expect(await providerRow.locator('[data-figure="planned"]').textContent()).toBe('2');
    expect(await providerRow.locator('td').first().textContent()).not.toBe('未知');
    expect(await foreignWords(analyst)).toEqual([]);
    expect(await rawValues(analyst)).toEqual([]);
    expect(await analyst.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(LAPTOP.width);
    await panel.scrollIntoViewIfNeeded();
    await shot(analyst, 'analyst-dashboard-visits');
    await analyst.setViewportSize(PHONE);
    await expect.poll(() => analyst.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await shot(analyst, 'analyst-dashboard-visits-phone');
    expect(analyst.consoleErrors).toEqual([]);
  });
});
