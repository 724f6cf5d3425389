/** The monitoring service (监测): the health commission's closed-loop metrics, for processes that host it. */
export { monitoringConsumer, monitoringService, SERVICE as MONITORING, type MonitoringOptions, type MonitoringService } from './app.js';
export { METRICS, METRIC_KEYS, OPEN_STAGES, READMISSION_DAYS, NURSING_SHARE_TARGETS, TANFANG_TARGET, VISIT_METRIC_KEYS, metricOf, type MetricKey } from './domain/definitions.js';
export { GROUPINGS, type Grouping } from './domain/periods.js';
export { MetricsQueries, metricStatement, type MetricQuery, type MetricResult, type MetricRow } from './application/queries.js';
export { replayTopics, type ReplayProgress } from './adapters/messages/replay.js';
