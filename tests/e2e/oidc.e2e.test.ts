import { describeWithKafkaAndPostgres } from '@fbl/testing';
import { startIdentityProvider, type IdentityProvider } from '@fbl/testing/identity-provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join } from 'node:path';
import { adminOf } from '../support/actors.js';
import { LAPTOP, launchChromium, SHOTS } from '../support/browser.js';
import { call } from '../support/http.js';
import { startDistributedSystem, type DistributedSystem } from '../support/system.js';
import { careHome, dischargeRequest, hospital, waitForState, waitUntilMatchable } from './scenarios.js';

const AUDIENCE = 'five-bed-linkage';

/**
 * The distributed mode with an external OpenID Connect provider configured: the gateway and each
 * service accept its access tokens (checked against its published keys), map its claims to a
 * role and scope, and still accept the gateway's own tokens.
 */
describeWithKafkaAndPostgres('an external identity provider (OpenID Connect, JWKS)', () => {
  let idp: IdentityProvider;
  let system: DistributedSystem;
  const hospitalOfTest = { id: '' };
  beforeAll(async () => {
    idp = await startIdentityProvider({ audience: AUDIENCE });
    system = await startDistributedSystem(['care-beds', 'medical-beds', 'referral-workflow'], {}, {
      OIDC_ISSUER: idp.issuer,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_JWKS_URL: idp.jwksUrl,
      // The gateway's web UI signs people in at the provider (authorization code with PKCE).
      OIDC_CLIENT_ID: 'fbl-web',
      OIDC_AUTHORIZE_URL: idp.authorizeUrl,
      OIDC_TOKEN_URL: idp.tokenUrl,
    });
  });
  afterAll(async () => {
    const codes = await system?.stop();
    await idp?.stop();
    expect(codes?.every((c) => c === 0), `every service stops cleanly: ${codes?.join(', ')}`).toBe(true);
  });

  it("lets the provider's users work by the role and scope their token claims, and refuses its tokens for another audience", async () => {
    const admin = await idp.sign({ sub: 'city-admin', fbl_role: 'admin' });
    const hospitalReg = await call(system.url, 'POST', '/api/medical-beds/institutions', hospital('统一身份测试医院', 3), admin);
    expect(hospitalReg.status, JSON.stringify(hospitalReg.body)).toBe(201);
    const hospitalId = hospitalReg.body['id'] as string;
    const home = await call(system.url, 'POST', '/api/care-beds/institutions', careHome('统一身份测试护理院', 2), admin);
    expect(home.status).toBe(201);
    await waitUntilMatchable(system, home.body['id'] as string);

    const planner = await idp.sign({ sub: 'planner-zhang', fbl_role: 'planner', fbl_institution: hospitalId });
    const created = await call(system.url, 'POST', '/api/referrals', dischargeRequest(hospitalId), planner);
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const offering = await waitForState(system, created.body['id'] as string, 'offering');
    const first = (offering['timeline'] as { actorId: string; actor: object }[])[0]!;
    expect(first.actorId).toBe(`${idp.issuer}#planner-zhang`);
    expect(first.actor).toMatchObject({ kind: 'person', role: 'planner', institutionName: '统一身份测试医院' });
    expect((await call(system.url, 'GET', `/api/referrals/${created.body['id'] as string}`, undefined, planner)).status).toBe(200);

    // Scope still holds: a planner of another hospital, by the provider's claims, is refused.
    const other = await idp.sign({ sub: 'planner-li', fbl_role: 'planner', fbl_institution: '0192f3b2-7c1a-7000-8000-00000000abcd' });
    expect((await call(system.url, 'GET', `/api/referrals/${created.body['id'] as string}`, undefined, other)).status).toBe(403);
    // Tokens for another system, or signed with a key the provider does not publish, are refused at the gateway.
    const elsewhere = await idp.sign({ sub: 'city-admin', fbl_role: 'admin' }, { audience: 'another-system' });
    expect((await call(system.url, 'GET', '/api/referrals', undefined, elsewhere)).status).toBe(401);
    const forged = await idp.sign({ sub: 'city-admin', fbl_role: 'admin' }, { key: 'unpublished' });
    expect((await call(system.url, 'GET', '/api/care-beds/institutions', undefined, forged)).status).toBe(401);
    // The gateway's own tokens keep working beside the provider's.
    expect((await call(system.url, 'GET', '/api/referrals', undefined, adminOf(system))).status).toBe(200);
    expect(idp.jwksRequests()).toBeGreaterThan(0);
    hospitalOfTest.id = hospitalId;
  });

  it("signs a planner in to the web UI at the provider's page (authorization code with PKCE), into the workspace of their hospital", async () => {
    expect(hospitalOfTest.id, 'the first test registered the hospital').not.toBe('');
    const browser = await launchChromium();
    try {
      idp.signInNext({ sub: 'planner-wang', name: '王规划', fbl_role: 'planner', fbl_institution: hospitalOfTest.id });
      const page = await browser.newPage({ viewport: LAPTOP, locale: 'zh-CN' });
      await page.goto(system.url);
      const button = page.getByRole('button', { name: '统一身份认证登录' });
      await expect.poll(() => button.count()).toBe(1);
      await button.click();
      // Away to the provider and back with a code, exchanged by the gateway for the session.
      await expect.poll(() => page.locator('.who').textContent(), { timeout: 15_000 }).toBe('王规划 · 出院准备/转诊专员');
      expect(new URL(page.url()).search).toBe('');
      await expect.poll(() => page.locator('h3').first().textContent()).toBe('发起转诊');
      // The hospital's referral of the first test is on the list: the provider's token is honoured by the workflow.
      await expect.poll(() => page.locator('section.referrals tbody tr').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
      await page.screenshot({ path: join(SHOTS, 'oidc-planner.png'), fullPage: true });
      expect(idp.exchanges()).toMatchObject({ granted: 1, refused: 0 });
    } finally {
      await browser.close();
    }
    // A code exchanged with the wrong verifier is refused, and the gateway says so.
    const refused = await call(system.url, 'POST', '/api/auth/oidc/token', { code: 'not-a-code-the-provider-gave', codeVerifier: 'v'.repeat(43), redirectUri: `${system.url}/` });
    expect(refused.status).toBe(401);
    expect(idp.exchanges().refused).toBe(1);
  });
});
