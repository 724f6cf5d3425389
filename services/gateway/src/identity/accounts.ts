import { ROLES, signToken, type Principal, type Role, type TokenKey } from '@fbl/auth';
import { newId } from '@fbl/contracts';
import type { Database, Executor } from '@fbl/db';
import { AuditLog, serviceActor, userActor, type Actor, type AuditOutcome } from '@fbl/privacy';
import { invalidField, notFound, problemOf, ProblemError } from '@fbl/service-kit';
import { and, asc, desc, eq, gte, ilike, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import { createHash, randomBytes } from 'node:crypto';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { auditLog, refreshTokens, signIns, users } from './schema.js';

/** How sign-in behaves; the defaults suit a hospital network. */
export interface SignInPolicy {
  /** Lifetime of an access token (short: it cannot be recalled). */
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
  /** Consecutive failures that lock an account, and for how long. */
  maxFailures: number;
  lockoutSeconds: number;
}

export const DEFAULT_SIGN_IN_POLICY: SignInPolicy = { accessTokenSeconds: 15 * 60, refreshTokenSeconds: 7 * 24 * 3600, maxFailures: 5, lockoutSeconds: 15 * 60 };

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
export type AccountAction = 'create-account' | 'change-account' | 'disable-account' | 'enable-account' | 'reset-password';

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
/** One refusal for every wrong name or password, so names cannot be probed. */
const wrongCredentials = () => new ProblemError(401, 'sign-in-failed', 'Wrong username or password', 'the username or the password is wrong');
/** The refusal of a disabled account, told only to whoever knows its password. */
const accountDisabled = () => new ProblemError(403, 'account-disabled', 'Account disabled', 'an admin disabled this account; ask an admin to enable it again');
/** An admin's own account cannot be disabled, nor its role changed, by that admin. */
const ownAccount = (what: string) => new ProblemError(409, 'own-account', 'Not on your own account', `an admin cannot ${what} their own account; ask another admin`);
/** A LIKE pattern that finds the text anywhere, the text's own wildcards taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Accounts and sessions of the people who use the system: sign-in with a scrypt-hashed
 * password, lockout after repeated failures, short access tokens with rotating refresh tokens.
 */
export class Accounts {
  private readonly log: AuditLog;

  constructor(
    private readonly database: Database,
    private readonly authSecret: TokenKey,
    private readonly clock: () => Date,
    readonly policy: SignInPolicy = DEFAULT_SIGN_IN_POLICY,
  ) {
    this.log = new AuditLog({ database, table: auditLog, clock });
  }

  /**
   * Add an account; the scope must fit the role (a hospital or institution, or a division). `by`
   * is the admin who adds it (the gateway itself for the first admin and the demo accounts).
   */
  async create(input: NewUser, by?: Principal): Promise<PublicUser> {
    const weak = passwordProblem(input.password);
    if (weak) throw invalidField('password', `the password needs ${weak}`);
    if (!ROLES.includes(input.role)) throw invalidField('role', `one of ${ROLES.join(', ')}`);
    const scope = scopeOf(input.role, { institutionId: input.institutionId ?? null, divisionCode: input.divisionCode ?? null }, input);
    const row = {
      id: newId(),
      username: input.username.trim().toLowerCase(),
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      ...scope,
      createdAt: this.clock(),
    };
    await this.database.transaction(async (tx) => {
      const inserted = await tx.insert(users).values(row).onConflictDoNothing().returning({ id: users.id });
      if (inserted.length === 0) throw new ProblemError(409, 'username-taken', 'Username taken', `the username ${row.username} is in use`, [{ field: 'username', pointer: '/username', in: 'body', reason: 'already in use' }]);
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
    const passwordHash = await hashPassword(password);
    return this.onAccount(id, 'reset-password', by, async (tx) => {
      const now = this.clock();
      const [row] = await tx.update(users).set({ passwordHash, failedAttempts: 0, lockedUntil: null }).where(eq(users.id, id)).returning();
      const ended = await this.endSessions(tx, id, now);
      await this.audit(tx, by, 'reset-password', id, 'allowed', { sessionsEnded: ended });
      return row!;
    });
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

  /** Check a username and password; a locked account is refused even with the right password. */
  async signIn(username: string, password: string, address?: string): Promise<Session> {
    const name = username.trim().toLowerCase();
    const now = this.clock();
    const [user] = await this.database.db.select().from(users).where(eq(users.username, name));
    const record = (outcome: string) => this.database.db.insert(signIns).values({ id: newId(), username: name, userId: user?.id ?? null, outcome, address: address ?? null, at: now });
    if (!user) {
      // The same work as a real check, so the answer's timing tells nothing.
      await verifyPassword(password, await dummyHash());
      await record('unknown-user');
      throw wrongCredentials();
    }
    if (user.disabledAt) {
      // Only whoever knows the password learns that the account is disabled; a wrong one gets the usual answer.
      const right = await verifyPassword(password, user.passwordHash);
      await record(right ? 'disabled' : 'disabled-wrong-password');
      throw right ? accountDisabled() : wrongCredentials();
    }
    if (user.lockedUntil && user.lockedUntil > now) {
      await record('locked');
      throw new ProblemError(423, 'account-locked', 'Account locked', `too many failed sign-ins; try again after ${user.lockedUntil.toISOString()}`);
    }
    if (!(await verifyPassword(password, user.passwordHash))) {
      const failures = user.failedAttempts + 1;
      const lock = failures >= this.policy.maxFailures;
      await this.database.db
        .update(users)
        .set({ failedAttempts: lock ? 0 : failures, lockedUntil: lock ? new Date(now.getTime() + this.policy.lockoutSeconds * 1000) : user.lockedUntil })
        .where(eq(users.id, user.id));
      await record(lock ? 'wrong-password-locked' : 'wrong-password');
      throw wrongCredentials();
    }
    await this.database.db.update(users).set({ failedAttempts: 0, lockedUntil: null }).where(eq(users.id, user.id));
    await record('signed-in');
    return this.session(user, newId());
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

function publicUser(u: { id: string; username: string; displayName: string; role: string; institutionId: string | null; divisionCode: string | null; disabledAt?: Date | null; createdAt: Date }): PublicUser {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role as Role, institutionId: u.institutionId, divisionCode: u.divisionCode, enabled: !u.disabledAt, createdAt: u.createdAt.toISOString() };
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
