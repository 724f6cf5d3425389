import { useEffect, useState } from 'preact/hooks';
import { download, json, Problem, problemText } from './api.js';
import { useInstitutions } from './accounts.js';
import { chinaTime, fill, pageWords, t, type Lang } from './i18n.js';
import { placeName } from './packet-view.js';

/** A word of civil affairs' care pages (`care_*` in the locale files), else a shared one. */
const w = pageWords('care');

/** Special-hardship categories of the 探访 register, then the facts the home-care hours rules need. */
const HARDSHIP_CATEGORIES = ['living-alone', 'empty-nest', 'left-behind', 'disabled', 'severe-disability', 'family-planning-special'] as const;
const HOURS_FACTS = ['dispersed-living', 'model-worker', 'pre-1949-party-member'] as const;
const CHANNELS = ['home', 'phone', 'online'] as const;

/** The month of an instant in China (`YYYY-MM`), and the one before it. */
const chinaMonth = (at = Date.now()) => new Date(at + 8 * 3600_000).toISOString().slice(0, 7);
const monthBefore = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};
const monthText = (lang: Lang, month: string) => fill(w(lang, 'monthOf'), { y: month.slice(0, 4), m: Number(month.slice(5)) });
const yuan = (fen: number) => (fen / 100).toFixed(2);
const hours = (minutes: number) => String(Math.round((minutes / 60) * 100) / 100);

interface Fact {
  id: string;
  fact: string;
  evidence?: string;
  validFrom: string;
  validUntil: string | null;
}

/** An elder's register facts (special-hardship categories and the facts of the hours rules), with a form to add one. */
export function ElderFacts({ lang, elderRef }: { lang: Lang; elderRef: string }) {
  const [facts, setFacts] = useState<Fact[] | null>(null);
  const [error, setError] = useState('');
  const [form, setForm] = useState({ fact: '', evidence: '', validFrom: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10), validUntil: '' });
  const load = () => json<Fact[]>('GET', `/api/civil-affairs/elders/${elderRef}/facts`).then(setFacts, (e: unknown) => setError(problemText(e)));
  useEffect(() => void load(), [elderRef]);
  const save = async (event: Event) => {
    event.preventDefault();
    if (!form.fact || !form.evidence.trim()) return setError(w(lang, 'factNeeded'));
    try {
      await json('POST', `/api/civil-affairs/elders/${elderRef}/facts`, { fact: form.fact, evidence: form.evidence.trim(), validFrom: form.validFrom, ...(form.validUntil ? { validUntil: form.validUntil } : {}) });
      setForm({ ...form, fact: '', evidence: '', validUntil: '' });
      setError('');
      await load();
    } catch (e) {
      setError(problemText(e));
    }
  };
  const set = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: (e.target as HTMLInputElement).value });
  return (
    <section class="panel register-facts">
      <h3>{w(lang, 'factsTitle')}</h3>
      {facts && facts.length === 0 && <p class="empty">{w(lang, 'noFacts')}</p>}
      <ul class="files facts">
        {(facts ?? []).map((f) => (
          <li key={f.id} class="wrap" data-fact={f.fact}>
            <strong>{w(lang, `fact_${f.fact}`)}</strong>
            <span>{f.validUntil ? fill(w(lang, 'validBetween'), { from: f.validFrom, until: f.validUntil }) : fill(w(lang, 'validSince'), { from: f.validFrom })}</span>
            {f.evidence && <span class="status">{w(lang, 'evidence')}：{f.evidence}</span>}
          </li>
        ))}
      </ul>
      <form class="actions fact-form" onSubmit={(e) => void save(e)}>
        <label>{w(lang, 'fact')}
          <select name="fact" value={form.fact} onChange={set('fact')}>
            <option value="">{w(lang, 'choose')}</option>
            <optgroup label={w(lang, 'hardshipGroup')}>{HARDSHIP_CATEGORIES.map((c) => <option key={c} value={c}>{w(lang, `fact_${c}`)}</option>)}</optgroup>
            <optgroup label={w(lang, 'hoursGroup')}>{HOURS_FACTS.map((c) => <option key={c} value={c}>{w(lang, `fact_${c}`)}</option>)}</optgroup>
          </select>
        </label>
        <label class="grow">{w(lang, 'evidence')}<input name="evidence" maxLength={500} placeholder={w(lang, 'evidenceHint')} value={form.evidence} onInput={set('evidence')} /></label>
        <label>{w(lang, 'validFrom')}<input type="date" name="validFrom" required value={form.validFrom} onInput={set('validFrom')} /></label>
        <label>{w(lang, 'validUntil')}<input type="date" name="validUntil" value={form.validUntil} onInput={set('validUntil')} /></label>
        <button type="submit">{w(lang, 'addFact')}</button>
      </form>
      <p class="form-error" role="alert">{error}</p>
    </section>
  );
}

