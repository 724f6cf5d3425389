import { useEffect, useState } from 'preact/hooks';
import { json, liveUpdates, page, Problem, problemText, upload } from './api.js';
import { useElderNames } from './elder-names.js';
import { FindElderByName } from './find-elder.js';
import { useFieldErrors } from './forms.js';
import { chinaDate, chinaTime, fill, pageWords, t, type Lang } from './i18n.js';
import { emptyConsent, emptyDraft, toConsent, toPacket, type ConsentDraft, type PacketDraft } from './packet-draft.js';
import { AttachmentPicker, ConsentFields, filesOk, PacketFields, packetWords, uploadAll, type PendingFile } from './packet-form.js';
import { FollowUpView } from './follow-up.js';
import { PacketPanel, placeName } from './packet-view.js';
import { idNumberProblem } from './problem-words.js';
import { Pager } from './pager.js';
import { ReferralPrint } from './referral-print.js';
import { stateLabel, Timeline, type Step } from './timeline.js';

interface ReferralSummary {
  id: string;
  elderRef: string | null;
  reference: string;
  state: string;
  urgency: string;
  requestedBedTypes: string[];
  createdAt: string;
}
type RankReason =
  | { code: 'green-channel-partner' }
  | { code: 'chosen-by-sender' }
  | { code: 'distance'; band: string }
  | { code: 'first-choice-bed-type' }
  | { code: 'free-units'; count: number }
  | { code: 'eligible'; outcome: string; variant?: string }
  | { code: 'missing-fact'; fact: string };
interface Candidate {
  institutionId: string;
  bedType: string;
  name: string;
  reasons: string[];
  /** Codes of the reasons (rankings made before they existed have none). */
  why?: RankReason[];
}
/** How many providers of a bed type were left out for one reason (none for a bed type nobody publishes). */
interface ExclusionCount {
  bedType: string;
  why?: { code: string; facts?: string[] };
  institutions: number;
}

const r = pageWords('ranking');

/** One ranking reason in the reader's language. */
function reasonText(lang: Lang, why: RankReason): string {
  switch (why.code) {
    case 'distance':
      return r(lang, `band_${why.band}`);
    case 'free-units':
      return `${r(lang, 'free-units')} ${why.count} ${r(lang, 'units')}`.trim();
    case 'eligible':
      return `${r(lang, why.outcome === 'eligible' ? 'eligible' : 'unknown')}${why.variant ? `（${r(lang, `variant_${why.variant}`)}）` : ''}`;
    case 'missing-fact':
      return `${t(lang, 'missingFacts')}: ${t(lang, `fact_${why.fact}`)}`;
    case 'green-channel-partner':
    case 'chosen-by-sender':
    case 'first-choice-bed-type':
      return r(lang, why.code);
  }
}

/** Why a provider or bed type was left out, in the reader's language. */
function exclusionText(lang: Lang, e: ExclusionCount): string {
  if (!e.why) return t(lang, 'exclusion_not-eligible');
  const facts = e.why.facts && e.why.facts.length > 0 ? `：${e.why.facts.map((f) => t(lang, `fact_${f}`)).join('、')}` : '';
  return `${t(lang, `exclusion_${e.why.code}`)}${facts}`;
}

interface ReferralView {
  id: string;
  reference: string;
  state: string;
  urgency: string;
  elderRef: string | null;
  requestedBedTypes: string[];
  requirements: Record<string, unknown>;
  origin: { name: string | null; divisionCode: string; institutionId: string };
  consent: { granted: boolean } | null;
  offers: { id: string; institutionId: string; institutionName: string | null; bedType: string; status: string; reasonCode: string | null; declineNote: string | null; chosen: boolean; respondBy: string }[];
  ranking: { candidates?: Candidate[]; exclusions?: ExclusionCount[] } | null;
  timeline: Step[];
}
interface Elder {
  elderRef: string;
  name?: string;
  idNumber?: string;
  gender: string;
  birthYear: number;
  divisionCode: string;
  ability: { level: number; assessedOn: string } | null;
}

