import { CARE_NEEDS, COGNITION, COMMON_DIAGNOSES, CONSENT_GIVERS, CONSENT_METHODS, CONTINENCE, FACTS_BY_BED_TYPE, FAMILY_RELATIONS, HOME_SICK_BED_CONDITIONS, INFORMED_CHOICE_BY, MAX_REFERRAL_ATTACHMENT_BYTES, MOBILITY, ATTACHMENT_KINDS, type PacketFact } from '@fbl/contracts/packet-codes';
import { DivisionPicker } from './division-picker.js';
import type { useFieldErrors } from './forms.js';
import { fill, t, wordFor, type Lang } from './i18n.js';
import { FACT_INPUT, FACT_RANGE, fileProblem, inputId, type ConsentDraft, type PacketDraft } from './packet-draft.js';

type Fields = ReturnType<typeof useFieldErrors>;
const value = (e: Event) => (e.target as HTMLInputElement).value;

/** The facts the rules of these bed types ask the planner for, each once, in the order of the rules. */
export function factsFor(bedTypes: readonly string[], requirements: Record<string, unknown> = {}): PacketFact[] {
  const wanted = bedTypes.flatMap((b) => FACTS_BY_BED_TYPE[b as keyof typeof FACTS_BY_BED_TYPE] ?? []);
  const facts = [...new Set(wanted)];
  // A dementia diagnosis matters for a care bed only when a dementia bed is asked for.
  return facts.filter((f) => f !== 'dementiaDiagnosis' || requirements['dementia'] === true || !bedTypes.includes('care'));
}

/**
 * The packet's inputs: reason, discharge date, diagnoses (with ICD-10 codes offered from the
 * common ones), allergies, medications, care needs with a note each, functional status, the
 * facts the bed types' rules need, the family's and the planner's contacts and the elder's wishes.
 * Every input has a Chinese label and, where it helps, a line of help; errors sit under their input.
 */
