import { ROLES, signToken, type Principal, type Role, type TokenKey } from '@fbl/auth';
import { newId } from '@fbl/contracts';
import type { Database, Executor } from '@fbl/db';
import { AuditLog, serviceActor, userActor, type Actor, type AuditOutcome, type SealingKeys } from '@fbl/privacy';
import { invalidField, notFound, problemOf, ProblemError } from '@fbl/service-kit';
import { and, asc, desc, eq, gte, ilike, inArray, isNotNull, isNull, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { createHash, randomBytes } from 'node:crypto';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { auditLog, passwordHistory, refreshTokens, signIns, users } from './schema.js';
import { SecondFactors, type TotpOffer } from './second-factor.js';
import { SignInStep, wrongCode } from './sign-in-steps.js';

/** How sign-in behaves; the defaults suit a hospital network. */
export interface SignInPolicy {
  /** Lifetime of an access token (short: it cannot be recalled). */
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
  /** Consecutive failures that lock an account, and for how long. */
  maxFailures: number;
  lockoutSeconds: number;
  /** The roles whose accounts must sign in with a second factor (TOTP); others may enrol of their own accord. */
  secondFactorRoles: readonly Role[];
  /** Days a password lasts before it must be changed at sign-in; 0 for no expiry. */
  passwordMaxAgeDays: number;
  /** How many of an account's latest passwords (the current one among them) a new one may not repeat; 0 for no history. */
  passwordHistory: number;
}

export const DEFAULT_SIGN_IN_POLICY: SignInPolicy = { accessTokenSeconds: 15 * 60, refreshTokenSeconds: 7 * 24 * 3600, maxFailures: 5, lockoutSeconds: 15 * 60, secondFactorRoles: ['admin'], passwordMaxAgeDays: 0, passwordHistory: 5 };

/** A sign-in: the password, and what the account's policy asks beyond it (a code or a recovery code, a new password). */
export interface SignInAttempt {
  username: string;
  password: string;
  /** The authenticator's code (also the first code that confirms an enrolment). */
  code?: string;
  /** One of the account's recovery codes, in place of a code. */
  recoveryCode?: string;
  /** A new password, when the current one has expired (or to change it at sign-in). */
  newPassword?: string;
  address?: string;
}

/** A session, and the recovery codes made at an enrolment (shown once). */
export type SignedIn = Session & { recoveryCodes?: string[] };

/** A new account. */
export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  institutionId?: string;
  divisionCode?: string;
}

/** What a signed-in user gets: a short access token and a refresh token to get the next one. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: PublicUser;
}

export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  institutionId: string | null;
  divisionCode: string | null;
  /** False once an admin disabled the account: it cannot sign in, and its sessions have ended. */
  enabled: boolean;
  /** Whether the account signs in with a second factor (TOTP). */
  secondFactor: boolean;
  createdAt: string;
}

/** What an admin may change of an account: its display name, its role and the scope the role needs. */
export interface AccountChange {
  displayName?: string;
  role?: Role;
  institutionId?: string;
  divisionCode?: string;
}

/** How accounts are looked for: a part of the user or display name, a role, enabled or disabled, some ids; a page of them. */
export interface AccountSearch {
  q?: string;
  role?: Role;
  status?: 'enabled' | 'disabled';
  institutionId?: string;
  ids?: readonly string[];
  limit: number;
  offset: number;
}

/** The scope each role works in: an institution (a hospital's planners, a provider's staff), a division, or none (an admin may have a division). */
const SCOPE: Record<Role, 'institution' | 'division' | 'none'> = { planner: 'institution', provider: 'institution', assessor: 'division', insurer: 'division', analyst: 'division', admin: 'none' };

/** The actions of the admin audit, on records of the kind `account`. */
export type AccountAction = 'create-account' | 'change-account' | 'disable-account' | 'enable-account' | 'reset-password' | 'enrol-second-factor' | 'reset-second-factor' | 'use-recovery-code' | 'change-password';

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
/** One refusal for every wrong name or password, so names cannot be probed. */
/**
 * The id of the signed-in person's account here: a token from an external provider (OIDC), or of
 * an account removed since, names an id this gateway does not hold (not even a UUID); such a
 * caller has no account of its own here (404), never a failed query.
 */
