import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
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
  stop(): Promise<void>;
}

/** Start an identity provider on a free local port. */
export async function startIdentityProvider(options: { audience: string }): Promise<IdentityProvider> {
  const published = await generateKeyPair('RS256');
  const unpublished = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(published.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  let fetched = 0;
  const server = createServer((request, response) => {
    if (request.url === '/jwks') {
      fetched += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer: base,
    jwksUrl: `${base}/jwks`,
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
}