export function PacketFields({ lang, draft, onChange, bedTypes, requirements, fields, missing = [] }: { lang: Lang; draft: PacketDraft; onChange: (d: PacketDraft) => void; bedTypes: readonly string[]; requirements?: Record<string, unknown>; fields: Fields; missing?: readonly string[] }) {
  const { field, error } = fields;
  const set = (patch: Partial<PacketDraft>) => onChange({ ...draft, ...patch });
  const setFact = (fact: PacketFact, v: string | string[]) => set({ facts: { ...draft.facts, [fact]: v } });
  const facts = factsFor(bedTypes, requirements);
  const pickDiagnosis = (i: number, code: string) => {
    const known = COMMON_DIAGNOSES.find((d) => d.code === code.trim().toUpperCase());
    set({ diagnoses: draft.diagnoses.map((x, j) => (j === i ? { code, name: x.name || known?.name || '' } : x)) });
  };
  return (
    <fieldset class="panel packet-fields" onInput={fields.clearOnEdit} onChange={fields.clearOnEdit}>
      <legend>{t(lang, 'packet')}</legend>
      <p class="hint">{t(lang, 'packetHint')}</p>
      <div class="field-grid wide">
        <div class="span-2">
          <label for={inputId.reason}>{t(lang, 'reason')}</label>
          <textarea {...field(inputId.reason)} name="reason" rows={2} maxLength={1000} placeholder={t(lang, 'reasonHint')} value={draft.reason} onInput={(e) => set({ reason: value(e) })} />
          {error(inputId.reason)}
        </div>
        <div>
          <label for={inputId.plannedDischargeDate}>{t(lang, 'plannedDischargeDate')}</label>
          <input {...field(inputId.plannedDischargeDate)} type="date" name="plannedDischargeDate" value={draft.plannedDischargeDate} onInput={(e) => set({ plannedDischargeDate: value(e) })} />
          {error(inputId.plannedDischargeDate)}
        </div>
        <div>
          <label for={inputId.allergies}>{t(lang, 'allergies')}</label>
          <input {...field(inputId.allergies)} name="allergies" maxLength={500} placeholder={t(lang, 'allergiesHint')} value={draft.allergies} onInput={(e) => set({ allergies: value(e) })} />
          {error(inputId.allergies)}
        </div>
      </div>

      <h4>{t(lang, 'diagnoses')}</h4>
      <datalist id="common-diagnoses">{COMMON_DIAGNOSES.map((d) => <option key={d.code} value={d.code}>{d.name}</option>)}</datalist>
      {draft.diagnoses.map((d, i) => (
        <div class="row-inputs diagnosis" key={i}>
          <div>
            <label for={inputId.diagnosisCode(i)}>{t(lang, 'diagnosisCode')}</label>
            <input {...field(inputId.diagnosisCode(i))} name="diagnosisCode" list="common-diagnoses" maxLength={16} autocomplete="off" placeholder={t(lang, 'diagnosisCodeHint')} value={d.code} onInput={(e) => pickDiagnosis(i, value(e))} />
            {error(inputId.diagnosisCode(i))}
          </div>
          <div class="grow">
            <label for={inputId.diagnosisName(i)}>{t(lang, 'diagnosisName')}</label>
            <input {...field(inputId.diagnosisName(i))} name="diagnosisName" maxLength={100} value={d.name} onInput={(e) => set({ diagnoses: draft.diagnoses.map((x, j) => (j === i ? { ...x, name: value(e) } : x)) })} />
            {error(inputId.diagnosisName(i))}
          </div>
          <button type="button" class="secondary" onClick={() => set({ diagnoses: draft.diagnoses.filter((_, j) => j !== i) })}>{t(lang, 'remove')}</button>
        </div>
      ))}
      <button type="button" class="secondary" data-add="diagnosis" onClick={() => set({ diagnoses: [...draft.diagnoses, { code: '', name: '' }] })}>{t(lang, 'addDiagnosis')}</button>

      <h4>{t(lang, 'medications')}</h4>
      {draft.medications.map((m, i) => (
        <div class="row-inputs medication" key={i}>
          <div class="grow">
            <label for={inputId.medicationName(i)}>{t(lang, 'medicationName')}</label>
            <input {...field(inputId.medicationName(i))} name="medicationName" maxLength={100} value={m.name} onInput={(e) => set({ medications: draft.medications.map((x, j) => (j === i ? { ...x, name: value(e) } : x)) })} />
            {error(inputId.medicationName(i))}
          </div>
          <label>{t(lang, 'dose')}<input name="dose" maxLength={50} value={m.dose} onInput={(e) => set({ medications: draft.medications.map((x, j) => (j === i ? { ...x, dose: value(e) } : x)) })} /></label>
          <label>{t(lang, 'frequency')}<input name="frequency" maxLength={50} value={m.frequency} onInput={(e) => set({ medications: draft.medications.map((x, j) => (j === i ? { ...x, frequency: value(e) } : x)) })} /></label>
          <button type="button" class="secondary" onClick={() => set({ medications: draft.medications.filter((_, j) => j !== i) })}>{t(lang, 'remove')}</button>
        </div>
      ))}
      <button type="button" class="secondary" data-add="medication" onClick={() => set({ medications: [...draft.medications, { name: '', dose: '', frequency: '' }] })}>{t(lang, 'addMedication')}</button>

      <h4>{t(lang, 'careNeeds')}</h4>
      <div class="check-grid">
        {CARE_NEEDS.map((code) => {
          const need = draft.careNeeds[code] ?? { checked: false, note: '' };
          return (
            <div key={code} class="care-need">
              <label class="check"><input type="checkbox" name="careNeed" value={code} checked={need.checked} onChange={(e) => set({ careNeeds: { ...draft.careNeeds, [code]: { ...need, checked: (e.target as HTMLInputElement).checked } } })} />{t(lang, `need_${code}`)}</label>
              {need.checked && <input id={inputId.careNote(code)} aria-label={`${t(lang, `need_${code}`)} · ${t(lang, 'careNeedNote')}`} placeholder={t(lang, 'careNeedNote')} maxLength={200} value={need.note} onInput={(e) => set({ careNeeds: { ...draft.careNeeds, [code]: { ...need, note: value(e) } } })} />}
            </div>
          );
        })}
      </div>

      <h4>{t(lang, 'functional')}</h4>
      <p class="hint">{t(lang, 'functionalHint')}</p>
      <div class="field-grid">
        {([['mobility', MOBILITY], ['continence', CONTINENCE], ['cognition', COGNITION]] as const).map(([key, codes]) => (
          <label key={key}>{t(lang, key)}
            <select name={key} value={draft[key]} onChange={(e) => set({ [key]: value(e) } as Partial<PacketDraft>)}>
              <option value="">{t(lang, 'notStated')}</option>
              {codes.map((c) => <option key={c} value={c}>{t(lang, `${key}_${c}`)}</option>)}
            </select>
          </label>
        ))}
      </div>

      {facts.length > 0 && (
        <section class="eligibility-facts">
          <h4>{t(lang, 'eligibilityFacts')}</h4>
          <p class="hint">{t(lang, 'eligibilityFactsHint')}</p>
          <div class="field-grid wide">
            {facts.map((fact) => <FactInput key={fact} lang={lang} fact={fact} value={draft.facts[fact]} onChange={(v) => setFact(fact, v)} fields={fields} missing={missing.includes(fact)} />)}
          </div>
        </section>
      )}

      <h4>{t(lang, 'familyContact')}</h4>
      <p class="hint">{t(lang, 'familyContactHint')}</p>
      <div class="field-grid">
        <div>
          <label for={inputId.familyName}>{t(lang, 'contactName')}</label>
          <input {...field(inputId.familyName)} name="familyName" maxLength={50} autocomplete="off" value={draft.familyName} onInput={(e) => set({ familyName: value(e) })} />
          {error(inputId.familyName)}
        </div>
        <div>
          <label for={inputId.familyRelation}>{t(lang, 'relation')}</label>
          <select {...field(inputId.familyRelation)} name="familyRelation" value={draft.familyRelation} onChange={(e) => set({ familyRelation: value(e) })}>
            <option value="">{t(lang, 'choose')}</option>
            {FAMILY_RELATIONS.map((r) => <option key={r} value={r}>{t(lang, `relation_${r}`)}</option>)}
          </select>
          {error(inputId.familyRelation)}
        </div>
        <div>
          <label for={inputId.familyPhone}>{t(lang, 'phone')}</label>
          <input {...field(inputId.familyPhone)} name="familyPhone" inputMode="tel" maxLength={20} autocomplete="off" value={draft.familyPhone} onInput={(e) => set({ familyPhone: value(e) })} />
          {error(inputId.familyPhone)}
        </div>
      </div>
      <label>{t(lang, 'wishes')}<textarea name="wishes" rows={2} maxLength={1000} placeholder={t(lang, 'wishesHint')} value={draft.wishes} onInput={(e) => set({ wishes: value(e) })} /></label>
      <h4>{t(lang, 'plannerContact')}</h4>
      <p class="hint">{t(lang, 'plannerContactHint')}</p>
      <div class="field-grid">
        <div>
          <label for={inputId.plannerName}>{t(lang, 'contactName')}</label>
          <input {...field(inputId.plannerName)} name="plannerName" maxLength={50} value={draft.plannerName} onInput={(e) => set({ plannerName: value(e) })} />
          {error(inputId.plannerName)}
        </div>
        <div>
          <label for={inputId.plannerPhone}>{t(lang, 'phone')}</label>
          <input {...field(inputId.plannerPhone)} name="plannerPhone" inputMode="tel" maxLength={20} value={draft.plannerPhone} onInput={(e) => set({ plannerPhone: value(e) })} />
          {error(inputId.plannerPhone)}
        </div>
      </div>
    </fieldset>
  );
}

