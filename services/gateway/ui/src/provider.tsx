import { BED_SERVICES } from '@fbl/contracts/bed-services';
import { EPISODE_REVIEW_CONDITION, EPISODE_REVIEW_DECISIONS } from '@fbl/contracts/packet-codes';
import { useEffect, useState } from 'preact/hooks';
import { json, liveUpdates, Problem, problemText } from './api.js';
import { chinaDate, chinaTime, countdown, fill, pageWords, t, wordFor, type Lang } from './i18n.js';
import { useElderNames } from './elder-names.js';
import { FollowUpForm } from './follow-up.js';
import { Inbox } from './inbox.js';
import { PacketPanel } from './packet-view.js';
import { Referrals } from './planner.js';
import { ReferralPrint } from './referral-print.js';
import { VisitPlan } from './visit-plan.js';
import { ProviderVisits, WorkerToday } from './visits.js';

/** A button that opens (and closes) a referral's packet in place. */
function PacketToggle({ lang, referralId, bedType }: { lang: Lang; referralId: string | null; bedType: string }) {
  const [open, setOpen] = useState(false);
  const [printing, setPrinting] = useState(false);
  if (!referralId) return null;
  if (printing) return <ReferralPrint lang={lang} id={referralId} onClose={() => setPrinting(false)} />;
  return (
    <>
      <button type="button" class="secondary" data-action="open-packet" onClick={() => setOpen(!open)}>{t(lang, open ? 'closePacket' : 'openPacket')}</button>
      {open && <PacketPanel lang={lang} referralId={referralId} referrer={false} bedTypes={[bedType]} onPrint={() => setPrinting(true)} />}
    </>
  );
}

const w = pageWords('provider');

/** The bed service of each bed type. */
const SERVICES = BED_SERVICES;
type BedType = keyof typeof SERVICES;

interface UnitLine {
  kind: 'bed' | 'slot';
  attributes: Record<string, unknown>;
  total: number;
}
interface Institution {
  id: string;
  name: string;
  /** The hospitals (and other providers) this institution has a green-channel agreement with. */
  greenChannelPartners?: string[];
  capacity: { total: number; free: number; held: number; occupied: number; kept: number; closed: number; units: UnitLine[] };
}
interface Where {
  bedType: BedType;
  base: string;
  institution: Institution;
}

const TABS = ['inbox', 'arrivals', 'residents', 'followUps', 'outgoing', 'capacity'] as const;
/** Home beds are visits: a worker's 今日上门 first, and the provider's visits of a day. */
const VISIT_TABS = ['today', 'visits'] as const;
type Tab = (typeof TABS)[number] | (typeof VISIT_TABS)[number];
const isHomeBed = (bedType: string | undefined) => bedType === 'home-care' || bedType === 'home-sick';


/**
 * Provider staff's workspace: the inbox of offers, the beds held for elders on their way (confirm
 * the admission), the residents or cases (urgent transfer, discharge, return), the referrals
 * waiting for the follow-up, the referrals the institution started itself (an urgent transfer
 * to hospital: the family's choice is recorded here), and the capacity editor. Live updates
 * reload what changed.
 */