interface TanfangItem {
  tanfangId: string;
  elderRef: string;
  name: string | null;
  divisionCode: string;
  month: string;
  categories: string[];
  channel: string;
  assignedTo: string | null;
  assignedName: string | null;
  visitedAt: string | null;
}

/** This month's 探访 of the division: those not yet visited first (they stay until visited), to take on and record. */
export function TanfangList({ lang }: { lang: Lang }) {
  const month = chinaMonth();
  const [items, setItems] = useState<TanfangItem[] | null>(null);
  const [error, setError] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const load = () => json<TanfangItem[]>('GET', `/api/civil-affairs/tanfang?month=${month}`).then(setItems, (e: unknown) => setError(problemText(e)));
  useEffect(() => void load(), []);
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setError('');
      await load();
    } catch (e) {
      setError(problemText(e));
    }
  };
  const due = (items ?? []).filter((i) => !i.visitedAt).length;
  return (
    <section class="tanfang">
      <div class="actions">
        <p class="status grow">{monthText(lang, month)} · {fill(w(lang, 'dueCount'), { n: due })}</p>
        <button type="button" class="secondary" data-action="schedule" onClick={() => void act(() => json('POST', '/api/civil-affairs/tanfang/schedule', { month }))}>{w(lang, 'schedule')}</button>
      </div>
      <p class="form-error" role="alert">{error}</p>
      {items === null ? (
        <p>{t(lang, 'loading')}</p>
      ) : items.length === 0 ? (
        <p class="empty">{w(lang, 'noTanfang')}</p>
      ) : (
        <ul class="offers tanfang-list">
          {items.map((i) => (
            <li key={i.tanfangId} class={`offer wrap${i.visitedAt ? '' : ' urgent'}`} data-tanfang={i.tanfangId} data-visited={i.visitedAt ? 'yes' : 'no'}>
              <div class="offer-head">
                <strong class="elder-name">{i.name ?? w(lang, 'unnamed')}</strong>
                {i.visitedAt ? <span class="badge done">{w(lang, 'visited')}</span> : <span class="badge due">{w(lang, 'due')}</span>}
              </div>
              <p>{i.categories.map((c) => w(lang, `fact_${c}`)).join('、')} · {placeName(i.divisionCode)} · {w(lang, 'plannedBy')}{w(lang, `channel_${i.channel}`)}</p>
              <p class="status">{i.assignedName || i.assignedTo ? fill(w(lang, 'assignedTo'), { who: i.assignedName ?? w(lang, 'colleague') }) : w(lang, 'unassigned')}{i.visitedAt ? ` · ${w(lang, 'visitedAt')} ${chinaTime(lang, i.visitedAt)}` : ''}</p>
              {!i.visitedAt && (
                <div class="actions">
                  {!i.assignedTo && <button type="button" class="secondary" data-action="take" onClick={() => void act(() => json('POST', `/api/civil-affairs/tanfang/${i.tanfangId}/assign`, {}))}>{w(lang, 'take')}</button>}
                  <button type="button" data-action="record" onClick={() => setOpen(open === i.tanfangId ? null : i.tanfangId)}>{w(lang, 'record')}</button>
                </div>
              )}
              {open === i.tanfangId && <VisitForm lang={lang} planned={i.channel} onSave={(body) => act(() => json('POST', `/api/civil-affairs/tanfang/${i.tanfangId}/visit`, body)).then(() => setOpen(null))} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The 探访 as made: how, when it began (China time) and how long it took. */
function VisitForm({ lang, planned, onSave }: { lang: Lang; planned: string; onSave: (body: object) => Promise<void> }) {
  const [channel, setChannel] = useState(planned);
  const [minutes, setMinutes] = useState(15);
  const [start, setStart] = useState(new Date(Date.now() + 8 * 3600_000 - 15 * 60_000).toISOString().slice(0, 16));
  const submit = (event: Event) => {
    event.preventDefault();
    const inAt = new Date(`${start}:00+08:00`);
    void onSave({ channel, checkedInAt: inAt.toISOString(), checkedOutAt: new Date(inAt.getTime() + minutes * 60_000).toISOString(), confirmation: 'none' });
  };
  return (
    <form class="panel actions visit-form" onSubmit={submit}>
      <label>{w(lang, 'channel')}
        <select name="channel" value={channel} onChange={(e) => setChannel((e.target as HTMLSelectElement).value)}>
          {CHANNELS.map((c) => <option key={c} value={c}>{w(lang, `channel_${c}`)}</option>)}
        </select>
      </label>
      <label>{w(lang, 'startedAt')}<input type="datetime-local" name="startedAt" required value={start} onInput={(e) => setStart((e.target as HTMLInputElement).value)} /></label>
      <label>{w(lang, 'minutes')}<input type="number" name="minutes" min={1} max={600} required value={minutes} onInput={(e) => setMinutes(Number((e.target as HTMLInputElement).value))} /></label>
      <button type="submit">{w(lang, 'saveVisit')}</button>
    </form>
  );
}

interface Statement {
  id: string;
  institutionId: string;
  month: string;
  correctionOf: string | null;
  rateFen: number;
  lines: { entitledMinutes: number; deliveredMinutes: number; paidMinutes: number; amountFen: number }[];
  issuedAt: string;
}

/** Statements of government-bought home-care hours by provider and month: issue (closed once issued; again makes a correction) and download as Excel. */
export function Statements({ lang }: { lang: Lang }) {
  const [month, setMonth] = useState(monthBefore(chinaMonth()));
  const [data, setData] = useState<{ providers: { institutionId: string; visits: number }[]; statements: Statement[] } | null>(null);
  const [error, setError] = useState('');
  const institutions = useInstitutions();
  const nameOf = (id: string) => institutions?.find((i) => i.id === id)?.name ?? w(lang, 'unknownProvider');
  const load = () => json<NonNullable<typeof data>>('GET', `/api/civil-affairs/home-care/months/${month}`).then(setData, (e: unknown) => setError(problemText(e)));
  useEffect(() => void load(), [month]);
  const issue = async (institutionId: string) => {
    try {
      await json('POST', '/api/civil-affairs/home-care/statements', { institutionId, month });
      setError('');
      await load();
    } catch (e) {
      setError(e instanceof Problem && e.status === 409 ? w(lang, 'nothingToIssue') : problemText(e));
    }
  };
  const providers = [...new Set([...(data?.providers ?? []).map((p) => p.institutionId), ...(data?.statements ?? []).map((s) => s.institutionId)])];
  return (
    <section class="statements">
      <form class="panel actions" onSubmit={(e) => e.preventDefault()}>
        <label>{w(lang, 'month')}<input type="month" name="month" value={month} max={monthBefore(chinaMonth())} onInput={(e) => setMonth((e.target as HTMLInputElement).value || month)} /></label>
        <p class="hint grow">{w(lang, 'statementHint')}</p>
      </form>
      <p class="form-error" role="alert">{error}</p>
      {data === null ? (
        <p>{t(lang, 'loading')}</p>
      ) : providers.length === 0 ? (
        <p class="empty">{w(lang, 'noProviders')}</p>
      ) : (
        <ul class="offers provider-statements">
          {providers.map((id) => {
            const issued = data.statements.filter((s) => s.institutionId === id);
            const visits = data.providers.find((p) => p.institutionId === id)?.visits ?? 0;
            return (
              <li key={id} class="offer wrap" data-provider={id}>
                <div class="offer-head">
                  <strong>{nameOf(id)}</strong>
                  <span class="status">{fill(w(lang, 'visitCount'), { n: visits })}</span>
                </div>
                {issued.map((s) => {
                  const sum = (f: (l: Statement['lines'][number]) => number) => s.lines.reduce((n, l) => n + f(l), 0);
                  return (
                    <p key={s.id} class="statement-line" data-statement={s.id}>
                      <span class="badge">{w(lang, s.correctionOf ? 'correction' : 'statement')}</span> {chinaTime(lang, s.issuedAt)} · {fill(w(lang, 'statementSums'), { n: s.lines.length, hours: hours(sum((l) => l.paidMinutes)), amount: yuan(sum((l) => l.amountFen)), rate: yuan(s.rateFen) })}{' '}
                      <button type="button" class="link" data-action="download" onClick={() => void download(`/api/civil-affairs/home-care/statements/${s.id}/xlsx?provider=${encodeURIComponent(nameOf(id))}`, `${w(lang, 'fileName')}-${s.month}-${nameOf(id)}${s.correctionOf ? `-${w(lang, 'correction')}` : ''}.xlsx`).catch((e: unknown) => setError(problemText(e)))}>{w(lang, 'downloadExcel')}</button>
                    </p>
                  );
                })}
                <div class="actions">
                  <button type="button" data-action="issue" onClick={() => void issue(id)}>{w(lang, issued.length > 0 ? 'issueCorrection' : 'issue')}</button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