/** One eligibility fact's input: yes/no, a number with its range, a choice, the qualifying conditions, or a county. */
function FactInput({ lang, fact, value: current, onChange, fields, missing }: { lang: Lang; fact: PacketFact; value: string | string[] | undefined; onChange: (v: string | string[]) => void; fields: Fields; missing: boolean }) {
  const id = inputId.fact(fact);
  const { field, error } = fields;
  const help = wordFor(lang, `help_${fact}`);
  const label = <label for={id}>{t(lang, `fact_${fact}`)}{missing && <span class="missing-mark"> · {t(lang, 'missingFacts')}</span>}</label>;
  const helpLine = help ? <p class="hint">{help}</p> : null;
  switch (FACT_INPUT[fact]) {
    case 'boolean':
      return (
        <div class={missing ? 'fact missing' : 'fact'} data-fact={fact}>
          {label}
          <select {...field(id)} name={fact} value={(current as string | undefined) ?? ''} onChange={(e) => onChange(value(e))}>
            <option value="">{t(lang, 'notStated')}</option>
            <option value="yes">{t(lang, 'yes')}</option>
            <option value="no">{t(lang, 'no')}</option>
          </select>
          {helpLine}
          {error(id)}
        </div>
      );
    case 'number': {
      const range = FACT_RANGE[fact]!;
      return (
        <div class={missing ? 'fact missing' : 'fact'} data-fact={fact}>
          {label}
          <input {...field(id)} name={fact} type="number" inputMode="decimal" min={range.min} max={range.max} step={range.step} value={(current as string | undefined) ?? ''} onInput={(e) => onChange(value(e))} />
          {helpLine}
          {error(id)}
        </div>
      );
    }
    case 'choice':
      return (
        <div class={missing ? 'fact missing' : 'fact'} data-fact={fact}>
          {label}
          <select {...field(id)} name={fact} value={(current as string | undefined) ?? ''} onChange={(e) => onChange(value(e))}>
            <option value="">{t(lang, 'notStated')}</option>
            {INFORMED_CHOICE_BY.map((c) => <option key={c} value={c}>{t(lang, `choice_${c}`)}</option>)}
          </select>
          {helpLine}
          {error(id)}
        </div>
      );
    case 'division':
      return (
        <div class={missing ? 'fact missing' : 'fact'} data-fact={fact}>
          {label}
          <DivisionPicker lang={lang} name={fact} value={(current as string | undefined) ?? ''} onChange={onChange} inputProps={field(id)} empty={t(lang, 'notStated')} />
          {helpLine}
          {error(id)}
        </div>
      );
    case 'conditions': {
      const chosen = (current as string[] | undefined) ?? [];
      return (
        <fieldset class={`span-2 ${missing ? 'fact missing' : 'fact'}`} data-fact={fact} id={id}>
          <legend>{t(lang, `fact_${fact}`)}{missing && <span class="missing-mark"> · {t(lang, 'missingFacts')}</span>}</legend>
          {helpLine}
          <div class="check-grid">
            {HOME_SICK_BED_CONDITIONS.map((c) => (
              <label class="check" key={c}><input type="checkbox" name={fact} value={c} checked={chosen.includes(c)} onChange={(e) => onChange((e.target as HTMLInputElement).checked ? [...chosen, c] : chosen.filter((x) => x !== c))} />{t(lang, `condition_${c}`)}</label>
            ))}
          </div>
          {error(id)}
        </fieldset>
      );
    }
  }
}

