import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The cryptographic suite that protects personal data at rest:
 * - `standard`: AES-256-GCM sealing, HMAC-SHA256 look-up hashes, SHA-256 integrity;
 * - `sm`: the national commercial cryptography (商用密码) algorithms: SM4 (GB/T 32907) sealing in
 *   counter mode with an HMAC-SM3 tag (encrypt-then-MAC, since the OpenSSL this runs on offers
 *   SM4 without GCM), HMAC-SM3 (GB/T 32905) look-up hashes, SM3 integrity.
 * Values sealed under either suite open under both (the sealed text says which it is), so a
 * deployment switches suite by configuration and then re-seals what it holds (see `reseal`).
 */
export type CryptoSuite = 'standard' | 'sm';

export const CRYPTO_SUITES: readonly CryptoSuite[] = ['standard', 'sm'];

/** The keys and suite that seal: the current key, and earlier keys still accepted for opening. */
export interface SealingKeys {
  /** The suite new seals are made with (default `standard`). */
  readonly suite?: CryptoSuite;
  /** The current key: 32 bytes, base64. */
  readonly key: string;
  /** Keys used before a rotation, accepted for opening until everything is re-sealed. */
  readonly previous?: readonly string[];
}

/** The suite of some sealing keys (a bare key means `standard`). */
export function suiteOf(keys: string | SealingKeys): CryptoSuite {
  return typeof keys === 'string' ? 'standard' : (keys.suite ?? 'standard');
}

/** The digest of a suite: SHA-256 or SM3 (hex), for integrity (e.g. the audit log's hash chain). */
export function digest(suite: CryptoSuite, data: string | Uint8Array): string {
  return createHash(suite === 'sm' ? 'sm3' : 'sha256').update(data).digest('hex');
}

/** The keyed hash of a suite: HMAC-SHA256 or HMAC-SM3. */
export function keyedHash(suite: CryptoSuite, key: Uint8Array, data: string | Uint8Array): Buffer {
  return createHmac(suite === 'sm' ? 'sm3' : 'sha256', key).update(data).digest();
}

/** The suite named by `CRYPTO_SUITE` (unset: `standard`); throws naming the variable otherwise. */
export function cryptoSuiteFromEnv(env: Record<string, string | undefined>): CryptoSuite {
  const named = env['CRYPTO_SUITE']?.trim() || 'standard';
  if (!(CRYPTO_SUITES as readonly string[]).includes(named)) throw new Error(`CRYPTO_SUITE must be one of ${CRYPTO_SUITES.join(', ')}, not "${named}"`);
  return named as CryptoSuite;
}

/** Keys listed in a variable, comma separated (none when unset). */
export function keyList(text: string | undefined): string[] {
  return (text ?? '').split(',').map((k) => k.trim()).filter((k) => k !== '');
}

/**
 * The sealing keys from the environment: `CRYPTO_SUITE`, `PII_ENCRYPTION_KEY` and, during a key
 * rotation, `PII_PREVIOUS_ENCRYPTION_KEYS` (comma separated); undefined without a current key.
 */
export function sealingKeysFromEnv(env: Record<string, string | undefined>): SealingKeys | undefined {
  const key = env['PII_ENCRYPTION_KEY']?.trim();
  if (!key) return undefined;
  return { suite: cryptoSuiteFromEnv(env), key, previous: keyList(env['PII_PREVIOUS_ENCRYPTION_KEYS']) };
}

/** One key's ciphers, both suites. */
export class SealingKey {
  private readonly aesKey: Buffer;
  private readonly sm4Key: Buffer;
  private readonly sm3MacKey: Buffer;

  constructor(text: string, what = 'encryption') {
    this.aesKey = decodeKey(text, what);
    // SM4 takes 128-bit keys: the cipher and MAC keys are derived from the one configured key.
    this.sm4Key = keyedHash('sm', this.aesKey, 'five-bed-linkage seal sm4').subarray(0, 16);
    this.sm3MacKey = keyedHash('sm', this.aesKey, 'five-bed-linkage seal hmac-sm3');
  }