const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';
const ownAccountId = (who: Principal) => (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(who.userId) ? who.userId : NO_ACCOUNT);

const wrongCredentials = () => new ProblemError(401, 'sign-in-failed', 'Wrong username or password', 'the username or the password is wrong');
/** The refusal of a disabled account, told only to whoever knows its password. */
const accountDisabled = () => new ProblemError(403, 'account-disabled', 'Account disabled', 'an admin disabled this account; ask an admin to enable it again');
/** An admin's own account cannot be disabled, nor its role changed, by that admin. */
const ownAccount = (what: string) => new ProblemError(409, 'own-account', 'Not on your own account', `an admin cannot ${what} their own account; ask another admin`);
/** An account with a second factor enrols no other (an admin resets it first). */
const enrolledAlready = () => new ProblemError(409, 'second-factor-enrolled', 'Second factor enrolled already', 'the account has a second factor; an admin can reset it');
/** A LIKE pattern that finds the text anywhere, the text's own wildcards taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Accounts and sessions of the people who use the system: sign-in with a scrypt-hashed
 * password, lockout after repeated failures, short access tokens with rotating refresh tokens.
 */
export class Accounts {
  private readonly log: AuditLog;
  readonly secondFactors: SecondFactors;

  constructor(
    private readonly database: Database,
    private readonly authSecret: TokenKey,
    private readonly clock: () => Date,
    readonly policy: SignInPolicy = DEFAULT_SIGN_IN_POLICY,
    /** The key the TOTP secrets are sealed with (a key for this process only when not given). */
    sealing?: SealingKeys | string,
  ) {
    this.log = new AuditLog({ database, table: auditLog, clock });
    this.secondFactors = new SecondFactors(policy.secondFactorRoles, sealing, authSecret);
  }

  /**
   * Add an account; the scope must fit the role (a hospital or institution, or a division). `by`
   * is the admin who adds it (the gateway itself for the first admin and the demo accounts).
   * `passwordHash` is the password's hash made beforehand (the demo accounts' public passwords);
   * otherwise the password is hashed here.
   */
  async create(input: NewUser, by?: Principal, passwordHash?: string): Promise<PublicUser> {
    const weak = passwordProblem(input.password);
    if (weak) throw invalidField('password', `the password needs ${weak}`);
    if (!ROLES.includes(input.role)) throw invalidField('role', `one of ${ROLES.join(', ')}`);
    const scope = scopeOf(input.role, { institutionId: input.institutionId ?? null, divisionCode: input.divisionCode ?? null }, input);
    const row = {
      id: newId(),
      username: input.username.trim().toLowerCase(),
      displayName: input.displayName,
      passwordHash: passwordHash ?? (await hashPassword(input.password)),
      role: input.role,
      ...scope,
      createdAt: this.clock(),
      passwordChangedAt: this.clock(),
    };
    await this.database.transaction(async (tx) => {
      const inserted = await tx.insert(users).values(row).onConflictDoNothing().returning({ id: users.id });
      if (inserted.length === 0) throw new ProblemError(409, 'username-taken', 'Username taken', `the username ${row.username} is in use`, [{ field: 'username', pointer: '/username', in: 'body', reason: 'already in use' }]);
      await this.remember(tx, row.id, row.passwordHash, row.createdAt);
      await this.audit(tx, by, 'create-account', row.id, 'allowed', { role: row.role, ...scopeDetail(scope) });
    });
    return publicUser(row);
  }

  /** Whether any account exists (an empty deployment gets its first admin from configuration). */
  async any(): Promise<boolean> {
    return (await this.database.db.select({ id: users.id }).from(users).limit(1)).length > 0;
  }

  /** Every account, by user name (for seeding; people page through {@link search}). */
  async list(): Promise<PublicUser[]> {
    return (await this.database.db.select().from(users).orderBy(users.username)).map(publicUser);
  }

