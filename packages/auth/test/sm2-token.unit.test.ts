import { generateKeyPairSync } from 'node:crypto';
import { sm2 as independent } from 'sm-crypto';
import { describe, expect, it } from 'vitest';
import { requiredTokenKey, tokenKeyFromEnv } from '../src/token-config.js';
import { generateSm2KeyPair, publicKeyHex, signToken, sm2TokenKey, verifyToken, type Sm2TokenKey } from '../src/index.js';
import { principalFromHeader } from '../src/fastify.js';

const now = new Date('2026-05-01T08:00:00Z');
const secret = 'a-test-secret-of-enough-length';
const pair = generateSm2KeyPair();
const signing = sm2TokenKey(pair);
const verifying = sm2TokenKey(pair.publicKey);
const header = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { alg: string; typ: string };

describe('SM2-SM3 tokens (CRYPTO_SUITE=sm)', () => {
  it('are signed with the private key, r ‖ s of 64 bytes, and verified with the public key alone', () => {
    const token = signToken({ userId: 'u1', role: 'planner', institutionId: 'h1', name: '王医生' }, signing, { now, ttlSeconds: 900 });
    expect(header(token)).toEqual({ alg: 'SM2-SM3', typ: 'JWT' });
    expect(Buffer.from(token.split('.')[2]!, 'base64url')).toHaveLength(64);
    expect(verifyToken(token, verifying, now)).toEqual({ ok: true, principal: { userId: 'u1', role: 'planner', institutionId: 'h1', name: '王医生' } });
    expect(() => signToken({ userId: 'u1', role: 'planner' }, verifying, { now, ttlSeconds: 900 })).toThrow('AUTH_SM2_PRIVATE_KEY');
  });

  it('carry a signature an independent SM2 implementation verifies over the JWS signing input', () => {
    const token = signToken({ userId: 'u3', role: 'assessor', divisionCode: '371700' }, signing, { now, ttlSeconds: 900 });
    const [h, p, s] = token.split('.') as [string, string, string];
    expect(independent.doVerifySignature(`${h}.${p}`, Buffer.from(s, 'base64url').toString('hex'), publicKeyHex(pair.publicKey), { hash: true })).toBe(true);
  });

  it('are refused under the standard suite, and HS256 tokens under sm', () => {
    const sm = signToken({ userId: 'u1', role: 'admin' }, signing, { now, ttlSeconds: 900 });
    const standard = signToken({ userId: 'u1', role: 'admin' }, secret, { now, ttlSeconds: 900 });
    expect(verifyToken(sm, secret, now)).toEqual({ ok: false, problem: 'bad-signature' });
    expect(verifyToken(standard, verifying, now)).toEqual({ ok: false, problem: 'bad-signature' });
    // A token claiming the other algorithm in its header, with a signature valid for the key, is refused too.
    const [, p] = standard.split('.') as [string, string, string];
    const relabelled = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')}.${p}`;
    expect(verifyToken(`${relabelled}.${Buffer.alloc(64).toString('base64url')}`, verifying, now)).toEqual({ ok: false, problem: 'bad-signature' });
  });

  it('are refused when tampered with, signed with another key, or expired', () => {
    const token = signToken({ userId: 'u1', role: 'analyst', divisionCode: '371700' }, signing, { now, ttlSeconds: 900 });
    const [h, p, s] = token.split('.') as [string, string, string];
    const raised = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), role: 'admin' })).toString('base64url');
    expect(verifyToken(`${h}.${raised}.${s}`, verifying, now)).toEqual({ ok: false, problem: 'bad-signature' });
    const bent = Buffer.from(s, 'base64url');
    bent[0]! ^= 0x80;
    expect(verifyToken(`${h}.${p}.${bent.toString('base64url')}`, verifying, now)).toEqual({ ok: false, problem: 'bad-signature' });
    expect(verifyToken(token, sm2TokenKey(generateSm2KeyPair().publicKey), now)).toEqual({ ok: false, problem: 'bad-signature' });
    expect(verifyToken(token, verifying, new Date(now.getTime() + 901_000))).toEqual({ ok: false, problem: 'expired' });
  });

  it('are checked on requests with the public key, a token of the other suite refused with 401', async () => {
    const sm = signToken({ userId: 'u9', role: 'provider', institutionId: 'c1' }, signing, { now, ttlSeconds: 900 });
    const standard = signToken({ userId: 'u9', role: 'provider', institutionId: 'c1' }, secret, { now, ttlSeconds: 900 });
    await expect(principalFromHeader(`Bearer ${sm}`, { secret: verifying, now })).resolves.toEqual({ userId: 'u9', role: 'provider', institutionId: 'c1' });
    // Again: from the process's cache of verified tokens, still only with the same key.
    await expect(principalFromHeader(`Bearer ${sm}`, { secret: verifying, now })).resolves.toEqual({ userId: 'u9', role: 'provider', institutionId: 'c1' });
    await expect(principalFromHeader(`Bearer ${sm}`, { secret, now })).rejects.toMatchObject({ status: 401 });
    await expect(principalFromHeader(`Bearer ${sm}`, { secret: sm2TokenKey(generateSm2KeyPair().publicKey), now })).rejects.toMatchObject({ status: 401 });
    await expect(principalFromHeader(`Bearer ${standard}`, { secret: verifying, now })).rejects.toMatchObject({ status: 401 });
  });
});

