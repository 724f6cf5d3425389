import { chinaDivisions } from '@fbl/codes';
import { GB_T_42195_2022 } from '@fbl/scales';
import { useEffect, useState } from 'preact/hooks';
import { json, Problem } from './api.js';
import { levelName, REASONS, w } from './assessor-shared.js';
import { AssessorsAndDay, chinaToday, useFieldErrors } from './forms.js';
import { chinaTime, fill, type Lang } from './i18n.js';

/** An elder's record as an assessor sees it (whole identity). */
interface ElderView {
  elderRef: string;
  name?: string;
  idNumber?: string;
  gender: string;
  birthYear: number;
  /** Whole identity only: the birth date. */
  birthDate?: string;
  divisionCode: string;
  ability: { level: number; assessedOn: string } | null;
}

/** Age in completed years today (China) of someone born on `birthDate`, else by the birth year. */
function ageOf(elder: ElderView): number {
  const today = chinaToday();
  if (!elder.birthDate) return Number(today.slice(0, 4)) - elder.birthYear;
  const years = Number(today.slice(0, 4)) - Number(elder.birthDate.slice(0, 4));
  return today.slice(5) >= elder.birthDate.slice(5) ? years : years - 1;
}

/** What recording an assessment answers. */
export interface Saved {
  id: string;
  level: number;
  total: number;
  levelName: { zh: string; en: string };
  adjustmentsApplied: string[];
  rulesVersion: string;
}

/** The request an assessment answers, when it was asked for (the queue); none when the assessor starts one. */
export interface Asked {
  id: string;
  referralId: string | null;
  reason: string;
  requestedAt: string;
  dueAt: string;
}

/** English names of the items (the standard and `@fbl/scales` name them in Chinese). */
const ITEM_EN: Record<string, string> = {
  eating: 'Eating',
  grooming: 'Grooming',
  bathing: 'Bathing',
  dressingUpper: 'Dressing (upper body)',
  dressingLower: 'Dressing (trousers, shoes, socks)',
  urineControl: 'Urine control',
  bowelControl: 'Bowel control',
  toileting: 'Toileting',
  bedPositioning: 'Turning in bed',
  bedChairTransfer: 'Bed–chair transfer',
  walkingFlat: 'Walking on the flat',
  stairs: 'Stairs',
  orientationTime: 'Orientation in time',
  orientationPlace: 'Orientation in place',
  orientationPerson: 'Orientation to people',
  memory: 'Memory',
  understanding: 'Understanding',
  expression: 'Expression',
  aggression: 'Aggressive behaviour',
  depressiveSymptoms: 'Depressive symptoms',
  consciousness: 'Consciousness',
  vision: 'Vision',
  hearing: 'Hearing',
  dailyAffairs: 'Daily affairs',
  goingOut: 'Going out by transport',
  socialInteraction: 'Social interaction',
};

/** The items of GB/T 42195-2022 from `@fbl/scales`, the rules the API scores with, with the standard's words for each score. */
/** The grading clauses' own words for the adjustments (coma, diagnoses, care-risk events). */
const ADJUSTMENT_WORDS = GB_T_42195_2022.adjustments.wording;
const DIMENSIONS = Object.entries(GB_T_42195_2022.dimensions).map(([key, d]) => ({ key, items: d.items }));
const ITEMS = DIMENSIONS.flatMap((d) => d.items);
const FLAGS = ['coma', 'dementiaDiagnosis', 'otherPsychiatricDiagnosis'] as const;

type Errors = Record<string, string>;

/** The id of the input a field of the API's body is entered in. */
function inputOf(field: string): string | undefined {
  const [head, sub] = field.split('.');
  if (head === 'answers' && sub && ITEMS.some((i) => i.code === sub)) return `item-${sub}`;
  if (head === 'adjustments' && sub && (FLAGS as readonly string[]).concat('careRiskEventsLast30Days').includes(sub)) return `adj-${sub}`;
  if (head === 'assessors') return sub === '1' ? 'assessor-1' : 'assessor-0';
  if (head === 'reason') return 'reason';
  if (head === 'assessedOn') return 'assessed-on';
  return undefined;
}

/** The Chinese (or English) message for the API's English reason about an input. */
function messageFor(lang: Lang, id: string, reason: string): string {
  const chosen = id.startsWith('item-') || id === 'reason';
  if (/^is required|^missing/.test(reason)) return w(lang, chosen ? 'chooseValue' : 'required');
  if (/different assessors/.test(reason)) return w(lang, 'sameAssessor');
  if (id === 'adj-careRiskEventsLast30Days') return w(lang, 'wholeNumber');
  return w(lang, 'invalidValue');
}

