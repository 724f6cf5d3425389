/** Drizzle over postgres.js or PGlite, migrations, and the outbox and inbox tables. */
export * from './database.js';
export * from './messaging-tables.js';
export { leanPglite } from './pglite-client.js';
export { fromJsonRow, fromJsonRows, parsedJson } from './json-rows.js';
