import { chinaDivisions } from '@fbl/codes';
import { useEffect, useState } from 'preact/hooks';
import { page } from './api.js';
import { AssessmentForm, type Asked, type Saved } from './assessment-form.js';
import { Statements, TanfangList } from './assessor-care.js';
import { ElderList, ElderRecord, emptyList, type ListState } from './assessor-elders.js';
import { elderLine, w, type ElderSummary } from './assessor-shared.js';
import { chinaTime, t, type Lang } from './i18n.js';
import { Pager } from './pager.js';

/** One open request of the assessors' queue (`GET /api/civil-affairs/assessment-requests`). */
interface AssessmentRequest extends Asked {
  elderRef: string;
  urgency: 'routine' | 'green-channel';
  divisionCode: string;
  overdue: boolean;
  elder: ElderSummary;
}

const TABS = ['queue', 'elders', 'tanfang', 'statements'] as const;
type Tab = (typeof TABS)[number];
const QUEUE_PAGE = 20;

/** What the workspace shows besides its lists: an elder's record, or the form for one elder. */
type Opened =
  | { kind: 'record'; elderRef: string }
  | { kind: 'form'; elderRef: string; request: Asked | null; reason: string; from: 'queue' | 'record' | 'list' };

/**
 * The civil-affairs assessor's workspace: the queue of assessment requests (green channel first),
 * the elders of the division found by name or ID number, an elder's record and previous
 * assessments, and the GB/T 42195-2022 form, opened from a request or unprompted; this month's
 * 探访 of special-hardship elders, and the providers' statements of government-bought hours.
 */
export function Assessor({ lang, divisionCode }: { lang: Lang; divisionCode: string | null }) {
  const [tab, setTab] = useState<Tab>('queue');
  const [opened, setOpened] = useState<Opened | null>(null);
  const [done, setDone] = useState<{ saved: Saved; elder: string } | null>(null);
  const [list, setList] = useState<ListState>(emptyList());

  const switchTab = (next: Tab) => {
    setTab(next);
    setOpened(null);
    setDone(null);
  };
  /** An assessment started without a request: first if never assessed, else routine (changeable on the form). */
  const assess = (elder: { elderRef: string; ability: unknown }, from: 'record' | 'list') => {
    setDone(null);
    setOpened({ kind: 'form', elderRef: elder.elderRef, request: null, reason: elder.ability ? 'routine' : 'first', from });
  };

  if (opened?.kind === 'form') {
    const back = () => setOpened(opened.from === 'record' ? { kind: 'record', elderRef: opened.elderRef } : null);
    return (
      <AssessmentForm
        lang={lang}
        elderRef={opened.elderRef}
        request={opened.request}
        reason={opened.reason}
        backLabel={w(lang, opened.from === 'queue' ? 'backToQueue' : opened.from === 'record' ? 'backToRecord' : 'backToList')}
        onCancel={back}
        onSaved={(saved, elder) => {
          setDone({ saved, elder });
          back();
        }}
      />
    );
  }
  const division = divisionCode ? chinaDivisions.get(divisionCode)?.name : undefined;
  return (
    <main class="assessor">
      <h2>{w(lang, `tab_${tab}`)}{division && <span class="status"> · {division}</span>}</h2>
      <nav class="tabs" aria-label={w(lang, 'tab_queue')}>
        {TABS.map((x) => (
          <button key={x} type="button" class={tab === x ? '' : 'secondary'} aria-pressed={tab === x ? 'true' : 'false'} data-tab={x} onClick={() => switchTab(x)}>{w(lang, `tab_${x}`)}</button>
        ))}
      </nav>
      {done && (
        <section class="panel assessment-result" role="status" data-level={done.saved.level}>
          <strong>{w(lang, 'saved')}</strong>
          <p>
            {done.elder} · {w(lang, 'levelResult')} <span class="level">{done.saved.level}</span>（{done.saved.levelName[lang]}）· {w(lang, 'total')} {done.saved.total}
          </p>
        </section>
      )}
      {opened?.kind === 'record' ? (
        <ElderRecord
          lang={lang}
          elderRef={opened.elderRef}
          backLabel={w(lang, tab === 'queue' ? 'backToQueue' : 'backToList')}
          onBack={() => { setOpened(null); setDone(null); }}
          onAssess={(ability) => assess({ elderRef: opened.elderRef, ability }, 'record')}
        />
      ) : tab === 'queue' ? (
        <Queue lang={lang} onRecord={(r) => { setDone(null); setOpened({ kind: 'form', elderRef: r.elderRef, request: r, reason: r.reason, from: 'queue' }); }} onOpen={(elderRef) => { setDone(null); setOpened({ kind: 'record', elderRef }); }} />
      ) : tab === 'tanfang' ? (
        <TanfangList lang={lang} />
      ) : tab === 'statements' ? (
        <Statements lang={lang} />
      ) : (
        <ElderList lang={lang} divisionCode={divisionCode} state={list} onState={setList} onOpen={(e) => { setDone(null); setOpened({ kind: 'record', elderRef: e.elderRef }); }} onAssess={(e) => assess(e, 'list')} />
      )}
    </main>
  );
}

