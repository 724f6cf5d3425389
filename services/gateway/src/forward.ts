/**
 * The gateway's forwarding of a request to the service that owns its path: a pool of kept-alive
 * connections per service (undici), the request's body streamed up as it arrives and the answer
 * streamed back as it comes (uploads and the live-update stream alike are never held in memory),
 * headers passed on except those of one connection only. Everything the gateway does before
 * (authentication, limits, security headers) is fastify's work; this is only the last step.
 */
import { ProblemError } from '@fbl/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';

/** How long a service may take to send its answer's headers, and to send the next piece of its body (0: no limit). */
export const HEADERS_TIMEOUT_MS = 300_000;
export const BODY_TIMEOUT_MS = 300_000;
/** How long connecting to a service may take. */
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Headers of one connection, not of the message (RFC 9110 §7.6.1), and `expect`, which the
 * gateway's own server has answered already: never passed on, either way. Any `proxy-*` too.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'http2-settings', 'expect']);

/** The header names a `Connection` header lists: they are of that connection only, too. */
function listedIn(connection: string | string[] | undefined): Set<string> | undefined {
  // The usual values name no other header: no need to take them apart.
  if (connection === undefined || connection === 'keep-alive' || connection === 'close') return undefined;
  const names = (Array.isArray(connection) ? connection.join(',') : connection).split(',').map((n) => n.trim().toLowerCase());
  return new Set(names.filter((n) => n.length > 0));
}

function passedOn(name: string, listed: Set<string> | undefined): boolean {
  return !HOP_BY_HOP.has(name) && !name.startsWith('proxy-') && !listed?.has(name);
}

/** The request's headers as the service is sent them: those of the message, for the service's host. */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders, host: string): Record<string, string | string[]> {
  const listed = listedIn(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && passedOn(name, listed)) out[name] = value;
  }
  out['host'] = host;
  return out;
}

/** The answer's headers as the caller is sent them: the gateway's own (`base`), then the service's over them. */
export function downstreamHeaders(base: OutgoingHttpHeaders, upstream: IncomingHttpHeaders): OutgoingHttpHeaders {
  const listed = listedIn(upstream.connection);
  for (const name in upstream) {
    const value = upstream[name];
    if (value !== undefined && passedOn(name, listed)) base[name] = value;
  }
  return base;
}

/** Causes of a failed forward that mean the service is not there just now (stopped, restarting). */
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);
const TIMED_OUT = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'ETIMEDOUT']);

/**
 * What the gateway answers when it could not get a response from a service: 503 with
 * `Retry-After` when the service is unreachable (stopped, restarting), 504 when it did not answer
 * in time, 502 for anything else. Problem+json like every other answer, never a bare 500.
 */
export function upstreamProblem(service: string, error: unknown): ProblemError {
  const codes: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  if (codes.some((c) => TIMED_OUT.has(c))) return new ProblemError(504, 'upstream-timeout', 'The service did not answer in time', `${service} did not answer in time; try again shortly`, undefined, 5);
  if (codes.some((c) => UNAVAILABLE.has(c))) return new ProblemError(503, 'service-unavailable', 'The service is unavailable', `${service} cannot be reached just now; try again shortly`, undefined, 5);
  return new ProblemError(502, 'bad-gateway', 'The service gave no usable answer', `${service} gave no usable answer`);
}

/** A path that steps out of its prefix (a `..` part, written plainly or percent-encoded) is never forwarded. */
export function climbsOut(url: string): boolean {
  const end = url.indexOf('?');
  const path = end < 0 ? url : url.slice(0, end);
  if (!path.includes('.') && !path.includes('%') && !path.includes('\\')) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return true;
  }
  return decoded.replaceAll('\\', '/').split('/').includes('..');
}

const CLIMBS_OUT = () => new ProblemError(400, 'bad-url', 'The path is not a valid URL', 'the path may not step out of its prefix with a ".." part', [{ field: 'path', pointer: '', in: 'params', reason: 'has a ".." part' }]);

export interface Forwarder {
  /** Sends the request on and its answer back; answers a problem itself when the service gives none. */
  forward(request: FastifyRequest, reply: FastifyReply): void;
  /** Drops every connection to the service, open answers included. */
  close(): Promise<void>;
}

/**
 * A forwarder to the service at `origin` (named `service` in problems and logs). Paths go on as
 * they came: each public prefix is the service's own. `connections` and `bodyTimeout` are for
 * long-lived answers (the live-update stream), which need many connections and no body timeout.
 */
export function forwarder(service: string, origin: string, options: { connections?: number; bodyTimeout?: number } = {}): Forwarder {
  const pool = new Pool(origin, {
    connections: options.connections ?? 128,
    pipelining: 1,
    headersTimeout: HEADERS_TIMEOUT_MS,
    bodyTimeout: options.bodyTimeout ?? BODY_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
  });
  const host = new URL(origin).host;

  const failed = (request: FastifyRequest, reply: FastifyReply, error: Error) => {
    const problem = upstreamProblem(service, error);
    // A caller that went away first has no answer to get, and the service did nothing wrong.
    if (reply.raw.destroyed) return;
    request.log.warn({ service, status: problem.status, code: (error as { code?: unknown }).code }, 'forwarding to a service failed');
    reply.send(problem);
  };

  return {
    forward(request, reply) {
      if (climbsOut(request.url)) {
        reply.send(CLIMBS_OUT());
        return;
      }
      const res = reply.raw;
      const method = request.method as Dispatcher.HttpMethod;
      const body = request.body instanceof Readable ? request.body : null;
      let controller: Dispatcher.DispatchController | undefined;
      let started = false;
      // The caller went away (a page closed on the live stream): stop the service's answer too.
      const onClose = () => {
        if (!res.writableFinished) controller?.abort(new Error('the caller closed the connection'));
      };
      res.once('close', onClose);
      const resume = () => controller?.resume();
      pool.dispatch(
        { path: request.url, method, headers: upstreamRequestHeaders(request.headers, host), body },
        {
          onRequestStart(c) {
            controller = c;
            if (res.destroyed) c.abort(new Error('the caller closed the connection'));
          },
          onResponseStart(_c, statusCode, headers) {
            const out = downstreamHeaders(reply.getHeaders() as OutgoingHttpHeaders, headers);
            // A connection whose request body was not read to its end cannot take another request.
            if (body && !request.raw.complete) out['connection'] = 'close';
            res.writeHead(statusCode, out);
            reply.hijack();
            started = true;
          },
          onResponseData(c, chunk) {
            if (!res.write(chunk)) {
              c.pause();
              res.once('drain', resume);
            }
          },
          onResponseEnd() {
            res.removeListener('close', onClose);
            res.end();
          },
          onResponseError(_c, error) {
            res.removeListener('close', onClose);
            if (!started) return failed(request, reply, error);
            // The answer broke off half way: the caller sees its connection cut, as the service's was.
            if (!res.destroyed) request.log.warn({ service, code: (error as { code?: unknown }).code }, 'a service answer broke off');
            res.destroy();
          },
        },
      );
    },
    close: () => pool.destroy(),
  };
}
