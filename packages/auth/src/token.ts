import { createHmac, timingSafeEqual } from 'node:crypto';
import { ROLES, type Principal, type Role } from './roles.js';
import { publicKeyHex, sm2Sign, sm2Verify, type Sm2KeyPair, type Sm2Point } from './sm2.js';

/**
 * The JWS `alg` of tokens signed with SM2 (GB/T 32918.2) over SM3: not registered with IANA, the
 * name several Chinese JOSE implementations use. The signature is r ‖ s, 64 bytes, base64url.
 */
export const SM2_TOKEN_ALG = 'SM2-SM3';

/** The SM2 key of a deployment under `CRYPTO_SUITE=sm`: the public key verifies, the private key (the gateway's only) signs. */
export interface Sm2TokenKey {
  readonly alg: typeof SM2_TOKEN_ALG;
  readonly publicKey: Sm2Point;
  readonly privateKey?: bigint;
}

/**
 * What tokens are signed and verified with: a shared secret (HS256, the `standard` suite), or an
 * SM2 key (`SM2-SM3`, the `sm` suite). A verifier accepts only tokens of its own algorithm.
 */
export type TokenKey = string | Sm2TokenKey;

/** A token key of an SM2 key pair (signs and verifies) or of a public key alone (verifies). */
export function sm2TokenKey(key: Sm2KeyPair | Sm2Point): Sm2TokenKey {
  return 'privateKey' in key ? Object.freeze({ alg: SM2_TOKEN_ALG, publicKey: key.publicKey, privateKey: key.privateKey }) : Object.freeze({ alg: SM2_TOKEN_ALG, publicKey: key });
}

/** The JWS algorithm a key signs and verifies: HS256 or SM2-SM3. */
export const tokenAlgorithm = (key: TokenKey): 'HS256' | typeof SM2_TOKEN_ALG => (typeof key === 'string' ? 'HS256' : SM2_TOKEN_ALG);

/** A text naming a key for a cache of verified tokens: equal for keys that verify the same tokens. */
export const tokenKeyIdentity = (key: TokenKey): string => (typeof key === 'string' ? `HS256:${key}` : `${SM2_TOKEN_ALG}:${publicKeyHex(key.publicKey)}`);

function signatureOf(input: string, key: TokenKey): Buffer {
  if (typeof key === 'string') return createHmac('sha256', key).update(input).digest();
  if (key.privateKey === undefined) throw new Error('signing a token needs the SM2 private key (AUTH_SM2_PRIVATE_KEY)');
  return sm2Sign(Buffer.from(input, 'ascii'), { privateKey: key.privateKey, publicKey: key.publicKey });
}

function signatureHolds(input: string, given: Buffer, key: TokenKey): boolean {
  if (typeof key !== 'string') return sm2Verify(Buffer.from(input, 'ascii'), given, key.publicKey);
  const expected = createHmac('sha256', key).update(input).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

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
 * Sign a short-lived token for a principal (JWT): HS256 with a shared secret, or SM2-SM3 with an
 * SM2 private key. Every service verifies it with the same secret, or the public key, from
 * configuration; the gateway issues it at sign-in.
 */
export function signToken(principal: Principal, secret: TokenKey, options: { now: Date; ttlSeconds: number }): string {
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
  const body = `${b64url(JSON.stringify({ alg: tokenAlgorithm(secret), typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${body}.${signatureOf(body, secret).toString('base64url')}`;
}

/** Why a token was refused. */
/** `unavailable`: the external identity provider's keys could not be fetched (not the token's fault). */
export type TokenProblem = 'malformed' | 'bad-signature' | 'expired' | 'bad-claims' | 'unavailable';

/** Verify a token's signature, expiry and claims. */
export function verifyToken(token: string, secret: TokenKey, now: Date): { ok: true; principal: Principal } | { ok: false; problem: TokenProblem } {
  const checked = checkToken(token, secret, now);
  return checked.ok ? { ok: true, principal: checked.principal } : checked;
}

/** `verifyToken`, also saying until when the token is valid (ms since the epoch), for a cache of verified tokens. */
export function checkToken(token: string, secret: TokenKey, now: Date): { ok: true; principal: Principal; expiresAtMs: number } | { ok: false; problem: TokenProblem } {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, problem: 'malformed' };
  const [header, payload, signature] = parts as [string, string, string];
  // The key decides the algorithm, never the token: a token of the other suite is refused.
  if (headerAlgorithm(header) !== tokenAlgorithm(secret)) return { ok: false, problem: 'bad-signature' };
  if (!signatureHolds(`${header}.${payload}`, Buffer.from(signature, 'base64url'), secret)) return { ok: false, problem: 'bad-signature' };
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

function headerAlgorithm(header: string): unknown {
  try {
    return (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown } | null)?.alg;
  } catch {
    return undefined;
  }
}

/** The token secret from the environment (AUTH_SECRET), if set. */
export function authSecretFromEnv(env: Record<string, string | undefined>): string | undefined {
  const secret = env['AUTH_SECRET'];
  return secret && secret.trim() !== '' ? secret : undefined;
}

/** Whether a token key can sign (a secret, or an SM2 key with its private part). */
export const canSign = (key: TokenKey): boolean => typeof key === 'string' || key.privateKey !== undefined;
