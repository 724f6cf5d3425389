import { describe, expect, it } from 'vitest';
import { divisionCovers, identityViewOf, signToken, verifyToken } from '../src/index.js';

const now = new Date('2026-05-01T08:00:00Z');
const secret = 'a-test-secret-of-enough-length';

describe('tokens', () => {
  it('verifies what it signed, with the scope', () => {
    const token = signToken({ userId: 'u1', role: 'planner', institutionId: 'h1' }, secret, { now, ttlSeconds: 900 });
    expect(verifyToken(token, secret, now)).toEqual({ ok: true, principal: { userId: 'u1', role: 'planner', institutionId: 'h1' } });
  });

  it("carries the account's display name for the records of what the person did", () => {
    const token = signToken({ userId: 'u2', role: 'provider', institutionId: 'c1', name: '李护士长' }, secret, { now, ttlSeconds: 900 });
    expect(verifyToken(token, secret, now)).toEqual({ ok: true, principal: { userId: 'u2', role: 'provider', institutionId: 'c1', name: '李护士长' } });
  });

  it('refuses a token signed with another secret, tampered with, expired, or malformed', () => {
    const token = signToken({ userId: 'u1', role: 'analyst', divisionCode: '371700' }, secret, { now, ttlSeconds: 900 });
    expect(verifyToken(token, 'another-secret', now)).toEqual({ ok: false, problem: 'bad-signature' });
    const [h, p, s] = token.split('.');
    const raised = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'admin' })).toString('base64url');
    expect(verifyToken(`${h}.${raised}.${s}`, secret, now)).toEqual({ ok: false, problem: 'bad-signature' });
    expect(verifyToken(token, secret, new Date(now.getTime() + 901_000))).toEqual({ ok: false, problem: 'expired' });
    expect(verifyToken('not-a-token', secret, now)).toEqual({ ok: false, problem: 'malformed' });
  });
});

describe('roles', () => {
  it('shows identity whole to assessors, masked to planners, not at all to analysts', () => {
    expect(identityViewOf('assessor')).toBe('full');
    expect(identityViewOf('planner')).toBe('masked');
    expect(identityViewOf('analyst')).toBe('none');
  });

  it('covers a county from its city and province scopes, not from a neighbour', () => {
    expect(divisionCovers('371700', '371723')).toBe(true);
    expect(divisionCovers('370000', '371723')).toBe(true);
    expect(divisionCovers('371723', '371723')).toBe(true);
    expect(divisionCovers('371721', '371723')).toBe(false);
    expect(divisionCovers('370800', '371723')).toBe(false);
    expect(divisionCovers(undefined, '371723')).toBe(false);
  });
});
