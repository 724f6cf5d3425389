import { residentIdCheckChar } from '@fbl/codes';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignWords, LAPTOP, rawValues, SHOTS, startBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { samplePdf } from '../support/builders.js';

const PHONE = { width: 390, height: 844 };
/** Demo elders registered and assessed by the embedded run (fictional people of Heze). */
const idOf = (first17: string) => first17 + residentIdCheckChar(first17);
const ZHAO = { name: '赵文华', idNumber: idOf('37170219371130007') };
const ZHANG = { name: '张桂兰', idNumber: idOf('37170219380412002') };
const LI = { name: '李德福', idNumber: idOf('37170219410923003'), phone: '05305550102' };
/** The smallest well-formed PNG (one transparent pixel), as a photo of a wound would be sent. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/**
 * The referral packet in the browser, as the people who use it: a discharge planner fills it in
 * (facts the bed type's rules need, diagnoses, care needs, consent, a discharge summary), corrects
 * it where matching found the elder not eligible, and follows the answers; hospice and community
 * health-centre staff decide on the summary and the packet, and learn who the elder is only once
 * the family chose them. Screenshots of each step at laptop and phone width, in print too.
 */
describe('the referral packet and every role\'s workspace in a real browser (Chromium), embedded mode with demo data', () => {
  let ui: BrowserHarness;
  const pages: Page[] = [];

  beforeAll(async () => {
    ui = await startBrowserHarness('ui-packet-test');
  }, 120_000);
  afterAll(async () => ui?.stop());

  /** A signed-in page; dialogs (the planner's confirmations) are accepted, and errors in the console collected. */
  const signedIn = async (username: string, viewport = LAPTOP) => {
    const page = await ui.open(viewport);
    const errors: string[] = [];
    page.on('dialog', (d) => void d.accept());
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await ui.signInAs(page, username);
    pages.push(page);
    return Object.assign(page, { consoleErrors: errors });
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const fact = (page: Page, name: string) => page.locator(`[data-fact="${name}"] select, [data-fact="${name}"] input`).first();
  const pageText = (page: Page) => page.evaluate<string>('document.body.innerText');

  const referral = { id: '' };
  const pdf = samplePdf('Discharge summary of a fictional elder');

  it('lets the planner send a hospice referral with its packet, consent and discharge summary, and correct a prognosis that made the elder not eligible', async () => {
    const planner = await signedIn('planner');
    await planner.getByLabel('老人身份证号').fill(ZHAO.idNumber);
    await expect.poll(() => planner.locator('#id-message').textContent(), { timeout: 30_000 }).toContain(`已找到: ${ZHAO.name}`);
    await planner.locator('select[name="bedType"]').selectOption('hospice');

    // The hospice rules' facts are asked for on the form itself, with Chinese labels and help.
    const facts = planner.locator('.eligibility-facts [data-fact]');
    expect(await facts.evaluateAll((els) => els.map((e) => e.getAttribute('data-fact')))).toEqual(['terminalIllness', 'prognosisMonths', 'kps', 'ecog', 'informedChoice', 'advanceCarePlanRecorded']);
    expect(await planner.locator('.eligibility-facts').innerText()).toContain('卡氏功能状态评分（KPS）');

    // A score off the scale is refused in place, in Chinese, before anything is sent.
    await fact(planner, 'kps').fill('45');
    await planner.getByRole('button', { name: '提交转诊' }).click();
    await expect.poll(() => planner.locator('[data-fact="kps"] .field-error').textContent()).toBe('应为 0–100 之间 10 的整数倍');
    expect(await planner.locator('section.referral').count()).toBe(0);

    await planner.locator('#pk-consent').check();
    await planner.getByLabel('转诊原因').fill('肺癌晚期，疼痛控制后出院，家属希望转安宁疗护');
    await planner.getByLabel('疾病编码（ICD-10）').first().fill('C34.9');
    await expect.poll(() => planner.getByLabel('诊断名称').first().inputValue()).toBe('支气管或肺恶性肿瘤');
    await planner.locator('input[name="careNeed"][value="oxygen"]').check();
    await planner.getByLabel('吸氧 · 说明').fill('鼻导管 2 升/分');
    await planner.locator('input[name="careNeed"][value="pain-management"]').check();
    await planner.locator('select[name="mobility"]').selectOption('bed-bound');
    await fact(planner, 'terminalIllness').selectOption('yes');
    await fact(planner, 'prognosisMonths').fill('12');
    await fact(planner, 'kps').fill('40');
    await fact(planner, 'ecog').fill('3');
    await fact(planner, 'informedChoice').selectOption('elder');
    await fact(planner, 'advanceCarePlanRecorded').selectOption('yes');
    await planner.locator('input[name="familyName"]').fill('赵明');
    await planner.locator('select[name="familyRelation"]').selectOption('child');
    await planner.locator('input[name="familyPhone"]').fill('13853000077');
    await planner.locator('input[name="plannerName"]').fill('王医生');
    await planner.locator('input[name="plannerPhone"]').fill('05305550999');
    await planner.locator('input[type="file"][name="attachment"]').setInputFiles({ name: '出院小结.pdf', mimeType: 'application/pdf', buffer: pdf });
    await expect.poll(() => planner.locator('.attachment-picker li').count()).toBe(1);
    expect(await foreignWords(planner)).toEqual([]);
    await shot(planner, 'packet-planner-form');

    await planner.getByRole('button', { name: '提交转诊' }).click();
    const detail = planner.locator('section.referral');
    await expect.poll(() => detail.getAttribute('data-referral'), { timeout: 30_000 }).toMatch(/^[0-9a-f-]{36}$/);
    referral.id = (await detail.getAttribute('data-referral'))!;
    // A prognosis of 12 months is beyond the hospice rules' 6: no hospice can be offered, and the planner is told why, in Chinese.
    await expect.poll(() => planner.locator('.state').getAttribute('data-state'), { timeout: 60_000 }).toBe('escalated');
    await planner.locator('details.excluded summary').click();
    expect(await planner.locator('details.excluded').innerText()).toMatch(/安宁疗护床位.*不符合入住条件：预计生存期/);
    expect(await planner.locator('.packet .attachments li').count()).toBe(1);
    expect(await planner.locator('.consent-status').getAttribute('data-consent')).toBe('granted');
    expect(await planner.locator('h2').first().innerText()).toMatch(/转诊单号 \d{8}-\d{6}/);
    expect(await foreignWords(planner)).toEqual([]);
    await shot(planner, 'packet-planner-escalated');
    // The planner's printed form shows all of it, the family's contact too.
    await planner.locator('.actions [data-action="print"]').click();
    await expect.poll(() => planner.locator('.print-sheet').innerText(), { timeout: 30_000 }).toContain('13853000077');
    await planner.emulateMedia({ media: 'print' });
    expect(await foreignWords(planner)).toEqual([]);
    await shot(planner, 'packet-planner-escalated-print');
    await planner.emulateMedia({ media: 'screen' });
    await planner.getByRole('button', { name: '返回' }).click();

    // The planner corrects the prognosis on the packet; matching runs again and the hospice is offered.
    await planner.locator('[data-action="edit-packet"]').click();
    await fact(planner, 'prognosisMonths').fill('3');
    await planner.getByRole('button', { name: '保存转诊资料' }).click();
    await expect.poll(() => planner.locator('.packet [role="status"].field-ok').textContent(), { timeout: 30_000 }).toBe('已按新信息重新匹配');
    await expect.poll(() => planner.locator('.state').getAttribute('data-state'), { timeout: 60_000 }).toBe('offering');
    await expect.poll(() => planner.locator('ul.offers li').allInnerTexts(), { timeout: 30_000 }).toEqual([expect.stringContaining('菏泽牡丹颐康医院安宁疗护病区')]);
    expect(await planner.locator('.missing-facts').textContent()).toBe('所选床位类型的入住条件信息已齐全');
    expect(planner.consoleErrors).toEqual([]);
  });

  it('shows the hospice ward a summary and the packet, the discharge summary to download, and nobody\'s name before the family chooses', async () => {
    expect(referral.id, 'the planner sent the referral').not.toBe('');
    const hospice = await signedIn('hospice');
    const offer = hospice.locator(`li.offer[data-referral="${referral.id}"]`);
    await expect.poll(() => offer.count(), { timeout: 30_000 }).toBe(1);
    const summary = await offer.innerText();
    expect(summary).toContain('转出机构：菏泽牡丹颐康医院');
    expect(summary).toMatch(/\d+–\d+ 岁 · 男/);
    expect(summary).toContain('支气管或肺恶性肿瘤');
    expect(summary).toContain('吸氧');
    expect(summary).toMatch(/能力等级\s+4 完全丧失/);

    await offer.locator('[data-action="open-packet"]').click();
    const packet = offer.locator('section.packet');
    await expect.poll(() => packet.getAttribute('data-disclosure'), { timeout: 30_000 }).toBe('clinical');
    const text = await packet.innerText();
    expect(text).toContain('鼻导管 2 升/分');
    expect(text).toContain('家属选定本机构后显示老人姓名、身份证号和联系方式');
    // Who the elder is, and how to reach the family, stay hidden until the family chooses this ward.
    const whole = await pageText(hospice);
    for (const secret of [ZHAO.name, ZHAO.idNumber, '13853000077', '赵明']) expect(whole).not.toContain(secret);

    const [file] = await Promise.all([hospice.waitForEvent('download'), packet.getByRole('button', { name: '下载' }).click()]);
    expect(file.suggestedFilename()).toBe('出院小结.pdf');
    expect(Buffer.compare(await readFile((await file.path())!), pdf)).toBe(0);
    expect(await foreignWords(hospice)).toEqual([]);
    await shot(hospice, 'packet-hospice-inbox');

    // The printed 转诊单 (A4), as the ward keeps it before the family chooses: no name there either.
    await packet.locator('[data-action="print"]').click();
    await expect.poll(() => hospice.locator('.print-sheet .packet-view').count(), { timeout: 30_000 }).toBe(1);
    await hospice.emulateMedia({ media: 'print' });
    expect(await hospice.locator('.no-print').first().isVisible()).toBe(false);
    expect(await pageText(hospice)).not.toContain(ZHAO.name);
    await shot(hospice, 'packet-hospice-print');
    await hospice.emulateMedia({ media: 'screen' });
    await hospice.getByRole('button', { name: '返回' }).click();
    await offer.getByRole('button', { name: '接收' }).click();
    await expect.poll(() => offer.locator('.status').textContent(), { timeout: 30_000 }).toBe('已接收');
    expect(hospice.consoleErrors).toEqual([]);
  });

  it('tells the chosen hospice who the elder is and how to reach the family, at laptop and phone width', async () => {
    const planner = pages[0]!;
    const choose = planner.getByRole('button', { name: '记录家属选择' });
    await expect.poll(() => choose.count(), { timeout: 30_000 }).toBe(1);
    await choose.click();
    await expect.poll(() => planner.locator('.state').getAttribute('data-state'), { timeout: 60_000 }).toBe('transferring');

    const phone = await signedIn('hospice', PHONE);
    const offer = phone.locator(`li.offer[data-referral="${referral.id}"]`);
    await expect.poll(() => offer.count(), { timeout: 30_000 }).toBe(1);
    await offer.locator('[data-action="open-packet"]').click();
    await expect.poll(() => offer.locator('.elder-name').getAttribute('data-elder-name'), { timeout: 30_000 }).toBe(ZHAO.name);
    expect(await offer.locator('[data-chosen="true"]').textContent()).toBe('家属已选定本机构');
    const text = await offer.innerText();
    expect(text).toContain(ZHAO.idNumber);
    expect(text).toContain('13853000077');
    expect(text).toContain('赵明');
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    expect(await foreignWords(phone)).toEqual([]);
    await shot(phone, 'packet-hospice-chosen-phone');

    await phone.setViewportSize(LAPTOP);
    await offer.locator('[data-action="print"]').click();
    await expect.poll(() => phone.locator('.print-sheet').innerText(), { timeout: 30_000 }).toContain(ZHAO.name);
    await phone.emulateMedia({ media: 'print' });
    await shot(phone, 'packet-hospice-chosen-print');
    await phone.emulateMedia({ media: 'screen' });
    await phone.getByRole('button', { name: '返回' }).click();
    // The bed held for the elder is named too.
    await phone.locator('button[data-tab="arrivals"]').click();
    await expect.poll(() => phone.locator(`li.offer[data-referral="${referral.id}"] .elder-name`).textContent(), { timeout: 30_000 }).toBe(ZHAO.name);
    expect(await foreignWords(phone)).toEqual([]);
    expect(phone.consoleErrors).toEqual([]);
  });

  it('lets a community health centre decide on a home sick bed from its packet and a wound photo, and name the elder once chosen', async () => {
    const planner = await signedIn('planner');
    await planner.getByLabel('老人身份证号').fill(LI.idNumber);
    await expect.poll(() => planner.locator('#id-message').textContent(), { timeout: 30_000 }).toContain(`已找到: ${LI.name}`);
    await planner.locator('select[name="bedType"]').selectOption('home-sick');
    for (const f of ['clearDiagnosis', 'stableCondition', 'bedBoundOrCannotReachClinic', 'insuranceFiled']) await fact(planner, f).selectOption('yes');
    await planner.locator('input[name="homeSickBedConditions"][value="pressure-injury-or-stoma"]').check();
    await planner.locator('#pk-consent').check();
    await planner.getByLabel('疾病编码（ICD-10）').first().fill('E11.5');
    await planner.locator('input[name="careNeed"][value="wound-dressing"]').check();
    await planner.getByRole('button', { name: '提交转诊' }).click();
    const detail = planner.locator('section.referral');
    await expect.poll(() => detail.getAttribute('data-referral'), { timeout: 30_000 }).toMatch(/^[0-9a-f-]{36}$/);
    const id = (await detail.getAttribute('data-referral'))!;
    await expect.poll(() => planner.locator('.state').getAttribute('data-state'), { timeout: 60_000 }).toBe('offering');
    // A photo of the wound, added from the referral's page after it was sent.
    await planner.locator('.attachments input[type="file"]').setInputFiles({ name: '足部伤口.png', mimeType: 'image/png', buffer: PNG });
    await planner.locator('.attachments .files select').selectOption('wound-photo');
    await planner.getByRole('button', { name: '上传', exact: true }).click();
    await expect.poll(() => planner.locator('.attachments li[data-attachment]').innerText(), { timeout: 30_000 }).toContain('伤口照片');

    const chc = await signedIn('chc');
    const offer = chc.locator(`li.offer[data-referral="${id}"]`);
    await expect.poll(() => offer.count(), { timeout: 30_000 }).toBe(1);
    expect(await offer.innerText()).toContain('2型糖尿病伴周围循环并发症（糖尿病足）');
    await offer.locator('[data-action="open-packet"]').click();
    await expect.poll(() => offer.locator('section.packet').getAttribute('data-disclosure'), { timeout: 30_000 }).toBe('clinical');
    await expect.poll(() => offer.locator('.attachments li[data-attachment]').count(), { timeout: 30_000 }).toBe(1);
    const [file] = await Promise.all([chc.waitForEvent('download'), offer.getByRole('button', { name: '下载' }).click()]);
    expect(file.suggestedFilename()).toBe('足部伤口.png');
    expect(Buffer.compare(await readFile((await file.path())!), PNG)).toBe(0);
    for (const secret of [LI.name, LI.idNumber, LI.phone]) expect(await pageText(chc)).not.toContain(secret);
    await offer.getByRole('button', { name: '接收' }).click();
    await expect.poll(() => offer.locator('.status').textContent(), { timeout: 30_000 }).toBe('已接收');

    const choose = planner.getByRole('button', { name: '记录家属选择' });
    await expect.poll(() => choose.count(), { timeout: 30_000 }).toBe(1);
    await choose.click();
    await expect.poll(() => planner.locator('.state').getAttribute('data-state'), { timeout: 60_000 }).toBe('transferring');
    // The inbox learns of the choice live; the packet, opened again, names the elder.
    const chosen = chc.locator(`li.offer[data-referral="${id}"]`);
    await expect.poll(() => chosen.locator('[data-chosen="true"]').count(), { timeout: 30_000 }).toBe(1);
    await chosen.locator('[data-action="open-packet"]').click();
    await expect.poll(() => chosen.locator('section.packet').count()).toBe(0);
    await chosen.locator('[data-action="open-packet"]').click();
    await expect.poll(() => chosen.locator('.elder-name').getAttribute('data-elder-name'), { timeout: 30_000 }).toBe(LI.name);
    expect(await chosen.innerText()).toContain(LI.phone);
    expect(await foreignWords(chc)).toEqual([]);
    await shot(chc, 'packet-chc-chosen');

    // The planner finds the referral by its number in the list of active ones.
    const number = (await planner.locator('section.referral h2').innerText()).match(/\d{8}-\d{6}/)![0];
    await planner.getByRole('button', { name: '返回列表' }).click();
    await planner.getByLabel('按转诊单号查找').fill(number);
    await expect.poll(() => planner.locator('section.referrals tbody tr').count(), { timeout: 30_000 }).toBe(1);
    expect(await planner.locator('section.referrals tbody tr').getAttribute('data-referral')).toBe(id);
    await expect.poll(() => planner.locator('section.referrals tbody tr .elder-name').textContent(), { timeout: 30_000 }).toBe(LI.name);
    await planner.locator('section.referrals [data-view="finished"]').click();
    await expect.poll(() => planner.locator('section.referrals .empty').textContent()).toBe('没有这个转诊单号的转诊');
    for (const page of [planner, chc]) expect(page.consoleErrors).toEqual([]);
  });

  it('lets the planner answer what a home sick bed still needs, and shows the community health centre\'s decline with its words', async () => {
    const planner = await signedIn('planner', PHONE);
    await planner.getByLabel('老人身份证号').fill(ZHANG.idNumber);
    await expect.poll(() => planner.locator('#id-message').textContent(), { timeout: 30_000 }).toContain(`已找到: ${ZHANG.name}`);
    await planner.locator('select[name="bedType"]').selectOption('home-sick');
    // Where the elder lives comes from the register; the rest the planner answers, leaving two open.
    // Picked city first, then county: 菏泽市, then 牡丹区; another city brings its own counties (济南市: 历下区 …).
    const homeCity = planner.locator('[data-fact="homeDivisionCode"] select[name="homeDivisionCodeCity"]');
    const homeCounty = planner.locator('[data-fact="homeDivisionCode"] select[name="homeDivisionCode"]');
    expect(await homeCity.inputValue()).toBe('371700');
    expect(await homeCounty.inputValue()).toBe('371702');
    expect(await homeCounty.locator('option:checked').textContent()).toBe('牡丹区');
    expect(await homeCity.locator('option').count()).toBe(17); // 16 cities and the empty choice
    await homeCity.selectOption('370100');
    expect(await homeCounty.inputValue()).toBe('');
    expect(await homeCounty.locator('option').allTextContents()).toEqual(['未填写', '历下区', '市中区', '槐荫区', '天桥区', '历城区', '长清区', '章丘区', '济阳区', '莱芜区', '钢城区', '平阴县', '商河县']);
    await homeCounty.selectOption('370102');
    expect(await homeCounty.inputValue()).toBe('370102');
    await homeCity.selectOption('371700');
    await homeCounty.selectOption('371702');
    expect(await homeCounty.inputValue()).toBe('371702');
    await fact(planner, 'clearDiagnosis').selectOption('yes');
    await fact(planner, 'stableCondition').selectOption('yes');
    await fact(planner, 'bedBoundOrCannotReachClinic').selectOption('yes');
    await planner.locator('#pk-consent').check();
    await planner.locator('select[name="consentGiver"]').selectOption('guardian');
    await planner.locator('input[name="consentGiverName"]').fill('张建军');
    await planner.locator('select[name="consentMethod"]').selectOption('verbal-witnessed');
    await planner.getByLabel('疾病编码（ICD-10）').first().fill('I69.3');
    await planner.locator('input[name="careNeed"][value="pressure-injury-care"]').check();
    expect(await planner.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await shot(planner, 'packet-planner-home-sick-phone');
    await planner.getByRole('button', { name: '提交转诊' }).click();
    const detail = planner.locator('section.referral');
    await expect.poll(() => detail.getAttribute('data-referral'), { timeout: 30_000 }).toMatch(/^[0-9a-f-]{36}$/);
    const id = (await detail.getAttribute('data-referral'))!;
    await expect.poll(() => planner.locator('.state').getAttribute('data-state'), { timeout: 60_000 }).toBe('offering');
    await expect.poll(() => planner.locator('.missing-facts').textContent(), { timeout: 30_000 }).toBe('尚缺信息：家庭病床 · 家庭病床收治情形；家庭病床 · 已办理医保备案');

    // "尚缺信息" is answered where it is shown.
    await planner.locator('[data-action="edit-packet"]').click();
    expect(await planner.locator('[data-fact="homeSickBedConditions"].missing').count()).toBe(1);
    await planner.locator('input[name="homeSickBedConditions"][value="pressure-injury-or-stoma"]').check();
    await fact(planner, 'insuranceFiled').selectOption('yes');
    await planner.getByRole('button', { name: '保存转诊资料' }).click();
    await expect.poll(() => planner.locator('.missing-facts').textContent(), { timeout: 30_000 }).toBe('所选床位类型的入住条件信息已齐全');
    expect(await foreignWords(planner)).toEqual([]);

    // The centre declines, saying why in its own words; the planner reads both.
    const chc = await signedIn('chc');
    const offer = chc.locator(`li.offer[data-referral="${id}"]`);
    await expect.poll(() => offer.count(), { timeout: 30_000 }).toBe(1);
    expect(await offer.innerText()).toContain('脑梗死后遗症');
    await offer.locator('select').selectOption('care-needs-exceed-capability');
    await offer.locator('input[name="declineNote"]').fill('需每日换药，本中心家医团队人手不足');
    await shot(chc, 'packet-chc-decline');
    await offer.getByRole('button', { name: '拒收' }).click();
    // Answered, it leaves the list of what is to do, and is found among the finished ones.
    await expect.poll(() => offer.count(), { timeout: 30_000 }).toBe(0);
    await chc.locator('.inbox [data-view="done"]').click();
    await expect.poll(() => offer.locator('.status').textContent(), { timeout: 30_000 }).toBe('已拒收');
    expect(await offer.locator('.countdown').count()).toBe(0);
    await chc.locator('.inbox [data-view="pending"]').click();
    await expect.poll(() => planner.locator('p.decline').first().textContent(), { timeout: 30_000 }).toBe('拒收原因：护理需求超出服务能力；需每日换药，本中心家医团队人手不足');
    expect(await foreignWords(planner)).toEqual([]);
    await shot(planner, 'packet-planner-declined-phone');
    for (const page of [planner, chc]) expect(page.consoleErrors).toEqual([]);
  });

  it('shows every demo account every view of its workspace in Chinese: no Latin word, id, raw value, console error or server error, at laptop and phone width', async () => {
    const accounts = (await (await fetch(`${ui.system.url}/api/auth/demo-users`)).json()) as { users: { username: string; role: string }[] };
    expect(accounts.users.length).toBe(11);
    const problems: string[] = [];
    for (const { username } of accounts.users) {
      const page = await ui.open(LAPTOP);
      await ui.signInAs(page, username);
      await expect.poll(() => page.locator('.who').count(), { timeout: 30_000 }).toBe(1);
      // Watched from the signed-in page on (a sign-in turned away by its rate limit is waited out, not a fault).
      const failures: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') failures.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
      page.on('response', (r) => {
        if (r.status() >= 500) failures.push(`${r.status()} ${r.url()}`);
      });
      await page.reload();
      await expect.poll(() => page.locator('.who').count(), { timeout: 30_000 }).toBe(1);
      const tabs = await page.locator('nav.tabs button[data-tab]').evaluateAll((els) => els.map((e) => e.getAttribute('data-tab')!));
      for (const [width, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const) {
        await page.setViewportSize(viewport);
        for (const tab of tabs.length > 0 ? tabs : ['main']) {
          if (tab !== 'main') await page.locator(`nav.tabs button[data-tab="${tab}"]`).click();
          await expect.poll(() => page.getByText('加载中…').count(), { timeout: 30_000 }).toBe(0);
          const where = `${username} · ${tab} · ${width}`;
          for (const word of await foreignWords(page)) problems.push(`${where}: ${word}`);
          for (const raw of await rawValues(page)) problems.push(`${where}: ${raw}`);
          const overflow = (await page.evaluate<number>('document.documentElement.scrollWidth')) - viewport.width;
          if (overflow > 0) problems.push(`${where}: ${overflow} px wider than the screen`);
          await shot(page, `role-${username}-${tab}-${width}`);
        }
      }
      problems.push(...failures.map((f) => `${username}: ${f}`));
      await page.close();
    }
    expect(problems).toEqual([]);
    // Ten sign-ins, after the ones above, wait out the gateway's limit of ten a minute more than once.
  }, 600_000);
});
