/**
 * Reading an OpenAPI 3.1 document as a caller would: its operations, a valid sample of any schema,
 * and the fields of a body schema down to its leaves. The malformed-input test builds its requests
 * from these: a valid sample with one field made wrong, so that the refusal must name that field.
 */

/** A JSON Schema node, read loosely. */
export type Schema = { readonly [key: string]: unknown };

/** The types of JSON value a schema can accept (`integer` is a `number` on the wire). */
export type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';

/** A parameter of an operation. */
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
}

/** One operation of the document. */
export interface Operation {
  method: string;
  /** The path as the document names it, e.g. `/api/referrals/{id}`. */
  template: string;
  summary: string;
  parameters: Parameter[];
  /** The schema of a JSON body, when the operation takes one. */
  body?: Schema;
  /** Whether the body is bytes (`format: binary`): a file, not a JSON document. */
  binaryBody: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Every operation of a document, in its order. */
export function operationsOf(doc: { paths?: Record<string, Record<string, unknown>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method] as { summary?: string; parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } } | undefined;
      if (!op) continue;
      const content = op.requestBody?.content ?? {};
      const schema = Object.values(content)[0]?.schema;
      const binaryBody = schema?.['format'] === 'binary';
      operations.push({
        method: method.toUpperCase(),
        template,
        summary: op.summary ?? '',
        parameters: (op.parameters ?? []).map((p) => ({ ...p, required: p.required === true })),
        ...(schema ? { body: schema } : {}),
        binaryBody,
      });
    }
  }
  return operations;
}

const asSchemas = (v: unknown): Schema[] | undefined => (Array.isArray(v) ? (v as Schema[]) : undefined);

function typeOfValue(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  if (t === 'string' || t === 'number' || t === 'boolean') return t;
  return 'object';
}

/** The JSON types `schema` accepts; `undefined` when it constrains none (anything goes). */
export function acceptedTypes(schema: Schema): Set<JsonType> | undefined {
  if ('const' in schema) return new Set([typeOfValue(schema['const'])]);
  if (Array.isArray(schema['enum'])) return new Set((schema['enum'] as unknown[]).map(typeOfValue));
  const type = schema['type'];
  if (typeof type === 'string' || Array.isArray(type)) {
    const names = (Array.isArray(type) ? type : [type]) as string[];
    return new Set(names.map((n) => (n === 'integer' ? 'number' : n) as JsonType));
  }
  const branches = asSchemas(schema['anyOf']) ?? asSchemas(schema['oneOf']);
  if (branches) {
    const all = new Set<JsonType>();
    for (const b of branches) {
      const types = acceptedTypes(b);
      if (!types) return undefined;
      for (const t of types) all.add(t);
    }
    return all;
  }
  if (schema['properties']) return new Set(['object']);
  return undefined;
}

/** The main type of a schema, as far as sampling and the choice of wrong values go. */
export function mainType(schema: Schema): string | undefined {
  if ('const' in schema) return typeOfValue(schema['const']);
  if (Array.isArray(schema['enum'])) return typeOfValue((schema['enum'] as unknown[])[0]);
  const type = schema['type'];
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return (type as string[]).find((t) => t !== 'null') ?? (type[0] as string | undefined);
  const branches = asSchemas(schema['anyOf']) ?? asSchemas(schema['oneOf']);
  if (branches?.[0]) return mainType(branches[0]);
  if (schema['properties']) return 'object';
  return undefined;
}

/**
 * A value for each pattern the document uses. A pattern missing here makes sampling throw, naming
 * it, so a new pattern in the API is added here rather than sampled wrongly.
 */
