import { BED_SERVICES } from '@fbl/contracts/bed-services';
import { parseResidentId } from '@fbl/codes';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { json, page, Problem, problemText } from './api.js';
import { useElderNames } from './elder-names.js';
import { AssessorsAndDay, chinaToday, useFieldErrors } from './forms.js';
import { chinaTime, fill, pageWords, t, type Lang } from './i18n.js';
import { placeName } from './packet-view.js';
import { INDICATORS, ITEMS } from './ltci-items.js';
import { Pager } from './pager.js';
import { draftBody, draftErrors, EMPTY_DRAFT, selfInputOf, SelfAssessmentFields, SelfAssessmentPanel, type SelfAssessmentView } from './self-assessment.js';

/** An LTCI application as an insurance officer sees it (`presentApplication` of medical insurance). */
interface Application {
  id: string;
  /** 申请编号, e.g. 20261205-000123. */
  reference: string;
  elderRef: string;
  divisionCode: string | null;
  status: string;
  source: string;
  referralIds: string[];
  appliedAt: string;
  grade: number | null;
  refusalGround: string | null;
  reapplyFrom: string | null;
  noticeEndsAt: string | null;
  objectionReason: string | null;
  effectiveFrom: string | null;
  careMode: string | null;
  providerInstitutionId: string | null;
  hospitalLevel: number | null;
  benefitsFrom: string | null;
  reassessmentDueAt: string | null;
  endReason: string | null;
  endedOn: string | null;
  updatedAt: string;
}
interface Assessment {
  id: string;
  purpose: string;
  assessedOn: string;
  assessors: string[];
  grade: number;
  recordedAt: string;
}
interface ApplicationDetail extends Application {
  assessments: Assessment[];
  /** The applicant's self-assessment (自评), advisory; null when none was given. */
  selfAssessment: SelfAssessmentView | null;
}
interface Graded extends Application {
  assessment: { id: string; grade: number; gradeName: { zh: string; en: string }; eligible: boolean; rulesVersion: string };
}
/** An elder on the civil-affairs register, as an insurance officer of the elder's division sees them. */
interface Elder {
  elderRef: string;
  divisionCode: string;
  gender: string;
  birthYear: number;
  name?: string;
}
/** A provider of a bed type's service (`InstitutionView` of the bed services). */
interface Institution {
  id: string;
  name: string;
  divisionCode: string;
  capabilities: string[];
}

/** Statuses, refusal grounds, care modes and end reasons of `services/medical-insurance/src/domain/application.ts` and `@fbl/scales`. */
const STATUSES = ['applied', 'accepted', 'refused', 'notice', 'objected', 'not-eligible', 'effective', 'in-benefit', 'reassessment-due', 'ended'];
const GROUNDS = ['not-insured', 'conditions-not-met', 'outside-fund-scope', 'materials-incomplete-or-false', 'other'];
const CARE_MODES = ['medical-special-care', 'institutional-care', 'home-visiting-care', 'home-self-care'] as const;
type CareMode = (typeof CARE_MODES)[number];
const END_REASONS = ['death', 'improvement', 'insurance-lost'];
/** Statuses in which an on-site assessment may be recorded, and what it is for. */
const PURPOSE: Record<string, string> = { accepted: 'first', objected: 'objection', 'reassessment-due': 'reassessment' };
/** Statuses in which benefits are authorised (they can be ended). */
const AUTHORISED = ['effective', 'in-benefit', 'reassessment-due'];
/** Statuses with nothing more to do. */
const FINAL = ['refused', 'not-eligible', 'ended'];
/** Where the designated providers of each care mode are listed: hospitals for medical special care, care homes, home-care providers and community health centres. */
const PROVIDERS_OF: Record<CareMode, string[]> = {
  'medical-special-care': [BED_SERVICES.medical],
  'institutional-care': [BED_SERVICES.care],
  'home-visiting-care': [BED_SERVICES['home-care'], BED_SERVICES['home-sick']],
  'home-self-care': [BED_SERVICES['home-care'], BED_SERVICES['home-sick']],
};
const PROVIDER_SERVICES = [...new Set(Object.values(PROVIDERS_OF).flat())];
const PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;


/** The officer's words (`ins_…` in the locale files), else the shared ones. */
const w = pageWords('ins');

