/**
 * Run by `pglite-folder.ts` in a short-lived process of its own: initialise a PGlite cluster in
 * the folder given (initdb, which takes several hundred megabytes for a few seconds), with small
 * shared buffers, then exit, so the long-running process never holds that memory.
 */
import { PGlite } from '@electric-sql/pglite';

const [folder, sharedBuffers] = process.argv.slice(2);
const db = new PGlite(folder, { postgresqlconf: [`shared_buffers = ${sharedBuffers}`] });
await db.waitReady;
await db.close();
