import { messagingTables } from '@fbl/db';
import { auditChainTables, auditTable, writerXid } from '@fbl/privacy';
import { bigint, integer, index, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/** The gateway's own schema: the people who sign in, their refresh tokens, the sign-in log and the audit of account changes. */
export const gatewaySchema = pgSchema('gateway');

/** The messaging tables every service has (the gateway publishes nothing yet). */
export const messaging = messagingTables(gatewaySchema);
export const { outbox, inbox, timers } = messaging;

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Accounts: a role and its scope (a hospital or institution, or a division), a scrypt hash. */
export const users = gatewaySchema.table('users', {
  id: uuid('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role').notNull(),
  institutionId: uuid('institution_id'),
  divisionCode: text('division_code'),
  /** Failed sign-ins since the last success; at the limit the account locks for a while. */
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: at('locked_until'),
  disabledAt: at('disabled_at'),
  createdAt: at('created_at').notNull(),
  /** When the password was last set (its age, for the expiry policy). */
  passwordChangedAt: at('password_changed_at').notNull().defaultNow(),
  /** The TOTP secret (base32), sealed with the gateway's key; null until enrolled. */
  totpSecretSealed: text('totp_secret_sealed'),
  /** A secret offered for enrolment and not yet confirmed by a code, sealed. */
  totpPendingSealed: text('totp_pending_sealed'),
  totpEnabledAt: at('totp_enabled_at'),
  /** The time step of the last code accepted: a code of that step or before is refused (replay). */
  totpLastStep: bigint('totp_last_step', { mode: 'number' }),
});

/** Recovery codes of an account's second factor, as keyed hashes; each works once. */
export const recoveryCodes = gatewaySchema.table(
  'recovery_codes',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    codeHash: text('code_hash').notNull().unique(),
    usedAt: at('used_at'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/** The hashes of an account's earlier passwords (as many as the history policy keeps), so they are not used again. */
export const passwordHistory = gatewaySchema.table(
  'password_history',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    passwordHash: text('password_hash').notNull(),
    setAt: at('set_at').notNull(),
  },
  (t) => [index('password_history_user_idx').on(t.userId, t.setAt)],
);

/**
 * Refresh tokens, stored as SHA-256 hashes. Each use replaces the token with a new one of the
 * same family; a replaced token used again means it leaked, and the whole family is revoked.
 */
export const refreshTokens = gatewaySchema.table(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey(),
    family: uuid('family').notNull(),
    userId: uuid('user_id').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: at('expires_at').notNull(),
    replacedAt: at('replaced_at'),
    revokedAt: at('revoked_at'),
    createdAt: at('created_at').notNull(),
  },
  // A user's live tokens are revoked together (disabling, a password or second-factor reset).
  (t) => [index('refresh_tokens_family_idx').on(t.family), index('refresh_tokens_live_user_idx').on(t.userId).where(sql`revoked_at is null and replaced_at is null`)],
);

/** Every sign-in attempt (who, when, outcome, from where), append-only, for admins. */
export const signIns = gatewaySchema.table(
  'sign_ins',
  {
    id: uuid('id').primaryKey(),
    /** Order of the attempts, however close in time. */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    username: text('username').notNull(),
    userId: uuid('user_id'),
    outcome: text('outcome').notNull(),
    address: text('address'),
    at: at('at').notNull(),
    xid: writerXid(),
  },
  (t) => [index('sign_ins_at_idx').on(t.at), index('sign_ins_xid_idx').on(t.xid, t.seq)],
);

/**
 * Every change an admin makes to an account (created, changed, disabled, enabled, password reset),
 * and every such change refused: who, what, when, which account. Append-only, like the services'
 * audit logs (a trigger refuses UPDATE, DELETE and TRUNCATE); never holds a password.
 */
export const auditLog = auditTable(gatewaySchema);

/** The hash chain over the audit log and the sign-in log, and where it stands. */
export const { chain: auditChain, state: auditChainState } = auditChainTables(gatewaySchema);