/** The queue of assessment requests, green channel first, a page at a time, refreshed every 15 seconds. */
function Queue({ lang, onRecord, onOpen }: { lang: Lang; onRecord: (r: AssessmentRequest) => void; onOpen: (elderRef: string) => void }) {
  const [queue, setQueue] = useState<{ items: AssessmentRequest[]; total: number } | null>(null);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState('');
  const load = async () => {
    try {
      setQueue(await page<AssessmentRequest>(`/api/civil-affairs/assessment-requests?limit=${QUEUE_PAGE}&offset=${offset}`));
      setError('');
    } catch {
      setError(w(lang, 'failedLoad'));
    }
  };
  useEffect(() => {
    void load();
    const refresh = setInterval(() => void load(), 15_000);
    return () => clearInterval(refresh);
  }, [offset]);

  return (
    <section class="queue">
      <p class="status">{w(lang, 'queueHint')}</p>
      <p class="form-error" role="alert">{error}</p>
      {queue === null ? (
        <p>{t(lang, 'loading')}</p>
      ) : queue.items.length === 0 ? (
        <p class="empty">{w(lang, 'emptyQueue')}</p>
      ) : (
        <ul class="offers requests">
          {queue.items.map((r) => {
            const green = r.urgency === 'green-channel';
            return (
              <li key={r.id} class={`offer wrap${green || r.overdue ? ' urgent' : ''}`} data-request={r.id} data-elder={r.elderRef} data-referral={r.referralId ?? ''} data-urgency={r.urgency}>
                <div class="offer-head">
                  <strong>{w(lang, r.referralId ? 'forReferral' : 'noReferral')}</strong>
                  {green && <span class="badge green-channel">{t(lang, 'greenChannel')}</span>}
                  <span class="status">{w(lang, `reason_${r.reason}`)}</span>
                  {r.overdue && <span class="badge">{w(lang, 'overdueBadge')}</span>}
                </div>
                <p>
                  {w(lang, 'elder')}: <strong class="elder-name">{r.elder.name}</strong> · {elderLine(lang, r.elder)}
                </p>
                <p>
                  {w(lang, 'requestedAt')}: {chinaTime(lang, r.requestedAt)} · {w(lang, 'dueAt')}: <span class="due">{chinaTime(lang, r.dueAt)}</span>
                </p>
                <div class="actions">
                  <button type="button" onClick={() => onRecord(r)}>{w(lang, 'record')}</button>
                  <button type="button" class="secondary" onClick={() => onOpen(r.elderRef)}>{w(lang, 'openRecord')}</button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {queue && <Pager lang={lang} offset={offset} size={QUEUE_PAGE} total={queue.total} onOffset={setOffset} />}
    </section>
  );
}