const PATTERN_SAMPLES: Record<string, string> = {
  '^[A-Za-z0-9._-]+$': 'sample.user-1',
  '^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36}){0,199}$': '0192f3b2-7c1a-7000-8000-000000000001',
  '^[1-8][0-9]{5}$': '371702',
  '^https?://': 'https://example.org/callback',
  '^[A-Z][0-9]{2}(\\.[0-9A-Za-z]{1,4}(x[0-9]{3})?)?$': 'C34.9',
  '^[0-9+() -]+$': '13912345678',
  '^[a-zA-Z]{1,40}$': 'sample',
  '^[0-9]{6}$': '123456',
  '^[0-9]{4}-(0[1-9]|1[0-2])$': '2026-11',
  '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$': '2026-11-30',
  '^([01][0-9]|2[0-3]):[0-5][0-9]$': '09:00',
  // A 1×1 transparent PNG, as a drawn signature or a photo arrives.
  '^data:image/png;base64,[A-Za-z0-9+/=]+$': 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  '^data:image/(jpeg|png);base64,[A-Za-z0-9+/=]+$': 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
};

/** A UUID that names nothing in the system (well-formed, version 7). */
export const SAMPLE_UUID = '0192f3b2-7c1a-7000-8000-000000000001';

function sampleString(schema: Schema): string {
  const today = new Date().toISOString().slice(0, 10);
  const format = schema['format'];
  let value: string;
  if (format === 'uuid') value = SAMPLE_UUID;
  else if (format === 'date') value = today;
  else if (format === 'date-time') value = new Date().toISOString();
  else if (typeof format === 'string' && format !== 'binary') throw new Error(`no sample for the string format ${format}`);
  else if (typeof schema['pattern'] === 'string') {
    const sample = PATTERN_SAMPLES[schema['pattern']];
    if (sample === undefined) throw new Error(`no sample for the pattern ${schema['pattern']}`);
    value = sample;
  } else value = 's'.repeat(Math.max(1, Number(schema['minLength'] ?? 1)));
  const min = Number(schema['minLength'] ?? 0);
  const max = Number(schema['maxLength'] ?? Infinity);
  if (value.length < min || value.length > max) throw new Error(`the sample ${value} does not fit the lengths of ${JSON.stringify(schema)}`);
  return value;
}

function sampleNumber(schema: Schema, integer: boolean): number {
  const min = typeof schema['minimum'] === 'number' ? schema['minimum'] : typeof schema['exclusiveMinimum'] === 'number' ? schema['exclusiveMinimum'] + 1 : 0;
  const max = typeof schema['maximum'] === 'number' ? schema['maximum'] : typeof schema['exclusiveMaximum'] === 'number' ? schema['exclusiveMaximum'] - 1 : Infinity;
  let value = Math.min(Math.max(0, min), max);
  if (integer) value = Math.ceil(value);
  const step = schema['multipleOf'];
  if (typeof step === 'number') value = Math.ceil(value / step) * step;
  return value;
}

/**
 * A value `schema` accepts: required properties only (more where `minProperties` asks), the
 * fewest array items allowed, the first of a choice; `nth` picks another member of a choice, so
 * the items of a unique array differ.
 */
export function sampleOf(schema: Schema, nth = 0): unknown {
  if ('const' in schema) return schema['const'];
  if (Array.isArray(schema['enum'])) {
    const values = schema['enum'] as unknown[];
    return values[nth % values.length];
  }
  if (schema['default'] !== undefined) return schema['default'];
  const branches = asSchemas(schema['anyOf']) ?? asSchemas(schema['oneOf']);
  if (branches && branches.length > 0) return sampleOf(branches[nth % branches.length]!, Math.floor(nth / branches.length));
  switch (mainType(schema) ?? 'any') {
    case 'object': {
      const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
      const required = new Set((schema['required'] as string[] | undefined) ?? []);
      const value: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(properties)) if (required.has(key)) value[key] = sampleOf(child);
      const least = Number(schema['minProperties'] ?? 0);
      for (const [key, child] of Object.entries(properties)) {
        if (Object.keys(value).length >= least) break;
        if (!(key in value)) value[key] = sampleOf(child);
      }
      return value;
    }
    case 'array': {
      // A tuple (`items` as a list, or `prefixItems`) has a schema for each position.
      const tuple = asSchemas(schema['prefixItems']) ?? asSchemas(schema['items']);
      if (tuple) return tuple.map((item) => sampleOf(item));
      const items = (schema['items'] ?? {}) as Schema;
      return Array.from({ length: Number(schema['minItems'] ?? 0) }, (_, i) => sampleOf(items, i));
    }
    case 'string':
      return sampleString(schema);
    case 'integer':
      return sampleNumber(schema, true);
    case 'number':
      return sampleNumber(schema, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return 'sample';
  }
}

