import { expect } from 'vitest';

/** A JSON request against a running system; returns status, headers and parsed body (`{ text }` when not JSON). */
export async function call(baseUrl: string, method: string, path: string, body?: unknown, token?: string) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
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
