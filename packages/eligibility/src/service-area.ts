import { failed, passed, unknown, type Check } from './check.js';
import type { ElderFacts } from './facts.js';

/** What eligibility needs to know about a provider: the division codes (GB/T 2260) it serves. */
export interface ServiceProvider {
  /** County codes it serves, or city codes (xxxx00) meaning every county of that city. */
  readonly serviceArea: readonly string[];
}

const DIVISION_CODE = /^\d{6}$/;

/**
 * The home address lies inside the provider's service area: the home division is listed itself,
 * or its city (first 4 digits + '00') is listed. Without a provider the check cannot be made and
 * the answer is unknown; a home known only to city level cannot be matched against counties.
 */
export function insideServiceArea(facts: ElderFacts, provider: ServiceProvider | undefined, label: string): Check {
  const code = facts.homeDivisionCode;
  if (code === undefined) return unknown('homeDivisionCode', `home division code not recorded (${label})`);
  if (!DIVISION_CODE.test(code)) {
    return unknown('homeDivisionCode', `home division code ${JSON.stringify(code)} is not 6 digits (${label})`);
  }
  if (!provider) {
    return unknown('homeDivisionCode', `no provider given: home division ${code} cannot be checked against a service area (${label})`);
  }
  const area = provider.serviceArea;
  const city = cityCode(code);
  const where = serviceAreaOutcome(code, area);
  if (where === 'listed') {
    return passed({ fact: 'homeDivisionCode', value: code, rule: `home division ${code} listed in the provider's service area (${label})` });
  }
  if (where === 'city-listed') {
    return passed({
      fact: 'homeDivisionCode',
      value: code,
      rule: `home division ${code} inside city ${city} listed in the provider's service area (${label})`,
    });
  }
  if (where === 'county-needed') {
    return unknown('homeDivisionCode', `home division ${code} is a city or province code: the county is needed (${label})`);
  }
  const rule = `home division ${code} outside the provider's service area [${area.join(', ')}] (${label})`;
  return failed([{ fact: 'homeDivisionCode', value: code, rule }], rule);
}

/**
 * Where a home division (6 digits) lies against a service area, as {@link insideServiceArea}
 * judges it: the only thing of a provider's service area its answer depends on, so callers judging
 * many providers may judge once per outcome (the failure's wording still lists the area).
 */
export function serviceAreaOutcome(homeDivisionCode: string, area: readonly string[]): 'listed' | 'city-listed' | 'county-needed' | 'outside' {
  if (area.length === 0) return homeDivisionCode.endsWith('00') ? 'county-needed' : 'outside';
  if (area.includes(homeDivisionCode)) return 'listed';
  if (area.includes(cityCode(homeDivisionCode))) return 'city-listed';
  if (homeDivisionCode.endsWith('00')) return 'county-needed';
  return 'outside';
}

/** The city-level division code of a county code: first 4 digits + '00'. */
export function cityCode(divisionCode: string): string {
  return `${divisionCode.slice(0, 4)}00`;
}
