import { useEffect, useState } from 'preact/hooks';
import { chinaDivisions } from '@fbl/codes';
import { json } from './api.js';
import type { AppliedFilter } from './dashboard-drill.js';
import { figureText, type MetricResult, type Row } from './dashboard-figures.js';
import { t, type Lang } from './i18n.js';

/** The 探访 target: every special-hardship elder visited every month. */
const TANFANG_TARGET = 1;

const value = (metrics: MetricResult[], metric: string, name: string) => metrics.find((m) => m.metric === metric)?.rows[0]?.values[name] ?? null;

/** The 探访 figures of the whole filter, from its counties (every elder and month is in one county). */
function tanfangTotal(rows: Row[]): { scheduled: number; visited: number; rate: number | null } {
  const scheduled = rows.reduce((n, r) => n + (r.values['scheduled'] ?? 0), 0);
  const visited = rows.reduce((n, r) => n + (r.values['visited'] ?? 0), 0);
  return { scheduled, visited, rate: scheduled === 0 ? null : visited / scheduled };
}

/** Whether a 探访 rate meets the 100 % target, as a badge. */
function TargetBadge({ lang, rate }: { lang: Lang; rate: number | null }) {
  if (rate === null) return null;
  const met = rate >= TANFANG_TARGET;
  return <span class={`badge${met ? ' ok' : ''}`} data-target={met ? 'met' : 'missed'}>{t(lang, met ? 'vfig_targetMet' : 'vfig_targetMissed')}</span>;
}

/**
 * Home beds as visits and the monthly 探访, for the dashboard's filter: visits done ÷ planned,
 * missed and late; government-bought hours delivered ÷ entitled; the 探访 rate against its
 * 100 % target by county; visits and hours by provider. 探访 are not of a bed type, so they are
 * asked for without one.
 */
