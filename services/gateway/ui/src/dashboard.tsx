import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'preact/hooks';
import { chinaDivisions } from '@fbl/codes';
import { PICKER_PROVINCE } from './division-picker.js';
import { download, json, Problem, problemText } from './api.js';
import { Count, figureText, MetricTable, type DrillTarget, type MetricInfo, type MetricResult, type Row } from './dashboard-figures.js';
import { DrillDown, type AppliedFilter } from './dashboard-drill.js';
import { VisitsPanel } from './dashboard-visits.js';
import { t, wordFor, type Lang } from './i18n.js';
import { stateLabel } from './timeline.js';

/**
 * The divisions an analyst may look at, as a picker offers them: the province's cities with their
 * counties, or one city with its counties, or one county; each by name.
 */
export function divisionChoices(scope: string | null): { code: string; name: string; county: boolean }[] {
  const cityWithCounties = (city: string) => {
    const c = chinaDivisions.get(city);
    return c ? [{ code: city, name: c.name, county: false }, ...chinaDivisions.countiesOf(city).map((d) => ({ code: d.code, name: d.name, county: true }))] : [];
  };
  if (!scope || scope === `${PICKER_PROVINCE}0000`) return chinaDivisions.citiesOf(`${PICKER_PROVINCE}0000`).flatMap((c) => cityWithCounties(c.code));
  const own = chinaDivisions.get(scope);
  if (own?.level === 'city') return cityWithCounties(scope);
  return own ? [{ code: scope, name: own.name, county: true }] : [];
}

echarts.use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

const BED_TYPES = ['care', 'medical', 'home-care', 'home-sick', 'hospice'];
const day = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The longest period the service answers for (three years of days). */
const MAX_PERIOD_DAYS = 3 * 366;

/** What is wrong with a period before it is sent, in the reader's language; null when nothing is. */
export function periodProblem(lang: Lang, from: string, to: string): string | null {
  if (!from || !to) return t(lang, 'needPeriod');
  if (!DATE.test(from) || !DATE.test(to) || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) return t(lang, 'analyst_badDate');
  if (from > to) return t(lang, 'badPeriod');
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 >= MAX_PERIOD_DAYS) return t(lang, 'analyst_periodTooLong');
  return null;
}

/** A refusal of the monitoring service, in the reader's language: each field (a date, the division) and what is wrong with it. */
export function filterProblem(lang: Lang, e: unknown): string {
  if (!(e instanceof Problem)) return problemText(e);
  if (e.status === 403) return t(lang, 'analyst_divisionForbidden');
  const errors = e.body.errors ?? [];
  if (errors.length === 0) return problemText(e);
  const reason = (text: string) =>
    /format "date"|date-time/.test(text) ? t(lang, 'analyst_badDate') : /at most/.test(text) ? t(lang, 'analyst_periodTooLong') : /on or before/.test(text) ? t(lang, 'badPeriod') : t(lang, 'analyst_badValue');
  return errors.map((x) => `${wordFor(lang, `analyst_field_${x.field}`) ?? t(lang, 'analyst_field_other')}：${reason(x.reason)}`).join('；');
}

