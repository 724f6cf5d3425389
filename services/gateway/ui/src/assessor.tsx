import { GB_T_42195_2022 } from '@fbl/scales';
import { shandongDivisions } from '@fbl/codes';
import { useEffect, useState } from 'preact/hooks';
import { json, Problem } from './api.js';
import { AssessorsAndDay, chinaToday, useFieldErrors } from './forms.js';
import { RegisterElder } from './register-elder.js';
import { chinaTime, dictionary, type Lang } from './i18n.js';

/** One open request of the assessors' queue (`GET /api/civil-affairs/assessment-requests`). */
interface AssessmentRequest {
  id: string;
  elderRef: string;
  referralId: string | null;
  reason: string;
  divisionCode: string;
  requestedAt: string;
  dueAt: string;
  overdue: boolean;
}
/** An elder's record as an assessor sees it (whole identity). */
interface ElderView {
  elderRef: string;
  name?: string;
  idNumber?: string;
  gender: string;
  birthYear: number;
  divisionCode: string;
  ability: { level: number; assessedOn: string } | null;
}
/** What recording an assessment answers. */
interface Saved {
  id: string;
  level: number;
  total: number;
  levelName: { zh: string; en: string };
  adjustmentsApplied: string[];
  rulesVersion: string;
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

/**
 * The items of GB/T 42195-2022 from `@fbl/scales`, the rules the API scores with: codes, Chinese
 * names and the scores allowed (0…max).
 */
const DIMENSIONS = Object.entries(GB_T_42195_2022.dimensions).map(([key, d]) => ({
  key,
  items: d.items.map((item) => ({ code: item.code, zh: item.zh, en: ITEM_EN[item.code] ?? item.code, max: Math.max(...item.allowed) })),
}));
const ITEMS = DIMENSIONS.flatMap((d) => d.items);
const REASONS = ['first', 'routine', 'immediate', 'review', 'other'] as const;
const FLAGS = ['coma', 'dementiaDiagnosis', 'otherPsychiatricDiagnosis'] as const;

const w = dictionary(
  {
    queue: '评估任务',
    queueHint: '民政能力评估申请，按办理期限排列（最紧急在前）',
    emptyQueue: '暂无待办评估任务',
    forReferral: '转诊资格评估',
    noReferral: '评估申请',
    referral: '关联转诊',
    requestedAt: '申请时间',
    dueAt: '办理期限',
    overdueBadge: '已逾期',
    elder: '老人',
    elderNo: '老人编号',
    elderHint: '身份信息在录入评估时调阅（调阅留痕）',
    record: '录入能力评估',
    formTitle: '老年人能力评估（GB/T 42195-2022）',
    selfCare: '自理能力',
    basicMobility: '基础运动能力',
    mentalState: '精神状态',
    perceptionSocial: '感知觉与社会参与',
    scoreRange: '分值',
    choose: '请选择',
    adjustments: '等级调整因素',
    coma: '处于昏迷状态',
    dementiaDiagnosis: '确诊痴呆（F00–F03）',
    otherPsychiatricDiagnosis: '确诊其他精神和行为障碍（F04–F99）',
    careRiskEventsLast30Days: '近 30 天照护风险事件次数（跌倒、噎食、自杀自伤、走失）',
    assessor1: '评估员一（姓名）',
    assessor2: '评估员二（姓名）',
    reason: '评估原因',
    reason_first: '首次评估',
    reason_routine: '常规评估',
    reason_immediate: '即时评估',
    reason_review: '复评',
    reason_other: '其他',
    assessedOn: '评估日期',
    save: '保存评估',
    saving: '正在保存…',
    cancel: '返回任务列表',
    chooseValue: '请选择',
    sameAssessor: '两名评估员须为不同人员',
    wholeNumber: '请输入 0 或以上的整数',
    invalidValue: '填写内容无效，请检查',
    fixFields: '请修正标出的 {n} 项后再保存',
    forbidden: '该老人不在您的辖区，无权评估',
    notFound: '民政系统中未找到该老人',
    saved: '评估已保存',
    total: '总分',
    levelResult: '能力等级',
    gender_male: '男',
    gender_female: '女',
    born: '出生年份',
    idNo: '身份证号',
    currentAbility: '现有评估',
    none: '无',
    failedLoad: '加载失败，请稍后重试',
  },
  {
    queue: 'Assessment requests',
    queueHint: 'Ability assessments asked of civil affairs, the most urgent first',
    emptyQueue: 'No assessment requests',
    forReferral: 'Eligibility for a referral',
    noReferral: 'Assessment request',
    referral: 'Referral',
    requestedAt: 'Requested',
    dueAt: 'Due',
    overdueBadge: 'Overdue',
    elder: 'Elder',
    elderNo: 'Elder record',
    elderHint: 'Identity is opened (and logged) when you record the assessment',
    record: 'Record ability assessment',
    formTitle: 'Ability assessment of an older adult (GB/T 42195-2022)',
    selfCare: 'Self-care',
    basicMobility: 'Basic mobility',
    mentalState: 'Mental state',
    perceptionSocial: 'Perception and social participation',
    scoreRange: 'score',
    choose: 'Choose',
    adjustments: 'Adjustments of the level',
    coma: 'In a coma',
    dementiaDiagnosis: 'Diagnosed dementia (F00–F03)',
    otherPsychiatricDiagnosis: 'Other diagnosed psychiatric disorder (F04–F99)',
    careRiskEventsLast30Days: 'Care-risk events in the last 30 days (falls, choking, self-harm, wandering)',
    assessor1: 'First assessor (name)',
    assessor2: 'Second assessor (name)',
    reason: 'Reason',
    reason_first: 'First assessment',
    reason_routine: 'Routine',
    reason_immediate: 'Immediate',
    reason_review: 'Review',
    reason_other: 'Other',
    assessedOn: 'Assessed on',
    save: 'Save assessment',
    saving: 'Saving…',
    cancel: 'Back to the requests',
    chooseValue: 'Please choose',
    sameAssessor: 'The two assessors must be different people',
    wholeNumber: 'Enter a whole number, 0 or more',
    invalidValue: 'Not valid; please check',
    fixFields: 'Correct the {n} marked fields, then save',
    forbidden: 'This elder is outside your division',
    notFound: 'The elder is not in the civil-affairs registry',
    saved: 'Assessment saved',
    total: 'Total',
    levelResult: 'Ability level',
    gender_male: 'male',
    gender_female: 'female',
    born: 'Born',
    idNo: 'ID number',
    currentAbility: 'Current assessment',
    none: 'none',
    failedLoad: 'Could not load; try again shortly',
  },
);

/** Today in China, `YYYY-MM-DD`. */
const divisionName = (code: string) => shandongDivisions.get(code)?.name ?? code;
/** A short reference: the end of a UUIDv7 (its start is a timestamp, alike for ids made together). */
const tail = (id: string) => id.slice(-8);

/** The civil-affairs assessor's workspace: the queue of assessment requests and the assessment form. */
export function Assessor({ lang, divisionCode }: { lang: Lang; divisionCode: string | null }) {
  const [queue, setQueue] = useState<AssessmentRequest[] | null>(null);
  const [open, setOpen] = useState<AssessmentRequest | null>(null);
  const [done, setDone] = useState<{ saved: Saved; elder: string } | null>(null);
  const [error, setError] = useState('');

  const load = async () => {
    try {
      setQueue(await json<AssessmentRequest[]>('GET', '/api/civil-affairs/assessment-requests'));
      setError('');
    } catch {
      setError(w(lang, 'failedLoad'));
    }
  };
  useEffect(() => {
    void load();
    const refresh = setInterval(() => void load(), 15_000);
    return () => clearInterval(refresh);
  }, [divisionCode]);

  if (open) {
    return (
      <AssessmentForm
        lang={lang}
        request={open}
        onCancel={() => setOpen(null)}
        onSaved={(saved, elder) => {
          setDone({ saved, elder });
          setOpen(null);
          void load();
        }}
      />
    );
  }
  return (
    <main class="assessor">
      <h2>{w(lang, 'queue')}{divisionCode && <span class="status"> · {divisionName(divisionCode)}</span>}</h2>
      <RegisterElder lang={lang} divisionCode={divisionCode} />
      {done && (
        <section class="panel assessment-result" role="status" data-level={done.saved.level}>
          <strong>{w(lang, 'saved')}</strong>
          <p>
            {done.elder} · {w(lang, 'levelResult')} <span class="level">{done.saved.level}</span>（{done.saved.levelName[lang]}）· {w(lang, 'total')} {done.saved.total} · {done.saved.rulesVersion}
          </p>
        </section>
      )}
      <p class="status">{w(lang, 'queueHint')}</p>
      <p class="form-error" role="alert">{error}</p>
      {queue === null ? (
        <p>{w(lang, 'loading')}</p>
      ) : queue.length === 0 ? (
        <p class="empty">{w(lang, 'emptyQueue')}</p>
      ) : (
        <ul class="offers requests">
          {queue.map((r) => (
            <li key={r.id} class={`offer wrap${r.overdue ? ' urgent' : ''}`} data-request={r.id} data-elder={r.elderRef} data-referral={r.referralId ?? ''}>
              <div class="offer-head">
                <strong>{w(lang, r.referralId ? 'forReferral' : 'noReferral')}</strong>
                <span class="status">{w(lang, `reason_${r.reason}`)}</span>
                {r.overdue && <span class="badge">{w(lang, 'overdueBadge')}</span>}
              </div>
              <p>
                {w(lang, 'requestedAt')}: {chinaTime(lang, r.requestedAt)} · {w(lang, 'dueAt')}: <span class="due">{chinaTime(lang, r.dueAt)}</span>
              </p>
              <p>
                {w(lang, 'elder')}: {divisionName(r.divisionCode)} · {w(lang, 'elderNo')} <code>{tail(r.elderRef)}</code>
                {r.referralId && <> · {w(lang, 'referral')} <code>{tail(r.referralId)}</code></>}
              </p>
              <div class="actions">
                <button type="button" onClick={() => { setDone(null); setOpen(r); }}>{w(lang, 'record')}</button>
                <span class="status">{w(lang, 'elderHint')}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

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

function AssessmentForm({ lang, request, onCancel, onSaved }: { lang: Lang; request: AssessmentRequest; onCancel: () => void; onSaved: (saved: Saved, elder: string) => void }) {
  const [elder, setElder] = useState<ElderView | null>(null);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [flags, setFlags] = useState<Record<string, boolean>>({});
  const [events, setEvents] = useState('0');
  const [assessors, setAssessors] = useState(['', '']);
  const [reason, setReason] = useState<string>((REASONS as readonly string[]).includes(request.reason) ? request.reason : '');
  const [assessedOn, setAssessedOn] = useState(chinaToday());
  const fields = useFieldErrors((n) => w(lang, 'fixFields').replace('{n}', String(n)));
  const { formError, form, show, field, error } = fields;
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    json<ElderView>('GET', `/api/civil-affairs/elders/${request.elderRef}`).then(setElder, (e: unknown) =>
      show({}, e instanceof Problem && e.status === 403 ? w(lang, 'forbidden') : e instanceof Problem && e.status === 404 ? w(lang, 'notFound') : w(lang, 'failedLoad')),
    );
  }, [request.elderRef]);

  const check = (): Errors => {
    const found: Errors = {};
    for (const item of ITEMS) if (answers[item.code] === undefined || answers[item.code] === '') found[`item-${item.code}`] = w(lang, 'chooseValue');
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
      const saved = await json<Saved>('POST', `/api/civil-affairs/elders/${request.elderRef}/assessments`, {
        answers: Object.fromEntries(ITEMS.map((i) => [i.code, Number(answers[i.code])])),
        adjustments: { ...Object.fromEntries(FLAGS.filter((f) => flags[f]).map((f) => [f, true])), ...(events.trim() ? { careRiskEventsLast30Days: Number(events.trim()) } : {}) },
        assessors: [assessors[0]!.trim(), assessors[1]!.trim()],
        reason,
        assessedOn,
      });
      onSaved(saved, elder?.name ?? tail(request.elderRef));
    } catch (e) {
      if (!(e instanceof Problem)) return show({}, w(lang, 'failedLoad'));
      const placed: Errors = {};
      const rest: string[] = [];
      for (const f of e.body.errors ?? []) {
        const id = inputOf(f.field);
        if (id) placed[id] ??= messageFor(lang, id, f.reason);
        else rest.push(`${f.field}: ${f.reason}`);
      }
      const other = e.status === 403 ? w(lang, 'forbidden') : e.status === 404 ? w(lang, 'notFound') : rest.length > 0 ? `${w(lang, 'invalidValue')}（${rest.join('; ')}）` : '';
      show(placed, other || (Object.keys(placed).length === 0 ? (e.body.detail ?? e.message) : ''));
    } finally {
      setBusy(false);
    }
  };


  return (
    <main class="assessor assessment" data-request={request.id} data-elder={request.elderRef}>
      <button type="button" class="secondary" onClick={onCancel}>{w(lang, 'cancel')}</button>
      <h2>{w(lang, 'formTitle')}</h2>
      <section class="panel elder wrap">
        {elder ? (
          <p>
            <strong class="elder-name">{elder.name ?? request.elderRef}</strong>
            {elder.gender && <> · {w(lang, `gender_${elder.gender}`)}</>} · {w(lang, 'born')} {elder.birthYear}
            {elder.idNumber && <> · {w(lang, 'idNo')} {elder.idNumber}</>} · {divisionName(elder.divisionCode)}
            {' '}· {w(lang, 'currentAbility')}: {elder.ability ? `${w(lang, 'levelResult')} ${elder.ability.level}（${elder.ability.assessedOn}）` : w(lang, 'none')}
          </p>
        ) : (
          <p>{formError || w(lang, 'loading')}</p>
        )}
        <p class="status">
          {w(lang, 'requestedAt')}: {chinaTime(lang, request.requestedAt)} · {w(lang, 'dueAt')}: {chinaTime(lang, request.dueAt)}
          {request.referralId && <> · {w(lang, 'referral')} <code>{tail(request.referralId)}</code></>}
        </p>
      </section>
      <form ref={form} class="assessment-form" onSubmit={(e) => void submit(e)} noValidate>
        {DIMENSIONS.map((d) => (
          <fieldset key={d.key} class="panel" data-dimension={d.key}>
            <legend><strong>{w(lang, d.key)}</strong></legend>
            <div class="field-grid">
              {d.items.map((item) => {
                const id = `item-${item.code}`;
                return (
                  <div key={item.code}>
                    <label for={id}>{lang === 'zh' ? item.zh : item.en}（{w(lang, 'scoreRange')} 0–{item.max}）</label>
                    <select {...field(id)} name={item.code} value={answers[item.code] ?? ''} onChange={(e) => setAnswers({ ...answers, [item.code]: (e.target as HTMLSelectElement).value })}>
                      <option value="">{w(lang, 'choose')}</option>
                      {Array.from({ length: item.max + 1 }, (_, v) => <option key={v} value={String(v)}>{v}</option>)}
                    </select>
                    {error(id)}
                  </div>
                );
              })}
            </div>
          </fieldset>
        ))}
        <fieldset class="panel">
          <legend><strong>{w(lang, 'adjustments')}</strong></legend>
          {FLAGS.map((f) => (
            <label key={f} class="check">
              <input type="checkbox" id={`adj-${f}`} name={f} checked={flags[f] ?? false} onChange={(e) => setFlags({ ...flags, [f]: (e.target as HTMLInputElement).checked })} />
              {w(lang, f)}
            </label>
          ))}
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
          <button type="button" class="secondary" onClick={onCancel}>{w(lang, 'cancel')}</button>
        </div>
      </form>
    </main>
  );
}
