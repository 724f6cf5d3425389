import { chinaDivisions } from '@fbl/codes';
import type { ReferralPacket } from '@fbl/contracts';
import { useEffect, useState } from 'preact/hooks';
import { download, json, Problem, problemText, upload } from './api.js';
import { useFieldErrors } from './forms.js';
import { chinaTime, fill, t, type Lang } from './i18n.js';
import { emptyConsent, fromPacket, toConsent, toPacket, type ConsentDraft, type PacketDraft } from './packet-draft.js';
import { AttachmentPicker, ConsentFields, filesOk, PacketFields, packetWords, sizeText, uploadAll, type PendingFile } from './packet-form.js';

/** The packet as the API gives it to a reader. */
export interface PacketResponse {
  referralId: string;
  disclosure: 'full' | 'clinical';
  version: number;
  updatedAt: string | null;
  elder: { ageBand: { from: number; to: number } | null; sex: string | null; countyCode: string | null };
  functional: { abilityLevel: number | null; abilityAssessedOn: string | null; ltciGrade: number | null; ltciAuthorised: boolean | null };
  packet: ReferralPacket;
  consent: { granted: boolean; givenBy: string | null; method: string | null; recordedAt: string | null; recordedByName: string | null; giverName?: string };
  missing: { bedType: string; fact: string }[];
}

/** An attachment as listed. */
export interface AttachmentInfo {
  id: string;
  kind: string;
  mediaType: string;
  size: number;
  name: string;
  uploadedAt: string;
}

/** An elder's record as civil affairs shows it to those who may know who the elder is. */
export interface ElderRecord {
  name?: string;
  idNumber?: string;
  birthDate?: string;
  phone?: string | null;
  address?: string;
}

/** A county's name with its city's, e.g. 菏泽市牡丹区. */
export function placeName(code: string | null | undefined): string {
  if (!code) return '';
  const county = chinaDivisions.get(code);
  const city = chinaDivisions.get(`${code.slice(0, 4)}00`);
  if (!county) return '';
  return city && city.code !== county.code ? `${city.name}${county.name}` : county.name;
}

/** 年龄段 · 性别 · 县区, as a provider sees the elder before the family chose it. */
export function elderLine(lang: Lang, e: PacketResponse['elder']): string {
  return [e.ageBand ? fill(t(lang, 'ageBand'), e.ageBand) : '', e.sex ? t(lang, `sex_${e.sex}`) : '', placeName(e.countyCode)].filter(Boolean).join(' · ');
}

/** An ability level or LTCI grade with its name, or "none yet". */
export function levelText(lang: Lang, kind: 'ability' | 'ltci', value: number | null): string {
  return value === null ? t(lang, 'noneRecorded') : `${value} ${t(lang, `${kind}_${value}`)}`;
}

/** One eligibility fact's answer in words. */
function factValue(lang: Lang, fact: string, value: unknown): string {
  if (typeof value === 'boolean') return t(lang, value ? 'yes' : 'no');
  if (fact === 'prognosisMonths') return `${String(value)} ${t(lang, 'months')}`;
  if (fact === 'informedChoice') return t(lang, `choice_${String(value)}`);
  if (fact === 'homeDivisionCode') return placeName(String(value));
  if (Array.isArray(value)) return value.map((c) => t(lang, `condition_${String(c)}`)).join('、');
  return String(value);
}

