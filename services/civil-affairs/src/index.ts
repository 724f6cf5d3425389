/** The civil-affairs service (民政): elder registry, ability assessment, for processes that host it. */
export { civilAffairsService, type CivilAffairsService } from './app.js';
export { embeddedSecrets, newSecrets, secretsFromEnv, type Secrets } from './secrets.js';
