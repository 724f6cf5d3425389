import { randomFillSync } from 'node:crypto';

/**
 * W3C Trace Context (traceparent) handling: a request or message carries
 * `00-<trace id>-<span id>-<flags>`; each hop keeps the trace id and takes a new span id.
 */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * Random bytes for trace and span ids, drawn from a pool refilled 4 KiB at a time: one call into
 * the random generator per hundred or so requests instead of two for each.
 */
const pool = Buffer.alloc(4096);
let used = pool.length;
function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const hex = pool.toString('hex', used, used + bytes);
  used += bytes;
  return hex;
}

/** A traceparent starting a new trace. */
export function newTraceparent(): string {
  return `00-${randomHex(16)}-${randomHex(8)}-01`;
}

/** The traceparent of the next hop: same trace, new span; a new trace if the parent is absent or malformed. */
export function childTraceparent(parent: string | undefined): string {
  const match = parent ? TRACEPARENT.exec(parent) : null;
  if (!match) return newTraceparent();
  return `00-${match[2]}-${randomHex(8)}-${match[4]}`;
}

/** The trace id of a traceparent, for log lines. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent ? TRACEPARENT.exec(traceparent)?.[2] : undefined;
}
