import { useEffect, useRef, useState } from 'preact/hooks';
import { json, Problem, problemText } from './api.js';
import { useElderNames } from './elder-names.js';
import { chinaTime, fill, pageWords, t, type Lang } from './i18n.js';

/** Words of the visit pages: `visits_<key>` in the locale files. */
const w = pageWords('visits');

export interface VisitsWhere {
  bedType: string;
  base: string;
  institution: { id: string; divisionCode?: string; serviceArea?: string[] };
}

interface Visit {
  id: string;
  planId: string;
  stayId: string;
  elderRef: string;
  purpose: string;
  windowStart: string;
  windowEnd: string;
  workerId: string;
  workerName: string | null;
  items: string[];
  status: 'scheduled' | 'in-progress' | 'completed' | 'missed' | 'cancelled';
  late: boolean | null;
  checkedInAt: string | null;
  checkedOutAt: string | null;
  minutes: number | null;
  itemsDone: { code: string; minutes: number }[] | null;
  confirmation: string | null;
}
interface Day {
  visits: Visit[];
  counts: Record<string, number>;
}
export interface CatalogueItem {
  code: string;
  minutes: number;
}

/** Today's date in China, YYYY-MM-DD. */
export function chinaToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

const hm = (iso: string) => new Date(iso).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });

/** The catalogue of a home bed service, loaded once. */
export function useCatalogue(base: string): CatalogueItem[] {
  const [items, setItems] = useState<CatalogueItem[]>([]);
  useEffect(() => {
    json<CatalogueItem[]>('GET', `${base}/visit-catalogue`).then(setItems, () => setItems([]));
  }, [base]);
  return items;
}

/** A visit's status, with 迟到 when it was checked in late. */
function StatusTag({ lang, v }: { lang: Lang; v: Visit }) {
  return (
    <span class="visit-tags">
      <span class="status" data-status={v.status}>{w(lang, `status_${v.status}`)}</span>
      {v.late && <span class="status" data-status="late">{w(lang, 'late')}</span>}
    </span>
  );
}

/** A canvas the family signs on with a finger or the mouse; `onChange` gets the PNG (or null when cleared). */
function SignaturePad({ lang, onChange }: { lang: Lang; onChange: (png: string | null) => void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const point = (e: PointerEvent) => {
    const c = canvas.current!;
    const r = c.getBoundingClientRect();
    return [((e.clientX - r.left) * c.width) / r.width, ((e.clientY - r.top) * c.height) / r.height] as const;
  };
  const down = (e: PointerEvent) => {
    drawing.current = true;
    const ctx = canvas.current!.getContext('2d')!;
    ctx.lineWidth = 3;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(...point(e));
  };
  const move = (e: PointerEvent) => {
    if (!drawing.current) return;
    const ctx = canvas.current!.getContext('2d')!;
    ctx.lineTo(...point(e));
    ctx.stroke();
  };
  const up = () => {
    if (!drawing.current) return;
    drawing.current = false;
    onChange(canvas.current!.toDataURL('image/png'));
  };
  const clear = () => {
    const c = canvas.current!;
    c.getContext('2d')!.clearRect(0, 0, c.width, c.height);
    onChange(null);
  };
  return (
    <div class="signature">
      <canvas ref={canvas} width={600} height={220} class="signature-pad" aria-label={w(lang, 'signHere')} onPointerDown={down} onPointerMove={move} onPointerUp={up} onPointerLeave={up} />
      <button type="button" class="secondary" onClick={clear}>{w(lang, 'clearSignature')}</button>
    </div>
  );
}

/** A photo file scaled down to at most 800 pixels a side, as a JPEG data URL. */
async function scaledPhoto(file: File): Promise<string> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 800 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/jpeg', 0.7);
}

