import { useEffect, useState } from 'preact/hooks';
import { json, problemText } from './api.js';
import { chinaTime, fill, pageWords, type Lang } from './i18n.js';
import { chinaToday, useCatalogue, type VisitsWhere } from './visits.js';

const w = pageWords('visits');

interface Slot {
  purpose: 'service' | 'doctor-round';
  weekdays: number[];
  start: string;
  windowMinutes: number;
  items: string[];
}
interface Content {
  divisionCode: string;
  workerId: string;
  workerName?: string;
  team?: string;
  startsOn: string;
  endsOn: string;
  graceMinutes: number;
  slots: Slot[];
}
interface Plan {
  id: string;
  version: number;
  content: Content;
  versions: { version: number; changedBy: string; changedAt: string }[];
}

const inMonths = (n: number) => {
  const d = new Date(`${chinaToday()}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
};

/** A home bed admission's service plan: set it, change it (a new version), and add an extra visit. */
export function VisitPlan({ lang, where, stayId }: { lang: Lang; where: VisitsWhere; stayId: string }) {
  const catalogue = useCatalogue(where.base);
  const [plan, setPlan] = useState<Plan | null | undefined>(undefined);
  const [colleagues, setColleagues] = useState<{ id: string; displayName: string }[]>([]);
  const [form, setForm] = useState<Content | null>(null);
  const [extra, setExtra] = useState({ purpose: 'service', start: '', end: '' });
  const [message, setMessage] = useState('');
  const [error, setError] = useState<Record<string, string>>({});
  const home = where.bedType === 'home-sick';
  const load = async () => {
    const found = await json<Plan | null>('GET', `${where.base}/admissions/${stayId}/plan`);
    setPlan(found);
    if (found) return setForm(found.content);
    const county = (where.institution.serviceArea ?? []).find((c) => !c.endsWith('00')) ?? where.institution.divisionCode ?? '';
    setForm({ divisionCode: county, workerId: '', startsOn: chinaToday(), endsOn: inMonths(3), graceMinutes: 15, slots: [{ purpose: home ? 'doctor-round' : 'service', weekdays: [1, 3, 5], start: '09:00', windowMinutes: 120, items: [] }] });
  };
  useEffect(() => {
    void load();
    json<{ id: string; displayName: string }[]>('GET', '/api/auth/colleagues').then(setColleagues, () => setColleagues([]));
  }, [stayId]);
  if (!form) return <p>{w(lang, 'loading')}</p>;
  const slot = (i: number, patch: Partial<Slot>) => setForm({ ...form, slots: form.slots.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  const save = async () => {
    const found: Record<string, string> = {};
    if (!form.workerId) found['workerId'] = w(lang, 'needWorker');
    if (!/^\d{6}$/.test(form.divisionCode)) found['divisionCode'] = w(lang, 'needCounty');
    setError(found);
    if (Object.keys(found).length > 0) return;
    try {
      const worker = colleagues.find((c) => c.id === form.workerId);
      const answer = await json<{ version: number; visitsAdded: number }>('PUT', `${where.base}/admissions/${stayId}/plan`, { ...form, ...(worker ? { workerName: worker.displayName } : {}) });
      setMessage(fill(w(lang, 'planSaved'), { version: answer.version, n: answer.visitsAdded }));
      await load();
    } catch (e) {
      setError({ form: problemText(e) });
    }
  };
  const addVisit = async () => {
    if (!plan || !extra.start || !extra.end) return setError({ extra: w(lang, 'needWindow') });
    try {
      await json('POST', `${where.base}/plans/${plan.id}/visits`, { purpose: extra.purpose, windowStart: new Date(`${extra.start}:00+08:00`).toISOString(), windowEnd: new Date(`${extra.end}:00+08:00`).toISOString() });
      setMessage(fill(w(lang, 'visitAdded'), { window: `${extra.start.slice(11)}–${extra.end.slice(11)}` }));
      setError({});
    } catch (e) {
      setError({ extra: problemText(e) });
    }
  };
  return (
    <fieldset class="panel visit-plan" data-stay={stayId}>
      <legend>{plan ? fill(w(lang, 'planVersion'), { version: plan.version }) : w(lang, 'planNew')}</legend>
      <label>{w(lang, 'worker')}
        <select name="workerId" value={form.workerId} aria-invalid={error['workerId'] ? 'true' : 'false'} onChange={(e) => setForm({ ...form, workerId: (e.target as HTMLSelectElement).value })}>
          <option value="">—</option>
          {colleagues.map((c) => <option key={c.id} value={c.id}>{c.displayName}</option>)}
        </select>
        <span class="field-error" role="alert">{error['workerId'] ?? ''}</span>
      </label>
      <label>{w(lang, 'team')}<input name="team" value={form.team ?? ''} onInput={(e) => setForm({ ...form, team: (e.target as HTMLInputElement).value })} /></label>
      <label>{w(lang, 'county')}<input name="divisionCode" inputMode="numeric" maxLength={6} value={form.divisionCode} onInput={(e) => setForm({ ...form, divisionCode: (e.target as HTMLInputElement).value })} /><span class="field-error" role="alert">{error['divisionCode'] ?? ''}</span></label>
      <label>{w(lang, 'startsOn')}<input type="date" name="startsOn" value={form.startsOn} onChange={(e) => setForm({ ...form, startsOn: (e.target as HTMLInputElement).value })} /></label>
      <label>{w(lang, 'endsOn')}<input type="date" name="endsOn" value={form.endsOn} onChange={(e) => setForm({ ...form, endsOn: (e.target as HTMLInputElement).value })} /></label>
      <label>{w(lang, 'grace')}<input type="number" name="graceMinutes" min={0} max={240} value={form.graceMinutes} onInput={(e) => setForm({ ...form, graceMinutes: Number((e.target as HTMLInputElement).value) })} /></label>
      {form.slots.map((s, i) => (
        <div class="panel visit-slot" key={i} data-slot={i}>
          {home && (
            <label>{w(lang, 'purpose')}
              <select name="purpose" value={s.purpose} onChange={(e) => slot(i, { purpose: (e.target as HTMLSelectElement).value as Slot['purpose'] })}>
                {(['doctor-round', 'service'] as const).map((p) => <option key={p} value={p}>{w(lang, `purpose_${p}`)}</option>)}
              </select>
            </label>
          )}
          <div class="choice-row" role="group" aria-label={w(lang, 'weekdays')}>
            <strong>{w(lang, 'weekdays')}</strong>
            {[1, 2, 3, 4, 5, 6, 7].map((d) => (
              <label key={d} class="check"><input type="checkbox" name={`weekday-${i}`} value={d} checked={s.weekdays.includes(d)} onChange={(e) => slot(i, { weekdays: (e.target as HTMLInputElement).checked ? [...s.weekdays, d].sort() : s.weekdays.filter((x) => x !== d) })} />{w(lang, `weekday_${d}`)}</label>
            ))}
          </div>
          <label>{w(lang, 'startTime')}<input type="time" name="start" value={s.start} onChange={(e) => slot(i, { start: (e.target as HTMLInputElement).value })} /></label>
          <label>{w(lang, 'windowMinutes')}<input type="number" name="windowMinutes" min={15} max={720} value={s.windowMinutes} onInput={(e) => slot(i, { windowMinutes: Number((e.target as HTMLInputElement).value) })} /></label>
          <div class="choice-row" role="group" aria-label={w(lang, 'items')}>
            <strong>{w(lang, 'items')}</strong>
            {catalogue.map((item) => (
              <label key={item.code} class="check"><input type="checkbox" name={`item-${i}`} value={item.code} checked={s.items.includes(item.code)} onChange={(e) => slot(i, { items: (e.target as HTMLInputElement).checked ? [...s.items, item.code] : s.items.filter((x) => x !== item.code) })} />{w(lang, `item_${item.code}`)}（{fill(w(lang, 'minutesTotal'), { n: item.minutes })}）</label>
            ))}
          </div>
          {form.slots.length > 1 && <button type="button" class="secondary" onClick={() => setForm({ ...form, slots: form.slots.filter((_, j) => j !== i) })}>{w(lang, 'removeSlot')}</button>}
        </div>
      ))}
      <button type="button" class="secondary" onClick={() => setForm({ ...form, slots: [...form.slots, { purpose: 'service', weekdays: [2], start: '09:00', windowMinutes: 120, items: [] }] })}>{w(lang, 'addSlot')}</button>
      <button type="button" data-action="save-plan" onClick={() => void save()}>{w(lang, plan ? 'savePlanChange' : 'savePlan')}</button>
      <p class="form-error" role="alert">{error['form'] ?? ''}</p>
      {message && <p class="field-ok" role="status">{message}</p>}
      {plan && (
        <>
          <ul class="plan-versions">
            {plan.versions.map((v) => <li key={v.version}>{fill(w(lang, 'planVersion'), { version: v.version })} · {v.changedBy} · {chinaTime(lang, v.changedAt)}</li>)}
          </ul>
          <div class="panel extra-visit">
            <strong>{w(lang, 'extraVisit')}</strong>
            <label>{w(lang, 'purpose')}
              <select name="extraPurpose" value={extra.purpose} onChange={(e) => setExtra({ ...extra, purpose: (e.target as HTMLSelectElement).value })}>
                {(home ? ['doctor-round', 'review', 'service'] : ['service']).map((p) => <option key={p} value={p}>{w(lang, `purpose_${p}`)}</option>)}
              </select>
            </label>
            <label>{w(lang, 'windowStart')}<input type="datetime-local" name="extraStart" value={extra.start} onChange={(e) => setExtra({ ...extra, start: (e.target as HTMLInputElement).value })} /></label>
            <label>{w(lang, 'windowEnd')}<input type="datetime-local" name="extraEnd" value={extra.end} onChange={(e) => setExtra({ ...extra, end: (e.target as HTMLInputElement).value })} /></label>
            <button type="button" data-action="add-visit" onClick={() => void addVisit()}>{w(lang, 'addVisit')}</button>
            <p class="form-error" role="alert">{error['extra'] ?? ''}</p>
          </div>
        </>
      )}
    </fieldset>
  );
}
