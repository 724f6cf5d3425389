import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchingStep, newRecoveryCodes, newTotpSecret, otpauthUri, timeStep, totp, type TotpAlgorithm } from '../src/identity/totp.js';

/** The seeds of RFC 6238 Appendix B: the ASCII digits repeated to 20, 32 and 64 bytes. */
const SEEDS: Record<TotpAlgorithm, Buffer> = {
  sha1: Buffer.from('12345678901234567890', 'ascii'),
  sha256: Buffer.from('12345678901234567890123456789012', 'ascii'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii'),
};

/** RFC 6238 Appendix B, the table of test vectors: time (seconds), then the code for SHA1, SHA256 and SHA512 (8 digits, T0 = 0, X = 30). */
const VECTORS: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(VECTORS)('at %i s gives the appendix B codes with SHA1, SHA256 and SHA512', (seconds, sha1, sha256, sha512) => {
    const at = new Date(seconds * 1000);
    const parameters = { step: 30, t0: 0, digits: 8 } as const;
    expect(totp(SEEDS.sha1, at, { ...parameters, algorithm: 'sha1' })).toBe(sha1);
    expect(totp(SEEDS.sha256, at, { ...parameters, algorithm: 'sha256' })).toBe(sha256);
    expect(totp(SEEDS.sha512, at, { ...parameters, algorithm: 'sha512' })).toBe(sha512);
  });

  it('builds on HOTP as RFC 4226 appendix D computes it', () => {
    const codes = Array.from({ length: 10 }, (_, counter) => hotp(SEEDS.sha1, counter));
    expect(codes).toEqual(['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489']);
  });

  it('encodes base32 as RFC 4648 does, and back', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Encode(Buffer.from('f'))).toBe('MY');
    expect(base32Decode('mzxw 6ytb oi==').toString()).toBe('foobar');
    expect(() => base32Decode('MZ1')).toThrow();
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
  });

  it('accepts a code of one step back or ahead, not two, and says which step it was', () => {
    const key = SEEDS.sha1;
    const now = new Date(1_800_000_000_000);
    const step = timeStep(now);
    expect(matchingStep(key, totp(key, now), now)).toBe(step);
    expect(matchingStep(key, hotp(key, step - 1), now)).toBe(step - 1);
    expect(matchingStep(key, hotp(key, step + 1), now)).toBe(step + 1);
    expect(matchingStep(key, hotp(key, step - 2), now)).toBeUndefined();
    expect(matchingStep(key, hotp(key, step + 2), now)).toBeUndefined();
    expect(matchingStep(key, '12345', now)).toBeUndefined();
    expect(matchingStep(key, 'abcdef', now)).toBeUndefined();
  });

  it('writes an otpauth URI for authenticator apps, and recovery codes that differ', () => {
    expect(otpauthUri('JBSWY3DPEHPK3PXP', 'admin', '五床联动')).toBe(`otpauth://totp/${encodeURIComponent('五床联动:admin')}?secret=JBSWY3DPEHPK3PXP&issuer=${encodeURIComponent('五床联动')}&algorithm=SHA1&digits=6&period=30`);
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
  });
});
