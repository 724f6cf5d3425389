import { NHSA_2021 } from '@fbl/scales';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { json, Problem } from './api.js';
import { AssessorsAndDay, chinaToday, useFieldErrors } from './forms.js';
import { chinaTime, dictionary, type Lang } from './i18n.js';

/** An LTCI application as an insurance officer sees it (`presentApplication` of medical insurance). */
interface Application {
  id: string;
  elderRef: string;
  status: string;
  source: string;
  referralIds: string[];
  appliedAt: string;
  appliedBy: string;
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
  endedAt: string | null;
  updatedAt: string;
}
interface Assessment {
  id: string;
  purpose: string;
  assessedOn: string;
  assessors: string[];
  grade: number;
  rulesVersion: string;
  recordedAt: string;
}
interface ApplicationDetail extends Application {
  assessments: Assessment[];
}
interface Graded extends Application {
  assessment: { id: string; grade: number; gradeName: { zh: string; en: string }; eligible: boolean; rulesVersion: string };
}

/** Statuses and refusal grounds of `services/medical-insurance/src/domain/application.ts`. */
const STATUSES = ['applied', 'accepted', 'refused', 'notice', 'objected', 'not-eligible', 'effective', 'in-benefit', 'reassessment-due', 'ended'];
const GROUNDS = ['not-insured', 'conditions-not-met', 'outside-fund-scope', 'materials-incomplete-or-false', 'other'];
/** Statuses in which an on-site assessment may be recorded (first, after an objection, periodic). */
const ASSESSABLE = ['accepted', 'objected', 'reassessment-due'];

/** English names of the items (the standard and `@fbl/scales` name them in Chinese). */
const ITEM_EN: Record<string, string> = {
  feeding: 'Feeding',
  bathing: 'Bathing',
  grooming: 'Grooming',
  dressing: 'Dressing',
  bowelControl: 'Bowel control',
  bladderControl: 'Bladder control',
  toiletUse: 'Toilet use',
  transfer: 'Bed–chair transfer',
  mobility: 'Walking on the flat',
  stairs: 'Stairs',
  timeOrientation: 'Orientation in time',
  personOrientation: 'Orientation to people',
  placeOrientation: 'Orientation in place',
  memory: 'Memory',
  vision: 'Vision',
  hearing: 'Hearing',
  communication: 'Communication',
};

/** The items of the NHSA 2021 LTCI disability scale from `@fbl/scales`, the rules the API grades with. */
const INDICATORS = Object.entries(NHSA_2021.indicators).map(([key, d]) => ({
  key,
  items: d.items.map((item) => ({ code: item.code, zh: item.zh, en: ITEM_EN[item.code] ?? item.code, allowed: [...item.allowed] })),
}));
const ITEMS = INDICATORS.flatMap((i) => i.items);

