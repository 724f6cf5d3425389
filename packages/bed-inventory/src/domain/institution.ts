import { parseCreditCode, provinceDivisionProblem, type DivisionTable } from '@fbl/codes';
import type { FieldError } from '@fbl/contracts';
import { checkAttributes, type Attributes } from './attributes.js';
import { CAPABILITIES, type BedTypePolicy, type Capability } from './policy.js';

/** What a provider says when it joins the network for one bed type. */
export interface InstitutionRegistration {
  name: string;
  /** 统一社会信用代码 (GB 32100). */
  creditCode: string;
  /** Why a legal early code that fails its check character is accepted; recorded. */
  creditCodeOverrideReason?: string;
  divisionCode: string;
  kind: string;
  ownership: 'public' | 'private';
  capabilities: string[];
  /** Divisions served by home services (county codes, or a city code for the whole city). */
  serviceArea: string[];
  /** Institutions with a green-channel (绿色通道) agreement, offered first. */
  greenChannelPartners: string[];
  /** The capacity it starts with. */
  units: UnitBatch[];
}

/** A number of like units. */
export interface UnitBatch {
  kind: 'bed' | 'slot';
  count: number;
  attributes: Attributes;
}

/** The checked registration, with the facts to store. */
export interface CheckedRegistration extends InstitutionRegistration {
  capabilities: Capability[];
  creditCodeOverridden: boolean;
}

/** Check a unit batch against the policy. */
export function checkUnitBatch(policy: BedTypePolicy, batch: UnitBatch, base: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!policy.unitKinds.includes(batch.kind)) {
    errors.push({ pointer: `${base}/kind`, reason: `${policy.title.en} capacity is counted in ${policy.unitKinds.join(' or ')}s, not ${batch.kind}s` });
  }
  if (!Number.isInteger(batch.count) || batch.count < 1) errors.push({ pointer: `${base}/count`, reason: 'must be a whole number of at least 1' });
  errors.push(...checkAttributes(policy, batch.attributes, `${base}/attributes`));
  return errors;
}

/**
 * Check a registration: the credit code's check character (with a recorded override for legal
 * early codes), division codes in use in the deployment's province (`province`, two digits),
 * the kind of institution this bed type allows, declared capabilities, a service area for home
 * beds, and the starting units. Every problem is named by its field.
 */
export function checkRegistration(
  policy: BedTypePolicy,
  input: InstitutionRegistration,
  divisions: DivisionTable,
  province: string,
): { ok: true; registration: CheckedRegistration } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const overrideReason = input.creditCodeOverrideReason;
  const credit = parseCreditCode(input.creditCode, overrideReason ? { allowChecksumOverride: { reason: overrideReason } } : {});
  if (!credit.ok) errors.push({ pointer: '/creditCode', reason: credit.reason });
  const placed = provinceDivisionProblem(input.divisionCode, province, divisions);
  if (placed !== undefined) errors.push({ pointer: '/divisionCode', reason: placed });
  if (!policy.institutionKinds.includes(input.kind)) {
    errors.push({ pointer: '/kind', reason: `must be one of ${policy.institutionKinds.join(', ')} for ${policy.title.en}` });
  }
  input.capabilities.forEach((c, i) => {
    if (!(CAPABILITIES as readonly string[]).includes(c)) errors.push({ pointer: `/capabilities/${i}`, reason: `must be one of ${CAPABILITIES.join(', ')}` });
  });
  input.serviceArea.forEach((code, i) => {
    const served = provinceDivisionProblem(code, province, divisions);
    if (served !== undefined) errors.push({ pointer: `/serviceArea/${i}`, reason: served });
  });
  if (policy.requiresServiceArea && input.serviceArea.length === 0) {
    errors.push({ pointer: '/serviceArea', reason: `${policy.title.en} providers must name the divisions they serve` });
  }
  input.units.forEach((batch, i) => errors.push(...checkUnitBatch(policy, batch, `/units/${i}`)));
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    registration: {
      ...input,
      capabilities: input.capabilities as Capability[],
      creditCode: credit.ok ? credit.code.value : input.creditCode,
      creditCodeOverridden: credit.ok && credit.code.checksumOverridden,
    },
  };
}