/**
 * The separate consent to share the packet with providers: who gave it and how. When a referral
 * starts it is a box to tick (`start`); later it is recorded (`give`) or withdrawn (`withdraw`).
 */
export function ConsentFields({ lang, consent, onChange, fields, purpose = 'start' }: { lang: Lang; consent: ConsentDraft; onChange: (c: ConsentDraft) => void; fields: Fields; purpose?: 'start' | 'give' | 'withdraw' }) {
  const { field, error } = fields;
  const withdraw = purpose === 'withdraw';
  return (
    <fieldset class="panel consent" onInput={fields.clearOnEdit} onChange={fields.clearOnEdit}>
      <legend>{t(lang, withdraw ? 'withdrawConsent' : 'consent')}</legend>
      <p class="hint">{t(lang, withdraw ? 'confirmWithdraw' : 'consentLaw')}</p>
      {purpose === 'start' && <label class="check"><input id="pk-consent" type="checkbox" name="consentGiven" checked={consent.given} onChange={(e) => onChange({ ...consent, given: (e.target as HTMLInputElement).checked })} />{t(lang, 'consentGiven')}</label>}
      {consent.given && (
        <div class="field-grid">
          <label>{t(lang, withdraw ? 'withdrawnBy' : 'consentGiver')}
            <select name="consentGiver" value={consent.givenBy} onChange={(e) => onChange({ ...consent, givenBy: value(e) })}>
              {CONSENT_GIVERS.map((g) => <option key={g} value={g}>{t(lang, `consentGiver_${g}`)}</option>)}
            </select>
          </label>
          {consent.givenBy !== 'elder' && (
            <div>
              <label for="pk-consent-giver-name">{t(lang, 'consentGiverName')}</label>
              <input {...field('pk-consent-giver-name')} name="consentGiverName" maxLength={50} autocomplete="off" value={consent.giverName} onInput={(e) => onChange({ ...consent, giverName: value(e) })} />
              {error('pk-consent-giver-name')}
            </div>
          )}
          <label>{t(lang, withdraw ? 'withdrawMethod' : 'consentMethod')}
            <select name="consentMethod" value={consent.method} onChange={(e) => onChange({ ...consent, method: value(e) })}>
              {CONSENT_METHODS.map((m) => <option key={m} value={m}>{t(lang, `consentMethod_${m}`)}</option>)}
            </select>
          </label>
        </div>
      )}
      {purpose === 'start' && !consent.given && <p class="warning">{t(lang, 'consentStatusNone')}</p>}
    </fieldset>
  );
}