/** A field of a body: where it is, its schema, and the schemas of the values on the way to it. */
export interface Field {
  /** Property names and array indexes from the body's root. */
  path: (string | number)[];
  schema: Schema;
  /** Whether its parent object requires it. */
  required: boolean;
  /** The schema of the value at each step of `path` (the last is `schema`). */
  chain: Schema[];
}

/** The dotted name of a field, as problem bodies name it (`diagnoses.0.name`). */
export const fieldName = (path: (string | number)[]): string => path.join('.');

/** The schema itself when it describes an object by its named properties. */
function objectShape(schema: Schema): Schema | undefined {
  if (schema['properties'] && typeof schema['properties'] === 'object') return schema;
  return undefined;
}

/**
 * Every field of a body schema: each property of each object, the first item of each array (as
 * `list.0`) and each position of a tuple, down to `maxDepth` levels.
 */
export function fieldsOf(schema: Schema, maxDepth = 4): Field[] {
  const fields: Field[] = [];
  const visit = (node: Schema, path: (string | number)[], chain: Schema[], depth: number): void => {
    if (depth >= maxDepth) return;
    const shape = objectShape(node);
    if (shape) {
      const required = new Set((shape['required'] as string[] | undefined) ?? []);
      for (const [key, child] of Object.entries(shape['properties'] as Record<string, Schema>)) {
        const field: Field = { path: [...path, key], schema: child, required: required.has(key), chain: [...chain, child] };
        fields.push(field);
        visit(child, field.path, field.chain, depth + 1);
      }
      return;
    }
    const tuple = mainType(node) === 'array' ? (asSchemas(node['prefixItems']) ?? asSchemas(node['items'])) : undefined;
    if (tuple) {
      tuple.forEach((item, i) => {
        const field: Field = { path: [...path, i], schema: item, required: false, chain: [...chain, item] };
        fields.push(field);
        visit(item, field.path, field.chain, depth + 1);
      });
      return;
    }
    if (mainType(node) === 'array' && node['items'] && typeof node['items'] === 'object' && Number(node['maxItems'] ?? 1) >= 1) {
      const items = node['items'] as Schema;
      const field: Field = { path: [...path, 0], schema: items, required: false, chain: [...chain, items] };
      fields.push(field);
      visit(items, field.path, field.chain, depth + 1);
    }
  };
  visit(schema, [], [], 0);
  return fields;
}

/** Objects of a body schema that allow no other properties, with where they are. */
export function closedObjects(schema: Schema, maxDepth = 4): { path: (string | number)[]; chain: Schema[] }[] {
  const found: { path: (string | number)[]; chain: Schema[] }[] = [];
  if (objectShape(schema) && schema['additionalProperties'] === false) found.push({ path: [], chain: [] });
  for (const f of fieldsOf(schema, maxDepth)) if (objectShape(f.schema) && f.schema['additionalProperties'] === false) found.push({ path: f.path, chain: f.chain });
  return found;
}

/** Marks a value to leave out, for {@link withField}. */
export const ABSENT = Symbol('absent');

/**
 * A copy of `root` with the value at `path` replaced (or removed, with {@link ABSENT}); the objects
 * and arrays on the way are sampled from `chain` where `root` lacks them.
 */
export function withField(root: unknown, rootSchema: Schema, path: (string | number)[], chain: Schema[], value: unknown): unknown {
  const copy = structuredClone(root ?? sampleOf(rootSchema)) as Record<string | number, unknown>;
  let node = copy;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    if (node[key] === undefined || node[key] === null) node[key] = sampleOf(chain[i]!);
    node = node[key] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === ABSENT) delete node[last];
  else node[last] = value;
  return copy;
}