/** The commission's dashboard: headline figures, the closed-loop rate by month, open referrals by stage, every metric; each count opens the referrals behind it. */
export function Dashboard({ lang, division: scope }: { lang: Lang; division: string | null }) {
  const today = new Date();
  const [from, setFrom] = useState(day(new Date(today.getTime() - 179 * 86_400_000)));
  const [to, setTo] = useState(day(today));
  const [division, setDivision] = useState(scope ?? '');
  const [bedType, setBedType] = useState('');
  const [infos, setInfos] = useState<MetricInfo[]>([]);
  const [metrics, setMetrics] = useState<MetricResult[] | null>(null);
  const [applied, setApplied] = useState<AppliedFilter | null>(null);
  const [monthly, setMonthly] = useState<Row[]>([]);
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const [exporting, setExporting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const chart = useRef<HTMLDivElement>(null);

  const query = () => new URLSearchParams({ from, to, ...(division ? { division } : {}), ...(bedType ? { bedType } : {}) }).toString();

  const load = async () => {
    const wrong = periodProblem(lang, from, to);
    if (wrong) return setError(wrong);
    setError(null);
    try {
      const [board, byMonth, definitions] = await Promise.all([
        json<{ filter: AppliedFilter; metrics: MetricResult[] }>('GET', `/api/monitoring/dashboard?${query()}`),
        json<MetricResult>('GET', `/api/monitoring/metrics/closed-loop?${query()}&groupBy=month`),
        infos.length > 0 ? Promise.resolve({ metrics: infos }) : json<{ metrics: MetricInfo[] }>('GET', '/api/monitoring/definitions'),
      ]);
      setInfos(definitions.metrics);
      setMetrics(board.metrics);
      setApplied({ from: board.filter.from, to: board.filter.to, ...(board.filter.division ? { division: board.filter.division } : {}), ...(board.filter.bedType ? { bedType: board.filter.bedType } : {}), asOf: board.filter.asOf });
      setMonthly(byMonth.rows);
      setDrill(null);
    } catch (e) {
      setError(filterProblem(lang, e));
    }
  };

  useEffect(() => {
    void load();
  }, []);

  useEffect(() => {
    if (!chart.current) return;
    const instance = echarts.getInstanceByDom(chart.current) ?? echarts.init(chart.current, undefined, { renderer: 'svg' });
    instance.setOption({
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      xAxis: { type: 'category', data: monthly.map((r) => r.key) },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [{ type: 'bar', name: t(lang, 'closedLoopRate'), data: monthly.map((r) => Math.round((r.values['rate'] ?? 0) * 1000) / 10), itemStyle: { color: '#2f6f9f' } }],
    });
    // Redrawn whenever its box changes size (a turned phone, a resized window).
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(chart.current);
    return () => observer.disconnect();
  }, [monthly, lang, metrics === null]);

  /** Download an export of the filter in the form (checked first), under the name the service gives it. */
  const exportFile = async (path: string) => {
    const wrong = periodProblem(lang, from, to);
    if (wrong) return setError(wrong);
    setError(null);
    setExporting(true);
    try {
      await download(`${path}${path.includes('?') ? '&' : '?'}${query()}`);
    } catch (e) {
      setError(filterProblem(lang, e));
    } finally {
      setExporting(false);
    }
  };

  const value = (metric: string, name: string) => metrics?.find((m) => m.metric === metric)?.rows[0]?.values[name] ?? null;
  const infoOf = (key: string) => infos.find((m) => m.key === key);
  const stages = metrics?.find((m) => m.metric === 'open-by-stage')?.rows ?? [];
  const placement = value('placement-time', 'medianMinutes');
  const loopTarget = (count: string): DrillTarget => ({ metric: 'closed-loop', count, title: `${infoOf('closed-loop')?.label[lang] ?? t(lang, 'closedLoopRate')} · ${infoOf('closed-loop')?.figures.find((f) => f.name === count)?.label[lang] ?? ''}` });
  const stageTarget = (stage: string, count: 'open' | 'urgent'): DrillTarget => ({ metric: 'open-by-stage', count, sub: stage, title: `${t(lang, 'openByStage')} · ${stateLabel(lang, stage)}${count === 'urgent' ? ` · ${t(lang, 'urgent')}` : ''}` });

  return (
    <main class="dashboard">
      <h2>{t(lang, 'dashboard')}</h2>
      <form class="filters" noValidate onSubmit={(e) => { e.preventDefault(); void load(); }}>
        <label>{t(lang, 'from')}<input type="date" name="from" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} /></label>
        <label>{t(lang, 'to')}<input type="date" name="to" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} /></label>
        <label>{t(lang, 'division')}
          <select name="division" value={division} onChange={(e) => setDivision((e.target as HTMLSelectElement).value)}>
            {(!scope || scope === `${PICKER_PROVINCE}0000`) && <option value="">{t(lang, 'wholeProvince')}</option>}
            {divisionChoices(scope).map((d) => <option key={d.code} value={d.code}>{d.county ? `\u3000${d.name}` : d.name}</option>)}
          </select>
        </label>
        <label>{t(lang, 'bedType')}
          <select name="bedType" value={bedType} onChange={(e) => setBedType((e.target as HTMLSelectElement).value)}>
            <option value="">{t(lang, 'all')}</option>
            {BED_TYPES.map((b) => <option key={b} value={b}>{t(lang, b)}</option>)}
          </select>
        </label>
        <button type="submit">{t(lang, 'apply')}</button>
        <button type="button" class="secondary" data-action="export-workbook" disabled={exporting} onClick={() => void exportFile('/api/monitoring/dashboard.xlsx')}>
          {exporting ? t(lang, 'analyst_exporting') : t(lang, 'analyst_exportWorkbook')}
        </button>
      </form>
      <p class="form-error" role="alert">{error ?? ''}</p>
      {metrics === null ? (
        <p>{t(lang, 'loading')}</p>
      ) : (
        <>
          <p class="hint">{t(lang, 'analyst_drillHint')}</p>
          <section class="cards">
            <figure class="card" data-figure="closed-loop-rate"><figcaption>{t(lang, 'closedLoopRate')}</figcaption><strong>{figureText(lang, value('closed-loop', 'rate'), 'rate')}</strong></figure>
            <figure class="card" data-figure="started"><figcaption>{t(lang, 'started')}</figcaption><strong><Count lang={lang} value={value('closed-loop', 'started') ?? 0} format="count" drill={loopTarget('started')} onDrill={setDrill} /></strong></figure>
            <figure class="card" data-figure="open"><figcaption>{t(lang, 'openReferrals')}</figcaption><strong><Count lang={lang} value={value('closed-loop', 'open') ?? 0} format="count" drill={loopTarget('open')} onDrill={setDrill} /></strong></figure>
            <figure class="card" data-figure="acceptance-rate"><figcaption>{t(lang, 'acceptanceRate')}</figcaption><strong>{figureText(lang, value('acceptance-rate', 'rate'), 'rate')}</strong></figure>
            <figure class="card" data-figure="placement"><figcaption>{t(lang, 'placementMedian')}</figcaption><strong>{figureText(lang, placement, 'minutes')}</strong></figure>
            <figure class="card" data-figure="nursing-share"><figcaption>{t(lang, 'nursingShare')}</figcaption><strong>{figureText(lang, value('capacity-now', 'nursingShare'), 'rate')}</strong></figure>
          </section>
          {drill && applied && <DrillDown key={`${drill.metric}:${drill.count}:${drill.sub ?? ''}`} lang={lang} target={drill} filter={applied} onClose={() => setDrill(null)} onError={(e) => setError(filterProblem(lang, e))} />}
          <section class="panel">
            <h3>{t(lang, 'byMonth')}</h3>
            <div ref={chart} class="chart" role="img" aria-label={t(lang, 'byMonth')} />
          </section>
          <section class="panel stages">
            <h3>{t(lang, 'openByStage')}</h3>
            {stages.length === 0 ? (
              <p>{t(lang, 'noData')}</p>
            ) : (
              <table>
                <thead><tr><th>{t(lang, 'stage')}</th><th>{t(lang, 'count')}</th><th>{t(lang, 'urgent')}</th></tr></thead>
                <tbody>
                  {stages.map((s) => (
                    <tr key={s.sub} data-stage={s.sub}>
                      <td>{stateLabel(lang, s.sub ?? '')}</td>
                      <td data-figure="open"><Count lang={lang} value={s.values['open']} format="count" drill={stageTarget(s.sub ?? '', 'open')} onDrill={setDrill} /></td>
                      <td data-figure="urgent"><Count lang={lang} value={s.values['urgent']} format="count" drill={stageTarget(s.sub ?? '', 'urgent')} onDrill={setDrill} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          {applied && <VisitsPanel lang={lang} metrics={metrics} filter={applied} onError={(e) => setError(filterProblem(lang, e))} />}
          <section class="panel all-metrics">
            <h3>{t(lang, 'analyst_allMetrics')}</h3>
            {infos.map((info) => (
              <details key={info.key} class="metric" data-metric={info.key}>
                <summary>{info.label[lang]}</summary>
                <MetricTable lang={lang} info={info} result={metrics.find((m) => m.metric === info.key)} onDrill={setDrill} />
                <button type="button" class="secondary small" data-action="export-csv" disabled={exporting} onClick={() => void exportFile(`/api/monitoring/metrics/${info.key}/csv?groupBy=${info.key === 'capacity-now' ? 'county' : 'month'}`)}>
                  {t(lang, 'exportCsv')}
                </button>
              </details>
            ))}
          </section>
        </>
      )}
    </main>
  );
}
