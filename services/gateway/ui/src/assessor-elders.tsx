import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { json, page, Problem, problemText } from './api.js';
import { ElderFacts } from './assessor-care.js';
import { ElderRights, ErasedNotice } from './elder-rights.js';
import { abilityText, elderLine, levelName, w, type ElderSummary } from './assessor-shared.js';
import { fill, t, type Lang } from './i18n.js';
import { Pager } from './pager.js';
import { placeName } from './packet-view.js';
import { RegisterElder } from './register-elder.js';

const PAGE = 20;

/**
 * The elders of the assessor's division, newest registered first, found by full name or ID
 * number (on the server: names are sealed and found by their blind index), optionally only those
 * due an assessment, a page at a time. Each elder opens its record.
 */
export interface ListState {
  query: string;
  due: boolean;
  offset: number;
}
export const emptyList = (): ListState => ({ query: '', due: false, offset: 0 });

export function ElderList({ lang, divisionCode, state, onState, onOpen, onAssess }: {
  lang: Lang;
  divisionCode: string | null;
  /** What is searched and which page is shown, kept by the workspace so a record opened from the list goes back to it. */
  state: ListState;
  onState: (state: ListState) => void;
  onOpen: (elder: ElderSummary) => void;
  onAssess: (elder: ElderSummary) => void;
}) {
  const { query, due, offset } = state;
  const [text, setText] = useState(query);
  const [found, setFound] = useState<{ items: ElderSummary[]; total: number } | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    page<ElderSummary>('/api/civil-affairs/elders/search', { limit: PAGE, offset, ...(query ? { q: query } : {}), ...(due ? { due: true } : {}) }).then(
      (result) => {
        setFound(result);
        setError('');
      },
      (e: unknown) => {
        setFound({ items: [], total: 0 });
        // A part of an ID number, or digits in a name: the search cannot be made.
        setError(e instanceof Problem && e.status === 400 ? w(lang, 'searchHint') : problemText(e));
      },
    );
  }, [query, due, offset]);

  const search = (event: Event) => {
    event.preventDefault();
    onState({ query: text.trim(), due, offset: 0 });
  };
  const empty = query ? fill(w(lang, 'noneFound'), { q: query }) : due ? w(lang, 'noneDue') : w(lang, 'noElders');

  return (
    <section class="elders">
      <RegisterElder lang={lang} divisionCode={divisionCode} />
      <form class="panel actions elder-search" role="search" onSubmit={search}>
        <label class="grow">{w(lang, 'search')}
          <input name="q" autocomplete="off" maxLength={50} placeholder={w(lang, 'searchHint')} value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        </label>
        <label class="check"><input type="checkbox" name="due" checked={due} onChange={(e) => onState({ query, due: (e.target as HTMLInputElement).checked, offset: 0 })} />{w(lang, 'dueOnly')}</label>
        <button type="submit">{w(lang, 'find')}</button>
        {query && <button type="button" class="secondary" onClick={() => { setText(''); onState({ query: '', due, offset: 0 }); }}>{w(lang, 'showAll')}</button>}
      </form>
      <p class="form-error" role="alert">{error}</p>
      {found === null ? (
        <p>{t(lang, 'loading')}</p>
      ) : found.items.length === 0 ? (
        <p class="empty">{error ? '' : empty}</p>
      ) : (
        <ul class="offers elder-list">
          {found.items.map((e) => (
            <li key={e.elderRef} class="offer wrap" data-elder={e.elderRef}>
              <div class="offer-head">
                <button type="button" class="link elder-name" onClick={() => onOpen(e)}>{e.name}</button>
                {e.reassessmentDue && <span class="badge due">{w(lang, e.ability ? 'dueBadge' : 'firstBadge')}</span>}
              </div>
              <p class="elder-line">{elderLine(lang, e)}</p>
              <p class="status ability">{abilityText(lang, e.ability)}</p>
              <div class="actions">
                <button type="button" onClick={() => onAssess(e)}>{w(lang, 'startAssessment')}</button>
                <button type="button" class="secondary" onClick={() => onOpen(e)}>{w(lang, 'openRecord')}</button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {found && <Pager lang={lang} offset={offset} size={PAGE} total={found.total} onOffset={(at) => onState({ query, due, offset: at })} />}
    </section>
  );
}

/** An elder's record as an assessor sees it: whole identity, and the latest assessment. */
interface ElderRecordView {
  elderRef: string;
  name?: string;
  idNumber?: string;
  gender: 'male' | 'female';
  birthYear: number;
  birthDate?: string;
  phone?: string | null;
  address?: string;
  divisionCode: string;
  guardian?: { name: string; relation: string; phone?: string } | null;
  ability: { level: number; assessedOn: string } | null;
  /** When the personal information was erased (the record shows no one then). */
  erasedAt?: string;
}
interface PastAssessment {
  id: string;
  assessedOn: string;
  reason: string;
  level: number;
  total: number;
  assessors: string[];
}

/**
 * One elder's record (each opening is an audited read at civil affairs) and previous assessments,
 * newest first, with the way to start an assessment unprompted.
 */
export function ElderRecord({ lang, elderRef, backLabel, onBack, onAssess }: { lang: Lang; elderRef: string; backLabel: string; onBack: () => void; onAssess: (ability: ElderRecordView['ability']) => void }) {
  const [record, setRecord] = useState<ElderRecordView | null>(null);
  const [history, setHistory] = useState<PastAssessment[] | null>(null);
  const [error, setError] = useState('');
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    Promise.all([json<ElderRecordView>('GET', `/api/civil-affairs/elders/${elderRef}`), json<PastAssessment[]>('GET', `/api/civil-affairs/elders/${elderRef}/assessments`)]).then(
      ([r, h]) => {
        setRecord(r);
        setHistory(h);
      },
      (e: unknown) => setError(e instanceof Problem && e.status === 403 ? w(lang, 'forbidden') : e instanceof Problem && e.status === 404 ? w(lang, 'notFound') : problemText(e)),
    );
  }, [elderRef, reloads]);

  const rows: [string, string][] = record
    ? [
        [w(lang, 'gender'), t(lang, `sex_${record.gender}`)],
        [w(lang, 'birthDate'), record.birthDate ?? String(record.birthYear)],
        [w(lang, 'idNo'), record.idNumber ?? ''],
        [w(lang, 'division'), placeName(record.divisionCode)],
        [w(lang, 'address'), record.address ?? ''],
        [w(lang, 'phone'), record.phone ?? w(lang, 'none')],
        [w(lang, 'guardian'), record.guardian ? `${record.guardian.name}（${record.guardian.relation}）${record.guardian.phone ? ` ${record.guardian.phone}` : ''}` : w(lang, 'none')],
        [w(lang, 'currentAbility'), abilityText(lang, record.ability)],
      ]
    : [];
  return (
    <section class="elder-record" data-elder={elderRef}>
      <div class="actions">
        <button type="button" class="secondary" onClick={onBack}>{backLabel}</button>
      </div>
      <p class="form-error" role="alert">{error}</p>
      {!record ? (
        !error && <p>{t(lang, 'loading')}</p>
      ) : (
        <>
          <section class="panel wrap">
            <h3>{record.erasedAt ? w(lang, 'recordTitle') : <>{w(lang, 'recordTitle')}：<span class="elder-name">{record.name ?? ''}</span></>}</h3>
            {record.erasedAt && <ErasedNotice lang={lang} erasedAt={record.erasedAt} />}
            <dl class="kv">
              {(record.erasedAt ? rows.filter(([k]) => k === w(lang, 'gender') || k === w(lang, 'division') || k === w(lang, 'currentAbility')) : rows).map(([k, v]) => (
                <Fragment key={k}>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </Fragment>
              ))}
            </dl>
            <p class="hint">{w(lang, 'recordLogged')}</p>
            {!record.erasedAt && (
              <div class="actions">
                <button type="button" data-action="start-assessment" onClick={() => onAssess(record.ability)}>{w(lang, 'startAssessment')}</button>
              </div>
            )}
          </section>
          {!record.erasedAt && <ElderRights lang={lang} record={record} onChanged={() => setReloads((n) => n + 1)} />}
          {!record.erasedAt && <ElderFacts lang={lang} elderRef={elderRef} />}
          <section class="panel history">
            <h3>{w(lang, 'history')}</h3>
            {history && history.length === 0 ? (
              <p class="empty">{w(lang, 'noHistory')}</p>
            ) : (
              <ul class="files past-assessments">
                {(history ?? []).map((a) => (
                  <li key={a.id} data-level={a.level} class="wrap">
                    <strong>{a.assessedOn}</strong>
                    <span>{w(lang, `reason_${a.reason}`)}</span>
                    <span>{w(lang, 'levelResult')} {a.level}（{levelName(lang, a.level)}）</span>
                    <span>{w(lang, 'total')} {a.total}</span>
                    <span class="status">{w(lang, 'assessors')}：{a.assessors.join('、')}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </section>
  );
}
