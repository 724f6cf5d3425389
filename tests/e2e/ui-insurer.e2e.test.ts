import { residentIdCheckChar } from '@fbl/codes';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOf } from '../support/actors.js';
import { call } from '../support/http.js';
import { foreignWords, LAPTOP, rawValues, SHOTS, startBrowserHarness, type BrowserHarness } from '../support/browser.js';

const PHONE = { width: 390, height: 844 };
const idOf = (first17: string) => first17 + residentIdCheckChar(first17);
/** A demo elder of 牡丹区 (菏泽, the demo officer's city), with no LTCI application yet. */
const LIU = { name: '刘建国', idNumber: idOf('37170219440708005') };
/** NHSA 2021 answers: every item at its lowest (grade 5), and a set graded 4 (daily living 15: severe; perception 6: moderate). */
const ITEM_CODES = ['feeding', 'bathing', 'grooming', 'dressing', 'bowelControl', 'bladderControl', 'toiletUse', 'transfer', 'mobility', 'stairs', 'timeOrientation', 'personOrientation', 'placeOrientation', 'memory', 'vision', 'hearing', 'communication'];
const GRADE_4: Record<string, number> = {
  feeding: 10, bathing: 0, grooming: 0, dressing: 0, bowelControl: 0, bladderControl: 0, toiletUse: 0, transfer: 5, mobility: 0, stairs: 0,
  timeOrientation: 4, personOrientation: 4, placeOrientation: 4, memory: 4, vision: 2, hearing: 2, communication: 2,
};
/** A self-assessment graded 1 (daily living 75: mild; the rest intact): below the threshold of grade 3. */
const GRADE_1: Record<string, number> = {
  feeding: 10, bathing: 0, grooming: 5, dressing: 10, bowelControl: 10, bladderControl: 10, toiletUse: 10, transfer: 10, mobility: 10, stairs: 0,
  timeOrientation: 4, personOrientation: 4, placeOrientation: 4, memory: 4, vision: 4, hearing: 4, communication: 4,
};
/** An elder of 牡丹区 registered for the self-assessment test (never applied for before). */
const SUN = { name: '孙秀兰', idNumber: idOf('37170219480312004'), birthDate: '1948-03-12' };
/** A day in China, `days` from today, as a date input holds it. */
const chinaDay = (days = 0) => new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
const written = (day: string) => { const [y, m, d] = day.split('-').map(Number); return `${y}年${m}月${d}日`; };

interface App {
  id: string;
  reference: string;
  status: string;
  grade: number | null;
  objectionReason: string | null;
  careMode: string | null;
  providerInstitutionId: string | null;
  effectiveFrom: string | null;
  endReason: string | null;
  endedOn: string | null;
}

/**
 * The medical-insurance officer's whole day in the browser, on the demo data: open an LTCI
 * application for a demo elder found by ID number, accept it, record the on-site assessment, an
 * objection during the public notice and its re-assessment, choose the care mode with a designated
 * provider from a picker, and end the benefits; the list found by number, ID number and name.
 * Every step shows on the page, in Chinese, and is checked against the API.
 */
