/** Protection of personal information: encryption at rest, keyed look-up hashes, masks, and the append-only audit log. */
export * from './protector.js';
export * from './suite.js';
export * from './reseal.js';
export * from './masks.js';
export * from './audit.js';
export * from './audit-log.js';
export * from './audit-chain.js';
