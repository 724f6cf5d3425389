/**
 * The bed domain shared by the five bed services (养老床位, 医疗床位, 家庭养老床位, 家庭病床,
 * 安宁疗护床位): institutions, capacity units, holds, stays, kept beds and episodes, one
 * persistence design, one HTTP API and one set of message handlers, specialised by a policy.
 */
export { bedService, type BedService } from './service.js';
export { BedInventory, type DischargeReasonCode } from './application/inventory.js';
export { BedQueries } from './adapters/db/bed-queries.js';
export { HomeVisits } from './application/visits.js';
export { BED_SEALED, sealedTablesOf } from './adapters/db/sealed.js';
export { catalogueFor, SERVICE_ITEMS, type ServiceItemCode } from './domain/visit-catalogue.js';
export * from './domain/policy.js';
export * from './domain/policies.js';
export type { InstitutionRegistration, UnitBatch } from './domain/institution.js';
export type { Attributes } from './domain/attributes.js';
export { readBedServiceConfig, readPolicy, runBedReseal, runBedService, type BedServiceConfig } from './runner.js';
