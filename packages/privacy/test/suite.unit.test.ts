import { createCipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cryptoSuiteFromEnv, digest, FieldProtector, generateKey, keyedHash, Sealer, sealedSuite, sealingKeysFromEnv } from '../src/index.js';

/** HMAC built by hand from the hash (RFC 2104), to check the library's HMAC-SM3 against. */
function rfc2104(hash: string, key: Buffer, message: Buffer): Buffer {
  const block = 64;
  const k = Buffer.concat([key.length > block ? createHash(hash).update(key).digest() : key, Buffer.alloc(block)]).subarray(0, block);
  const pad = (byte: number) => Buffer.from(k.map((b) => b ^ byte));
  const inner = createHash(hash).update(pad(0x36)).update(message).digest();
  return createHash(hash).update(pad(0x5c)).update(inner).digest();
}

describe('the national algorithms, by the standards\' own examples', () => {
  it('SM3 (GB/T 32905-2016, examples 1 and 2)', () => {
    expect(digest('sm', 'abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(digest('sm', 'abcd'.repeat(16))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
    expect(digest('standard', 'abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('SM4 (GB/T 32907-2016, examples 1 and 2: one block, and the same block a million times)', () => {
    const key = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const cipher = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
    let block = cipher.update(key);
    expect(block.toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
    for (let i = 1; i < 1_000_000; i++) block = cipher.update(block);
    expect(block.toString('hex')).toBe('595298c7c6fd271f0402f804c33d3f66');
  });

  it('HMAC-SM3 is RFC 2104 over SM3, for short and long keys', () => {
    for (const key of [Buffer.from('key'), Buffer.alloc(32, 7), Buffer.alloc(100, 9)]) {
      const message = Buffer.from('37170219500101123X');
      expect(keyedHash('sm', key, message).equals(rfc2104('sm3', key, message))).toBe(true);
      expect(keyedHash('standard', key, message).equals(rfc2104('sha256', key, message))).toBe(true);
    }
  });
});

describe('sealing under either suite', () => {
  const key = generateKey();
  const sm = new Sealer({ suite: 'sm', key });
  const standard = new Sealer({ suite: 'standard', key });

  it('seals with SM4 under the sm suite: opens again, random each time, the plain text nowhere in it', () => {
    const sealed = sm.seal('张桂兰 371702195001011234');
    expect(sealed.startsWith('s1.')).toBe(true);
    expect(sealedSuite(sealed)).toBe('sm');
    expect(sealed).not.toContain('371702');
    expect(sm.seal('张桂兰 371702195001011234')).not.toBe(sealed);
    expect(sm.open(sealed)).toBe('张桂兰 371702195001011234');
    const bytes = sm.sealBytes(Buffer.from('%PDF 出院小结'));
    expect(bytes[0]).toBe(2);
    expect(sm.openBytes(bytes).toString()).toBe('%PDF 出院小结');
  });

  it('refuses an SM4 seal tampered with anywhere (IV, tag, ciphertext, bytes) or under another key', () => {
    const sealed = sm.seal('失能等级：重度');
    const parts = sealed.split('.');
    for (const i of [1, 2, 3]) {
      const part = Buffer.from(parts[i]!, 'base64url');
      part[0] = part[0]! ^ 1;
      const changed = [...parts];
      changed[i] = part.toString('base64url');
      expect(() => sm.open(changed.join('.')), `part ${i}`).toThrow();
    }
    const bytes = sm.sealBytes(Buffer.from('x'.repeat(40)));
    for (const at of [5, 30, 60]) {
      const changed = Buffer.from(bytes);
      changed[at] = changed[at]! ^ 1;
      expect(() => sm.openBytes(changed), `byte ${at}`).toThrow();
    }
    expect(() => new Sealer({ suite: 'sm', key: generateKey() }).open(sealed)).toThrow();
  });

  it('opens what the other suite sealed, and tells which seals are current', () => {
    const old = standard.seal('13800000000');
    expect(sm.open(old)).toBe('13800000000');
    expect(standard.open(sm.seal('x'))).toBe('x');
    expect(sm.isCurrent(old)).toBe(false);
    expect(sm.isCurrent(sm.seal('y'))).toBe(true);
    expect(sm.isCurrent(sm.sealBytes(Buffer.from('y')))).toBe(true);
    expect(sm.isCurrent(standard.sealBytes(Buffer.from('y')))).toBe(false);
  });

  it('after a key rotation opens what the earlier key sealed, seals only with the new one, and takes the old seals for not current', () => {
    const next = generateKey();
    const rotated = new Sealer({ suite: 'sm', key: next, previous: [key] });
    const old = sm.seal('地址：历下区');
    expect(rotated.open(old)).toBe('地址：历下区');
    expect(rotated.isCurrent(old)).toBe(false);
    expect(() => new Sealer({ suite: 'sm', key }).open(rotated.seal('z'))).toThrow();
    expect(() => new Sealer({ suite: 'sm', key: next }).open(old)).toThrow();
  });
});

describe('look-up hashes under either suite', () => {
  const keys = { encryptionKey: generateKey(), hashKey: generateKey() };
  const standard = new FieldProtector(keys);
  const sm = new FieldProtector({ ...keys, encryptionKey: { suite: 'sm', key: keys.encryptionKey } });

  it('hashes with HMAC-SM3 under the sm suite, and still knows the standard hash for rows not yet re-hashed', () => {
    expect(sm.lookupHash('37170219500101123X')).toBe(keyedHash('sm', Buffer.from(keys.hashKey, 'base64'), '37170219500101123X').toString('base64url'));
    expect(sm.lookupHash('37170219500101123X')).not.toBe(standard.lookupHash('37170219500101123X'));
    expect(sm.lookupHashes(' 37170219500101123x ')).toEqual([sm.lookupHash('37170219500101123X'), standard.lookupHash('37170219500101123X')]);
    expect(sm.nameHashes('张 桂兰')).toEqual([sm.nameHash('张桂兰'), standard.nameHash('张桂兰')]);
  });

  it('after a hash key rotation finds rows hashed under the earlier key', () => {
    const rotated = new FieldProtector({ encryptionKey: keys.encryptionKey, hashKey: generateKey(), previousHashKeys: [keys.hashKey] });
    expect(rotated.lookupHash('x')).not.toBe(standard.lookupHash('x'));
    expect(rotated.lookupHashes('x')).toContain(standard.lookupHash('x'));
    expect(rotated.lookupHashes('x')[0]).toBe(rotated.lookupHash('x'));
  });
});

describe('configuration', () => {
  it('reads the suite and keys from the environment, standard by default, and refuses an unknown suite by name', () => {
    expect(cryptoSuiteFromEnv({})).toBe('standard');
    expect(cryptoSuiteFromEnv({ CRYPTO_SUITE: 'sm' })).toBe('sm');
    expect(() => cryptoSuiteFromEnv({ CRYPTO_SUITE: 'gm' })).toThrow('CRYPTO_SUITE');
    expect(sealingKeysFromEnv({})).toBeUndefined();
    expect(sealingKeysFromEnv({ PII_ENCRYPTION_KEY: 'k', CRYPTO_SUITE: 'sm', PII_PREVIOUS_ENCRYPTION_KEYS: 'a, b,' })).toEqual({ suite: 'sm', key: 'k', previous: ['a', 'b'] });
  });
});