/**
 * The GB/T 42195-2022 assessment of one elder: each item a choice among its scores in the
 * standard's words (so items scored in reverse, 攻击行为 1 = 未出现, are read, not guessed), the
 * adjustments, two assessors, the reason and the day. Started from a request of the queue or by
 * the assessor unprompted (then the reason is chosen here).
 */
export function AssessmentForm({ lang, elderRef, request, reason: initialReason, backLabel, onCancel, onSaved }: {
  lang: Lang;
  elderRef: string;
  request: Asked | null;
  reason: string;
  backLabel: string;
  onCancel: () => void;
  onSaved: (saved: Saved, elder: string) => void;
}) {
  const [elder, setElder] = useState<ElderView | null>(null);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [flags, setFlags] = useState<Record<string, boolean>>({});
  const [events, setEvents] = useState('0');
  const [assessors, setAssessors] = useState(['', '']);
  const [reason, setReason] = useState<string>((REASONS as readonly string[]).includes(initialReason) ? initialReason : '');
  const [assessedOn, setAssessedOn] = useState(chinaToday());
  const fields = useFieldErrors((n) => fill(w(lang, 'fixFields'), { n }));
  const { formError, form, show, field, error, clear } = fields;
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    json<ElderView>('GET', `/api/civil-affairs/elders/${elderRef}`).then(setElder, (e: unknown) =>
      show({}, e instanceof Problem && e.status === 403 ? w(lang, 'forbidden') : e instanceof Problem && e.status === 404 ? w(lang, 'notFound') : w(lang, 'failedLoad')),
    );
  }, [elderRef]);

  const check = (): Errors => {
    const found: Errors = {};
    for (const item of ITEMS) if (answers[item.code] === undefined) found[`item-${item.code}`] = w(lang, 'chooseValue');
    if (events.trim() !== '' && !/^\d{1,3}$/.test(events.trim())) found['adj-careRiskEventsLast30Days'] = w(lang, 'wholeNumber');
    assessors.forEach((name, i) => {
      if (!name.trim()) found[`assessor-${i}`] = w(lang, 'required');
    });
    // Two different assessors: the API decides, and its answer is shown under the second name.
    if (!reason) found['reason'] = w(lang, 'chooseValue');
    if (!assessedOn) found['assessed-on'] = w(lang, 'required');
    return found;
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = check();
    if (Object.keys(found).length > 0) return show(found);
    show({});
    setBusy(true);
    try {
      const saved = await json<Saved>('POST', `/api/civil-affairs/elders/${elderRef}/assessments`, {
        answers: Object.fromEntries(ITEMS.map((i) => [i.code, Number(answers[i.code])])),
        adjustments: { ...Object.fromEntries(FLAGS.filter((f) => flags[f]).map((f) => [f, true])), ...(events.trim() ? { careRiskEventsLast30Days: Number(events.trim()) } : {}) },
        assessors: [assessors[0]!.trim(), assessors[1]!.trim()],
        reason,
        assessedOn,
      });
      onSaved(saved, elder?.name ?? '');
    } catch (e) {
      if (!(e instanceof Problem)) return show({}, w(lang, 'failedLoad'));
      const placed: Errors = {};
      let unplaced = 0;
      for (const f of e.body.errors ?? []) {
        const id = inputOf(f.field);
        if (id) placed[id] ??= messageFor(lang, id, f.reason);
        else unplaced += 1;
      }
      const other = e.status === 403 ? w(lang, 'forbidden') : e.status === 404 ? w(lang, 'notFound') : unplaced > 0 || Object.keys(placed).length === 0 ? w(lang, 'invalidValue') : '';
      show(placed, other);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="assessor assessment" data-request={request?.id ?? ''} data-elder={elderRef}>
      <button type="button" class="secondary" onClick={onCancel}>{backLabel}</button>
      <h2>{w(lang, 'formTitle')}</h2>
      <section class="panel elder wrap">
        {elder ? (
          <p>
            <strong class="elder-name">{elder.name ?? ''}</strong>
            {' '}· {w(lang, `sex_${elder.gender}`)} · {fill(w(lang, 'age'), { age: ageOf(elder), year: elder.birthYear })}
            {elder.idNumber && <> · {w(lang, 'idNo')} {elder.idNumber}</>} · {chinaDivisions.get(elder.divisionCode)?.name ?? ''}
            {' '}· {w(lang, 'currentAbility')}: {elder.ability ? `${w(lang, 'levelResult')} ${elder.ability.level}（${levelName(lang, elder.ability.level)}，${elder.ability.assessedOn}）` : w(lang, 'none')}
          </p>
        ) : (
          <p>{formError || w(lang, 'loading')}</p>
        )}
        {request && (
          <p class="status">
            {w(lang, 'requestedAt')}: {chinaTime(lang, request.requestedAt)} · {w(lang, 'dueAt')}: {chinaTime(lang, request.dueAt)}
          </p>
        )}
      </section>
      <form ref={form} class="assessment-form" onSubmit={(e) => void submit(e)} noValidate>
        {DIMENSIONS.map((d) => (
          <section key={d.key} class="panel dimension" data-dimension={d.key}>
            <h3>{w(lang, d.key)}</h3>
            <div class="item-grid">
              {d.items.map((item) => {
                const id = `item-${item.code}`;
                return (
                  <fieldset key={item.code} {...field(id)} tabIndex={-1} class="score-item" data-item={item.code}>
                    <legend>{item.ref} {lang === 'zh' ? item.zh : (ITEM_EN[item.code] ?? item.zh)}</legend>
                    {item.description && <p class="hint">{item.description}</p>}
                    {item.note && <p class="hint">{fill(w(lang, 'note'), { text: item.note })}</p>}
                    <div class="score-options">
                      {item.wording.map((option) => (
                        <label key={option.score} class="check">
                          <input
                            type="radio"
                            name={item.code}
                            value={String(option.score)}
                            checked={answers[item.code] === String(option.score)}
                            onChange={() => {
                              setAnswers({ ...answers, [item.code]: String(option.score) });
                              clear(id);
                            }}
                          />
                          <span>{fill(w(lang, 'scoreOption'), { score: option.score, text: option.zh })}</span>
                        </label>
                      ))}
                    </div>
                    {error(id)}
                  </fieldset>
                );
              })}
            </div>
          </section>
        ))}
        <fieldset class="panel">
          <legend><strong>{w(lang, 'adjustments')}</strong></legend>
          {FLAGS.map((f) => (
            <label key={f} class="check">
              <input type="checkbox" id={`adj-${f}`} name={f} checked={flags[f] ?? false} onChange={(e) => setFlags({ ...flags, [f]: (e.target as HTMLInputElement).checked })} />
              {w(lang, f)}
            </label>
          ))}
          <p class="hint" id="adj-words-title">{w(lang, 'adjustmentWords')}</p>
          <ul class="hint standard-words" aria-labelledby="adj-words-title">
            <li>{ADJUSTMENT_WORDS.coma}</li>
            <li>{ADJUSTMENT_WORDS.diagnoses}</li>
            <li>{ADJUSTMENT_WORDS.careRiskEvents}</li>
          </ul>
          <label for="adj-careRiskEventsLast30Days">{w(lang, 'careRiskEventsLast30Days')}</label>
          <input {...field('adj-careRiskEventsLast30Days')} type="number" min={0} max={100} step={1} inputMode="numeric" name="careRiskEventsLast30Days" value={events} onInput={(e) => setEvents((e.target as HTMLInputElement).value)} />
          {error('adj-careRiskEventsLast30Days')}
        </fieldset>
        <AssessorsAndDay words={{ assessor1: w(lang, 'assessor1'), assessor2: w(lang, 'assessor2'), assessedOn: w(lang, 'assessedOn') }} assessors={assessors} onAssessors={setAssessors} assessedOn={assessedOn} onAssessedOn={setAssessedOn} fields={fields}>
          <div>
            <label for="reason">{w(lang, 'reason')}</label>
            <select {...field('reason')} name="reason" value={reason} onChange={(e) => setReason((e.target as HTMLSelectElement).value)}>
              <option value="">{w(lang, 'choose')}</option>
              {REASONS.map((r) => <option key={r} value={r}>{w(lang, `reason_${r}`)}</option>)}
            </select>
            {error('reason')}
          </div>
        </AssessorsAndDay>
        <p class="form-error" role="alert">{elder ? formError : ''}</p>
        <div class="actions">
          <button type="submit" disabled={busy}>{w(lang, busy ? 'saving' : 'save')}</button>
          <button type="button" class="secondary" onClick={onCancel}>{backLabel}</button>
        </div>
      </form>
    </main>
  );
}
