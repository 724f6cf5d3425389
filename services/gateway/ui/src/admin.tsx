import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Accounts, accountsByIds, findAccounts, type Account } from './accounts.js';
import { json, problemText } from './api.js';
import { Dashboard } from './dashboard.js';
import { chinaTime, pageWords, t, wordFor, type Lang } from './i18n.js';

const w = pageWords('adminPage');

/** The audit logs an admin searches: of the services that keep personal data, and the gateway's of account changes. */
const SOURCES = ['civil-affairs', 'medical-insurance', 'referrals', 'auth'] as const;
type Source = (typeof SOURCES)[number];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** At most this many accounts are searched for at once when a typed name fits several. */
const MAX_ACCOUNTS = 10;

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
  detail?: Record<string, unknown> | null;
}

const TABS = ['dashboard', 'accounts', 'audit'] as const;

/** The administrator's workspace: the commission's dashboard, the accounts, and the search of the audit logs. */
export function Admin({ lang, division }: { lang: Lang; division: string | null }) {
  const [tab, setTab] = useState<(typeof TABS)[number]>('dashboard');
  return (
    <>
      <nav class="tabs page-tabs">
        {TABS.map((t) => (
          <button key={t} type="button" class={tab === t ? '' : 'secondary'} aria-pressed={tab === t ? 'true' : 'false'} data-tab={t} onClick={() => setTab(t)}>{w(lang, `tab_${t}`)}</button>
        ))}
      </nav>
      {tab === 'dashboard' ? <Dashboard lang={lang} division={division} /> : tab === 'accounts' ? <Accounts lang={lang} /> : <Audit lang={lang} />}
    </>
  );
}

/** An account as a log row names it: display name and user name (Latin by nature, so not for translation). */
const accountName = (a: Account) => <>{a.displayName}（<span translate={false}>{a.username}</span>）</>;

/**
 * Search the append-only logs of every service that keeps personal data, and the gateway's log of
 * account changes, newest first: by the account that acted (typed as its user or display name), by
 * the record (its id, or an account's name), within days; each log filters on its server.
 */
