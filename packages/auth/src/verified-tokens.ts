import type { Principal } from './roles.js';

interface Entry {
  /** The key the token was verified with, by `tokenKeyIdentity`. */
  secret: string;
  principal: Readonly<Principal>;
  expiresAtMs: number;
}

/**
 * Tokens already verified, by their whole text (signature included), with the principal they
 * carry and until when they are valid: the HMAC and the parsing are done once per token instead
 * of once per request. An entry is used only with the key it was verified with (the
 * secret, or the SM2 public key, by `tokenKeyIdentity`) and only
 * before the token's own expiry, so the cache never accepts a token that verification would
 * refuse; nothing else about a token can change (access tokens are not revoked one by one: a
 * disabled account's sessions end at their next refresh, as without the cache). Bounded: the
 * least recently used token goes first.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly capacity = 10_000) {}

  /** How many tokens are held. */
  get size(): number {
    return this.entries.size;
  }

  /** The principal of `token` when it was verified with `secret` and is still valid at `nowMs`. */
  get(token: string, secret: string, nowMs: number): Readonly<Principal> | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.secret !== secret) return undefined;
    this.entries.delete(token);
    if (entry.expiresAtMs <= nowMs) return undefined;
    this.entries.set(token, entry);
    return entry.principal;
  }

  /** Remember a verified token; the principal is frozen, as every request of the token shares it. */
  set(token: string, secret: string, principal: Principal, expiresAtMs: number): Readonly<Principal> {
    const frozen = Object.freeze({ ...principal });
    this.entries.delete(token);
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { secret, principal: frozen, expiresAtMs });
    return frozen;
  }
}
