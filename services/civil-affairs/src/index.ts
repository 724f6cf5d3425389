/** The civil-affairs service (民政): elder registry, ability assessment, for processes that host it. */
export { civilAffairsService, type CivilAffairsOptions, type CivilAffairsService } from './app.js';
export { DEFAULT_RULE_SETS as HOME_CARE_RULE_SETS, type EntitlementRuleSet } from './domain/home-care-hours.js';
export { SEALED_TABLES as CIVIL_AFFAIRS_SEALED } from './adapters/db/sealed.js';
export { embeddedSecrets, newSecrets, protectorKeysOf, sealingOf, secretsFromEnv, type Secrets } from './secrets.js';