const w = dictionary(
  {
    queue: '长期护理保险申请',
    queueHint: '按申请时间排列（最早在前）',
    show: '显示',
    workQueue: '待处理（全部待办）',
    emptyQueue: '暂无待处理的申请',
    application: '长护险申请',
    appliedAt: '申请时间',
    elder: '老人编号',
    source: '来源',
    source_referral: '转诊发起',
    source_officer: '经办录入',
    referrals: '关联转诊',
    st_applied: '待受理',
    st_accepted: '已受理（待评估）',
    st_refused: '不予受理',
    st_notice: '评估结论公示中',
    st_objected: '有异议（待复评）',
    'st_not-eligible': '未达失能等级标准',
    st_effective: '待遇已生效',
    'st_in-benefit': '享受待遇中',
    'st_reassessment-due': '待复评估',
    st_ended: '待遇已终止',
    acceptApp: '受理',
    refuseApp: '不予受理',
    ground: '不予受理理由',
    chooseGround: '请选择不予受理理由',
    'ground_not-insured': '未参加长期护理保险',
    'ground_conditions-not-met': '不符合申请条件',
    'ground_outside-fund-scope': '不属于基金支付范围',
    'ground_materials-incomplete-or-false': '申请材料不全或不实',
    ground_other: '其他原因',
    details: '详情',
    assess: '录入失能评估',
    changed: '该申请的状态已变化，已刷新',
    failedLoad: '加载失败，请稍后重试',
    done_accepted: '已受理',
    done_refused: '已不予受理',
    grade: '失能等级',
    grade_0: '基本正常',
    grade_1: '轻度失能',
    grade_2: '中度失能',
    grade_3: '重度失能Ⅰ级',
    grade_4: '重度失能Ⅱ级',
    grade_5: '重度失能Ⅲ级',
    reapplyFrom: '可再次申请日期',
    noticeEndsAt: '公示截止',
    objectionReason: '异议理由',
    effectiveFrom: '待遇生效日期',
    careMode: '护理服务形式',
    benefitsFrom: '按服务形式支付起始日',
    reassessmentDueAt: '复评估时间',
    endReason: '终止原因',
    endedAt: '终止时间',
    updatedAt: '最近更新',
    assessments: '评估记录',
    noAssessments: '暂无评估记录',
    purpose: '评估类型',
    purpose_first: '首次评估',
    purpose_objection: '异议复评',
    purpose_reassessment: '到期复评估',
    assessedOn: '评估日期',
    assessorsCol: '评估人员',
    back: '返回申请列表',
    formTitle: '长期护理失能等级评估（医保办发〔2021〕37号）',
    dailyLiving: '日常生活活动能力',
    cognition: '认知能力',
    perception: '感知觉与沟通能力',
    choose: '请选择',
    chooseValue: '请选择',
    assessor1: '评估人员一（姓名）',
    assessor2: '评估人员二（姓名）',
    sameAssessor: '两名评估人员须为不同人员',
    future: '评估日期不能晚于今天',
    invalidValue: '填写内容无效，请检查',
    fixFields: '请修正标出的 {n} 项后再保存',
    save: '保存评估',
    saving: '正在保存…',
    gradedEligible: '达到待遇标准，进入公示',
    gradedNotEligible: '未达到待遇标准',
  },
  {
    queue: 'Long-term care insurance applications',
    queueHint: 'Oldest application first',
    show: 'Show',
    workQueue: 'Waiting on us (all)',
    emptyQueue: 'No applications waiting',
    application: 'LTCI application',
    appliedAt: 'Applied',
    elder: 'Elder',
    source: 'Source',
    source_referral: 'From a referral',
    source_officer: 'Entered by an officer',
    referrals: 'Referrals',
    st_applied: 'Awaiting acceptance',
    st_accepted: 'Accepted (to assess)',
    st_refused: 'Refused',
    st_notice: 'Result on public notice',
    st_objected: 'Objected (to re-assess)',
    'st_not-eligible': 'Below the disability threshold',
    st_effective: 'Benefits effective',
    'st_in-benefit': 'Receiving benefits',
    'st_reassessment-due': 'Re-assessment due',
    st_ended: 'Benefits ended',
    acceptApp: 'Accept',
    refuseApp: 'Refuse',
    ground: 'Ground of refusal',
    chooseGround: 'Choose a ground of refusal',
    'ground_not-insured': 'Not insured for LTCI',
    'ground_conditions-not-met': 'Conditions not met',
    'ground_outside-fund-scope': 'Outside the fund’s scope',
    'ground_materials-incomplete-or-false': 'Materials incomplete or false',
    ground_other: 'Other',
    details: 'Details',
    assess: 'Record disability assessment',
    changed: 'The application changed meanwhile; reloaded',
    failedLoad: 'Could not load; try again shortly',
    done_accepted: 'Accepted',
    done_refused: 'Refused',
    grade: 'Disability grade',
    grade_0: 'Basically normal',
    grade_1: 'Mild disability',
    grade_2: 'Moderate disability',
    grade_3: 'Severe disability I',
    grade_4: 'Severe disability II',
    grade_5: 'Severe disability III',
    reapplyFrom: 'May apply again from',
    noticeEndsAt: 'Notice ends',
    objectionReason: 'Objection',
    effectiveFrom: 'Benefits from',
    careMode: 'Care mode',
    benefitsFrom: 'Paid under the care mode from',
    reassessmentDueAt: 'Re-assessment due',
    endReason: 'Ended because',
    endedAt: 'Ended',
    updatedAt: 'Last change',
    assessments: 'Assessments',
    noAssessments: 'No assessments yet',
    purpose: 'Kind',
    purpose_first: 'First',
    purpose_objection: 'After an objection',
    purpose_reassessment: 'Periodic',
    assessedOn: 'Assessed on',
    assessorsCol: 'Assessors',
    back: 'Back to the applications',
    formTitle: 'LTCI disability assessment (NHSA 2021 No. 37)',
    dailyLiving: 'Activities of daily living',
    cognition: 'Cognition',
    perception: 'Perception and communication',
    choose: 'Choose',
    chooseValue: 'Please choose',
    assessor1: 'First assessor (name)',
    assessor2: 'Second assessor (name)',
    sameAssessor: 'The two assessors must be different people',
    future: 'The date must not be after today',
    invalidValue: 'Not valid; please check',
    fixFields: 'Correct the {n} marked fields, then save',
    save: 'Save assessment',
    saving: 'Saving…',
    gradedEligible: 'Meets the threshold: on public notice',
    gradedNotEligible: 'Below the threshold',
  },
);