export function Provider({ lang, institutionId }: { lang: Lang; institutionId: string }) {
  const [tab, setTab] = useState<Tab>('inbox');
  const [where, setWhere] = useState<Where | null | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const [opened, setOpened] = useState<string | null>(null);

  const locate = async () => {
    // The workflow knows each institution's bed type from its capacity; ask that bed service first,
    // and look through the others only for an institution that has announced no capacity yet.
    const known = await json<{ institutionId: string; bedType: BedType }[]>('GET', '/api/referrals/capacity').catch(() => []);
    const first = known.find((c) => c.institutionId === institutionId)?.bedType;
    const order = (Object.entries(SERVICES) as [BedType, string][]).sort(([a], [b]) => Number(b === first) - Number(a === first));
    for (const [bedType, service] of order) {
      try {
        const institution = await json<Institution>('GET', `/api/${service}/institutions/${institutionId}`);
        setWhere({ bedType, base: `/api/${service}`, institution });
        return;
      } catch (e) {
        if (!(e instanceof Problem && e.status === 404)) throw e;
      }
    }
    setWhere(null);
  };
  useEffect(() => {
    void locate();
    return liveUpdates(() => setTick((n) => n + 1));
  }, [institutionId]);

  return (
    <main class="provider">
      <h2>{where ? where.institution.name : w(lang, 'tab_inbox')}</h2>
      <nav class="tabs" aria-label={w(lang, 'tab_inbox')}>
        {[...(isHomeBed(where?.bedType) ? VISIT_TABS : []), ...TABS].map((t) => (
          <button key={t} type="button" class={tab === t ? '' : 'secondary'} aria-pressed={tab === t ? 'true' : 'false'} data-tab={t} onClick={() => setTab(t)}>{w(lang, `tab_${t}`)}</button>
        ))}
      </nav>
      {where === null && <p class="form-error">{w(lang, 'notProvider')}</p>}
      {tab === 'inbox' && <Inbox lang={lang} institutionId={institutionId} tick={tick} />}
      {tab === 'followUps' && <FollowUps lang={lang} institutionId={institutionId} tick={tick} />}
      {where && tab === 'arrivals' && <Arrivals lang={lang} where={where} tick={tick} />}
      {where && tab === 'residents' && <Residents lang={lang} where={where} tick={tick} />}
      {tab === 'outgoing' && <Referrals lang={lang} institutionId={institutionId} open={opened} onOpen={setOpened} />}
      {where && isHomeBed(where.bedType) && tab === 'today' && <WorkerToday lang={lang} where={where} tick={tick} />}
      {where && isHomeBed(where.bedType) && tab === 'visits' && <ProviderVisits lang={lang} where={where} tick={tick} />}
      {where && tab === 'capacity' && <Capacity lang={lang} where={where} tick={tick} onChanged={() => void locate()} />}
    </main>
  );
}

interface Held {
  id: string;
  referralId: string;
  elderRef: string;
  unitLabel: string;
  expiresAt: string;
}

