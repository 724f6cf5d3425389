import type { ScaleItem } from '../answers.js';
import type { Band } from '../bands.js';
import type { Versioned } from '../versions.js';

/** The four dimensions of GB/T 42195-2022. */
export type AbilityDimension = 'selfCare' | 'basicMobility' | 'mentalState' | 'perceptionSocial';

/** 老年人能力等级: 0 intact … 4 complete loss (higher = less able). */
export type AbilityLevel = 0 | 1 | 2 | 3 | 4;

/** What one allowed score of an item means, as the standard's table prints it (without the leading "4分："). */
export interface ScoreWording {
  readonly score: number;
  readonly zh: string;
}

/**
 * An item of the ability scale as the standard's appendix B prints it: its number (B.1.1), what it
 * assesses, an optional note, and the wording of every allowed score, so a form offers the
 * standard's words rather than bare numbers (some items count down: 攻击行为 1 = 未出现).
 */
export interface AbilityItem extends ScaleItem {
  /** The item's number in the standard's tables B.1–B.4, e.g. `B.1.1`. */
  readonly ref: string;
  /** What the item assesses, printed after its name (B.4.4 and B.4.5 print none). */
  readonly description?: string;
  /** The note (注) printed with the item. */
  readonly note?: string;
  /** Each allowed score's wording, in the table's order (highest score first); exactly the scores in `allowed`. */
  readonly wording: readonly ScoreWording[];
}

/** One dimension of the ability scale and its items. */
export interface AbilityDimensionRules {
  readonly zh: string;
  readonly en: string;
  readonly items: readonly AbilityItem[];
}

/**
 * How the level moves after the total is banded. Each condition present (dementia diagnosis,
 * other psychiatric diagnosis, care-risk events ≥ threshold) raises by `levelsPerCondition`;
 * the raise of all conditions together is capped at `maxRaise`, and the level never passes the
 * worst level in the bands. `maxRaise: 1` means "one raise when any applies"; a version reading
 * the standard as "one raise per condition" would set it to 3.
 */
export interface AbilityAdjustmentRules {
  /** The level of an elder in a coma, whatever the answers. */
  readonly comaLevel: AbilityLevel;
  /** Care-risk events (falls, choking, suicide or self-harm, wandering) in the last 30 days that raise the level. */
  readonly careRiskEventsThreshold: number;
  readonly levelsPerCondition: number;
  readonly maxRaise: number;
  /** The standard's own words for each adjustment, shown beside the question on the form. */
  readonly wording: { readonly coma: string; readonly diagnoses: string; readonly careRiskEvents: string };
}

/** A version of the ability assessment rules: items, level bands and adjustments, all data. */
export interface AbilityRules extends Versioned {
  readonly title: string;
  readonly dimensions: Readonly<Record<AbilityDimension, AbilityDimensionRules>>;
  /** Bands of the total (0–90 in GB/T 42195-2022) giving the base level. */
  readonly levels: readonly Band<AbilityLevel>[];
  readonly adjustments: AbilityAdjustmentRules;
}

/** The dimensions in the standard's order. */
export const ABILITY_DIMENSIONS: readonly AbilityDimension[] = ['selfCare', 'basicMobility', 'mentalState', 'perceptionSocial'];

/** Every item of the rules, dimension by dimension, in the standard's order. */
export function abilityItems(rules: AbilityRules): AbilityItem[] {
  return ABILITY_DIMENSIONS.flatMap((dimension) => rules.dimensions[dimension].items);
}
