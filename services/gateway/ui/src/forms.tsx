import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';

/** Today in China (UTC+8), as a date input wants it. */
export const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * The errors of a form, by input id: `field(id)` wires an input to its error (aria), `error(id)`
 * renders the message under it, `show(found, other)` sets them, writes the summary (`summary(n)`
 * when nothing else is said) and moves the focus to the first wrong input.
 */
export function useFieldErrors(summary: (count: number) => string) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const form = useRef<HTMLFormElement>(null);
  const show = (found: Record<string, string>, other = '') => {
    setErrors(found);
    const n = Object.keys(found).length;
    setFormError(other || (n > 0 ? summary(n) : ''));
    const first = Object.keys(found)[0];
    if (first) setTimeout(() => form.current?.querySelector<HTMLElement>(`#${first}`)?.focus(), 0);
  };
  /** Forget one input's error (it was edited since); with the last one, the summary goes too. */
  const clear = (id: string) => {
    if (errors[id] === undefined) return;
    const { [id]: _gone, ...rest } = errors;
    setErrors(rest);
    if (Object.keys(rest).length === 0) setFormError('');
  };
  /** For a group of inputs: an edit forgets the error of the input (or the group with an id) it was made in. */
  const clearOnEdit = (e: Event) => {
    const id = (e.target as HTMLElement | null)?.closest('[id]')?.id;
    if (id) clear(id);
  };
  const field = (id: string) => ({ id, 'aria-invalid': errors[id] ? ('true' as const) : ('false' as const), 'aria-describedby': `${id}-error` });
  const error = (id: string) => <p id={`${id}-error`} class="field-error" role="alert">{errors[id] ?? ''}</p>;
  return { errors, formError, form, show, clear, clearOnEdit, field, error };
}

/** The two assessors' names and the day of an on-site assessment, with any further fields of the form. */
export function AssessorsAndDay(props: {
  words: { assessor1: string; assessor2: string; assessedOn: string };
  assessors: string[];
  onAssessors: (names: string[]) => void;
  assessedOn: string;
  onAssessedOn: (day: string) => void;
  fields: ReturnType<typeof useFieldErrors>;
  children?: ComponentChildren;
}) {
  const { field, error } = props.fields;
  return (
    <fieldset class="panel">
      <div class="field-grid">
        {[0, 1].map((i) => (
          <div key={i}>
            <label for={`assessor-${i}`}>{i === 0 ? props.words.assessor1 : props.words.assessor2}</label>
            <input {...field(`assessor-${i}`)} name={`assessor${i + 1}`} maxLength={50} autocomplete="off" value={props.assessors[i]} onInput={(e) => props.onAssessors(props.assessors.map((a, j) => (j === i ? (e.target as HTMLInputElement).value : a)))} />
            {error(`assessor-${i}`)}
          </div>
        ))}
        {props.children}
        <div>
          <label for="assessed-on">{props.words.assessedOn}</label>
          <input {...field('assessed-on')} type="date" name="assessedOn" max={chinaToday()} value={props.assessedOn} onInput={(e) => props.onAssessedOn((e.target as HTMLInputElement).value)} />
          {error('assessed-on')}
        </div>
      </div>
    </fieldset>
  );
}
