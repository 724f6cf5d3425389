import { describe, expect, it } from 'vitest';
import { knownPrincipal, principalFromHeader } from '../src/fastify.js';
import { signToken } from '../src/index.js';
import { VerifiedTokens } from '../src/verified-tokens.js';

const now = new Date('2026-05-01T08:00:00Z');
const secret = 'a-test-secret-for-the-token-cache';
const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
const bearer = (token: string) => `Bearer ${token}`;

describe('verified tokens kept by the process', () => {
  it('accepts a verified token from the cache until its expiry, and refuses it once expired as verification does', async () => {
    const token = signToken({ userId: 'cache-u1', role: 'planner', institutionId: 'h1' }, secret, { now, ttlSeconds: 900 });
    expect(knownPrincipal(bearer(token), secret, now)).toBeUndefined();
    expect(await principalFromHeader(bearer(token), { secret, now })).toEqual({ userId: 'cache-u1', role: 'planner', institutionId: 'h1' });
    expect(knownPrincipal(bearer(token), secret, at(899))).toEqual({ userId: 'cache-u1', role: 'planner', institutionId: 'h1' });
    expect(knownPrincipal(bearer(token), secret, at(900))).toBeUndefined();
    await expect(principalFromHeader(bearer(token), { secret, now: at(900) })).rejects.toMatchObject({ status: 401, detail: 'the token is expired' });
    // Expired is expired for good, even when asked with an earlier clock again: the entry is gone and the token verified anew.
    expect(knownPrincipal(bearer(token), secret, at(10))).toBeUndefined();
  });

  it('is used only with the secret the token was verified with, and never for a token that differs from it', async () => {
    const token = signToken({ userId: 'cache-u2', role: 'analyst', divisionCode: '371700' }, secret, { now, ttlSeconds: 900 });
    await principalFromHeader(bearer(token), { secret, now });
    expect(knownPrincipal(bearer(token), 'another-secret', now)).toBeUndefined();
    await expect(principalFromHeader(bearer(token), { secret: 'another-secret', now })).rejects.toMatchObject({ status: 401, detail: 'the token is bad-signature' });
    // The same claims raised to admin under the cached token's signature: not the cached text, so verified, and refused.
    const [h, p, s] = token.split('.');
    const raised = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'admin' })).toString('base64url');
    await expect(principalFromHeader(bearer(`${h}.${raised}.${s}`), { secret, now })).rejects.toMatchObject({ status: 401 });
    await expect(principalFromHeader(bearer(`${token}x`), { secret, now })).rejects.toMatchObject({ status: 401 });
    // Not a bearer token at all.
    expect(knownPrincipal(token, secret, now)).toBeUndefined();
    await expect(principalFromHeader(token, { secret, now })).rejects.toMatchObject({ status: 401, detail: 'the token is malformed' });
  });

  it('shares one frozen principal between the requests of a token', async () => {
    const token = signToken({ userId: 'cache-u3', role: 'provider', institutionId: 'c1' }, secret, { now, ttlSeconds: 900 });
    const first = await principalFromHeader(bearer(token), { secret, now });
    const again = await principalFromHeader(bearer(token), { secret, now });
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('holds at most its capacity, the least recently used token going first', () => {
    const cache = new VerifiedTokens(2);
    const until = now.getTime() + 900_000;
    cache.set('a', secret, { userId: 'a', role: 'admin' }, until);
    cache.set('b', secret, { userId: 'b', role: 'admin' }, until);
    expect(cache.get('a', secret, now.getTime())).toMatchObject({ userId: 'a' });
    cache.set('c', secret, { userId: 'c', role: 'admin' }, until);
    expect(cache.size).toBe(2);
    expect(cache.get('b', secret, now.getTime())).toBeUndefined();
    expect(cache.get('a', secret, now.getTime())).toMatchObject({ userId: 'a' });
    expect(cache.get('c', secret, now.getTime())).toMatchObject({ userId: 'c' });
  });
});
