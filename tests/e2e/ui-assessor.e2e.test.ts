import { residentIdCheckChar } from '@fbl/codes';
import type { EmbeddedSystem } from '@fbl/embedded';
import { waitFor } from '@fbl/testing';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOf, plannerAt, type Site } from '../support/actors.js';
import { foreignWords, LAPTOP, rawValues, SHOTS, startBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { ABILITY_ANSWERS } from '../support/builders.js';
import { call } from '../support/http.js';
import { waitForState } from './scenarios.js';

const PHONE = { width: 390, height: 844 };
/** The 26 items of GB/T 42195-2022 and their maximum scores, in the standard's order. */
const MAXIMA: [string, number][] = [
  ['eating', 4], ['grooming', 4], ['bathing', 4], ['dressingUpper', 4], ['dressingLower', 4], ['urineControl', 4], ['bowelControl', 4], ['toileting', 4],
  ['bedPositioning', 4], ['bedChairTransfer', 4], ['walkingFlat', 4], ['stairs', 3],
  ['orientationTime', 4], ['orientationPlace', 4], ['orientationPerson', 4], ['memory', 4], ['understanding', 4], ['expression', 4], ['aggression', 1], ['depressiveSymptoms', 1], ['consciousness', 2],
  ['vision', 2], ['hearing', 2], ['dailyAffairs', 4], ['goingOut', 3], ['socialInteraction', 4],
];
const idOf = (first17: string) => first17 + residentIdCheckChar(first17);
/** A demo elder never assessed (the embedded run registers him in 牡丹区). */
const LIU = { name: '刘建国', idNumber: idOf('37170219440708005') };
/** Elders this test registers: two namesakes in two counties, and one more. */
const ZHOU = { name: '周长海', first17: '37170219420315007', division: '371702', line: '牡丹区牡丹街道桂陵路 21 号' };
const ZHOU_CHENGWU = { name: '周长海', first17: '37172319500820003', division: '371723', line: '成武县文亭街道永昌路 66 号' };
const SUN = { name: '孙玉梅', first17: '37170219390611008', division: '371702', line: '牡丹区东城街道八一路 5 号' };

/**
 * The civil-affairs assessor's day in a real browser (Chromium) on the demo data, and the planner
 * finding an elder by name: a green-channel referral's assessment comes first in the queue with
 * its badge; the assessor finds an elder by name, opens the record, starts an assessment
 * unprompted on a form in the standard's words, saves it and reads the level. Screenshots at
 * laptop and phone width.
 */
describe('the assessor\'s workspace and the planner\'s search by name, in a real browser, embedded mode with demo data', () => {
  let ui: BrowserHarness;
  let system: EmbeddedSystem;
  let site: Site;
  let hospitalId: string;
  let assessorToken: string;
  const ids: Record<string, string> = {};
  const referrals = { routine: '', green: '' };

  beforeAll(async () => {
    ui = await startBrowserHarness('ui-assessor-test');
    ({ system, site } = ui);
    const hospitals = (await call(system.url, 'GET', '/api/medical-beds/institutions', undefined, adminOf(site))).body as unknown as { id: string; name: string }[];
    hospitalId = hospitals.find((i) => i.name === '菏泽牡丹颐康医院')!.id;
    assessorToken = (await call(system.url, 'POST', '/api/auth/sign-in', { username: 'assessor', password: 'demo2026assessor' })).body['accessToken'] as string;
    // Elders the assessor registers (as on the register form), none assessed yet.
    for (const [key, e] of Object.entries({ zhou: ZHOU, zhouChengwu: ZHOU_CHENGWU, sun: SUN })) {
      const birthDate = `${e.first17.slice(6, 10)}-${e.first17.slice(10, 12)}-${e.first17.slice(12, 14)}`;
      const r = await call(system.url, 'POST', '/api/civil-affairs/elders', { idNumber: idOf(e.first17), name: e.name, gender: Number(e.first17[16]) % 2 === 1 ? 'male' : 'female', birthDate, address: { divisionCode: e.division, line: e.line }, consent: { healthData: true, givenBy: 'elder' } }, assessorToken);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids[key] = r.body['id'] as string;
    }
  }, 180_000);
  afterAll(async () => ui?.stop());

  /** A signed-in page whose console errors and failed responses are collected. */
  const signedIn = async (username: string, viewport: { width: number; height: number }) => {
    const page = await ui.open(viewport);
    const faults: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') faults.push(m.text());
    });
    page.on('pageerror', (e) => faults.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 500) faults.push(`${r.status()} ${r.url()}`);
    });
    await ui.signInAs(page, username);
    return Object.assign(page, { faults });
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const sideways = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');
  const readable = async (page: Page) => {
    expect(await foreignWords(page)).toEqual([]);
    expect(await rawValues(page)).toEqual([]);
  };

  it('lets the planner find an elder by name among namesakes and start a green-channel referral for a care bed', async () => {
    // A routine referral for another elder first: its assessment request is due before the green one's.
    const routine = await call(system.url, 'POST', '/api/referrals', { elderRef: ids['sun'], urgency: 'routine', origin: { institutionId: hospitalId, bedType: 'medical', divisionCode: '371702' }, requestedBedTypes: ['care'], requirements: { nursingType: true } }, plannerAt(site, hospitalId));
    expect(routine.status, JSON.stringify(routine.body)).toBe(202);
    referrals.routine = routine.body['id'] as string;
    await waitForState(site, referrals.routine, 'eligibility');

    const planner = await signedIn('planner', LAPTOP);
    const finder = planner.locator('.find-elder');
    // Part of a name finds nobody, and says what to do.
    await finder.getByLabel('或按姓名查找').fill('周长');
    await finder.getByRole('button', { name: '查找' }).click();
    await expect.poll(() => finder.locator('.empty').textContent(), { timeout: 30_000 }).toContain('未找到姓名为「周长」的老人');
    // The whole name: two namesakes, told apart by sex, age, county and masked ID number.
    await finder.getByLabel('或按姓名查找').fill('周长海');
    await finder.getByLabel('或按姓名查找').press('Enter');
    const candidates = finder.locator('ul.candidates li');
    await expect.poll(() => candidates.count(), { timeout: 30_000 }).toBe(2);
    expect(await finder.locator('.status').textContent()).toBe('找到 2 位老人，请核对后选择');
    const mudan = finder.locator(`li[data-elder="${ids['zhou']}"]`);
    expect(await mudan.innerText()).toMatch(/周长海\s+男 · \d+ 岁 · 菏泽市牡丹区 · 371702\*{8}\d{3}[\dX]/);
    expect(await finder.locator(`li[data-elder="${ids['zhouChengwu']}"]`).innerText()).toContain('菏泽市成武县');
    expect(await finder.innerText()).not.toContain(idOf(ZHOU.first17));
    await readable(planner);
    await shot(planner, 'assessor-planner-find-by-name');
    await mudan.getByRole('button', { name: '选择' }).click();
    await expect.poll(() => planner.locator('#id-message').textContent(), { timeout: 30_000 }).toContain(`已找到: ${ZHOU.name} 371702********`);
    expect(await mudan.locator('.badge').textContent()).toBe('已选择');

    // A green-channel referral toward a nursing-type care bed: the elder was never assessed, so civil affairs is asked.
    await planner.locator('select[name="bedType"]').selectOption('care');
    await planner.locator('input[name="urgent"]').check();
    await planner.locator('#pk-consent').check();
    await planner.getByRole('button', { name: '提交转诊' }).click();
    const detail = planner.locator('section.referral');
    await expect.poll(() => detail.getAttribute('data-referral'), { timeout: 30_000 }).toMatch(/^[0-9a-f-]{36}$/);
    referrals.green = (await detail.getAttribute('data-referral'))!;
    expect(await detail.locator('h2 .badge').textContent()).toBe('绿色通道');
    const eligibility = await waitForState(site, referrals.green, 'eligibility');
    expect(eligibility['elderRef']).toBe(ids['zhou']);
    expect(eligibility['urgency']).toBe('green-channel');

    // At phone width the search and its candidates fit the screen.
    const phone = await signedIn('planner', PHONE);
    await phone.locator('.find-elder').getByLabel('或按姓名查找').fill('周长海');
    await phone.locator('.find-elder').getByRole('button', { name: '查找' }).click();
    await expect.poll(() => phone.locator('ul.candidates li').count(), { timeout: 30_000 }).toBe(2);
    expect(await sideways(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'assessor-planner-find-by-name-phone');
    for (const page of [planner, phone]) {
      expect(page.faults).toEqual([]);
      await page.close();
    }
  });

  it('puts the green-channel assessment request first in the assessor\'s queue, with its badge, at laptop and phone width', async () => {
    expect(referrals.green, 'the planner started the green-channel referral').not.toBe('');
    await waitFor(async () => {
      const queue = (await call(system.url, 'GET', '/api/civil-affairs/assessment-requests', undefined, assessorToken)).body as unknown as { referralId: string }[];
      return [referrals.green, referrals.routine].every((id) => queue.some((q) => q.referralId === id)) || undefined;
    }, { what: 'both assessment requests in the assessors\' queue', timeoutMs: 30_000 });

    const page = await signedIn('assessor', LAPTOP);
    await expect.poll(() => page.locator('main.assessor h2').textContent(), { timeout: 30_000 }).toContain('评估任务');
    const rows = page.locator('ul.requests > li');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const order = await rows.evaluateAll((els) => els.map((e) => ({ referral: e.getAttribute('data-referral'), urgency: e.getAttribute('data-urgency') })));
    // Every green-channel request comes before every routine one, ours among them.
    const lastGreen = order.map((o) => o.urgency).lastIndexOf('green-channel');
    const firstRoutine = order.map((o) => o.urgency).indexOf('routine');
    expect(firstRoutine === -1 || lastGreen < firstRoutine).toBe(true);
    const green = order.findIndex((o) => o.referral === referrals.green);
    const routine = order.findIndex((o) => o.referral === referrals.routine);
    expect(green).toBeGreaterThanOrEqual(0);
    expect(green).toBeLessThan(routine);
    const greenRow = page.locator(`li[data-referral="${referrals.green}"]`);
    expect(await greenRow.locator('.badge.green-channel').textContent()).toBe('绿色通道');
    expect(await greenRow.locator('.elder-name').textContent()).toBe(ZHOU.name);
    expect(await greenRow.innerText()).toMatch(/男 · \d+ 岁（1942 年生） · 菏泽市牡丹区 · 371702\*{8}/);
    expect(await page.locator(`li[data-referral="${referrals.routine}"] .badge.green-channel`).count()).toBe(0);
    await readable(page);
    expect(await sideways(page)).toBeLessThanOrEqual(LAPTOP.width);
    await shot(page, 'assessor-queue-green-channel');

    // The green one, opened from the queue: the form knows the request's reason.
    await greenRow.getByRole('button', { name: '录入能力评估' }).click();
    await expect.poll(() => page.locator('.elder-name').textContent(), { timeout: 30_000 }).toBe(ZHOU.name);
    expect(await page.getByLabel('评估原因').inputValue()).toBe('immediate');
    await page.getByRole('button', { name: '返回任务列表' }).first().click();
    await expect.poll(() => greenRow.count()).toBe(1);

    await page.setViewportSize(PHONE);
    await expect.poll(() => greenRow.locator('.badge.green-channel').isVisible()).toBe(true);
    expect(await sideways(page)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'assessor-queue-green-channel-phone');
    expect(page.faults).toEqual([]);
    await page.close();
  });

  it('lets the assessor find an elder by name, open the record, start an assessment unprompted on the standard\'s words, save it and see the level', async () => {
    const page = await signedIn('assessor', LAPTOP);
    await page.locator('nav.tabs button[data-tab="elders"]').click();
    await expect.poll(() => page.locator('main.assessor h2').textContent()).toContain('老人查询');
    // The division's elders, newest registered first, a page at a time.
    await expect.poll(() => page.locator('ul.elder-list > li').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const search = page.locator('form.elder-search');
    await search.getByLabel('姓名或身份证号').fill('刘建');
    await search.getByRole('button', { name: '查找' }).click();
    await expect.poll(() => page.locator('.elders .empty').textContent(), { timeout: 30_000 }).toContain('未找到「刘建」');
    await search.getByLabel('姓名或身份证号').fill(LIU.name);
    await search.getByRole('button', { name: '查找' }).click();
    const rows = page.locator('ul.elder-list > li');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(1);
    const liu = rows.first();
    expect(await liu.locator('.elder-name').textContent()).toBe(LIU.name);
    expect(await liu.innerText()).toMatch(/男 · \d+ 岁（1944 年生） · 菏泽市牡丹区 · 371702\*{8}/);
    expect(await liu.locator('.badge.due').textContent()).toBe('尚未评估');
    await readable(page);
    await shot(page, 'assessor-elders-search');

    // The record: whole identity for the assessor, and no assessment yet.
    await liu.getByRole('button', { name: '查看档案' }).click();
    const record = page.locator('section.elder-record');
    await expect.poll(() => record.locator('.kv').innerText(), { timeout: 30_000 }).toContain(LIU.idNumber);
    expect(await record.locator('.history .empty').textContent()).toBe('尚无评估记录。点击「开始评估」录入首次评估。');
    await readable(page);

    // Unprompted: no request asked for it; the reason is chosen on the form (first, as he was never assessed).
    await record.getByRole('button', { name: '开始评估' }).click();
    await expect.poll(() => page.locator('.elder-name').textContent(), { timeout: 30_000 }).toBe(LIU.name);
    expect(await page.locator('main.assessment').getAttribute('data-request')).toBe('');
    expect(await page.getByLabel('评估原因').inputValue()).toBe('first');
    expect(await page.locator('#reason option').allTextContents()).toEqual(['请选择', '首次评估', '常规评估', '即时评估', '复评', '其他']);

    // Each item offers its scores in the standard's words, and only those.
    const labelsOf = (code: string) => page.locator(`fieldset[data-item="${code}"] .score-options label`).allInnerTexts();
    expect(await labelsOf('aggression')).toEqual(['1分 未出现', '0分 近一个月内出现过攻击行为']);
    expect(await labelsOf('depressiveSymptoms')).toEqual(['1分 未出现', '0分 近一个月内出现过负性情绪']);
    expect((await labelsOf('consciousness'))[0]).toMatch(/^2分 神志清醒/);
    expect(await labelsOf('grooming')).toEqual(['4分 独立完成，不需要协助', '3分 在他人指导或提示下完成', '2分 需要他人协助，但以自身完成为主', '1分 主要依靠他人协助，自身能给予配合', '0分 完全依赖他人协助，且不能给予配合']);
    expect(await page.locator('fieldset[data-item]').evaluateAll((els) => els.map((e) => e.getAttribute('data-item')))).toEqual(MAXIMA.map(([code]) => code));
    for (const [code, max] of MAXIMA) {
      const labels = await labelsOf(code);
      // Every score from the maximum down to 0, each with words after it.
      expect(labels.map((l) => l.match(/^(\d)分 \S/)?.[1]), code).toEqual(Array.from({ length: max + 1 }, (_, i) => String(max - i)));
    }
    expect(await page.locator('fieldset[data-item="eating"] legend').textContent()).toBe('B.1.1 进食');
    expect(await page.locator('fieldset[data-item="eating"] .hint').first().textContent()).toBe('使用适当的器具将食物送入口中并咽下');
    // The adjustments carry the grading clauses' words: coma is complete loss, whatever B.3.9's older note says.
    expect(await page.getByRole('list', { name: '标准原文（GB/T 42195-2022 等级变更）：' }).locator('li').first().textContent()).toBe('处于昏迷状态者，直接评定为能力完全丧失（完全失能）');
    await readable(page);
    expect(await sideways(page)).toBeLessThanOrEqual(LAPTOP.width);
    await shot(page, 'assessor-form-wording');

    // Saving with an item left out names it in Chinese and moves there.
    for (const [code, value] of Object.entries(ABILITY_ANSWERS)) if (code !== 'memory') await page.locator(`fieldset[data-item="${code}"] input[value="${value}"]`).check();
    await page.getByLabel('评估员一（姓名）').fill('孙评估');
    await page.getByLabel('评估员二（姓名）').fill('周评估');
    await page.getByRole('button', { name: '保存评估' }).click();
    expect(await page.locator('#item-memory-error').textContent()).toBe('请选择');
    expect(await page.locator('#item-memory').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('item-memory');
    await page.locator(`fieldset[data-item="memory"] label`).filter({ hasText: `${ABILITY_ANSWERS['memory']}分 ` }).click();
    expect(await page.locator('#item-memory-error').textContent()).toBe('');
    await page.getByRole('button', { name: '保存评估' }).click();

    // Saved: the level shows, and the record lists the assessment.
    const result = page.locator('.assessment-result');
    await expect.poll(() => result.count(), { timeout: 30_000 }).toBe(1);
    const liuRef = (await record.getAttribute('data-elder'))!;
    const history = (await call(system.url, 'GET', `/api/civil-affairs/elders/${liuRef}/assessments`, undefined, assessorToken)).body as unknown as { level: number; total: number; reason: string; assessors: string[] }[];
    const total = Object.values(ABILITY_ANSWERS).reduce((sum, v) => sum + v, 0);
    expect(history).toEqual([expect.objectContaining({ total, reason: 'first', assessors: ['孙评估', '周评估'] })]);
    const level = history[0]!.level;
    expect(await result.getAttribute('data-level')).toBe(String(level));
    expect(await result.innerText()).toContain(`${LIU.name} · 能力等级 ${level}`);
    expect(await result.innerText()).toContain(`总分 ${total}`);
    await expect.poll(() => record.locator('.past-assessments li').count(), { timeout: 30_000 }).toBe(1);
    expect(await record.locator('.past-assessments li').innerText()).toMatch(new RegExp(`首次评估\\s+能力等级 ${level}`));
    expect(await record.locator('.kv').innerText()).toMatch(new RegExp(`能力等级 ${level}（.+）· \\d{4}-\\d{2}-\\d{2} 评估`));
    await readable(page);
    await shot(page, 'assessor-record-saved');

    // Back in the list, still searched for his name: he is no longer due.
    await page.getByRole('button', { name: '返回老人列表' }).click();
    expect(await page.locator('form.elder-search input[name="q"]').inputValue()).toBe(LIU.name);
    const row = page.locator(`ul.elder-list > li[data-elder="${liuRef}"]`);
    await expect.poll(() => row.locator('.ability').textContent(), { timeout: 30_000 }).toMatch(new RegExp(`^能力等级 ${level}`));
    expect(await row.locator('.badge.due').count()).toBe(0);
    expect(await page.locator('ul.elder-list > li').count()).toBe(1);
    expect(page.faults).toEqual([]);
    await page.close();
  });

  it('shows the elders, a record and the form at phone width without sideways scrolling, the scores readable', async () => {
    const phone = await signedIn('assessor', PHONE);
    await phone.locator('nav.tabs button[data-tab="elders"]').click();
    const search = phone.locator('form.elder-search');
    await search.getByLabel('姓名或身份证号').fill(LIU.idNumber);
    await search.getByRole('button', { name: '查找' }).click();
    await expect.poll(() => phone.locator('ul.elder-list > li').count(), { timeout: 30_000 }).toBe(1);
    expect(await sideways(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'assessor-elders-phone');
    await phone.locator('ul.elder-list > li').getByRole('button', { name: '开始评估' }).click();
    await expect.poll(() => phone.locator('.elder-name').textContent(), { timeout: 30_000 }).toBe(LIU.name);
    // Assessed once already: routine.
    expect(await phone.getByLabel('评估原因').inputValue()).toBe('routine');
    expect(await sideways(phone)).toBeLessThanOrEqual(PHONE.width);
    // The longest wording wraps inside the screen.
    const box = await phone.locator('fieldset[data-item="consciousness"] .score-options label').nth(1).boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    await readable(phone);
    await shot(phone, 'assessor-form-phone');
    expect(phone.faults).toEqual([]);
    await phone.close();
  });

  it("corrects an elder's home and phone at their request, then erases the record at phone width, refusing it until confirmed", async () => {
    const page = await signedIn('assessor', LAPTOP);
    await page.locator('nav.tabs button[data-tab="elders"]').click();
    const search = page.locator('form.elder-search');
    await search.getByLabel('姓名或身份证号').fill(SUN.name);
    await search.getByRole('button', { name: '查找' }).click();
    await expect.poll(() => page.locator('ul.elder-list > li').count(), { timeout: 30_000 }).toBe(1);
    await page.locator('ul.elder-list > li').getByRole('button', { name: '查看档案' }).click();
    const record = page.locator('section.elder-record');
    await expect.poll(() => record.locator('.kv').innerText(), { timeout: 30_000 }).toContain(SUN.line);

    await record.getByRole('button', { name: '更正信息' }).click();
    const form = record.locator('form.elder-rights.correct');
    // Nothing changed yet: the form says so instead of sending anything.
    await form.getByRole('button', { name: '保存更正' }).click();
    await expect.poll(() => form.locator('.form-error').textContent()).toBe('档案中已是这些信息，无需更正');
    await form.locator('#fix-division').selectOption('371721');
    await form.getByLabel('详细地址').fill('曹县青菏街道青年路 12 号');
    await form.getByLabel('联系电话').fill('1380000');
    await form.getByRole('button', { name: '保存更正' }).click();
    await expect.poll(() => form.locator('#fix-phone-error').textContent()).toBe('请填写 11 位手机号或带区号的固定电话');
    await form.getByLabel('联系电话').fill('13800005678');
    // The corrected phone's error goes as it is typed.
    expect(await form.locator('#fix-phone-error').textContent()).toBe('');
    await readable(page);
    await shot(page, 'assessor-correct-record');
    await form.getByRole('button', { name: '保存更正' }).click();
    await expect.poll(() => record.locator('.elder-rights .field-ok').textContent(), { timeout: 30_000 }).toBe('已更正：住址、联系电话。居住区县已变更：该老人未结束的转诊将按新住址重新核对家庭床位。');
    await expect.poll(() => record.locator('.kv').innerText(), { timeout: 30_000 }).toContain('曹县青菏街道青年路 12 号');
    expect(await record.locator('.kv').innerText()).toContain('13800005678');
    expect(await record.locator('.kv').innerText()).toContain('菏泽市曹县');
    await readable(page);
    expect(page.faults).toEqual([]);
    await page.close();

    const phone = await signedIn('assessor', PHONE);
    await phone.locator('nav.tabs button[data-tab="elders"]').click();
    const phoneSearch = phone.locator('form.elder-search');
    await phoneSearch.getByLabel('姓名或身份证号').fill(SUN.name);
    await phoneSearch.getByRole('button', { name: '查找' }).click();
    await expect.poll(() => phone.locator('ul.elder-list > li').count(), { timeout: 30_000 }).toBe(1);
    await phone.locator('ul.elder-list > li').getByRole('button', { name: '查看档案' }).click();
    const phoneRecord = phone.locator('section.elder-record');
    await phoneRecord.getByRole('button', { name: '删除个人信息' }).click();
    const erase = phoneRecord.locator('form.elder-rights.erase');
    expect(await erase.getByLabel('删除理由').inputValue()).toBe('request');
    await erase.getByRole('button', { name: '确认删除' }).click();
    await expect.poll(() => erase.locator('#erase-checked-error').textContent()).toBe('请先确认');
    await erase.getByLabel('我已核实本人或监护人的书面申请').check();
    expect(await sideways(phone)).toBeLessThanOrEqual(PHONE.width);
    await readable(phone);
    await shot(phone, 'assessor-erase-record-phone');
    // While the elder holds a waiting-list place the record is still needed: the page says why in Chinese.
    const homes = (await call(system.url, 'GET', '/api/care-beds/institutions', undefined, adminOf(site))).body as unknown as { id: string }[];
    const place = await call(system.url, 'POST', '/api/civil-affairs/waiting-list', { elderId: ids['sun'], homeInstitutionId: homes[0]!.id }, assessorToken);
    expect(place.status, JSON.stringify(place.body)).toBe(201);
    await erase.getByRole('button', { name: '确认删除' }).click();
    await expect.poll(() => erase.locator('.form-error').textContent(), { timeout: 30_000 }).toBe('暂不能删除：老人仍在轮候名单中，请先撤回轮候');
    await readable(phone);
    await shot(phone, 'assessor-erase-refused-phone');
    const withdrawn = await call(system.url, 'POST', `/api/civil-affairs/waiting-list/entries/${place.body['id'] as string}/withdraw`, undefined, assessorToken);
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    await erase.getByRole('button', { name: '确认删除' }).click();
    await expect.poll(() => phoneRecord.locator('.notice.erased').textContent(), { timeout: 30_000 }).toMatch(/^该老人的个人信息已于 \d{4}-\d{2}-\d{2} 依法删除/);
    const left = await phoneRecord.locator('.kv').innerText();
    expect(left).not.toContain(SUN.name.slice(1));
    expect(left).not.toContain('13800005678');
    expect(await phoneRecord.locator('.elder-name').count()).toBe(0);
    expect(await phoneRecord.locator('h3').first().textContent()).toBe('老人档案');
    expect(await phoneRecord.getByRole('button', { name: '开始评估' }).count()).toBe(0);
    expect(await sideways(phone)).toBeLessThanOrEqual(PHONE.width);
    await readable(phone);
    await shot(phone, 'assessor-erased-record-phone');
    // The erased elder is no one any more: not found by name.
    await phone.locator('nav.tabs button[data-tab="elders"]').click();
    await phoneSearch.getByLabel('姓名或身份证号').fill(SUN.name);
    await phoneSearch.getByRole('button', { name: '查找' }).click();
    await expect.poll(() => phone.locator('.elders .empty').textContent(), { timeout: 30_000 }).toContain(`未找到「${SUN.name}」`);
    // The one refused request is the erasure refused above, and the browser reports it.
    expect(phone.faults).toEqual(['Failed to load resource: the server responded with a status of 409 (Conflict)']);
    await phone.close();
  });
});
