import type { FieldError } from './validation.js';

/**
 * Why the domain says no to a command, in the domain's terms. The HTTP edge answers each kind
 * with its status as RFC 9457 problem+json; a message handler's refusal sends the message to the
 * dead-letter topic with the detail as the reason. Application code throws refusals and never an
 * HTTP status.
 */
export type RefusalKind = 'invalid' | 'forbidden' | 'not-found' | 'conflict' | 'too-large' | 'unavailable';

/** An input named in a refusal: where it came in, its dotted path, and why it was refused. */
export interface RefusedField {
  /** Dotted path of the field, e.g. `beds.0.ward`. */
  field: string;
  /** JSON pointer of the field within its part of the input. */
  pointer: string;
  in: 'body' | 'query' | 'params' | 'headers';
  reason: string;
}

export interface RefusalOptions {
  /** A code of its own the caller can act on (e.g. `elder-in-bed`); the kind's when absent. */
  code?: string;
  /** A short English title; the kind's when absent. */
  title?: string;
  fields?: RefusedField[];
  /** Members a client reads beside the detail (the day an elder may apply again, say). */
  members?: Record<string, string>;
  /** When to try again, in seconds (for `unavailable`). */
  retryAfterSeconds?: number;
}

/** A refused command: what kind of no, and why. */
export class Refusal extends Error {
  override readonly name = 'Refusal';
  readonly code: string;
  readonly title: string;
  readonly fields: RefusedField[];
  readonly members: Record<string, string>;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly kind: RefusalKind,
    readonly detail: string,
    options: RefusalOptions = {},
  ) {
    super(detail);
    this.code = options.code ?? DEFAULT_CODE[kind];
    this.title = options.title ?? DEFAULT_TITLE[kind];
    this.fields = options.fields ?? [];
    this.members = options.members ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

const DEFAULT_CODE: Record<RefusalKind, string> = {
  invalid: 'validation-error',
  forbidden: 'forbidden',
  'not-found': 'not-found',
  conflict: 'conflict',
  'too-large': 'too-large',
  unavailable: 'unavailable',
};

const DEFAULT_TITLE: Record<RefusalKind, string> = {
  invalid: 'The request is not valid',
  forbidden: 'Not allowed',
  'not-found': 'Not found',
  conflict: 'Conflict with the current state',
  'too-large': 'Too large',
  unavailable: 'Temporarily unavailable',
};

/** The dotted field name of a JSON pointer. */
export function fieldOf(pointer: string): string {
  return pointer.replace(/^\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
}

/** Field errors of a checker as refused fields. */
export function problemFields(errors: FieldError[], where: RefusedField['in'] = 'body'): RefusedField[] {
  return errors.map((e) => ({ field: fieldOf(e.pointer), pointer: e.pointer, in: where, reason: e.reason }));
}

/** The named inputs are wrong. */
export function invalidInput(fields: RefusedField[], detail?: string): Refusal {
  const summary = detail ?? fields.map((e) => `${e.field || e.in}: ${e.reason}`).join('; ');
  return new Refusal('invalid', summary, { fields });
}

/** One input field is wrong. */
export function invalidField(field: string, reason: string, where: RefusedField['in'] = 'body'): Refusal {
  const pointer = `/${field.split('.').join('/')}`;
  return invalidInput([{ field, pointer, in: where, reason }]);
}

/** The record does not exist, or the caller may not know it does. */
export function notFound(what: string): Refusal {
  return new Refusal('not-found', `${what} does not exist or is not visible to you`);
}

/** The record exists but lies outside the caller's scope (another institution's, another division's). */
export function outOfScope(what: string): Refusal {
  return new Refusal('forbidden', `this ${what} is outside this account's scope`);
}

/** The record's current state does not allow the command. */
export function conflict(detail: string): Refusal {
  return new Refusal('conflict', detail);
}