const BED_TYPES = ['care', 'home-care', 'home-sick', 'hospice', 'medical'];
const LIST_VIEWS = ['active', 'finished', 'all'] as const;
type ListView = (typeof LIST_VIEWS)[number];
const LIST_PAGE = 20;
const FINISHED = ['closed', 'cancelled'];
const CANCEL_REASONS = ['death', 'family-withdrew', 'condition-changed', 'duplicate', 'other'];

/** A referral named in the address (`?referral=`, as the printed form's QR code opens it). */
const referralInAddress = () => new URLSearchParams(location.search).get('referral');

/** The discharge planner's workspace: start a referral with its packet, follow the hospital's referrals, record the family's choice. */
export function Planner({ lang, institutionId }: { lang: Lang; institutionId: string }) {
  const [open, setOpen] = useState<string | null>(referralInAddress());
  const [notice, setNotice] = useState('');
  return (
    <main class="planner">
      {!open && <NewReferral lang={lang} institutionId={institutionId} onCreated={(id, failed) => { setNotice(failed.length > 0 ? `${t(lang, 'uploadFailed')}：${failed.join('、')}` : ''); setOpen(id); }} />}
      {notice && open && <p class="form-error" role="alert">{notice}</p>}
      <Referrals lang={lang} institutionId={institutionId} open={open} onOpen={setOpen} />
    </main>
  );
}

/**
 * The referrals an institution started (a hospital's discharges, a care home's urgent transfers),
 * newest first, and the one opened: its packet, answers, candidates, timeline and the family's choice.
 */
