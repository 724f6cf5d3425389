import { parseResidentId } from '@fbl/codes';
import { useEffect, useState } from 'preact/hooks';
import { json, liveUpdates, Problem, problemText } from './api.js';
import { chinaTime, dictionary, t, type Lang } from './i18n.js';

interface ReferralSummary {
  id: string;
  state: string;
  urgency: string;
  createdAt: string;
}
type RankReason =
  | { code: 'green-channel-partner' }
  | { code: 'distance'; band: string }
  | { code: 'first-choice-bed-type' }
  | { code: 'free-units'; count: number }
  | { code: 'eligible'; outcome: string; variant?: string }
  | { code: 'missing-fact'; fact: string };
interface Candidate {
  institutionId: string;
  bedType: string;
  name: string;
  score: number;
  reasons: string[];
  /** Codes of the reasons (rankings made before they existed have none). */
  why?: RankReason[];
}

const r = dictionary(
  {
    'green-channel-partner': '转出机构的绿色通道合作机构',
    'band_same-county': '与转出机构同一县（区）',
    'band_same-city': '与转出机构同一市',
    'band_same-province': '省内其他市',
    band_elsewhere: '省外',
    'first-choice-bed-type': '首选床位类型',
    'free-units': '空余',
    units: '张/个',
    eligible: '符合入住条件',
    unknown: '入住条件待核实',
    'variant_nursing-type': '护理型',
    variant_dementia: '认知障碍照护',
    variant_ordinary: '普通型',
    'missing-fact': '尚缺信息',
    excluded: '未纳入的机构及原因（规则原文）',
  },
  {
    'green-channel-partner': 'Green-channel partner of the referring institution',
    'band_same-county': 'Same county as the referring institution',
    'band_same-city': 'Same city',
    'band_same-province': 'Elsewhere in the province',
    band_elsewhere: 'Outside the province',
    'first-choice-bed-type': 'The bed type asked for first',
    'free-units': 'Free',
    units: '',
    eligible: 'Eligible',
    unknown: 'Eligibility to be confirmed',
    'variant_nursing-type': 'nursing-type',
    variant_dementia: 'dementia care',
    variant_ordinary: 'ordinary',
    'missing-fact': 'Still missing',
    excluded: 'Left out, and why (as the rules word it)',
  },
);

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
      return `${r(lang, 'missing-fact')}: ${why.fact}`;
    case 'green-channel-partner':
    case 'first-choice-bed-type':
      return r(lang, why.code);
  }
}
interface ReferralView {
  id: string;
  state: string;
  urgency: string;
  offers: { id: string; institutionId: string; bedType: string; status: string; respondBy: string }[];
  ranking: { candidates?: Candidate[]; excluded?: { bedType: string; institutionId?: string; reasons: string[] }[] } | null;
  timeline: { at: string; to: string; event: string; actor: string }[];
}
interface Elder {
  elderRef: string;
  name?: string;
  idNumber?: string;
  ability: { level: number; assessedOn: string } | null;
}

const BED_TYPES = ['care', 'home-care', 'home-sick', 'hospice', 'medical'];
const stateLabel = (lang: Lang, state: string) => t(lang, `stage_${state}`) !== `stage_${state}` ? t(lang, `stage_${state}`) : t(lang, `state_${state}`);

/** The discharge planner's workspace: start a referral for an elder, follow the hospital's referrals, record the family's choice. */
export function Planner({ lang, institutionId }: { lang: Lang; institutionId: string }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <main class="planner">
      {!open && <NewReferral lang={lang} institutionId={institutionId} onCreated={(id) => setOpen(id)} />}
      <Referrals lang={lang} institutionId={institutionId} open={open} onOpen={setOpen} />
    </main>
  );
}

/**
 * The referrals an institution started (a hospital's discharges, a care home's urgent transfers),
 * newest first, and the one opened: its answers, candidates, timeline and the family's choice.
 */
