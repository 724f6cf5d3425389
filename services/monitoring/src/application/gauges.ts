import { Gauge, type Registry } from 'prom-client';
import { chinaDay, DAY_MS } from '../domain/periods.js';
import type { MetricResult, MetricsQueries } from './queries.js';

/** The headline window: the last 30 days up to today (China Standard Time). */
export const HEADLINE_DAYS = 30;

/**
 * Prometheus gauges of the headline figures over the last 30 days, province-wide. They are
 * computed when scraped, at most once per `ttlMs` (scrapes in between get the last figures).
 */
export function registerHeadlineGauges(registry: Registry, queries: MetricsQueries, clock: () => Date, ttlMs = 30_000): void {
  let cached: { at: number; results: Promise<Map<string, MetricResult>> } | undefined;
  const headline = () => {
    const now = clock();
    if (!cached || now.getTime() - cached.at >= ttlMs) {
      const to = chinaDay(now);
      const from = chinaDay(new Date(now.getTime() - (HEADLINE_DAYS - 1) * DAY_MS));
      const results = queries.dashboard({ from, to, asOf: now }).then((all) => new Map(all.map((r) => [r.metric, r])));
      // A failed refresh is retried at the next scrape.
      results.catch(() => (cached = undefined));
      cached = { at: now.getTime(), results };
    }
    return cached.results;
  };
  const value = (results: Map<string, MetricResult>, metric: string, name: string) => results.get(metric)?.rows[0]?.values[name] ?? null;
  const registers = [registry];
  const single = (name: string, help: string, metric: string, field: string) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        const v = value(await headline(), metric, field);
        if (v === null) this.reset();
        else this.set(v);
      },
    });
  single('fbl_monitoring_closed_loop_rate', 'Closed-loop rate of referrals started in the last 30 days', 'closed-loop', 'rate');
  single('fbl_monitoring_referrals_started', 'Referrals started in the last 30 days', 'closed-loop', 'started');
  single('fbl_monitoring_acceptance_rate', 'Acceptance rate of offers made in the last 30 days', 'acceptance-rate', 'rate');
  single('fbl_monitoring_placement_median_minutes', 'Median minutes from start to arrival, referrals started in the last 30 days', 'placement-time', 'medianMinutes');
  single('fbl_monitoring_nursing_bed_share', 'Nursing-type share of care beds now', 'capacity-now', 'nursingShare');
  single('fbl_monitoring_dementia_beds', 'Dementia-care beds now', 'capacity-now', 'dementia');
  single('fbl_monitoring_escalated_referrals', 'Referrals escalated for the first time in the last 30 days', 'escalations', 'referrals');
  single('fbl_monitoring_home_visits_done_rate', 'Home beds’ visits done ÷ planned, windows ended in the last 30 days', 'home-visits', 'rate');
  single('fbl_monitoring_home_visits_missed', 'Home beds’ visits missed, windows ended in the last 30 days', 'home-visits', 'missed');
  single('fbl_monitoring_tanfang_rate', 'Monthly 探访 rate of the months starting in the last 30 days (target 1)', 'tanfang-rate', 'rate');
  const labelled = (name: string, help: string, metric: string, label: string, field: string) =>
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers,
      async collect() {
        const rows = (await headline()).get(metric)?.rows ?? [];
        this.reset();
        for (const r of rows) this.set({ [label]: r.sub ?? 'unknown' }, r.values[field] ?? 0);
      },
    });
  labelled('fbl_monitoring_open_referrals', 'Open referrals started in the last 30 days, by the stage where they are', 'open-by-stage', 'stage', 'open');
  labelled('fbl_monitoring_deadline_breaches', 'Deadline breaches in the last 30 days, by kind', 'deadline-breaches', 'kind', 'breaches');
}
