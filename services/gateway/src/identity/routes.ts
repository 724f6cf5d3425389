import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { allow, authenticate, principalOf, ROLES } from '@fbl/auth';
import { DivisionCode, Literals, ShortText, Uuid } from '@fbl/contracts';
import type { OidcSettings } from '@fbl/service-kit';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { Accounts } from './accounts.js';
import type { DemoUser } from './demo-users.js';

const tags = ['auth 登录'];
const BASE = '/api/auth';
const strict = { additionalProperties: false } as const;
const Username = Type.String({ minLength: 3, maxLength: 60, pattern: '^[A-Za-z0-9._-]+$' });
const Password = Type.String({ minLength: 1, maxLength: 200 });
const RefreshBody = Type.Object({ refreshToken: Type.String({ minLength: 20, maxLength: 200 }) }, strict);

/**
 * Sign-in, token refresh and sign-out under `/api/auth`; accounts and the sign-in log for
 * admins; in the embedded mode, the demo accounts for the sign-in page.
 */
export function identityRoutes(accounts: Accounts, options: { authSecret: string; clock: () => Date; oidc?: OidcSettings | undefined; demoUsers?: () => readonly DemoUser[] | undefined }): FastifyPluginAsync {
  return async (fastify) => {
    authenticate(fastify, { secret: options.authSecret, clock: options.clock, oidc: options.oidc });
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      `${BASE}/sign-in`,
      { schema: { tags, summary: 'Sign in with a username and password: a 15-minute access token and a refresh token', body: Type.Object({ username: Username, password: Password }, strict) } },
      async (request) => accounts.signIn(request.body.username, request.body.password, request.ip),
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

    app.get(`${BASE}/users`, { preValidation: allow('admin'), schema: { tags, summary: 'Every account (admin)' } }, async () => accounts.list());

    app.post(
      `${BASE}/users`,
      {
        preValidation: allow('admin'), schema: {
          tags,
          summary: 'Add an account (admin): a role with its institution or division',
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
        const created = await accounts.create({
          username: b.username,
          displayName: b.displayName,
          password: b.password,
          role: b.role,
          ...(b.institutionId ? { institutionId: b.institutionId } : {}),
          ...(b.divisionCode ? { divisionCode: b.divisionCode } : {}),
        });
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