export function Referrals({ lang, institutionId, open, onOpen }: { lang: Lang; institutionId: string; open: string | null; onOpen: (id: string | null) => void }) {
  const [list, setList] = useState<ReferralSummary[]>([]);
  const [view, setView] = useState<ListView>('active');
  const [reference, setReference] = useState('');
  const [offset, setOffset] = useState(0);
  const [total, setTotal] = useState(0);
  const names = useElderNames(list.map((x) => x.elderRef));
  const load = async () => {
    const query = new URLSearchParams({ originInstitutionId: institutionId, view, limit: String(LIST_PAGE), offset: String(offset), ...(reference.trim() ? { reference: reference.trim() } : {}) });
    const found = await page<ReferralSummary>(`/api/referrals?${query.toString()}`);
    setList(found.items);
    setTotal(found.total);
  };
  useEffect(() => {
    void load();
    return liveUpdates(() => void load());
  }, [institutionId, view, offset, reference]);
  if (open) return <Detail lang={lang} id={open} onBack={() => onOpen(null)} />;
  return (
    <section class="panel referrals">
      <h3>{t(lang, 'referrals')}</h3>
      <div class="actions list-filters">
        {LIST_VIEWS.map((v) => (
          <button key={v} type="button" class={view === v ? '' : 'secondary'} aria-pressed={view === v ? 'true' : 'false'} data-view={v} onClick={() => { setView(v); setOffset(0); }}>{t(lang, `listView_${v}`)}</button>
        ))}
        <label>{t(lang, 'findReference')}
          <input name="reference" inputMode="numeric" maxLength={20} placeholder={t(lang, 'findReferenceHint')} value={reference} onInput={(e) => { setReference((e.target as HTMLInputElement).value); setOffset(0); }} />
        </label>
      </div>
      {list.length === 0 ? (
        <p class="empty">{t(lang, reference.trim() ? 'noReferralFound' : view === 'active' ? 'noActiveReferrals' : 'noReferrals')}</p>
      ) : (
        <table>
          <thead><tr><th>{t(lang, 'reference')}</th><th>{t(lang, 'elderName')}</th><th>{t(lang, 'startedAt')}</th><th>{t(lang, 'requestedBeds')}</th><th>{t(lang, 'state')}</th></tr></thead>
          <tbody>
            {list.map((x) => (
              <tr key={x.id} class={x.urgency === 'green-channel' ? 'urgent-row' : ''} data-referral={x.id}>
                <td><button type="button" class="link" onClick={() => onOpen(x.id)}>{x.reference}</button> {x.urgency === 'green-channel' && <span class="badge">{t(lang, 'greenChannel')}</span>}</td>
                <td class="elder-name">{(x.elderRef && names.get(x.elderRef)) ?? ''}</td>
                <td>{chinaTime(lang, x.createdAt)}</td>
                <td>{x.requestedBedTypes.map((b) => t(lang, b)).join('、')}</td>
                <td>{stateLabel(lang, x.state)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager lang={lang} offset={offset} size={LIST_PAGE} total={total} onOffset={setOffset} />
    </section>
  );
}

/** A bed the elder is in now, as the workflow knows it. */
interface CurrentStay {
  institutionId: string;
  institutionName: string | null;
  bedType: string;
  admittedAt: string;
}

/**
 * The beds the elder is in now. A bed elsewhere is left by the new referral (转床): the planner
 * confirms that before sending (the server refuses a second bed without it, 两床融合 aside).
 */
function CurrentBeds({ lang, elderRef, institutionId, confirmed, onConfirm, fields }: { lang: Lang; elderRef: string; institutionId: string; confirmed: boolean; onConfirm: (yes: boolean) => void; fields: ReturnType<typeof useFieldErrors> }) {
  const [stays, setStays] = useState<CurrentStay[]>([]);
  useEffect(() => {
    onConfirm(false);
    json<CurrentStay[]>('GET', `/api/referrals/stays?elderRef=${encodeURIComponent(elderRef)}`).then(setStays, () => setStays([]));
  }, [elderRef]);
  const elsewhere = stays.filter((s) => s.institutionId !== institutionId);
  if (elsewhere.length === 0) return null;
  return (
    <div class="warning current-beds" data-stays={elsewhere.length}>
      <p>{t(lang, 'inBedNow')}{elsewhere.map((s) => `${s.institutionName ?? ''}（${t(lang, s.bedType)}，${chinaDate(lang, s.admittedAt)}${t(lang, "sinceSuffix")}）`).join('；')}</p>
      <label class="check"><input {...fields.field('confirm-move')} type="checkbox" name="confirmMove" checked={confirmed} onChange={(e) => { onConfirm((e.target as HTMLInputElement).checked); fields.clear('confirm-move'); }} />{t(lang, 'confirmMove')}</label>
      <p class="hint">{t(lang, 'moveHint')}</p>
      {fields.error('confirm-move')}
    </div>
  );
}

/**
 * Start a referral: the elder found by ID number in the civil-affairs registry, the bed asked
 * for, the consent to share, the packet (with the facts the bed type's rules need) and the
 * attachments. The referral, packet and consent go in one request; the files follow it.
 */
function NewReferral({ lang, institutionId, onCreated }: { lang: Lang; institutionId: string; onCreated: (id: string, failedUploads: string[]) => void }) {
  const [idNumber, setIdNumber] = useState('');
  const [idMessage, setIdMessage] = useState('');
  const [elder, setElder] = useState<Elder | null>(null);
  const [bedType, setBedType] = useState('care');
  const [nursing, setNursing] = useState(true);
  const [dementia, setDementia] = useState(false);
  const [urgent, setUrgent] = useState(false);
  const [draft, setDraft] = useState<PacketDraft>(emptyDraft());
  const [consent, setConsent] = useState<ConsentDraft>(emptyConsent());
  const [files, setFiles] = useState<PendingFile[]>([]);
  const [busy, setBusy] = useState(false);
  const [confirmMove, setConfirmMove] = useState(false);
  const fields = useFieldErrors((n) => fill(t(lang, 'invalidCount'), { n }));

  const onId = async (value: string) => {
    setIdNumber(value);
    setElder(null);
    if (value.length === 0) return setIdMessage('');
    const wrong = idNumberProblem(lang, value);
    if (wrong) return setIdMessage(wrong);
    setIdMessage(t(lang, 'idChecking'));
    try {
      take(await json<Elder>('POST', '/api/civil-affairs/elders/lookup', { idNumber: value.trim().toUpperCase() }));
    } catch (e) {
      setIdMessage(e instanceof Problem && e.status === 404 ? t(lang, 'idNotFound') : problemText(e));
    }
  };
  const take = (found: Elder) => {
    setElder(found);
    // Where the elder lives, as registered, is what a home bed's service area is checked against.
    setDraft((d) => ({ ...d, facts: { homeDivisionCode: found.divisionCode, ...d.facts } }));
    setIdMessage('');
    fields.clear('id-number');
  };
  /** An elder picked among those found by name: the record as a planner may see it. */
  const pick = async (elderRef: string) => {
    setIdNumber('');
    setElder(null);
    try {
      take(await json<Elder>('GET', `/api/civil-affairs/elders/${elderRef}`));
    } catch (e) {
      setIdMessage(problemText(e));
    }
  };

  const requirements = bedType === 'care' ? { ...(nursing ? { nursingType: true } : {}), ...(dementia ? { dementia: true } : {}) } : {};
  const submit = async (event: Event) => {
    event.preventDefault();
    const words = packetWords(lang);
    const { packet, errors } = toPacket(draft, words);
    const given = toConsent(consent, words);
    const found = { ...errors, ...given.errors };
    if (!elder) found['id-number'] = idNumber ? idMessage || t(lang, 'idInvalid') : t(lang, 'required');
    if (Object.keys(found).length > 0 || !filesOk(files)) return fields.show(found);
    fields.show({});
    setBusy(true);
    try {
      const hospital = await json<{ divisionCode: string }>('GET', `/api/medical-beds/institutions/${institutionId}`);
      const created = await json<{ id: string }>('POST', '/api/referrals', {
        elderRef: elder!.elderRef,
        urgency: urgent ? 'green-channel' : 'routine',
        origin: { institutionId, bedType: 'medical', divisionCode: hospital.divisionCode },
        requestedBedTypes: [bedType],
        ...(Object.keys(requirements).length > 0 ? { requirements } : {}),
        ...(elder!.ability ? { facts: { abilityLevel: elder!.ability.level, abilityAssessedOn: elder!.ability.assessedOn } } : {}),
        packet,
        ...(given.consent ? { consent: given.consent } : {}),
        ...(confirmMove ? { confirmMove: true } : {}),
      });
      const failed = await uploadAll(created.id, files, upload);
      onCreated(created.id, failed);
    } catch (e) {
      if (e instanceof Problem && e.body.type?.endsWith('/elder-in-bed')) fields.show({ 'confirm-move': t(lang, 'confirmMoveNeeded') });
      else fields.show({}, problemText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={fields.form} class="panel new-referral" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t(lang, 'newReferral')}</h3>
      <label for="id-number">{t(lang, 'idNumber')}</label>
      <input id="id-number" name="idNumber" autocomplete="off" maxLength={18} placeholder={t(lang, 'idHint')} value={idNumber} aria-invalid={idMessage && !elder ? 'true' : 'false'} aria-describedby="id-message" onInput={(e) => void onId((e.target as HTMLInputElement).value)} />
      <p id="id-message" class={elder ? 'field-ok' : 'field-error'} role="status">
        {elder
          ? `${t(lang, 'elderFound')}: ${elder.name ?? ''} ${elder.idNumber ?? ''} · ${t(lang, `sex_${elder.gender}`)} · ${fill(t(lang, 'ageNow'), { age: new Date().getFullYear() - elder.birthYear })} · ${placeName(elder.divisionCode)}${elder.ability ? ` · ${t(lang, 'abilityLevel')} ${elder.ability.level}` : ''}`
          : idMessage || fields.errors['id-number'] || ''}
      </p>
      <FindElderByName lang={lang} onPick={(elderRef) => void pick(elderRef)} />
      <div class="row">
        <label>{t(lang, 'requestedBedType')}
          <select name="bedType" value={bedType} onChange={(e) => setBedType((e.target as HTMLSelectElement).value)}>
            {BED_TYPES.map((b) => <option key={b} value={b}>{t(lang, b)}</option>)}
          </select>
        </label>
        {bedType === 'care' && <label class="check"><input type="checkbox" name="nursing" checked={nursing} onChange={(e) => setNursing((e.target as HTMLInputElement).checked)} />{t(lang, 'nursingRequired')}</label>}
        {bedType === 'care' && <label class="check"><input type="checkbox" name="dementia" checked={dementia} onChange={(e) => setDementia((e.target as HTMLInputElement).checked)} />{t(lang, 'dementiaRequired')}</label>}
        <label class="check"><input type="checkbox" name="urgent" checked={urgent} onChange={(e) => setUrgent((e.target as HTMLInputElement).checked)} />{t(lang, 'greenChannelRequest')}</label>
      </div>
      {elder && <CurrentBeds lang={lang} elderRef={elder.elderRef} institutionId={institutionId} confirmed={confirmMove} onConfirm={setConfirmMove} fields={fields} />}
      <ConsentFields lang={lang} consent={consent} onChange={setConsent} fields={fields} />
      <PacketFields lang={lang} draft={draft} onChange={setDraft} bedTypes={[bedType]} requirements={requirements} fields={fields} />
      <AttachmentPicker lang={lang} files={files} onChange={setFiles} />
      <p class="form-error" role="alert">{fields.formError}</p>
      <button type="submit" disabled={busy}>{busy ? t(lang, 'saving') : t(lang, 'submit')}</button>
    </form>
  );
}

/** One referral as its referring side follows it. */
function Detail({ lang, id, onBack }: { lang: Lang; id: string; onBack: () => void }) {
  const [view, setView] = useState<ReferralView | null>(null);
  const [printing, setPrinting] = useState(false);
  const [cancelReason, setCancelReason] = useState('');
  const [error, setError] = useState('');
  const load = async () => setView(await json<ReferralView>('GET', `/api/referrals/${id}`));
  useEffect(() => {
    void load();
    // Reload when this referral changes (the live feed carries only its id and state).
    return liveUpdates((change) => {
      if (!change || change.id === id) void load();
    });
  }, [id]);
  if (printing) return <ReferralPrint lang={lang} id={id} onClose={() => setPrinting(false)} />;
  if (!view) return <section><p>{t(lang, 'loading')}</p></section>;
  const finished = FINISHED.includes(view.state);
  const choose = async (offerId: string, name: string) => {
    if (!confirm(fill(t(lang, 'confirmChoice'), { name }))) return;
    setError('');
    await json('POST', `/api/referrals/${id}/choice`, { offerId }).catch((e: unknown) => setError(problemText(e)));
    await load();
  };
  const cancel = async () => {
    if (!cancelReason) return setError(t(lang, 'chooseCancelReason'));
    if (!confirm(t(lang, 'confirmCancel'))) return;
    setError('');
    await json('POST', `/api/referrals/${id}/cancel`, { reason: cancelReason }).catch((e: unknown) => setError(problemText(e)));
    await load();
  };
  return (
    <section class="referral" data-referral={view.id}>
      <div class="actions">
        <button type="button" class="secondary" onClick={onBack}>{t(lang, 'back')}</button>
        <button type="button" class="secondary" data-action="print" onClick={() => setPrinting(true)}>{t(lang, 'print')}</button>
      </div>
      <h2>
        {t(lang, 'reference')} {view.reference} · <span class="state" data-state={view.state}>{stateLabel(lang, view.state)}</span>
        {view.urgency === 'green-channel' && <span class="badge">{t(lang, 'greenChannel')}</span>}
      </h2>
      <p>{t(lang, 'requestedBeds')}：{[...view.requestedBedTypes.map((b) => t(lang, b)), ...Object.entries(view.requirements).filter(([, v]) => v === true).map(([k]) => t(lang, `requirement_${k}`))].join('、')}</p>
      <section class="panel">
        <h3>{t(lang, 'offers')}</h3>
        {view.offers.length === 0 ? <p>{t(lang, 'noRanking')}</p> : (
          <ul class="offers">
            {view.offers.map((o) => (
              <li key={o.id} class="offer" data-offer={o.id} data-status={o.status}>
                <strong>{o.institutionName ?? t(lang, o.bedType)}</strong> · {t(lang, o.bedType)} · <span class="status">{t(lang, `status_${o.status}`)}</span>
                {o.chosen && <span class="badge ok">{t(lang, 'chosen')}</span>}
                {o.status === 'open' && <span> · {t(lang, 'respondBy')} {chinaTime(lang, o.respondBy)}</span>}
                {o.status === 'declined' && (
                  <p class="decline" data-reason={o.reasonCode ?? ''}>{t(lang, 'declinedBecause')}：{t(lang, `reason_${o.reasonCode ?? 'other'}`)}{o.declineNote ? `；${o.declineNote}` : ''}</p>
                )}
                {o.status === 'accepted' && !o.chosen && (view.state === 'choosing' || view.state === 'offering') && <button type="button" onClick={() => void choose(o.id, o.institutionName ?? '')}>{t(lang, 'recordChoice')}</button>}
              </li>
            ))}
          </ul>
        )}
        <p class="form-error" role="alert">{error}</p>
      </section>
      <PacketPanel lang={lang} referralId={view.id} referrer elderRef={null} bedTypes={view.requestedBedTypes} requirements={view.requirements} finished={finished} />
      {(view.state === 'followUp' || view.state === 'closed') && <FollowUpView key={view.state} lang={lang} referralId={view.id} />}
      <section class="panel">
        <h3>{t(lang, 'candidates')}</h3>
        <ol>
          {(view.ranking?.candidates ?? []).map((c) => (
            <li key={c.institutionId}>
              <strong>{c.name}</strong>（{t(lang, c.bedType)}）
              <ul class="reasons">{(c.why ?? []).map((why, i) => <li key={i}>{reasonText(lang, why)}</li>)}</ul>
            </li>
          ))}
        </ol>
        {(view.ranking?.exclusions ?? []).length > 0 && (
          <details class="excluded">
            <summary>{t(lang, 'excludedTitle')}</summary>
            <ul>
              {view.ranking!.exclusions!.map((e, i) => (
                <li key={i} class="wrap" data-reason={e.why?.code ?? ''}>
                  {t(lang, e.bedType)}：{exclusionText(lang, e)}
                  {e.institutions > 0 && <span class="count">（{e.institutions} {t(lang, 'excludedInstitutions')}）</span>}
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>
      <section class="panel">
        <h3>{t(lang, 'timeline')}</h3>
        <Timeline lang={lang} steps={view.timeline} />
      </section>
      {!finished && (
        <section class="panel cancel">
          <h3>{t(lang, 'cancelReferral')}</h3>
          <div class="actions">
            <label>{t(lang, 'cancelReason')}
              <select name="cancelReason" value={cancelReason} onChange={(e) => setCancelReason((e.target as HTMLSelectElement).value)}>
                <option value="">{t(lang, 'choose')}</option>
                {CANCEL_REASONS.map((c) => <option key={c} value={c}>{t(lang, `cancel_${c}`)}</option>)}
              </select>
            </label>
            <button type="button" class="danger" data-action="cancel" onClick={() => void cancel()}>{t(lang, 'cancelReferral')}</button>
          </div>
        </section>
      )}
    </section>
  );
}
