import { ConfigError, readProcessConfig } from '@fbl/service-kit';
import { readFileSync } from 'node:fs';
import { checkRuleSet, type EntitlementRuleSet } from './domain/home-care-hours.js';
import { secretsFromEnv } from './secrets.js';

const secrets = secretsFromEnv(process.env);
if (!secrets) throw new ConfigError('civil-affairs needs AUTH_SECRET, PII_ENCRYPTION_KEY and PII_HASH_KEY (32 bytes, base64) to run alone');

/** Rule sets of government-bought home-care hours from `HOME_CARE_RULES_FILE` (a JSON array), checked; none when unset. */
function homeCareRules(file: string | undefined): EntitlementRuleSet[] {
  if (!file) return [];
  const sets = JSON.parse(readFileSync(file, 'utf8')) as EntitlementRuleSet[];
  if (!Array.isArray(sets)) throw new ConfigError('HOME_CARE_RULES_FILE must hold a JSON array of rule sets');
  for (const set of sets) {
    const problems = checkRuleSet(set);
    if (problems.length > 0) throw new ConfigError(`HOME_CARE_RULES_FILE, rule set ${String(set.version)}: ${problems.join('; ')}`);
  }
  return sets;
}

/** Configuration of the civil-affairs process, read once from the environment. */
export const config = { process: readProcessConfig(process.env, { port: 3107 }), secrets, options: { homeCareRules: homeCareRules(process.env.HOME_CARE_RULES_FILE) } };