/** Beds held for elders on their way: confirm each arrival (with the service plan a home care bed needs). */
function Arrivals({ lang, where, tick }: { lang: Lang; where: Where; tick: number }) {
  const [holds, setHolds] = useState<Held[] | null>(null);
  const [plans, setPlans] = useState<Record<string, { services: string; visits: string }>>({});
  const [errors, setErrors] = useState<Record<string, Record<string, string>>>({});
  const [now, setNow] = useState(Date.now());
  const needsPlan = where.bedType === 'home-care';
  const load = async () => setHolds(await json<Held[]>('GET', `${where.base}/institutions/${where.institution.id}/holds`));
  useEffect(() => {
    void load();
  }, [tick, where.institution.id]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const admit = async (hold: Held) => {
    const plan = plans[hold.id] ?? { services: '', visits: '' };
    const services = plan.services.split(/[、,，;；]/).map((s) => s.trim()).filter(Boolean);
    const visits = Number(plan.visits);
    const found: Record<string, string> = {};
    if (needsPlan && services.length === 0) found['services'] = w(lang, 'needServices');
    if (needsPlan && !(Number.isInteger(visits) && visits >= 1 && visits <= 21)) found['visits'] = w(lang, 'needVisits');
    setErrors({ ...errors, [hold.id]: found });
    if (Object.keys(found).length > 0) return;
    try {
      await json('POST', `${where.base}/holds/${hold.id}/admission`, needsPlan ? { servicePlan: { services, visitsPerWeek: visits } } : {});
      await load();
    } catch (e) {
      setErrors({ ...errors, [hold.id]: { form: problemText(e) } });
    }
  };

  const names = useElderNames((holds ?? []).map((h) => h.elderRef));
  if (holds === null) return <p>{w(lang, 'loading')}</p>;
  if (holds.length === 0) return <p class="panel">{w(lang, 'arrivalsEmpty')}</p>;
  return (
    <ul class="offers arrivals">
      {holds.map((h) => {
        const plan = plans[h.id] ?? { services: '', visits: '' };
        const err = errors[h.id] ?? {};
        return (
          <li key={h.id} class="offer" data-hold={h.id} data-referral={h.referralId}>
            <div class="offer-head">
              <strong class="elder-name">{names.get(h.elderRef) ?? t(lang, 'identityHidden')}</strong>
              <span class="unit">{w(lang, 'unit')}{lang === 'zh' ? '：' : ': '}{h.unitLabel}</span>
            </div>
            <p>{w(lang, 'heldUntil')}: {chinaTime(lang, h.expiresAt)} · <span class="countdown">{countdown(lang, h.expiresAt, now)}</span></p>
            <PacketToggle lang={lang} referralId={h.referralId} bedType={where.bedType} />
            <div class="actions">
              {needsPlan && (
                <>
                  <label>{w(lang, 'services')}
                    <input name="services" value={plan.services} aria-invalid={err['services'] ? 'true' : 'false'} onInput={(e) => setPlans({ ...plans, [h.id]: { ...plan, services: (e.target as HTMLInputElement).value } })} />
                    <span class="field-error" role="alert">{err['services'] ?? ''}</span>
                  </label>
                  <label>{w(lang, 'visitsPerWeek')}
                    <input name="visits" inputMode="numeric" value={plan.visits} aria-invalid={err['visits'] ? 'true' : 'false'} onInput={(e) => setPlans({ ...plans, [h.id]: { ...plan, visits: (e.target as HTMLInputElement).value } })} />
                    <span class="field-error" role="alert">{err['visits'] ?? ''}</span>
                  </label>
                </>
              )}
              <button type="button" onClick={() => void admit(h)}>{w(lang, 'confirmAdmission')}</button>
            </div>
            <p class="form-error" role="alert">{err['form'] ?? ''}</p>
          </li>
        );
      })}
    </ul>
  );
}

interface Stay {
  id: string;
  referralId: string | null;
  elderRef: string;
  unitLabel: string;
  status: 'in-care' | 'away' | 'discharged';
  admittedAt: string;
  keptUntil: string | null;
  reviewDueAt: string | null;
  lastReview?: { condition: string; decision: string; reviewedAt: string; reviewedByName: string | null } | null;
}

/** A hospital as matching sees it: its free beds, and whether it is a green-channel partner of ours. */
interface Hospital {
  institutionId: string;
  name: string;
  free: number;
  greenChannelPartners: string[];
}

const DISCHARGE_REASONS = ['recovered', 'transferred', 'died', 'family-request', 'episode-closed', 'other'];

/** Current residents or cases: urgent transfer to hospital, discharge, return to the kept bed, episode review. */
function Residents({ lang, where, tick }: { lang: Lang; where: Where; tick: number }) {
  const [stays, setStays] = useState<Stay[] | null>(null);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [discharges, setDischarges] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, Record<string, string>>>({});
  const [hospitalFor, setHospitalFor] = useState<Record<string, string>>({});
  const [hospitals, setHospitals] = useState<Hospital[]>([]);
  const [reviews, setReviews] = useState<Record<string, { condition: string; decision: string }>>({});
  const [reviewing, setReviewing] = useState<string | null>(null);
  const [saved, setSaved] = useState<Record<string, string>>({});
  const [planFor, setPlanFor] = useState<string | null>(null);
  const load = async () => setStays(await json<Stay[]>('GET', `${where.base}/institutions/${where.institution.id}/admissions`));
  useEffect(() => {
    void load();
  }, [tick, where.institution.id]);
  /** A green-channel partner, as either side recorded the agreement. */
  const partnerOf = (h: Hospital) => h.greenChannelPartners.includes(where.institution.id) || (where.institution.greenChannelPartners ?? []).includes(h.institutionId);
  useEffect(() => {
    if (where.bedType === 'medical') return;
    // Green-channel partners first, then the most free beds: the hospitals an urgent transfer may name.
    json<Hospital[]>('GET', '/api/referrals/capacity?bedType=medical').then(
      (found) => setHospitals([...found].sort((a, b) => Number(partnerOf(b)) - Number(partnerOf(a)) || b.free - a.free)),
      () => setHospitals([]),
    );
  }, [where.institution.id, where.bedType]);

  const act = async (stay: Stay, kind: 'transfer' | 'discharge' | 'return' | 'review') => {
    const found: Record<string, string> = {};
    if (kind === 'transfer' && !(reasons[stay.id] ?? '').trim()) found['transfer'] = w(lang, 'needTransferReason');
    if (kind === 'discharge' && !discharges[stay.id]) found['discharge'] = w(lang, 'needDischargeReason');
    const review = reviews[stay.id];
    if (kind === 'review' && !review?.condition) found['reviewCondition'] = t(lang, 'followUp_choose');
    if (kind === 'review' && !review?.decision) found['reviewDecision'] = t(lang, 'followUp_choose');
    setErrors({ ...errors, [stay.id]: found });
    if (Object.keys(found).length > 0) return;
    // Sending a resident to hospital and ending a stay cannot be undone: ask first.
    if (kind === 'transfer' && !confirm(w(lang, 'confirmTransfer'))) return;
    if (kind === 'discharge' && !confirm(w(lang, 'confirmDischarge'))) return;
    const path = { transfer: 'emergency-transfer', discharge: 'discharge', return: 'return', review: 'episode-review' }[kind];
    const hospital = hospitalFor[stay.id];
    const body = kind === 'transfer' ? { reason: reasons[stay.id]!.trim(), ...(hospital ? { hospitalInstitutionId: hospital } : {}) } : kind === 'discharge' ? { reason: discharges[stay.id] } : kind === 'review' ? review : undefined;
    try {
      const answer = await json<{ reviewDueAt?: string }>('POST', `${where.base}/admissions/${stay.id}/${path}`, body);
      if (kind === 'review' && answer.reviewDueAt) {
        setSaved({ ...saved, [stay.id]: fill(t(lang, 'review_done'), { date: chinaDate(lang, answer.reviewDueAt) }) });
        setReviewing(null);
      }
      await load();
    } catch (e) {
      setErrors({ ...errors, [stay.id]: { form: problemText(e) } });
    }
  };

  const names = useElderNames((stays ?? []).map((x) => x.elderRef));
  if (stays === null) return <p>{w(lang, 'loading')}</p>;
  if (stays.length === 0) return <p class="panel">{w(lang, 'residentsEmpty')}</p>;
  return (
    <ul class="offers residents">
      {stays.map((s) => {
        const err = errors[s.id] ?? {};
        return (
          <li key={s.id} class={`offer${s.status === 'away' ? ' urgent' : ''}`} data-stay={s.id} data-referral={s.referralId}>
            <div class="offer-head">
              <strong class="elder-name">{names.get(s.elderRef) ?? t(lang, 'identityHidden')}</strong>
              <span class="unit">{w(lang, 'unit')}{lang === 'zh' ? '：' : ': '}{s.unitLabel}</span>
              <span class="status" data-status={s.status}>{w(lang, s.status === 'away' ? 'stay_away' : 'stay_in_care')}</span>
            </div>
            <p>
              {w(lang, 'admittedAt')}: {chinaTime(lang, s.admittedAt)}
              {s.keptUntil && <> · {w(lang, 'keptUntil')}: {chinaTime(lang, s.keptUntil)}</>}
            </p>
            {s.status === 'in-care' && (
              <div class="actions">
                <label>{w(lang, 'transferReason')}
                  <input name="transferReason" value={reasons[s.id] ?? ''} aria-invalid={err['transfer'] ? 'true' : 'false'} onInput={(e) => setReasons({ ...reasons, [s.id]: (e.target as HTMLInputElement).value })} />
                  <span class="field-error" role="alert">{err['transfer'] ?? ''}</span>
                </label>
                {hospitals.length > 0 && (
                  <label>{w(lang, 'transferHospital')}
                    <select name="hospital" value={hospitalFor[s.id] ?? ''} onChange={(e) => setHospitalFor({ ...hospitalFor, [s.id]: (e.target as HTMLSelectElement).value })}>
                      <option value="">{w(lang, 'anyHospital')}</option>
                      {hospitals.map((h) => (
                        <option key={h.institutionId} value={h.institutionId}>
                          {h.name}{partnerOf(h) ? `（${w(lang, 'partnerHospital')}）` : ''} · {fill(w(lang, 'freeBeds'), { n: h.free })}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
                <button type="button" class="danger" onClick={() => void act(s, 'transfer')}>{w(lang, 'startTransfer')}</button>
                <label>{w(lang, 'dischargeReason')}
                  <select name="dischargeReason" value={discharges[s.id] ?? ''} onChange={(e) => setDischarges({ ...discharges, [s.id]: (e.target as HTMLSelectElement).value })}>
                    <option value="">—</option>
                    {DISCHARGE_REASONS.map((r) => <option key={r} value={r}>{w(lang, `discharge_${r}`)}</option>)}
                  </select>
                  <span class="field-error" role="alert">{err['discharge'] ?? ''}</span>
                </label>
                <button type="button" class="secondary" onClick={() => void act(s, 'discharge')}>{w(lang, 'discharge')}</button>
                {isHomeBed(where.bedType) && <button type="button" class="secondary" data-action="open-plan" onClick={() => setPlanFor(planFor === s.id ? null : s.id)}>{t(lang, 'visits_planButton')}</button>}
                {s.reviewDueAt && <button type="button" class="secondary" data-action="open-review" onClick={() => setReviewing(reviewing === s.id ? null : s.id)}>{w(lang, 'reviewEpisode')}</button>}
              </div>
            )}
            {s.reviewDueAt && (
              <p class="review-dates">
                {t(lang, 'review_due')}{lang === 'zh' ? '：' : ': '}{chinaDate(lang, s.reviewDueAt)}
                {s.lastReview && <> · {t(lang, 'review_last')}{lang === 'zh' ? '：' : ': '}{chinaDate(lang, s.lastReview.reviewedAt)} {t(lang, `followUpCondition_${s.lastReview.condition}`)}，{t(lang, `reviewDecision_${s.lastReview.decision}`)}</>}
              </p>
            )}
            {planFor === s.id && <VisitPlan lang={lang} where={where} stayId={s.id} />}
            {reviewing === s.id && (
              <fieldset class="panel review-form" data-stay={s.id}>
                <legend>{t(lang, 'review_title')}</legend>
                {([['condition', EPISODE_REVIEW_CONDITION, 'followUpCondition', 'reviewCondition', 'review_condition'], ['decision', EPISODE_REVIEW_DECISIONS, 'reviewDecision', 'reviewDecision', 'review_decision']] as const).map(([key, codes, prefix, errorKey, label]) => (
                  <div class="choice-row" key={key} role="radiogroup" aria-label={t(lang, label)}>
                    <strong>{t(lang, label)}</strong>
                    {codes.map((code) => (
                      <label class="check" key={code}>
                        <input type="radio" name={`${key}-${s.id}`} value={code} checked={reviews[s.id]?.[key] === code} onChange={() => {
                            setReviews({ ...reviews, [s.id]: { condition: '', decision: '', ...reviews[s.id], [key]: code } });
                            const { [errorKey]: _answered, ...rest } = err;
                            setErrors({ ...errors, [s.id]: rest });
                          }} />
                        {t(lang, `${prefix}_${code}`)}
                      </label>
                    ))}
                    <span class="field-error" role="alert">{err[errorKey] ?? ''}</span>
                  </div>
                ))}
                <button type="button" onClick={() => void act(s, 'review')}>{t(lang, 'review_submit')}</button>
              </fieldset>
            )}
            {saved[s.id] && <p class="field-ok" role="status">{saved[s.id]}</p>}
            {s.status === 'away' && (
              <div class="actions">
                <button type="button" onClick={() => void act(s, 'return')}>{w(lang, 'returned')}</button>
              </div>
            )}
            <p class="form-error" role="alert">{err['form'] ?? ''}</p>
          </li>
        );
      })}
    </ul>
  );
}

interface Due {
  id: string;
  reference: string;
  elderRef: string;
  kind: string;
  urgency: string;
  since: string;
}

/** Referrals placed here and waiting for the follow-up that closes their loop. */
function FollowUps({ lang, institutionId, tick }: { lang: Lang; institutionId: string; tick: number }) {
  const [due, setDue] = useState<Due[] | null>(null);
  const [error, setError] = useState('');
  const load = async () => setDue(await json<Due[]>('GET', `/api/referrals/follow-ups/${institutionId}`));
  useEffect(() => {
    void load();
  }, [tick, institutionId]);
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const names = useElderNames((due ?? []).map((d) => d.elderRef));
  if (due === null) return <p>{w(lang, 'loading')}</p>;
  return (
    <section class="panel follow-ups">
      {due.length === 0 ? (
        <p>{w(lang, 'followUpsEmpty')}</p>
      ) : (
        <table>
          <thead><tr><th>{w(lang, 'referral')}</th><th>{t(lang, 'elderName')}</th><th>{w(lang, 'arrivedSince')}</th><th /></tr></thead>
          <tbody>
            {due.map((d) => (
              <tr key={d.id} data-referral={d.id} class={d.urgency === 'green-channel' ? 'urgent-row' : ''}>
                <td>{d.reference} {d.urgency === 'green-channel' && <span class="badge">{w(lang, 'greenChannel')}</span>}</td>
                <td class="elder-name">{names.get(d.elderRef) ?? ''}</td>
                <td>{chinaTime(lang, d.since)}</td>
                <td><button type="button" data-action="fill-follow-up" onClick={() => { setOpen(open === d.id ? null : d.id); setDone(''); }}>{t(lang, 'followUp_fill')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && (
        <FollowUpForm
          lang={lang}
          referralId={open}
          onCancel={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            setDone(t(lang, 'followUp_done'));
            void load().catch((e: unknown) => setError(problemText(e)));
          }}
        />
      )}
      <p class="field-ok" role="status">{done}</p>
      <p class="form-error" role="alert">{error}</p>
    </section>
  );
}

interface Unit {
  id: string;
  label: string;
  kind: string;
  attributes: Record<string, unknown>;
  status: string;
}

/**
 * What kind of unit a line of capacity is, in words: 床位 or 服务名额 and its attributes (护理型,
 * 认知障碍照护, 重度照护, 住院 …); a free-text attribute (a department, ward or team) as written.
 * An attribute with no words and no text of its own (a false flag) says nothing.
 */
export function unitLineText(lang: Lang, kind: string, attributes: Record<string, unknown>): string {
  const words = Object.entries(attributes).flatMap(([key, value]) => {
    const word = wordFor(lang, `unitAttr_${key}_${String(value)}`);
    if (word) return [word];
    return typeof value === 'string' && value.trim() !== '' && /\P{ASCII}/u.test(value) ? [value] : [];
  });
  return [wordFor(lang, `unitKind_${kind}`), ...words].filter(Boolean).join(' · ');
}

/** The capacity editor: totals, every unit with its status, take free units out of service or back, add units. */
function Capacity({ lang, where, tick, onChanged }: { lang: Lang; where: Where; tick: number; onChanged: () => void }) {
  const [units, setUnits] = useState<Unit[] | null>(null);
  const [line, setLine] = useState(0);
  const [count, setCount] = useState('1');
  const [countError, setCountError] = useState('');
  const [error, setError] = useState('');
  const load = async () => setUnits(await json<Unit[]>('GET', `${where.base}/institutions/${where.institution.id}/units`));
  useEffect(() => {
    void load();
  }, [tick, where.institution.id]);
  const lines = where.institution.capacity.units;

  const toggle = async (unit: Unit) => {
    setError('');
    try {
      await json('PATCH', `${where.base}/units/${unit.id}`, { inService: unit.status === 'closed' });
      await load();
      onChanged();
    } catch (e) {
      setError(problemText(e));
    }
  };
  const add = async (event: Event) => {
    event.preventDefault();
    const n = Number(count);
    if (!(Number.isInteger(n) && n >= 1 && n <= 5000)) return setCountError(w(lang, 'needCount'));
    setCountError('');
    const like = lines[line];
    try {
      await json('POST', `${where.base}/institutions/${where.institution.id}/units`, { kind: like?.kind ?? 'bed', count: n, ...(like ? { attributes: like.attributes } : {}) });
      await load();
      onChanged();
    } catch (e) {
      setError(problemText(e));
    }
  };

  const c = where.institution.capacity;
  return (
    <section class="capacity">
      <div class="cards">
        {(['total', 'free', 'held', 'occupied', 'kept', 'closed'] as const).map((k) => (
          <figure class="card" key={k} data-figure={k}><figcaption>{w(lang, k)}</figcaption><strong>{c[k]}</strong></figure>
        ))}
      </div>
      <form class="panel" onSubmit={(e) => void add(e)} noValidate>
        <h3>{w(lang, 'addUnits')}</h3>
        <div class="actions">
          <label>{w(lang, 'like')}
            <select name="line" value={String(line)} onChange={(e) => setLine(Number((e.target as HTMLSelectElement).value))}>
              {lines.map((l, i) => <option key={i} value={String(i)}>{unitLineText(lang, l.kind, l.attributes)}</option>)}
            </select>
          </label>
          <label>{w(lang, 'count')}
            <input name="count" inputMode="numeric" value={count} aria-invalid={countError ? 'true' : 'false'} onInput={(e) => setCount((e.target as HTMLInputElement).value)} />
            <span class="field-error" role="alert">{countError}</span>
          </label>
          <button type="submit">{w(lang, 'add')}</button>
        </div>
        <p class="form-error" role="alert">{error}</p>
      </form>
      <section class="panel">
        <h3>{w(lang, 'units')}</h3>
        {units === null ? <p>{w(lang, 'loading')}</p> : (
          <table>
            <thead><tr><th>{w(lang, 'unit')}</th><th>{w(lang, 'unitType')}</th><th>{w(lang, 'status')}</th><th /></tr></thead>
            <tbody>
              {units.map((u) => (
                <tr key={u.id} data-unit={u.id} data-status={u.status}>
                  <td>{u.label}</td>
                  <td>{unitLineText(lang, u.kind, u.attributes)}</td>
                  <td>{w(lang, `unit_${u.status}`)}</td>
                  <td>
                    {(u.status === 'free' || u.status === 'closed') && (
                      <button type="button" class="secondary" onClick={() => void toggle(u)}>{w(lang, u.status === 'free' ? 'takeOut' : 'putBack')}</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
