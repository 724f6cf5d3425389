import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'preact/hooks';
import { shandongDivisions } from '@fbl/codes';
import { json, problemText, request } from './api.js';
import { t, type Lang } from './i18n.js';

/**
 * The divisions an analyst may look at, as a picker offers them: the province's cities with their
 * counties, or one city with its counties, or one county; each by name.
 */
export function divisionChoices(scope: string | null): { code: string; name: string; county: boolean }[] {
  const cityWithCounties = (city: string) => {
    const c = shandongDivisions.get(city);
    return c ? [{ code: city, name: c.name, county: false }, ...shandongDivisions.countiesOf(city).map((d) => ({ code: d.code, name: d.name, county: true }))] : [];
  };
  if (!scope || scope === '370000') return shandongDivisions.citiesOf('370000').flatMap((c) => cityWithCounties(c.code));
  const own = shandongDivisions.get(scope);
  if (own?.level === 'city') return cityWithCounties(scope);
  return own ? [{ code: scope, name: own.name, county: true }] : [];
}

echarts.use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

interface Row {
  key: string;
  sub?: string;
  values: Record<string, number | null>;
}
interface MetricResult {
  metric: string;
  rows: Row[];
}

const BED_TYPES = ['care', 'medical', 'home-care', 'home-sick', 'hospice'];
const day = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const percent = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

/** The commission's dashboard: headline figures, the closed-loop rate by month, open referrals by stage. */
export function Dashboard({ lang, division: scope }: { lang: Lang; division: string | null }) {
  const today = new Date();
  const [from, setFrom] = useState(day(new Date(today.getTime() - 179 * 86_400_000)));
  const [to, setTo] = useState(day(today));
  const [division, setDivision] = useState(scope ?? '');
  const [bedType, setBedType] = useState('');
  const [metrics, setMetrics] = useState<MetricResult[] | null>(null);
  const [monthly, setMonthly] = useState<Row[]>([]);
  const [error, setError] = useState<string | null>(null);
  const chart = useRef<HTMLDivElement>(null);

  const query = () => new URLSearchParams({ from, to, ...(division ? { division } : {}), ...(bedType ? { bedType } : {}) }).toString();

  const load = async () => {
    if (!from || !to) {
      setError(t(lang, 'needPeriod'));
      return;
    }
    if (from > to) {
      setError(t(lang, 'badPeriod'));
      return;
    }
    setError(null);
    try {
      const [board, byMonth] = await Promise.all([
        json<{ metrics: MetricResult[] }>('GET', `/api/monitoring/dashboard?${query()}`),
        json<MetricResult>('GET', `/api/monitoring/metrics/closed-loop?${query()}&groupBy=month`),
      ]);
      setMetrics(board.metrics);
      setMonthly(byMonth.rows);
    } catch (e) {
      setError(problemText(e));
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
  }, [monthly, lang]);

  const exportCsv = async () => {
    if (!from || !to) return setError(t(lang, 'needPeriod'));
    const response = await request('GET', `/api/monitoring/metrics/closed-loop/csv?${query()}&groupBy=month`);
    if (!response.ok) return;
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = `${t(lang, 'closedLoopRate')}_${from}_${to}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  };

  const value = (metric: string, name: string) => metrics?.find((m) => m.metric === metric)?.rows[0]?.values[name] ?? null;
  const stages = metrics?.find((m) => m.metric === 'open-by-stage')?.rows ?? [];
  const placement = value('placement-time', 'medianMinutes');

  return (
    <main class="dashboard">
      <h2>{t(lang, 'dashboard')}</h2>
      <form class="filters" onSubmit={(e) => { e.preventDefault(); void load(); }}>
        <label>{t(lang, 'from')}<input type="date" name="from" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} /></label>
        <label>{t(lang, 'to')}<input type="date" name="to" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} /></label>
        <label>{t(lang, 'division')}
          <select name="division" value={division} onChange={(e) => setDivision((e.target as HTMLSelectElement).value)}>
            {(!scope || scope === '370000') && <option value="">{t(lang, 'wholeProvince')}</option>}
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
        <button type="button" class="secondary" onClick={() => void exportCsv()}>{t(lang, 'exportCsv')}</button>
      </form>
      <p class="form-error" role="alert">{error ?? ''}</p>
      {metrics === null ? (
        <p>{t(lang, 'loading')}</p>
      ) : (
        <>
          <section class="cards">
            <figure class="card" data-figure="closed-loop-rate"><figcaption>{t(lang, 'closedLoopRate')}</figcaption><strong>{percent(value('closed-loop', 'rate'))}</strong></figure>
            <figure class="card" data-figure="started"><figcaption>{t(lang, 'started')}</figcaption><strong>{value('closed-loop', 'started') ?? 0}</strong></figure>
            <figure class="card" data-figure="open"><figcaption>{t(lang, 'openReferrals')}</figcaption><strong>{value('closed-loop', 'open') ?? 0}</strong></figure>
            <figure class="card" data-figure="acceptance-rate"><figcaption>{t(lang, 'acceptanceRate')}</figcaption><strong>{percent(value('acceptance-rate', 'rate'))}</strong></figure>
            <figure class="card" data-figure="placement"><figcaption>{t(lang, 'placementMedian')}</figcaption><strong>{placement === null ? '—' : placement >= 120 ? `${(placement / 60).toFixed(1)} ${t(lang, 'hours')}` : `${placement.toFixed(0)} ${t(lang, 'minutes')}`}</strong></figure>
            <figure class="card" data-figure="nursing-share"><figcaption>{t(lang, 'nursingShare')}</figcaption><strong>{percent(value('capacity-now', 'nursingShare'))}</strong></figure>
          </section>
          <section class="panel">
            <h3>{t(lang, 'byMonth')}</h3>
            <div ref={chart} class="chart" role="img" aria-label={t(lang, 'byMonth')} />
          </section>
          <section class="panel">
            <h3>{t(lang, 'openByStage')}</h3>
            {stages.length === 0 ? (
              <p>{t(lang, 'noData')}</p>
            ) : (
              <table>
                <thead><tr><th>{t(lang, 'stage')}</th><th>{t(lang, 'count')}</th><th>{t(lang, 'urgent')}</th></tr></thead>
                <tbody>
                  {stages.map((s) => <tr key={s.sub}><td>{t(lang, `stage_${s.sub}`)}</td><td>{s.values['open']}</td><td>{s.values['urgent']}</td></tr>)}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </main>
  );
}
