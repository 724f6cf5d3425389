import { ROLES, signToken, type Principal, type Role } from '@fbl/auth';
import { newId } from '@fbl/contracts';
import type { Database } from '@fbl/db';
import { invalidField, ProblemError } from '@fbl/service-kit';
import { and, desc, eq, gte, isNull, sql } from 'drizzle-orm';
import { createHash, randomBytes } from 'node:crypto';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { refreshTokens, signIns, users } from './schema.js';

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
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
/** One refusal for every wrong name or password, so names cannot be probed. */
const wrongCredentials = () => new ProblemError(401, 'sign-in-failed', 'Wrong username or password', 'the username or the password is wrong');

/**
 * Accounts and sessions of the people who use the system: sign-in with a scrypt-hashed
 * password, lockout after repeated failures, short access tokens with rotating refresh tokens.
 */
export class Accounts {
  constructor(
    private readonly database: Database,
    private readonly authSecret: string,
    private readonly clock: () => Date,
    readonly policy: SignInPolicy = DEFAULT_SIGN_IN_POLICY,
  ) {}

  /** Add an account; the scope must fit the role (a hospital or institution, or a division). */
  async create(input: NewUser): Promise<PublicUser> {
    const weak = passwordProblem(input.password);
    if (weak) throw invalidField('password', `the password needs ${weak}`);
    if (!ROLES.includes(input.role)) throw invalidField('role', `one of ${ROLES.join(', ')}`);
    if ((input.role === 'planner' || input.role === 'provider') && !input.institutionId) throw invalidField('institutionId', `a ${input.role} works for an institution`);
    if ((input.role === 'assessor' || input.role === 'insurer' || input.role === 'analyst') && !input.divisionCode) throw invalidField('divisionCode', `an ${input.role} works for a division`);
    const row = {
      id: newId(),
      username: input.username.trim().toLowerCase(),
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      institutionId: input.institutionId ?? null,
      divisionCode: input.divisionCode ?? null,
      createdAt: this.clock(),
    };
    const inserted = await this.database.db.insert(users).values(row).onConflictDoNothing().returning({ id: users.id });
    if (inserted.length === 0) throw new ProblemError(409, 'username-taken', 'Username taken', `the username ${row.username} is in use`, [{ field: 'username', pointer: '/username', in: 'body', reason: 'already in use' }]);
    return publicUser(row);
  }

  /** Whether any account exists (an empty deployment gets its first admin from configuration). */
  async any(): Promise<boolean> {
    return (await this.database.db.select({ id: users.id }).from(users).limit(1)).length > 0;
  }

  async list(): Promise<PublicUser[]> {
    return (await this.database.db.select().from(users).orderBy(users.username)).map(publicUser);
  }

  /** Check a username and password; a locked account is refused even with the right password. */
  async signIn(username: string, password: string, address?: string): Promise<Session> {
    const name = username.trim().toLowerCase();
    const now = this.clock();
    const [user] = await this.database.db.select().from(users).where(eq(users.username, name));
    const record = (outcome: string) => this.database.db.insert(signIns).values({ id: newId(), username: name, userId: user?.id ?? null, outcome, address: address ?? null, at: now });
    if (!user || user.disabledAt) {
      // The same work as a real check, so the answer's timing tells nothing.
      await verifyPassword(password, await dummyHash());
      await record('unknown-user');
      throw wrongCredentials();
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

function publicUser(u: { id: string; username: string; displayName: string; role: string; institutionId: string | null; divisionCode: string | null }): PublicUser {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role as Role, institutionId: u.institutionId, divisionCode: u.divisionCode };
}

let dummy: Promise<string> | undefined;
/** A hash to check unknown users' passwords against. */
const dummyHash = () => (dummy ??= hashPassword(randomBytes(16).toString('hex')));