export function Referrals({ lang, institutionId, open, onOpen }: { lang: Lang; institutionId: string; open: string | null; onOpen: (id: string | null) => void }) {
  const [list, setList] = useState<ReferralSummary[]>([]);
  const load = async () => setList(await json<ReferralSummary[]>('GET', `/api/referrals?originInstitutionId=${institutionId}`));
  useEffect(() => {
    void load();
    return liveUpdates(() => void load());
  }, [institutionId]);
  if (open) return <Detail lang={lang} id={open} onBack={() => onOpen(null)} />;
  return (
    <section class="panel referrals">
      <h3>{t(lang, 'referrals')}</h3>
      {list.length === 0 ? (
        <p>{t(lang, 'noReferrals')}</p>
      ) : (
        <table>
          <thead><tr><th>{t(lang, 'startedAt')}</th><th>{t(lang, 'state')}</th><th /></tr></thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.id} class={r.urgency === 'green-channel' ? 'urgent-row' : ''} data-referral={r.id}>
                <td>{chinaTime(lang, r.createdAt)} {r.urgency === 'green-channel' && <span class="badge">{t(lang, 'greenChannel')}</span>}</td>
                <td>{stateLabel(lang, r.state)}</td>
                <td><button type="button" class="link" onClick={() => onOpen(r.id)}>{r.id.slice(-8)}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function NewReferral({ lang, institutionId, onCreated }: { lang: Lang; institutionId: string; onCreated: (id: string) => void }) {
  const [idNumber, setIdNumber] = useState('');
  const [idMessage, setIdMessage] = useState('');
  const [elder, setElder] = useState<Elder | null>(null);
  const [bedType, setBedType] = useState('care');
  const [nursing, setNursing] = useState(true);
  const [urgent, setUrgent] = useState(false);
  const [error, setError] = useState('');

  const onId = async (value: string) => {
    setIdNumber(value);
    setElder(null);
    if (value.length === 0) return setIdMessage('');
    const parsed = parseResidentId(value.trim().toUpperCase());
    if (!parsed.ok) return setIdMessage(`${t(lang, 'idInvalid')}: ${value.length < 18 ? `${value.length}/18` : parsed.reason}`);
    setIdMessage(t(lang, 'idChecking'));
    try {
      const found = await json<Elder>('POST', '/api/civil-affairs/elders/lookup', { idNumber: value.trim().toUpperCase() });
      setElder(found);
      setIdMessage('');
    } catch (e) {
      setIdMessage(e instanceof Problem && e.status === 404 ? t(lang, 'idNotFound') : String(e instanceof Error ? e.message : e));
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!elder) return setIdMessage(idNumber ? idMessage || t(lang, 'idInvalid') : t(lang, 'required'));
    setError('');
    try {
      const hospital = await json<{ divisionCode: string }>('GET', `/api/medical-beds/institutions/${institutionId}`);
      const created = await json<{ id: string }>('POST', '/api/referrals', {
        elderRef: elder.elderRef,
        urgency: urgent ? 'green-channel' : 'routine',
        origin: { institutionId, bedType: 'medical', divisionCode: hospital.divisionCode },
        requestedBedTypes: [bedType],
        ...(bedType === 'care' && nursing ? { requirements: { nursingType: true } } : {}),
        ...(elder.ability ? { facts: { abilityLevel: elder.ability.level, abilityAssessedOn: elder.ability.assessedOn } } : {}),
      });
      onCreated(created.id);
    } catch (e) {
      setError(problemText(e));
    }
  };

  return (
    <form class="panel new-referral" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t(lang, 'newReferral')}</h3>
      <label for="id-number">{t(lang, 'idNumber')}</label>
      <input id="id-number" name="idNumber" autocomplete="off" maxLength={18} placeholder={t(lang, 'idHint')} value={idNumber} aria-invalid={idMessage && !elder ? 'true' : 'false'} aria-describedby="id-message" onInput={(e) => void onId((e.target as HTMLInputElement).value)} />
      <p id="id-message" class={elder ? 'field-ok' : 'field-error'} role="status">
        {elder ? `${t(lang, 'elderFound')}: ${elder.name ?? ''} ${elder.idNumber ?? ''}${elder.ability ? ` · ${t(lang, 'abilityLevel')} ${elder.ability.level}` : ''}` : idMessage}
      </p>
      <div class="row">
        <label>{t(lang, 'requestedBedType')}
          <select name="bedType" value={bedType} onChange={(e) => setBedType((e.target as HTMLSelectElement).value)}>
            {BED_TYPES.map((b) => <option key={b} value={b}>{t(lang, b)}</option>)}
          </select>
        </label>
        <label class="check"><input type="checkbox" name="nursing" checked={nursing} onChange={(e) => setNursing((e.target as HTMLInputElement).checked)} />{t(lang, 'nursingRequired')}</label>
        <label class="check"><input type="checkbox" name="urgent" checked={urgent} onChange={(e) => setUrgent((e.target as HTMLInputElement).checked)} />{t(lang, 'greenChannelRequest')}</label>
        <button type="submit">{t(lang, 'submit')}</button>
      </div>
      <p class="form-error" role="alert">{error}</p>
    </form>
  );
}

function Detail({ lang, id, onBack }: { lang: Lang; id: string; onBack: () => void }) {
  const [view, setView] = useState<ReferralView | null>(null);
  const load = async () => setView(await json<ReferralView>('GET', `/api/referrals/${id}`));
  useEffect(() => {
    void load();
    // Reload when this referral changes (the live feed carries only its id and state).
    return liveUpdates((change) => {
      if (!change || change.id === id) void load();
    });
  }, [id]);
  if (!view) return <section><p>{t(lang, 'loading')}</p></section>;
  const names = new Map((view.ranking?.candidates ?? []).map((c) => [c.institutionId, c.name]));
  const choose = async (offerId: string) => {
    await json('POST', `/api/referrals/${id}/choice`, { offerId });
    await load();
  };
  return (
    <section class="referral" data-referral={view.id}>
      <button type="button" class="secondary" onClick={onBack}>{t(lang, 'back')}</button>
      <h2>
        {t(lang, 'state')}: <span class="state" data-state={view.state}>{stateLabel(lang, view.state)}</span>
        {view.urgency === 'green-channel' && <span class="badge">{t(lang, 'greenChannel')}</span>}
      </h2>
      <section class="panel">
        <h3>{t(lang, 'offers')}</h3>
        <ul class="offers">
          {view.offers.map((o) => (
            <li key={o.id} class="offer" data-offer={o.id}>
              <strong>{names.get(o.institutionId) ?? o.institutionId}</strong> · {t(lang, o.bedType)} · <span class="status">{t(lang, `status_${o.status}`)}</span>
              <span> · {t(lang, 'respondBy')} {chinaTime(lang, o.respondBy)}</span>
              {o.status === 'accepted' && (view.state === 'choosing' || view.state === 'offering') && <button type="button" onClick={() => void choose(o.id)}>{t(lang, 'recordChoice')}</button>}
            </li>
          ))}
        </ul>
      </section>
      <section class="panel">
        <h3>{t(lang, 'candidates')}</h3>
        <ol>
          {(view.ranking?.candidates ?? []).map((c) => (
            <li key={c.institutionId}>
              <strong>{c.name}</strong> ({t(lang, c.bedType)})
              <ul class="reasons">{c.why ? c.why.map((why, i) => <li key={i}>{reasonText(lang, why)}</li>) : c.reasons.map((text) => <li key={text}>{text}</li>)}</ul>
            </li>
          ))}
        </ol>
        {(view.ranking?.excluded ?? []).length > 0 && (
          <details class="excluded">
            <summary>{r(lang, 'excluded')}</summary>
            <ul>
              {view.ranking!.excluded!.map((e, i) => (
                <li key={i} class="wrap">{t(lang, e.bedType)}{e.institutionId ? ` · ${e.institutionId.slice(-8)}` : ''}: {e.reasons.join('; ')}</li>
              ))}
            </ul>
          </details>
        )}
      </section>
      <section class="panel">
        <h3>{t(lang, 'timeline')}</h3>
        <ol class="timeline">
          {view.timeline.map((s, i) => <li key={i}>{chinaTime(lang, s.at)} · {stateLabel(lang, s.to)} · {s.actor}</li>)}
        </ol>
      </section>
    </section>
  );
}