/** Check-out of a visit in progress: items done with minutes, notes, and the family's confirmation. */
function CheckOut({ lang, base, visit, catalogue, onDone }: { lang: Lang; base: string; visit: Visit; catalogue: CatalogueItem[]; onDone: () => void }) {
  const typical = (code: string) => catalogue.find((c) => c.code === code)?.minutes ?? 30;
  const [done, setDone] = useState<Record<string, number | undefined>>(Object.fromEntries(visit.items.map((code) => [code, typical(code)])));
  const [notes, setNotes] = useState('');
  const [method, setMethod] = useState<'signature' | 'code' | 'none'>('signature');
  const [png, setPng] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [review, setReview] = useState<{ condition: string; decision: string }>({ condition: '', decision: '' });
  const [photos, setPhotos] = useState<string[]>([]);
  const [error, setError] = useState('');
  const addPhoto = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    try {
      setPhotos([...photos, await scaledPhoto(file)].slice(0, 2));
    } catch {
      setError(w(lang, 'photoUnreadable'));
    }
  };
  const submit = async () => {
    if (method === 'signature' && !png) return setError(w(lang, 'needSignature'));
    if (method === 'code' && !/^\d{6}$/.test(code)) return setError(w(lang, 'needCode'));
    if (visit.purpose === 'review' && (!review.condition || !review.decision)) return setError(w(lang, 'needReview'));
    const confirmation = method === 'signature' ? { method, png } : method === 'code' ? { method, code } : { method };
    const items = Object.entries(done).flatMap(([c, minutes]) => (minutes === undefined ? [] : [{ code: c, minutes }]));
    try {
      await json('POST', `${base}/visits/${visit.id}/check-out`, { items, confirmation, ...(notes.trim() ? { notes: notes.trim() } : {}), ...(photos.length > 0 ? { photos } : {}), ...(visit.purpose === 'review' ? { review } : {}) });
      onDone();
    } catch (e) {
      // A wrong code is the one refusal a worker can put right on the spot.
      setError(method === 'code' && e instanceof Problem && e.status === 409 ? w(lang, 'codeWrong') : problemText(e));
    }
  };
  return (
    <fieldset class="panel check-out" data-visit={visit.id}>
      <legend>{w(lang, 'checkOutTitle')}</legend>
      <div class="visit-items">
        {catalogue.map((item) => (
          <label key={item.code} class="check visit-item">
            <input type="checkbox" name="item" value={item.code} checked={done[item.code] !== undefined} onChange={(e) => setDone({ ...done, [item.code]: (e.target as HTMLInputElement).checked ? typical(item.code) : undefined })} />
            {w(lang, `item_${item.code}`)}
            {done[item.code] !== undefined && (
              <input type="number" min={0} max={600} name={`minutes-${item.code}`} aria-label={fill(w(lang, 'minutesOf'), { item: w(lang, `item_${item.code}`) })} value={done[item.code]} onInput={(e) => setDone({ ...done, [item.code]: Number((e.target as HTMLInputElement).value) })} />
            )}
          </label>
        ))}
      </div>
      {visit.purpose === 'review' && (
        <div class="choice-row">
          {(['condition', 'decision'] as const).map((key) => (
            <label key={key}>{w(lang, `review_${key}`)}
              <select name={key} value={review[key]} onChange={(e) => setReview({ ...review, [key]: (e.target as HTMLSelectElement).value })}>
                <option value="">—</option>
                {(key === 'condition' ? ['improved', 'stable', 'worse'] : ['continue', 'adjust-plan', 'prepare-closing']).map((c) => <option key={c} value={c}>{t(lang, key === 'condition' ? `followUpCondition_${c}` : `reviewDecision_${c}`)}</option>)}
              </select>
            </label>
          ))}
        </div>
      )}
      <label>{w(lang, 'notes')}<textarea name="notes" rows={3} value={notes} onInput={(e) => setNotes((e.target as HTMLTextAreaElement).value)} /></label>
      <div class="visit-photos">
        {photos.map((src, i) => (
          <figure key={i}>
            <img src={src} alt={fill(w(lang, 'photoN'), { n: i + 1 })} />
            <button type="button" class="secondary" onClick={() => setPhotos(photos.filter((_, j) => j !== i))}>{w(lang, 'removePhoto')}</button>
          </figure>
        ))}
        {photos.length < 2 && <label>{w(lang, 'addPhoto')}<input type="file" name="photo" accept="image/*" capture="environment" onChange={(e) => void addPhoto(e.target as HTMLInputElement)} /></label>}
      </div>
      <div class="choice-row" role="radiogroup" aria-label={w(lang, 'confirmation')}>
        <strong>{w(lang, 'confirmation')}</strong>
        {(['signature', 'code', 'none'] as const).map((m) => (
          <label key={m} class="check"><input type="radio" name={`confirm-${visit.id}`} value={m} checked={method === m} onChange={() => setMethod(m)} />{w(lang, `confirm_${m}`)}</label>
        ))}
      </div>
      {method === 'signature' && <SignaturePad lang={lang} onChange={(drawn) => { setPng(drawn); setError(''); }} />}
      {method === 'code' && <label>{w(lang, 'codeLabel')}<input name="code" inputMode="numeric" maxLength={6} value={code} onInput={(e) => setCode((e.target as HTMLInputElement).value)} /></label>}
      <button type="button" data-action="check-out" onClick={() => void submit()}>{w(lang, 'checkOut')}</button>
      <p class="form-error" role="alert">{error}</p>
    </fieldset>
  );
}