  /** A page of the accounts that match, by user name, and how many match in all. */
  async search(filter: AccountSearch): Promise<{ items: PublicUser[]; total: number }> {
    const text = filter.q?.trim();
    const conditions: (SQL | undefined)[] = [
      text ? or(ilike(users.username, containing(text)), ilike(users.displayName, containing(text))) : undefined,
      filter.role ? eq(users.role, filter.role) : undefined,
      filter.status === 'enabled' ? isNull(users.disabledAt) : filter.status === 'disabled' ? isNotNull(users.disabledAt) : undefined,
      filter.institutionId ? eq(users.institutionId, filter.institutionId) : undefined,
      filter.ids ? (filter.ids.length > 0 ? inArray(users.id, [...filter.ids]) : sql`false`) : undefined,
    ];
    const where = and(...conditions);
    const [counted] = await this.database.db.select({ n: sql<number>`count(*)::int` }).from(users).where(where);
    const rows = await this.database.db.select().from(users).where(where).orderBy(asc(users.username)).limit(filter.limit).offset(filter.offset);
    return { items: rows.map(publicUser), total: Number(counted?.n ?? 0) };
  }

  /** One account (404 when there is none). */
  async get(id: string): Promise<PublicUser> {
    const [row] = await this.database.db.select().from(users).where(eq(users.id, id));
    if (!row) throw notFound('the account');
    return publicUser(row);
  }

  /**
   * Change an account's display name, role or scope. The scope follows the role: a role that works
   * for an institution needs one (kept when not given), a division likewise; what the new role does
   * not use is cleared. An admin cannot change their own role. Sessions go on: the next refresh
   * carries the new role and scope (an access token lives 15 minutes at most).
   */
  async change(id: string, input: AccountChange, by: Principal): Promise<PublicUser> {
    if (input.role !== undefined && !ROLES.includes(input.role)) throw invalidField('role', `one of ${ROLES.join(', ')}`);
    if (id === by.userId && input.role !== undefined && input.role !== by.role) throw await this.refuse(by, 'change-account', id, ownAccount('change the role of'));
    return this.onAccount(id, 'change-account', by, async (tx, current) => {
      const role = input.role ?? (current.role as Role);
      const scope = scopeOf(role, { institutionId: current.institutionId, divisionCode: current.divisionCode }, input);
      const next = { displayName: input.displayName ?? current.displayName, role, ...scope };
      const changed = (['displayName', 'role', 'institutionId', 'divisionCode'] as const).filter((k) => next[k] !== current[k]);
      if (changed.length === 0) return current;
      const [row] = await tx.update(users).set(next).where(eq(users.id, id)).returning();
      await this.audit(tx, by, 'change-account', id, 'allowed', { changed, role, ...scopeDetail(scope) });
      return row!;
    });
  }

  /**
   * Disable an account: it cannot sign in, and every session of it ends now (its refresh tokens
   * are revoked; an access token already out lives its 15 minutes at most). Disabling a disabled
   * account changes nothing. An admin cannot disable their own account.
   */
  async disable(id: string, by: Principal): Promise<PublicUser> {
    if (id === by.userId) throw await this.refuse(by, 'disable-account', id, ownAccount('disable'));
    return this.onAccount(id, 'disable-account', by, async (tx, current) => {
      if (current.disabledAt) return current;
      const now = this.clock();
      const [row] = await tx.update(users).set({ disabledAt: now }).where(eq(users.id, id)).returning();
      const ended = await this.endSessions(tx, id, now);
      await this.audit(tx, by, 'disable-account', id, 'allowed', { sessionsEnded: ended });
      return row!;
    });
  }

  /** Enable a disabled account again (with a clean slate of failed sign-ins); an enabled one is left as it is. */
  async enable(id: string, by: Principal): Promise<PublicUser> {
    return this.onAccount(id, 'enable-account', by, async (tx, current) => {
      if (!current.disabledAt) return current;
      const [row] = await tx.update(users).set({ disabledAt: null, failedAttempts: 0, lockedUntil: null }).where(eq(users.id, id)).returning();
      await this.audit(tx, by, 'enable-account', id, 'allowed');
      return row!;
    });
  }

