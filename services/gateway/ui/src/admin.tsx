import { useEffect, useState } from 'preact/hooks';
import { json, problemText } from './api.js';
import { Dashboard } from './dashboard.js';
import { chinaTime, dictionary, t, wordFor, type Lang } from './i18n.js';

const w = dictionary(
  {
    tab_dashboard: '闭环监测',
    tab_audit: '个人信息访问审计',
    actor: '操作人（账户）',
    objectId: '对象编号',
    search: '检索',
    at: '时间',
    role: '角色',
    action: '操作',
    object: '对象',
    outcome: '结果',
    source: '来源',
    'source_civil-affairs': '民政',
    'source_medical-insurance': '医保',
    source_referrals: '转诊',
    outcome_allowed: '允许',
    outcome_denied: '拒绝',
    'outcome_not-found': '未找到',
    outcome_invalid: '无效输入',
    none: '没有符合条件的记录',
    needFilter: '请至少填写一项检索条件',
  },
  {
    tab_dashboard: 'Monitoring',
    tab_audit: 'Personal-data access audit',
    actor: 'Actor (account)',
    objectId: 'Object id',
    search: 'Search',
    at: 'Time',
    role: 'Role',
    action: 'Action',
    object: 'Object',
    outcome: 'Outcome',
    source: 'Source',
    'source_civil-affairs': 'Civil affairs',
    'source_medical-insurance': 'Medical insurance',
    source_referrals: 'Referrals',
    outcome_allowed: 'Allowed',
    outcome_denied: 'Denied',
    'outcome_not-found': 'Not found',
    outcome_invalid: 'Invalid input',
    none: 'No matching entries',
    needFilter: 'Fill in at least one search field',
  },
);

/** The services whose audit logs an admin searches. */
const SOURCES = ['civil-affairs', 'medical-insurance', 'referrals'] as const;

/** A logged code in words (an action or a kind of record); one without words is said to be another. */
const logged = (lang: Lang, prefix: 'auditAction' | 'auditObject', code: string) => wordFor(lang, `${prefix}_${code}`) ?? t(lang, `${prefix}_other`);

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  objectType: string;
  objectId: string;
  outcome: string;
}

/** The administrator's workspace: the commission's dashboard and the search of the personal-data access logs. */
export function Admin({ lang, division }: { lang: Lang; division: string | null }) {
  const [tab, setTab] = useState<'dashboard' | 'audit'>('dashboard');
  return (
    <>
      <nav class="tabs page-tabs">
        {(['dashboard', 'audit'] as const).map((t) => (
          <button key={t} type="button" class={tab === t ? '' : 'secondary'} aria-pressed={tab === t ? 'true' : 'false'} data-tab={t} onClick={() => setTab(t)}>{w(lang, `tab_${t}`)}</button>
        ))}
      </nav>
      {tab === 'dashboard' ? <Dashboard lang={lang} division={division} /> : <Audit lang={lang} />}
    </>
  );
}

/** Search the append-only access logs of every service that keeps personal data, newest first. */
function Audit({ lang }: { lang: Lang }) {
  const [actor, setActor] = useState('');
  const [objectId, setObjectId] = useState('');
  const [rows, setRows] = useState<(AuditRow & { source: string })[] | null>(null);
  const [error, setError] = useState('');
  const [people, setPeople] = useState<{ id: string; username: string; displayName: string }[]>([]);
  useEffect(() => {
    void json<{ id: string; username: string; displayName: string }[]>('GET', '/api/auth/users').then(setPeople, () => setPeople([]));
  }, []);
  /** An account by its id, for the log's rows: its display name and user name. */
  const who = (id: string) => {
    const p = people.find((x) => x.id === id);
    return p ? `${p.displayName}（${p.username}）` : id;
  };

  const search = async (event: Event) => {
    event.preventDefault();
    if (!actor.trim() && !objectId.trim()) return setError(w(lang, 'needFilter'));
    setError('');
    // The account may be typed as its user name or display name; the logs know it by its id.
    const typed = actor.trim();
    const account = people.find((p) => p.username === typed.toLowerCase() || p.displayName === typed)?.id ?? typed;
    const query = new URLSearchParams({ ...(typed ? { actor: account } : {}), ...(objectId.trim() ? { objectId: objectId.trim() } : {}), limit: '200' });
    try {
      const found = await Promise.all(SOURCES.map(async (source) => (await json<AuditRow[]>('GET', `/api/${source}/audit?${query}`)).map((row) => ({ ...row, source }))));
      setRows(found.flat().sort((a, b) => b.at.localeCompare(a.at)));
    } catch (e) {
      setError(problemText(e));
    }
  };

  return (
    <main class="audit">
      <form class="panel filters" onSubmit={(e) => void search(e)} noValidate>
        <label>{w(lang, 'actor')}<input name="actor" value={actor} onInput={(e) => setActor((e.target as HTMLInputElement).value)} /></label>
        <label>{w(lang, 'objectId')}<input name="objectId" value={objectId} onInput={(e) => setObjectId((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">{w(lang, 'search')}</button>
        <p class="form-error" role="alert">{error}</p>
      </form>
      {rows && (
        <section class="panel">
          {rows.length === 0 ? <p>{w(lang, 'none')}</p> : (
            <table class="audit-rows">
              <thead><tr><th>{w(lang, 'at')}</th><th>{w(lang, 'source')}</th><th>{w(lang, 'actor')}</th><th>{w(lang, 'role')}</th><th>{w(lang, 'action')}</th><th>{w(lang, 'object')}</th><th>{w(lang, 'outcome')}</th></tr></thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={`${row.source}-${row.seq}`} data-outcome={row.outcome}>
                    <td>{chinaTime(lang, row.at)}</td>
                    <td>{w(lang, `source_${row.source}`)}</td>
                    <td title={row.actor}>{who(row.actor)}</td>
                    <td>{w(lang, `role_${row.role}`)}</td>
                    <td data-action={row.action}>{logged(lang, 'auditAction', row.action)}</td>
                    <td>{logged(lang, 'auditObject', row.objectType)} {row.objectId}</td>
                    <td>{w(lang, `outcome_${row.outcome}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </main>
  );
}
