import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

/** One reason a value was refused, named by JSON pointer into the value. */
export interface FieldError {
  /** JSON pointer to the offending field ('' is the whole value). */
  pointer: string;
  /** Why it was refused. */
  reason: string;
}

/** A compiled checker for one schema. */
export interface Checker<T> {
  check(value: unknown): value is T;
  /** Field errors of a value; empty when it is valid. */
  errors(value: unknown): FieldError[];
}

interface TypeBoxError {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

/** Compile a schema once; used at every boundary where data comes in. */
export function compileChecker<T>(schema: TSchema): Checker<T> {
  const compiled = Compile(schema);
  return {
    check: (value): value is T => compiled.Check(value),
    errors: (value) => toFieldErrors([...compiled.Errors(value)] as TypeBoxError[]),
  };
}

function toFieldErrors(errors: TypeBoxError[]): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    // "schema is false" repeats the additionalProperties error at the property's own path.
    if (error.keyword === 'boolean') continue;
    const missing = error.params['requiredProperties'];
    if (error.keyword === 'required' && Array.isArray(missing)) {
      for (const name of missing) out.push({ pointer: `${error.instancePath}/${String(name)}`, reason: 'is required' });
      continue;
    }
    const extra = error.params['additionalProperties'];
    if (error.keyword === 'additionalProperties' && Array.isArray(extra)) {
      for (const name of extra) out.push({ pointer: `${error.instancePath}/${String(name)}`, reason: 'is not an allowed field' });
      continue;
    }
    out.push({ pointer: error.instancePath, reason: error.message });
  }
  return out;
}

/** One line naming every failing field, for logs and dead-letter reasons. */
export function describeFieldErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.pointer || '/'} ${e.reason}`).join('; ');
}
