/** The browser's side of the public API: the session in sessionStorage, JSON, problem+json. */
import { fill, t, type Lang } from './i18n.js';
import { fieldsText } from './problem-words.js';

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** `oidc` when signed in at the external identity provider (refreshed there, through the gateway). */
  provider?: 'oidc';
  user: { id: string; username: string; displayName: string; role: string; institutionId: string | null; divisionCode: string | null };
}

/** An RFC 9457 problem from the API. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly body: { type?: string; title?: string; detail?: string; errors?: { field: string; reason: string }[] },
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

async function send(method: string, path: string, body: unknown, token: string | undefined, signal?: AbortSignal): Promise<Response> {
  // A file goes as its own bytes and type (the service reads the type from the content again).
  const file = body instanceof Blob;
  return fetch(path, {
    method,
    ...(signal ? { signal } : {}),
    headers: { ...(body === undefined ? {} : { 'content-type': file ? (body.type || 'application/octet-stream') : 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: file ? body : JSON.stringify(body) }),
  });
}

/** A request with the session's token; an expired token is refreshed once. */
export async function request(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
  let session = loadSession();
  let response = await send(method, path, body, session?.accessToken, signal);
  if (response.status === 401 && session) {
    const refreshed = await send('POST', session.provider === 'oidc' ? '/api/auth/oidc/refresh' : '/api/auth/refresh', { refreshToken: session.refreshToken }, undefined);
    if (!refreshed.ok) {
      saveSession(null);
      return response;
    }
    session = { ...session, ...((await refreshed.json()) as Session) };
    saveSession(session);
    response = await send(method, path, body, session.accessToken, signal);
  }
  return response;
}

/** What a refused request says, for showing beside the control that sent it: the fields and their reasons, else the detail. */
export function problemText(e: unknown): string {
  const lang: Lang = localStorage.getItem('fbl.lang') === 'en' ? 'en' : 'zh';
  if (!(e instanceof Problem)) return lang === 'zh' ? t(lang, 'problem_network') : String(e instanceof Error ? e.message : e);
  if (lang === 'en') return e.body.errors?.map((x) => `${x.field}: ${x.reason}`).join('; ') || e.message;
  // In Chinese, what kind of refusal it is (the server's own words are English, for developers).
  const slug = e.body.type?.split('/').pop() ?? '';
  const known = t(lang, `problem_${slug}`);
  const named = fieldsText(lang, e.body.errors ?? []);
  if (slug === 'validation-error' && named) return `${t(lang, 'problemFieldsIntro')}${named}`;
  if (known !== `problem_${slug}`) return e.body.errors && e.body.errors.length > 1 ? `${known}${fill(t(lang, 'problemCount'), { n: e.body.errors.length })}` : known;
  return t(lang, e.status >= 500 ? 'problem_unavailable' : e.status === 409 ? 'problem_conflict' : e.status === 403 ? 'problem_forbidden' : e.status === 404 ? 'problem_not-found' : 'problem_bad-request');
}

/** Send a file to a path (with the session's token); the answer as it came. */
export function upload(path: string, file: Blob): Promise<Response> {
  return request('POST', path, file);
}

/** The file name a download was served with: the UTF-8 `filename*` of its Content-Disposition (RFC 6266), else the plain one. */
export function servedName(disposition: string | null): string | undefined {
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1];
  if (utf8) return decodeURIComponent(utf8);
  return /filename="([^"]+)"/i.exec(disposition ?? '')?.[1];
}

/** Fetch a file the API serves (with the session's token) and hand it to the browser as a download, under the given name or the one it was served with. */
export async function download(path: string, name?: string): Promise<void> {
  const response = await request('GET', path);
  if (!response.ok) throw new Problem(response.status, (await response.json().catch(() => ({}))) as Problem['body']);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name ?? servedName(response.headers.get('content-disposition')) ?? 'download';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A JSON request; a problem answer becomes a thrown Problem. */
export async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await answer<T>(await request(method, path, body))).body;
}