/** The packet, read-only: every section that has something, in the order of the form. */
export function PacketView({ lang, data }: { lang: Lang; data: PacketResponse }) {
  const p = data.packet;
  const row = (label: string, value: string | null | undefined, key?: string) => (value ? <div class="kv" key={key ?? label}><dt>{label}</dt><dd>{value}</dd></div> : null);
  return (
    <dl class="packet-view">
      {row(t(lang, 'summaryElder'), elderLine(lang, data.elder))}
      {row(t(lang, 'abilityLevelShort'), levelText(lang, 'ability', data.functional.abilityLevel))}
      {row(t(lang, 'ltciGradeShort'), levelText(lang, 'ltci', data.functional.ltciGrade))}
      {row(t(lang, 'reason'), p.reason)}
      {row(t(lang, 'plannedDischargeDate'), p.plannedDischargeDate)}
      {row(t(lang, 'diagnoses'), (p.diagnoses ?? []).map((d) => (d.code ? `${d.name}（${d.code}）` : d.name)).join('；'))}
      {row(t(lang, 'allergies'), p.allergies)}
      {row(t(lang, 'medications'), (p.medications ?? []).map((m) => [m.name, m.dose, m.frequency].filter(Boolean).join(' ')).join('；'))}
      {row(t(lang, 'careNeeds'), (p.careNeeds ?? []).map((n) => (n.note ? `${t(lang, `need_${n.code}`)}（${n.note}）` : t(lang, `need_${n.code}`))).join('；'))}
      {row(t(lang, 'mobility'), p.functional?.mobility && t(lang, `mobility_${p.functional.mobility}`))}
      {row(t(lang, 'continence'), p.functional?.continence && t(lang, `continence_${p.functional.continence}`))}
      {row(t(lang, 'cognition'), p.functional?.cognition && t(lang, `cognition_${p.functional.cognition}`))}
      {Object.entries(p.eligibility ?? {}).map(([fact, value]) => row(t(lang, `fact_${fact}`), factValue(lang, fact, value), fact))}
      {row(t(lang, 'wishes'), p.wishes)}
      {row(t(lang, 'plannerContact'), p.plannerContact && `${p.plannerContact.name} ${p.plannerContact.phone}`)}
      {row(t(lang, 'familyContact'), p.familyContact && `${p.familyContact.name}（${t(lang, `relation_${p.familyContact.relation}`)}） ${p.familyContact.phone}`)}
    </dl>
  );
}

/** What the rules of the bed types asked for still lack, worded, or that nothing does. */
export function MissingFacts({ lang, missing }: { lang: Lang; missing: PacketResponse['missing'] }) {
  if (missing.length === 0) return <p class="field-ok missing-facts">{t(lang, 'missingNone')}</p>;
  const external = ['abilityLevel', 'ltciGrade', 'hardship'];
  return (
    <p class="warning missing-facts" role="status">
      {t(lang, 'missingFacts')}：{missing.map((m) => `${t(lang, m.bedType)} · ${t(lang, `fact_${m.fact}`)}${external.includes(m.fact) ? t(lang, 'missingExternal') : ''}`).join('；')}
    </p>
  );
}