describe('the token key from the environment', () => {
  const made = generateKeyPairSync('ec', { namedCurve: 'SM2' });
  const privatePem = made.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const publicPem = made.publicKey.export({ format: 'pem', type: 'spki' }) as string;

  it('is AUTH_SECRET under the standard suite, the SM2 key under sm', () => {
    expect(tokenKeyFromEnv({ AUTH_SECRET: 's', AUTH_SM2_PRIVATE_KEY: privatePem })).toBe('s');
    const fromPem = tokenKeyFromEnv({ CRYPTO_SUITE: 'sm', AUTH_SECRET: 's', AUTH_SM2_PRIVATE_KEY: privatePem }) as Sm2TokenKey;
    expect(fromPem.alg).toBe('SM2-SM3');
    expect(fromPem.privateKey).toBeDefined();
    const fromHex = tokenKeyFromEnv({ CRYPTO_SUITE: 'sm', AUTH_SM2_PRIVATE_KEY: pair.privateKey.toString(16).padStart(64, '0') }) as Sm2TokenKey;
    expect(fromHex.publicKey).toEqual(pair.publicKey);
    const verifyOnly = tokenKeyFromEnv({ CRYPTO_SUITE: 'sm', AUTH_SM2_PUBLIC_KEY: publicPem }) as Sm2TokenKey;
    expect(verifyOnly.privateKey).toBeUndefined();
    expect(verifyOnly.publicKey).toEqual(fromPem.publicKey);
    expect(tokenKeyFromEnv({ CRYPTO_SUITE: 'sm', AUTH_SM2_PUBLIC_KEY: publicKeyHex(pair.publicKey) })).toEqual(verifying);
    expect(tokenKeyFromEnv({ CRYPTO_SUITE: 'sm', AUTH_SECRET: 's' })).toBeUndefined();
  });

  it('names the variable when a key is wrong, and refuses a private and public key that are no pair', () => {
    expect(() => tokenKeyFromEnv({ CRYPTO_SUITE: 'sm', AUTH_SM2_PRIVATE_KEY: 'xyz' })).toThrow('AUTH_SM2_PRIVATE_KEY');
    expect(() => tokenKeyFromEnv({ CRYPTO_SUITE: 'sm', AUTH_SM2_PUBLIC_KEY: '04abc' })).toThrow('AUTH_SM2_PUBLIC_KEY');
    expect(() => tokenKeyFromEnv({ CRYPTO_SUITE: 'sm', AUTH_SM2_PRIVATE_KEY: privatePem, AUTH_SM2_PUBLIC_KEY: publicKeyHex(pair.publicKey) })).toThrow('is not the public key');
  });

  it('is required as a process needs it: the signing gateway needs the private key under sm', () => {
    expect(() => requiredTokenKey({ CRYPTO_SUITE: 'sm', AUTH_SECRET: 's' }, 'monitoring')).toThrow('monitoring needs AUTH_SM2_PUBLIC_KEY');
    expect(() => requiredTokenKey({}, 'monitoring')).toThrow('monitoring needs AUTH_SECRET');
    expect(() => requiredTokenKey({ CRYPTO_SUITE: 'sm', AUTH_SM2_PUBLIC_KEY: publicPem }, 'the gateway', { signs: true })).toThrow('AUTH_SM2_PRIVATE_KEY');
    expect(requiredTokenKey({ CRYPTO_SUITE: 'sm', AUTH_SM2_PRIVATE_KEY: privatePem }, 'the gateway', { signs: true })).toMatchObject({ alg: 'SM2-SM3' });
  });
});
