/**
 * The 31 characters of a unified social credit code: digits and capitals without I, O, S, V, Z.
 * A character's index is its numeric value in the check computation.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weights 3^i mod 31 for positions 1..17: 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28. */
const WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);
const MIN_OVERRIDE_REASON = 4;

/**
 * A valid unified social credit code (统一社会信用代码, GB 32100-2015). Layout: 1 registration
 * authority, 2 institution type, 3–8 division code, 9–17 organisation code, 18 check character.
 */
export interface CreditCode {
  /** The code in uppercase. */
  readonly value: string;
  /** Characters 3–8: division code (GB/T 2260) of the registration authority. */
  readonly divisionCode: string;
  /** True when the check character was wrong and accepted through an explicit override. */
  readonly checksumOverridden: boolean;
  /** Why the override was granted; present only when `checksumOverridden`. */
  readonly overrideReason?: string;
}

/** Outcome of {@link parseCreditCode}: the code, or a human-readable reason in English. */
export type CreditCodeResult = { ok: true; code: CreditCode } | { ok: false; reason: string };

/** Options of {@link parseCreditCode}. */
export interface ParseCreditCodeOptions {
  /**
   * Accept a code whose only fault is its check character, recording `reason` (trimmed, at
   * least 4 characters). Some legally issued early codes fail the check; format errors are
   * never overridable. Ignored for a code whose check character is right.
   */
  allowChecksumOverride?: { reason: string };
}

/**
 * The check character for the first 17 characters: 31 − (Σ value × weight mod 31), with 31
 * written as '0', mapped back through the alphabet.
 * @throws RangeError when `first17` is not 17 characters of the alphabet (uppercase).
 */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17 || [...first17].some((c) => !ALPHABET.includes(c))) {
    throw new RangeError(`the first 17 characters of a credit code must be from ${ALPHABET}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17.charAt(i)) * (WEIGHTS[i] ?? 0);
  return ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/**
 * Validates a unified social credit code (统一社会信用代码, GB 32100-2015). Lowercase letters
 * are accepted and normalised to uppercase. Checks, in order: length, alphabet, digits of the
 * division code, check character (overridable, see {@link ParseCreditCodeOptions}). The
 * registration authority and institution type characters are not checked against a list,
 * since that list has grown since 2015.
 */
export function parseCreditCode(value: string, options: ParseCreditCodeOptions = {}): CreditCodeResult {
  const fail = (reason: string): CreditCodeResult => ({ ok: false, reason });
  if (value.length !== 18) return fail(`must be 18 characters, not ${value.length}`);
  let normalised = '';
  for (let i = 0; i < 18; i++) {
    const original = value.charAt(i);
    const upper = original.toUpperCase();
    if (upper.length !== 1 || !ALPHABET.includes(upper)) return fail(`character ${i + 1} (${original}) is not allowed`);
    normalised += upper;
  }
  const divisionCode = normalised.slice(2, 8);
  if (!/^\d{6}$/.test(divisionCode)) return fail(`characters 3–8 are a division code and must be digits, not ${divisionCode}`);

  const expected = creditCodeCheckChar(normalised.slice(0, 17));
  const given = normalised.charAt(17);
  if (given === expected) return { ok: true, code: { value: normalised, divisionCode, checksumOverridden: false } };

  const mismatch = `check character should be ${expected}, not ${given}`;
  const override = options.allowChecksumOverride;
  if (!override) return fail(mismatch);
  const overrideReason = override.reason.trim();
  if (overrideReason.length < MIN_OVERRIDE_REASON) {
    return fail(`${mismatch}, and a checksum override needs a reason of at least ${MIN_OVERRIDE_REASON} characters`);
  }
  return { ok: true, code: { value: normalised, divisionCode, checksumOverridden: true, overrideReason } };
}
