import type { EmbeddedSystem } from '@fbl/embedded';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { residentIdCheckChar } from '@fbl/codes';
import { ABILITY_ANSWERS } from '../support/builders.js';
import { call } from '../support/http.js';


describe('web UI in a real browser (Chromium), embedded mode with demo data', () => {
  let ui: BrowserHarness;
  let system: EmbeddedSystem;

  beforeAll(async () => {
    ui = await startBrowserHarness('ui-test');
    system = ui.system;
  }, 300_000);
  afterAll(async () => ui?.stop());

  const open = (viewport: { width: number; height: number }) => ui.open(viewport);
  const signInAs = (page: Page, username: string) => ui.signInAs(page, username);

  it('shows the sign-in page in Chinese with a demo account of every role, and field errors in Chinese', async () => {
    const page = await open({ width: 1366, height: 768 });
    await expect.poll(() => page.locator('h1').textContent()).toBe('五床联动转诊系统');
    expect(await page.getByLabel('用户名').isVisible()).toBe(true);
    expect(await page.getByLabel('密码').isVisible()).toBe(true);
    await expect.poll(() => page.locator('.demo li').count()).toBe(11);
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

  /** The elder the main path registers, whose record the admin's audit search then finds. */
  const elderId = { value: '' };

  it('walks the main path in the browser alone: planner starts, provider accepts, planner records the choice, provider admits and follows up, the analyst sees the loop close', async () => {
    // The elder is on the civil-affairs register with an assessment (an assessor's work, through the API).
    const assessor = (await call(system.url, 'POST', '/api/auth/sign-in', { username: 'assessor', password: 'demo2026assessor' })).body['accessToken'] as string;
    const first17 = '37170219400315002';
    const idNumber = first17 + residentIdCheckChar(first17);
    const elder = await call(system.url, 'POST', '/api/civil-affairs/elders', { idNumber, name: '界面测试老人', gender: 'female', birthDate: '1940-03-15', address: { divisionCode: '371702', line: '牡丹区某街道' }, consent: { healthData: true, givenBy: 'guardian' } }, assessor);
    expect(elder.status, JSON.stringify(elder.body)).toBe(201);
    elderId.value = elder.body['id'] as string;
    const assessed = await call(system.url, 'POST', `/api/civil-affairs/elders/${elderId.value}/assessments`, { answers: ABILITY_ANSWERS, adjustments: {}, assessors: ['a-1', 'a-2'], reason: 'first', assessedOn: new Date().toISOString().slice(0, 10) }, assessor);
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(201);

    // 1. The planner starts the referral by ID number, checked as typed.
    const planner = await open({ width: 1366, height: 768 });
    // The family's choice and a cancellation ask for confirmation first.
    planner.on('dialog', (d) => void d.accept());
    await signInAs(planner, 'planner');
    await expect.poll(() => planner.locator('h3').first().textContent()).toBe('发起转诊');
    const id = planner.getByLabel('老人身份证号');
    await id.pressSequentially(idNumber.slice(0, 10));
    // What is wrong with a number is said in Chinese: its length, a birth date that does not exist, a wrong check character.
    expect(await planner.locator('#id-message').textContent()).toBe('身份证号无效：应为 18 位，已输入 10 位');
    await id.fill(`37170219380230001${residentIdCheckChar('37170219380230001')}`);
    await expect.poll(() => planner.locator('#id-message').textContent()).toBe('身份证号无效：其中的出生日期不存在');
    await id.fill(`${first17}${residentIdCheckChar(first17) === '0' ? '1' : '0'}`);
    await expect.poll(() => planner.locator('#id-message').textContent()).toBe('身份证号无效：校验码不对，请逐位核对号码');
    await id.fill(idNumber);
    await expect.poll(() => planner.locator('#id-message').textContent()).toMatch(/^已找到: 界面测试老人 371702\*+\d{3}[\dX] · 女 · \d{2} 岁 · 菏泽市牡丹区 · 能力等级 \d$/);
    await planner.screenshot({ path: join(SHOTS, 'planner-new-referral.png'), fullPage: true });
    await planner.getByRole('button', { name: '提交转诊' }).click();
    const referral = planner.locator('section.referral');
    await expect.poll(() => referral.getAttribute('data-referral'), { timeout: 15_000 }).toMatch(/^[0-9a-f-]{36}$/);
    const referralId = (await referral.getAttribute('data-referral'))!;
    await expect.poll(() => planner.locator('.state').getAttribute('data-state'), { timeout: 15_000 }).toBe('offering');
    expect(await planner.locator('h3', { hasText: '候选机构及排序理由' }).isVisible()).toBe(true);
    // Why each candidate ranks, in Chinese.
    await expect.poll(() => planner.locator('ul.reasons li').allTextContents()).toEqual(expect.arrayContaining(['与转出机构同一县（区）', '首选床位类型']));

    // The analyst's figures before the loop closes.
    const analyst = await open({ width: 1366, height: 768 });
    await signInAs(analyst, 'analyst');
    await expect.poll(() => analyst.locator('h2').textContent()).toBe('闭环监测');
    const rate = analyst.locator('[data-figure="closed-loop-rate"] strong');
    await expect.poll(() => analyst.locator('[data-figure="started"] strong').textContent()).toMatch(/^[1-9]\d*$/);
    const rateBefore = parseFloat((await rate.textContent())!);

    // 2. The care home's staff answer from their inbox: a reason is required to decline; they accept.
    const provider = await open({ width: 1366, height: 768 });
    await signInAs(provider, 'carehome');
    await expect.poll(() => provider.locator('.inbox h3').textContent()).toBe('转诊收件箱');
    const offer = provider.locator(`li.offer[data-referral="${referralId}"]`);
    await expect.poll(() => offer.count(), { timeout: 15_000 }).toBe(1);
    expect(await offer.locator('.status').textContent()).toBe('待响应');
    expect(await offer.locator('.countdown').textContent()).toMatch(/^剩余 (\d+ 小时 )?\d+ 分钟$/);
    await offer.getByRole('button', { name: '拒收' }).click();
    expect(await offer.locator('.field-error').textContent()).toBe('请选择拒收原因');
    await provider.screenshot({ path: join(SHOTS, 'provider-inbox.png'), fullPage: true });
    await offer.getByRole('button', { name: '接收' }).click();
    await expect.poll(() => offer.locator('.status').textContent()).toBe('已接收');

    // 3. The planner's page learns of the acceptance live (no reload) and records the family's choice.
    const choose = planner.getByRole('button', { name: '记录家属选择' });
    await expect.poll(() => choose.count(), { timeout: 15_000 }).toBe(1);
    await planner.screenshot({ path: join(SHOTS, 'planner-referral.png'), fullPage: true });
    await choose.click();
    await expect.poll(() => planner.locator('.state').getAttribute('data-state'), { timeout: 15_000 }).toBe('transferring');

    // 4. The bed is held; the care home confirms the arrival.
    await provider.locator('button[data-tab="arrivals"]').click();
    const arrival = provider.locator(`li.offer[data-referral="${referralId}"]`);
    await expect.poll(() => arrival.count(), { timeout: 15_000 }).toBe(1);
    await provider.screenshot({ path: join(SHOTS, 'provider-arrivals.png'), fullPage: true });
    await arrival.getByRole('button', { name: '确认入住' }).click();
    await expect.poll(() => arrival.count()).toBe(0);
    await expect.poll(() => planner.locator('.state').getAttribute('data-state'), { timeout: 15_000 }).toBe('followUp');

    // 5. The follow-up closes the loop.
    await provider.locator('button[data-tab="followUps"]').click();
    const due = provider.locator(`tr[data-referral="${referralId}"]`);
    await expect.poll(() => due.count(), { timeout: 15_000 }).toBe(1);
    await provider.screenshot({ path: join(SHOTS, 'provider-follow-ups.png'), fullPage: true });
    await due.getByRole('button', { name: '填写随访' }).click();
    const form = provider.locator(`form.follow-up-form[data-referral="${referralId}"]`);
    // Every question must be answered: the form says which, in Chinese, and sends nothing.
    await form.getByRole('button', { name: '提交随访，完成闭环' }).click();
    await expect.poll(() => form.locator('.field-error:has-text("请选择一项")').count()).toBe(4);
    expect(await due.count()).toBe(1);
    await form.getByLabel('电话随访').check();
    await form.getByLabel('适应良好').check();
    await form.getByLabel('稳定').check();
    await form.getByLabel('基本满意').check();
    await form.getByLabel('康复训练').check();
    await form.locator('textarea[name="note"]').fill('老人饮食睡眠正常，家属希望增加康复训练');
    await provider.screenshot({ path: join(SHOTS, 'provider-follow-up-form.png'), fullPage: true });
    await form.getByRole('button', { name: '提交随访，完成闭环' }).click();
    await expect.poll(() => due.count()).toBe(0);
    expect(await provider.locator('.follow-ups .field-ok').textContent()).toBe('随访已记录，本次转诊已闭环');
    await expect.poll(() => planner.locator('.state').getAttribute('data-state'), { timeout: 15_000 }).toBe('closed');
    expect(await planner.locator('.state').textContent()).toBe('已闭环');
    // The referring side reads the follow-up in words, with who did it.
    const record = planner.locator('.follow-up-view');
    await expect.poll(() => record.locator('dd').count(), { timeout: 15_000 }).toBeGreaterThan(5);
    expect(await record.locator('dd').allTextContents()).toEqual(expect.arrayContaining(['电话随访', '适应良好', '稳定', '基本满意', '康复训练', '老人饮食睡眠正常，家属希望增加康复训练']));
    expect(await planner.locator('.timeline li').count()).toBeGreaterThanOrEqual(7);

    // 6. The commission's figure moves.
    await analyst.getByRole('button', { name: '查询' }).click();
    await expect.poll(async () => parseFloat((await rate.textContent())!), { timeout: 15_000 }).toBeGreaterThan(rateBefore);
    expect(await analyst.locator('.chart svg').count()).toBe(1);
    expect(await analyst.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1366);
    await analyst.screenshot({ path: join(SHOTS, 'analyst-dashboard.png'), fullPage: true });
    expect(await analyst.getByLabel('开始日期').isVisible()).toBe(true);
    expect(await analyst.getByLabel('床位类型').isVisible()).toBe(true);
    // The division is picked by name among Heze's counties (the analyst's city); the figure narrows to the county.
    const division = analyst.getByLabel('行政区划');
    expect(await division.locator('option').allTextContents()).toEqual(expect.arrayContaining(['菏泽市', '\u3000牡丹区', '\u3000成武县']));
    await division.selectOption('371702');
    await analyst.getByRole('button', { name: '查询' }).click();
    await expect.poll(async () => parseFloat((await rate.textContent())!), { timeout: 15_000 }).toBeGreaterThan(0);
    // A cleared date is said in Chinese, not sent.
    await analyst.getByLabel('开始日期').fill('');
    await analyst.getByRole('button', { name: '查询' }).click();
    expect(await analyst.locator('.dashboard .form-error').textContent()).toBe('请选择开始日期和结束日期');

    // 7. The resident is in care; an urgent transfer needs its reason, keeps the bed, and the return ends it.
    await provider.locator('button[data-tab="residents"]').click();
    const resident = provider.locator(`li.offer[data-referral="${referralId}"]`);
    await expect.poll(() => resident.count(), { timeout: 15_000 }).toBe(1);
    await resident.getByRole('button', { name: '发起紧急转院' }).click();
    expect(await resident.locator('.field-error').first().textContent()).toBe('请填写转院原因');
    await provider.screenshot({ path: join(SHOTS, 'provider-residents.png'), fullPage: true });
    await resident.getByLabel('转院原因').fill('突发胸痛');
    // The staff may name the hospital: partners first, each with its free beds; here the county hospital, not the partner.
    const hospitals = await resident.getByLabel('转往医院').locator('option').allTextContents();
    expect(hospitals[0]).toBe('由系统匹配（绿色通道合作医院优先）');
    expect(hospitals[1]).toMatch(/^菏泽牡丹颐康医院（绿色通道合作） · 空余 \d+ 张$/);
    const county = hospitals.find((h) => h.startsWith('成武县仁和医院'))!;
    await resident.getByLabel('转往医院').selectOption({ label: county });
    // Sending a resident to hospital is confirmed first; declined, nothing happens.
    provider.once('dialog', (d) => void d.dismiss());
    await resident.getByRole('button', { name: '发起紧急转院' }).click();
    expect(await resident.locator('.status').getAttribute('data-status')).toBe('in-care');
    let asked = '';
    provider.once('dialog', (d) => {
      asked = d.message();
      void d.accept();
    });
    await resident.getByRole('button', { name: '发起紧急转院' }).click();
    await expect.poll(() => resident.locator('.status').getAttribute('data-status')).toBe('away');
    expect(asked).toBe('确认发起紧急转院？老人将经绿色通道转往医院。');
    // The transfer is a green-channel referral of the care home's own, followed (and chosen for) under its referrals out.
    await provider.locator('button[data-tab="outgoing"]').click();
    const urgent = provider.locator('section.referrals tr.urgent-row');
    await expect.poll(() => urgent.count(), { timeout: 15_000 }).toBe(1);
    expect(await urgent.locator('.badge').textContent()).toBe('绿色通道');
    await urgent.getByRole('button').click();
    await expect.poll(() => provider.locator('section.referral .state').getAttribute('data-state'), { timeout: 15_000 }).toMatch(/^(matching|offering|noneAccepted|escalated)$/);
    // The hospital the care home named is offered alone, and the ranking says why.
    const candidates = provider.locator('section.panel:has(h3:has-text("候选机构")) ol > li');
    await expect.poll(() => candidates.count(), { timeout: 15_000 }).toBe(1);
    expect(await candidates.locator('strong').textContent()).toBe('成武县仁和医院');
    expect(await candidates.locator('.reasons li').first().textContent()).toBe('转出机构指定的医院');
    await provider.screenshot({ path: join(SHOTS, 'provider-urgent-transfer.png'), fullPage: true });
    await provider.locator('button[data-tab="residents"]').click();
    await resident.getByRole('button', { name: '已返回原床位' }).click();
    await expect.poll(() => resident.locator('.status').getAttribute('data-status')).toBe('in-care');
    // Back before reaching hospital: the urgent referral ends, and no hospital is left with an open offer.
    await provider.locator('button[data-tab="outgoing"]').click();
    await expect.poll(() => provider.locator('section.referral .state').getAttribute('data-state'), { timeout: 30_000 }).toBe('cancelled');
    expect(await provider.locator('section.referral .state').textContent()).toBe('已取消');
    await provider.locator('button[data-tab="residents"]').click();

    // 8. The capacity editor: a count must be a whole number; units are added and taken out of service.
    await provider.locator('button[data-tab="capacity"]').click();
    const total = provider.locator('[data-figure="total"] strong');
    await expect.poll(() => total.textContent()).toMatch(/^\d+$/);
    const before = Number(await total.textContent());
    await provider.getByLabel('数量').fill('0');
    await provider.getByRole('button', { name: '增加', exact: true }).click();
    expect(await provider.locator('.capacity .field-error').first().textContent()).toBe('请填写 1–5000 之间的整数');
    await provider.getByLabel('数量').fill('2');
    await provider.getByRole('button', { name: '增加', exact: true }).click();
    await expect.poll(() => total.textContent()).toBe(String(before + 2));
    const free = provider.locator('tr[data-status="free"]').first();
    const unitId = (await free.getAttribute('data-unit'))!;
    await free.getByRole('button', { name: '停用' }).click();
    await expect.poll(() => provider.locator(`tr[data-unit="${unitId}"]`).getAttribute('data-status')).toBe('closed');
    await provider.screenshot({ path: join(SHOTS, 'provider-capacity.png'), fullPage: true });
    expect(await provider.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1366);
    for (const page of [planner, analyst, provider]) await page.close();
  });

  it('lets the admin search the personal-data access log', async () => {
    expect(elderId.value, 'the main path registered an elder').not.toBe('');
    const page = await open({ width: 1366, height: 768 });
    await signInAs(page, 'admin');
    await page.locator('button[data-tab="audit"]').click();
    await page.getByRole('button', { name: '检索' }).click();
    expect(await page.locator('.audit .form-error').textContent()).toBe('请至少填写一项检索条件');
    await page.getByLabel('对象编号').fill(elderId.value);
    await page.getByRole('button', { name: '检索' }).click();
    const rows = page.locator('table.audit-rows tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const text = (await rows.allTextContents()).join('\n');
    expect(text).toContain('民政');
    expect(text).toContain(elderId.value);
    expect(text).toContain('民政评估员');
    expect(text).toContain('出院准备/转诊专员');
    // What was done, and to which kind of record, in words.
    expect(text).toContain('老人档案');
    expect(await rows.locator('td[data-action]').allTextContents()).toEqual(expect.arrayContaining(['登记', '评估']));
    expect(text).toContain('张评估员（民政）（assessor）');
    // The account is found by its user name too.
    await page.getByLabel('对象编号').fill('');
    await page.getByLabel('操作人（账户）').fill('assessor');
    await page.getByRole('button', { name: '检索' }).click();
    await expect.poll(async () => (await rows.allTextContents()).every((r) => r.includes('张评估员（民政）')) && (await rows.count()) >= 2, { timeout: 15_000 }).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'admin-audit.png'), fullPage: true });
    await page.close();
  });

  it('fits a tablet, and keeps each role to its own workspace', async () => {
    const page = await open({ width: 768, height: 1024 });
    await signInAs(page, 'planner');
    await expect.poll(() => page.locator('.who').textContent()).toContain('出院准备/转诊专员');
    expect(await page.locator('.dashboard').count()).toBe(0);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
    await page.screenshot({ path: join(SHOTS, 'planner-tablet.png'), fullPage: true });
    await page.getByRole('button', { name: '退出登录' }).click();
    await signInAs(page, 'carehome');
    await expect.poll(() => page.locator('nav.tabs button').count()).toBe(6);
    expect(await page.locator('.dashboard').count()).toBe(0);
    for (const tab of ['inbox', 'arrivals', 'residents', 'followUps', 'outgoing', 'capacity']) {
      await page.locator(`button[data-tab="${tab}"]`).click();
      expect(await page.evaluate('document.documentElement.scrollWidth'), tab).toBeLessThanOrEqual(768);
    }
    await page.screenshot({ path: join(SHOTS, 'provider-tablet.png'), fullPage: true });
    await page.getByRole('button', { name: '退出登录' }).click();
    await expect.poll(() => page.getByLabel('用户名').isVisible()).toBe(true);
    await page.close();
  });
});
