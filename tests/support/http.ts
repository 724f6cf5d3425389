import { readServerSentEvents } from './sse.js';
import { expect } from 'vitest';

/**
 * A request against a running system: a JSON body, or bytes (a file, sent as `contentType`,
 * application/pdf unless said). Returns status, headers and parsed body (`{ text }` when not JSON).
 */
export async function call(baseUrl: string, method: string, path: string, body?: unknown, token?: string, contentType?: string) {
  const bytes = body instanceof Uint8Array;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': contentType ?? (bytes ? 'application/pdf' : 'application/json') }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: bytes ? (body as Uint8Array) : typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  // JSON and problem+json are parsed; anything else (CSV, HTML) is kept as text.
  const json = !text ? {} : /json/.test(response.headers.get('content-type') ?? '') ? (JSON.parse(text) as Record<string, unknown>) : { text };
  return { status: response.status, headers: response.headers, body: json };
}

/** Assert a response is an RFC 9457 problem naming `field`. */
export function expectProblem(response: Awaited<ReturnType<typeof call>>, status: number, field?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  if (field !== undefined) {
    expect(response.body['errors']).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  }
}

/** An open stream of server-sent events, collected as they arrive. */
export interface EventStream {
  status: number;
  contentType: string;
  events: { event: string; data: Record<string, unknown> }[];
  close(): void;
}

/** Open a server-sent event stream with a token (as the web UI does, with fetch rather than EventSource). */
export async function openEvents(baseUrl: string, path: string, token?: string): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: abort.signal });
  const stream: EventStream = { status: response.status, contentType: response.headers.get('content-type') ?? '', events: [], close: () => abort.abort() };
  if (!response.ok || !response.body) return stream;
  void readServerSentEvents(response.body, (event, data) => {
    if (data) stream.events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
  }).catch(() => undefined); // Aborted by close().
  return stream;
}