function Audit({ lang }: { lang: Lang }) {
  const [actor, setActor] = useState('');
  const [objectId, setObjectId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [rows, setRows] = useState<(AuditRow & { source: Source })[] | null>(null);
  const [error, setError] = useState('');
  const [people, setPeople] = useState(new Map<string, Account>());
  /** An account by its id, for the log's rows: its display name and user name; a service in words. */
  const who = (id: string): JSX.Element | string => {
    const p = people.get(id);
    return p ? accountName(p) : id.startsWith('service:') ? t(lang, 'admin_auditSystem') : UUID.test(id) ? t(lang, 'admin_unknownAccount') : id;
  };
  /** What a row was about: a kind of record, and which (an account by its name). */
  const object = (row: AuditRow) => <>{logged(lang, 'auditObject', row.objectType)} {row.objectType === 'account' ? who(row.objectId) : row.objectId}</>;
  /** What an account change changed, in words. */
  const changed = (row: AuditRow) => {
    const fields = row.detail?.['changed'];
    return Array.isArray(fields) && fields.length > 0 ? `（${fields.map((f) => t(lang, `admin_field_${String(f)}`)).join('、')}）` : '';
  };

  const search = async (event: Event) => {
    event.preventDefault();
    const typed = actor.trim();
    const record = objectId.trim();
    if (!typed && !record && !from && !to) return setError(w(lang, 'needFilter'));
    if (from && to && from > to) return setError(t(lang, 'badPeriod'));
    setError('');
    try {
      // The account may be typed as its user name or display name; the logs know it by its id.
      let actors: (string | undefined)[] = [undefined];
      if (typed) {
        const found = await findAccounts(typed);
        if (found.length === 0 && !UUID.test(typed) && !typed.startsWith('service:')) {
          setRows(null);
          return setError(t(lang, 'admin_noSuchAccount'));
        }
        actors = found.length > 0 ? found.slice(0, MAX_ACCOUNTS).map((a) => a.id) : [typed];
      }
      // A record typed as an account's name means that account, in the log of account changes.
      const accountObjects = record && !UUID.test(record) ? (await findAccounts(record)).slice(0, MAX_ACCOUNTS).map((a) => a.id) : [];
      const period = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
      const queries = SOURCES.flatMap((source) =>
        actors.flatMap((a) =>
          (source === 'auth' && accountObjects.length > 0 ? accountObjects : [record || undefined]).map((o) => ({
            source,
            query: new URLSearchParams({ ...(a ? { actor: a } : {}), ...(o ? { objectId: o } : {}), ...period, limit: '200' }),
          })),
        ),
      );
      const found = await Promise.all(queries.map(async ({ source, query }) => (await json<AuditRow[]>('GET', `/api/${source}/audit?${query}`)).map((row) => ({ ...row, source }))));
      const unique = new Map(found.flat().map((row) => [`${row.source}-${row.seq}`, row]));
      // The rows come with the names of the accounts they speak of, never before them.
      setPeople(await accountsByIds([...unique.values()].flatMap((r) => [r.actor, ...(r.objectType === 'account' ? [r.objectId] : [])])));
      setRows([...unique.values()].sort((a, b) => b.at.localeCompare(a.at) || b.seq - a.seq));
    } catch (e) {
      setError(problemText(e));
    }
  };

  return (
    <main class="audit">
      <form class="panel filters" onSubmit={(e) => void search(e)} noValidate>
        <label>{w(lang, 'actor')}<input name="actor" placeholder={t(lang, 'admin_actorHint')} value={actor} onInput={(e) => setActor((e.target as HTMLInputElement).value)} /></label>
        <label>{w(lang, 'objectId')}<input name="objectId" placeholder={t(lang, 'admin_objectHint')} value={objectId} onInput={(e) => setObjectId((e.target as HTMLInputElement).value)} /></label>
        <label>{t(lang, 'from')}<input type="date" name="from" value={from} max={to || undefined} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} /></label>
        <label>{t(lang, 'to')}<input type="date" name="to" value={to} min={from || undefined} onInput={(e) => setTo((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">{w(lang, 'search')}</button>
        <p class="form-error" role="alert">{error}</p>
      </form>
      {rows === null ? (
        <p class="panel hint">{t(lang, 'admin_auditHow')}</p>
      ) : (
        <section class="panel">
          {rows.length === 0 ? <p class="empty">{w(lang, 'none')}</p> : (
            <table class="audit-rows stack">
              <thead><tr><th>{w(lang, 'at')}</th><th>{w(lang, 'source')}</th><th>{w(lang, 'actor')}</th><th>{w(lang, 'role')}</th><th>{w(lang, 'action')}</th><th>{w(lang, 'object')}</th><th>{w(lang, 'outcome')}</th></tr></thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={`${row.source}-${row.seq}`} data-source={row.source} data-outcome={row.outcome}>
                    <td data-label={w(lang, 'at')}>{chinaTime(lang, row.at)}</td>
                    <td data-label={w(lang, 'source')}>{w(lang, `source_${row.source}`)}</td>
                    <td data-label={w(lang, 'actor')} title={row.actor}>{who(row.actor)}</td>
                    <td data-label={w(lang, 'role')}>{row.role === 'service' ? t(lang, 'admin_roleSystem') : w(lang, `role_${row.role}`)}</td>
                    <td data-label={w(lang, 'action')} data-action={row.action}>{logged(lang, 'auditAction', row.action)}{changed(row)}</td>
                    <td data-label={w(lang, 'object')}>{object(row)}</td>
                    <td data-label={w(lang, 'outcome')}>{w(lang, `outcome_${row.outcome}`)}</td>
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
