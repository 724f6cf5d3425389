/** Logging with personal-data redaction, trace context, and Prometheus metrics. */
export * from './logger.js';
export * from './lazy-child.js';
export * from './trace.js';
export * from './metrics.js';
