import { useEffect, useState } from 'preact/hooks';
import { json, Problem, saveSession, startOidcSignIn, type OidcSignIn, type Session } from './api.js';
import { pageWords, t, type Lang } from './i18n.js';
import { RecoveryCodes, TotpEnrolment, type TotpOffer } from './second-factor.js';

const w = pageWords('totp');

/** What the sign-in asks after the password: the authenticator's code, an enrolment, a new password. */
type Step = 'password' | 'code' | 'enrol' | 'expired';

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
  const [errors, setErrors] = useState<{ username?: string; password?: string; code?: string; newPassword?: string; repeat?: string; form?: string }>({});
  const [demo, setDemo] = useState<DemoUser[]>([]);
  const [busy, setBusy] = useState(false);
  const [oidc, setOidc] = useState<OidcSignIn>({ enabled: false });
  const [step, setStep] = useState<Step>('password');
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [offer, setOffer] = useState<TotpOffer | null>(null);
  const [newPassword, setNewPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  /** A session of a new enrolment, given once its recovery codes are kept. */
  const [enrolled, setEnrolled] = useState<(Session & { recoveryCodes: string[] }) | null>(null);
  /** Back to the password, forgetting what the later steps asked. */
  const restart = () => {
    setStep('password');
    setCode('');
    setUseRecovery(false);
    setOffer(null);
    setNewPassword('');
    setRepeat('');
    setErrors({});
  };

  useEffect(() => {
    json<OidcSignIn>('GET', '/api/auth/oidc').then(setOidc, () => setOidc({ enabled: false }));
    json<{ users: DemoUser[] }>('GET', '/api/auth/demo-users').then(
      (r) => setDemo(r.users),
      () => setDemo([]),
    );
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const missing = {
      ...(username.trim() ? {} : { username: t(lang, 'required') }),
      ...(password ? {} : { password: t(lang, 'required') }),
      ...((step === 'code' || step === 'enrol') && !(useRecovery ? code.trim() : /^\d{6}$/.test(code.trim())) ? { code: w(lang, useRecovery ? 'recoveryFormat' : 'codeFormat') } : {}),
      ...(step === 'expired' && !newPassword ? { newPassword: t(lang, 'required') } : {}),
      ...(step === 'expired' && newPassword && newPassword !== repeat ? { repeat: w(lang, 'repeatDiffers') } : {}),
    };
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    try {
      const second = step === 'code' || step === 'enrol' ? (useRecovery ? { recoveryCode: code.trim() } : { code: code.trim() }) : {};
      const session = await json<Session & { recoveryCodes?: string[] }>('POST', '/api/auth/sign-in', { username: username.trim(), password, ...(newPassword ? { newPassword } : {}), ...second });
      saveSession(session);
      if (session.recoveryCodes) setEnrolled({ ...session, recoveryCodes: session.recoveryCodes });
      else onSignedIn(session);
    } catch (error) {
      const status = error instanceof Problem ? error.status : 0;
      const slug = error instanceof Problem ? (error.body.type?.split('/').pop() ?? '') : '';
      setCode('');
      if (slug === 'second-factor-required') {
        setStep('code');
        setErrors({});
      } else if (slug === 'second-factor-enrolment-required') {
        setOffer((error as Problem & { body: { enrolment: TotpOffer } }).body.enrolment);
        setStep('enrol');
        setErrors({});
      } else if (slug === 'password-expired') {
        setStep('expired');
        setErrors({ form: w(lang, 'expired') });
      } else if (slug === 'second-factor-failed') {
        setErrors({ code: w(lang, useRecovery ? 'wrongRecovery' : 'wrongCode') });
      } else if (status === 400 && error instanceof Problem && error.body.errors?.some((e) => e.field === 'newPassword')) {
        const reason = error.body.errors.find((e) => e.field === 'newPassword')?.reason ?? '';
        setErrors({ newPassword: w(lang, reason.includes('differ') ? 'passwordReused' : 'passwordRule') });
      } else {
        const disabled = slug === 'account-disabled';
        const key = disabled ? 'problem_account-disabled' : status === 401 ? 'wrongCredentials' : status === 423 ? 'locked' : status === 429 ? 'tooMany' : status === 400 ? 'wrongCredentials' : 'failed';
        if (status === 401 || status === 423) restart();
        setErrors({ form: t(lang, key) });
      }
    } finally {
      setBusy(false);
    }
  };

  if (enrolled) {
    return (
      <main class="sign-in single">
        <RecoveryCodes lang={lang} codes={enrolled.recoveryCodes} onDone={() => onSignedIn(enrolled)} />
      </main>
    );
  }

  const field = (id: string, label: string, value: string, set: (v: string) => void, props: Record<string, string>) => (
    <>
      <label for={id}>{label}</label>
      <input id={id} name={id} value={value} aria-invalid={errors[id as keyof typeof errors] ? 'true' : 'false'} aria-describedby={`${id}-error`} onInput={(e) => set((e.target as HTMLInputElement).value)} {...props} />
      <p id={`${id}-error`} class="field-error" role="alert">{errors[id as keyof typeof errors] ?? ''}</p>
    </>
  );

  return (
    <main class="sign-in">
      <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">{t(lang, 'signIn')}</h2>
        {step === 'password' || step === 'expired' ? (
          <>
            {field('username', t(lang, 'username'), username, setUsername, { autocomplete: 'username' })}
            {field('password', t(lang, 'password'), password, setPassword, { type: 'password', autocomplete: 'current-password' })}
          </>
        ) : (
          <p class="signing-in">{w(lang, 'signingInAs')}<code translate={false}>{username.trim()}</code></p>
        )}
        {step === 'expired' && (
          <>
            <p class="hint">{w(lang, 'passwordRuleHint')}</p>
            {field('newPassword', w(lang, 'newPassword'), newPassword, setNewPassword, { type: 'password', autocomplete: 'new-password' })}
            {field('repeat', w(lang, 'repeatPassword'), repeat, setRepeat, { type: 'password', autocomplete: 'new-password' })}
          </>
        )}
        {step === 'enrol' && offer && (
          <>
            <p class="notice-text">{w(lang, 'mustEnrol')}</p>
            <TotpEnrolment lang={lang} offer={offer} />
          </>
        )}
        {(step === 'code' || step === 'enrol') && (
          <>
            {field('code', w(lang, useRecovery ? 'recoveryCode' : 'code'), code, setCode, useRecovery ? { autocomplete: 'off' } : { inputMode: 'numeric', autocomplete: 'one-time-code', maxLength: '6' })}
            {step === 'code' && (
              <button type="button" class="link" data-action="toggle-recovery" onClick={() => { setUseRecovery(!useRecovery); setCode(''); setErrors({}); }}>{w(lang, useRecovery ? 'useApp' : 'useRecovery')}</button>
            )}
          </>
        )}
        <p class="form-error" role="alert">{errors.form ?? ''}</p>
        <button type="submit" disabled={busy}>{step === 'code' || step === 'enrol' ? w(lang, 'verify') : t(lang, 'signIn')}</button>
        {step !== 'password' && <button type="button" class="secondary" data-action="restart" onClick={restart}>{w(lang, 'back')}</button>}
        {oidc.enabled && step === 'password' && (
          <button type="button" class="secondary oidc" onClick={() => void startOidcSignIn(oidc)}>{t(lang, 'signInOidc')}</button>
        )}
      </form>
      {demo.length > 0 && step === 'password' && (
        <section class="demo" aria-label={t(lang, 'demoUsers')}>
          <h3>{t(lang, 'demoUsers')}</h3>
          <ul>
            {demo.map((u) => (
              <li key={u.username}>
                <button type="button" class="link" data-username={u.username} onClick={() => { setUsername(u.username); setPassword(u.password); restart(); }}>
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
