import { signToken, verifyToken, type Principal } from '@fbl/auth';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretsOf } from '../src/secrets.js';

const memory = { database: { dataDir: 'memory' } } as never;
const server = { database: { url: 'postgres://127.0.0.1/none' } } as never;

describe("the embedded process's keys", () => {
  it('are fresh ones of the configured suite in memory and on a server without keys: SM2-signed tokens under CRYPTO_SUITE=sm', () => {
    for (const where of [memory, server]) {
      const sm = secretsOf(where, { CRYPTO_SUITE: 'sm' });
      expect(sm.suite).toBe('sm');
      expect(typeof sm.authSecret).not.toBe('string');
      const standard = secretsOf(where, {});
      expect(standard.suite ?? 'standard').toBe('standard');
      expect(typeof standard.authSecret).toBe('string');
    }
  });

  it('sign tokens under the sm suite that the same keys verify and the standard ones refuse', () => {
    const sm = secretsOf(memory, { CRYPTO_SUITE: 'sm' });
    const principal: Principal = { userId: 'u-1', role: 'admin' };
    const now = new Date();
    const token = signToken(principal, sm.authSecret, { now, ttlSeconds: 60 });
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'SM2-SM3' });
    expect(verifyToken(token, sm.authSecret, now)).toMatchObject({ ok: true, principal: { userId: 'u-1', role: 'admin' } });
    expect(verifyToken(token, secretsOf(memory, {}).authSecret, now)).toMatchObject({ ok: false });
  });

  it('are kept beside the PGlite data and the same at the next start', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fbl-secrets-'));
    const first = secretsOf({ database: { dataDir } } as never, { CRYPTO_SUITE: 'sm' });
    const again = secretsOf({ database: { dataDir } } as never, { CRYPTO_SUITE: 'sm' });
    expect(again.piiEncryptionKey).toBe(first.piiEncryptionKey);
    expect(JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8'))).toHaveProperty('authSm2PrivateKey');
  });
});