  /**
   * Set a new (temporary) password an admin chose, by the rules for new passwords: a lockout ends,
   * and so does every session of the account (whoever had it signs in with the new password).
   */
  async resetPassword(id: string, password: string, by: Principal): Promise<PublicUser> {
    const weak = passwordProblem(password);
    if (weak) throw invalidField('password', `the password needs ${weak}`);
    if (await this.usedBefore(id, password)) throw invalidField('password', `the password must differ from the last ${this.policy.passwordHistory}`);
    const passwordHash = await hashPassword(password);
    return this.onAccount(id, 'reset-password', by, async (tx) => {
      const now = this.clock();
      await this.remember(tx, id, passwordHash, now);
      const [row] = await tx.update(users).set({ passwordHash, passwordChangedAt: now, failedAttempts: 0, lockedUntil: null }).where(eq(users.id, id)).returning();
      const ended = await this.endSessions(tx, id, now);
      await this.audit(tx, by, 'reset-password', id, 'allowed', { sessionsEnded: ended });
      return row!;
    });
  }

  /**
   * Remove an account's second factor (an admin, not on their own account): its secret and recovery
   * codes go, and every session of it ends; it enrols again at its next sign-in (or when it chooses).
   */
  async resetSecondFactor(id: string, by: Principal): Promise<PublicUser> {
    if (id === by.userId) throw await this.refuse(by, 'reset-second-factor', id, ownAccount('reset the second factor of'));
    return this.onAccount(id, 'reset-second-factor', by, async (tx, current) => {
      const had = !!current.totpSecretSealed;
      await this.secondFactors.reset(tx, id);
      const ended = await this.endSessions(tx, id, this.clock());
      const [row] = await tx.select().from(users).where(eq(users.id, id));
      await this.audit(tx, by, 'reset-second-factor', id, 'allowed', { enrolled: had, sessionsEnded: ended });
      return row!;
    });
  }

