import { signToken, verifyToken } from '@fbl/auth';
import { digest, FieldProtector, generateKey, Sealer, sealedSuite } from '@fbl/privacy';
import { describe, expect, it } from 'vitest';
import { testSealingKeys, testSuite, testTokenKey } from './suite.js';

const now = new Date('2026-05-01T08:00:00Z');
const algorithmOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { alg: string }).alg;

describe('the cryptographic suite of a test run', () => {
  // The `sm` project of vitest.config.ts re-runs the suites that seal, hash and sign with
  // CRYPTO_SUITE=sm: this fails if the setting does not reach the tests' keys.
  it('is the national suite in the sm project, and what the keys seal, hash and sign with', ({ task }) => {
    if (task.file.projectName === 'sm') expect(testSuite).toBe('sm');
    const sealed = new FieldProtector({ encryptionKey: testSealingKeys(generateKey()), hashKey: generateKey() }).seal('371702195001011234');
    expect(sealed.startsWith(testSuite === 'sm' ? 's1.' : 'v1.')).toBe(true);
    expect(sealedSuite(sealed)).toBe(testSuite);
    expect(sealedSuite(new Sealer(testSealingKeys(generateKey())).seal('x'))).toBe(testSuite);
    expect(digest(testSuite, 'abc')).toBe(testSuite === 'sm' ? '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0' : 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const key = testTokenKey('suite-test-secret');
    const token = signToken({ userId: 'u1', role: 'planner', institutionId: 'h1' }, key, { now, ttlSeconds: 900 });
    expect(algorithmOf(token)).toBe(testSuite === 'sm' ? 'SM2-SM3' : 'HS256');
    expect(verifyToken(token, key, now)).toMatchObject({ ok: true });
    expect(testTokenKey('suite-test-secret')).toBe(key);
    if (testSuite === 'sm') expect(verifyToken(token, testTokenKey('another-test-secret'), now)).toEqual({ ok: false, problem: 'bad-signature' });
  });
});
