import { types, type PGlite, type QueryOptions } from '@electric-sql/pglite';

/**
 * What drizzle asks PGlite to parse otherwise: dates, times and intervals (and their arrays) stay
 * the text PostgreSQL sends, for drizzle's columns to read (as in drizzle-orm/pglite/session).
 */
const DRIZZLE_PARSERS: Record<number, (value: string) => unknown> = Object.fromEntries(
  [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182].map((oid) => [oid, (value: string) => value]),
);

type Queryable = Pick<PGlite, 'query'>;

/**
 * The PGlite client drizzle is given. Drizzle passes its parsers with every statement, and PGlite
 * then merges them into a copy of all its own (some 500, one per array type) for each result: a
 * third of a millisecond of CPU per statement, the largest single cost of the embedded start.
 * Here drizzle's parsers are made the client's own once, and every statement (in a transaction
 * too) goes without them: the same values, parsed the same way.
 */
export function leanPglite(client: PGlite): PGlite {
  Object.assign(client.parsers, DRIZZLE_PARSERS);
  return lean(client);
}

function lean<T extends Queryable>(target: T): T {
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      if (property === 'query') {
        return (query: string, params?: unknown[], options?: QueryOptions) =>
          (value as PGlite['query']).call(object, query, params, options?.parsers ? { ...options, parsers: undefined } : options);
      }
      if (property === 'transaction') {
        return (callback: (tx: Queryable) => Promise<unknown>) => (value as PGlite['transaction']).call(object, (tx) => callback(lean(tx)));
      }
      return (value as (...args: unknown[]) => unknown).bind(object);
    },
  });
}
