import type { BedType } from '@fbl/contracts';

/** How one attribute of a capacity unit is written. */
export type AttributeSpec =
  | { type: 'boolean'; label: string }
  | { type: 'enum'; values: readonly string[]; label: string }
  | { type: 'text'; maxLength: number; label: string };

/** Capabilities an institution may declare (DOMAIN.md §10). */
export const CAPABILITIES = ['nursingType', 'dementiaUnit', 'integratedCare', 'ltciDesignated', 'palliative'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/**
 * What makes one bed type different from the others: its capacity model, the attributes its
 * units carry, and which lifecycle rules apply. Everything else is the shared inventory.
 * Numbers are configuration with defaults, never constants in the services.
 */
export interface BedTypePolicy {
  bedType: BedType;
  /** Service name, e.g. `care-beds`; also the prefix of its topics and HTTP routes. */
  service: string;
  /** Its own PostgreSQL schema. */
  dbSchema: string;
  title: { zh: string; en: string };
  /** `bed`: a physical bed; `slot`: a place in a home caseload. */
  unitKinds: readonly ('bed' | 'slot')[];
  /** Attributes units may carry; any other name is refused. */
  attributes: Readonly<Record<string, AttributeSpec>>;
  /** Kinds of institution that offer this bed type. */
  institutionKinds: readonly string[];
  /** Home beds serve an area: institutions must name the divisions they serve. */
  requiresServiceArea: boolean;
  /** Hours a hold lasts unless the request says otherwise. */
  holdHours: number;
  /** 留床: the bed is kept this many days while the resident is in hospital. */
  keptBed?: { days: number };
  /** 家庭病床: stays are episodes with reviews this many days apart. */
  episodes?: { reviewDays: number };
  /** 家庭养老床位: an admission carries a service plan. */
  servicePlan?: boolean;
  /** Home beds: service plans lay out visits that workers record at the elder's home (家庭养老床位, 家庭病床). */
  visits?: boolean;
}

/** Overrides of a policy's numbers from configuration. */
export interface PolicyOverrides {
  holdHours?: number;
  keptBedDays?: number;
  episodeReviewDays?: number;
}

/** A policy with configured numbers; refuses nonsense. */
export function configurePolicy(policy: BedTypePolicy, overrides: PolicyOverrides = {}): BedTypePolicy {
  const positive = (name: string, value: number | undefined) => {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new Error(`${policy.service}: ${name} must be a whole number ≥ 1, not ${value}`);
  };
  positive('holdHours', overrides.holdHours);
  positive('keptBedDays', overrides.keptBedDays);
  positive('episodeReviewDays', overrides.episodeReviewDays);
  return {
    ...policy,
    holdHours: overrides.holdHours ?? policy.holdHours,
    ...(policy.keptBed ? { keptBed: { days: overrides.keptBedDays ?? policy.keptBed.days } } : {}),
    ...(policy.episodes ? { episodes: { reviewDays: overrides.episodeReviewDays ?? policy.episodes.reviewDays } } : {}),
  };
}