describe("the insurance officer's LTCI workspace in a real browser (Chromium), embedded mode with demo data", () => {
  let ui: BrowserHarness;
  let insurerToken: string;
  const app = { id: '', reference: '' };

  beforeAll(async () => {
    ui = await startBrowserHarness('ui-insurer-test');
    insurerToken = (await call(ui.system.url, 'POST', '/api/auth/sign-in', { username: 'insurer', password: 'demo2026insurer' })).body['accessToken'] as string;
    expect(insurerToken).toBeTruthy();
  }, 120_000);
  afterAll(async () => ui?.stop());

  /** A signed-in page; confirmations accepted, console errors and server errors collected. */
  const signedIn = async (viewport: { width: number; height: number }) => {
    const page = await ui.open(viewport);
    const failures: string[] = [];
    page.on('dialog', (d) => void d.accept());
    // A refusal the page explains (404, 403, 409, 400) is logged by Chromium as a failed load; anything else is a fault.
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) failures.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 500) failures.push(`${r.status()} ${r.url()}`);
    });
    await ui.signInAs(page, 'insurer');
    await expect.poll(() => page.locator('main.insurer h2').first().textContent(), { timeout: 30_000 }).toBeTruthy();
    return Object.assign(page, { failures });
  };
  /** The page in Chinese through and through, no wider than the screen; a screenshot kept. */
  const shot = async (page: Page, name: string, viewport = LAPTOP) => {
    await expect.poll(() => page.getByText('加载中…').count(), { timeout: 30_000 }).toBe(0);
    expect(await foreignWords(page)).toEqual([]);
    expect(await rawValues(page)).toEqual([]);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };
  const stored = async () => (await call(ui.system.url, 'GET', `/api/medical-insurance/applications/${app.id}`, undefined, insurerToken)).body as unknown as App;
  const status = (page: Page) => page.locator('main.application .app-status').getAttribute('data-status');
  const decision = (page: Page) => page.locator('main.application .decision').textContent();
  const steps = (page: Page) => page.locator('ol.progress li').evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));
  const fact = (page: Page, name: string) => page.locator(`table.facts tr[data-fact="${name}"] td`).textContent();
  const fillAssessment = async (page: Page, answers: Record<string, number>, assessors: [string, string]) => {
    for (const code of ITEM_CODES) await page.locator(`#ltci-${code}`).selectOption(String(answers[code] ?? 0));
    await page.getByLabel('评估人员一（姓名）').fill(assessors[0]);
    await page.getByLabel('评估人员二（姓名）').fill(assessors[1]);
    await page.getByRole('button', { name: '保存评估' }).click();
  };

  it('opens an application for a demo elder found by ID number; wrong, unknown and out-of-division elders are refused in Chinese', async () => {
    const page = await signedIn(LAPTOP);
    expect(await page.locator('main.insurer h2').textContent()).toBe('长期护理保险申请');
    // Nothing waits yet, and the page says what to do.
    await expect.poll(() => page.locator('p.empty').textContent(), { timeout: 30_000 }).toContain('在上方输入老人身份证号新建申请');
    await shot(page, 'insurer-empty');

    const id = page.getByLabel('老人身份证号');
    await id.fill('37170');
    expect(await page.locator('#ins-id-message').textContent()).toBe('身份证号应为 18 位（已输入 5 位）');
    await id.fill(`${LIU.idNumber.slice(0, 17)}${LIU.idNumber.endsWith('0') ? '1' : '0'}`);
    expect(await page.locator('#ins-id-message').textContent()).toBe('身份证号无效，请核对出生日期和校验码');
    // A valid number nobody registered.
    await id.fill(idOf('37170219500101001'));
    await expect.poll(() => page.locator('#ins-id-message').textContent()).toBe('民政未登记该身份证号的老人，请先由民政评估员登记');
    await page.getByRole('button', { name: '提出长护险申请' }).click();
    expect(await page.locator('#ins-id-message').textContent()).toBe('民政未登记该身份证号的老人，请先由民政评估员登记');
    expect(await page.locator('main.application').count()).toBe(0);
    // An elder of 济宁 (registered by an admin) is outside the officer's division (菏泽).
    const jining = idOf('37081119420315002');
    const registered = await call(ui.system.url, 'POST', '/api/civil-affairs/elders', { idNumber: jining, name: '济宁测试老人', gender: 'female', birthDate: '1942-03-15', address: { divisionCode: '370811', line: '任城区某街道' }, consent: { healthData: true, givenBy: 'elder' } }, adminOf(ui.site));
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    await id.fill(jining);
    await expect.poll(() => page.locator('#ins-id-message').textContent()).toBe('该老人或申请不在您的经办区划内');

    // The demo elder: found, named, applied for.
    await id.fill(LIU.idNumber);
    await expect.poll(() => page.locator('#ins-id-message').textContent()).toMatch(new RegExp(`^已找到: ${LIU.name} · 男 · \\d+ 岁 · 菏泽市牡丹区$`));
    await shot(page, 'insurer-new-application');
    await page.getByRole('button', { name: '提出长护险申请' }).click();
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('applied');
    app.id = (await page.locator('main.application').getAttribute('data-application'))!;
    app.reference = (await stored()).reference;
    expect(app.reference).toMatch(/^\d{8}-\d{6}$/);
    expect(await decision(page)).toBe(`已为 ${LIU.name} 提出长护险申请，申请编号 ${app.reference}。下一步：受理，或不予受理。`);
    await expect.poll(() => fact(page, 'elder')).toMatch(new RegExp(`^${LIU.name} · 男 · \\d+ 岁 · 菏泽市牡丹区$`));
    expect(await page.locator('main.application h2').textContent()).toBe(`长护险申请 ${app.reference} · 待受理`);
    expect(await steps(page)).toEqual(['applied']);
    await shot(page, 'insurer-application-applied');

    // A second application for the same elder is refused, and the first is one click away.
    await page.getByRole('button', { name: '返回申请列表' }).click();
    await page.getByLabel('老人身份证号').fill(LIU.idNumber);
    await expect.poll(() => page.locator('#ins-id-message').textContent()).toContain(`已找到: ${LIU.name}`);
    await page.getByRole('button', { name: '提出长护险申请' }).click();
    await expect.poll(() => page.locator('.new-application .form-error').textContent()).toBe('该老人已有正在办理的长护险申请，无需重复申请');
    await page.getByRole('button', { name: '查看该申请' }).click();
    await expect.poll(() => page.locator('main.application').getAttribute('data-application')).toBe(app.id);
    expect(page.failures).toEqual([]);
    await page.close();
  });

  it('accepts it, records the assessment (grade 5, public notice), an objection with its content and the final re-assessment (grade 4, effective)', async () => {
    expect(app.id, 'the application was opened').not.toBe('');
    const page = await signedIn(LAPTOP);
    // From the work queue, by the elder's name.
    const row = page.locator(`li[data-application="${app.id}"]`);
    await expect.poll(() => row.locator('.elder-name').textContent(), { timeout: 30_000 }).toBe(LIU.name);
    expect(await row.textContent()).toContain(`申请编号 ${app.reference}`);
    await shot(page, 'insurer-queue-laptop');
    await row.getByRole('button', { name: '详情' }).click();
    await expect.poll(() => status(page)).toBe('applied');

    await page.locator('.next-step').getByRole('button', { name: '受理', exact: true }).click();
    await expect.poll(() => status(page)).toBe('accepted');
    expect(await decision(page)).toBe(`长护险申请 ${app.reference}：已受理`);
    expect((await stored()).status).toBe('accepted');

    // The first assessment: the form names the elder; every item at its lowest is grade 5.
    await page.getByRole('button', { name: '录入失能评估' }).click();
    expect(await page.locator('main.ltci-assessment h2').textContent()).toBe('长期护理失能等级评估（医保办发〔2021〕37号）');
    expect(await page.locator('main.ltci-assessment .elder-name').textContent()).toBe(LIU.name);
    expect(await page.locator('#ltci-feeding option').allTextContents()).toEqual(['请选择', '0 分', '5 分', '10 分']);
    await fillAssessment(page, {}, ['吴评估', '郑评估']);
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('notice');
    expect(await decision(page)).toBe(`长护险申请 ${app.reference}：失能等级 5（重度失能Ⅲ级） · 达到待遇标准，进入公示 · 评估结论公示中`);
    expect(await fact(page, 'grade')).toBe('5（重度失能Ⅲ级）');
    expect(await fact(page, 'noticeEndsAt')).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
    expect(await page.locator('.notice-controls .hint').textContent()).toMatch(/^公示期至 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}。期间可登记异议/);
    expect(await page.locator('table.assessments tbody tr').allInnerTexts()).toEqual([`${written(chinaDay())}\t首次评估\t5（重度失能Ⅲ级）\t吴评估、郑评估`]);
    expect(await steps(page)).toEqual(['applied', 'accepted', 'assessed', 'notice']);
    expect(await stored()).toMatchObject({ status: 'notice', grade: 5 });
    await shot(page, 'insurer-application-notice');

    // An objection needs its content; with it, the notice stops and a re-assessment is due.
    await page.getByRole('button', { name: '登记异议' }).click();
    expect(await page.locator('#ins-objection-error').textContent()).toBe('请填写异议内容');
    expect((await stored()).status).toBe('notice');
    await page.getByLabel('异议内容（提出人及理由）').fill('老人之子张建军：评估当日老人状态较好，认为等级偏高，申请复评');
    await page.getByRole('button', { name: '登记异议' }).click();
    await expect.poll(() => status(page)).toBe('objected');
    expect(await decision(page)).toBe('已登记异议，请安排复评。');
    expect(await fact(page, 'objectionReason')).toBe('老人之子张建军：评估当日老人状态较好，认为等级偏高，申请复评');
    expect(await steps(page)).toEqual(['applied', 'accepted', 'assessed', 'notice', 'objection']);
    expect(await stored()).toMatchObject({ status: 'objected', objectionReason: '老人之子张建军：评估当日老人状态较好，认为等级偏高，申请复评' });
    await shot(page, 'insurer-application-objected');

    // The re-assessment after the objection is final: grade 4 takes effect at once.
    await page.getByRole('button', { name: '录入异议复评' }).click();
    expect(await page.locator('main.ltci-assessment h2').textContent()).toBe('异议复评：长期护理失能等级评估（复评结论为最终结论）');
    await fillAssessment(page, GRADE_4, ['王评估', '赵评估']);
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('effective');
    expect(await decision(page)).toBe(`长护险申请 ${app.reference}：失能等级 4（重度失能Ⅱ级） · 复评达到待遇标准，结论生效（复评结论为最终结论） · 待遇已生效`);
    const effective = await stored();
    expect(effective).toMatchObject({ status: 'effective', grade: 4, effectiveFrom: expect.stringMatching(/-01$/) as unknown });
    expect(await fact(page, 'effectiveFrom')).toBe(written(effective.effectiveFrom!));
    expect(await page.locator('table.assessments tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-purpose')))).toEqual(['first', 'objection']);
    expect(await steps(page)).toEqual(['applied', 'accepted', 'assessed', 'notice', 'objection', 'assessed', 'effective']);
    await shot(page, 'insurer-application-effective');
    expect(page.failures).toEqual([]);
    await page.close();
  });

  it('sets the care mode with a designated provider from a picker, then ends the benefits on a day that can be, after confirming', async () => {
    expect(app.id, 'the application took effect').not.toBe('');
    const page = await signedIn(LAPTOP);
    await page.getByLabel('显示').selectOption('effective');
    const row = page.locator(`li[data-application="${app.id}"]`);
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    await row.getByRole('button', { name: '详情' }).click();
    await expect.poll(() => status(page)).toBe('effective');

    // Nothing chosen: named in Chinese, nothing sent.
    const care = page.locator('form.care-mode');
    await care.getByRole('button', { name: '保存护理服务形式' }).click();
    expect(await page.locator('#ins-care-mode-error').textContent()).toBe('请选择护理服务形式');
    expect(await care.getByLabel('护理服务形式').locator('option').allTextContents()).toEqual(['请选择', '医疗专护', '机构护理', '居家上门护理', '居家自主护理']);
    // Medical special care: the hospital's level too, and the designated hospitals.
    await care.getByLabel('护理服务形式').selectOption({ label: '医疗专护' });
    expect(await care.getByLabel('医院等级').locator('option').allTextContents()).toEqual(['请选择', '一级医院', '二级医院', '三级医院']);
    await expect.poll(() => care.getByLabel('定点护理服务机构').locator('option').allTextContents(), { timeout: 30_000 }).toEqual(['请选择', '菏泽牡丹颐康医院（菏泽市牡丹区）']);
    // Institutional care: the designated care homes of the division, by name.
    await care.getByLabel('护理服务形式').selectOption({ label: '机构护理' });
    expect(await care.getByLabel('医院等级').count()).toBe(0);
    expect(await care.getByLabel('定点护理服务机构').locator('option').allTextContents()).toEqual(['请选择', '菏泽市牡丹区福寿康养中心（菏泽市牡丹区）', '成武县颐和护理院（菏泽市成武县）']);
    await care.getByRole('button', { name: '保存护理服务形式' }).click();
    expect(await page.locator('#ins-provider-error').textContent()).toBe('请选择定点机构');
    expect((await stored()).status).toBe('effective');
    await care.getByLabel('定点护理服务机构').selectOption({ label: '菏泽市牡丹区福寿康养中心（菏泽市牡丹区）' });
    await shot(page, 'insurer-application-care-mode');
    await care.getByRole('button', { name: '保存护理服务形式' }).click();
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('in-benefit');
    const careHomes = (await call(ui.system.url, 'GET', '/api/care-beds/institutions', undefined, insurerToken)).body as unknown as { id: string; name: string }[];
    const home = careHomes.find((i) => i.name === '菏泽市牡丹区福寿康养中心')!;
    const inBenefit = await stored();
    expect(inBenefit).toMatchObject({ status: 'in-benefit', careMode: 'institutional-care', providerInstitutionId: home.id });
    expect(await decision(page)).toMatch(/^已确定护理服务形式：机构护理，菏泽市牡丹区福寿康养中心；自 \d{4}年\d{1,2}月1日 起按此支付。$/);
    expect(await fact(page, 'careMode')).toBe('机构护理');
    expect(await fact(page, 'provider')).toBe('菏泽市牡丹区福寿康养中心');
    expect(await steps(page)).toEqual(['applied', 'accepted', 'assessed', 'notice', 'objection', 'assessed', 'effective', 'care']);
    expect(await page.locator('form.care-mode h4').textContent()).toBe('变更护理服务形式或定点机构');

    // Ending: a reason and a day; a day after today is stopped here, one before the benefits took effect by the server.
    const end = page.locator('form.end-benefits');
    expect(await end.getByLabel('终止原因').locator('option').allTextContents()).toEqual(['请选择', '死亡', '失能状况好转', '不再参加长期护理保险']);
    await end.getByRole('button', { name: '终止待遇' }).click();
    expect(await page.locator('#ins-end-reason-error').textContent()).toBe('请选择终止原因');
    await end.getByLabel('终止原因').selectOption({ label: '死亡' });
    await end.getByLabel('终止日期').fill(chinaDay(1));
    await end.getByRole('button', { name: '终止待遇' }).click();
    expect(await page.locator('#ins-ended-on-error').textContent()).toBe('终止日期不能晚于今天');
    await end.getByLabel('终止日期').fill(chinaDay(-1));
    await end.getByRole('button', { name: '终止待遇' }).click();
    await expect.poll(() => page.locator('#ins-ended-on-error').textContent(), { timeout: 30_000 }).toBe('终止日期不能早于待遇生效之日');
    expect((await stored()).status).toBe('in-benefit');
    await shot(page, 'insurer-application-end-form');
    await end.getByLabel('终止日期').fill(chinaDay());
    await end.getByRole('button', { name: '终止待遇' }).click();
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('ended');
    expect(await decision(page)).toBe(`已终止待遇（死亡），终止日期 ${written(chinaDay())}。`);
    expect(await stored()).toMatchObject({ status: 'ended', endReason: 'death', endedOn: chinaDay() });
    expect(await fact(page, 'endReason')).toBe('死亡');
    expect(await fact(page, 'endedOn')).toBe(written(chinaDay()));
    expect(await page.locator('.next-step').textContent()).toContain('本申请已办结。');
    expect(await page.locator('ol.progress li').last().textContent()).toBe(`待遇终止（死亡），终止日期 ${written(chinaDay())}`);
    await shot(page, 'insurer-application-ended');
    expect(page.failures).toEqual([]);
    await page.close();
  });

  it('finds the application by number, by ID number and by name, on a phone too', async () => {
    expect(app.reference, 'the application was opened').not.toBe('');
    const page = await signedIn(PHONE);
    const row = page.locator(`li[data-application="${app.id}"]`);
    // Finished, it has left the work queue; all applications show it.
    await expect.poll(() => page.locator('p.empty').count(), { timeout: 30_000 }).toBe(1);
    await page.getByLabel('显示').selectOption('all');
    await expect.poll(() => row.locator('.app-status').textContent(), { timeout: 30_000 }).toBe('待遇已终止');
    expect(await row.textContent()).toContain('失能等级 4（重度失能Ⅱ级）');

    const find = async (text: string) => {
      await page.getByLabel('按申请编号、身份证号或姓名查找').fill(text);
      await page.getByRole('button', { name: '查找', exact: true }).click();
    };
    await find(app.reference);
    await expect.poll(() => page.locator('.found-by').textContent()).toBe(`申请编号“${app.reference}”的查找结果`);
    await expect.poll(() => page.locator('li[data-application]').count()).toBe(1);
    expect(await row.count()).toBe(1);
    await find('20200101-999999');
    await expect.poll(() => page.locator('p.empty').textContent()).toBe('没有找到符合条件的申请，请核对后重试。');
    await find(LIU.idNumber);
    await expect.poll(() => page.locator('.found-by').textContent()).toBe(`${LIU.name} 的全部申请`);
    await expect.poll(() => row.count()).toBe(1);
    await page.getByRole('button', { name: '清除查找' }).click();
    await find('建国');
    await expect.poll(() => page.locator('.found-by').textContent()).toBe('当前页中姓名含“建国”的申请');
    await expect.poll(() => row.count()).toBe(1);
    await shot(page, 'insurer-list-phone', PHONE);
    await find('无此人');
    await expect.poll(() => page.locator('p.empty').textContent()).toBe('当前页中没有姓名含“无此人”的老人；可翻页，或按身份证号查找。');

    // The application's page fits a phone.
    await find(app.reference);
    await expect.poll(() => row.count()).toBe(1);
    await row.getByRole('button', { name: '详情' }).click();
    await expect.poll(() => status(page)).toBe('ended');
    await expect.poll(() => fact(page, 'provider')).toBe('菏泽市牡丹区福寿康养中心');
    await shot(page, 'insurer-application-phone', PHONE);
    // The English switch keeps working.
    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.locator('main.application h2').textContent()).toBe(`LTCI application ${app.reference} · Benefits ended`);
    expect(await fact(page, 'endReason')).toBe('Death');
    expect(page.failures).toEqual([]);
    await page.close();
  });
  it("takes the applicant's self-assessment with a new application and shows it on the officer's page as 自评，仅供参考, beside the on-site grade", async () => {
    const registered = await call(ui.system.url, 'POST', '/api/civil-affairs/elders', { idNumber: SUN.idNumber, name: SUN.name, gender: 'female', birthDate: SUN.birthDate, address: { divisionCode: '371702', line: '牡丹区某街道' }, consent: { healthData: true, givenBy: 'elder' } }, adminOf(ui.site));
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const page = await signedIn(LAPTOP);
    await page.getByLabel('老人身份证号').fill(SUN.idNumber);
    await expect.poll(() => page.locator('#ins-id-message').textContent()).toContain(`已找到: ${SUN.name}`);

    // Given with the application: every item and who filled it in are needed, in Chinese, before anything is sent.
    await page.getByLabel('申请人随申请提交了自评表（由本人、监护人或委托代理人填写）').check();
    expect(await page.locator('.self-assessment-form legend').first().textContent()).toBe('申请人自评（长期护理失能等级评估标准（试行），17 项）');
    expect(await page.locator('#sa-feeding option').allTextContents()).toEqual(['请选择', '0 分', '5 分', '10 分']);
    await page.getByRole('button', { name: '提出长护险申请' }).click();
    await expect.poll(() => page.locator('.new-application .form-error').textContent()).toBe('请补全或修正自评表中标出的 18 项后再提出申请');
    expect(await page.locator('#sa-filled-by-error').textContent()).toBe('请选择填写人');
    expect(await page.locator('#sa-memory-error').textContent()).toBe('请选择');
    expect(await page.locator('main.application').count()).toBe(0);
    await page.getByLabel('填写人').selectOption({ label: '监护人' });
    for (const code of ITEM_CODES) await page.locator(`#sa-${code}`).selectOption(String(GRADE_1[code]));
    // Edited, the errors are gone.
    expect(await page.locator('.new-application .form-error').count()).toBe(0);
    expect(await page.locator('#sa-memory-error').textContent()).toBe('');
    await shot(page, 'insurer-self-assessment-form');
    await page.getByRole('button', { name: '提出长护险申请' }).click();
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('applied');
    const id = (await page.locator('main.application').getAttribute('data-application'))!;
    const reference = ((await call(ui.system.url, 'GET', `/api/medical-insurance/applications/${id}`, undefined, insurerToken)).body as unknown as App).reference;
    expect(await decision(page)).toBe(`已为 ${SUN.name} 提出长护险申请，申请编号 ${reference}。下一步：受理，或不予受理。已录入申请人自评（仅供参考）。`);

    // Below the threshold: flagged, and the application waits for 受理审核 like any other.
    const panel = page.locator('section.self-assessment');
    const saFact = (name: string) => panel.locator(`tr[data-fact="${name}"] td`).textContent();
    await expect.poll(() => saFact('sa-grade')).toBe('1（轻度失能） 自评，仅供参考');
    expect(await saFact('sa-onsite')).toBe('尚未现场评估');
    expect(await saFact('sa-filled-by')).toBe('监护人');
    expect(await panel.locator('.sa-below').textContent()).toBe('自评等级低于待遇标准（失能等级 3 级及以上）。自评仅供参考，不作为不予受理的依据，申请照常进入受理审核，以现场评估结论为准。');
    expect(await panel.locator('.sa-differ').count()).toBe(0);
    await panel.locator('summary').click();
    expect(await panel.locator('.sa-answers p[data-indicator="dailyLiving"]').textContent()).toBe('日常生活活动能力：进食 10 分，洗澡 0 分，面部与口腔清洁 5 分，穿衣 10 分，大便控制 10 分，小便控制 10 分，用厕 10 分，床椅转移 10 分，平地行走 10 分，上下楼梯 0 分');
    await shot(page, 'insurer-self-assessment-applied');

    // Accepted all the same; the on-site assessment (every item at its lowest: grade 5) is 4 levels away, flagged for 复核.
    await page.locator('.next-step').getByRole('button', { name: '受理', exact: true }).click();
    await expect.poll(() => status(page)).toBe('accepted');
    await page.getByRole('button', { name: '录入失能评估' }).click();
    await fillAssessment(page, {}, ['吴评估', '郑评估']);
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('notice');
    await expect.poll(() => saFact('sa-onsite')).toBe('5（重度失能Ⅲ级）');
    expect(await fact(page, 'grade')).toBe('5（重度失能Ⅲ级）');
    expect(await saFact('sa-grade')).toBe('1（轻度失能） 自评，仅供参考');
    expect(await panel.locator('.sa-differ').textContent()).toBe('自评等级与现场评估等级相差 4 级，请复核。');
    await shot(page, 'insurer-self-assessment-differ');
    expect(page.failures).toEqual([]);
    await page.close();

    // On a phone the panel fits the screen.
    const phone = await signedIn(PHONE);
    await phone.getByLabel('显示').selectOption('all');
    await phone.getByLabel('按申请编号、身份证号或姓名查找').fill(reference);
    await phone.getByRole('button', { name: '查找', exact: true }).click();
    await expect.poll(() => phone.locator(`li[data-application="${id}"]`).count(), { timeout: 30_000 }).toBe(1);
    await phone.locator(`li[data-application="${id}"]`).getByRole('button', { name: '详情' }).click();
    await expect.poll(() => phone.locator('section.self-assessment .sa-differ').count(), { timeout: 30_000 }).toBe(1);
    await shot(phone, 'insurer-self-assessment-phone', PHONE);
    // And so does the form, opened on a phone.
    await phone.getByRole('button', { name: '返回申请列表' }).click();
    await phone.getByLabel('申请人随申请提交了自评表（由本人、监护人或委托代理人填写）').check();
    await expect.poll(() => phone.locator('#sa-communication').count()).toBe(1);
    await shot(phone, 'insurer-self-assessment-form-phone', PHONE);
    expect(phone.failures).toEqual([]);
    await phone.close();
  });
});