/** The attachments of a referral: download each; the referring side also adds and removes them. */
export function AttachmentList({ lang, referralId, items, editable, onChanged }: { lang: Lang; referralId: string; items: AttachmentInfo[]; editable: boolean; onChanged: () => void }) {
  const [pending, setPending] = useState<PendingFile[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const already = items.reduce((n, a) => n + a.size, 0);
  const get = (a: AttachmentInfo) => download(`/api/referrals/${referralId}/attachments/${a.id}`, a.name).catch((e: unknown) => setError(problemText(e)));
  const remove = async (a: AttachmentInfo) => {
    if (!confirm(t(lang, 'confirmRemoveAttachment'))) return;
    await json('DELETE', `/api/referrals/${referralId}/attachments/${a.id}`).catch((e: unknown) => setError(problemText(e)));
    onChanged();
  };
  const send = async () => {
    if (!filesOk(pending, already)) return;
    setBusy(true);
    setError('');
    const failed = await uploadAll(referralId, pending, upload);
    setBusy(false);
    setPending([]);
    if (failed.length > 0) setError(`${t(lang, 'wrongFileType')}：${failed.join('、')}`);
    onChanged();
  };
  return (
    <section class="panel attachments">
      <h3>{t(lang, 'attachments')}</h3>
      {items.length === 0 ? <p>{t(lang, 'noAttachments')}</p> : (
        <ul class="files">
          {items.map((a) => (
            <li key={a.id} data-attachment={a.id}>
              <strong>{t(lang, `attachment_${a.kind}`)}</strong> <span class="wrap">{a.name} · {sizeText(lang, a.size)} · {chinaTime(lang, a.uploadedAt)}</span>
              <button type="button" class="secondary" onClick={() => void get(a)}>{t(lang, 'download')}</button>
              {editable && <button type="button" class="secondary" onClick={() => void remove(a)}>{t(lang, 'remove')}</button>}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <>
          <AttachmentPicker lang={lang} files={pending} onChange={setPending} alreadyBytes={already} title="addAttachment" />
          {pending.length > 0 && <button type="button" disabled={busy || !filesOk(pending, already)} onClick={() => void send()}>{t(lang, busy ? 'uploading' : 'upload')}</button>}
        </>
      )}
      <p class="form-error" role="alert">{error}</p>
    </section>
  );
}

/**
 * A referral's packet for one reader: the elder (by name once the family chose this provider,
 * else by age band, sex and county), the packet, what is still missing, and the attachments. The
 * referring side edits the packet in place (answering what is missing), and records or withdraws
 * the consent to share it.
 */
export function PacketPanel({ lang, referralId, referrer, elderRef, bedTypes, requirements, finished, onPrint }: { lang: Lang; referralId: string; referrer: boolean; elderRef?: string | null; bedTypes: string[]; requirements?: Record<string, unknown>; finished?: boolean; onPrint?: () => void }) {
  const [data, setData] = useState<PacketResponse | null>(null);
  const [items, setItems] = useState<AttachmentInfo[]>([]);
  const [elder, setElder] = useState<ElderRecord | null>(null);
  const [refused, setRefused] = useState('');
  const [editing, setEditing] = useState<PacketDraft | null>(null);
  const [consent, setConsent] = useState<ConsentDraft>(emptyConsent());
  const [message, setMessage] = useState('');
  const fields = useFieldErrors((n) => fill(t(lang, 'invalidCount'), { n }));
  const load = async () => {
    try {
      setData(await json<PacketResponse>('GET', `/api/referrals/${referralId}/packet`));
      setItems(await json<AttachmentInfo[]>('GET', `/api/referrals/${referralId}/attachments`));
      setRefused('');
    } catch (e) {
      setRefused(e instanceof Problem && e.status === 403 ? t(lang, 'notSharedWithYou') : problemText(e));
    }
  };
  useEffect(() => {
    void load();
  }, [referralId]);
  useEffect(() => {
    // Who the elder is, for those civil affairs lets know it (the chosen provider); others see nothing more.
    if (referrer) return;
    void (async () => {
      const ref = elderRef ?? (await json<{ elderRef: string | null }>('GET', `/api/referrals/${referralId}`).catch(() => ({ elderRef: null }))).elderRef;
      setElder(ref ? await json<ElderRecord>('GET', `/api/civil-affairs/elders/${ref}`).catch(() => null) : null);
    })();
  }, [referralId, elderRef, referrer]);

  const save = async () => {
    if (!editing) return;
    const { packet, errors } = toPacket(editing, packetWords(lang));
    if (Object.keys(errors).length > 0) return fields.show(errors);
    fields.show({});
    try {
      const r = await json<{ rematched: boolean }>('PUT', `/api/referrals/${referralId}/packet`, packet);
      setMessage(t(lang, r.rematched ? 'rematched' : 'saved'));
      setEditing(null);
      await load();
    } catch (e) {
      fields.show({}, problemText(e));
    }
  };
  const recordConsent = async (withdraw: boolean) => {
    const { consent: body, errors } = toConsent({ ...consent, given: true }, { required: t(lang, 'required') });
    if (Object.keys(errors).length > 0) return fields.show(errors);
    if (withdraw && !confirm(t(lang, 'confirmWithdraw'))) return;
    try {
      await json('POST', `/api/referrals/${referralId}/consent${withdraw ? '/withdraw' : ''}`, body);
      setConsent(emptyConsent());
      await load();
    } catch (e) {
      fields.show({}, problemText(e));
    }
  };

  if (refused) return <section class="panel packet"><h3>{t(lang, 'packet')}</h3><p class="warning">{refused}</p></section>;
  if (!data) return <section class="panel packet"><p>{t(lang, 'loading')}</p></section>;
  const consentLine = data.consent.granted ? `${t(lang, 'consentStatusGranted')} · ${t(lang, `consentGiver_${data.consent.givenBy ?? 'elder'}`)}${data.consent.giverName ? ` ${data.consent.giverName}` : ''} · ${t(lang, `consentMethod_${data.consent.method ?? 'written'}`)}` : t(lang, data.consent.recordedAt ? 'consentStatusWithdrawn' : 'consentStatusNone');
  return (
    <section class="panel packet" data-disclosure={data.disclosure}>
      <h3>{t(lang, 'packet')}</h3>
      {onPrint && <button type="button" class="secondary" data-action="print" onClick={onPrint}>{t(lang, 'print')}</button>}
      {!referrer && (
        <div class="elder-identity">
          <h4>{t(lang, 'elderIdentity')}</h4>
          {elder?.name ? (
            <p class="elder-name" data-elder-name={elder.name}>
              <strong>{elder.name}</strong> · {t(lang, 'idNumberShort')} {elder.idNumber} {elder.phone ? `· ${t(lang, 'phone')} ${elder.phone}` : ''} {elder.address ? `· ${t(lang, 'address')} ${elder.address}` : ''}
            </p>
          ) : <p class="hint">{t(lang, 'identityHidden')}</p>}
        </div>
      )}
      {referrer && <p class={data.consent.granted ? 'field-ok consent-status' : 'warning consent-status'} data-consent={data.consent.granted ? 'granted' : 'none'}>{consentLine}</p>}
      {editing ? (
        <>
          <PacketFields lang={lang} draft={editing} onChange={setEditing} bedTypes={bedTypes} {...(requirements ? { requirements } : {})} fields={fields} missing={data.missing.map((m) => m.fact)} />
          <p class="form-error" role="alert">{fields.formError}</p>
          <div class="actions">
            <button type="button" onClick={() => void save()}>{t(lang, 'savePacket')}</button>
            <button type="button" class="secondary" onClick={() => setEditing(null)}>{t(lang, 'cancelEdit')}</button>
          </div>
        </>
      ) : (
        <>
          <PacketView lang={lang} data={data} />
          {referrer && <MissingFacts lang={lang} missing={data.missing} />}
          {referrer && !finished && <button type="button" class="secondary" data-action="edit-packet" onClick={() => setEditing(fromPacket(data.packet))}>{t(lang, 'editPacket')}</button>}
          {message && <p class="field-ok" role="status">{message}</p>}
        </>
      )}
      {referrer && !finished && (
        <details class="consent-controls">
          <summary>{t(lang, data.consent.granted ? 'withdrawConsent' : 'recordConsent')}</summary>
          <ConsentFields lang={lang} consent={{ ...consent, given: true }} onChange={setConsent} fields={fields} purpose={data.consent.granted ? 'withdraw' : 'give'} />
          <button type="button" class={data.consent.granted ? 'danger' : ''} data-action={data.consent.granted ? 'withdraw-consent' : 'record-consent'} onClick={() => void recordConsent(data.consent.granted)}>{t(lang, data.consent.granted ? 'withdrawConsent' : 'recordConsent')}</button>
        </details>
      )}
      <AttachmentList lang={lang} referralId={referralId} items={items} editable={referrer && !finished} onChanged={() => void load()} />
    </section>
  );
}
