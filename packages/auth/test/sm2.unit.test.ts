import { generateKeyPairSync } from 'node:crypto';
import { sm2 as independent } from 'sm-crypto';
import { describe, expect, it } from 'vitest';
import { generateSm2KeyPair, parseSm2PrivateKey, parseSm2PublicKey, publicKeyHex, sm2KeyPair, sm2Sign, sm2Verify } from '../src/index.js';
import { multiply, onCurve, SM2_G, sm2SignWith, userHash } from '../src/sm2.js';

const hex = (v: bigint) => v.toString(16).padStart(64, '0');

describe('SM2 signatures (GB/T 32918.2) on sm2p256v1', () => {
  it('verifies what it signed, and nothing changed', () => {
    const key = generateSm2KeyPair();
    const message = Buffer.from('五床联动 转介 SM2-SM3');
    const signature = sm2Sign(message, key);
    expect(signature).toHaveLength(64);
    expect(sm2Verify(message, signature, key.publicKey)).toBe(true);
    expect(sm2Verify(Buffer.from('五床联动 转介 SM2-SM4'), signature, key.publicKey)).toBe(false);
    const flipped = Buffer.from(signature);
    flipped[40]! ^= 1;
    expect(sm2Verify(message, flipped, key.publicKey)).toBe(false);
    expect(sm2Verify(message, signature, generateSm2KeyPair().publicKey)).toBe(false);
    expect(sm2Verify(message, signature, key.publicKey, 'ALICE123@YAHOO.COM')).toBe(false);
    expect(sm2Verify(message, signature.subarray(0, 63), key.publicKey)).toBe(false);
    // r = 0 or s ≥ n are refused before any arithmetic.
    expect(sm2Verify(message, Buffer.alloc(64), key.publicKey)).toBe(false);
    expect(sm2Verify(message, Buffer.alloc(64, 0xff), key.publicKey)).toBe(false);
  });

  it('signs with a fresh random k each time', () => {
    const key = generateSm2KeyPair();
    expect(sm2Sign(Buffer.from('m'), key).equals(sm2Sign(Buffer.from('m'), key))).toBe(false);
  });

  // The example of GM/T 0003.5-2012 / GB/T 32918.5-2017 (annex A) on the recommended curve, with
  // the default identifier: private key, message "message digest", the fixed k, and the expected
  // Z_A, r and s, as reproduced in OpenSSL's test/sm2_internal_test.c and GmSSL's tests.
  it("reproduces the standard's example signature (known answer)", () => {
    const key = sm2KeyPair(0x3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8n);
    expect(publicKeyHex(key.publicKey)).toBe('0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13');
    expect(userHash(key.publicKey).toString('hex')).toBe('b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3');
    const message = Buffer.from('message digest');
    const { r, s } = sm2SignWith(message, key, () => 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n);
    expect(hex(r)).toBe('f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3');
    expect(hex(s)).toBe('b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa');
    expect(sm2Verify(message, Buffer.from(hex(r) + hex(s), 'hex'), key.publicKey)).toBe(true);
  });

  it('agrees with an independent implementation (sm-crypto) both ways', () => {
    for (let i = 0; i < 5; i++) {
      const key = generateSm2KeyPair();
      const message = `转介单 ${i}: header.payload`;
      const ours = sm2Sign(Buffer.from(message, 'utf8'), key).toString('hex');
      expect(independent.doVerifySignature(message, ours, publicKeyHex(key.publicKey), { hash: true })).toBe(true);
      expect(independent.doVerifySignature(`${message}!`, ours, publicKeyHex(key.publicKey), { hash: true })).toBe(false);

      const theirs = independent.generateKeyPairHex();
      const signature = independent.doSignature(message, theirs.privateKey, { hash: true, publicKey: theirs.publicKey });
      const theirPublic = parseSm2PublicKey(theirs.publicKey);
      expect(sm2Verify(Buffer.from(message, 'utf8'), Buffer.from(signature, 'hex'), theirPublic)).toBe(true);
      expect(sm2Verify(Buffer.from(`${message}!`, 'utf8'), Buffer.from(signature, 'hex'), theirPublic)).toBe(false);
      expect(publicKeyHex(parseSm2PrivateKey(theirs.privateKey.padStart(64, '0')).publicKey)).toBe(theirs.publicKey);
    }
  });

  it("reads the keys Node's OpenSSL makes on the SM2 curve (PEM), and refuses other curves", () => {
    const made = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const pair = parseSm2PrivateKey(made.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    const point = parseSm2PublicKey(made.publicKey.export({ format: 'pem', type: 'spki' }) as string);
    expect(publicKeyHex(pair.publicKey)).toBe(publicKeyHex(point));
    expect(sm2Verify(Buffer.from('m'), sm2Sign(Buffer.from('m'), pair), point)).toBe(true);
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(() => parseSm2PrivateKey(p256.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string)).toThrow('SM2 curve');
    expect(() => parseSm2PublicKey(p256.publicKey.export({ format: 'pem', type: 'spki' }) as string)).toThrow('SM2 curve');
    expect(() => parseSm2PrivateKey('00'.repeat(32))).toThrow('1 to n−2');
    expect(() => parseSm2PublicKey(`04${'11'.repeat(64)}`)).toThrow('not a point of the curve');
  });

  it('computes on the curve: G is on it, [n−1]G = −G', () => {
    expect(onCurve(SM2_G)).toBe(true);
    const p = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
    expect(multiply(0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54122n, SM2_G)).toEqual({ x: SM2_G.x, y: p - SM2_G.y });
    const key = generateSm2KeyPair();
    expect(onCurve(key.publicKey)).toBe(true);
  });
});
