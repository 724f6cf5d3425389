import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ROLES, type TokenKey } from '@fbl/auth';
import { allow, authenticate, principalOf } from '@fbl/auth/fastify';
import { DivisionCode, Literals, ShortText, Uuid } from '@fbl/contracts';
import { dayPeriod, DayPeriodQuery, type OidcSettings } from '@fbl/service-kit';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { Accounts } from './accounts.js';
import type { DemoUser } from './demo-users.js';

const tags = ['auth 登录'];
const BASE = '/api/auth';
const strict = { additionalProperties: false } as const;
const Username = Type.String({ minLength: 3, maxLength: 60, pattern: '^[A-Za-z0-9._-]+$' });
const Password = Type.String({ minLength: 1, maxLength: 200 });
/** An authenticator app's code: 6 digits. */
const Code = Type.String({ pattern: '^[0-9]{6}$' });
const RefreshBody = Type.Object({ refreshToken: Type.String({ minLength: 20, maxLength: 200 }) }, strict);
const ById = Type.Object({ id: Uuid });
const NoBody = Type.Optional(Type.Object({}, strict));
/** Account ids, comma-separated (for naming the people on a list). */
const IdList = Type.String({ pattern: '^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36}){0,199}$', description: 'up to 200 account ids, comma-separated' });

/**
 * Sign-in, token refresh and sign-out under `/api/auth`; accounts and the sign-in log for
 * admins; in the embedded mode, the demo accounts for the sign-in page.
 */
