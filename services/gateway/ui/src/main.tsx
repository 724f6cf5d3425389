import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { finishOidcSignIn, json, loadSession, saveSession, type Session } from './api.js';
import { Admin } from './admin.js';
import { Assessor } from './assessor.js';
import { Dashboard } from './dashboard.js';
import { Insurer } from './insurer.js';
import { Planner } from './planner.js';
import { Provider } from './provider.js';
import { t, type Lang } from './i18n.js';
import { Security } from './second-factor.js';
import { SignIn } from './sign-in.js';

function App() {
  const [lang, setLang] = useState<Lang>((localStorage.getItem('fbl.lang') as Lang | null) ?? 'zh');
  const [session, setSession] = useState<Session | null>(loadSession());
  const [oidcError, setOidcError] = useState(false);
  /** The account's own security page (the second factor) in place of the workspace. */
  const [security, setSecurity] = useState(false);
  // Back from the identity platform with a code: finish signing in.
  useEffect(() => {
    finishOidcSignIn().then(
      (signedIn) => signedIn && setSession(signedIn),
      () => setOidcError(true),
    );
  }, []);
  const switchLang = () => {
    const next = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('fbl.lang', next);
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
    setLang(next);
  };
  const signOut = async () => {
    if (session && session.provider !== 'oidc') await json('POST', '/api/auth/sign-out', { refreshToken: session.refreshToken }).catch(() => undefined);
    saveSession(null);
    setSession(null);
    setSecurity(false);
  };
  const role = session?.user.role;
  return (
    <>
      <header class="top">
        <div>
          <h1>{t(lang, 'title')}</h1>
          <p class="subtitle">{t(lang, 'subtitle')}</p>
        </div>
        <nav>
          {session && <span class="who">{session.user.displayName} · {t(lang, `role_${session.user.role}`)}</span>}
          <button type="button" class="secondary" onClick={switchLang} lang={lang === 'zh' ? 'en' : 'zh'}>{t(lang, 'language')}</button>
          {session && session.provider !== 'oidc' && <button type="button" class="secondary" data-action="security" aria-pressed={security ? 'true' : 'false'} onClick={() => setSecurity(!security)}>{t(lang, 'totp_security')}</button>}
          {session && <button type="button" class="secondary" onClick={() => void signOut()}>{t(lang, 'signOut')}</button>}
        </nav>
      </header>
      {!session ? (
        <>
          {oidcError && <p class="form-error sign-in-error" role="alert">{t(lang, 'oidcFailed')}</p>}
          <SignIn lang={lang} onSignedIn={setSession} />
        </>
      ) : security ? (
        <Security lang={lang} onClose={() => setSecurity(false)} />
      ) : role === 'admin' ? (
        <Admin lang={lang} division={session.user.divisionCode} />
      ) : role === 'analyst' ? (
        <Dashboard lang={lang} division={session.user.divisionCode} />
      ) : role === 'planner' && session.user.institutionId ? (
        <Planner lang={lang} institutionId={session.user.institutionId} />
      ) : role === 'provider' && session.user.institutionId ? (
        <Provider lang={lang} institutionId={session.user.institutionId} />
      ) : role === 'assessor' ? (
        <Assessor lang={lang} divisionCode={session.user.divisionCode} />
      ) : role === 'insurer' ? (
        <Insurer lang={lang} divisionCode={session.user.divisionCode} />
      ) : (
        <main class="pending"><p>{t(lang, 'notYet')}</p><a href="/docs">{t(lang, 'apiDocs')}</a></main>
      )}
    </>
  );
}

render(<App />, document.getElementById('app')!);