/** An answer's JSON body, and the answer; a problem answer becomes a thrown Problem. */
async function answer<T>(response: Response): Promise<{ body: T; response: Response }> {
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : {};
  if (!response.ok) throw new Problem(response.status, parsed as Problem['body']);
  return { body: parsed as T, response };
}

/**
 * One page of a list and how many there are in all (the `X-Total-Count` header). With a body, the
 * list is asked for by POST: a search for a person by name or ID number, which must not travel
 * in a URL.
 */
export async function page<T>(path: string, body?: unknown): Promise<{ items: T[]; total: number }> {
  const { body: items, response } = await answer<T[]>(await request(body === undefined ? 'GET' : 'POST', path, body));
  return { items, total: Number(response.headers.get('x-total-count') ?? items.length) };
}

/** A change of a referral the user takes part in, as the live feed announces it. */
export interface ReferralChange {
  id: string;
  state: string;
  version: number;
}

/** Hears a change, or `null` when everything should be reloaded (the feed may have missed changes). */
type ChangeListener = (change: ReferralChange | null) => void;

const listeners = new Set<ChangeListener>();
let stopFeed: (() => void) | undefined;

/** The one connection of this tab to the live feed, shared by every page that follows it. */
function openFeed(): () => void {
  let stopped = false;
  let abort = new AbortController();
  const tell = (change: ReferralChange | null) => {
    for (const listener of listeners) listener(change);
  };
  const run = async () => {
    let first = true;
    while (!stopped) {
      abort = new AbortController();
      try {
        const response = await request('GET', '/api/referrals/events', undefined, abort.signal);
        if (!response.ok || !response.body) throw new Error(`live updates answered ${response.status}`);
        // Changes may have been missed while reconnecting.
        if (!first) tell(null);
        first = false;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event === 'referral' && data) tell(JSON.parse(data) as ReferralChange);
            else if (event === 'resync') tell(null);
          }
        }
      } catch {
        // Dropped, refused or stopped: try again shortly unless stopped.
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  };
  void run();
  return () => {
    stopped = true;
    abort.abort();
  };
}

/**
 * Follow the live feed of referral changes (server-sent events, read with fetch so the token goes
 * in a header, never in the URL); one connection per tab whatever the number of followers. The
 * listener hears `null` when it should reload everything. Returns the way to stop following.
 */
export function liveUpdates(listener: ChangeListener): () => void {
  listeners.add(listener);
  stopFeed ??= openFeed();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      stopFeed?.();
      stopFeed = undefined;
    }
  };
}

/** The external identity provider's sign-in, when the deployment has one. */
export interface OidcSignIn {
  enabled: boolean;
  authorizeUrl?: string;
  clientId?: string;
  scope?: string;
}

const PENDING = 'fbl.oidc';
const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

/** Go to the provider to sign in (authorization code with PKCE); the page comes back with a code. */
export async function startOidcSignIn(config: OidcSignIn): Promise<void> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const redirectUri = `${location.origin}/`;
  const query = new URLSearchParams({ response_type: 'code', client_id: config.clientId ?? '', redirect_uri: redirectUri, scope: config.scope ?? 'openid', state, code_challenge: challenge, code_challenge_method: 'S256' });
  location.assign(`${config.authorizeUrl ?? ''}?${query}`);
}

/**
 * Finish a sign-in at the provider when the page came back with a code for the state it sent:
 * the session, or null when this page load is no such return. The code leaves the address bar.
 */
export async function finishOidcSignIn(): Promise<Session | null> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const pending = sessionStorage.getItem(PENDING);
  if (!code || !pending) return null;
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', '/');
  const { verifier, state } = JSON.parse(pending) as { verifier: string; state: string };
  if (params.get('state') !== state) throw new Error('the sign-in came back with another state');
  const session = await json<Session>('POST', '/api/auth/oidc/token', { code, codeVerifier: verifier, redirectUri: `${location.origin}/` });
  saveSession(session);
  return session;
}