export function identityRoutes(accounts: Accounts, options: { authSecret: TokenKey; clock: () => Date; oidc?: OidcSettings | undefined; demoUsers?: () => readonly DemoUser[] | undefined }): FastifyPluginAsync {
  return async (fastify) => {
    authenticate(fastify, { secret: options.authSecret, clock: options.clock, oidc: options.oidc });
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      `${BASE}/sign-in`,
      {
        schema: {
          tags,
          summary:
            'Sign in with a username and password: a 15-minute access token and a refresh token. An account with a second factor sends its authenticator code (`code`) or a recovery code (`recoveryCode`) too (401 `second-factor-required` asks for it); an account whose role needs one and has none gets a secret to enrol (403 `second-factor-enrolment-required`, `enrolment`) and confirms it with a first `code` (the session then carries `recoveryCodes`, shown once); an expired password is changed with `newPassword` (403 `password-expired` asks for it). A wrong code counts toward the lockout like a wrong password.',
          body: Type.Object({ username: Username, password: Password, code: Type.Optional(Code), recoveryCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })), newPassword: Type.Optional(Password) }, strict),
        },
      },
      async (request) => {
        const b = request.body;
        return accounts.signIn({ username: b.username, password: b.password, ...(b.code !== undefined ? { code: b.code } : {}), ...(b.recoveryCode !== undefined ? { recoveryCode: b.recoveryCode } : {}), ...(b.newPassword !== undefined ? { newPassword: b.newPassword } : {}), address: request.ip });
      },
    );

    app.get(`${BASE}/second-factor`, { preValidation: allow(...ROLES), schema: { tags, summary: "The signed-in account's second factor: enrolled or not, required by its role or not, recovery codes left" } }, async (request) => accounts.secondFactorOf(principalOf(request)));

    app.post(
      `${BASE}/second-factor/offer`,
      { preValidation: allow(...ROLES), schema: { tags, summary: 'A secret to enrol a second factor (TOTP, RFC 6238) for the signed-in account: as base32 text and an otpauth:// URI (409 when it has one)', body: NoBody } },
      async (request) => accounts.offerSecondFactor(principalOf(request)),
    );

    app.post(
      `${BASE}/second-factor/confirm`,
      { preValidation: allow(...ROLES), schema: { tags, summary: "Confirm the signed-in account's enrolment with the app's first code: its recovery codes, shown once; recorded in the admin audit", body: Type.Object({ code: Code }, strict) } },
      async (request) => accounts.confirmSecondFactor(principalOf(request), request.body.code),
    );

    app.post(
      `${BASE}/password`,
      {
        preValidation: allow(...ROLES),
        schema: { tags, summary: 'Change one\'s own password: the current one (a wrong one counts toward the lockout), the new one by the rules and the history; recorded in the admin audit (never a password)', body: Type.Object({ currentPassword: Password, newPassword: Password }, strict) },
      },
      async (request) => accounts.changeOwnPassword(principalOf(request), request.body.currentPassword, request.body.newPassword),
    );

    app.post(
      `${BASE}/users/:id/second-factor/reset`,
      { preValidation: allow('admin'), schema: { tags, summary: "Remove an account's second factor (admin; not one's own): its secret and recovery codes go and its sessions end; it enrols again; recorded in the admin audit", params: ById, body: NoBody } },
      async (request) => accounts.resetSecondFactor(request.params.id, principalOf(request)),
    );

    app.post(`${BASE}/refresh`, { schema: { tags, summary: 'A new session for a refresh token (the old one is spent)', body: RefreshBody } }, async (request) => accounts.refresh(request.body.refreshToken));

    app.post(`${BASE}/sign-out`, { schema: { tags, summary: 'End the session of a refresh token', body: RefreshBody } }, async (request, reply) => {
      await accounts.signOut(request.body.refreshToken);
      return reply.status(204).send();
    });

    app.get(`${BASE}/me`, { preValidation: allow(...ROLES), schema: { tags, summary: 'Who the token belongs to' } }, async (request) => principalOf(request));

    app.get(`${BASE}/demo-users`, { schema: { tags, summary: 'Demo accounts of every role (embedded mode with demo data only), for the sign-in page' } }, async () => {
      const demo = options.demoUsers?.();
      return { demo: demo !== undefined, users: (demo ?? []).map((u) => ({ username: u.username, password: u.password, displayName: u.displayName, role: u.role })) };
    });

    app.get(`${BASE}/colleagues`, { preValidation: allow('provider'), schema: { tags, summary: "The enabled accounts of the signed-in provider's own institution (id and display name), to name a plan's responsible worker" } }, async (request) => {
      const who = principalOf(request);
      if (!who.institutionId) return [];
      const page = await accounts.search({ institutionId: who.institutionId, status: 'enabled', limit: 500, offset: 0 });
      return page.items.map((u) => ({ id: u.id, displayName: u.displayName }));
    });

    app.get(
      `${BASE}/users`,
      {
        preValidation: allow('admin'),
        schema: {
          tags,
          summary: 'Accounts by user name (admin): `q` finds a part of the user or display name; by `role`, `status` (enabled, disabled), `institutionId`, `ids`; `limit` and `offset` page it, `X-Total-Count` says how many there are',
          querystring: Type.Object(
            {
              q: Type.Optional(ShortText(100)),
              role: Type.Optional(Literals(ROLES)),
              status: Type.Optional(Literals(['enabled', 'disabled'] as const)),
              institutionId: Type.Optional(Uuid),
              ids: Type.Optional(IdList),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
              offset: Type.Optional(Type.Integer({ minimum: 0 })),
            },
            strict,
          ),
        },
      },
      async (request, reply) => {
        const q = request.query;
        const page = await accounts.search({
          ...(q.q ? { q: q.q } : {}),
          ...(q.role ? { role: q.role } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.institutionId ? { institutionId: q.institutionId } : {}),
          ...(q.ids ? { ids: q.ids.toLowerCase().split(',') } : {}),
          limit: q.limit ?? 100,
          offset: q.offset ?? 0,
        });
        void reply.header('x-total-count', String(page.total));
        return page.items;
      },
    );

    app.get(`${BASE}/users/:id`, { preValidation: allow('admin'), schema: { tags, summary: 'One account (admin)', params: ById } }, async (request) => accounts.get(request.params.id));

    app.patch(
      `${BASE}/users/:id`,
      {
        preValidation: allow('admin'),
        schema: {
          tags,
          summary: "Change an account's display name, role, institution or division (admin); the scope follows the role; not one's own role; recorded in the admin audit",
          params: ById,
          body: Type.Object({ displayName: Type.Optional(ShortText(100)), role: Type.Optional(Literals(ROLES)), institutionId: Type.Optional(Uuid), divisionCode: Type.Optional(DivisionCode) }, { ...strict, minProperties: 1 }),
        },
      },
      async (request) => {
        const b = request.body;
        return accounts.change(
          request.params.id,
          { ...(b.displayName ? { displayName: b.displayName } : {}), ...(b.role ? { role: b.role } : {}), ...(b.institutionId ? { institutionId: b.institutionId } : {}), ...(b.divisionCode ? { divisionCode: b.divisionCode } : {}) },
          principalOf(request),
        );
      },
    );

    app.post(
      `${BASE}/users/:id/disable`,
      { preValidation: allow('admin'), schema: { tags, summary: 'Disable an account (admin): it cannot sign in and its sessions end now; not one\'s own; recorded in the admin audit', params: ById, body: NoBody } },
      async (request) => accounts.disable(request.params.id, principalOf(request)),
    );

    app.post(
      `${BASE}/users/:id/enable`,
      { preValidation: allow('admin'), schema: { tags, summary: 'Enable a disabled account again (admin); recorded in the admin audit', params: ById, body: NoBody } },
      async (request) => accounts.enable(request.params.id, principalOf(request)),
    );

    app.post(
      `${BASE}/users/:id/password`,
      {
        preValidation: allow('admin'),
        schema: { tags, summary: "Set a new temporary password (admin), by the rules for new passwords: the account's lockout and sessions end; recorded in the admin audit (never the password)", params: ById, body: Type.Object({ password: Password }, strict) },
      },
      async (request) => accounts.resetPassword(request.params.id, request.body.password, principalOf(request)),
    );

    app.get(
      `${BASE}/audit`,
      {
        preValidation: allow('admin'),
        schema: {
          tags,
          summary: 'The admin audit (append-only), newest first: accounts created, changed, disabled, enabled, passwords reset; by account changed (`objectId`), by admin (`actor`), within days `from`–`to` (China time)',
          querystring: Type.Object({ objectId: Type.Optional(ShortText(100)), actor: Type.Optional(ShortText(200)), ...DayPeriodQuery, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }, strict),
        },
      },
      async (request) => {
        const q = request.query;
        return accounts.auditTrail({ ...(q.objectId ? { objectId: q.objectId } : {}), ...(q.actor ? { actor: q.actor } : {}), ...dayPeriod(q), limit: q.limit ?? 100 });
      },
    );

    app.post(
      `${BASE}/users`,
      {
        preValidation: allow('admin'), schema: {
          tags,
          summary: 'Add an account (admin): a role with its institution or division; recorded in the admin audit',
          body: Type.Object(
            {
              username: Username,
              displayName: ShortText(100),
              password: Password,
              role: Literals(ROLES),
              institutionId: Type.Optional(Uuid),
              divisionCode: Type.Optional(DivisionCode),
            },
            strict,
          ),
        },
      },
      async (request, reply) => {
        const b = request.body;
        const created = await accounts.create(
          {
            username: b.username,
            displayName: b.displayName,
            password: b.password,
            role: b.role,
            ...(b.institutionId ? { institutionId: b.institutionId } : {}),
            ...(b.divisionCode ? { divisionCode: b.divisionCode } : {}),
          },
          principalOf(request),
        );
        return reply.status(201).send(created);
      },
    );

    app.get(
      `${BASE}/sign-ins`,
      {
        preValidation: allow('admin'), schema: {
          tags,
          summary: 'Sign-in attempts, newest first (admin)',
          querystring: Type.Object({ username: Type.Optional(Username), since: Type.Optional(Type.String({ format: 'date-time' })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, strict),
        },
      },
      async (request) => {
        const q = request.query;
        return accounts.signInLog({ ...(q.username ? { username: q.username } : {}), ...(q.since ? { since: new Date(q.since) } : {}), limit: q.limit ?? 100 });
      },
    );
  };
}
