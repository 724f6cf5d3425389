import { useEffect, useState } from 'preact/hooks';
import { json, Problem, problemText } from './api.js';
import { fill, pageWords, t, type Lang } from './i18n.js';
import { QrCode } from './referral-print.js';

const w = pageWords('totp');

/** A secret offered for enrolment: as text to type and as an otpauth:// URI for a QR code. */
export interface TotpOffer {
  secret: string;
  otpauthUri: string;
}

/** The secret in groups of four, easier to read out and type. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

/** How to add the secret to an authenticator app: the QR code, the secret as text, and the app's first code asked for below. */
export function TotpEnrolment({ lang, offer }: { lang: Lang; offer: TotpOffer }) {
  return (
    <div class="totp-enrolment">
      <p>{w(lang, 'enrolSteps')}</p>
      <div class="totp-secret">
        <QrCode text={offer.otpauthUri} size={168} />
        <div>
          <p class="hint">{w(lang, 'secretText')}</p>
          <p><code class="secret" translate={false} data-secret={offer.secret}>{grouped(offer.secret)}</code></p>
          <p class="hint">{w(lang, 'secretKind')}</p>
        </div>
      </div>
    </div>
  );
}

/** The recovery codes of a new enrolment, shown this once, and a button to go on once they are kept. */
export function RecoveryCodes({ lang, codes, onDone }: { lang: Lang; codes: string[]; onDone: () => void }) {
  return (
    <section class="panel notice recovery-codes" aria-labelledby="recovery-title">
      <h3 id="recovery-title">{w(lang, 'recoveryTitle')}</h3>
      <p>{w(lang, 'recoveryExplain')}</p>
      <ol translate={false}>
        {codes.map((c) => <li key={c}><code>{c}</code></li>)}
      </ol>
      <button type="button" data-action="recovery-kept" onClick={onDone}>{w(lang, 'recoveryKept')}</button>
    </section>
  );
}

interface Status {
  enrolled: boolean;
  required: boolean;
  recoveryCodesLeft: number;
}

/** The signed-in account's own security: whether it signs in with a second factor, and enrolling one. */
export function Security({ lang, onClose }: { lang: Lang; onClose: () => void }) {
  const [status, setStatus] = useState<Status | null>(null);
  const [offer, setOffer] = useState<TotpOffer | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState('');
  const load = () => json<Status>('GET', '/api/auth/second-factor').then(setStatus, (e) => setError(problemText(e)));
  useEffect(() => void load(), []);

  const start = async () => {
    setError('');
    try {
      setOffer(await json<TotpOffer>('POST', '/api/auth/second-factor/offer', {}));
    } catch (e) {
      setError(problemText(e));
    }
  };
  const confirm = async (event: Event) => {
    event.preventDefault();
    if (!/^\d{6}$/.test(code.trim())) return setError(w(lang, 'codeFormat'));
    try {
      const made = await json<{ recoveryCodes: string[] }>('POST', '/api/auth/second-factor/confirm', { code: code.trim() });
      setCodes(made.recoveryCodes);
      setOffer(null);
      setCode('');
      setError('');
    } catch (e) {
      setError(w(lang, 'wrongCode'));
      void e;
    }
  };

  return (
    <main class="security">
      <section class="panel">
        <h2>{w(lang, 'title')}</h2>
        {codes ? (
          <RecoveryCodes lang={lang} codes={codes} onDone={() => { setCodes(null); void load(); }} />
        ) : status === null ? (
          <p>{w(lang, 'loading')}</p>
        ) : status.enrolled ? (
          <>
            <p class="totp-state" data-enrolled="true">{w(lang, 'enrolled')}</p>
            <p>{fill(w(lang, 'codesLeft'), { n: status.recoveryCodesLeft })}</p>
            <p class="hint">{w(lang, 'lostPhone')}</p>
          </>
        ) : offer ? (
          <form onSubmit={(e) => void confirm(e)} noValidate>
            <TotpEnrolment lang={lang} offer={offer} />
            <label for="totp-confirm">{w(lang, 'code')}</label>
            <input id="totp-confirm" inputMode="numeric" autocomplete="one-time-code" maxLength={6} value={code} onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
            <button type="submit">{w(lang, 'confirm')}</button>
          </form>
        ) : (
          <>
            <p class="totp-state" data-enrolled="false">{w(lang, status.required ? 'requiredNotEnrolled' : 'notEnrolled')}</p>
            <p class="hint">{w(lang, 'why')}</p>
            <button type="button" data-action="enrol" onClick={() => void start()}>{w(lang, 'enrol')}</button>
          </>
        )}
        <p class="form-error" role="alert">{error}</p>
      </section>
      <ChangePassword lang={lang} />
      <button type="button" class="secondary" onClick={onClose}>{w(lang, 'back')}</button>
    </main>
  );
}

/** Change one's own password: the current one, then the new one twice; the rules and the history said in words. */
function ChangePassword({ lang }: { lang: Lang }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<{ current?: string; next?: string; repeat?: string; form?: string }>({});
  const [done, setDone] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setDone(false);
    const missing = { ...(current ? {} : { current: t(lang, 'required') }), ...(next ? {} : { next: t(lang, 'required') }), ...(next && next !== repeat ? { repeat: w(lang, 'repeatDiffers') } : {}) };
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    try {
      await json('POST', '/api/auth/password', { currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
    } catch (e) {
      const field = e instanceof Problem ? e.body.errors?.[0] : undefined;
      if (field?.field === 'currentPassword') setErrors({ current: w(lang, 'wrongCurrent') });
      else if (field?.field === 'newPassword') setErrors({ next: w(lang, field.reason.includes('differ') ? 'passwordReused' : 'passwordRule') });
      else setErrors({ form: e instanceof Problem && e.status === 423 ? t(lang, 'locked') : problemText(e) });
    }
  };
  const input = (id: 'current' | 'next' | 'repeat', label: string, value: string, set: (v: string) => void, autocomplete: string) => (
    <>
      <label for={`pw-${id}`}>{label}</label>
      <input id={`pw-${id}`} type="password" autocomplete={autocomplete} value={value} aria-invalid={errors[id] ? 'true' : 'false'} aria-describedby={`pw-${id}-error`} onInput={(e) => set((e.target as HTMLInputElement).value)} />
      <p id={`pw-${id}-error`} class="field-error" role="alert">{errors[id] ?? ''}</p>
    </>
  );
  return (
    <section class="panel change-password">
      <h2>{w(lang, 'changePassword')}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p class="hint">{w(lang, 'passwordRuleHint')}</p>
        {input('current', w(lang, 'currentPassword'), current, setCurrent, 'current-password')}
        {input('next', w(lang, 'newPassword'), next, setNext, 'new-password')}
        {input('repeat', w(lang, 'repeatPassword'), repeat, setRepeat, 'new-password')}
        <p class="form-error" role="alert">{errors.form ?? ''}</p>
        {done && <p class="notice-text" role="status">{w(lang, 'passwordChanged')}</p>}
        <button type="submit">{w(lang, 'changePassword')}</button>
      </form>
    </section>
  );
}