/** 今日上门: a worker's visits of today, at phone width: check in, record the visit, check out. */
export function WorkerToday({ lang, where, tick }: { lang: Lang; where: VisitsWhere; tick: number }) {
  const [day, setDay] = useState<Day | null>(null);
  const [error, setError] = useState<Record<string, string>>({});
  const catalogue = useCatalogue(where.base);
  const load = async () => setDay(await json<Day>('GET', `${where.base}/institutions/${where.institution.id}/visits?mine=true`));
  useEffect(() => {
    void load();
  }, [tick, where.institution.id]);
  const names = useElderNames((day?.visits ?? []).map((v) => v.elderRef));
  const checkIn = async (v: Visit) => {
    try {
      await json('POST', `${where.base}/visits/${v.id}/check-in`);
      await load();
    } catch (e) {
      setError({ ...error, [v.id]: problemText(e) });
    }
  };
  if (day === null) return <p>{w(lang, 'loading')}</p>;
  const open = day.visits.filter((v) => v.status !== 'cancelled');
  return (
    <section class="worker-today">
      <h3>{w(lang, 'todayTitle')}</h3>
      {open.length === 0 && <p class="panel">{w(lang, 'noneToday')}</p>}
      <ul class="offers visits">
        {open.map((v) => (
          <li key={v.id} class={`offer visit${v.status === 'missed' ? ' urgent' : ''}`} data-visit={v.id} data-status={v.status}>
            <div class="offer-head">
              <strong class="elder-name">{names.get(v.elderRef) ?? t(lang, 'identityHidden')}</strong>
              <StatusTag lang={lang} v={v} />
            </div>
            <p>{hm(v.windowStart)}–{hm(v.windowEnd)} · {w(lang, `purpose_${v.purpose}`)}</p>
            {v.items.length > 0 && <p class="visit-planned">{w(lang, 'planned')}{lang === 'zh' ? '：' : ': '}{v.items.map((c) => w(lang, `item_${c}`)).join('、')}</p>}
            {v.checkedInAt && <p>{w(lang, 'checkedInAt')}{lang === 'zh' ? '：' : ': '}{hm(v.checkedInAt)}{v.checkedOutAt && <> · {w(lang, 'checkedOutAt')}{lang === 'zh' ? '：' : ': '}{hm(v.checkedOutAt)}</>}</p>}
            {v.status === 'scheduled' && <button type="button" data-action="check-in" onClick={() => void checkIn(v)}>{w(lang, 'checkIn')}</button>}
            {v.status === 'in-progress' && <CheckOut lang={lang} base={where.base} visit={v} catalogue={catalogue} onDone={() => void load()} />}
            <p class="form-error" role="alert">{error[v.id] ?? ''}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The provider's visits of a day: every worker's, with missed and late counts. */
export function ProviderVisits({ lang, where, tick }: { lang: Lang; where: VisitsWhere; tick: number }) {
  const [date, setDate] = useState(chinaToday());
  const [day, setDay] = useState<Day | null>(null);
  useEffect(() => {
    json<Day>('GET', `${where.base}/institutions/${where.institution.id}/visits?from=${date}`).then(setDay, () => setDay({ visits: [], counts: {} }));
  }, [tick, date, where.institution.id]);
  const names = useElderNames((day?.visits ?? []).map((v) => v.elderRef));
  const counts = day?.counts ?? {};
  return (
    <section class="provider-visits">
      <label>{w(lang, 'date')}<input type="date" name="date" value={date} onChange={(e) => setDate((e.target as HTMLInputElement).value || chinaToday())} /></label>
      <dl class="visit-counts">
        {(['scheduled', 'in-progress', 'completed', 'missed', 'late'] as const).map((k) => (
          <div key={k} data-count={k}><dt>{w(lang, k === 'late' ? 'late' : `status_${k}`)}</dt><dd>{counts[k] ?? 0}</dd></div>
        ))}
      </dl>
      {day && day.visits.length === 0 && <p class="panel">{w(lang, 'noneThatDay')}</p>}
      {day && day.visits.length > 0 && (
        <table class="visits-table">
          <thead><tr><th>{w(lang, 'window')}</th><th>{t(lang, 'elderName')}</th><th>{w(lang, 'purpose')}</th><th>{w(lang, 'worker')}</th><th>{w(lang, 'status')}</th><th>{w(lang, 'done')}</th></tr></thead>
          <tbody>
            {day.visits.map((v) => (
              <tr key={v.id} data-visit={v.id} data-status={v.status}>
                <td>{hm(v.windowStart)}–{hm(v.windowEnd)}</td>
                <td class="elder-name">{names.get(v.elderRef) ?? t(lang, 'identityHidden')}</td>
                <td>{w(lang, `purpose_${v.purpose}`)}</td>
                <td>{v.workerName ?? '—'}</td>
                <td><StatusTag lang={lang} v={v} /></td>
                <td>{v.itemsDone ? `${v.itemsDone.map((i) => `${w(lang, `item_${i.code}`)} ${fill(w(lang, 'minutesTotal'), { n: i.minutes })}`).join('、')}，${w(lang, `confirm_${v.confirmation ?? 'none'}`)}` : v.checkedInAt ? chinaTime(lang, v.checkedInAt) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
