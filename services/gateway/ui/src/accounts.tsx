import { BED_SERVICE_NAMES } from '@fbl/contracts/bed-services';
import { chinaDivisions } from '@fbl/codes';
import { useEffect, useState } from 'preact/hooks';
import { json, loadSession, page, Problem, problemText } from './api.js';
import { divisionChoices } from './dashboard.js';
import { PICKER_PROVINCE } from './division-picker.js';
import { useFieldErrors } from './forms.js';
import { fill, t, type Lang } from './i18n.js';
import { Pager } from './pager.js';

/** An account as the gateway lists it (never its password). */
export interface Account {
  id: string;
  username: string;
  displayName: string;
  role: string;
  institutionId: string | null;
  divisionCode: string | null;
  enabled: boolean;
  /** Whether the account signs in with a second factor (TOTP). */
  secondFactor?: boolean;
  createdAt: string;
}

/** A provider or hospital as a bed service registered it. */
interface Institution {
  id: string;
  name: string;
  kind: string;
}

const ROLES = ['planner', 'provider', 'assessor', 'insurer', 'analyst', 'admin'] as const;
/** The scope each role works in: an institution, a division, or none. */
const SCOPE: Record<string, 'institution' | 'division' | 'none'> = { planner: 'institution', provider: 'institution', assessor: 'division', insurer: 'division', analyst: 'division', admin: 'none' };
/** The bed services, each with the institutions it registered. */
/** Kinds of institution in the order a picker groups them. */
const KINDS = ['hospital', 'care-home', 'integrated-care', 'home-care-provider', 'community-health-centre', 'township-health-centre', 'hospice'];
const PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A kind of institution in words (one without words is said to be another kind). */
export const kindName = (lang: Lang, kind: string) => {
  const word = t(lang, `admin_kind_${kind}`);
  return word === `admin_kind_${kind}` ? t(lang, 'admin_kind_other') : word;
};

/** A division's name, as the province's table has it. */
const wholeProvince = (lang: Lang) => fill(t(lang, 'admin_province'), { province: chinaDivisions.get(`${PICKER_PROVINCE}0000`)?.name ?? PICKER_PROVINCE });
const divisionName = (lang: Lang, code: string) => (code === `${PICKER_PROVINCE}0000` ? wholeProvince(lang) : (chinaDivisions.get(code)?.name ?? t(lang, 'admin_unknownDivision')));

