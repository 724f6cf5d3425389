import { useState } from 'preact/hooks';
import { page, problemText } from './api.js';
import { fill, t, wordFor, type Lang } from './i18n.js';
import { Pager } from './pager.js';
import { placeName } from './packet-view.js';

/** A candidate as civil affairs lists one to a planner: name, sex, age, county, the ID number masked. */
interface Candidate {
  elderRef: string;
  name: string;
  gender: 'male' | 'female';
  age: number;
  divisionCode: string;
  divisionName: string | null;
  idNumberMasked: string;
}

const w = (lang: Lang, key: string): string => wordFor(lang, `elderSearch_${key}`) ?? t(lang, key);
const PAGE = 10;

/**
 * Find an elder of the civil-affairs register by full name (civil affairs matches the whole name
 * through its blind index; each candidate shown is an audited read) and pick one from the
 * candidates: name, sex, age, county and masked ID number tell namesakes apart.
 */
export function FindElderByName({ lang, onPick }: { lang: Lang; onPick: (elderRef: string) => void }) {
  const [name, setName] = useState('');
  const [asked, setAsked] = useState('');
  const [offset, setOffset] = useState(0);
  const [found, setFound] = useState<{ items: Candidate[]; total: number } | null>(null);
  const [picked, setPicked] = useState('');
  const [message, setMessage] = useState('');

  const load = async (q: string, at: number) => {
    try {
      setFound(await page<Candidate>('/api/civil-affairs/elders/search', { q, limit: PAGE, offset: at }));
      setMessage('');
    } catch (e) {
      setFound(null);
      setMessage(problemText(e));
    }
  };
  const find = () => {
    const q = name.trim();
    setPicked('');
    setFound(null);
    if (!q) return setMessage(w(lang, 'nameRequired'));
    if (/[0-9]/.test(q)) return setMessage(w(lang, 'idAbove'));
    setAsked(q);
    setOffset(0);
    void load(q, 0);
  };

  return (
    <div class="find-elder">
      <div class="row-inputs">
        <label class="grow">{w(lang, 'byName')}
          <input
            name="elderName"
            autocomplete="off"
            maxLength={50}
            placeholder={w(lang, 'name')}
            value={name}
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
            // Enter finds (it must not send the referral form around it).
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                find();
              }
            }}
          />
        </label>
        <button type="button" class="secondary" data-action="find-elder" onClick={find}>{w(lang, 'find')}</button>
      </div>
      <p class="hint">{w(lang, 'hint')}</p>
      <p class="field-error" role="status">{message}</p>
      {found && (found.items.length === 0 ? (
        <p class="empty">{fill(w(lang, 'noneFound'), { q: asked })}</p>
      ) : (
        <>
          <p class="status">{fill(w(lang, 'found'), { n: found.total })}</p>
          <ul class="files candidates">
            {found.items.map((c) => (
              <li key={c.elderRef} class="wrap" data-elder={c.elderRef}>
                <strong class="elder-name">{c.name}</strong>
                <span>{t(lang, `sex_${c.gender}`)} · {fill(t(lang, 'ageNow'), { age: c.age })} · {placeName(c.divisionCode) || c.divisionName} · {c.idNumberMasked}</span>
                {picked === c.elderRef ? (
                  <span class="badge ok">{w(lang, 'chosen')}</span>
                ) : (
                  <button type="button" class="secondary" data-action="pick-elder" onClick={() => { setPicked(c.elderRef); onPick(c.elderRef); }}>{w(lang, 'choose')}</button>
                )}
              </li>
            ))}
          </ul>
          <Pager lang={lang} offset={offset} size={PAGE} total={found.total} onOffset={(at) => { setOffset(at); void load(asked, at); }} />
        </>
      ))}
    </div>
  );
}
