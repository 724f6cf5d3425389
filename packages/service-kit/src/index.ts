/**
 * What every service process shares: the HTTP server (problem+json, OpenAPI, health, readiness,
 * metrics), the service runtime (outbox, relay, consumers, jobs), configuration, and the runner
 * that hosts one service or all of them.
 */
export * from './problem.js';
export * from './period.js';
export * from './http-server.js';
export * from './service.js';
export * from './config.js';
export * from './process.js';
export * from './pipeline.js';
export * from './reseal-command.js';
export * from './audit-chain-job.js';
export * from './audit-log-command.js';