export function VisitsPanel({ lang, metrics, filter, onError }: { lang: Lang; metrics: MetricResult[]; filter: AppliedFilter; onError: (e: unknown) => void }) {
  const [counties, setCounties] = useState<Row[] | null>(null);
  const [providers, setProviders] = useState<{ visits: Row[]; hours: Row[] } | null>(null);

  useEffect(() => {
    const base = { from: filter.from, to: filter.to, asOf: filter.asOf, ...(filter.division ? { division: filter.division } : {}) };
    const withBed = new URLSearchParams({ ...base, ...(filter.bedType ? { bedType: filter.bedType } : {}), groupBy: 'provider' }).toString();
    let gone = false;
    Promise.all([
      json<MetricResult>('GET', `/api/monitoring/metrics/tanfang-rate?${new URLSearchParams({ ...base, groupBy: 'county' }).toString()}`),
      json<MetricResult>('GET', `/api/monitoring/metrics/home-visits?${withBed}`),
      json<MetricResult>('GET', `/api/monitoring/metrics/home-care-hours?${withBed}`),
    ])
      .then(([tanfang, visits, hours]) => {
        if (gone) return;
        setCounties(tanfang.rows);
        setProviders({ visits: visits.rows, hours: hours.rows });
      })
      .catch((e: unknown) => !gone && onError(e));
    return () => {
      gone = true;
    };
  }, [filter]);

  const total = counties ? tanfangTotal(counties) : null;
  const providerKeys = providers ? [...new Set([...providers.visits, ...providers.hours].map((r) => r.key))] : [];
  const providerName = (key: string) => [...(providers?.visits ?? []), ...(providers?.hours ?? [])].find((r) => r.key === key && r.keyLabel)?.keyLabel ?? t(lang, 'analyst_unknown');
  const rowOf = (rows: Row[] | undefined, key: string) => rows?.find((r) => r.key === key)?.values ?? {};

  return (
    <section class="panel visits" data-panel="visits">
      <h3>{t(lang, 'vfig_title')}</h3>
      <section class="cards">
        <figure class="card" data-figure="home-visits-rate"><figcaption>{t(lang, 'vfig_doneRate')}</figcaption><strong>{figureText(lang, value(metrics, 'home-visits', 'rate'), 'rate')}</strong></figure>
        <figure class="card" data-figure="home-visits-missed"><figcaption>{t(lang, 'vfig_missed')}</figcaption><strong>{figureText(lang, value(metrics, 'home-visits', 'missed') ?? 0, 'count')}</strong></figure>
        <figure class="card" data-figure="home-visits-late"><figcaption>{t(lang, 'vfig_late')}</figcaption><strong>{figureText(lang, value(metrics, 'home-visits', 'late') ?? 0, 'count')}</strong></figure>
        <figure class="card" data-figure="hours-rate"><figcaption>{t(lang, 'vfig_hoursRate')}</figcaption><strong>{figureText(lang, value(metrics, 'home-care-hours', 'rate'), 'rate')}</strong></figure>
        <figure class="card" data-figure="tanfang-rate">
          <figcaption>{t(lang, 'vfig_tanfangRate')}</figcaption>
          <strong>{figureText(lang, total?.rate, 'rate')}</strong>
          <small class="target">{t(lang, 'vfig_target')} {figureText(lang, TANFANG_TARGET, 'rate')} <TargetBadge lang={lang} rate={total?.rate ?? null} /></small>
        </figure>
      </section>
      {filter.bedType && <p class="hint">{t(lang, 'vfig_tanfangNoBed')}</p>}
      <h4>{t(lang, 'vfig_byCounty')}</h4>
      {counties === null ? (
        <p>{t(lang, 'loading')}</p>
      ) : counties.length === 0 ? (
        <p class="empty">{t(lang, 'noData')}</p>
      ) : (
        <div class="table-scroll">
          <table class="figures" data-table="tanfang-by-county">
            <thead><tr><th>{t(lang, 'vfig_county')}</th><th>{t(lang, 'vfig_due')}</th><th>{t(lang, 'vfig_visited')}</th><th>{t(lang, 'vfig_tanfangRate')}</th><th>{t(lang, 'vfig_againstTarget')}</th></tr></thead>
            <tbody>
              {counties.map((r) => (
                <tr key={r.key} data-county={r.key}>
                  <td>{r.keyLabel ?? chinaDivisions.get(r.key)?.name ?? t(lang, 'analyst_unknown')}</td>
                  <td data-figure="scheduled">{figureText(lang, r.values['scheduled'], 'count')}</td>
                  <td data-figure="visited">{figureText(lang, r.values['visited'], 'count')}</td>
                  <td data-figure="rate">{figureText(lang, r.values['rate'], 'rate')}</td>
                  <td><TargetBadge lang={lang} rate={r.values['rate'] ?? null} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h4>{t(lang, 'vfig_byProvider')}</h4>
      {providers === null ? (
        <p>{t(lang, 'loading')}</p>
      ) : providerKeys.length === 0 ? (
        <p class="empty">{t(lang, 'noData')}</p>
      ) : (
        <div class="table-scroll">
          <table class="figures" data-table="visits-by-provider">
            <thead>
              <tr>
                <th>{t(lang, 'vfig_provider')}</th><th>{t(lang, 'vfig_planned')}</th><th>{t(lang, 'vfig_done')}</th><th>{t(lang, 'vfig_missed')}</th><th>{t(lang, 'vfig_late')}</th><th>{t(lang, 'vfig_doneRate')}</th><th>{t(lang, 'vfig_hoursRate')}</th>
              </tr>
            </thead>
            <tbody>
              {providerKeys.map((key) => {
                const v = rowOf(providers?.visits, key);
                const h = rowOf(providers?.hours, key);
                return (
                  <tr key={key}>
                    <td>{providerName(key)}</td>
                    <td data-figure="planned">{figureText(lang, v['planned'] ?? 0, 'count')}</td>
                    <td data-figure="done">{figureText(lang, v['done'] ?? 0, 'count')}</td>
                    <td data-figure="missed">{figureText(lang, v['missed'] ?? 0, 'count')}</td>
                    <td data-figure="late">{figureText(lang, v['late'] ?? 0, 'count')}</td>
                    <td data-figure="rate">{figureText(lang, v['rate'], 'rate')}</td>
                    <td data-figure="hours-rate">{figureText(lang, h['rate'], 'rate')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
