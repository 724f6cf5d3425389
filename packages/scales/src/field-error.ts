/**
 * A refused input, named by a JSON Pointer (RFC 6901) into the caller's input
 * (`/answers/eating`, `/adjustments/careRiskEventsLast30Days`, `/dailyCost`) and a reason in
 * English fit to show next to that field.
 */
export interface FieldError {
  readonly pointer: string;
  readonly reason: string;
}

/** What every function of this package returns: a result, or every field error found. */
export type Outcome<T> = { readonly ok: true; readonly result: T } | { readonly ok: false; readonly errors: readonly FieldError[] };

/** A JSON Pointer from path segments, escaping `~` and `/` inside a segment (RFC 6901). */
export function jsonPointer(...segments: readonly string[]): string {
  return segments.map((segment) => `/${segment.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** A zh/en pair for a level, band or grade name. */
export interface Label {
  readonly zh: string;
  readonly en: string;
}
