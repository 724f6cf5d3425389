import { randomBytes } from 'node:crypto';
import { decodeKey, keyedHash, SealingKey, sealedSuite, type CryptoSuite, type SealingKeys } from './suite.js';

/** The keys of a {@link FieldProtector}: sealing keys, and the look-up hash key with any earlier ones. */
export interface ProtectorKeys {
  /** The sealing key (a base64 key means the `standard` suite), or the suite, key and earlier keys. */
  readonly encryptionKey: string | SealingKeys;
  /** The key of look-up hashes: 32 bytes, base64. */
  readonly hashKey: string;
  /** Look-up hash keys used before a rotation, still matched until everything is re-hashed. */
  readonly previousHashKeys?: readonly string[];
}

/**
 * Encryption at rest of personal information (PIPL sensitive data) and keyed look-up hashes.
 * Values are sealed under a key from configuration with the deployment's suite (AES-256-GCM, or
 * SM4 with HMAC-SM3: see {@link CryptoSuite}), so a stolen database or backup reveals nothing; an
 * equality look-up (find the elder with this ID number) uses a keyed hash (HMAC-SHA256 or
 * HMAC-SM3) of the normalised value under a second key, never the plain value.
 */
export class FieldProtector {
  /** The protector's sealing alone (for a re-seal of what it sealed). */
  readonly sealer: Sealer;
  private readonly hashKeys: Buffer[];

  constructor(keys: ProtectorKeys) {
    this.sealer = new Sealer(keys.encryptionKey);
    this.hashKeys = [keys.hashKey, ...(keys.previousHashKeys ?? [])].map((k) => decodeKey(k, 'hash'));
  }

  /** The suite new seals and hashes are made with. */
  get suite(): CryptoSuite {
    return this.sealer.suite;
  }

  /** Seal a value. The same value seals differently each time (random IV). */
  seal(value: string): string {
    return this.sealer.seal(value);
  }

  /** Open a sealed value; throws if it was tampered with or sealed under a key not configured. */
  open(sealed: string): string {
    return this.sealer.open(sealed);
  }

  /** Whether a sealed value is sealed with the current suite and key (nothing to re-seal). */
  isCurrent(sealed: string): boolean {
    return this.sealer.isCurrent(sealed);
  }

  /** The keyed look-up hash of a value (normalised: trimmed, upper case), current suite and key. */
  lookupHash(value: string): string {
    return this.lookupHashes(value)[0]!;
  }

  /**
   * Every look-up hash a stored row may still carry for a value: the current one first, then those
   * of the other suite and of earlier hash keys (until a re-seal has re-hashed every row).
   */
  lookupHashes(value: string): string[] {
    return this.hashes(value.trim().toUpperCase());
  }

  /**
   * The keyed blind index of a person's full name, to find a person by name without storing the
   * name readable: the keyed hash under the look-up key of {@link normalisePersonName}'s form, in its
   * own domain (an ID number and a name with the same characters hash differently). Only a whole
   * name matches; part of a name finds nothing.
   */
  nameHash(fullName: string): string {
    return this.nameHashes(fullName)[0]!;
  }

  /** Every blind index a stored row may still carry for a name, the current one first (see {@link lookupHashes}). */
  nameHashes(fullName: string): string[] {
    return this.hashes(`person-name\u0000${normalisePersonName(fullName)}`);
  }

  private hashes(text: string): string[] {
    const suites: CryptoSuite[] = this.suite === 'sm' ? ['sm', 'standard'] : ['standard', 'sm'];
    const all = this.hashKeys.flatMap((key) => suites.map((suite) => ({ key, suite })));
    // The current suite under the current key first; then the other suite under it; then earlier keys.
    return [...new Set(all.map(({ key, suite }) => keyedHash(suite, key, text).toString('base64url')))];
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

/**
 * Sealing alone, for a service that keeps sensitive data it never looks up by value: seals with
 * the current suite and key, opens what any configured key sealed under either suite.
 */
export class Sealer {
  readonly suite: CryptoSuite;
  private readonly current: SealingKey;
  private readonly ring: SealingKey[];

  constructor(keys: string | SealingKeys) {
    const given: SealingKeys = typeof keys === 'string' ? { key: keys } : keys;
    this.suite = given.suite ?? 'standard';
    this.current = new SealingKey(given.key);
    this.ring = [this.current, ...(given.previous ?? []).map((k) => new SealingKey(k))];
  }

  /** Seal a value. The same value seals differently each time (random IV). */
  seal(value: string): string {
    return this.current.seal(this.suite, value);
  }

  /** Seal bytes (a document, a photo). */
  sealBytes(plain: Uint8Array): Buffer {
    return this.current.sealBytes(this.suite, plain);
  }

  /** Open sealed bytes; throws if they were tampered with or sealed under a key not configured. */
  openBytes(sealed: Uint8Array): Buffer {
    return this.withKeys((key) => key.openBytes(sealed));
  }

  /** Open a sealed value; throws if it was tampered with or sealed under a key not configured. */
  open(sealed: string): string {
    return this.withKeys((key) => key.open(sealed));
  }

  /** Whether a sealed value or bytes are sealed with the current suite and key. */
  isCurrent(sealed: string | Uint8Array): boolean {
    if (sealedSuite(sealed) !== this.suite) return false;
    try {
      if (typeof sealed === 'string') this.current.open(sealed);
      else this.current.openBytes(sealed);
      return true;
    } catch {
      return false;
    }
  }

  private withKeys<T>(open: (key: SealingKey) => T): T {
    let failure: unknown;
    for (const key of this.ring) {
      try {
        return open(key);
      } catch (error) {
        failure ??= error;
      }
    }
    throw failure;
  }
}

/** A new random key, base64-encoded, for configuration. */
export function generateKey(): string {
  return randomBytes(32).toString('base64');
}
