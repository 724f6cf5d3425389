import { fill, pageWords, type Lang } from './i18n.js';
import { INDICATORS, ITEMS } from './ltci-items.js';

/**
 * The applicant's self-assessment (自评) of an LTCI application: the form the officer fills from
 * the applicant's sheet when applying, and the panel of the application's page that shows it as
 * 自评，仅供参考 beside the on-site grade. Advisory: it never refuses an application.
 */

/** The self-assessment's words (`sa_…` in the locale files), else the shared ones. */
const w = pageWords('sa');
/** The insurance officer's words, for what both say alike (item scores, indicators, grade names). */
const ins = pageWords('ins');

/** Who filled the self-assessment in: the applicant (本人), a guardian (监护人), an agent (委托代理人). */
const FILLED_BY = ['self', 'guardian', 'agent'] as const;

/** A self-assessment being filled in: `filledBy` and each item's score, as the selects hold them. */
export interface SelfAssessmentDraft {
  filledBy: string;
  answers: Record<string, string>;
}
export const EMPTY_DRAFT: SelfAssessmentDraft = { filledBy: '', answers: {} };

/** A self-assessment as the officer's view of an application carries it (medical insurance's `presentSelfAssessment`). */
export interface SelfAssessmentView {
  filledBy: string;
  answers: Record<string, number>;
  grade: number;
  preScreen: { belowThreshold: boolean; minGrade: number; proceedsToReview: boolean; onSiteGrade: number | null; gap: number | null; gradesDiffer: boolean };
}

const gradeText = (lang: Lang, grade: number) => `${grade}（${ins(lang, `grade_${grade}`)}）`;
const inputId = (code: string) => `sa-${code}`;

/** What is missing from a draft, by input id: who filled it in, and every item. */
export function draftErrors(lang: Lang, draft: SelfAssessmentDraft): Record<string, string> {
  const found: Record<string, string> = {};
  if (!draft.filledBy) found['sa-filled-by'] = w(lang, 'chooseFilledBy');
  for (const item of ITEMS) if (!draft.answers[item.code]) found[inputId(item.code)] = ins(lang, 'chooseValue');
  return found;
}

/** A complete draft as the API takes it. */
export function draftBody(draft: SelfAssessmentDraft) {
  return { filledBy: draft.filledBy, answers: Object.fromEntries(ITEMS.map((i) => [i.code, Number(draft.answers[i.code])])) };
}

/** The input of a field the API named (`selfAssessment.answers.feeding`, `selfAssessment.filledBy`), if it is one of this form's. */
export function selfInputOf(field: string): string | undefined {
  const [head, sub, code] = field.split('.');
  if (head !== 'selfAssessment') return undefined;
  if (sub === 'filledBy') return 'sa-filled-by';
  if (sub === 'answers' && code && ITEMS.some((i) => i.code === code)) return inputId(code);
  return undefined;
}

/** The self-assessment's fields in the new-application panel: who filled it in, and the 17 items (scores under the items' names: the standard's data here has no wording per score). */
export function SelfAssessmentFields({ lang, draft, onDraft, errors }: { lang: Lang; draft: SelfAssessmentDraft; onDraft: (draft: SelfAssessmentDraft) => void; errors: Record<string, string> }) {
  const attrs = (id: string) => ({ id, 'aria-invalid': errors[id] ? ('true' as const) : ('false' as const), 'aria-describedby': `${id}-error` });
  const error = (id: string) => <p id={`${id}-error`} class="field-error" role="alert">{errors[id] ?? ''}</p>;
  return (
    <fieldset class="self-assessment-form">
      <legend><strong>{w(lang, 'formTitle')}</strong></legend>
      <p class="hint">{w(lang, 'formHint')}</p>
      <div class="field-grid">
        <div>
          <label for="sa-filled-by">{w(lang, 'filledBy')}</label>
          <select {...attrs('sa-filled-by')} name="filledBy" value={draft.filledBy} onChange={(e) => onDraft({ ...draft, filledBy: (e.target as HTMLSelectElement).value })}>
            <option value="">{ins(lang, 'choose')}</option>
            {FILLED_BY.map((f) => <option key={f} value={f}>{w(lang, `filledBy_${f}`)}</option>)}
          </select>
          {error('sa-filled-by')}
        </div>
      </div>
      {INDICATORS.map((d) => (
        <fieldset key={d.key} data-indicator={d.key}>
          <legend>{ins(lang, d.key)}</legend>
          <div class="field-grid">
            {d.items.map((item) => (
              <div key={item.code}>
                <label for={inputId(item.code)}>{lang === 'zh' ? item.zh : item.en}</label>
                <select {...attrs(inputId(item.code))} name={`sa-${item.code}`} value={draft.answers[item.code] ?? ''} onChange={(e) => onDraft({ ...draft, answers: { ...draft.answers, [item.code]: (e.target as HTMLSelectElement).value } })}>
                  <option value="">{ins(lang, 'choose')}</option>
                  {item.allowed.map((v) => <option key={v} value={String(v)}>{fill(ins(lang, 'points'), { n: v })}</option>)}
                </select>
                {error(inputId(item.code))}
              </div>
            ))}
          </div>
        </fieldset>
      ))}
    </fieldset>
  );
}

/** The self-assessment on an application's page: its grade beside the first on-site grade, the pre-screen's flags, and the scores. */
export function SelfAssessmentPanel({ lang, self }: { lang: Lang; self: SelfAssessmentView }) {
  const { preScreen } = self;
  return (
    <section class="panel self-assessment" data-below={String(preScreen.belowThreshold)} data-differ={String(preScreen.gradesDiffer)}>
      <h3>{w(lang, 'title')}</h3>
      <table class="facts">
        <tbody>
          <tr data-fact="sa-grade"><th scope="row">{w(lang, 'selfGrade')}</th><td>{gradeText(lang, self.grade)} <span class="status">{w(lang, 'advisory')}</span></td></tr>
          <tr data-fact="sa-onsite"><th scope="row">{w(lang, 'onSiteGrade')}</th><td>{preScreen.onSiteGrade === null ? w(lang, 'notAssessed') : gradeText(lang, preScreen.onSiteGrade)}</td></tr>
          <tr data-fact="sa-filled-by"><th scope="row">{w(lang, 'filledBy')}</th><td>{w(lang, `filledBy_${self.filledBy}`)}</td></tr>
        </tbody>
      </table>
      {preScreen.belowThreshold && <p class="warning sa-below">{fill(w(lang, 'belowThreshold'), { min: preScreen.minGrade })}</p>}
      {preScreen.gradesDiffer && preScreen.gap !== null && <p class="warning sa-differ">{fill(w(lang, 'gradesDiffer'), { n: Math.abs(preScreen.gap) })}</p>}
      <details class="sa-answers">
        <summary>{w(lang, 'answers')}</summary>
        {INDICATORS.map((d) => (
          <p key={d.key} data-indicator={d.key}>
            <strong>{ins(lang, d.key)}</strong>
            {lang === 'zh' ? '：' : ': '}
            {d.items.map((i) => `${lang === 'zh' ? i.zh : i.en} ${fill(ins(lang, 'points'), { n: self.answers[i.code] ?? '' })}`).join(lang === 'zh' ? '，' : ', ')}
          </p>
        ))}
      </details>
    </section>
  );
}