/** A day (`YYYY-MM-DD`) as people write it: 2026年6月1日. */
function dayText(lang: Lang, day: string | null): string {
  if (!day) return '';
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(lang === 'zh' ? 'zh-CN' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** An instant as a day and time in China: 2026年5月6日 16:00. */
function momentText(lang: Lang, iso: string | null): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

const gradeText = (lang: Lang, grade: number) => `${grade}（${w(lang, `grade_${grade}`)}）`;

/** Whether an officer's division covers a division: the same county, its city, its province; an officer without one sees everything. */
function within(scope: string | null, code: string): boolean {
  if (!scope) return true;
  const prefix = scope.endsWith('0000') ? scope.slice(0, 2) : scope.endsWith('00') ? scope.slice(0, 4) : scope;
  return code.startsWith(prefix);
}

/** How an elder is named on a page: by name when civil affairs lets the officer see it; a reference that is no registry id (an elder registered elsewhere) as it is. */
function elderLabel(lang: Lang, ref: string, names: Map<string, string>): string {
  return names.get(ref) ?? (UUID.test(ref) ? w(lang, 'elderUnnamed') : ref);
}

/** A refusal of the API in the page's language, with what this workspace knows of the LTCI problem types. */
function refusalText(lang: Lang, e: unknown): string {
  if (!(e instanceof Problem)) return problemText(e);
  const body = e.body as Problem['body'] & Record<string, unknown>;
  const slug = body.type?.split('/').pop() ?? '';
  const at = typeof body['noticeEndsAt'] === 'string' ? momentText(lang, body['noticeEndsAt']) : '';
  switch (slug) {
    case 'ltci-barred':
      return fill(w(lang, 'problem_barred'), { date: dayText(lang, typeof body['reapplyFrom'] === 'string' ? body['reapplyFrom'] : null) });
    case 'ltci-in-progress':
      return w(lang, 'problem_inProgress');
    case 'ltci-authorised':
      return w(lang, 'problem_authorised');
    case 'ltci-other-division':
      return w(lang, 'problem_otherDivision');
    case 'ltci-notice-running':
      return fill(w(lang, 'problem_noticeRunning'), { at });
    case 'ltci-notice-ended':
      return fill(w(lang, 'problem_noticeEnded'), { at });
    case 'forbidden':
      return w(lang, 'outsideDivision');
    case 'conflict':
      return w(lang, 'changed');
    default:
      break;
  }
  const ended = body.errors?.find((f) => f.field === 'endedOn');
  if (e.status === 400 && ended) return w(lang, /future/.test(ended.reason) ? 'problem_endsInFuture' : /before/.test(ended.reason) ? 'problem_endsBeforeEffective' : 'invalidValue');
  return problemText(e);
}

/** Accept (受理), or refuse (不予受理) on a ground after the officer confirms it. Returns the application after, or undefined when the officer thought better of it. */
async function decideOn(lang: Lang, app: Application, kind: 'accept' | 'refuse', ground?: string): Promise<Application | undefined> {
  if (kind === 'refuse' && !window.confirm(fill(w(lang, 'confirmRefuse'), { ground: w(lang, `ground_${ground ?? ''}`) }))) return undefined;
  return json<Application>('POST', `/api/medical-insurance/applications/${app.id}/${kind}`, kind === 'accept' ? {} : { ground });
}

/** Accept or refuse a new application, in a row of the list or on its page. */
function Decision({ lang, app, onDecided, onFailed, children }: { lang: Lang; app: Application; onDecided: (after: Application) => void; onFailed: (e: unknown) => void; children?: ComponentChildren }) {
  const [ground, setGround] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const decide = async (kind: 'accept' | 'refuse') => {
    if (kind === 'refuse' && !ground) return setError(w(lang, 'chooseGround'));
    setError('');
    setBusy(true);
    try {
      const after = await decideOn(lang, app, kind, ground);
      if (after) onDecided(after);
    } catch (e) {
      setError(refusalText(lang, e));
      onFailed(e);
    } finally {
      setBusy(false);
    }
  };
  const errorId = `error-${app.id}`;
  return (
    <>
      <div class="actions">
        <button type="button" disabled={busy} onClick={() => void decide('accept')}>{w(lang, 'acceptApp')}</button>
        <label>
          {w(lang, 'ground')}
          <select name="ground" value={ground} aria-invalid={error ? 'true' : 'false'} aria-describedby={errorId} onChange={(e) => { setGround((e.target as HTMLSelectElement).value); setError(''); }}>
            <option value="">{w(lang, 'choose')}</option>
            {GROUNDS.map((g) => <option key={g} value={g}>{w(lang, `ground_${g}`)}</option>)}
          </select>
        </label>
        <button type="button" class="secondary" disabled={busy} onClick={() => void decide('refuse')}>{w(lang, 'refuseApp')}</button>
        {children}
      </div>
      <p id={errorId} class="field-error" role="alert">{error}</p>
    </>
  );
}

/** The medical-insurance officer's workspace: the LTCI applications of the division, a new application, and each application's page with its next steps. */
export function Insurer({ lang, divisionCode }: { lang: Lang; divisionCode: string | null }) {
  const [open, setOpen] = useState<{ id: string; notice?: string } | null>(null);
  const [assessing, setAssessing] = useState<{ app: Application; name: string; from: 'list' | 'page' } | null>(null);
  const [listNotice, setListNotice] = useState<{ id: string; text: string } | null>(null);

  if (assessing) {
    const done = (text: string) => {
      if (assessing.from === 'page') setOpen({ id: assessing.app.id, notice: text });
      else setListNotice({ id: assessing.app.id, text });
      setAssessing(null);
    };
    return (
      <LtciAssessment
        lang={lang}
        app={assessing.app}
        elderName={assessing.name}
        onCancel={() => {
          if (assessing.from === 'page') setOpen({ id: assessing.app.id });
          setAssessing(null);
        }}
        onSaved={(graded) => {
          const purpose = PURPOSE[assessing.app.status] ?? 'first';
          const verdict = graded.assessment.eligible ? w(lang, `graded_${purpose}_yes`) : w(lang, 'graded_no');
          done(`${w(lang, 'application')} ${graded.reference}：${w(lang, 'grade')} ${graded.assessment.grade}（${graded.assessment.gradeName[lang]}） · ${verdict} · ${w(lang, `st_${graded.status}`)}`);
        }}
      />
    );
  }
  if (open) {
    return (
      <ApplicationPage
        lang={lang}
        id={open.id}
        divisionCode={divisionCode}
        notice={open.notice}
        onBack={() => setOpen(null)}
        onOpen={(id, notice) => setOpen({ id, ...(notice ? { notice } : {}) })}
        onAssess={(app, name) => { setOpen(null); setAssessing({ app, name, from: 'page' }); }}
      />
    );
  }
  return (
    <ApplicationList
      lang={lang}
      divisionCode={divisionCode}
      notice={listNotice}
      onNotice={setListNotice}
      onOpen={(id, notice) => setOpen({ id, ...(notice ? { notice } : {}) })}
      onAssess={(app, name) => setAssessing({ app, name, from: 'list' })}
    />
  );
}

/** What the officer looks for: an application number, an elder (found by ID number), or a name on the page shown. */
type Finding = { kind: 'reference'; q: string } | { kind: 'elder'; q: string; elderRef: string; name: string } | { kind: 'name'; q: string };

function ApplicationList(props: {
  lang: Lang;
  divisionCode: string | null;
  notice: { id: string; text: string } | null;
  onNotice: (notice: { id: string; text: string } | null) => void;
  onOpen: (id: string, notice?: string) => void;
  onAssess: (app: Application, name: string) => void;
}) {
  const { lang } = props;
  const [view, setView] = useState('');
  const [offset, setOffset] = useState(0);
  const [text, setText] = useState('');
  const [finding, setFinding] = useState<Finding | null>(null);
  const [findError, setFindError] = useState('');
  const [list, setList] = useState<{ items: Application[]; total: number } | null>(null);
  const [loadError, setLoadError] = useState('');
  const names = useElderNames(list?.items.map((a) => a.elderRef) ?? []);

  const load = async () => {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) });
    if (finding?.kind === 'reference') query.set('reference', finding.q);
    if (finding?.kind === 'elder') query.set('elderRef', finding.elderRef);
    if (finding?.kind === 'reference' || finding?.kind === 'elder' || view === 'all') query.set('view', 'all');
    else if (view) query.set('status', view);
    try {
      setList(await page<Application>(`/api/medical-insurance/applications?${query}`));
      setLoadError('');
    } catch (e) {
      setLoadError(e instanceof Problem ? refusalText(lang, e) : w(lang, 'failedLoad'));
    }
  };
  useEffect(() => {
    void load();
    const refresh = setInterval(() => void load(), 15_000);
    return () => clearInterval(refresh);
  }, [view, offset, finding?.kind, finding?.q, props.divisionCode]);

  const find = async (event: Event) => {
    event.preventDefault();
    const q = text.trim();
    setFindError('');
    setOffset(0);
    if (!q) return setFinding(null);
    if (/^\d{17}[\dXx]$/.test(q)) {
      try {
        const elder = await json<Elder>('POST', '/api/civil-affairs/elders/lookup', { idNumber: q.toUpperCase() });
        setFinding({ kind: 'elder', q, elderRef: elder.elderRef, name: elder.name ?? w(lang, 'elderUnnamed') });
      } catch (e) {
        setFindError(e instanceof Problem && e.status === 404 ? w(lang, 'idNotFound') : refusalText(lang, e));
      }
      return;
    }
    setFinding(/^(\d{8}-)?\d{1,12}$/.test(q) ? { kind: 'reference', q } : { kind: 'name', q });
  };

  const shown = list === null ? null : finding?.kind === 'name' ? list.items.filter((a) => names.get(a.elderRef)?.includes(finding.q)) : list.items;
  const empty = (): string => {
    if (finding?.kind === 'name') return fill(w(lang, 'emptyName'), { q: finding.q });
    if (finding) return w(lang, 'emptyFind');
    if (view === 'all') return w(lang, 'emptyAll');
    if (view) return fill(w(lang, 'emptyStatus'), { status: w(lang, `st_${view}`) });
    return w(lang, 'emptyWork');
  };
  const foundBy = finding ? fill(w(lang, `foundBy_${finding.kind}`), { q: finding.q, name: finding.kind === 'elder' ? finding.name : '' }) : '';

  return (
    <main class="insurer">
      <h2>{w(lang, 'queue')}</h2>
      <NewApplication lang={lang} onOpen={props.onOpen} />
      <div class="filters">
        <label>
          {w(lang, 'show')}
          <select name="status" value={view} onChange={(e) => { setView((e.target as HTMLSelectElement).value); setOffset(0); setFinding(null); setText(''); }}>
            <option value="">{w(lang, 'view_work')}</option>
            <option value="all">{w(lang, 'view_all')}</option>
            {STATUSES.map((s) => <option key={s} value={s}>{w(lang, `st_${s}`)}</option>)}
          </select>
        </label>
        <form class="row-inputs grow" role="search" onSubmit={(e) => void find(e)}>
          <label class="grow">
            {w(lang, 'findLabel')}
            <input name="find" autocomplete="off" maxLength={30} value={text} aria-describedby="ins-find-hint" onInput={(e) => setText((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit">{w(lang, 'find')}</button>
          {finding && <button type="button" class="secondary" onClick={() => { setFinding(null); setText(''); setOffset(0); }}>{w(lang, 'clearFind')}</button>}
        </form>
        <p id="ins-find-hint" class="hint span-2">{w(lang, 'findHint')}</p>
      </div>
      <p class="form-error" role="alert">{findError || loadError}</p>
      {finding && <p class="status found-by">{foundBy}</p>}
      {!finding && <p class="status">{w(lang, view === '' || ['applied', 'accepted', 'objected', 'reassessment-due'].includes(view) ? 'hint_work' : 'hint_all')}</p>}
      {props.notice && <section class="panel decision" role="status" data-application={props.notice.id}>{props.notice.text}</section>}
      {shown === null ? (
        !loadError && <p>{w(lang, 'loading')}</p>
      ) : shown.length === 0 ? (
        <p class="empty">{empty()}</p>
      ) : (
        <ul class="offers applications">
          {shown.map((app) => {
            const name = elderLabel(lang, app.elderRef, names);
            return (
              <li key={app.id} class="offer wrap" data-application={app.id} data-elder={app.elderRef} data-status={app.status}>
                <div class="offer-head">
                  <strong class="elder-name">{name}</strong>
                  <span class="status app-status">{w(lang, `st_${app.status}`)}</span>
                  {app.grade !== null && <span class="status">{w(lang, 'grade')} {gradeText(lang, app.grade)}</span>}
                </div>
                <p>
                  {w(lang, 'reference')} <span class="reference">{app.reference}</span> · {w(lang, 'appliedAt')}: {chinaTime(lang, app.appliedAt)} · {w(lang, 'source')}: {w(lang, `source_${app.source}`)}
                  {app.referralIds.length > 0 && <> · {fill(w(lang, 'referralCount'), { n: app.referralIds.length })}</>}
                </p>
                {app.status === 'applied' ? (
                  <Decision
                    lang={lang}
                    app={app}
                    onDecided={(after) => {
                      props.onNotice({ id: app.id, text: `${w(lang, 'application')} ${after.reference}：${w(lang, `done_${after.status}`)}${after.refusalGround ? `（${w(lang, `ground_${after.refusalGround}`)}）` : ''}` });
                      void load();
                    }}
                    onFailed={(e) => e instanceof Problem && e.status === 409 && void load()}
                  >
                    <button type="button" class="secondary" onClick={() => props.onOpen(app.id)}>{w(lang, 'details')}</button>
                  </Decision>
                ) : (
                  <div class="actions">
                    {PURPOSE[app.status] && <button type="button" onClick={() => { props.onNotice(null); props.onAssess(app, name); }}>{w(lang, `assess_${PURPOSE[app.status]}`)}</button>}
                    <button type="button" class="secondary" onClick={() => props.onOpen(app.id)}>{w(lang, 'details')}</button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {list && finding?.kind !== 'name' && <Pager lang={lang} offset={offset} size={PAGE_SIZE} total={list.total} onOffset={setOffset} />}
    </main>
  );
}

/** Open an application for an elder found by ID number on the civil-affairs register, in the elder's division (which must be within the officer's). */
function NewApplication({ lang, onOpen }: { lang: Lang; onOpen: (id: string, notice?: string) => void }) {
  const [idNumber, setIdNumber] = useState('');
  const [message, setMessage] = useState('');
  const [elder, setElder] = useState<Elder | null>(null);
  const [error, setError] = useState('');
  const [existing, setExisting] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The applicant's self-assessment (自评), when one came with the application.
  const [giving, setGiving] = useState(false);
  const [draft, setDraft] = useState(EMPTY_DRAFT);
  const [selfErrors, setSelfErrors] = useState<Record<string, string>>({});
  const showSelfErrors = (found: Record<string, string>) => {
    setSelfErrors(found);
    const first = Object.keys(found)[0];
    if (first) setTimeout(() => document.getElementById(first)?.focus(), 0);
  };

  const onId = async (value: string) => {
    setIdNumber(value);
    setElder(null);
    setError('');
    setExisting(null);
    const id = value.trim().toUpperCase();
    if (id.length === 0) return setMessage('');
    if (id.length !== 18) return setMessage(fill(w(lang, 'idLength'), { n: id.length }));
    if (!parseResidentId(id).ok) return setMessage(w(lang, 'idInvalid'));
    setMessage(w(lang, 'idChecking'));
    try {
      setElder(await json<Elder>('POST', '/api/civil-affairs/elders/lookup', { idNumber: id }));
      setMessage('');
    } catch (e) {
      setMessage(e instanceof Problem && e.status === 404 ? w(lang, 'idNotFound') : refusalText(lang, e));
    }
  };

  const apply = async () => {
    if (!elder) return setMessage(idNumber ? message || w(lang, 'idInvalid') : t(lang, 'required'));
    const missing = giving ? draftErrors(lang, draft) : {};
    showSelfErrors(missing);
    if (Object.keys(missing).length > 0) return setError(fill(t(lang, 'sa_fixFields'), { n: Object.keys(missing).length }));
    setBusy(true);
    setError('');
    setExisting(null);
    try {
      const created = await json<Application>('POST', '/api/medical-insurance/applications', { elderRef: elder.elderRef, divisionCode: elder.divisionCode, ...(giving ? { selfAssessment: draftBody(draft) } : {}) });
      onOpen(created.id, fill(w(lang, 'opened'), { name: elder.name ?? '', reference: created.reference }) + (giving ? t(lang, 'sa_recorded') : ''));
    } catch (e) {
      const placed = e instanceof Problem && e.status === 400 ? Object.fromEntries((e.body.errors ?? []).flatMap((f) => { const id = selfInputOf(f.field); return id ? [[id, w(lang, 'invalidValue')]] : []; })) : {};
      showSelfErrors(placed);
      setError(Object.keys(placed).length > 0 ? fill(t(lang, 'sa_fixFields'), { n: Object.keys(placed).length }) : refusalText(lang, e));
      const other = e instanceof Problem ? (e.body as Record<string, unknown>)['applicationId'] : undefined;
      if (typeof other === 'string') setExisting(other);
    } finally {
      setBusy(false);
    }
  };

  const applyButton = <button type="button" disabled={busy} onClick={() => void apply()}>{w(lang, busy ? 'applying' : 'applyFor')}</button>;
  return (
    <section class="panel new-application">
      <h3>{w(lang, 'newTitle')}</h3>
      <p class="hint">{w(lang, 'newHint')}</p>
      <div class="row-inputs">
        <label class="grow">
          {w(lang, 'idNumber')}
          <input id="ins-id-number" name="idNumber" autocomplete="off" maxLength={18} value={idNumber} aria-invalid={message && !elder ? 'true' : 'false'} aria-describedby="ins-id-message" onInput={(e) => void onId((e.target as HTMLInputElement).value)} />
        </label>
        {!giving && applyButton}
      </div>
      <p id="ins-id-message" class={elder ? 'field-ok' : 'field-error'} role="status">
        {elder
          ? `${w(lang, 'idFound')}: ${elder.name ?? w(lang, 'elderUnnamed')} · ${t(lang, `sex_${elder.gender}`)} · ${fill(t(lang, 'ageNow'), { age: new Date().getFullYear() - elder.birthYear })} · ${placeName(elder.divisionCode)}`
          : message}
      </p>
      <label class="check"><input type="checkbox" name="selfAssessed" checked={giving} onChange={(e) => { setGiving((e.target as HTMLInputElement).checked); showSelfErrors({}); }} />{t(lang, 'sa_give')}</label>
      {giving && <SelfAssessmentFields lang={lang} draft={draft} onDraft={(d) => { setDraft(d); setSelfErrors({}); setError(''); }} errors={selfErrors} />}
      {giving && <div class="actions">{applyButton}</div>}
      {(error || existing) && (
        <div class="actions">
          <p class="form-error" role="alert">{error}</p>
          {existing && <button type="button" class="secondary" onClick={() => onOpen(existing)}>{w(lang, 'openExisting')}</button>}
        </div>
      )}
    </section>
  );
}

/** The designated (定点) providers of the care modes, from the bed services' registers; loaded once for a page. */
function useProviders(wanted: boolean): Record<string, Institution[]> | null {
  const [providers, setProviders] = useState<Record<string, Institution[]> | null>(null);
  useEffect(() => {
    if (!wanted || providers) return;
    void Promise.all(PROVIDER_SERVICES.map((s) => json<Institution[]>('GET', `/api/${s}/institutions`).catch(() => [] as Institution[]))).then((lists) =>
      setProviders(Object.fromEntries(PROVIDER_SERVICES.map((s, i) => [s, lists[i] ?? []]))),
    );
  }, [wanted]);
  return providers;
}

function providerName(lang: Lang, providers: Record<string, Institution[]> | null, id: string | null): string {
  if (!id) return '';
  if (!providers) return '…';
  return Object.values(providers).flat().find((p) => p.id === id)?.name ?? w(lang, 'unknownProvider');
}

/** One application: what is known, how far it got, and the controls of its next step. */
function ApplicationPage(props: {
  lang: Lang;
  id: string;
  divisionCode: string | null;
  notice: string | undefined;
  onBack: () => void;
  onOpen: (id: string, notice?: string) => void;
  onAssess: (app: Application, name: string) => void;
}) {
  const { lang, id } = props;
  const [app, setApp] = useState<ApplicationDetail | null>(null);
  const [elder, setElder] = useState<Elder | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState(props.notice ?? '');
  const load = async () => {
    try {
      setApp(await json<ApplicationDetail>('GET', `/api/medical-insurance/applications/${id}`));
      setError('');
    } catch (e) {
      setError(refusalText(lang, e));
    }
  };
  useEffect(() => {
    setNotice(props.notice ?? '');
    void load();
    const refresh = setInterval(() => void load(), 5000);
    return () => clearInterval(refresh);
  }, [id]);
  const elderRef = app?.elderRef;
  useEffect(() => {
    if (!elderRef || !UUID.test(elderRef)) return;
    json<Elder>('GET', `/api/civil-affairs/elders/${elderRef}`).then(setElder, () => setElder(null));
  }, [elderRef]);
  const providers = useProviders(app !== null && (AUTHORISED.includes(app.status) || app.careMode !== null));

  const changed = (after: Application, text: string) => {
    setNotice(text);
    setApp((before) => (before ? { ...before, ...after } : before));
    void load();
  };
  const failed = (e: unknown) => {
    if (e instanceof Problem && e.status === 409) void load();
  };

  if (!app) {
    return (
      <main class="insurer application" data-application={id}>
        <button type="button" class="secondary" onClick={props.onBack}>{w(lang, 'back')}</button>
        <p class="form-error" role="alert">{error}</p>
        {!error && <p>{w(lang, 'loading')}</p>}
      </main>
    );
  }

  const name = elder?.name ?? (UUID.test(app.elderRef) ? w(lang, 'elderUnnamed') : app.elderRef);
  const who = elder ? [name, t(lang, `sex_${elder.gender}`), fill(t(lang, 'ageNow'), { age: new Date().getFullYear() - elder.birthYear }), placeName(elder.divisionCode)].join(' · ') : name;
  const provider = providerName(lang, providers, app.providerInstitutionId);
  const rows: [string, string | null][] = [
    ['elder', who],
    ['reference', app.reference],
    ['appliedAt', chinaTime(lang, app.appliedAt)],
    ['source', w(lang, `source_${app.source}`)],
    ['referrals', app.referralIds.length > 0 ? fill(w(lang, 'referralCount'), { n: app.referralIds.length }) : null],
    ['grade', app.grade !== null ? gradeText(lang, app.grade) : null],
    ['ground', app.refusalGround ? w(lang, `ground_${app.refusalGround}`) : null],
    ['reapplyFrom', app.reapplyFrom ? dayText(lang, app.reapplyFrom) : null],
    ['noticeEndsAt', app.noticeEndsAt ? momentText(lang, app.noticeEndsAt) : null],
    ['objectionReason', app.objectionReason],
    ['effectiveFrom', app.effectiveFrom ? dayText(lang, app.effectiveFrom) : null],
    ['careMode', app.careMode ? w(lang, `care_${app.careMode}`) : null],
    ['hospitalLevel', app.hospitalLevel ? w(lang, `level_${app.hospitalLevel}`) : null],
    ['provider', app.providerInstitutionId ? provider : null],
    ['benefitsFrom', app.benefitsFrom ? dayText(lang, app.benefitsFrom) : null],
    ['reassessmentDueAt', app.reassessmentDueAt && AUTHORISED.includes(app.status) ? momentText(lang, app.reassessmentDueAt) : null],
    ['endReason', app.endReason ? w(lang, `end_${app.endReason}`) : null],
    ['endedOn', app.endedOn ? dayText(lang, app.endedOn) : null],
    ['updatedAt', chinaTime(lang, app.updatedAt)],
  ];

  return (
    <main class="insurer application" data-application={id}>
      <button type="button" class="secondary" onClick={props.onBack}>{w(lang, 'back')}</button>
      <h2 class="wrap">
        {w(lang, 'application')} <span class="reference">{app.reference}</span> · <span class="app-status" data-status={app.status}>{w(lang, `st_${app.status}`)}</span>
      </h2>
      {notice && <section class="panel decision" role="status" data-application={id}>{notice}</section>}
      <p class="form-error" role="alert">{error}</p>
      <section class="panel">
        <table class="facts">
          <tbody>
            {rows.filter(([, v]) => v !== null).map(([k, v]) => <tr key={k} data-fact={k}><th scope="row">{w(lang, k)}</th><td class={k === 'elder' ? 'elder-name' : undefined}>{v}</td></tr>)}
          </tbody>
        </table>
      </section>
      {app.selfAssessment && <SelfAssessmentPanel lang={lang} self={app.selfAssessment} />}
      <section class="panel next-step" data-status={app.status}>
        <h3>{w(lang, 'nextStep')}</h3>
        {app.status === 'applied' && <Decision lang={lang} app={app} onDecided={(after) => changed(after, `${w(lang, 'application')} ${after.reference}：${w(lang, `done_${after.status}`)}${after.refusalGround ? `（${w(lang, `ground_${after.refusalGround}`)}）` : ''}`)} onFailed={failed} />}
        {PURPOSE[app.status] && (
          <div class="actions">
            <button type="button" onClick={() => props.onAssess(app, name)}>{w(lang, `assess_${PURPOSE[app.status]}`)}</button>
          </div>
        )}
        {app.status === 'notice' && <NoticeControls lang={lang} app={app} onChanged={changed} onFailed={failed} />}
        {(app.status === 'effective' || app.status === 'in-benefit') && <CareModeForm lang={lang} app={app} divisionCode={props.divisionCode} homeDivision={elder?.divisionCode ?? null} providers={providers} onChanged={changed} onFailed={failed} />}
        {AUTHORISED.includes(app.status) && <EndForm lang={lang} app={app} elderName={name} onChanged={changed} onFailed={failed} />}
        {FINAL.includes(app.status) && <p class="status">{w(lang, 'finished')}</p>}
      </section>
      <section class="panel">
        <h3>{w(lang, 'progress')}</h3>
        <Progress lang={lang} app={app} provider={provider} />
      </section>
      <section class="panel">
        <h3>{w(lang, 'assessments')}</h3>
        {app.assessments.length === 0 ? (
          <p>{w(lang, 'noAssessments')}</p>
        ) : (
          <table class="assessments">
            <thead><tr><th>{w(lang, 'assessedOn')}</th><th>{w(lang, 'purpose')}</th><th>{w(lang, 'grade')}</th><th>{w(lang, 'assessorsCol')}</th></tr></thead>
            <tbody>
              {app.assessments.map((a) => (
                <tr key={a.id} data-purpose={a.purpose}>
                  <td>{dayText(lang, a.assessedOn)}</td>
                  <td>{w(lang, `purpose_${a.purpose}`)}</td>
                  <td>{gradeText(lang, a.grade)}</td>
                  <td>{a.assessors.join('、')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}

/** How far the application got, step by step, from what it keeps. */
function Progress({ lang, app, provider }: { lang: Lang; app: ApplicationDetail; provider: string }) {
  const steps: { key: string; text: string }[] = [{ key: 'applied', text: `${chinaTime(lang, app.appliedAt)} ${fill(w(lang, 'step_applied'), { source: w(lang, `source_${app.source}`) })}` }];
  if (app.status === 'refused') {
    steps.push({ key: 'refused', text: fill(w(lang, 'step_refused'), { ground: w(lang, `ground_${app.refusalGround ?? 'other'}`), date: dayText(lang, app.reapplyFrom) }) });
  } else if (app.status !== 'applied') {
    steps.push({ key: 'accepted', text: w(lang, 'step_accepted') });
  }
  const [first, ...later] = app.assessments;
  const assessed = (a: Assessment) => ({ key: `assessed-${a.id}`, text: fill(w(lang, 'step_assessed'), { purpose: w(lang, `purpose_${a.purpose}`), day: dayText(lang, a.assessedOn), grade: a.grade, name: w(lang, `grade_${a.grade}`) }) });
  if (first) steps.push(assessed(first));
  if (app.noticeEndsAt) steps.push({ key: 'notice', text: fill(w(lang, 'step_notice'), { at: momentText(lang, app.noticeEndsAt) }) });
  if (app.objectionReason) steps.push({ key: 'objection', text: fill(w(lang, 'step_objection'), { reason: app.objectionReason }) });
  for (const a of later) steps.push(assessed(a));
  if (app.status === 'not-eligible') steps.push({ key: 'not-eligible', text: fill(w(lang, 'step_notEligible'), { date: dayText(lang, app.reapplyFrom) }) });
  if (app.effectiveFrom) steps.push({ key: 'effective', text: fill(w(lang, 'step_effective'), { date: dayText(lang, app.effectiveFrom) }) });
  if (app.careMode) {
    const mode = `${w(lang, `care_${app.careMode}`)}${app.hospitalLevel ? `（${w(lang, `level_${app.hospitalLevel}`)}）` : ''}`;
    steps.push({ key: 'care', text: fill(w(lang, 'step_care'), { mode, provider, date: dayText(lang, app.benefitsFrom) }) });
  }
  if (app.status === 'reassessment-due' && app.reassessmentDueAt) steps.push({ key: 'reassessment-due', text: fill(w(lang, 'step_reassessmentDue'), { at: momentText(lang, app.reassessmentDueAt) }) });
  if (app.status === 'ended') steps.push({ key: 'ended', text: fill(w(lang, 'step_ended'), { reason: w(lang, `end_${app.endReason ?? 'death'}`), date: dayText(lang, app.endedOn) }) });
  return (
    <ol class="timeline progress">
      {steps.map((s) => <li key={s.key} data-step={s.key.replace(/-[0-9a-f-]{36}$/, '')} class="wrap">{s.text}</li>)}
    </ol>
  );
}

type Changed = (after: Application, text: string) => void;

/** During the public notice: an objection with its content, and — once the notice is over — the conclusion made effective. */
function NoticeControls({ lang, app, onChanged, onFailed }: { lang: Lang; app: Application; onChanged: Changed; onFailed: (e: unknown) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const over = app.noticeEndsAt !== null && Date.now() >= Date.parse(app.noticeEndsAt);
  const send = async (kind: 'objection' | 'effect') => {
    if (kind === 'objection' && !reason.trim()) return setError(w(lang, 'objectionRequired'));
    if (!window.confirm(w(lang, kind === 'objection' ? 'confirmObjection' : 'confirmEffective'))) return;
    setError('');
    setBusy(true);
    try {
      const after = await json<Application>('POST', `/api/medical-insurance/applications/${app.id}/${kind}`, kind === 'objection' ? { reason: reason.trim() } : {});
      onChanged(after, w(lang, kind === 'objection' ? 'objected' : 'madeEffective'));
    } catch (e) {
      setError(refusalText(lang, e));
      onFailed(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="notice-controls">
      <p class="hint">{fill(w(lang, 'noticeRuns'), { at: momentText(lang, app.noticeEndsAt) })}</p>
      {over && <div class="actions"><button type="button" disabled={busy} onClick={() => void send('effect')}>{w(lang, 'makeEffective')}</button></div>}
      {!over && (
        <>
          <label for="ins-objection">{w(lang, 'objectionLabel')}</label>
          <textarea id="ins-objection" name="objection" rows={3} maxLength={1000} value={reason} aria-invalid={error ? 'true' : 'false'} aria-describedby="ins-objection-error" onInput={(e) => { setReason((e.target as HTMLTextAreaElement).value); setError(''); }} />
          <div class="actions"><button type="button" class="secondary" disabled={busy} onClick={() => void send('objection')}>{w(lang, 'recordObjection')}</button></div>
        </>
      )}
      <p id="ins-objection-error" class="field-error" role="alert">{error}</p>
    </div>
  );
}

/** The care mode (护理服务形式) and the designated provider, chosen from the providers of that mode in the officer's division. */
function CareModeForm(props: { lang: Lang; app: Application; divisionCode: string | null; homeDivision: string | null; providers: Record<string, Institution[]> | null; onChanged: Changed; onFailed: (e: unknown) => void }) {
  const { lang, app, providers } = props;
  const [mode, setMode] = useState<string>(app.careMode ?? '');
  const [level, setLevel] = useState(app.hospitalLevel ? String(app.hospitalLevel) : '');
  const [provider, setProvider] = useState(app.providerInstitutionId ?? '');
  const fields = useFieldErrors((n) => fill(w(lang, 'fixFields'), { n }));
  const { form, show, field, error, formError } = fields;
  const [busy, setBusy] = useState(false);
  // The designated providers of the mode in the officer's division, those of the elder's own county first, then by name.
  const near = (p: Institution) => (p.divisionCode === props.homeDivision ? 0 : 1);
  const designated = (m: string): Institution[] =>
    m && providers
      ? PROVIDERS_OF[m as CareMode]
          .flatMap((s) => providers[s] ?? [])
          .filter((p) => p.capabilities.includes('ltciDesignated') && within(props.divisionCode, p.divisionCode))
          .sort((a, b) => near(a) - near(b) || a.name.localeCompare(b.name, 'zh-CN'))
      : [];
  const choices = designated(mode);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!mode) found['ins-care-mode'] = w(lang, 'chooseMode');
    if (mode === 'medical-special-care' && !level) found['ins-hospital-level'] = w(lang, 'chooseLevel');
    if (mode && !choices.some((p) => p.id === provider)) found['ins-provider'] = choices.length === 0 ? w(lang, 'noProviders') : w(lang, 'chooseProvider');
    if (Object.keys(found).length > 0) return show(found);
    show({});
    setBusy(true);
    try {
      const after = await json<Application>('POST', `/api/medical-insurance/applications/${app.id}/care-mode`, { careMode: mode, providerInstitutionId: provider, ...(mode === 'medical-special-care' ? { hospitalLevel: Number(level) } : {}) });
      const chosen = choices.find((p) => p.id === provider)?.name ?? '';
      props.onChanged(after, fill(w(lang, 'careSaved'), { mode: w(lang, `care_${mode}`), provider: chosen, date: dayText(lang, after.benefitsFrom) }));
    } catch (e) {
      show({}, refusalText(lang, e));
      props.onFailed(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={form} class="care-mode" onSubmit={(e) => void submit(e)} noValidate>
      <h4>{w(lang, app.careMode ? 'careChange' : 'careTitle')}</h4>
      <div class="field-grid wide">
        <div>
          <label for="ins-care-mode">{w(lang, 'careMode')}</label>
          <select {...field('ins-care-mode')} name="careMode" value={mode} onChange={(e) => { setMode((e.target as HTMLSelectElement).value); setProvider(''); fields.clear('ins-care-mode'); }}>
            <option value="">{w(lang, 'choose')}</option>
            {CARE_MODES.map((m) => <option key={m} value={m}>{w(lang, `care_${m}`)}</option>)}
          </select>
          {error('ins-care-mode')}
        </div>
        {mode === 'medical-special-care' && (
          <div>
            <label for="ins-hospital-level">{w(lang, 'hospitalLevel')}</label>
            <select {...field('ins-hospital-level')} name="hospitalLevel" value={level} onChange={(e) => { setLevel((e.target as HTMLSelectElement).value); fields.clear('ins-hospital-level'); }}>
              <option value="">{w(lang, 'choose')}</option>
              {[1, 2, 3].map((l) => <option key={l} value={String(l)}>{w(lang, `level_${l}`)}</option>)}
            </select>
            {error('ins-hospital-level')}
          </div>
        )}
        <div>
          <label for="ins-provider">{w(lang, 'provider')}</label>
          <select {...field('ins-provider')} name="provider" value={provider} disabled={!mode || choices.length === 0} onChange={(e) => { setProvider((e.target as HTMLSelectElement).value); fields.clear('ins-provider'); }}>
            <option value="">{w(lang, 'choose')}</option>
            {choices.map((p) => <option key={p.id} value={p.id}>{p.name}（{placeName(p.divisionCode)}）</option>)}
          </select>
          {mode && !providers && <p class="hint">{w(lang, 'providersLoading')}</p>}
          {mode && providers && choices.length === 0 && <p class="hint">{w(lang, 'noProviders')}</p>}
          {error('ins-provider')}
        </div>
      </div>
      <p class="form-error" role="alert">{formError}</p>
      <button type="submit" disabled={busy}>{w(lang, busy ? 'saving' : 'saveCare')}</button>
    </form>
  );
}

/** End the benefits for a reason, on a day (today unless another is entered), after the officer confirms it. */
function EndForm({ lang, app, elderName, onChanged, onFailed }: { lang: Lang; app: Application; elderName: string; onChanged: Changed; onFailed: (e: unknown) => void }) {
  const [reason, setReason] = useState('');
  const [endedOn, setEndedOn] = useState(chinaToday());
  const fields = useFieldErrors((n) => fill(w(lang, 'fixFields'), { n }));
  const { form, show, field, error, formError } = fields;
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!reason) found['ins-end-reason'] = w(lang, 'chooseEndReason');
    if (!endedOn) found['ins-ended-on'] = w(lang, 'endedOnRequired');
    else if (endedOn > chinaToday()) found['ins-ended-on'] = w(lang, 'problem_endsInFuture');
    if (Object.keys(found).length > 0) return show(found);
    if (!window.confirm(fill(w(lang, 'confirmEnd'), { name: elderName, reason: w(lang, `end_${reason}`), date: dayText(lang, endedOn) }))) return;
    show({});
    setBusy(true);
    try {
      const after = await json<Application>('POST', `/api/medical-insurance/applications/${app.id}/end`, { reason, endedOn });
      onChanged(after, fill(w(lang, 'ended'), { reason: w(lang, `end_${reason}`), date: dayText(lang, after.endedOn) }));
    } catch (e) {
      const day = e instanceof Problem && e.status === 400 && e.body.errors?.some((f) => f.field === 'endedOn');
      if (day) show({ 'ins-ended-on': refusalText(lang, e) });
      else show({}, refusalText(lang, e));
      onFailed(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form ref={form} class="end-benefits" onSubmit={(e) => void submit(e)} noValidate>
      <h4>{w(lang, 'endTitle')}</h4>
      <div class="field-grid wide">
        <div>
          <label for="ins-end-reason">{w(lang, 'endReasonLabel')}</label>
          <select {...field('ins-end-reason')} name="endReason" value={reason} onChange={(e) => { setReason((e.target as HTMLSelectElement).value); fields.clear('ins-end-reason'); }}>
            <option value="">{w(lang, 'choose')}</option>
            {END_REASONS.map((r) => <option key={r} value={r}>{w(lang, `end_${r}`)}</option>)}
          </select>
          {error('ins-end-reason')}
        </div>
        <div>
          <label for="ins-ended-on">{w(lang, 'endedOnLabel')}</label>
          <input {...field('ins-ended-on')} type="date" name="endedOn" max={chinaToday()} value={endedOn} onInput={(e) => { setEndedOn((e.target as HTMLInputElement).value); fields.clear('ins-ended-on'); }} />
          {error('ins-ended-on')}
        </div>
      </div>
      <p class="form-error" role="alert">{formError}</p>
      <button type="submit" class="danger" disabled={busy}>{w(lang, busy ? 'saving' : 'endBenefits')}</button>
    </form>
  );
}

/** The input an API field is entered in. */
function inputOf(field: string): string | undefined {
  const [head, sub] = field.split('.');
  if (head === 'answers' && sub && ITEMS.some((i) => i.code === sub)) return `ltci-${sub}`;
  if (head === 'assessors') return sub === '1' ? 'assessor-1' : 'assessor-0';
  if (head === 'assessedOn') return 'assessed-on';
  return undefined;
}

/** The on-site assessment (NHSA 2021) of two assessors: the first, after an objection, or the periodic one. */
function LtciAssessment({ lang, app, elderName, onCancel, onSaved }: { lang: Lang; app: Application; elderName: string; onCancel: () => void; onSaved: (graded: Graded) => void }) {
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [assessors, setAssessors] = useState(['', '']);
  const [assessedOn, setAssessedOn] = useState(chinaToday());
  const fields = useFieldErrors((n) => fill(w(lang, 'fixFields'), { n }));
  const { formError, form, show, field, error } = fields;
  const [busy, setBusy] = useState(false);
  const purpose = PURPOSE[app.status] ?? 'first';

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    for (const item of ITEMS) if (!answers[item.code]) found[`ltci-${item.code}`] = w(lang, 'chooseValue');
    assessors.forEach((name, i) => {
      if (!name.trim()) found[`assessor-${i}`] = t(lang, 'required');
    });
    // Two different assessors: the API decides, and its answer is shown under the second name.
    if (!assessedOn) found['assessed-on'] = t(lang, 'required');
    else if (assessedOn > chinaToday()) found['assessed-on'] = w(lang, 'future');
    if (Object.keys(found).length > 0) return show(found);
    show({});
    setBusy(true);
    try {
      onSaved(
        await json<Graded>('POST', `/api/medical-insurance/applications/${app.id}/assessment`, {
          answers: Object.fromEntries(ITEMS.map((i) => [i.code, Number(answers[i.code])])),
          assessors: [assessors[0]!.trim(), assessors[1]!.trim()],
          assessedOn,
        }),
      );
    } catch (e) {
      if (!(e instanceof Problem) || e.status !== 400) return show({}, refusalText(lang, e));
      const placed: Record<string, string> = {};
      let rest = 0;
      for (const f of e.body.errors ?? []) {
        const id = inputOf(f.field);
        if (!id) rest += 1;
        else placed[id] ??= /^is required|^missing/.test(f.reason) ? (id.startsWith('ltci-') ? w(lang, 'chooseValue') : t(lang, 'required')) : /different/.test(f.reason) ? w(lang, 'sameAssessor') : /future/.test(f.reason) ? w(lang, 'future') : w(lang, 'invalidValue');
      }
      show(placed, rest > 0 ? w(lang, 'invalidValue') : '');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="insurer ltci-assessment" data-application={app.id} data-purpose={purpose}>
      <button type="button" class="secondary" onClick={onCancel}>{w(lang, 'back')}</button>
      <h2>{w(lang, `formTitle_${purpose}`)}</h2>
      <p class="status wrap">
        {w(lang, 'application')} <span class="reference">{app.reference}</span> · {w(lang, 'elder')} <strong class="elder-name">{elderName}</strong> · {w(lang, `st_${app.status}`)}
      </p>
      <form ref={form} onSubmit={(e) => void submit(e)} noValidate>
        {INDICATORS.map((d) => (
          <fieldset key={d.key} class="panel" data-indicator={d.key}>
            <legend><strong>{w(lang, d.key)}</strong></legend>
            <div class="field-grid">
              {d.items.map((item) => {
                const id = `ltci-${item.code}`;
                return (
                  <div key={item.code}>
                    <label for={id}>{lang === 'zh' ? item.zh : item.en}</label>
                    <select {...field(id)} name={item.code} value={answers[item.code] ?? ''} onChange={(e) => setAnswers({ ...answers, [item.code]: (e.target as HTMLSelectElement).value })}>
                      <option value="">{w(lang, 'choose')}</option>
                      {item.allowed.map((v) => <option key={v} value={String(v)}>{fill(w(lang, 'points'), { n: v })}</option>)}
                    </select>
                    {error(id)}
                  </div>
                );
              })}
            </div>
          </fieldset>
        ))}
        <AssessorsAndDay words={{ assessor1: w(lang, 'assessor1'), assessor2: w(lang, 'assessor2'), assessedOn: w(lang, 'assessedOn') }} assessors={assessors} onAssessors={setAssessors} assessedOn={assessedOn} onAssessedOn={setAssessedOn} fields={fields} />
        <p class="form-error" role="alert">{formError}</p>
        <div class="actions">
          <button type="submit" disabled={busy}>{w(lang, busy ? 'saving' : 'save')}</button>
          <button type="button" class="secondary" onClick={onCancel}>{w(lang, 'back')}</button>
        </div>
      </form>
    </main>
  );
}
