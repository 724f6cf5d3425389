import { signToken, verifyToken, type Sm2TokenKey } from '@fbl/auth';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedSecrets, newSecrets } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'fbl-secrets-'));
const now = new Date('2026-05-01T08:00:00Z');

describe("the embedded mode's token key", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the kept shared secret under the standard suite, and an SM2 key pair kept beside it under sm, the same after a restart', () => {
    const standard = embeddedSecrets(dir, {});
    expect(typeof standard.authSecret).toBe('string');
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'))).not.toHaveProperty('authSm2PrivateKey');

    const sm = embeddedSecrets(dir, { CRYPTO_SUITE: 'sm' });
    const key = sm.authSecret as Sm2TokenKey;
    expect(key.alg).toBe('SM2-SM3');
    expect(key.privateKey).toBeDefined();
    expect(sm.piiEncryptionKey).toBe(standard.piiEncryptionKey);
    const token = signToken({ userId: 'u1', role: 'admin' }, key, { now, ttlSeconds: 60 });
    const again = embeddedSecrets(dir, { CRYPTO_SUITE: 'sm' });
    expect(verifyToken(token, again.authSecret, now)).toMatchObject({ ok: true });
    expect(embeddedSecrets(dir, {}).authSecret).toBe(standard.authSecret);
  });

  it('is fresh for each new set of secrets: a secret, or an SM2 key pair under sm', () => {
    expect(typeof newSecrets().authSecret).toBe('string');
    expect(newSecrets('sm')).toMatchObject({ suite: 'sm', authSecret: { alg: 'SM2-SM3' } });
  });
});
