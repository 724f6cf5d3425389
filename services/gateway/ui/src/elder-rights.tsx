import { useState } from 'preact/hooks';
import { json, Problem, problemText } from './api.js';
import { DivisionPicker } from './division-picker.js';
import { useFieldErrors } from './forms.js';
import { fill, pageWords, type Lang } from './i18n.js';

const w = pageWords('rights');

/** What the record shows of the parts a person may have corrected. */
export interface CorrectableRecord {
  elderRef: string;
  divisionCode: string;
  address?: string;
  phone?: string | null;
  guardian?: { name: string; relation: string; phone?: string } | null;
}

const PHONE = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;

/** The API's field names, as the ids of this form's inputs. */
const INPUT_OF: Record<string, string> = { 'address.divisionCode': 'fix-division', 'address.line': 'fix-line', phone: 'fix-phone', 'guardian.name': 'fix-guardian-name', 'guardian.relation': 'fix-guardian-relation', 'guardian.phone': 'fix-guardian-phone' };

/**
 * An elder's rights over the record (个人信息保护法 第四十六、四十七条), exercised by civil-affairs
 * staff at the elder's or guardian's request: correcting the home, phone or guardian, and erasing
 * the personal information. Only what changed is sent; the service audits both, and a moved home
 * reaches the elder's unfinished referrals.
 */
