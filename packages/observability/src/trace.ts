import { randomFillSync } from 'node:crypto';

/**
 * W3C Trace Context (traceparent) handling: a request or message carries
 * `00-<trace id>-<span id>-<flags>`; each hop keeps the trace id and takes a new span id.
 */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

const pool = Buffer.alloc(4096);
let used = pool.length;

/**
 * `bytes` random bytes as hex, for trace, span and request ids (not for secrets): drawn from a
 * pool refilled 4 KiB at a time, one call into the random generator per hundred or so requests
 * instead of one or two for each.
 */
export function randomHex(bytes: number): string {
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

/**
 * A request's id: a UUIDv7 (time first, then random bits, RFC 9562) from the pooled random bytes,
 * as uuid's own generator asks the system for 16 bytes every time. Ids of one millisecond are not
 * ordered among themselves; requests need no order, only distinct ids.
 */
export function newRequestId(): string {
  const time = Date.now().toString(16).padStart(12, '0');
  const random = randomHex(10);
  const variant = (8 | (parseInt(random[3]!, 16) & 3)).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(0, 3)}-${variant}${random.slice(4, 7)}-${random.slice(8, 20)}`;
}
