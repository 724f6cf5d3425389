import { useEffect, useState } from 'preact/hooks';
import { json, Problem, saveSession, startOidcSignIn, type OidcSignIn, type Session } from './api.js';
import { t, type Lang } from './i18n.js';

interface DemoUser {
  username: string;
  password: string;
  displayName: string;
  role: string;
}

/** The sign-in page: labelled fields, errors in the page's language, the demo accounts when there are some. */
export function SignIn({ lang, onSignedIn }: { lang: Lang; onSignedIn: (s: Session) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ username?: string; password?: string; form?: string }>({});
  const [demo, setDemo] = useState<DemoUser[]>([]);
  const [busy, setBusy] = useState(false);
  const [oidc, setOidc] = useState<OidcSignIn>({ enabled: false });

  useEffect(() => {
    json<OidcSignIn>('GET', '/api/auth/oidc').then(setOidc, () => setOidc({ enabled: false }));
    json<{ users: DemoUser[] }>('GET', '/api/auth/demo-users').then(
      (r) => setDemo(r.users),
      () => setDemo([]),
    );
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const missing = { ...(username.trim() ? {} : { username: t(lang, 'required') }), ...(password ? {} : { password: t(lang, 'required') }) };
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    try {
      const session = await json<Session>('POST', '/api/auth/sign-in', { username: username.trim(), password });
      saveSession(session);
      onSignedIn(session);
    } catch (error) {
      const status = error instanceof Problem ? error.status : 0;
      const disabled = error instanceof Problem && error.body.type?.endsWith('/account-disabled');
      const key = disabled ? 'problem_account-disabled' : status === 401 ? 'wrongCredentials' : status === 423 ? 'locked' : status === 429 ? 'tooMany' : status === 400 ? 'wrongCredentials' : 'failed';
      setErrors({ form: t(lang, key) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">{t(lang, 'signIn')}</h2>
        <label for="username">{t(lang, 'username')}</label>
        <input id="username" name="username" autocomplete="username" value={username} aria-invalid={errors.username ? 'true' : 'false'} aria-describedby="username-error" onInput={(e) => setUsername((e.target as HTMLInputElement).value)} />
        <p id="username-error" class="field-error" role="alert">{errors.username ?? ''}</p>
        <label for="password">{t(lang, 'password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" value={password} aria-invalid={errors.password ? 'true' : 'false'} aria-describedby="password-error" onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        <p id="password-error" class="field-error" role="alert">{errors.password ?? ''}</p>
        <p class="form-error" role="alert">{errors.form ?? ''}</p>
        <button type="submit" disabled={busy}>{t(lang, 'signIn')}</button>
        {oidc.enabled && (
          <button type="button" class="secondary oidc" onClick={() => void startOidcSignIn(oidc)}>{t(lang, 'signInOidc')}</button>
        )}
      </form>
      {demo.length > 0 && (
        <section class="demo" aria-label={t(lang, 'demoUsers')}>
          <h3>{t(lang, 'demoUsers')}</h3>
          <ul>
            {demo.map((u) => (
              <li key={u.username}>
                <button type="button" class="link" data-username={u.username} onClick={() => { setUsername(u.username); setPassword(u.password); setErrors({}); }}>
                  {t(lang, `role_${u.role}`)} · {u.displayName}
                </button>
                <code>{u.username} / {u.password}</code>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
