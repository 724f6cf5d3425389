/**
 * Every message and its schema, the envelope, topics and keys, and validation shared by HTTP
 * and messaging. Services import message definitions from here and nowhere else.
 */
export * from './envelope.js';
export * from './ids.js';
export * from './registry.js';
export * from './topics.js';
export * from './validation.js';
export * from './refusal.js';
export * from './messages/common.js';
export * from './messages/beds.js';
export * from './messages/referral.js';
export * from './messages/eligibility.js';
export * from './messages/insurance.js';
export * from './messages/visits.js';
export * from './messages/elder-rights.js';
export * from './messages/visit-timers.js';
export * from './packet/codes.js';
export * from './packet/schema.js';
export { allMessages } from './all-messages.js';
