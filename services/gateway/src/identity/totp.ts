import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** The HMAC of a TOTP (RFC 6238 §1.2): SHA-1 as authenticator apps use it, SHA-256 and SHA-512 as the RFC allows. */
export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** How codes are made: the time step X (seconds), T0 (Unix seconds), the number of digits, the HMAC. */
export interface TotpParameters {
  step: number;
  t0: number;
  digits: number;
  algorithm: TotpAlgorithm;
}

/** What authenticator apps expect: 30-second steps from the Unix epoch, 6 digits, HMAC-SHA-1. */
export const TOTP_DEFAULTS: TotpParameters = { step: 30, t0: 0, digits: 6, algorithm: 'sha1' };

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, without padding (as otpauth:// URIs carry a secret). */
export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Decode base32 (case, spaces and padding ignored); throws on a character outside the alphabet. */
export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error('not base32');
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** HOTP (RFC 4226 §5.3) of a counter with an HMAC of the given kind: dynamic truncation, then the last `digits` decimal digits. */
export function hotp(key: Uint8Array, counter: number, digits = 6, algorithm: TotpAlgorithm = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The time step T of an instant: floor((unix seconds − T0) / X). */
export function timeStep(at: Date, parameters: Pick<TotpParameters, 'step' | 't0'> = TOTP_DEFAULTS): number {
  return Math.floor((Math.floor(at.getTime() / 1000) - parameters.t0) / parameters.step);
}

/** The TOTP code of a key at an instant (RFC 6238 §4.2). */
export function totp(key: Uint8Array, at: Date, parameters: TotpParameters = TOTP_DEFAULTS): string {
  return hotp(key, timeStep(at, parameters), parameters.digits, parameters.algorithm);
}

/**
 * The time step a code belongs to, looking one step back and one ahead of now (a clock a little
 * off, a code typed as it turned over), or undefined when it matches none. Compared in constant time.
 */
export function matchingStep(key: Uint8Array, code: string, at: Date, parameters: TotpParameters = TOTP_DEFAULTS): number | undefined {
  if (!/^\d+$/.test(code) || code.length !== parameters.digits) return undefined;
  const now = timeStep(at, parameters);
  let found: number | undefined;
  for (const step of [now - 1, now, now + 1]) {
    const expected = hotp(key, step, parameters.digits, parameters.algorithm);
    if (timingSafeEqual(Buffer.from(expected), Buffer.from(code)) && found === undefined) found = step;
  }
  return found;
}

/** A new random secret: 20 bytes (160 bits, the length RFC 4226 recommends), base32. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** The otpauth:// URI an authenticator app reads (from a QR code or pasted): issuer, account, secret. */
export function otpauthUri(secret: string, account: string, issuer: string): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`;
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Recovery codes: `count` random codes of 10 characters in two groups (`abcde-23456`), about 49 bits each. */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** A recovery code as typed, made comparable: lower case, without spaces and dashes. */
export const normaliseRecoveryCode = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');
