/**
 * The pure bed domain: policies, attributes, lifecycle rules, availability and institution
 * checks. No I/O, no clock. Who may have which bed (DOMAIN.md §4) is `@fbl/eligibility`.
 */
export * from './policy.js';
export * from './policies.js';
export * from './attributes.js';
export * from './lifecycle.js';
export * from './availability.js';
export * from './institution.js';
export * from './visit-catalogue.js';
export * from './visits.js';
export * from './visit-decider.js';