/** A short reference: the end of a UUIDv7 (its start is a timestamp, alike for ids made together). */
const short = (id: string) => id.slice(-8);

/** A problem of a change, in the page's language. */
function problemText(lang: Lang, e: unknown): string {
  if (e instanceof Problem) return e.status === 409 ? w(lang, 'changed') : (e.body.detail ?? e.message);
  return w(lang, 'failedLoad');
}

/** The medical-insurance officer's workspace: the LTCI application queue, its decisions and details. */
export function Insurer({ lang, divisionCode }: { lang: Lang; divisionCode: string | null }) {
  const [status, setStatus] = useState('');
  const [list, setList] = useState<Application[] | null>(null);
  const [grounds, setGrounds] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{ id: string; text: string } | null>(null);
  const [loadError, setLoadError] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [assessing, setAssessing] = useState<Application | null>(null);

  const load = async (which = status) => {
    try {
      setList(await json<Application[]>('GET', `/api/medical-insurance/applications${which ? `?status=${which}` : ''}`));
      setLoadError('');
    } catch {
      setLoadError(w(lang, 'failedLoad'));
    }
  };
  useEffect(() => {
    void load();
    const refresh = setInterval(() => void load(), 15_000);
    return () => clearInterval(refresh);
  }, [status, divisionCode]);

  const decide = async (app: Application, kind: 'accept' | 'refuse') => {
    if (kind === 'refuse' && !grounds[app.id]) {
      setErrors({ ...errors, [app.id]: w(lang, 'chooseGround') });
      return;
    }
    setErrors({ ...errors, [app.id]: '' });
    try {
      const after = await json<Application>('POST', `/api/medical-insurance/applications/${app.id}/${kind}`, kind === 'accept' ? {} : { ground: grounds[app.id] });
      setNotice({
        id: app.id,
        text: `${w(lang, 'application')} ${short(app.id)}：${w(lang, `done_${after.status}`)}${after.refusalGround ? `（${w(lang, `ground_${after.refusalGround}`)}）` : ''}`,
      });
      await load();
    } catch (e) {
      setErrors({ ...errors, [app.id]: problemText(lang, e) });
      if (e instanceof Problem && e.status === 409) await load();
    }
  };

  const actions = (app: Application, withDetails: boolean) => (
    <>
      <div class="actions">
        {app.status === 'applied' && (
          <>
            <button type="button" onClick={() => void decide(app, 'accept')}>{w(lang, 'acceptApp')}</button>
            <label>
              {w(lang, 'ground')}
              <select name="ground" value={grounds[app.id] ?? ''} aria-invalid={errors[app.id] ? 'true' : 'false'} aria-describedby={`error-${app.id}`} onChange={(e) => setGrounds({ ...grounds, [app.id]: (e.target as HTMLSelectElement).value })}>
                <option value="">—</option>
                {GROUNDS.map((g) => <option key={g} value={g}>{w(lang, `ground_${g}`)}</option>)}
              </select>
            </label>
            <button type="button" class="secondary" onClick={() => void decide(app, 'refuse')}>{w(lang, 'refuseApp')}</button>
          </>
        )}
        {ASSESSABLE.includes(app.status) && <button type="button" onClick={() => { setNotice(null); setAssessing(app); }}>{w(lang, 'assess')}</button>}
        {withDetails && <button type="button" class="secondary" onClick={() => setOpen(app.id)}>{w(lang, 'details')}</button>}
      </div>
      <p id={`error-${app.id}`} class="field-error" role="alert">{errors[app.id] ?? ''}</p>
    </>
  );

  if (assessing) {
    return (
      <LtciAssessment
        lang={lang}
        app={assessing}
        onCancel={() => setAssessing(null)}
        onSaved={(graded) => {
          setNotice({
            id: graded.id,
            text: `${w(lang, 'application')} ${short(graded.id)}：${w(lang, 'grade')} ${graded.assessment.grade}（${graded.assessment.gradeName[lang]}）· ${w(lang, graded.assessment.eligible ? 'gradedEligible' : 'gradedNotEligible')} · ${w(lang, `st_${graded.status}`)}`,
          });
          setAssessing(null);
          void load();
        }}
      />
    );
  }
  if (open) return <Detail lang={lang} id={open} actions={(app) => actions(app, false)} onBack={() => { setOpen(null); void load(); }} />;

  return (
    <main class="insurer">
      <h2>{w(lang, 'queue')}</h2>
      <div class="filters">
        <label>
          {w(lang, 'show')}
          <select name="status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
            <option value="">{w(lang, 'workQueue')}</option>
            {STATUSES.map((s) => <option key={s} value={s}>{w(lang, `st_${s}`)}</option>)}
          </select>
        </label>
        <span class="status">{w(lang, 'queueHint')}</span>
      </div>
      {notice && <section class="panel decision" role="status" data-application={notice.id}>{notice.text}</section>}
      <p class="form-error" role="alert">{loadError}</p>
      {list === null ? (
        <p>{w(lang, 'loading')}</p>
      ) : list.length === 0 ? (
        <p class="empty">{w(lang, 'emptyQueue')}</p>
      ) : (
        <ul class="offers applications">
          {list.map((app) => (
            <li key={app.id} class="offer wrap" data-application={app.id} data-elder={app.elderRef} data-status={app.status}>
              <div class="offer-head">
                <strong>{w(lang, 'application')} <code>{short(app.id)}</code></strong>
                <span class="status app-status">{w(lang, `st_${app.status}`)}</span>
                {app.grade !== null && <span class="status">{w(lang, 'grade')} {app.grade}（{w(lang, `grade_${app.grade}`)}）</span>}
              </div>
              <p>
                {w(lang, 'appliedAt')}: {chinaTime(lang, app.appliedAt)} · {w(lang, 'elder')} <code>{app.elderRef}</code> · {w(lang, 'source')}: {w(lang, `source_${app.source}`)}
                {app.referralIds.length > 0 && <> · {w(lang, 'referrals')} {app.referralIds.map(short).join('、')}</>}
              </p>
              {actions(app, true)}
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

function Detail({ lang, id, actions, onBack }: { lang: Lang; id: string; actions: (app: Application) => ComponentChildren; onBack: () => void }) {
  const [app, setApp] = useState<ApplicationDetail | null>(null);
  const [error, setError] = useState('');
  const load = async () => {
    try {
      setApp(await json<ApplicationDetail>('GET', `/api/medical-insurance/applications/${id}`));
    } catch (e) {
      setError(problemText(lang, e));
    }
  };
  useEffect(() => {
    void load();
    const refresh = setInterval(() => void load(), 5000);
    return () => clearInterval(refresh);
  }, [id]);
  const time = (v: string | null) => (v ? chinaTime(lang, v) : null);
  const rows: [string, string | null][] = app
    ? [
        ['appliedAt', chinaTime(lang, app.appliedAt)],
        ['elder', app.elderRef],
        ['source', w(lang, `source_${app.source}`)],
        ['referrals', app.referralIds.length > 0 ? app.referralIds.join('、') : null],
        ['grade', app.grade !== null ? `${app.grade}（${w(lang, `grade_${app.grade}`)}）` : null],
        ['ground', app.refusalGround ? w(lang, `ground_${app.refusalGround}`) : null],
        ['reapplyFrom', app.reapplyFrom],
        ['noticeEndsAt', time(app.noticeEndsAt)],
        ['objectionReason', app.objectionReason],
        ['effectiveFrom', app.effectiveFrom],
        ['careMode', app.careMode],
        ['benefitsFrom', app.benefitsFrom],
        ['reassessmentDueAt', time(app.reassessmentDueAt)],
        ['endReason', app.endReason],
        ['endedAt', time(app.endedAt)],
        ['updatedAt', chinaTime(lang, app.updatedAt)],
      ]
    : [];
  return (
    <main class="insurer application" data-application={id}>
      <button type="button" class="secondary" onClick={onBack}>{w(lang, 'back')}</button>
      <p class="form-error" role="alert">{error}</p>
      {!app ? (
        !error && <p>{w(lang, 'loading')}</p>
      ) : (
        <>
          <h2>
            {w(lang, 'application')} <code>{short(app.id)}</code> · <span class="app-status" data-status={app.status}>{w(lang, `st_${app.status}`)}</span>
          </h2>
          <section class="panel">
            <table>
              <tbody>
                {rows.filter(([, v]) => v !== null).map(([k, v]) => <tr key={k}><th scope="row">{w(lang, k)}</th><td>{v}</td></tr>)}
              </tbody>
            </table>
            {actions(app)}
          </section>
          <section class="panel">
            <h3>{w(lang, 'assessments')}</h3>
            {app.assessments.length === 0 ? (
              <p>{w(lang, 'noAssessments')}</p>
            ) : (
              <table>
                <thead><tr><th>{w(lang, 'assessedOn')}</th><th>{w(lang, 'purpose')}</th><th>{w(lang, 'grade')}</th><th>{w(lang, 'assessorsCol')}</th></tr></thead>
                <tbody>
                  {app.assessments.map((a) => (
                    <tr key={a.id}>
                      <td>{a.assessedOn}</td>
                      <td>{w(lang, `purpose_${a.purpose}`)}</td>
                      <td>{a.grade}（{w(lang, `grade_${a.grade}`)}）</td>
                      <td>{a.assessors.join('、')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </main>
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

function LtciAssessment({ lang, app, onCancel, onSaved }: { lang: Lang; app: Application; onCancel: () => void; onSaved: (graded: Graded) => void }) {
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [assessors, setAssessors] = useState(['', '']);
  const [assessedOn, setAssessedOn] = useState(chinaToday());
  const fields = useFieldErrors((n) => w(lang, 'fixFields').replace('{n}', String(n)));
  const { formError, form, show, field, error } = fields;
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    for (const item of ITEMS) if (!answers[item.code]) found[`ltci-${item.code}`] = w(lang, 'chooseValue');
    assessors.forEach((name, i) => {
      if (!name.trim()) found[`assessor-${i}`] = w(lang, 'required');
    });
    // Two different assessors: the API decides, and its answer is shown under the second name.
    if (!assessedOn) found['assessed-on'] = w(lang, 'required');
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
      if (!(e instanceof Problem) || e.status !== 400) return show({}, problemText(lang, e));
      const placed: Record<string, string> = {};
      const rest: string[] = [];
      for (const f of e.body.errors ?? []) {
        const id = inputOf(f.field);
        if (!id) rest.push(`${f.field}: ${f.reason}`);
        else placed[id] ??= /^is required|^missing/.test(f.reason) ? w(lang, id.startsWith('ltci-') ? 'chooseValue' : 'required') : /different/.test(f.reason) ? w(lang, 'sameAssessor') : /future/.test(f.reason) ? w(lang, 'future') : w(lang, 'invalidValue');
      }
      show(placed, rest.length > 0 ? `${w(lang, 'invalidValue')}（${rest.join('; ')}）` : '');
    } finally {
      setBusy(false);
    }
  };


  return (
    <main class="insurer ltci-assessment" data-application={app.id}>
      <button type="button" class="secondary" onClick={onCancel}>{w(lang, 'back')}</button>
      <h2>{w(lang, 'formTitle')}</h2>
      <p class="status wrap">
        {w(lang, 'application')} <code>{short(app.id)}</code> · {w(lang, 'elder')} <code>{app.elderRef}</code> · {w(lang, `st_${app.status}`)}
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
                      {item.allowed.map((v) => <option key={v} value={String(v)}>{v}</option>)}
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
