/** The browser's side of the public API: the session in sessionStorage, JSON, problem+json. */

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: { id: string; username: string; displayName: string; role: string; institutionId: string | null; divisionCode: string | null };
}

/** An RFC 9457 problem from the API. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly body: { title?: string; detail?: string; errors?: { field: string; reason: string }[] },
  ) {
    super(body.detail ?? body.title ?? `HTTP ${status}`);
  }
}

const KEY = 'fbl.session';

export function loadSession(): Session | null {
  const raw = sessionStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as Session) : null;
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}

async function send(method: string, path: string, body: unknown, token: string | undefined): Promise<Response> {
  return fetch(path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A request with the session's token; an expired token is refreshed once. */
export async function request(method: string, path: string, body?: unknown): Promise<Response> {
  let session = loadSession();
  let response = await send(method, path, body, session?.accessToken);
  if (response.status === 401 && session) {
    const refreshed = await send('POST', '/api/auth/refresh', { refreshToken: session.refreshToken }, undefined);
    if (!refreshed.ok) {
      saveSession(null);
      return response;
    }
    session = { ...session, ...((await refreshed.json()) as Session) };
    saveSession(session);
    response = await send(method, path, body, session.accessToken);
  }
  return response;
}

/** A JSON request; a problem answer becomes a thrown Problem. */
export async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await request(method, path, body);
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : {};
  if (!response.ok) throw new Problem(response.status, parsed as Problem['body']);
  return parsed as T;
}
