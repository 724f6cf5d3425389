import { chinaDivisions } from '@fbl/codes';
import { t, wordFor, type Lang } from './i18n.js';
import { stateLabel } from './timeline.js';

/** A figure of a metric as the monitoring service describes it: its name, headings, format, and whether the referrals behind it can be listed. */
export interface FigureInfo {
  name: string;
  label: { zh: string; en: string };
  format: 'count' | 'rate' | 'minutes' | 'hours' | 'days';
  drillable: boolean;
}

/** A metric as `/api/monitoring/definitions` lists it. */
export interface MetricInfo {
  key: string;
  label: { zh: string; en: string };
  breakdown: string | null;
  figures: FigureInfo[];
}

export interface Row {
  key: string;
  keyLabel?: string;
  sub?: string;
  values: Record<string, number | null>;
}

export interface MetricResult {
  metric: string;
  rows: Row[];
}

/** A count someone asked to see the referrals of: which metric, which figure, which breakdown, and how they are named. */
export interface DrillTarget {
  metric: string;
  count: string;
  sub?: string;
  title: string;
}

/** A figure as people read it: a share as a percentage, minutes (or hours, past two), hours and days with one decimal, a whole count; a dash for none. */
export function figureText(lang: Lang, value: number | null | undefined, format: FigureInfo['format']): string {
  if (value === null || value === undefined) return '—';
  switch (format) {
    case 'rate':
      return `${(value * 100).toFixed(1)}%`;
    case 'minutes':
      return value >= 120 ? `${(value / 60).toFixed(1)} ${t(lang, 'hours')}` : `${value.toFixed(0)} ${t(lang, 'minutes')}`;
    case 'hours':
    case 'days':
      return value.toFixed(1);
    case 'count':
      return String(Math.round(value));
  }
}

const unknown = (lang: Lang) => t(lang, 'analyst_unknown');

/** A breakdown's value in words: a stage, a decline reason, a kind of breach, a pair of bed types or of counties. */
export function breakdownText(lang: Lang, breakdown: string | null, sub: string | undefined): string {
  if (sub === undefined) return '';
  const pair = (word: (part: string) => string) => sub.split('→').map(word).join(' → ');
  switch (breakdown) {
    case 'stage':
      return stateLabel(lang, sub);
    case 'reason':
      return wordFor(lang, `reason_${sub}`) ?? unknown(lang);
    case 'kind':
      return wordFor(lang, `analyst_breach_${sub}`) ?? unknown(lang);
    case 'pair':
      return /^\d/.test(sub) ? pair((c) => chinaDivisions.get(c)?.name ?? unknown(lang)) : pair((b) => wordFor(lang, b) ?? unknown(lang));
    case null:
    default:
      return sub;
  }
}

/** A count, as a button that lists the referrals behind it where there are any to list. */
export function Count({ lang, value, format, drill, onDrill }: { lang: Lang; value: number | null | undefined; format: FigureInfo['format']; drill?: DrillTarget | undefined; onDrill: (target: DrillTarget) => void }) {
  const text = figureText(lang, value, format);
  if (!drill || !value) return <>{text}</>;
  return (
    <button type="button" class="link drill-count" data-drill={`${drill.metric}:${drill.count}${drill.sub === undefined ? '' : `:${drill.sub}`}`} title={t(lang, 'analyst_drillHint')} onClick={() => onDrill(drill)}>
      {text}
    </button>
  );
}

/** One metric's figures as a table: a row per breakdown (or one row), a column per figure; counts open their referrals. */
export function MetricTable({ lang, info, result, onDrill }: { lang: Lang; info: MetricInfo; result: MetricResult | undefined; onDrill: (target: DrillTarget) => void }) {
  const rows: Row[] = result?.rows.length ? result.rows : info.breakdown ? [] : [{ key: 'total', values: {} }];
  if (rows.length === 0) return <p class="empty">{t(lang, 'noData')}</p>;
  const empty = !result?.rows.length;
  return (
    <div class="table-scroll">
      <table class="figures" data-metric={info.key}>
        <thead>
          <tr>
            {info.breakdown && <th>{t(lang, `analyst_breakdown_${info.breakdown}`)}</th>}
            {info.figures.map((f) => <th key={f.name}>{f.label[lang]}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const subText = breakdownText(lang, info.breakdown, r.sub);
            return (
              <tr key={r.sub ?? r.key} data-sub={r.sub}>
                {info.breakdown && <td>{subText}</td>}
                {info.figures.map((f) => {
                  // No row: nothing was counted, so the counts are 0 and the other figures have no value.
                  const value = empty ? (f.format === 'count' ? 0 : null) : r.values[f.name];
                  const title = [info.label[lang], f.label[lang], subText].filter(Boolean).join(' · ');
                  const drill = f.drillable ? { metric: info.key, count: f.name, ...(r.sub === undefined ? {} : { sub: r.sub }), title } : undefined;
                  return <td key={f.name} data-figure={f.name}><Count lang={lang} value={value} format={f.format} drill={drill} onDrill={onDrill} /></td>;
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
