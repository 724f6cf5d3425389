import { residentIdCheckChar } from '@fbl/codes';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignWords, LAPTOP, rawValues, SHOTS, startBrowserHarness, type BrowserHarness } from '../support/browser.js';

const PHONE = { width: 390, height: 844 };
const idOf = (first17: string) => first17 + residentIdCheckChar(first17);
/** Demo elders of the embedded run (fictional people of 牡丹区, Heze), assessed. */
const ZHANG = { name: '张桂兰', idNumber: idOf('37170219380412002') };
const LI = { name: '李德福', idNumber: idOf('37170219410923003') };
const ZHAO = { name: '赵文华', idNumber: idOf('37170219371130007') };

/**
 * A working day of the providers, in the browser alone on the demo data: the home-care provider
 * declines one referral with its reason and takes another, admits with a service plan and follows
 * up with content; the community health centre opens a home sick bed beside the home care bed
 * (两床融合) and records its stage review; a care-home placement of an elder already in home beds
 * is a confirmed move the care home is told of; the care home sends a resident to the hospital it
 * names, the hospital ward takes, admits and discharges them, and they come back to the kept bed.
 */
describe("providers' whole day in a real browser (Chromium): home care, community health centre, care home and hospital ward", () => {
  let ui: BrowserHarness;

  beforeAll(async () => {
    ui = await startBrowserHarness('ui-providers-test');
  }, 300_000);
  afterAll(async () => ui?.stop());

  /** A signed-in page that accepts confirmations (after noting them) and collects console errors. */
  const signedIn = async (username: string, viewport = LAPTOP) => {
    const page = await ui.open(viewport);
    const errors: string[] = [];
    const asked: string[] = [];
    page.on('dialog', (d) => {
      asked.push(d.message());
      void d.accept();
    });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await ui.signInAs(page, username);
    return Object.assign(page, { consoleErrors: errors, asked });
  };
  type Signed = Awaited<ReturnType<typeof signedIn>>;
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const fact = (page: Page, name: string) => page.locator(`[data-fact="${name}"] select, [data-fact="${name}"] input`).first();
  const clean = async (page: Signed) => {
    expect(await foreignWords(page)).toEqual([]);
    expect(await rawValues(page)).toEqual([]);
    expect(page.consoleErrors).toEqual([]);
  };

  /** The planner finds the elder, picks the bed type, consents, lets `fill` answer the bed's facts, and sends; the referral's id. */
  const refer = async (planner: Page, elder: { name: string; idNumber: string }, bedType: string, fill: (p: Page) => Promise<void> = async () => {}) => {
    if ((await planner.locator('section.referral').count()) > 0) await planner.getByRole('button', { name: '返回列表' }).click();
    await planner.getByLabel('老人身份证号').fill(elder.idNumber);
    await expect.poll(() => planner.locator('#id-message').textContent(), { timeout: 30_000 }).toContain(`已找到: ${elder.name}`);
    await planner.locator('select[name="bedType"]').selectOption(bedType);
    await planner.locator('#pk-consent').check();
    await fill(planner);
    await planner.getByRole('button', { name: '提交转诊' }).click();
    const detail = planner.locator('section.referral');
    await expect.poll(() => detail.getAttribute('data-referral'), { timeout: 30_000 }).toMatch(/^[0-9a-f-]{36}$/);
    return (await detail.getAttribute('data-referral'))!;
  };
  /** The planner opens a referral from the list and records the family's choice of the provider that accepted. */
  const choose = async (planner: Page, id: string) => {
    if ((await planner.locator('section.referral').count()) > 0) await planner.getByRole('button', { name: '返回列表' }).click();
    await planner.locator('section.referrals [data-view="active"]').click();
    await planner.locator(`section.referrals tr[data-referral="${id}"] button`).click();
    const record = planner.getByRole('button', { name: '记录家属选择' });
    await expect.poll(() => record.count(), { timeout: 60_000 }).toBe(1);
    await record.click();
    await expect.poll(() => planner.locator('.state').getAttribute('data-state'), { timeout: 60_000 }).toBe('transferring');
  };
  /** Answer a follow-up's four questions and send it. */
  const followUp = async (page: Page, id: string, answers: string[]) => {
    await page.locator('button[data-tab="followUps"]').click();
    const row = page.locator(`tr[data-referral="${id}"]`);
    await expect.poll(() => row.count(), { timeout: 60_000 }).toBe(1);
    await row.getByRole('button', { name: '填写随访' }).click();
    const form = page.locator(`form.follow-up-form[data-referral="${id}"]`);
    for (const answer of answers) await form.getByLabel(answer, { exact: true }).check();
    await form.getByRole('button', { name: '提交随访，完成闭环' }).click();
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(0);
    expect(await page.locator('.follow-ups .field-ok').textContent()).toBe('随访已记录，本次转诊已闭环');
  };

  let planner: Signed;
  const ids = { homeCareZhang: '', homeCareLi: '', homeSickLi: '', careLi: '' };

  it('lets the home-care provider decline with a reason, take another referral, admit with a service plan and follow up, at phone width', async () => {
    planner = await signedIn('planner');
    ids.homeCareZhang = await refer(planner, ZHANG, 'home-care');
    ids.homeCareLi = await refer(planner, LI, 'home-care');

    const homecare = await signedIn('homecare', PHONE);
    const offerOf = (id: string) => homecare.locator(`li.offer[data-referral="${id}"]`);
    await expect.poll(() => offerOf(ids.homeCareZhang).count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => offerOf(ids.homeCareLi).count(), { timeout: 60_000 }).toBe(1);
    await shot(homecare, 'homecare-inbox-phone');
    // A decline needs its reason, is confirmed, and leaves the to-do list for the finished one.
    const zhang = offerOf(ids.homeCareZhang);
    await zhang.locator('select').selectOption('no-capacity');
    await zhang.locator('input[name="declineNote"]').fill('本月上门护理员已排满');
    await zhang.getByRole('button', { name: '拒收' }).click();
    await expect.poll(() => offerOf(ids.homeCareZhang).count(), { timeout: 30_000 }).toBe(0);
    expect(homecare.asked).toContain('确认拒收这份转诊？拒收后不能撤回，转诊将转给其他机构。');
    await homecare.locator('.inbox [data-view="done"]').click();
    await expect.poll(() => offerOf(ids.homeCareZhang).locator('.status').textContent(), { timeout: 30_000 }).toBe('已拒收');
    await homecare.locator('.inbox [data-view="pending"]').click();
    await offerOf(ids.homeCareLi).getByRole('button', { name: '接收' }).click();
    await expect.poll(() => offerOf(ids.homeCareLi).locator('.status').textContent(), { timeout: 30_000 }).toBe('已接收');

    await choose(planner, ids.homeCareLi);

    // The arrival: a home care bed starts with its service plan.
    await homecare.locator('button[data-tab="arrivals"]').click();
    const arrival = homecare.locator(`li.offer[data-referral="${ids.homeCareLi}"]`);
    await expect.poll(() => arrival.count(), { timeout: 60_000 }).toBe(1);
    await arrival.getByRole('button', { name: '确认入住' }).click();
    expect(await arrival.locator('.field-error').first().textContent()).toBe('请填写服务项目');
    await arrival.getByLabel('服务项目').fill('助浴、助洁、康复训练');
    await arrival.getByLabel('每周上门次数').fill('3');
    await arrival.getByRole('button', { name: '确认入住' }).click();
    await expect.poll(() => arrival.count(), { timeout: 30_000 }).toBe(0);

    await followUp(homecare, ids.homeCareLi, ['上门随访', '适应良好', '好转', '满意']);
    await shot(homecare, 'homecare-follow-ups-phone');

    // Capacity in words: 服务名额 of 标准照护 and 重度照护, never a code.
    await homecare.locator('button[data-tab="capacity"]').click();
    await expect.poll(() => homecare.locator('.capacity').innerText(), { timeout: 30_000 }).toContain('标准照护');
    expect(await homecare.locator('.capacity').innerText()).toContain('重度照护');
    await shot(homecare, 'homecare-capacity-phone');
    await clean(homecare);
    expect(await homecare.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
  }, 300_000);

  it('lets the community health centre open a home sick bed beside the home care bed, and record its stage review with feedback', async () => {
    ids.homeSickLi = await refer(planner, LI, 'home-sick', async (p) => {
      // The elder is in a home care bed: shown, but a home sick bed beside it needs no move (两床融合).
      await expect.poll(() => p.locator('.current-beds').innerText(), { timeout: 30_000 }).toContain('牡丹区邻里居家养老服务站（家庭养老床位');
      for (const f of ['clearDiagnosis', 'stableCondition', 'bedBoundOrCannotReachClinic', 'insuranceFiled']) await fact(p, f).selectOption('yes');
      await p.locator('input[name="homeSickBedConditions"][value="pressure-injury-or-stoma"]').check();
    });
    const chc = await signedIn('chc', PHONE);
    const offer = chc.locator(`li.offer[data-referral="${ids.homeSickLi}"]`);
    await expect.poll(() => offer.count(), { timeout: 60_000 }).toBe(1);
    await offer.getByRole('button', { name: '接收' }).click();
    await expect.poll(() => offer.locator('.status').textContent(), { timeout: 30_000 }).toBe('已接收');
    await choose(planner, ids.homeSickLi);
    await chc.locator('button[data-tab="arrivals"]').click();
    const arrival = chc.locator(`li.offer[data-referral="${ids.homeSickLi}"]`);
    await expect.poll(() => arrival.count(), { timeout: 60_000 }).toBe(1);
    await arrival.getByRole('button', { name: '确认入住' }).click();
    await expect.poll(() => arrival.count(), { timeout: 30_000 }).toBe(0);

    // The stage review: both answers required, then saved with the next review date said back.
    await chc.locator('button[data-tab="residents"]').click();
    const episode = chc.locator(`li.offer[data-referral="${ids.homeSickLi}"]`);
    await expect.poll(() => episode.count(), { timeout: 30_000 }).toBe(1);
    expect(await episode.locator('.review-dates').innerText()).toMatch(/^下次评估：\d{4}年\d{1,2}月\d{1,2}日$/);
    await episode.getByRole('button', { name: '完成阶段评估' }).click();
    const form = episode.locator('.review-form');
    await form.getByRole('button', { name: '保存阶段评估' }).click();
    expect(await form.locator('.field-error').allTextContents()).toEqual(['请选择一项', '请选择一项']);
    await form.getByLabel('稳定', { exact: true }).check();
    await form.getByLabel('调整治疗护理方案').check();
    expect(await form.locator('.field-error').allTextContents()).toEqual(['', '']);
    await shot(chc, 'chc-stage-review-phone');
    await form.getByRole('button', { name: '保存阶段评估' }).click();
    await expect.poll(() => episode.locator('.field-ok').textContent(), { timeout: 30_000 }).toMatch(/^阶段评估已保存，下次评估日期：\d{4}年\d{1,2}月\d{1,2}日$/);
    await expect.poll(() => episode.locator('.review-dates').innerText(), { timeout: 30_000 }).toMatch(/上次评估：\d{4}年\d{1,2}月\d{1,2}日 稳定，调整治疗护理方案$/);
    expect(await episode.locator('.review-form').count()).toBe(0);
    await shot(chc, 'chc-residents-phone');
    await followUp(chc, ids.homeSickLi, ['电话随访', '仍在适应', '稳定', '基本满意']);
    await clean(chc);
  }, 300_000);

  it('lets the hospice ward take a terminally ill elder, admit and follow up, with its beds and home places in words', async () => {
    const id = await refer(planner, ZHAO, 'hospice', async (p) => {
      await fact(p, 'terminalIllness').selectOption('yes');
      await fact(p, 'prognosisMonths').fill('3');
      await fact(p, 'kps').fill('40');
      await fact(p, 'ecog').fill('3');
      await fact(p, 'informedChoice').selectOption('elder');
      await fact(p, 'advanceCarePlanRecorded').selectOption('yes');
    });
    const hospice = await signedIn('hospice');
    const offer = hospice.locator(`li.offer[data-referral="${id}"]`);
    await expect.poll(() => offer.count(), { timeout: 60_000 }).toBe(1);
    await offer.getByRole('button', { name: '接收' }).click();
    await expect.poll(() => offer.locator('.status').textContent(), { timeout: 30_000 }).toBe('已接收');
    await choose(planner, id);
    await hospice.locator('button[data-tab="arrivals"]').click();
    const arrival = hospice.locator(`li.offer[data-referral="${id}"]`);
    await expect.poll(() => arrival.count(), { timeout: 60_000 }).toBe(1);
    await arrival.getByRole('button', { name: '确认入住' }).click();
    await expect.poll(() => arrival.count(), { timeout: 30_000 }).toBe(0);
    await followUp(hospice, id, ['当面随访', '仍在适应', '加重', '满意']);
    await hospice.locator('button[data-tab="capacity"]').click();
    await expect.poll(() => hospice.locator('.capacity').innerText(), { timeout: 30_000 }).toContain('住院');
    expect(await hospice.locator('.capacity').innerText()).toContain('居家');
    await shot(hospice, 'hospice-capacity');
    await clean(hospice);
  }, 300_000);

  it('makes a care-home placement of an elder in home beds a confirmed move, and tells the care home', async () => {
    ids.careLi = await refer(planner, LI, 'care', async (p) => {
      await expect.poll(() => p.locator('.current-beds').getAttribute('data-stays'), { timeout: 30_000 }).toBe('2');
      await shot(p, 'planner-elder-in-bed');
      // Sent without the confirmation: the server refuses, and the form says what to do.
      await p.getByRole('button', { name: '提交转诊' }).click();
      await expect.poll(() => p.locator('#confirm-move-error').textContent(), { timeout: 30_000 }).toBe('老人目前在其他床位，请确认本次为转床');
      expect(await p.locator('section.referral').count()).toBe(0);
      await p.getByLabel('确认本次为转床：老人将离开上述床位').check();
    });
    const carehome = await signedIn('carehome');
    const offer = carehome.locator(`li.offer[data-referral="${ids.careLi}"]`);
    await expect.poll(() => offer.count(), { timeout: 60_000 }).toBe(1);
    expect(await offer.locator('.moves-from').innerText()).toBe('转床：老人目前入住于牡丹区邻里居家养老服务站（家庭养老床位）；牡丹区东城街道社区卫生服务中心（家庭病床）');
    await shot(carehome, 'carehome-inbox-move');
    await clean(carehome);
  }, 300_000);

  it("sends a care-home resident to the hospital it names; the ward takes, admits and discharges them, and they come back to the kept bed", async () => {
    // 张桂兰 into the care home first (her home-care referral stopped when the only provider for her county declined it).
    const zhangCare = await refer(planner, ZHANG, 'care');
    const carehome = await signedIn('carehome');
    const offer = carehome.locator(`li.offer[data-referral="${zhangCare}"]`);
    await expect.poll(() => offer.count(), { timeout: 60_000 }).toBe(1);
    await offer.getByRole('button', { name: '接收' }).click();
    await choose(planner, zhangCare);
    await carehome.locator('button[data-tab="arrivals"]').click();
    const arrival = carehome.locator(`li.offer[data-referral="${zhangCare}"]`);
    await expect.poll(() => arrival.count(), { timeout: 60_000 }).toBe(1);
    await arrival.getByRole('button', { name: '确认入住' }).click();
    await expect.poll(() => arrival.count(), { timeout: 30_000 }).toBe(0);

    // The urgent transfer names the partner hospital, whose ward runs the 'ward' account.
    await carehome.locator('button[data-tab="residents"]').click();
    const resident = carehome.locator(`li.offer[data-referral="${zhangCare}"]`);
    await expect.poll(() => resident.count(), { timeout: 30_000 }).toBe(1);
    await resident.getByLabel('转院原因').fill('突发高热伴意识模糊');
    const partner = (await resident.getByLabel('转往医院').locator('option').allTextContents()).find((h) => h.startsWith('菏泽牡丹颐康医院'))!;
    await resident.getByLabel('转往医院').selectOption({ label: partner });
    await resident.getByRole('button', { name: '发起紧急转院' }).click();
    await expect.poll(() => resident.locator('.status').getAttribute('data-status'), { timeout: 30_000 }).toBe('away');

    const ward = await signedIn('ward');
    const urgent = ward.locator('li.offer.urgent');
    await expect.poll(() => urgent.count(), { timeout: 60_000 }).toBe(1);
    expect(await urgent.locator('.badge').first().textContent()).toBe('绿色通道');
    const urgentId = (await urgent.getAttribute('data-referral'))!;
    // The ward learns why the resident is coming (转院原因), with no consent on record (PIPL art. 13 (1)(4)); the packet itself stays closed.
    const transferReason = urgent.locator('.transfer-reason');
    expect(await transferReason.locator('dt').textContent()).toBe('转院原因');
    expect(await transferReason.locator('dd').textContent()).toBe('突发高热伴意识模糊');
    expect(await urgent.locator('.urgent-basis').textContent()).toContain('《个人信息保护法》第十三条');
    expect(await urgent.locator('[data-action="open-packet"]').count()).toBe(0);
    await shot(ward, 'ward-inbox-urgent');
    const wardPhone = await signedIn('ward', PHONE);
    const urgentPhone = wardPhone.locator('li.offer.urgent .transfer-reason dd');
    await expect.poll(() => urgentPhone.textContent(), { timeout: 60_000 }).toBe('突发高热伴意识模糊');
    await shot(wardPhone, 'ward-inbox-urgent-phone');
    await clean(wardPhone);
    await wardPhone.close();
    await urgent.getByRole('button', { name: '接收' }).click();
    await expect.poll(() => urgent.locator('.status').textContent(), { timeout: 30_000 }).toBe('已接收');

    // The care home chooses for its own urgent transfer; the ward confirms the arrival.
    await carehome.locator('button[data-tab="outgoing"]').click();
    await carehome.locator(`section.referrals tr[data-referral="${urgentId}"] button`).click();
    const record = carehome.getByRole('button', { name: '记录家属选择' });
    await expect.poll(() => record.count(), { timeout: 60_000 }).toBe(1);
    await record.click();
    await ward.locator('button[data-tab="arrivals"]').click();
    const wardArrival = ward.locator(`li.offer[data-referral="${urgentId}"]`);
    await expect.poll(() => wardArrival.count(), { timeout: 60_000 }).toBe(1);
    await wardArrival.getByRole('button', { name: '确认入住' }).click();
    await expect.poll(() => wardArrival.count(), { timeout: 30_000 }).toBe(0);

    // Treated: the ward discharges (confirmed); the resident is back in the kept bed, and the return closes with its follow-up.
    await ward.locator('button[data-tab="residents"]').click();
    const patient = ward.locator(`li.offer[data-referral="${urgentId}"]`);
    await expect.poll(() => patient.count(), { timeout: 30_000 }).toBe(1);
    await patient.locator('select[name="dischargeReason"]').selectOption('recovered');
    await patient.getByRole('button', { name: '办理出院' }).click();
    await expect.poll(() => patient.count(), { timeout: 30_000 }).toBe(0);
    expect(ward.asked).toContain('确认办理出院？出院后床位将释放，此操作不能撤销。');
    await shot(ward, 'ward-residents');
    await carehome.locator('button[data-tab="residents"]').click();
    await resident.getByRole('button', { name: '已返回原床位' }).click();
    await expect.poll(() => resident.locator('.status').getAttribute('data-status'), { timeout: 30_000 }).toBe('in-care');
    await carehome.locator('button[data-tab="followUps"]').click();
    // Due here: the first placement's follow-up and the return's.
    const back = carehome.locator(`.follow-ups tbody tr:not([data-referral="${zhangCare}"])`);
    await expect.poll(() => back.count(), { timeout: 60_000 }).toBe(1);
    await followUp(carehome, (await back.getAttribute('data-referral'))!, ['当面随访', '适应良好', '好转', '满意']);
    await followUp(carehome, zhangCare, ['电话随访', '适应良好', '稳定', '满意']);
    // The ward follows up the urgent transfer it received.
    await followUp(ward, urgentId, ['电话随访', '适应良好', '好转', '满意']);
    for (const page of [carehome, ward]) await clean(page);
    // The planner cancels 张桂兰's home-care referral, stopped since the provider declined it: a reason, then a confirmation.
    await planner.getByRole('button', { name: '返回列表' }).click();
    await planner.locator(`section.referrals tr[data-referral="${ids.homeCareZhang}"] button`).click();
    await expect.poll(() => planner.locator('section.referral').getAttribute('data-referral'), { timeout: 30_000 }).toBe(ids.homeCareZhang);
    await planner.locator('select[name="cancelReason"]').selectOption('family-withdrew');
    await planner.locator('[data-action="cancel"]').click();
    await expect.poll(() => planner.locator('.state').getAttribute('data-state'), { timeout: 30_000 }).toBe('cancelled');
    expect(await planner.locator('.state').textContent()).toBe('已取消');
    expect(planner.asked).toContain('取消后将撤回所有机构邀请并释放已预留床位，此操作不可撤回。确定取消？');
    // The planner's only failed request was the refused move (409), said on the form.
    expect(planner.consoleErrors).toEqual(['Failed to load resource: the server responded with a status of 409 (Conflict)']);
  }, 360_000);
});