  /**
   * A signed-in account changes its own password: the current one first (a wrong one counts toward
   * the lockout like a wrong sign-in, 400 naming `currentPassword`), the new one by the rules and
   * the history (400 naming `newPassword`). Audited; its sessions go on.
   */
  async changeOwnPassword(who: Principal, currentPassword: string, newPassword: string): Promise<PublicUser> {
    const now = this.clock();
    const [user] = await this.database.db.select().from(users).where(eq(users.id, ownAccountId(who)));
    if (!user || user.disabledAt) throw notFound('the account');
    if (user.lockedUntil && user.lockedUntil > now) throw new ProblemError(423, 'account-locked', 'Account locked', `too many failed sign-ins; try again after ${user.lockedUntil.toISOString()}`);
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      const record = (outcome: string) => this.database.db.insert(signIns).values({ id: newId(), username: user.username, userId: user.id, outcome: `change-${outcome}`, address: null, at: now });
      await this.countFailure(user, now, 'wrong-password', record);
      throw invalidField('currentPassword', 'the current password is wrong');
    }
    const weak = passwordProblem(newPassword);
    if (weak) throw invalidField('newPassword', `the password needs ${weak}`);
    if (await this.usedBefore(user.id, newPassword)) throw invalidField('newPassword', `the password must differ from the last ${this.policy.passwordHistory}`);
    const passwordHash = await hashPassword(newPassword);
    const row = await this.database.transaction(async (tx) => {
      await this.remember(tx, user.id, passwordHash, now);
      const [changed] = await tx.update(users).set({ passwordHash, passwordChangedAt: now, failedAttempts: 0 }).where(eq(users.id, user.id)).returning();
      await this.audit(tx, { userId: user.id, role: user.role as Role }, 'change-password', user.id, 'allowed', { at: 'account' });
      return changed!;
    });
    return publicUser(row);
  }

  /** A signed-in account's second factor: enrolled or not, required by its role or not, recovery codes left. */
  async secondFactorOf(who: Principal): Promise<{ enrolled: boolean; required: boolean; recoveryCodesLeft: number }> {
    const [row] = await this.database.db.select().from(users).where(eq(users.id, ownAccountId(who)));
    if (!row) throw notFound('the account');
    return { enrolled: !!row.totpSecretSealed, required: this.secondFactors.required(row.role), recoveryCodesLeft: await this.secondFactors.recoveryCodesLeft(this.database.db, row.id) };
  }

  /** Offer a signed-in account without a second factor a secret to enrol (409 when it has one). */
  async offerSecondFactor(who: Principal): Promise<TotpOffer> {
    return this.database.transaction(async (tx) => {
      const [row] = await tx.select().from(users).where(eq(users.id, ownAccountId(who))).for('update');
      if (!row) throw notFound('the account');
      if (row.totpSecretSealed) throw enrolledAlready();
      return this.secondFactors.offer(tx, row);
    });
  }

  /** Confirm a signed-in account's enrolment with a first code: its recovery codes, shown once (a wrong code is a 400 naming `code`). */
  async confirmSecondFactor(who: Principal, code: string): Promise<{ recoveryCodes: string[] }> {
    const now = this.clock();
    const codes = await this.database.transaction(async (tx) => {
      const [row] = await tx.select().from(users).where(eq(users.id, ownAccountId(who))).for('update');
      if (!row) throw notFound('the account');
      if (row.totpSecretSealed) throw enrolledAlready();
      if (!row.totpPendingSealed) throw invalidField('code', 'ask for a secret to enrol first');
      const made = await this.secondFactors.confirm(tx, row, code, now);
      if (made) await this.audit(tx, { userId: row.id, role: row.role as Role }, 'enrol-second-factor', row.id, 'allowed', { at: 'account' });
      return made;
    });
    if (!codes) throw invalidField('code', 'the code is wrong; use the one the app shows now');
    return { recoveryCodes: codes };
  }

  /** The admin audit, newest first: by account changed, by the admin who changed it, within a period. */
  auditTrail(filter: { objectId?: string; actor?: string; from?: Date; before?: Date; limit: number }) {
    return this.log.trail(filter);
  }

  /** A change of one account in one transaction (the row locked), or a 404 audited as such. */
  private async onAccount(id: string, action: AccountAction, by: Principal, change: (tx: Executor, current: typeof users.$inferSelect) => Promise<typeof users.$inferSelect>): Promise<PublicUser> {
    const done = await this.database.transaction(async (tx) => {
      const [current] = await tx.select().from(users).where(eq(users.id, id)).for('update');
      return current ? change(tx, current) : undefined;
    });
    if (!done) throw await this.refuse(by, action, id, problemOf(notFound('the account')));
    return publicUser(done);
  }

  /** Revoke every live refresh token of an account; how many sessions that ended. */
  private async endSessions(tx: Executor, userId: string, now: Date): Promise<number> {
    const revoked = await tx
      .update(refreshTokens)
      .set({ revokedAt: now })
      .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt), isNull(refreshTokens.replacedAt)))
      .returning({ family: refreshTokens.family });
    return new Set(revoked.map((r) => r.family)).size;
  }

  private audit(tx: Executor, by: Principal | undefined, action: AccountAction, accountId: string, outcome: AuditOutcome, detail?: Record<string, unknown>) {
    return this.log.write(tx, { actor: actorOf(by), action, objectType: 'account', objectId: accountId, outcome, ...(detail ? { detail } : {}) });
  }

  /** Record a refused change in a transaction of its own, and give back the refusal to throw. */
  private async refuse(by: Principal, action: AccountAction, accountId: string, problem: ProblemError): Promise<ProblemError> {
    await this.log.alone({ actor: actorOf(by), action, objectType: 'account', objectId: accountId, outcome: problem.status === 404 ? 'not-found' : 'denied' });
    return problem;
  }

  /**
   * Check a username and password, then what the account's policy asks beyond them: a password
   * past its age is changed (`newPassword`, by the rules and the history); an account with a second
   * factor gives its code or a recovery code; an account whose role needs one and has none enrols
   * (the secret offered, confirmed by a first code) before it gets a session. A locked account is
   * refused even with the right password; a wrong code counts toward the lockout like a wrong password.
   */
  async signIn(attempt: SignInAttempt): Promise<SignedIn> {
    const name = attempt.username.trim().toLowerCase();
    const now = this.clock();
    const [user] = await this.database.db.select().from(users).where(eq(users.username, name));
    const record = (outcome: string, executor: Pick<Database['db'], 'insert'> = this.database.db) =>
      executor.insert(signIns).values({ id: newId(), username: name, userId: user?.id ?? null, outcome, address: attempt.address ?? null, at: now });
    if (!user) {
      // The same work as a real check, so the answer's timing tells nothing.
      await verifyPassword(attempt.password, await dummyHash());
      await record('unknown-user');
      throw wrongCredentials();
    }
    if (user.disabledAt) {
      // Only whoever knows the password learns that the account is disabled; a wrong one gets the usual answer.
      const right = await verifyPassword(attempt.password, user.passwordHash);
      await record(right ? 'disabled' : 'disabled-wrong-password');
      throw right ? accountDisabled() : wrongCredentials();
    }
    if (user.lockedUntil && user.lockedUntil > now) {
      await record('locked');
      throw new ProblemError(423, 'account-locked', 'Account locked', `too many failed sign-ins; try again after ${user.lockedUntil.toISOString()}`);
    }
    if (!(await verifyPassword(attempt.password, user.passwordHash))) {
      await this.countFailure(user, now, 'wrong-password', record);
      throw wrongCredentials();
    }
    // The password is right. A new one is checked before any code is spent on this attempt.
    let newHash: string | undefined;
    if (attempt.newPassword !== undefined) {
      const weak = passwordProblem(attempt.newPassword);
      if (weak) throw invalidField('newPassword', `the password needs ${weak}`);
      if (await this.usedBefore(user.id, attempt.newPassword)) throw invalidField('newPassword', `the password must differ from the last ${this.policy.passwordHistory}`);
      newHash = await hashPassword(attempt.newPassword);
    } else if (this.expired(user, now)) {
      await record('password-expired');
      throw SignInStep.passwordExpired();
    }
    const self: Principal = { userId: user.id, role: user.role as Role };
    const outcome = await this.database.transaction(async (tx): Promise<{ session: SignedIn } | { fail: string } | { ask: SignInStep; outcome: string }> => {
      const [row] = await tx.select().from(users).where(eq(users.id, user.id)).for('update');
      if (!row) return { fail: 'unknown-user' };
      let recoveryCodes: string[] | undefined;
      let how = 'signed-in';
      if (row.totpSecretSealed) {
        if (attempt.recoveryCode !== undefined) {
          if (!(await this.secondFactors.spendRecoveryCode(tx, row.id, attempt.recoveryCode, now))) return { fail: 'wrong-recovery-code' };
          await this.audit(tx, self, 'use-recovery-code', row.id, 'allowed', { recoveryCodesLeft: await this.secondFactors.recoveryCodesLeft(tx, row.id) });
          how = 'signed-in-recovery-code';
        } else if (attempt.code !== undefined) {
          if (!(await this.secondFactors.check(tx, row, attempt.code, now))) return { fail: 'wrong-code' };
        } else {
          return { ask: SignInStep.code(), outcome: 'code-required' };
        }
      } else if (this.secondFactors.required(row.role)) {
        if (attempt.code === undefined) return { ask: SignInStep.enrol(await this.secondFactors.offer(tx, row)), outcome: 'enrolment-required' };
        recoveryCodes = await this.secondFactors.confirm(tx, row, attempt.code, now);
        if (!recoveryCodes) return { fail: 'wrong-code' };
        await this.audit(tx, self, 'enrol-second-factor', row.id, 'allowed', { at: 'sign-in' });
      }
      if (newHash) {
        await this.remember(tx, row.id, newHash, now);
        await tx.update(users).set({ passwordHash: newHash, passwordChangedAt: now }).where(eq(users.id, row.id));
        await this.audit(tx, self, 'change-password', row.id, 'allowed', { at: 'sign-in' });
      }
      const [fresh] = await tx.update(users).set({ failedAttempts: 0, lockedUntil: null }).where(eq(users.id, row.id)).returning();
      await record(how, tx);
      const session = await this.session(fresh!, newId(), tx);
      return { session: recoveryCodes ? { ...session, recoveryCodes } : session };
    });
    if ('session' in outcome) return outcome.session;
    if ('ask' in outcome) {
      await record(outcome.outcome);
      throw outcome.ask;
    }
    await this.countFailure(user, now, outcome.fail, record);
    throw outcome.fail.startsWith('wrong-password') ? wrongCredentials() : wrongCode();
  }

  /** One more failure in a row (a wrong password or code); at the limit the account locks and the count starts again. */
  private async countFailure(user: typeof users.$inferSelect, now: Date, outcome: string, record: (outcome: string) => Promise<unknown>): Promise<void> {
    const [counted] = await this.database.db
      .update(users)
      .set({ failedAttempts: sql`${users.failedAttempts} + 1` })
      .where(eq(users.id, user.id))
      .returning({ failures: users.failedAttempts });
    const lock = (counted?.failures ?? 0) >= this.policy.maxFailures;
    if (lock) await this.database.db.update(users).set({ failedAttempts: 0, lockedUntil: new Date(now.getTime() + this.policy.lockoutSeconds * 1000) }).where(eq(users.id, user.id));
    await record(lock ? `${outcome}-locked` : outcome);
  }

  /** Whether an account's password is past the policy's age. */
  private expired(user: typeof users.$inferSelect, now: Date): boolean {
    const days = this.policy.passwordMaxAgeDays;
    return days > 0 && now.getTime() - user.passwordChangedAt.getTime() >= days * 24 * 3600 * 1000;
  }

  /** Whether a password is the account's current one or one of its latest (as many as the history policy counts). */
  private async usedBefore(userId: string, password: string): Promise<boolean> {
    const keep = this.policy.passwordHistory;
    if (keep <= 0) return false;
    const [current] = await this.database.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
    const earlier = await this.database.db.select({ hash: passwordHistory.passwordHash }).from(passwordHistory).where(eq(passwordHistory.userId, userId)).orderBy(desc(passwordHistory.setAt)).limit(keep);
    const hashes = [...new Set([...(current ? [current.hash] : []), ...earlier.map((e) => e.hash)])].slice(0, keep);
    for (const hash of hashes) if (await verifyPassword(password, hash)) return true;
    return false;
  }

  /** Keep a new password's hash in the account's history, and only as many as the policy counts. */
  private async remember(tx: Executor, userId: string, passwordHash: string, now: Date): Promise<void> {
    await tx.insert(passwordHistory).values({ id: newId(), userId, passwordHash, setAt: now });
    const kept = await tx.select({ id: passwordHistory.id }).from(passwordHistory).where(eq(passwordHistory.userId, userId)).orderBy(desc(passwordHistory.setAt), desc(passwordHistory.id)).limit(Math.max(this.policy.passwordHistory, 1));
    await tx.delete(passwordHistory).where(and(eq(passwordHistory.userId, userId), notInArray(passwordHistory.id, kept.map((k) => k.id))));
  }

  /** Exchange a refresh token for a new session; a token used twice revokes its whole family. */
  async refresh(token: string): Promise<Session> {
    const now = this.clock();
    const outcome = await this.database.transaction(async (tx) => {
      const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, sha256(token))).for('update');
      if (!row || row.revokedAt || row.expiresAt <= now) return undefined;
      if (row.replacedAt) {
        // A spent token came back: someone else has it. The whole session ends (and stays ended).
        await tx.update(refreshTokens).set({ revokedAt: now }).where(and(eq(refreshTokens.family, row.family), isNull(refreshTokens.revokedAt)));
        return undefined;
      }
      const [user] = await tx.select().from(users).where(eq(users.id, row.userId));
      if (!user || user.disabledAt) return undefined;
      await tx.update(refreshTokens).set({ replacedAt: now }).where(eq(refreshTokens.id, row.id));
      return this.session(user, row.family, tx);
    });
    if (!outcome) throw new ProblemError(401, 'refresh-refused', 'Sign in again', 'the refresh token is not valid');
    return outcome;
  }

  /** End a session: its refresh token family is revoked. */
  async signOut(token: string): Promise<void> {
    const [row] = await this.database.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, sha256(token)));
    if (row) await this.database.db.update(refreshTokens).set({ revokedAt: this.clock() }).where(and(eq(refreshTokens.family, row.family), isNull(refreshTokens.revokedAt)));
  }

  /** Sign-in attempts, newest first, for admins. */
  async signInLog(filter: { username?: string; since?: Date; limit: number }) {
    const conditions = [filter.username ? eq(signIns.username, filter.username.toLowerCase()) : undefined, filter.since ? gte(signIns.at, filter.since) : undefined].filter((c) => c !== undefined);
    return this.database.db
      .select()
      .from(signIns)
      .where(conditions.length > 0 ? and(...conditions) : sql`true`)
      .orderBy(desc(signIns.seq))
      .limit(filter.limit);
  }

  private async session(user: typeof users.$inferSelect, family: string, executor: Pick<Database['db'], 'insert'> = this.database.db): Promise<Session> {
    const now = this.clock();
    const refreshToken = randomBytes(32).toString('base64url');
    await executor.insert(refreshTokens).values({ id: newId(), family, userId: user.id, tokenHash: sha256(refreshToken), expiresAt: new Date(now.getTime() + this.policy.refreshTokenSeconds * 1000), createdAt: now });
    const principal: Principal = { userId: user.id, role: user.role as Role, name: user.displayName, ...(user.institutionId ? { institutionId: user.institutionId } : {}), ...(user.divisionCode ? { divisionCode: user.divisionCode } : {}) };
    return {
      accessToken: signToken(principal, this.authSecret, { now, ttlSeconds: this.policy.accessTokenSeconds }),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.policy.accessTokenSeconds,
      user: publicUser(user),
    };
  }
}

