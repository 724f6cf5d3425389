/**
 * The commission's read side: metric figures, the dashboard, open and behind-time referrals. They
 * are SQL over the monitoring read model, kept with the database adapter.
 */
export { bedPeriodPieces, MetricsQueries, metricStatement, wholeMonths, type MetricQuery, type MetricResult, type MetricRow, type OpenReferral, type ReferralBehind } from '../adapters/db/metrics-queries.js';
