import { chinaDivisions, maskResidentId, parseResidentId } from '@fbl/codes';
import { DivisionPicker, PICKER_PROVINCE } from './division-picker.js';
import { idNumberProblem } from './problem-words.js';
import { useState } from 'preact/hooks';
import { json, Problem } from './api.js';
import { useFieldErrors } from './forms.js';
import { fill, pageWords, type Lang } from './i18n.js';

const w = pageWords('register');

/**
 * The counties an assessor of a division may register elders in (a county's own, a city's
 * counties); undefined for the whole province (or no division), picked city first.
 */
function divisionsFor(scope: string | null): { code: string; name: string }[] | undefined {
  if (!scope || scope === `${PICKER_PROVINCE}0000`) return undefined;
  const own = chinaDivisions.get(scope);
  if (own?.level === 'city') return chinaDivisions.countiesOf(scope).map((d) => ({ code: d.code, name: d.name }));
  return own?.level === 'county' ? [{ code: own.code, name: own.name }] : [];
}

/** The API's field names, as the ids of this form's inputs. */
const INPUT_OF: Record<string, string> = { idNumber: 'reg-id', name: 'reg-name', phone: 'reg-phone', 'address.divisionCode': 'reg-division', 'address.line': 'reg-line', 'consent.healthData': 'reg-consent' };

/**
 * An assessor registers an elder on the civil-affairs register: the ID number checked as it is
 * typed (birth date and sex read from it), name, phone, where the elder lives, and the consent
 * to use health data. The record is sealed at rest by the service; the page keeps nothing.
 */
export function RegisterElder({ lang, divisionCode }: { lang: Lang; divisionCode: string | null }) {
  const [open, setOpen] = useState(false);
  const [idNumber, setIdNumber] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [division, setDivision] = useState('');
  const [line, setLine] = useState('');
  const [consent, setConsent] = useState(false);
  const [givenBy, setGivenBy] = useState('elder');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const fields = useFieldErrors((n) => w(lang, 'invalid').replace('{n}', String(n)));
  const { formError, form, show, field, error } = fields;
  const counties = divisionsFor(divisionCode);
  const parsed = idNumber.length > 0 ? parseResidentId(idNumber.trim().toUpperCase()) : undefined;

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!idNumber.trim()) found['reg-id'] = w(lang, 'required');
    else if (!parsed?.ok) found['reg-id'] = idNumberProblem(lang, idNumber);
    if (!name.trim()) found['reg-name'] = w(lang, 'required');
    if (phone.trim() && !/^(1\d{10}|0\d{2,3}-?\d{7,8})$/.test(phone.trim())) found['reg-phone'] = w(lang, 'phoneInvalid');
    if (!division) found['reg-division'] = w(lang, 'choose');
    if (!line.trim()) found['reg-line'] = w(lang, 'required');
    if (!consent) found['reg-consent'] = w(lang, 'consentNeeded');
    if (Object.keys(found).length > 0 || !parsed?.ok) return show(found);
    show({});
    setBusy(true);
    try {
      await json<{ id: string }>('POST', '/api/civil-affairs/elders', {
        idNumber: parsed.id.value,
        name: name.trim(),
        gender: parsed.id.sex,
        birthDate: parsed.id.birthDate,
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        address: { divisionCode: division, line: line.trim() },
        consent: { healthData: consent, givenBy },
      });
      setDone(fill(w(lang, 'registered'), { name: name.trim(), id: maskResidentId(parsed.id.value) }));
      setIdNumber('');
      setName('');
      setPhone('');
      setLine('');
      setConsent(false);
    } catch (e) {
      if (e instanceof Problem && e.status === 409) return show({ 'reg-id': w(lang, 'duplicate') });
      if (!(e instanceof Problem) || e.status !== 400) return show({}, String(e instanceof Error ? e.message : e));
      const placed: Record<string, string> = {};
      for (const f of e.body.errors ?? []) {
        const id = INPUT_OF[f.field];
        if (id) placed[id] ??= id === 'reg-id' ? w(lang, 'idInvalid') : id === 'reg-phone' ? w(lang, 'phoneInvalid') : w(lang, 'required');
      }
      show(placed, Object.keys(placed).length === 0 ? (e.body.errors ?? []).map((f) => `${f.field}: ${f.reason}`).join('; ') : '');
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <p class="register-elder">
        <button type="button" class="secondary" onClick={() => setOpen(true)}>{w(lang, 'open')}</button>
        {done && <span class="field-ok" role="status"> {done}</span>}
      </p>
    );
  }
  return (
    <form ref={form} class="panel register-elder" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{w(lang, 'title')}</h3>
      <div class="field-grid">
        <div>
          <label for="reg-id">{w(lang, 'idNumber')}</label>
          <input {...field('reg-id')} name="idNumber" autocomplete="off" maxLength={18} placeholder={w(lang, 'idHint')} value={idNumber} onInput={(e) => { setIdNumber((e.target as HTMLInputElement).value); fields.clear('reg-id'); }} />
          {parsed?.ok && !fields.errors['reg-id'] ? <p class="field-ok" role="status">{w(lang, parsed.id.sex)} · {w(lang, 'born')} {parsed.id.birthDate}</p> : error('reg-id')}
        </div>
        <div>
          <label for="reg-name">{w(lang, 'name')}</label>
          <input {...field('reg-name')} name="name" autocomplete="off" maxLength={50} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          {error('reg-name')}
        </div>
        <div>
          <label for="reg-phone">{w(lang, 'phone')}</label>
          <input {...field('reg-phone')} name="phone" inputMode="tel" autocomplete="off" maxLength={20} value={phone} onInput={(e) => setPhone((e.target as HTMLInputElement).value)} />
          {error('reg-phone')}
        </div>
        <div>
          <label for="reg-division">{w(lang, 'division')}</label>
          {counties ? (
            <select {...field('reg-division')} name="division" value={division} onChange={(e) => setDivision((e.target as HTMLSelectElement).value)}>
              <option value="">{w(lang, 'choose')}</option>
              {counties.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
            </select>
          ) : (
            <DivisionPicker lang={lang} name="division" value={division} onChange={setDivision} inputProps={field('reg-division')} empty={w(lang, 'choose')} />
          )}
          {error('reg-division')}
        </div>
        <div>
          <label for="reg-line">{w(lang, 'line')}</label>
          <input {...field('reg-line')} name="line" autocomplete="off" maxLength={200} value={line} onInput={(e) => setLine((e.target as HTMLInputElement).value)} />
          {error('reg-line')}
        </div>
        <div>
          <label for="reg-given-by">{w(lang, 'givenBy')}</label>
          <select id="reg-given-by" name="givenBy" value={givenBy} onChange={(e) => setGivenBy((e.target as HTMLSelectElement).value)}>
            <option value="elder">{w(lang, 'givenBy_elder')}</option>
            <option value="guardian">{w(lang, 'givenBy_guardian')}</option>
          </select>
        </div>
      </div>
      <label class="check"><input {...field('reg-consent')} type="checkbox" name="consent" checked={consent} onChange={(e) => setConsent((e.target as HTMLInputElement).checked)} />{w(lang, 'consent')}</label>
      {error('reg-consent')}
      <p class="form-error" role="alert">{formError}</p>
      <div class="actions">
        <button type="submit" disabled={busy}>{w(lang, busy ? 'saving' : 'submit')}</button>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>{w(lang, 'close')}</button>
      </div>
      {done && <p class="field-ok" role="status">{done}</p>}
    </form>
  );
}
