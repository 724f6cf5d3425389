import { startIdentityProvider, type IdentityProvider } from '@fbl/testing/identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../src/index.js';
import { oidcVerifier, principalFromHeader } from '../src/http.js';

const AUDIENCE = 'five-bed-linkage';

describe('tokens of an external OpenID Connect provider', () => {
  let idp: IdentityProvider;
  let settings: { issuer: string; audience: string; jwksUrl: string; claims: { role: string; institution: string; division: string } };
  beforeAll(async () => {
    idp = await startIdentityProvider({ audience: AUDIENCE });
    settings = { issuer: idp.issuer, audience: AUDIENCE, jwksUrl: idp.jwksUrl, claims: { role: 'fbl_role', institution: 'fbl_institution', division: 'fbl_division' } };
  });
  afterAll(async () => idp?.stop());

  it('maps the subject and the role and scope claims to a principal named by issuer and subject', async () => {
    const verify = oidcVerifier(settings);
    const token = await idp.sign({ sub: 'u-42', fbl_role: 'planner', fbl_institution: '0192f3b2-7c1a-7000-8000-000000000001' });
    expect(await verify(token, new Date())).toEqual({ ok: true, principal: { userId: `${idp.issuer}#u-42`, role: 'planner', institutionId: '0192f3b2-7c1a-7000-8000-000000000001' } });
    const analyst = await idp.sign({ sub: 'u-43', fbl_role: 'analyst', fbl_division: '371700' });
    expect(await verify(analyst, new Date())).toMatchObject({ ok: true, principal: { role: 'analyst', divisionCode: '371700' } });
  });

  it('refuses another audience, an unpublished key, an expired token, and a role the system does not have', async () => {
    const verify = oidcVerifier(settings);
    const now = new Date();
    expect(await verify(await idp.sign({ sub: 'u', fbl_role: 'admin' }, { audience: 'another-system' }), now)).toEqual({ ok: false, problem: 'bad-claims' });
    expect(await verify(await idp.sign({ sub: 'u', fbl_role: 'admin' }, { key: 'unpublished' }), now)).toEqual({ ok: false, problem: 'bad-signature' });
    expect(await verify(await idp.sign({ sub: 'u', fbl_role: 'admin' }, { issuedAt: new Date(now.getTime() - 3600_000), expiresInSeconds: 60 }), now)).toEqual({ ok: false, problem: 'expired' });
    expect(await verify(await idp.sign({ sub: 'u', fbl_role: 'superuser' }), now)).toEqual({ ok: false, problem: 'bad-claims' });
    expect(await verify(await idp.sign({ sub: 'u' }), now)).toEqual({ ok: false, problem: 'bad-claims' });
    expect(await verify(await idp.sign({ sub: 'u', fbl_role: 'admin' }, { issuer: 'http://elsewhere.example' }), now)).toEqual({ ok: false, problem: 'bad-claims' });
    // A token that never expires is not taken.
    expect(await verify(await idp.sign({ sub: 'u', fbl_role: 'admin' }, { expiresInSeconds: null }), now)).toMatchObject({ ok: false });
    // Scope claims must be well-formed: they end up compared and in queries.
    expect(await verify(await idp.sign({ sub: 'u', fbl_role: 'insurer', fbl_division: '%' }), now)).toEqual({ ok: false, problem: 'bad-claims' });
    expect(await verify(await idp.sign({ sub: 'u', fbl_role: 'planner', fbl_institution: "x' or 1=1" }), now)).toEqual({ ok: false, problem: 'bad-claims' });
  });

  it('keeps the keys it has when the provider goes down, and answers 503 rather than 401 when it has none', async () => {
    const other = await startIdentityProvider({ audience: AUDIENCE });
    const otherSettings = { ...settings, issuer: other.issuer, jwksUrl: other.jwksUrl };
    const token = await other.sign({ sub: 'u-9', fbl_role: 'admin' });
    const warm = oidcVerifier(otherSettings);
    expect(await warm(token, new Date())).toMatchObject({ ok: true });
    const cold = oidcVerifier(otherSettings);
    await other.stop();
    expect(await warm(token, new Date())).toMatchObject({ ok: true, principal: { userId: `${other.issuer}#u-9` } });
    expect(await cold(token, new Date())).toEqual({ ok: false, problem: 'unavailable' });
    await expect(principalFromHeader(`Bearer ${token}`, { secret: 'shared-secret-of-the-deployment', oidc: { ...otherSettings, audience: AUDIENCE }, now: new Date() })).rejects.toMatchObject({ status: 503 });
  });

  it('checks a request header by the token\'s algorithm: HS256 with the shared secret, others only with a provider configured', async () => {
    const now = new Date();
    const external = await idp.sign({ sub: 'u-44', fbl_role: 'admin' });
    const own = signToken({ userId: 'local', role: 'admin' }, 'shared-secret-of-the-deployment', { now, ttlSeconds: 600 });
    expect(await principalFromHeader(`Bearer ${external}`, { secret: 'shared-secret-of-the-deployment', oidc: settings, now })).toMatchObject({ userId: `${idp.issuer}#u-44`, role: 'admin' });
    expect(await principalFromHeader(`Bearer ${own}`, { secret: 'shared-secret-of-the-deployment', oidc: settings, now })).toMatchObject({ userId: 'local' });
    await expect(principalFromHeader(`Bearer ${external}`, { secret: 'shared-secret-of-the-deployment', now })).rejects.toMatchObject({ status: 401 });
    // An HS256 token is never checked against the provider's keys (no algorithm confusion).
    const forged = signToken({ userId: 'x', role: 'admin' }, 'guessed', { now, ttlSeconds: 600 });
    await expect(principalFromHeader(`Bearer ${forged}`, { secret: 'shared-secret-of-the-deployment', oidc: settings, now })).rejects.toMatchObject({ status: 401 });
    expect(await principalFromHeader(undefined, { secret: 'shared-secret-of-the-deployment', now })).toBeUndefined();
  });
});
