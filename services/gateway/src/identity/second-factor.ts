import type { Role, TokenKey } from '@fbl/auth';
import { newId } from '@fbl/contracts';
import type { Executor } from '@fbl/db';
import { generateKey, Sealer, type SealingKeys } from '@fbl/privacy';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { createHmac } from 'node:crypto';
import { recoveryCodes, users } from './schema.js';
import { base32Decode, matchingStep, newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, otpauthUri } from './totp.js';

/** The issuer an authenticator app shows beside the account. */
export const TOTP_ISSUER = '五床联动';

/** What a person enrolling gets: the secret as text (to type) and as an otpauth:// URI (for a QR code). */
export interface TotpOffer {
  secret: string;
  otpauthUri: string;
}

type UserRow = typeof users.$inferSelect;

/**
 * The second factor of accounts: TOTP secrets sealed at rest, enrolment confirmed by a first code,
 * codes of one step back or ahead accepted once each (a code of a step already used is refused),
 * recovery codes kept as keyed hashes, each good once.
 */
export class SecondFactors {
  private readonly sealer: Sealer;
  private readonly hashKey: Buffer;

  constructor(
    /** The roles that must have a second factor; any other account may enrol of its own accord. */
    readonly requiredRoles: readonly Role[],
    sealing: SealingKeys | string | undefined,
    authSecret: TokenKey,
  ) {
    // Without a key (tests), one for this process only: secrets sealed with it are not kept across restarts.
    this.sealer = new Sealer(sealing ?? generateKey());
    this.hashKey = createHmac('sha256', signingSecret(authSecret)).update('gateway recovery codes').digest();
  }

  /** Whether an account of this role must have a second factor. */
  required(role: string): boolean {
    return (this.requiredRoles as readonly string[]).includes(role);
  }

  /** The secret offered to an account for enrolment: the one offered before if there is one, else a new one (sealed). */
  async offer(tx: Executor, user: UserRow): Promise<TotpOffer> {
    let secret = user.totpPendingSealed ? this.sealer.open(user.totpPendingSealed) : undefined;
    if (!secret) {
      secret = newTotpSecret();
      await tx.update(users).set({ totpPendingSealed: this.sealer.seal(secret) }).where(eq(users.id, user.id));
    }
    return { secret, otpauthUri: otpauthUri(secret, user.username, TOTP_ISSUER) };
  }

  /**
   * Check a code against the account's enrolled secret. Accepted once: the step it belongs to
   * becomes the last used, and a code of that step or an earlier one is refused from then on.
   */
  async check(tx: Executor, user: UserRow, code: string, now: Date): Promise<boolean> {
    if (!user.totpSecretSealed) return false;
    const step = matchingStep(base32Decode(this.sealer.open(user.totpSecretSealed)), code.trim(), now);
    if (step === undefined) return false;
    const accepted = await tx
      .update(users)
      .set({ totpLastStep: step })
      .where(and(eq(users.id, user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
      .returning({ id: users.id });
    return accepted.length === 1;
  }

  /**
   * Confirm an enrolment with a first code of the offered secret: the secret becomes the account's
   * (its recovery codes made anew, returned once in clear), or undefined when the code is wrong.
   */
  async confirm(tx: Executor, user: UserRow, code: string, now: Date): Promise<string[] | undefined> {
    if (!user.totpPendingSealed) return undefined;
    const secret = this.sealer.open(user.totpPendingSealed);
    const step = matchingStep(base32Decode(secret), code.trim(), now);
    if (step === undefined) return undefined;
    await tx.update(users).set({ totpSecretSealed: this.sealer.seal(secret), totpPendingSealed: null, totpEnabledAt: now, totpLastStep: step }).where(eq(users.id, user.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    const codes = newRecoveryCodes();
    await tx.insert(recoveryCodes).values(codes.map((c) => ({ id: newId(), userId: user.id, codeHash: this.hash(user.id, c), createdAt: now })));
    return codes;
  }

  /** Spend one of the account's recovery codes; false when it is not one of them or was used. */
  async spendRecoveryCode(tx: Executor, userId: string, code: string, now: Date): Promise<boolean> {
    const spent = await tx
      .update(recoveryCodes)
      .set({ usedAt: now })
      .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, this.hash(userId, code)), isNull(recoveryCodes.usedAt)))
      .returning({ id: recoveryCodes.id });
    return spent.length === 1;
  }

  /** How many unused recovery codes an account has left. */
  async recoveryCodesLeft(tx: Executor, userId: string): Promise<number> {
    const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(recoveryCodes).where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
    return Number(row?.n ?? 0);
  }

  /** Remove an account's second factor (secret, an offer not confirmed, recovery codes): it enrols again. */
  async reset(tx: Executor, userId: string): Promise<void> {
    await tx.update(users).set({ totpSecretSealed: null, totpPendingSealed: null, totpEnabledAt: null, totpLastStep: null }).where(eq(users.id, userId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  }

  /** A recovery code's keyed hash, bound to its account. */
  private hash(userId: string, code: string): string {
    return createHmac('sha256', this.hashKey).update(`${userId}:${normaliseRecoveryCode(code)}`).digest('base64url');
  }
}

/** The secret part of the gateway's token key, to derive other keys from: the shared secret, or the SM2 private key. */
function signingSecret(key: TokenKey): string {
  if (typeof key === 'string') return key;
  if (key.privateKey === undefined) throw new Error('the gateway signs tokens: its SM2 key needs the private key');
  return `sm2:${key.privateKey.toString(16)}`;
}
