/**
 * Every number a request may carry has bounds. A schema that names none gets them here, once,
 * before its validator is compiled: integers within ±(2^53 − 1), where they are still exact;
 * other numbers within ±10^15. So `offset=1e400` (Infinity) or a 23-digit offset is a 400 naming
 * the field, never a number the database or the arithmetic behind the route cannot take.
 */
export const INTEGER_BOUND = Number.MAX_SAFE_INTEGER;
export const NUMBER_BOUND = 1e15;

type Schema = Record<string, unknown>;

const CHILDREN = ['properties', 'patternProperties', 'definitions', '$defs'] as const;
const LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;
const SINGLE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains'] as const;

function typesOf(schema: Schema): string[] {
  const type = schema['type'];
  return Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : [];
}

/** Give every number of `schema` (walked in place, shared parts once) the bounds it lacks; returns the schema. */
export function boundNumbers<T>(schema: T): T {
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    const s = node as Schema;
    const types = typesOf(s);
    if (types.includes('integer') || types.includes('number')) {
      const bound = types.includes('number') ? NUMBER_BOUND : INTEGER_BOUND;
      if (s['maximum'] === undefined && s['exclusiveMaximum'] === undefined) s['maximum'] = bound;
      if (s['minimum'] === undefined && s['exclusiveMinimum'] === undefined) s['minimum'] = -bound;
    }
    for (const key of CHILDREN) {
      const children = s[key];
      if (children && typeof children === 'object') for (const child of Object.values(children)) visit(child);
    }
    for (const key of LISTS) visit(s[key]);
    for (const key of SINGLE) visit(s[key]);
  };
  visit(schema);
  return schema;
}
