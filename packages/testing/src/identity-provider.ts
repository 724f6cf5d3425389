import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stand-in for a city's OpenID Connect provider: it publishes its keys (JWKS) over HTTP and signs access tokens. */
export interface IdentityProvider {
  issuer: string;
  jwksUrl: string;
  /** Sign an access token (RS256, the published key) with these claims; `key: 'unpublished'` signs with a key the JWKS does not hold. */
  sign(claims: Record<string, unknown>, options?: { audience?: string; issuer?: string; expiresInSeconds?: number | null; issuedAt?: Date; key?: 'published' | 'unpublished' }): Promise<string>;
  /** How many times the JWKS was fetched. */
  jwksRequests(): number;
  /** Who signs in at the provider's page next (authorization code flow): the claims of their access token. */
  signInNext(claims: Record<string, unknown>): void;
  /** The addresses of the provider's sign-in page and token endpoint. */
  authorizeUrl: string;
  tokenUrl: string;
  /** Codes exchanged, and refused exchanges (a wrong PKCE verifier, a reused code). */
  exchanges(): { granted: number; refused: number };
  stop(): Promise<void>;
}

/** Start an identity provider on a free local port. */
export async function startIdentityProvider(options: { audience: string }): Promise<IdentityProvider> {
  const published = await generateKeyPair('RS256');
  const unpublished = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(published.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  let fetched = 0;
  let next: Record<string, unknown> | undefined;
  const codes = new Map<string, { claims: Record<string, unknown>; challenge: string; redirectUri: string; clientId: string }>();
  const refreshes = new Map<string, Record<string, unknown>>();
  const counts = { granted: 0, refused: 0 };
  let signer: (claims: Record<string, unknown>) => Promise<string> = async () => '';
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://idp');
    if (url.pathname === '/authorize') {
      // The provider's page, signed in at once as the user set with signInNext.
      const challenge = url.searchParams.get('code_challenge');
      const redirectUri = url.searchParams.get('redirect_uri');
      if (!next || !challenge || url.searchParams.get('code_challenge_method') !== 'S256' || !redirectUri) {
        response.writeHead(400).end('bad authorization request');
        return;
      }
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { claims: next, challenge, redirectUri, clientId: url.searchParams.get('client_id') ?? '' });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      response.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/token' && request.method === 'POST') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const form = new URLSearchParams(body);
        const refuse = () => {
          counts.refused += 1;
          response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant' }));
        };
        let claims: Record<string, unknown> | undefined;
        if (form.get('grant_type') === 'authorization_code') {
          const pending = codes.get(form.get('code') ?? '');
          codes.delete(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          const matches = pending && createHash('sha256').update(verifier).digest('base64url') === pending.challenge && form.get('redirect_uri') === pending.redirectUri && form.get('client_id') === pending.clientId;
          claims = matches ? pending.claims : undefined;
        } else if (form.get('grant_type') === 'refresh_token') {
          claims = refreshes.get(form.get('refresh_token') ?? '');
        }
        if (!claims) return refuse();
        const found = claims;
        counts.granted += 1;
        const refreshToken = randomBytes(24).toString('base64url');
        refreshes.set(refreshToken, found);
        void signer(found).then((accessToken) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: 600, refresh_token: refreshToken })));
      });
      return;
    }
    if (url.pathname === '/jwks') {
      fetched += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider: IdentityProvider = {
    issuer: base,
    jwksUrl: `${base}/jwks`,
    authorizeUrl: `${base}/authorize`,
    tokenUrl: `${base}/token`,
    signInNext: (claims) => {
      next = claims;
    },
    exchanges: () => ({ ...counts }),
    async sign(claims, o = {}) {
      const issuedAt = o.issuedAt ?? new Date();
      const key = o.key === 'unpublished' ? unpublished.privateKey : published.privateKey;
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
        .setIssuer(o.issuer ?? base)
        .setAudience(o.audience ?? options.audience)
        .setIssuedAt(Math.floor(issuedAt.getTime() / 1000));
      // `expiresInSeconds: null` leaves the expiry out.
      if (o.expiresInSeconds !== null) jwt.setExpirationTime(Math.floor(issuedAt.getTime() / 1000) + (o.expiresInSeconds ?? 600));
      return jwt.sign(key);
    },
    jwksRequests: () => fetched,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
  signer = (claims) => provider.sign(claims);
  return provider;
}