  /** Seal text: `v1.<iv>.<tag>.<ciphertext>` (AES-256-GCM) or `s1.<iv>.<mac>.<ciphertext>` (SM4-CTR + HMAC-SM3), base64url parts. */
  seal(suite: CryptoSuite, value: string): string {
    const plain = Buffer.from(value, 'utf8');
    if (suite === 'sm') {
      const { iv, mac, ciphertext } = this.sm4Seal(plain);
      return ['s1', iv.toString('base64url'), mac.toString('base64url'), ciphertext.toString('base64url')].join('.');
    }
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.aesKey, iv);
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  /** Open sealed text; throws if it was tampered with, sealed under another key, or is not sealed text. */
  open(sealed: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if ((version !== 'v1' && version !== 's1') || !iv || !tag || ciphertext === undefined) throw new Error('not a sealed value');
    const parts = { iv: Buffer.from(iv, 'base64url'), tag: Buffer.from(tag, 'base64url'), ciphertext: Buffer.from(ciphertext, 'base64url') };
    return (version === 's1' ? this.sm4Open(parts.iv, parts.tag, parts.ciphertext) : this.aesOpen(parts.iv, parts.tag, parts.ciphertext)).toString('utf8');
  }

  /** Seal bytes: a version byte (1: AES-256-GCM, IV 12, tag 16; 2: SM4-CTR + HMAC-SM3, IV 16, MAC 32), then the ciphertext. */
  sealBytes(suite: CryptoSuite, plain: Uint8Array): Buffer {
    if (suite === 'sm') {
      const { iv, mac, ciphertext } = this.sm4Seal(plain);
      return Buffer.concat([Buffer.from([2]), iv, mac, ciphertext]);
    }
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.aesKey, iv);
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), ciphertext]);
  }

  /** Open sealed bytes; throws if they were tampered with or sealed under another key. */
  openBytes(sealed: Uint8Array): Buffer {
    const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (bytes[0] === 1 && bytes.length >= 29) return this.aesOpen(bytes.subarray(1, 13), bytes.subarray(13, 29), bytes.subarray(29));
    if (bytes[0] === 2 && bytes.length >= 49) return this.sm4Open(bytes.subarray(1, 17), bytes.subarray(17, 49), bytes.subarray(49));
    throw new Error('not sealed bytes');
  }

  private aesOpen(iv: Buffer, tag: Buffer, ciphertext: Buffer): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.aesKey, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  }

  private sm4Seal(plain: Uint8Array): { iv: Buffer; mac: Buffer; ciphertext: Buffer } {
    const iv = randomBytes(16);
    const cipher = createCipheriv('sm4-ctr', this.sm4Key, iv);
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
    return { iv, mac: this.sm3Mac(iv, ciphertext), ciphertext };
  }

  private sm4Open(iv: Buffer, mac: Buffer, ciphertext: Buffer): Buffer {
    const expected = this.sm3Mac(iv, ciphertext);
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw new Error('the sealed value does not open under this key (tampered with, or another key)');
    const decipher = createDecipheriv('sm4-ctr', this.sm4Key, iv);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  }

  /** The MAC binds the format to the IV and ciphertext, so neither can be swapped. */
  private sm3Mac(iv: Buffer, ciphertext: Buffer): Buffer {
    return createHmac('sm3', this.sm3MacKey).update('s1').update(iv).update(ciphertext).digest();
  }
}

/** Which suite sealed a value (by its form), or undefined if it is not sealed text or bytes. */
export function sealedSuite(sealed: string | Uint8Array): CryptoSuite | undefined {
  if (typeof sealed === 'string') return sealed.startsWith('v1.') ? 'standard' : sealed.startsWith('s1.') ? 'sm' : undefined;
  return sealed[0] === 1 ? 'standard' : sealed[0] === 2 ? 'sm' : undefined;
}

export function decodeKey(text: string, what: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error(`the ${what} key must be 32 bytes, base64-encoded`);
  return key;
}
