import { FOLLOW_UP_CONDITION, FOLLOW_UP_METHODS, FOLLOW_UP_NEEDS, FOLLOW_UP_SATISFACTION, FOLLOW_UP_SETTLING } from '@fbl/contracts/packet-codes';
import { useEffect, useState } from 'preact/hooks';
import { json, problemText } from './api.js';
import { useFieldErrors } from './forms.js';
import { chinaTime, fill, t, type Lang } from './i18n.js';

/** The follow-up's answers as the server keeps them (`FollowUpRecord` in @fbl/contracts). */
interface FollowUpRecord {
  method: string;
  settling: string;
  condition: string;
  satisfaction: string;
  needs?: string[];
  note?: string;
  recordedByName?: string | null;
  recordedAt?: string;
}

/** One question answered by picking one of a few codes, each in words. */
function OneOf(props: { lang: Lang; id: string; label: string; codes: readonly string[]; prefix: string; value: string; onPick: (code: string) => void; fields: ReturnType<typeof useFieldErrors> }) {
  return (
    <fieldset {...props.fields.field(props.id)} class="choice-row">
      <legend>{props.label}</legend>
      {props.codes.map((code) => (
        <label class="check" key={code}>
          <input type="radio" name={props.id} value={code} checked={props.value === code} onChange={() => props.onPick(code)} />
          {t(props.lang, `${props.prefix}_${code}`)}
        </label>
      ))}
      {props.fields.error(props.id)}
    </fieldset>
  );
}

/**
 * The receiver's follow-up (随访) as a short form: how it was done, how the elder settled and is,
 * the family's satisfaction, what comes next and a note. Sending it closes the referral's loop.
 */
export function FollowUpForm({ lang, referralId, onDone, onCancel }: { lang: Lang; referralId: string; onDone: () => void; onCancel: () => void }) {
  const [answers, setAnswers] = useState({ method: '', settling: '', condition: '', satisfaction: '' });
  const [needs, setNeeds] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const fields = useFieldErrors((n) => fill(t(lang, 'followUp_errors'), { n }));
  const questions = [
    { key: 'method', codes: FOLLOW_UP_METHODS, prefix: 'followUpMethod' },
    { key: 'settling', codes: FOLLOW_UP_SETTLING, prefix: 'followUpSettling' },
    { key: 'condition', codes: FOLLOW_UP_CONDITION, prefix: 'followUpCondition' },
    { key: 'satisfaction', codes: FOLLOW_UP_SATISFACTION, prefix: 'followUpSatisfaction' },
  ] as const;
  const submit = async (e: Event) => {
    e.preventDefault();
    const missing = Object.fromEntries(questions.filter((q) => !answers[q.key]).map((q) => [`fu-${q.key}`, t(lang, 'followUp_choose')]));
    if (Object.keys(missing).length > 0) return fields.show(missing);
    setBusy(true);
    try {
      await json('POST', `/api/referrals/${referralId}/follow-up`, { ...answers, ...(needs.length > 0 ? { needs } : {}), ...(note.trim() ? { note: note.trim() } : {}) });
      onDone();
    } catch (error) {
      fields.show({}, problemText(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form ref={fields.form} class="panel follow-up-form" data-referral={referralId} onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t(lang, 'followUp_title')}</h3>
      {questions.map((q) => (
        <OneOf
          key={q.key}
          lang={lang}
          id={`fu-${q.key}`}
          label={t(lang, `followUp_${q.key}`)}
          codes={q.codes}
          prefix={q.prefix}
          value={answers[q.key]}
          fields={fields}
          onPick={(code) => {
            setAnswers({ ...answers, [q.key]: code });
            fields.clear(`fu-${q.key}`);
          }}
        />
      ))}
      <fieldset class="choice-row">
        <legend>{t(lang, 'followUp_needs')}</legend>
        {FOLLOW_UP_NEEDS.map((code) => (
          <label class="check" key={code}>
            <input type="checkbox" name="needs" value={code} checked={needs.includes(code)} onChange={(e) => setNeeds((e.target as HTMLInputElement).checked ? [...needs, code] : needs.filter((n) => n !== code))} />
            {t(lang, `followUpNeed_${code}`)}
          </label>
        ))}
      </fieldset>
      <label>
        {t(lang, 'followUp_note')}
        <textarea name="note" maxLength={500} rows={3} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
      </label>
      <p class="form-error" role="alert">{fields.formError}</p>
      <div class="actions">
        <button type="submit" disabled={busy}>{t(lang, 'followUp_submit')}</button>
        <button type="button" class="secondary" onClick={onCancel}>{t(lang, 'followUp_cancel')}</button>
      </div>
    </form>
  );
}

/** A referral's follow-up as recorded, for the referring side and the receiver. */
export function FollowUpView({ lang, referralId }: { lang: Lang; referralId: string }) {
  const [record, setRecord] = useState<FollowUpRecord | null | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    json<FollowUpRecord | null>('GET', `/api/referrals/${referralId}/follow-up`).then(setRecord, (e: unknown) => setError(problemText(e)));
  }, [referralId]);
  if (error) return <p class="form-error" role="alert">{error}</p>;
  if (record === undefined) return null;
  return (
    <section class="panel follow-up-view">
      <h3>{t(lang, 'followUp_title')}</h3>
      {record === null ? (
        <p>{t(lang, 'followUp_none')}</p>
      ) : (
        <dl class="kv">
          <dt>{t(lang, 'followUp_method')}</dt><dd>{t(lang, `followUpMethod_${record.method}`)}</dd>
          <dt>{t(lang, 'followUp_settling')}</dt><dd>{t(lang, `followUpSettling_${record.settling}`)}</dd>
          <dt>{t(lang, 'followUp_condition')}</dt><dd>{t(lang, `followUpCondition_${record.condition}`)}</dd>
          <dt>{t(lang, 'followUp_satisfaction')}</dt><dd>{t(lang, `followUpSatisfaction_${record.satisfaction}`)}</dd>
          {record.needs && record.needs.length > 0 && (<><dt>{t(lang, 'followUp_needs')}</dt><dd>{record.needs.map((n) => t(lang, `followUpNeed_${n}`)).join('、')}</dd></>)}
          {record.note && (<><dt>{t(lang, 'followUp_note')}</dt><dd>{record.note}</dd></>)}
          {record.recordedByName && (<><dt>{t(lang, 'followUp_by')}</dt><dd>{record.recordedByName}</dd></>)}
          {record.recordedAt && (<><dt>{t(lang, 'followUp_at')}</dt><dd>{chinaTime(lang, record.recordedAt)}</dd></>)}
        </dl>
      )}
    </section>
  );
}
