/** The medical-insurance service (医保): LTCI grading and authorisation, home sick bed filings, for processes that host it. */
export { medicalInsuranceService, type MedicalInsuranceOptions, type MedicalInsuranceService } from './app.js';
export { SEALED_TABLES as INSURANCE_SEALED } from './adapters/db/sealed.js';
export { DEFAULT_LTCI_POLICY, type LtciPolicy } from './domain/policy.js';
export { DEFAULT_INSURANCE_RULES, type InsuranceRules } from './domain/rules.js';
export { ltciPolicyFromEnv } from './settings.js';
