import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Encryption at rest of personal information (PIPL sensitive data) and keyed look-up hashes.
 * Values are sealed with AES-256-GCM under a key from configuration (`v1.<iv>.<tag>.<ciphertext>`,
 * base64url), so a stolen database or backup reveals nothing; an equality look-up (find the elder
 * with this ID number) uses an HMAC-SHA256 of the normalised value under a second key, never the
 * plain value.
 */
export class FieldProtector {
  private readonly sealer: Sealer;
  private readonly hashKey: Buffer;

  constructor(keys: { encryptionKey: string; hashKey: string }) {
    this.sealer = new Sealer(keys.encryptionKey);
    this.hashKey = decodeKey(keys.hashKey, 'hash');
  }

  /** Seal a value. The same value seals differently each time (random IV). */
  seal(value: string): string {
    return this.sealer.seal(value);
  }

  /** Open a sealed value; throws if it was tampered with or sealed under another key. */
  open(sealed: string): string {
    return this.sealer.open(sealed);
  }

  /** The keyed look-up hash of a value (normalised: trimmed, upper case). */
  lookupHash(value: string): string {
    return createHmac('sha256', this.hashKey).update(value.trim().toUpperCase()).digest('base64url');
  }

  /**
   * The keyed blind index of a person's full name, to find a person by name without storing the
   * name readable: HMAC-SHA256 under the look-up key of {@link normalisePersonName}'s form, in its
   * own domain (an ID number and a name with the same characters hash differently). Only a whole
   * name matches; part of a name finds nothing.
   */
  nameHash(fullName: string): string {
    return createHmac('sha256', this.hashKey).update(`person-name\u0000${normalisePersonName(fullName)}`).digest('base64url');
  }
}

/** The separators written between the parts of a minority or foreign name (间隔号 and its look-alikes). */
const NAME_DOTS = /[\u00B7\u2022\u2027\u30FB\uFF0E\u2219\u22C5\u0387.]/g;

/**
 * A full name as its blind index sees it: full-width forms folded (NFKC), every space removed
 * (张 桂兰 is 张桂兰), the separator of names like 买买提·艾力 written one way, Latin letters in
 * upper case.
 */
export function normalisePersonName(fullName: string): string {
  return fullName.normalize('NFKC').replace(/\s+/gu, '').replace(NAME_DOTS, '·').toUpperCase();
}

/** Sealing alone (AES-256-GCM), for a service that keeps sensitive data it never looks up by value. */
export class Sealer {
  private readonly encryptionKey: Buffer;

  constructor(encryptionKey: string) {
    this.encryptionKey = decodeKey(encryptionKey, 'encryption');
  }

  /** Seal a value. The same value seals differently each time (random IV). */
  seal(value: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  /** Seal bytes (a document, a photo): version byte 1, IV, tag, ciphertext. */
  sealBytes(plain: Uint8Array): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), ciphertext]);
  }

  /** Open sealed bytes; throws if they were tampered with or sealed under another key. */
  openBytes(sealed: Uint8Array): Buffer {
    const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (bytes.length < 29 || bytes[0] !== 1) throw new Error('not sealed bytes');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, bytes.subarray(1, 13));
    decipher.setAuthTag(bytes.subarray(13, 29));
    return Buffer.concat([decipher.update(bytes.subarray(29)), decipher.final()]);
  }

  /** Open a sealed value; throws if it was tampered with or sealed under another key. */
  open(sealed: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}

function decodeKey(text: string, what: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error(`the ${what} key must be 32 bytes, base64-encoded`);
  return key;
}

/** A new random key, base64-encoded, for configuration. */
export function generateKey(): string {
  return randomBytes(32).toString('base64');
}
