import { residentIdCheckChar } from '@fbl/codes';
import type { EmbeddedSystem } from '@fbl/embedded';
import { waitFor } from '@fbl/testing';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOf, plannerAt, type Site } from '../support/actors.js';
import { call } from '../support/http.js';
import { LAPTOP, SHOTS, startBrowserHarness, TABLET, type BrowserHarness } from '../support/browser.js';
import { ABILITY_ANSWERS } from '../support/builders.js';
import { referral, waitForState } from './scenarios.js';


const ABILITY_TOTAL = Object.values(ABILITY_ANSWERS).reduce((sum, v) => sum + v, 0);
/** A long name, to see it wrap. */
const ELDER_NAME = '欧阳司马慕容上官诸葛东方皇甫令狐长孙宇文尉迟澹台公冶宗政濮阳淳于太叔申屠公孙轩辕老人';

describe("officers' workspaces in a real browser (Chromium): the assessor's queue and the insurer's LTCI queue", () => {
  let ui: BrowserHarness;
  let system: EmbeddedSystem;
  let site: Site;
  let hospitalId: string;
  let assessorToken: string;
  let insurerToken: string;

  beforeAll(async () => {
    ui = await startBrowserHarness('ui-officers-test');
    ({ system, site } = ui);
    const hospitals = (await call(system.url, 'GET', '/api/medical-beds/institutions', undefined, adminOf(site))).body as unknown as { id: string; name: string }[];
    hospitalId = hospitals.find((i) => i.name === '菏泽牡丹颐康医院')!.id;
    // The demo accounts, through the API (their tokens carry the demo division, 371700).
    assessorToken = (await call(system.url, 'POST', '/api/auth/sign-in', { username: 'assessor', password: 'demo2026assessor' })).body['accessToken'] as string;
    insurerToken = (await call(system.url, 'POST', '/api/auth/sign-in', { username: 'insurer', password: 'demo2026insurer' })).body['accessToken'] as string;
    expect(assessorToken).toBeTruthy();
    expect(insurerToken).toBeTruthy();
  }, 180_000);
  afterAll(async () => ui?.stop());

  const open = (viewport: { width: number; height: number }) => ui.open(viewport);
  const signInAs = (page: Page, username: string) => ui.signInAs(page, username);
  const sideways = (page: Page) => page.evaluate('document.documentElement.scrollWidth') as Promise<number>;

  /** A referral from the demo hospital toward a nursing-type care bed. */
  const startReferral = async (body: object) => {
    const created = await call(system.url, 'POST', '/api/referrals', { origin: { institutionId: hospitalId, divisionCode: '371702' }, requestedBedTypes: ['care'], requirements: { nursingType: true }, ...body }, plannerAt(site, hospitalId));
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    return created.body['id'] as string;
  };

  it('queues the assessment the workflow asks for; the form names missing fields in Chinese, saves, and the referral moves on', async () => {
    // An elder registered by the assessor, with no assessment yet.
    const first17 = '37170219450610003';
    const elder = await call(system.url, 'POST', '/api/civil-affairs/elders', { idNumber: first17 + residentIdCheckChar(first17), name: ELDER_NAME, gender: 'male', birthDate: '1945-06-10', address: { divisionCode: '371702', line: '牡丹区东城街道某社区' }, consent: { healthData: true, givenBy: 'elder' } }, assessorToken);
    expect(elder.status, JSON.stringify(elder.body)).toBe(201);
    const elderRef = elder.body['id'] as string;

    // A referral without an assessment: the workflow asks civil affairs (AssessAbility), and the request joins the queue.
    const referralId = await startReferral({ elderRef });
    await waitForState(site, referralId, 'eligibility');
    await waitFor(async () => {
      const queue = (await call(system.url, 'GET', '/api/civil-affairs/assessment-requests', undefined, assessorToken)).body as unknown as { elderRef: string; referralId: string }[];
      return queue.some((q) => q.elderRef === elderRef && q.referralId === referralId) || undefined;
    }, { what: 'the assessment request in the assessors queue' });

    const page = await open(LAPTOP);
    await signInAs(page, 'assessor');
    await expect.poll(() => page.locator('main.assessor h2').textContent()).toContain('评估任务');
    const row = page.locator(`li[data-referral="${referralId}"]`);
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getAttribute('data-elder')).toBe(elderRef);
    expect(await row.textContent()).toContain('转诊资格评估');
    expect(await row.textContent()).toContain('即时评估');
    expect(await row.textContent()).toMatch(/申请时间: \d{4}\/\d{1,2}\/\d{1,2}/);
    expect(await sideways(page)).toBeLessThanOrEqual(LAPTOP.width);
    await page.screenshot({ path: join(SHOTS, 'assessor-queue.png'), fullPage: true });

    await row.getByRole('button', { name: '录入能力评估' }).click();
    await expect.poll(() => page.locator('.elder-name').textContent()).toBe(ELDER_NAME);
    expect(await page.getByLabel('评估原因').inputValue()).toBe('immediate');
    // Every item but one answered, the second assessor left out.
    for (const [code, value] of Object.entries(ABILITY_ANSWERS)) if (code !== 'stairs') await page.locator(`fieldset[data-item="${code}"] input[value="${value}"]`).check();
    await page.getByLabel('评估员一（姓名）').fill('孙评估');
    await page.getByRole('button', { name: '保存评估' }).click();
    expect(await page.locator('#item-stairs-error').textContent()).toBe('请选择');
    expect(await page.locator('#item-stairs').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#assessor-1-error').textContent()).toBe('请填写此项');
    expect(await page.locator('#item-eating-error').textContent()).toBe('');
    expect(await page.locator('form .form-error').textContent()).toBe('请修正标出的 2 项后再保存');
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('item-stairs');
    // Nothing was recorded.
    expect((await call(system.url, 'GET', `/api/civil-affairs/elders/${elderRef}/assessments`, undefined, assessorToken)).body).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'assessor-form.png'), fullPage: true });

    // The same person twice: the API refuses, and its answer is shown under the second name in Chinese.
    await page.locator(`fieldset[data-item="stairs"] input[value="${ABILITY_ANSWERS['stairs']}"]`).check();
    await page.getByLabel('评估员二（姓名）').fill('孙评估');
    await page.getByRole('button', { name: '保存评估' }).click();
    await expect.poll(() => page.locator('#assessor-1-error').textContent()).toBe('两名评估员须为不同人员');
    expect(await page.locator('#item-stairs-error').textContent()).toBe('');

    // On a tablet the form and the queue fit without sideways scrolling.
    const tablet = await open(TABLET);
    await signInAs(tablet, 'assessor');
    const tabletRow = tablet.locator(`li[data-referral="${referralId}"]`);
    await expect.poll(() => tabletRow.count()).toBe(1);
    expect(await sideways(tablet)).toBeLessThanOrEqual(TABLET.width);
    await tabletRow.getByRole('button', { name: '录入能力评估' }).click();
    await expect.poll(() => tablet.locator('.elder-name').textContent()).toBe(ELDER_NAME);
    await tablet.getByRole('button', { name: '保存评估' }).click();
    await expect.poll(() => tablet.locator('#item-eating-error').textContent()).toBe('请选择');
    expect(await sideways(tablet)).toBeLessThanOrEqual(TABLET.width);
    // The long name wraps inside the page rather than widening it.
    const nameBox = await tablet.locator('.elder-name').boundingBox();
    expect(nameBox!.x + nameBox!.width).toBeLessThanOrEqual(TABLET.width);
    await tablet.screenshot({ path: join(SHOTS, 'assessor-form-tablet.png'), fullPage: true });
    await tablet.close();

    // Completed: the level shows, the request leaves the queue, the referral goes on to offers.
    await page.getByLabel('评估员二（姓名）').fill('周评估');
    await page.getByRole('button', { name: '保存评估' }).click();
    const result = page.locator('.assessment-result');
    await expect.poll(() => result.count(), { timeout: 15_000 }).toBe(1);
    const history = (await call(system.url, 'GET', `/api/civil-affairs/elders/${elderRef}/assessments`, undefined, assessorToken)).body as unknown as { level: number; total: number; assessors: string[]; reason: string }[];
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ total: ABILITY_TOTAL, assessors: ['孙评估', '周评估'], reason: 'immediate' });
    expect(await result.getAttribute('data-level')).toBe(String(history[0]!.level));
    expect(await result.textContent()).toContain(`能力等级 ${history[0]!.level}`);
    expect(await result.textContent()).toContain(`总分 ${ABILITY_TOTAL}`);
    await expect.poll(() => page.locator(`li[data-referral="${referralId}"]`).count()).toBe(0);
    const offering = await waitForState(site, referralId, 'offering');
    const step = (offering['timeline'] as { event: string; actor: object }[]).find((s) => s.event === 'AbilityAssessed');
    expect(step?.actor).toEqual({ kind: 'service', service: 'civil-affairs', institutionName: null });

    // English on request.
    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.locator('main.assessor h2').textContent()).toContain('Assessment requests');
    await page.close();
  });

  it('registers an elder from the assessor\'s page: the ID number read as typed, every field\'s error in Chinese, a second registration refused', async () => {
    const page = await open(LAPTOP);
    await signInAs(page, 'assessor');
    await page.locator('nav.tabs button[data-tab="elders"]').click();
    await page.getByRole('button', { name: '登记新老人' }).click();
    const form = page.locator('form.register-elder');
    await form.getByRole('button', { name: '登记', exact: true }).click();
    expect(await form.locator('#reg-id-error').textContent()).toBe('请填写此项');
    expect(await form.locator('#reg-name-error').textContent()).toBe('请填写此项');
    expect(await form.locator('#reg-division-error').textContent()).toBe('请选择');
    expect(await form.locator('#reg-consent-error').textContent()).toBe('登记前须取得同意');
    const first17 = '37172819380722004';
    await form.getByLabel('身份证号').fill(`${first17}${residentIdCheckChar(first17) === '0' ? '1' : '0'}`);
    await form.getByRole('button', { name: '登记', exact: true }).click();
    await expect.poll(() => form.locator('#reg-id-error').textContent()).toBe('身份证号无效：校验码不对，请逐位核对号码');
    await form.getByLabel('身份证号').fill(first17 + residentIdCheckChar(first17));
    await expect.poll(() => form.locator('.field-ok').first().textContent()).toBe('女 · 出生 1938-07-22');
    await form.getByLabel('姓名').fill('登记测试老人');
    await form.getByLabel('联系电话（选填）').fill('12345');
    await form.getByLabel('居住地（县、区）').selectOption({ label: '东明县' });
    await form.getByLabel('详细地址').fill('东明县城关街道');
    await form.getByLabel('已取得使用健康信息的同意').check();
    await form.getByRole('button', { name: '登记', exact: true }).click();
    expect(await form.locator('#reg-phone-error').textContent()).toBe('请填写 11 位手机号或带区号的固定电话');
    await form.getByLabel('联系电话（选填）').fill('');
    await page.screenshot({ path: join(SHOTS, 'assessor-register.png'), fullPage: true });
    await form.getByRole('button', { name: '登记', exact: true }).click();
    await expect.poll(() => form.locator('p.field-ok[role="status"]').last().textContent()).toMatch(/^已登记：登记测试老人（身份证号 371728\*+\d{3}[\dX]）$/);
    // The register knows the elder (looked up by ID number, as a planner would).
    const found = await call(system.url, 'POST', '/api/civil-affairs/elders/lookup', { idNumber: first17 + residentIdCheckChar(first17) }, assessorToken);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ name: '登记测试老人' });
    // The same ID number a second time.
    await form.getByLabel('身份证号').fill(first17 + residentIdCheckChar(first17));
    await form.getByLabel('姓名').fill('登记测试老人');
    await form.getByLabel('详细地址').fill('东明县城关街道');
    await form.getByLabel('已取得使用健康信息的同意').check();
    await form.getByRole('button', { name: '登记', exact: true }).click();
    await expect.poll(() => form.locator('#reg-id-error').textContent()).toBe('该身份证号已登记');
    expect(await sideways(page)).toBeLessThanOrEqual(LAPTOP.width);
    await page.close();
  });

  it('queues the LTCI applications referrals open; refusing needs a ground (Chinese error); one is refused, one accepted and assessed', async () => {
    const stamp = Date.now();
    const facts = { abilityLevel: 3, abilityAssessedOn: new Date().toISOString().slice(0, 10) };
    const refRefused = `ltci-ui-refused-${stamp}`;
    const refAccepted = `ltci-ui-accepted-${stamp}-with-a-rather-long-reference-to-wrap-${'x'.repeat(20)}`;
    const referralRefused = await startReferral({ elderRef: refRefused, wantsLtci: true, facts });
    const referralAccepted = await startReferral({ elderRef: refAccepted, wantsLtci: true, facts });
    type App = { id: string; reference: string; elderRef: string; status: string; refusalGround: string | null; grade: number | null };
    const applicationOf = (elderRef: string) =>
      waitFor(async () => {
        const list = (await call(system.url, 'GET', `/api/medical-insurance/applications?elderRef=${encodeURIComponent(elderRef)}&status=applied`, undefined, insurerToken)).body as unknown as App[];
        return Array.isArray(list) ? list.find((a) => a.elderRef === elderRef) : undefined;
      }, { what: `the LTCI application of ${elderRef}` });
    const [refused, accepted] = [await applicationOf(refRefused), await applicationOf(refAccepted)];
    const statusOf = async (id: string) => (await call(system.url, 'GET', `/api/medical-insurance/applications/${id}`, undefined, insurerToken)).body as unknown as App;

    const page = await open(LAPTOP);
    // Refusing is confirmed first (it cannot be undone).
    page.on('dialog', (d) => void d.accept());
    await signInAs(page, 'insurer');
    await expect.poll(() => page.locator('main.insurer h2').textContent()).toBe('长期护理保险申请');
    const rowRefused = page.locator(`li[data-application="${refused.id}"]`);
    const rowAccepted = page.locator(`li[data-application="${accepted.id}"]`);
    await expect.poll(() => rowRefused.count()).toBe(1);
    expect(await rowAccepted.count()).toBe(1);
    expect(await rowRefused.locator('.app-status').textContent()).toBe('待受理');
    expect(await rowRefused.textContent()).toMatch(/申请时间: \d{4}\/\d{1,2}\/\d{1,2}/);
    expect(await rowRefused.textContent()).toContain('转诊发起');
    expect(await sideways(page)).toBeLessThanOrEqual(LAPTOP.width);

    // Refusing without a ground is stopped in Chinese, and nothing changes.
    await rowRefused.getByRole('button', { name: '不予受理' }).click();
    expect(await rowRefused.locator('.field-error').textContent()).toBe('请选择不予受理理由');
    expect((await statusOf(refused.id)).status).toBe('applied');
    await page.screenshot({ path: join(SHOTS, 'insurer-queue.png'), fullPage: true });

    // With a ground: refused, the decision shows, the application leaves the work queue, the referral goes on.
    await rowRefused.getByLabel('不予受理理由').selectOption('not-insured');
    await rowRefused.getByRole('button', { name: '不予受理' }).click();
    await expect.poll(() => page.locator('.decision').textContent()).toBe(`长护险申请 ${refused.reference}：已不予受理（未参加长期护理保险）`);
    await expect.poll(() => rowRefused.count()).toBe(0);
    expect(await statusOf(refused.id)).toMatchObject({ status: 'refused', refusalGround: 'not-insured' });
    const offering = await waitForState(site, referralRefused, 'offering');
    expect((offering['timeline'] as { event: string; actor: object }[]).find((s) => s.event === 'LtciRefused')?.actor).toEqual({ kind: 'service', service: 'medical-insurance', institutionName: null });

    // Accepted: it stays in the work queue, waiting for the on-site assessment.
    await rowAccepted.getByRole('button', { name: '受理', exact: true }).click();
    await expect.poll(() => rowAccepted.locator('.app-status').textContent()).toBe('已受理（待评估）');
    expect((await statusOf(accepted.id)).status).toBe('accepted');
    expect(await page.locator('.decision').textContent()).toBe(`长护险申请 ${accepted.reference}：已受理`);

    // The refused one is found under its status.
    await page.getByLabel('显示').selectOption('refused');
    await expect.poll(() => rowRefused.locator('.app-status').textContent()).toBe('不予受理');
    await page.getByLabel('显示').selectOption('');
    await expect.poll(() => rowAccepted.count()).toBe(1);

    // The detail view.
    await rowAccepted.getByRole('button', { name: '详情' }).click();
    await expect.poll(() => page.locator('main.application .app-status').getAttribute('data-status')).toBe('accepted');
    expect(await page.locator('main.application h2').textContent()).toContain('已受理（待评估）');
    expect(await page.locator('main.application table').first().textContent()).toContain(refAccepted);
    expect(await page.locator('main.application').textContent()).toContain('暂无评估记录');
    await page.getByRole('button', { name: '返回申请列表' }).click();

    // The on-site assessment (NHSA 2021): missing items named in Chinese, then graded.
    await rowAccepted.getByRole('button', { name: '录入失能评估' }).click();
    await page.getByRole('button', { name: '保存评估' }).click();
    expect(await page.locator('#ltci-feeding-error').textContent()).toBe('请选择');
    expect(await page.locator('#assessor-0-error').textContent()).toBe('请填写此项');
    expect(await sideways(page)).toBeLessThanOrEqual(LAPTOP.width);
    for (const code of ['feeding', 'bathing', 'grooming', 'dressing', 'bowelControl', 'bladderControl', 'toiletUse', 'transfer', 'mobility', 'stairs', 'timeOrientation', 'personOrientation', 'placeOrientation', 'memory', 'vision', 'hearing', 'communication']) {
      await page.locator(`#ltci-${code}`).selectOption('0');
    }
    await page.getByLabel('评估人员一（姓名）').fill('吴评估');
    await page.getByLabel('评估人员二（姓名）').fill('郑评估');
    await page.getByRole('button', { name: '保存评估' }).click();
    await expect.poll(() => page.locator('.decision').textContent(), { timeout: 15_000 }).toContain('失能等级 5（重度失能Ⅲ级）');
    expect(await page.locator('.decision').textContent()).toContain('评估结论公示中');
    expect(await statusOf(accepted.id)).toMatchObject({ status: 'notice', grade: 5 });
    // Its referral waits in eligibility until the public notice ends and benefits are authorised.
    expect((await referral(site, referralAccepted))['state']).toBe('eligibility');
    await expect.poll(() => rowAccepted.count()).toBe(0);

    // On a tablet the queue fits without sideways scrolling, long references wrap.
    const tablet = await open(TABLET);
    await signInAs(tablet, 'insurer');
    await tablet.getByLabel('显示').selectOption('notice');
    const tabletRow = tablet.locator(`li[data-application="${accepted.id}"]`);
    await expect.poll(() => tabletRow.count()).toBe(1);
    expect(await sideways(tablet)).toBeLessThanOrEqual(TABLET.width);
    await tablet.close();
    await page.close();
  });
});
