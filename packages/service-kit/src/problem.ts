import type { Refusal, RefusedField } from '@fbl/contracts';

export { conflict, fieldOf, invalidField, invalidInput, notFound, outOfScope, problemFields, Refusal } from '@fbl/contracts';

/** A field named in a problem: where it is (`body`, `query`, `params`), its path, and why it was refused. */
export type ProblemField = RefusedField;

/** An RFC 9457 problem details body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: ProblemField[];
}

/** The problem type URI for a slug (relative, resolved against the API's own origin). */
export function problemType(slug: string): string {
  return `/problems/${slug}`;
}

/**
 * An error that becomes a problem+json response. Thrown by routes and use cases for outcomes
 * the caller can act on (bad input, not found, conflict, forbidden).
 */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: ProblemField[],
    /** Sent as `Retry-After` (seconds): when to try again, for a 503 say. */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail ?? title);
  }

  toProblem(instance?: string): Problem {
    return {
      type: problemType(this.slug),
      title: this.title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(instance ? { instance } : {}),
      ...(this.errors?.length ? { errors: this.errors } : {}),
    };
  }
}

/** Codes of failures to reach PostgreSQL: the driver's own, the socket's, and SQLSTATE class 08 and 57P0x. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', '57P01', '57P02', '57P03', '53300']);

/** Whether an error (or one it wraps, as the query builder does) says the database could not be reached. */
export function databaseUnreachable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNREACHABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  }
  return false;
}

/** 503: the service cannot reach its database just now; it recovers by itself when the database returns. */
export function databaseUnavailable(): ProblemError {
  return new ProblemError(503, 'database-unavailable', 'Temporarily unavailable', 'the service cannot reach its database just now; try again shortly', undefined, 5);
}


const STATUS: Record<Refusal['kind'], number> = { invalid: 400, forbidden: 403, 'not-found': 404, conflict: 409, 'too-large': 413, unavailable: 503 };

/** The HTTP answer to a domain refusal: its kind's status, its code as the problem type, its fields and members. */
export function problemOf(refusal: Refusal): ProblemError {
  return new RefusalProblem(refusal);
}

class RefusalProblem extends ProblemError {
  constructor(readonly refusal: Refusal) {
    super(STATUS[refusal.kind], refusal.code, refusal.title, refusal.detail, refusal.fields, refusal.retryAfterSeconds);
  }

  override toProblem(instance?: string): Problem {
    return Object.assign(super.toProblem(instance), this.refusal.members);
  }
}
