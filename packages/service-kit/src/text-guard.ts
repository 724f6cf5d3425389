import { fieldOf, type ProblemField } from './problem.js';

/** Half of a UTF-16 surrogate pair without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A NUL character, or half of a surrogate pair alone: text no database or reader can keep. */
function unreadable(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain a NUL character';
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone surrogate (text that is not well-formed Unicode)';
  return undefined;
}

/** A parsed value's object: a literal, or a dictionary whose prototype has none (as query-string parsers make them). */
function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as object | null;
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

/**
 * Every string of a parsed request part (keys too; plain objects and arrays only) that holds a NUL or a lone surrogate, named by
 * its path: such text passes a schema's length and pattern checks and is then refused by the
 * database, so it is refused here, once for every route, as a field error.
 */
export function unreadableText(value: unknown, where: ProblemField['in'], pointer = ''): ProblemField[] {
  const found: ProblemField[] = [];
  const visit = (v: unknown, at: string, depth: number): void => {
    if (depth > 64) return;
    if (typeof v === 'string') {
      const reason = unreadable(v);
      if (reason) found.push({ field: fieldOf(at), pointer: at, in: where, reason });
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, `${at}/${i}`, depth + 1));
      return;
    }
    // Only what JSON or a query string parses into: a proxied body is a stream, and is checked where it lands.
    if (v !== null && typeof v === 'object' && isPlain(v)) {
      for (const [key, item] of Object.entries(v)) {
        const escaped = key.replace(/~/g, '~0').replace(/\//g, '~1');
        const reason = unreadable(key);
        if (reason) found.push({ field: fieldOf(at), pointer: at, in: where, reason: `has a key that ${reason}` });
        visit(item, `${at}/${escaped}`, depth + 1);
      }
    }
  };
  visit(value, pointer, 0);
  return found;
}
