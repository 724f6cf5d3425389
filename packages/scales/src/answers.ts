import { jsonPointer, type FieldError } from './field-error.js';

/** One question of a scale, with the scores the standard allows for it. */
export interface ScaleItem {
  /** Stable English code: the key in the answers and in stored records. Never renamed. */
  readonly code: string;
  /** The item's name as printed in the standard. */
  readonly zh: string;
  /** Scores the item allows, ascending (e.g. `[0, 1, 2, 3, 4]` or `[0, 5, 10]`). */
  readonly allowed: readonly number[];
}

/** Raw answers of one assessment: item code → score. Stored as given, so it can be rescored. */
export type Answers = Readonly<Record<string, number>>;

/**
 * Every problem with `answers` against `items`: a missing item, a value that is not a number,
 * not an integer or not allowed, and (after those, in input order) every key that is no item.
 * Answers arrive from forms and JSON, so nothing is trusted to match its static type.
 */
export function checkAnswers(answers: unknown, items: readonly ScaleItem[], rulesVersion: string): FieldError[] {
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
    return [{ pointer: '/answers', reason: 'must be an object of item scores' }];
  }
  const errors: FieldError[] = [];
  for (const item of items) {
    const pointer = jsonPointer('answers', item.code);
    if (!Object.hasOwn(answers, item.code)) {
      errors.push({ pointer, reason: `missing: ${item.zh} must be answered, ${describeAllowed(item.allowed)}` });
      continue;
    }
    const reason = valueProblem((answers as Record<string, unknown>)[item.code], item.allowed);
    if (reason !== undefined) errors.push({ pointer, reason });
  }
  const known = new Set(items.map((item) => item.code));
  for (const key of Object.keys(answers)) {
    if (!known.has(key)) errors.push({ pointer: jsonPointer('answers', key), reason: `unknown item: not in ${rulesVersion}` });
  }
  return errors;
}

/** The sum of the answers to `items`; only meaningful after {@link checkAnswers} found nothing. */
export function sumAnswers(items: readonly ScaleItem[], answers: Answers): number {
  return items.reduce((sum, item) => sum + (answers[item.code] ?? 0), 0);
}

/** The highest score `items` can add up to. */
export function maxTotal(items: readonly ScaleItem[]): number {
  return items.reduce((sum, item) => sum + Math.max(...item.allowed), 0);
}

function valueProblem(value: unknown, allowed: readonly number[]): string | undefined {
  if (typeof value !== 'number') return `must be a number, not ${value === null ? 'null' : typeof value}`;
  if (!Number.isInteger(value)) return `must be an integer, not ${value}`;
  if (allowed.includes(value)) return undefined;
  return `must be ${describeAllowed(allowed)}, not ${value}`;
}

/** "from 0 to 4" for a run of integers, "one of 0, 5, 10" otherwise. */
function describeAllowed(allowed: readonly number[]): string {
  const min = Math.min(...allowed);
  const max = Math.max(...allowed);
  const isRun = allowed.length === max - min + 1;
  return isRun ? `from ${min} to ${max}` : `one of ${allowed.join(', ')}`;
}