/** A file chosen to attach, with what it is. */
export interface PendingFile {
  file: File;
  kind: string;
}

/** Choose files to attach (checked for type and size before anything is sent), each with its kind. */
export function AttachmentPicker({ lang, files, onChange, alreadyBytes = 0, title = 'attachments' }: { lang: Lang; files: PendingFile[]; onChange: (f: PendingFile[]) => void; alreadyBytes?: number; title?: string }) {
  // The first file is most often the discharge summary, the next ones test results.
  const kind = files.length === 0 ? 'discharge-summary' : 'test-result';
  const total = alreadyBytes + files.reduce((n, f) => n + f.file.size, 0);
  const add = (list: FileList | null) => {
    if (!list) return;
    onChange([...files, ...[...list].map((file) => ({ file, kind }))]);
  };
  return (
    <fieldset class="panel attachment-picker">
      <legend>{t(lang, title)}</legend>
      <p class="hint">{t(lang, 'attachmentsHint')}</p>
      {files.length > 0 && <ul class="files">
        {files.map((f, i) => {
          const problem = fileProblem(f.file);
          return (
            <li key={i} data-file={f.file.name}>
              <select aria-label={t(lang, 'attachmentKind')} value={f.kind} onChange={(e) => onChange(files.map((x, j) => (j === i ? { ...x, kind: value(e) } : x)))}>
                {ATTACHMENT_KINDS.map((k) => <option key={k} value={k}>{t(lang, `attachment_${k}`)}</option>)}
              </select>
              <span class="wrap">{f.file.name} · {sizeText(lang, f.file.size)}</span>
              <button type="button" class="secondary" onClick={() => onChange(files.filter((_, j) => j !== i))}>{t(lang, 'remove')}</button>
              {problem && <span class="field-error" role="alert">{t(lang, problem)}</span>}
            </li>
          );
        })}
      </ul>}
      <label class="file-button">{t(lang, 'addAttachment')}<input type="file" name="attachment" accept="application/pdf,image/jpeg,image/png" multiple onChange={(e) => { add((e.target as HTMLInputElement).files); (e.target as HTMLInputElement).value = ''; }} /></label>
      {total > MAX_REFERRAL_ATTACHMENT_BYTES && <p class="field-error" role="alert">{t(lang, 'filesTooLarge')}</p>}
    </fieldset>
  );
}

/** The words the packet's checks answer with, in the reader's language. */
export const packetWords = (lang: Lang) => ({
  required: t(lang, 'required'),
  phoneInvalid: t(lang, 'phoneInvalid'),
  diagnosisCodeInvalid: t(lang, 'diagnosisCodeInvalid'),
  outOfRange: (min: number, max: number, step: number) => fill(t(lang, step === 1 ? 'outOfRange' : 'offStep'), { min, max, step }),
});

/** Whether the chosen files can all be sent. */
export const filesOk = (files: PendingFile[], alreadyBytes = 0) => files.every((f) => !fileProblem(f.file)) && alreadyBytes + files.reduce((n, f) => n + f.file.size, 0) <= MAX_REFERRAL_ATTACHMENT_BYTES;

/** A size in KB or MB. */
export function sizeText(lang: Lang, bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} ${t(lang, 'megabytes')}` : `${Math.max(1, Math.round(bytes / 1024))} ${t(lang, 'kilobytes')}`;
}

/** Send chosen files to a referral, one after another; the names of those refused, with why. */
export async function uploadAll(referralId: string, files: PendingFile[], send: (path: string, file: File) => Promise<Response>): Promise<string[]> {
  const failed: string[] = [];
  for (const f of files) {
    const response = await send(`/api/referrals/${referralId}/attachments?kind=${encodeURIComponent(f.kind)}&name=${encodeURIComponent(f.file.name)}`, f.file);
    if (!response.ok) failed.push(f.file.name);
  }
  return failed;
}
