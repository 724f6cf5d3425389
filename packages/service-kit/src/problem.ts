import type { FieldError } from '@fbl/contracts';

/** A field named in a problem: where it is (`body`, `query`, `params`), its path, and why it was refused. */
export interface ProblemField {
  /** Dotted path of the field, e.g. `beds.0.ward`. */
  field: string;
  /** JSON pointer of the field within its part of the request. */
  pointer: string;
  in: 'body' | 'query' | 'params' | 'headers';
  reason: string;
}

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

/** The dotted field name of a JSON pointer. */
export function fieldOf(pointer: string): string {
  return pointer.replace(/^\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
}

/** Field errors of a checker as problem fields. */
export function problemFields(errors: FieldError[], where: ProblemField['in'] = 'body'): ProblemField[] {
  return errors.map((e) => ({ field: fieldOf(e.pointer), pointer: e.pointer, in: where, reason: e.reason }));
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

/** 400: the named fields are wrong. */
export function invalidInput(errors: ProblemField[], detail?: string): ProblemError {
  const summary = detail ?? errors.map((e) => `${e.field || e.in}: ${e.reason}`).join('; ');
  return new ProblemError(400, 'validation-error', 'The request is not valid', summary, errors);
}

/** 400 for one field of the body. */
export function invalidField(field: string, reason: string, where: ProblemField['in'] = 'body'): ProblemError {
  const pointer = `/${field.split('.').join('/')}`;
  return invalidInput([{ field, pointer, in: where, reason }]);
}

/** 404. */
export function notFound(what: string): ProblemError {
  return new ProblemError(404, 'not-found', 'Not found', `${what} does not exist or is not visible to you`);
}

/** 409. */
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

/** 403: the record exists but lies outside the caller's scope (another institution's, another division's). */
export function outOfScope(what: string): ProblemError {
  return new ProblemError(403, 'forbidden', 'Not allowed', `this ${what} is outside this account's scope`);
}

export function conflict(detail: string): ProblemError {
  return new ProblemError(409, 'conflict', 'Conflict with the current state', detail);
}
