import { createHmac, timingSafeEqual } from 'node:crypto';
import { ROLES, type Principal, type Role } from './roles.js';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

interface Claims {
  sub: string;
  role: Role;
  inst?: string;
  div?: string;
  name?: string;
  iat: number;
  exp: number;
}

/**
 * Sign a short-lived token for a principal (JWT, HS256). Every service verifies it with the same
 * secret from configuration; the gateway issues it at sign-in.
 */
export function signToken(principal: Principal, secret: string, options: { now: Date; ttlSeconds: number }): string {
  const iat = Math.floor(options.now.getTime() / 1000);
  const claims: Claims = {
    sub: principal.userId,
    role: principal.role,
    ...(principal.institutionId ? { inst: principal.institutionId } : {}),
    ...(principal.divisionCode ? { div: principal.divisionCode } : {}),
    ...(principal.name ? { name: principal.name } : {}),
    iat,
    exp: iat + options.ttlSeconds,
  };
  const body = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** Why a token was refused. */
/** `unavailable`: the external identity provider's keys could not be fetched (not the token's fault). */
export type TokenProblem = 'malformed' | 'bad-signature' | 'expired' | 'bad-claims' | 'unavailable';

/** Verify a token's signature, expiry and claims. */
export function verifyToken(token: string, secret: string, now: Date): { ok: true; principal: Principal } | { ok: false; problem: TokenProblem } {
  const checked = checkToken(token, secret, now);
  return checked.ok ? { ok: true, principal: checked.principal } : checked;
}

/** `verifyToken`, also saying until when the token is valid (ms since the epoch), for a cache of verified tokens. */
export function checkToken(token: string, secret: string, now: Date): { ok: true; principal: Principal; expiresAtMs: number } | { ok: false; problem: TokenProblem } {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, problem: 'malformed' };
  const [header, payload, signature] = parts as [string, string, string];
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: 'bad-signature' };
  let claims: Partial<Claims>;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Claims>;
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime()) return { ok: false, problem: 'expired' };
  if (typeof claims.sub !== 'string' || !ROLES.includes(claims.role as Role)) return { ok: false, problem: 'bad-claims' };
  return {
    ok: true,
    expiresAtMs: claims.exp * 1000,
    principal: {
      userId: claims.sub,
      role: claims.role as Role,
      ...(claims.inst ? { institutionId: claims.inst } : {}),
      ...(claims.div ? { divisionCode: claims.div } : {}),
      ...(typeof claims.name === 'string' && claims.name.length <= 100 ? { name: claims.name } : {}),
    },
  };
}

/** The token secret from the environment (AUTH_SECRET), if set. */
export function authSecretFromEnv(env: Record<string, string | undefined>): string | undefined {
  const secret = env['AUTH_SECRET'];
  return secret && secret.trim() !== '' ? secret : undefined;
}