export function ElderRights({ lang, record, onChanged }: { lang: Lang; record: CorrectableRecord; onChanged: () => void }) {
  const [mode, setMode] = useState<'closed' | 'correct' | 'erase'>('closed');
  const [division, setDivision] = useState(record.divisionCode);
  const [line, setLine] = useState(record.address ?? '');
  const [phone, setPhone] = useState(record.phone ?? '');
  const [hasGuardian, setHasGuardian] = useState(Boolean(record.guardian));
  const [gName, setGName] = useState(record.guardian?.name ?? '');
  const [gRelation, setGRelation] = useState(record.guardian?.relation ?? '');
  const [gPhone, setGPhone] = useState(record.guardian?.phone ?? '');
  const [ground, setGround] = useState<'request' | 'retention'>('request');
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const fields = useFieldErrors((n) => fill(w(lang, 'invalid'), { n }));
  const { formError, form, show, field, error } = fields;

  const correction = () => {
    const body: Record<string, unknown> = {};
    if (division !== record.divisionCode || line.trim() !== (record.address ?? '')) body['address'] = { divisionCode: division, line: line.trim() };
    if (phone.trim() !== (record.phone ?? '')) body['phone'] = phone.trim() ? phone.trim() : null;
    const guardian = hasGuardian ? { name: gName.trim(), relation: gRelation.trim(), ...(gPhone.trim() ? { phone: gPhone.trim() } : {}) } : null;
    if (JSON.stringify(guardian) !== JSON.stringify(record.guardian ?? null)) body['guardian'] = guardian;
    return body;
  };

  const submitCorrection = async (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!division) found['fix-division'] = w(lang, 'choose');
    if (!line.trim()) found['fix-line'] = w(lang, 'required');
    if (phone.trim() && !PHONE.test(phone.trim())) found['fix-phone'] = w(lang, 'phoneInvalid');
    if (hasGuardian && !gName.trim()) found['fix-guardian-name'] = w(lang, 'required');
    if (hasGuardian && !gRelation.trim()) found['fix-guardian-relation'] = w(lang, 'required');
    if (hasGuardian && gPhone.trim() && !PHONE.test(gPhone.trim())) found['fix-guardian-phone'] = w(lang, 'phoneInvalid');
    if (Object.keys(found).length > 0) return show(found);
    const body = correction();
    if (Object.keys(body).length === 0) return show({}, w(lang, 'nothingChanged'));
    show({});
    setBusy(true);
    try {
      const result = await json<{ parts: ('address' | 'phone' | 'guardian')[]; homeMoved: boolean }>('PATCH', `/api/civil-affairs/elders/${record.elderRef}`, body);
      setDone(fill(w(lang, 'corrected'), { parts: result.parts.map((p) => w(lang, `part_${p}`)).join('、') }) + (result.homeMoved ? w(lang, 'homeMoved') : ''));
      setMode('closed');
      onChanged();
    } catch (e) {
      if (e instanceof Problem && e.status === 409) return show({}, w(lang, e.body.type?.endsWith('/erased') ? 'refused_erased' : 'nothingChanged'));
      if (!(e instanceof Problem) || e.status !== 400) return show({}, problemText(e));
      const placed: Record<string, string> = {};
      for (const f of e.body.errors ?? []) {
        const id = INPUT_OF[f.field];
        if (id) placed[id] ??= id.includes('phone') ? w(lang, 'phoneInvalid') : id === 'fix-division' ? w(lang, 'divisionInvalid') : w(lang, 'required');
      }
      show(placed, Object.keys(placed).length === 0 ? problemText(e) : '');
    } finally {
      setBusy(false);
    }
  };

  const submitErasure = async (event: Event) => {
    event.preventDefault();
    if (!checked) return show({ 'erase-checked': w(lang, 'confirmNeeded') });
    show({});
    setBusy(true);
    try {
      await json('POST', `/api/civil-affairs/elders/${record.elderRef}/erasure`, { ground });
      setMode('closed');
      onChanged();
    } catch (e) {
      show({}, e instanceof Problem && e.status === 409 ? fill(w(lang, 'eraseRefused'), { why: eraseRefusal(lang, e) }) : problemText(e));
    } finally {
      setBusy(false);
    }
  };

  if (mode === 'closed') {
    return (
      <section class="panel elder-rights">
        <h3>{w(lang, 'title')}</h3>
        <p class="hint">{w(lang, 'hint')}</p>
        <div class="actions">
          <button type="button" class="secondary" data-action="correct-record" onClick={() => setMode('correct')}>{w(lang, 'correct')}</button>
          <button type="button" class="secondary danger" data-action="erase-record" onClick={() => { setChecked(false); setMode('erase'); }}>{w(lang, 'erase')}</button>
        </div>
        {done && <p class="field-ok" role="status">{done}</p>}
      </section>
    );
  }
  if (mode === 'erase') {
    return (
      <form ref={form} class="panel elder-rights erase" onSubmit={(e) => void submitErasure(e)} noValidate>
        <h3>{w(lang, 'erase')}</h3>
        <p>{w(lang, 'eraseWhat')}</p>
        <label for="erase-ground">{w(lang, 'ground')}</label>
        <select id="erase-ground" name="ground" value={ground} onChange={(e) => setGround((e.target as HTMLSelectElement).value as 'request' | 'retention')}>
          <option value="request">{w(lang, 'ground_request')}</option>
          <option value="retention">{w(lang, 'ground_retention')}</option>
        </select>
        <label class="check"><input {...field('erase-checked')} type="checkbox" name="checked" checked={checked} onChange={(e) => { setChecked((e.target as HTMLInputElement).checked); fields.clear('erase-checked'); }} />{w(lang, ground === 'request' ? 'confirmRequest' : 'confirmRetention')}</label>
        {error('erase-checked')}
        <p class="form-error" role="alert">{formError}</p>
        <div class="actions">
          <button type="submit" class="danger" disabled={busy}>{w(lang, busy ? 'saving' : 'eraseNow')}</button>
          <button type="button" class="secondary" onClick={() => setMode('closed')}>{w(lang, 'cancel')}</button>
        </div>
      </form>
    );
  }
  return (
    <form ref={form} class="panel elder-rights correct" onSubmit={(e) => void submitCorrection(e)} noValidate>
      <h3>{w(lang, 'correct')}</h3>
      <div class="field-grid">
        <div>
          <label for="fix-division">{w(lang, 'division')}</label>
          <DivisionPicker lang={lang} name="division" value={division} onChange={(code) => { setDivision(code); fields.clear('fix-division'); }} inputProps={field('fix-division')} empty={w(lang, 'choose')} />
          {error('fix-division')}
        </div>
        <div>
          <label for="fix-line">{w(lang, 'line')}</label>
          <input {...field('fix-line')} name="line" autocomplete="off" maxLength={200} value={line} onInput={(e) => { setLine((e.target as HTMLInputElement).value); fields.clear('fix-line'); }} />
          {error('fix-line')}
        </div>
        <div>
          <label for="fix-phone">{w(lang, 'phone')}</label>
          <input {...field('fix-phone')} name="phone" inputMode="tel" autocomplete="off" maxLength={20} placeholder={w(lang, 'phoneEmpty')} value={phone} onInput={(e) => { setPhone((e.target as HTMLInputElement).value); fields.clear('fix-phone'); }} />
          {error('fix-phone')}
        </div>
      </div>
      <label class="check"><input type="checkbox" name="hasGuardian" checked={hasGuardian} onChange={(e) => setHasGuardian((e.target as HTMLInputElement).checked)} />{w(lang, 'hasGuardian')}</label>
      {hasGuardian && (
        <div class="field-grid">
          <div>
            <label for="fix-guardian-name">{w(lang, 'guardianName')}</label>
            <input {...field('fix-guardian-name')} name="guardianName" autocomplete="off" maxLength={50} value={gName} onInput={(e) => { setGName((e.target as HTMLInputElement).value); fields.clear('fix-guardian-name'); }} />
            {error('fix-guardian-name')}
          </div>
          <div>
            <label for="fix-guardian-relation">{w(lang, 'guardianRelation')}</label>
            <input {...field('fix-guardian-relation')} name="guardianRelation" autocomplete="off" maxLength={20} value={gRelation} onInput={(e) => { setGRelation((e.target as HTMLInputElement).value); fields.clear('fix-guardian-relation'); }} />
            {error('fix-guardian-relation')}
          </div>
          <div>
            <label for="fix-guardian-phone">{w(lang, 'guardianPhone')}</label>
            <input {...field('fix-guardian-phone')} name="guardianPhone" inputMode="tel" autocomplete="off" maxLength={20} value={gPhone} onInput={(e) => { setGPhone((e.target as HTMLInputElement).value); fields.clear('fix-guardian-phone'); }} />
            {error('fix-guardian-phone')}
          </div>
        </div>
      )}
      <p class="form-error" role="alert">{formError}</p>
      <div class="actions">
        <button type="submit" disabled={busy}>{w(lang, busy ? 'saving' : 'save')}</button>
        <button type="button" class="secondary" onClick={() => setMode('closed')}>{w(lang, 'cancel')}</button>
      </div>
    </form>
  );
}

/** Why an erasure was refused, in the reader's words, by the refusal's code (the problem type's last part). */
function eraseRefusal(lang: Lang, problem: Problem): string {
  const code = problem.body.type?.split('/').pop() ?? '';
  const key = ({ 'on-waiting-list': 'refused_waitingList', 'in-care': 'refused_provider', erased: 'refused_erased' } as Record<string, string>)[code];
  return w(lang, key ?? 'refused_other');
}

/** The notice an erased record shows instead of the person. */
export function ErasedNotice({ lang, erasedAt }: { lang: Lang; erasedAt: string }) {
  return <p class="notice erased" role="status">{fill(w(lang, 'erasedNotice'), { date: new Date(Date.parse(erasedAt) + 8 * 3600_000).toISOString().slice(0, 10) })}</p>;
}
