import type { TokenKey } from '@fbl/auth';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { principalFromHeader } from '@fbl/auth/fastify';
import { ProblemError, type OidcSettings } from '@fbl/service-kit';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';

/** Where the web UI sends people to sign in at the external provider (authorization code with PKCE), and where the code is exchanged. */
export interface OidcLogin {
  clientId: string;
  authorizeUrl: string;
  tokenUrl: string;
}

const tags = ['auth 登录'];
const strict = { additionalProperties: false } as const;
const Code = Type.String({ minLength: 1, maxLength: 2000 });

/**
 * Sign-in through the city's identity provider for the web UI: the page redirects to the
 * provider with a PKCE challenge; the code that comes back is exchanged here, server to server
 * (the page's content security policy keeps it talking to its own origin only). The provider's
 * access token is checked like any other before the session is handed to the page; the services
 * accept it as they do the gateway's own. Refresh goes the same way.
 */
export function oidcLoginRoutes(options: { login?: OidcLogin | undefined; oidc?: OidcSettings | undefined; authSecret: TokenKey; clock: () => Date }): FastifyPluginAsync {
  const { login, oidc } = options;
  const configured = login && oidc ? { login, oidc } : undefined;

  /** Ask the provider's token endpoint; a refusal is a failed sign-in, not a server error. */
  const exchange = async (form: Record<string, string>) => {
    if (!configured) throw new ProblemError(404, 'not-configured', 'Not configured', 'no external identity provider is configured');
    let answer: Response;
    try {
      answer = await fetch(configured.login.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ ...form, client_id: configured.login.clientId }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw new ProblemError(503, 'identity-provider-unavailable', 'Try again shortly', 'the identity provider could not be reached');
    }
    if (!answer.ok) throw new ProblemError(401, 'sign-in-failed', 'Sign-in failed', 'the identity provider refused the code');
    const tokens = (await answer.json()) as { access_token?: unknown; refresh_token?: unknown };
    if (typeof tokens.access_token !== 'string') throw new ProblemError(401, 'sign-in-failed', 'Sign-in failed', 'the identity provider gave no access token');
    const principal = await principalFromHeader(`Bearer ${tokens.access_token}`, { secret: options.authSecret, oidc: configured.oidc, now: options.clock() });
    if (!principal) throw new ProblemError(401, 'sign-in-failed', 'Sign-in failed', 'no principal in the token');
    const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { name?: unknown; preferred_username?: unknown };
    const displayName = typeof claims.name === 'string' ? claims.name : typeof claims.preferred_username === 'string' ? claims.preferred_username : principal.userId;
    return {
      accessToken: tokens.access_token,
      refreshToken: typeof tokens.refresh_token === 'string' ? tokens.refresh_token : '',
      provider: 'oidc' as const,
      user: { id: principal.userId, username: principal.userId, displayName, role: principal.role, institutionId: principal.institutionId ?? null, divisionCode: principal.divisionCode ?? null },
    };
  };

  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/api/auth/oidc', { schema: { tags, summary: "The external identity provider's sign-in, for the web UI (authorization code with PKCE)" } }, async () =>
      configured ? { enabled: true, authorizeUrl: configured.login.authorizeUrl, clientId: configured.login.clientId, scope: 'openid' } : { enabled: false },
    );
    app.post(
      '/api/auth/oidc/token',
      { schema: { tags, summary: "Exchange the provider's code (with the PKCE verifier) for a session", body: Type.Object({ code: Code, codeVerifier: Type.String({ minLength: 43, maxLength: 128 }), redirectUri: Type.String({ pattern: '^https?://', maxLength: 500 }) }, strict) } },
      async (request) => exchange({ grant_type: 'authorization_code', code: request.body.code, code_verifier: request.body.codeVerifier, redirect_uri: request.body.redirectUri }),
    );
    app.post(
      '/api/auth/oidc/refresh',
      { schema: { tags, summary: "A new session for the provider's refresh token", body: Type.Object({ refreshToken: Code }, strict) } },
      async (request) => exchange({ grant_type: 'refresh_token', refresh_token: request.body.refreshToken }),
    );
  };
}
