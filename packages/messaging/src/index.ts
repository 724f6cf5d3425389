/**
 * The bus port and its two adapters (Apache Kafka, in-process), the transactional outbox and
 * its relay, and the inbox consumer pipeline with retries and dead letters.
 */
export * from './bus.js';
export * from './outbox.js';
export * from './relay.js';
export * from './timers.js';
export * from './consumer.js';
export * from './kafka-bus.js';
export * from './in-process-bus.js';
export { sleep, backoffMs } from './backoff.js';