function publicUser(u: { id: string; username: string; displayName: string; role: string; institutionId: string | null; divisionCode: string | null; disabledAt?: Date | null; totpSecretSealed?: string | null; createdAt: Date }): PublicUser {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role as Role, institutionId: u.institutionId, divisionCode: u.divisionCode, enabled: !u.disabledAt, secondFactor: !!u.totpSecretSealed, createdAt: u.createdAt.toISOString() };
}

/**
 * The scope an account of a role has: what was asked for, else what it had, of the kind the role
 * uses; the other kind cleared. Asking for the kind a role does not use, or leaving a role without
 * the scope it needs, is a 400 naming the field.
 */
function scopeOf(role: Role, had: { institutionId: string | null; divisionCode: string | null }, asked: { institutionId?: string | undefined; divisionCode?: string | undefined }): { institutionId: string | null; divisionCode: string | null } {
  const kind = SCOPE[role];
  if (asked.institutionId !== undefined && kind !== 'institution') throw invalidField('institutionId', `the role ${role} does not work for an institution`);
  if (asked.divisionCode !== undefined && kind === 'institution') throw invalidField('divisionCode', `the role ${role} works for an institution, not a division`);
  const institutionId = kind === 'institution' ? (asked.institutionId ?? had.institutionId) : null;
  const divisionCode = kind === 'institution' ? null : (asked.divisionCode ?? had.divisionCode);
  if (kind === 'institution' && !institutionId) throw invalidField('institutionId', `a ${role} works for an institution`);
  if (kind === 'division' && !divisionCode) throw invalidField('divisionCode', `an ${role} works for a division`);
  return { institutionId, divisionCode };
}

/** The scope of an account as the audit records it (ids and codes only, never a person's name). */
function scopeDetail(scope: { institutionId: string | null; divisionCode: string | null }): Record<string, string> {
  return { ...(scope.institutionId ? { institutionId: scope.institutionId } : {}), ...(scope.divisionCode ? { divisionCode: scope.divisionCode } : {}) };
}

/** Who changed an account: an admin, or the gateway itself (the first admin, the demo accounts). */
function actorOf(by: Principal | undefined): Actor {
  return by ? userActor(by) : serviceActor('gateway');
}

let dummy: Promise<string> | undefined;
/** A hash to check unknown users' passwords against. */
const dummyHash = () => (dummy ??= hashPassword(randomBytes(16).toString('hex')));