/** Every institution the bed services registered, each once, by name; null while they load. */
export function useInstitutions(): Institution[] | null {
  const [found, setFound] = useState<Institution[] | null>(null);
  useEffect(() => {
    void Promise.all(BED_SERVICE_NAMES.map((s) => json<Institution[]>('GET', `/api/${s}/institutions`).catch(() => [] as Institution[]))).then((lists) => {
      const byId = new Map<string, Institution>();
      for (const i of lists.flat()) if (!byId.has(i.id)) byId.set(i.id, { id: i.id, name: i.name, kind: i.kind });
      setFound([...byId.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')));
    });
  }, []);
  return found;
}

/**
 * The accounts a typed text means: those whose user name or display name it is exactly, else those
 * whose names contain it (the first ten).
 */
export async function findAccounts(text: string): Promise<Account[]> {
  const typed = text.trim();
  if (!typed) return [];
  const found = await json<Account[]>('GET', `/api/auth/users?${new URLSearchParams({ q: typed.slice(0, 100), limit: '20' })}`);
  const exact = found.filter((a) => a.username === typed.toLowerCase() || a.displayName === typed);
  return (exact.length > 0 ? exact : found).slice(0, 10);
}

/**
 * The accounts named by some ids (others, like a service's, are left out), by id: asked for before
 * the rows that name them are shown, so a row never shows a name as unknown while it is on its way.
 */
export async function accountsByIds(ids: readonly string[]): Promise<Map<string, Account>> {
  const wanted = [...new Set(ids.filter((id) => UUID.test(id)))].sort().slice(0, 200);
  if (wanted.length === 0) return new Map();
  const found = await json<Account[]>('GET', `/api/auth/users?ids=${wanted.join(',')}&limit=200`);
  return new Map(found.map((a) => [a.id, a]));
}

/** A temporary password people can read out: three groups of four, letters and digits both, no look-alike characters. */
export function temporaryPassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  for (;;) {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    const chars = [...bytes].map((b, i) => (i % 4 === 1 ? digits[b % digits.length]! : letters[b % letters.length]!));
    const text = [chars.slice(0, 4), chars.slice(4, 8), chars.slice(8)].map((g) => g.join('')).join('-');
    if (/[A-Za-z]/.test(text) && /[0-9]/.test(text)) return text;
  }
}

/** Why a password would be refused by the rules for new ones (10–200 characters, letters and digits), or ''. */
const passwordRule = (lang: Lang, password: string) => (password.length < 10 || password.length > 200 || !/[A-Za-z]/.test(password) || !/[0-9]/.test(password) ? t(lang, 'admin_passwordRule') : '');

/** The administrator's accounts: found by name, filtered by role and status, paged; created, changed, disabled and enabled, passwords reset. */
export function Accounts({ lang }: { lang: Lang }) {
  const self = loadSession()?.user.id ?? '';
  const institutions = useInstitutions();
  const [q, setQ] = useState('');
  const [role, setRole] = useState('');
  const [status, setStatus] = useState('');
  const [offset, setOffset] = useState(0);
  const [list, setList] = useState<Account[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState('');
  const [editing, setEditing] = useState<Account | 'new' | null>(null);
  const [notice, setNotice] = useState('');
  /** A temporary password just set, shown this once with whose it is. */
  const [secret, setSecret] = useState<{ account: Account; password: string } | null>(null);

  const load = async () => {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset), ...(q.trim() ? { q: q.trim().slice(0, 100) } : {}), ...(role ? { role } : {}), ...(status ? { status } : {}) });
    try {
      const found = await page<Account>(`/api/auth/users?${query}`);
      setList(found.items);
      setTotal(found.total);
      setError('');
    } catch (e) {
      setError(problemText(e));
    }
  };
  useEffect(() => {
    void load();
  }, [q, role, status, offset]);

  const institutionName = (id: string) => institutions?.find((i) => i.id === id)?.name ?? (institutions ? t(lang, 'admin_unknownInstitution') : '…');
  const scopeText = (a: Account) => (a.institutionId ? institutionName(a.institutionId) : a.divisionCode ? divisionName(lang, a.divisionCode) : '—');
  const said = (text: string) => {
    setSecret(null);
    setNotice(text);
  };

  const setEnabled = async (a: Account, enable: boolean) => {
    if (!confirm(fill(t(lang, enable ? 'admin_confirmEnable' : 'admin_confirmDisable'), { name: a.displayName }))) return;
    try {
      await json('POST', `/api/auth/users/${a.id}/${enable ? 'enable' : 'disable'}`, {});
      said(fill(t(lang, enable ? 'admin_enabledNotice' : 'admin_disabledNotice'), { name: a.displayName }));
      await load();
    } catch (e) {
      said(problemText(e));
    }
  };

  const resetSecondFactor = async (a: Account) => {
    if (!confirm(fill(t(lang, 'totp_confirmReset'), { name: a.displayName }))) return;
    try {
      await json('POST', `/api/auth/users/${a.id}/second-factor/reset`, {});
      said(fill(t(lang, 'totp_resetNotice'), { name: a.displayName }));
      await load();
    } catch (e) {
      said(problemText(e));
    }
  };

  const resetPassword = async (a: Account) => {
    if (!confirm(fill(t(lang, 'admin_confirmReset'), { name: a.displayName }))) return;
    const password = temporaryPassword();
    try {
      await json('POST', `/api/auth/users/${a.id}/password`, { password });
      setNotice('');
      setSecret({ account: a, password });
    } catch (e) {
      said(problemText(e));
    }
  };

  return (
    <main class="accounts">
      <section class="panel">
        <h2>{t(lang, 'admin_accounts')}</h2>
        <div class="filters account-filters">
          <label>{t(lang, 'admin_findAccount')}
            <input name="q" maxLength={100} placeholder={t(lang, 'admin_findAccountHint')} value={q} onInput={(e) => { setQ((e.target as HTMLInputElement).value); setOffset(0); }} />
          </label>
          <label>{t(lang, 'admin_filterRole')}
            <select name="role" value={role} onChange={(e) => { setRole((e.target as HTMLSelectElement).value); setOffset(0); }}>
              <option value="">{t(lang, 'admin_allRoles')}</option>
              {ROLES.map((r) => <option key={r} value={r}>{t(lang, `role_${r}`)}</option>)}
            </select>
          </label>
          <label>{t(lang, 'admin_filterStatus')}
            <select name="status" value={status} onChange={(e) => { setStatus((e.target as HTMLSelectElement).value); setOffset(0); }}>
              <option value="">{t(lang, 'all')}</option>
              <option value="enabled">{t(lang, 'admin_status_enabled')}</option>
              <option value="disabled">{t(lang, 'admin_status_disabled')}</option>
            </select>
          </label>
          <button type="button" data-action="new-account" onClick={() => { setEditing('new'); said(''); }}>{t(lang, 'admin_newAccount')}</button>
        </div>
      </section>

      {secret && (
        <section class="panel once" role="status" data-notice="temporary-password">
          <p>{fill(t(lang, 'admin_passwordSet'), { name: secret.account.displayName })}</p>
          <p class="temporary-password"><code translate={false}>{secret.password}</code></p>
          <p class="hint">{t(lang, 'admin_passwordOnce')}</p>
          <button type="button" class="secondary" onClick={() => setSecret(null)}>{t(lang, 'admin_passwordNoted')}</button>
        </section>
      )}
      {notice && <p class="panel notice" role="status">{notice}</p>}

      {editing && (
        <AccountForm
          lang={lang}
          institutions={institutions}
          account={editing === 'new' ? null : editing}
          self={editing !== 'new' && editing.id === self}
          onCancel={() => setEditing(null)}
          onSaved={(saved, password) => {
            setEditing(null);
            if (password) {
              setNotice('');
              setSecret({ account: saved, password });
            } else said(fill(t(lang, 'admin_savedNotice'), { name: saved.displayName }));
            void load();
          }}
        />
      )}

      <section class="panel account-list">
        {error && <p class="form-error" role="alert">{error}</p>}
        {list === null ? (
          <p>{t(lang, 'loading')}</p>
        ) : list.length === 0 ? (
          <p class="empty">{t(lang, q.trim() || role || status ? 'admin_noAccountsFound' : 'admin_noAccounts')}</p>
        ) : (
          <table class="accounts stack">
            <thead><tr><th>{t(lang, 'admin_displayName')}</th><th>{t(lang, 'username')}</th><th>{t(lang, 'admin_role')}</th><th>{t(lang, 'admin_scope')}</th><th>{t(lang, 'admin_status')}</th><th>{t(lang, 'totp_column')}</th><th>{t(lang, 'admin_actions')}</th></tr></thead>
            <tbody>
              {list.map((a) => (
                <tr key={a.id} data-account={a.username} data-enabled={a.enabled ? 'true' : 'false'}>
                  <td data-label={t(lang, 'admin_displayName')}><span>{a.displayName}{a.id === self && <span class="hint">{t(lang, 'admin_self')}</span>}</span></td>
                  <td data-label={t(lang, 'username')}><code translate={false}>{a.username}</code></td>
                  <td data-label={t(lang, 'admin_role')}>{t(lang, `role_${a.role}`)}</td>
                  <td data-label={t(lang, 'admin_scope')} class="scope">{scopeText(a)}</td>
                  <td data-label={t(lang, 'admin_status')} class="status">{t(lang, a.enabled ? 'admin_status_enabled' : 'admin_status_disabled')}</td>
                  <td data-label={t(lang, 'totp_column')} class="second-factor" data-second-factor={a.secondFactor ? 'true' : 'false'}>{t(lang, a.secondFactor ? 'totp_on' : 'totp_off')}</td>
                  <td data-label={t(lang, 'admin_actions')}>
                    <span class="row-actions">
                      <button type="button" class="secondary" data-action="edit" onClick={() => { setEditing(a); said(''); }}>{t(lang, 'admin_edit')}</button>
                      <button type="button" class="secondary" data-action="reset-password" onClick={() => void resetPassword(a)}>{t(lang, 'admin_resetPassword')}</button>
                      {a.id !== self && a.secondFactor && <button type="button" class="secondary" data-action="reset-second-factor" onClick={() => void resetSecondFactor(a)}>{t(lang, 'totp_reset')}</button>}
                      {a.id !== self && (a.enabled
                        ? <button type="button" class="danger" data-action="disable" onClick={() => void setEnabled(a, false)}>{t(lang, 'admin_disable')}</button>
                        : <button type="button" data-action="enable" onClick={() => void setEnabled(a, true)}>{t(lang, 'admin_enable')}</button>)}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager lang={lang} offset={offset} size={PAGE_SIZE} total={total} onOffset={setOffset} />
      </section>
    </main>
  );
}

/**
 * A new account, or changes to one: the role first, then the institution or division it needs,
 * each from a picker; a new account's first password is made up here and shown once.
 */
function AccountForm({ lang, institutions, account, self, onCancel, onSaved }: { lang: Lang; institutions: Institution[] | null; account: Account | null; self: boolean; onCancel: () => void; onSaved: (saved: Account, password?: string) => void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState(account?.displayName ?? '');
  const [role, setRole] = useState(account?.role ?? '');
  const [institutionId, setInstitutionId] = useState(account?.institutionId ?? '');
  const [divisionCode, setDivisionCode] = useState(account?.divisionCode ?? '');
  const [password, setPassword] = useState(() => (account ? '' : temporaryPassword()));
  const [busy, setBusy] = useState(false);
  const fields = useFieldErrors((n) => fill(t(lang, 'admin_fixFields'), { count: n }));
  const { field, error, show, clearOnEdit, formError, form } = fields;
  const scope = SCOPE[role];
  /** The inputs by the API's field names. */
  const inputOf: Record<string, string> = { username: 'acc-username', displayName: 'acc-display-name', role: 'acc-role', institutionId: 'acc-institution', divisionCode: 'acc-division', password: 'acc-password' };
  const ruleOf = (name: string) => t(lang, `admin_rule_${name}`);

  const check = (): Record<string, string> => {
    const found: Record<string, string> = {};
    if (!account && !/^[A-Za-z0-9._-]{3,60}$/.test(username.trim())) found[inputOf['username']!] = ruleOf('username');
    if (!displayName.trim()) found[inputOf['displayName']!] = ruleOf('displayName');
    if (!role) found[inputOf['role']!] = ruleOf('role');
    if (scope === 'institution' && !institutionId) found[inputOf['institutionId']!] = ruleOf('institutionId');
    if (scope === 'division' && !divisionCode) found[inputOf['divisionCode']!] = ruleOf('divisionCode');
    const weak = account ? '' : passwordRule(lang, password);
    if (weak) found[inputOf['password']!] = weak;
    return found;
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = check();
    if (Object.keys(found).length > 0) return show(found);
    const scoped = { ...(scope === 'institution' ? { institutionId } : {}), ...(scope === 'division' ? { divisionCode } : {}) };
    setBusy(true);
    try {
      if (!account) {
        const created = await json<Account>('POST', '/api/auth/users', { username: username.trim(), displayName: displayName.trim(), password, role, ...scoped });
        onSaved(created, password);
        return;
      }
      const changes = {
        ...(displayName.trim() !== account.displayName ? { displayName: displayName.trim() } : {}),
        ...(role !== account.role ? { role } : {}),
        ...(scope === 'institution' && institutionId !== account.institutionId ? { institutionId } : {}),
        ...(scope === 'division' && divisionCode !== account.divisionCode ? { divisionCode } : {}),
      };
      if (Object.keys(changes).length === 0) return show({}, t(lang, 'admin_nothingChanged'));
      onSaved(await json<Account>('PATCH', `/api/auth/users/${account.id}`, changes));
    } catch (e) {
      // The server's refusal beside the input it names, in words of this page.
      const named = e instanceof Problem ? (e.body.errors ?? []).filter((x) => inputOf[x.field]) : [];
      const taken = e instanceof Problem && e.status === 409 && e.body.type?.endsWith('/username-taken');
      if (taken) show({ [inputOf['username']!]: t(lang, 'problem_username-taken') });
      else if (named.length > 0) show(Object.fromEntries(named.map((x) => [inputOf[x.field]!, ruleOf(x.field)])));
      else show({}, problemText(e));
    } finally {
      setBusy(false);
    }
  };

  const kinds = [...new Set([...KINDS, ...(institutions ?? []).map((i) => i.kind)])];
  return (
    <form ref={form} class="panel account-form" data-form={account ? 'edit' : 'new'} onSubmit={(e) => void submit(e)} onInput={clearOnEdit} onChange={clearOnEdit} noValidate>
      <h3>{account ? fill(t(lang, 'admin_editAccount'), { name: account.displayName }) : t(lang, 'admin_newAccount')}</h3>
      <div class="field-grid wide">
        {!account && (
          <div>
            <label for="acc-username">{t(lang, 'username')}</label>
            <input {...field('acc-username')} name="username" autocomplete="off" maxLength={60} value={username} onInput={(e) => setUsername((e.target as HTMLInputElement).value)} />
            <p class="hint">{t(lang, 'admin_rule_username')}</p>
            {error('acc-username')}
          </div>
        )}
        <div>
          <label for="acc-display-name">{t(lang, 'admin_displayName')}</label>
          <input {...field('acc-display-name')} name="displayName" autocomplete="off" maxLength={100} placeholder={t(lang, 'admin_displayNameHint')} value={displayName} onInput={(e) => setDisplayName((e.target as HTMLInputElement).value)} />
          {error('acc-display-name')}
        </div>
        <div>
          <label for="acc-role">{t(lang, 'admin_role')}</label>
          <select {...field('acc-role')} name="role" value={role} disabled={self} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
            {!account && <option value="">{t(lang, 'admin_chooseRole')}</option>}
            {ROLES.map((r) => <option key={r} value={r}>{t(lang, `role_${r}`)}</option>)}
          </select>
          {self && <p class="hint">{t(lang, 'admin_ownRole')}</p>}
          {error('acc-role')}
        </div>
        {scope === 'institution' && (
          <div>
            <label for="acc-institution">{t(lang, 'admin_institution')}</label>
            <select {...field('acc-institution')} name="institutionId" value={institutionId} onChange={(e) => setInstitutionId((e.target as HTMLSelectElement).value)}>
              <option value="">{t(lang, institutions === null ? 'loading' : institutions.length === 0 ? 'admin_noInstitutions' : 'admin_chooseInstitution')}</option>
              {kinds.map((k) => {
                const here = (institutions ?? []).filter((i) => i.kind === k);
                return here.length === 0 ? null : (
                  <optgroup key={k} label={kindName(lang, k)}>
                    {here.map((i) => <option key={i.id} value={i.id}>{`${i.name}（${kindName(lang, i.kind)}）`}</option>)}
                  </optgroup>
                );
              })}
            </select>
            {error('acc-institution')}
          </div>
        )}
        {scope === 'division' && (
          <div>
            <label for="acc-division">{t(lang, 'admin_division')}</label>
            <select {...field('acc-division')} name="divisionCode" value={divisionCode} onChange={(e) => setDivisionCode((e.target as HTMLSelectElement).value)}>
              <option value="">{t(lang, 'admin_chooseDivision')}</option>
              <option value={`${PICKER_PROVINCE}0000`}>{wholeProvince(lang)}</option>
              {divisionChoices(null).map((d) => <option key={d.code} value={d.code}>{d.county ? `\u3000${d.name}` : d.name}</option>)}
            </select>
            {error('acc-division')}
          </div>
        )}
        {!account && (
          <div>
            <label for="acc-password">{t(lang, 'admin_firstPassword')}</label>
            <div class="row-inputs">
              <input {...field('acc-password')} name="password" class="grow" autocomplete="off" spellcheck={false} translate={false} maxLength={200} value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
              <button type="button" class="secondary" data-action="new-password" onClick={() => setPassword(temporaryPassword())}>{t(lang, 'admin_anotherPassword')}</button>
            </div>
            <p class="hint">{t(lang, 'admin_passwordRule')}</p>
            {error('acc-password')}
          </div>
        )}
      </div>
      {role === '' && !account && <p class="hint">{t(lang, 'admin_roleFirst')}</p>}
      <p class="form-error" role="alert">{formError}</p>
      <div class="actions">
        <button type="submit" disabled={busy}>{t(lang, account ? 'admin_save' : 'admin_create')}</button>
        <button type="button" class="secondary" onClick={onCancel}>{t(lang, 'admin_cancel')}</button>
      </div>
    </form>
  );
}
