import { evaluateEligibility, type ElderFacts, type EligibilityResult } from '@fbl/eligibility';
import { distanceBand, type DivisionTable } from '@fbl/codes';
import type { BedTypeName, KnownFacts, Urgency } from './types.js';

/** One provider's capacity as the availability projection holds it. */
export interface ProviderAvailability {
  institutionId: string;
  bedType: BedTypeName;
  name: string;
  divisionCode: string;
  capabilities: string[];
  serviceArea: string[];
  greenChannelPartners: string[];
  units: { kind: 'bed' | 'slot'; attributes: Record<string, string | boolean>; free: number }[];
}

/** What matching is asked. */
export interface MatchRequest {
  bedTypes: BedTypeName[];
  requirements?: Record<string, string | boolean>;
  facts: KnownFacts;
  origin: { institutionId: string; divisionCode: string };
  urgency: Urgency;
  /** LTCI is authorised: only LTCI-designated (定点) providers of care and home care beds. */
  ltciFunded: boolean;
  excludeInstitutions: string[];
  /** The provider the sender chose: when it can take the elder it is the only candidate; otherwise the ranking goes as usual. */
  preferInstitutionId?: string;
  maxOffers: number;
  asOf: Date;
}

/** A ranked candidate, with why it ranks where it does. */
/** Why a candidate ranks where it does, as codes a screen can word in its own language. */
export type RankReason =
  | { code: 'green-channel-partner' }
  | { code: 'chosen-by-sender' }
  | { code: 'distance'; band: keyof typeof BAND_SCORE }
  | { code: 'first-choice-bed-type' }
  | { code: 'free-units'; count: number }
  | { code: 'eligible'; outcome: 'eligible' | 'unknown'; variant?: string }
  | { code: 'missing-fact'; fact: string };

export interface Candidate {
  institutionId: string;
  bedType: BedTypeName;
  name: string;
  score: number;
  free: number;
  /** The reasons in English words, for logs and API readers. */
  reasons: string[];
  /** The same reasons as codes. */
  why: RankReason[];
}

/** Why a bed type or provider is left out, as codes a screen can word (the facts that failed a rule). */
export type ExclusionReason = { code: 'no-provider' } | { code: 'no-free-unit' } | { code: 'not-ltci-designated' } | { code: 'not-eligible'; facts: string[] };

/** A bed type or provider left out, and why. */
export interface Exclusion {
  bedType: BedTypeName;
  institutionId?: string;
  /** The provider's name, when a provider is left out. */
  name?: string;
  /** The reasons in English words (the rules' own wording). */
  reasons: string[];
  /** The same, as a code. */
  why: ExclusionReason;
}

/** The outcome of one matching run: stored, so a planner sees why each bed ranks or is missing. */
export interface MatchResult {
  candidates: Candidate[];
  excluded: Exclusion[];
}

const BAND_SCORE = { 'same-county': 300, 'same-city': 200, 'same-province': 100, elsewhere: 0 } as const;
const BAND_WORDS = { 'same-county': 'same county', 'same-city': 'same city', 'same-province': 'same province', elsewhere: 'outside the province' } as const;
const LTCI_BED_TYPES: readonly BedTypeName[] = ['care', 'home-care'];

function freeMatching(p: ProviderAvailability, requirements: Record<string, string | boolean> = {}): number {
  return p.units.filter((u) => Object.entries(requirements).every(([k, v]) => u.attributes[k] === v)).reduce((n, u) => n + u.free, 0);
}

function eligibilityOf(results: EligibilityResult[]): { ok: boolean; reasons: string[]; why: RankReason[]; failed: string[] } {
  const usable = results.filter((r) => r.outcome !== 'not-eligible');
  if (usable.length > 0) {
    const missing = usable.flatMap((r) => r.missing.map((m) => `missing ${String(m.fact)}: ${m.why}`));
    const why: RankReason[] = [
      ...usable.map((r): RankReason => ({ code: 'eligible', outcome: r.outcome as 'eligible' | 'unknown', ...(r.variant ? { variant: r.variant } : {}) })),
      ...usable.flatMap((r) => r.missing.map((m): RankReason => ({ code: 'missing-fact', fact: String(m.fact) }))),
    ];
    return { ok: true, reasons: [...usable.map((r) => `eligible${r.variant ? ` (${r.variant})` : ''}: ${r.outcome}`), ...missing], why, failed: [] };
  }
  // The facts whose rules failed: the evidence each failing reason cites.
  const failed = [...new Set(results.flatMap((r) => r.evidence.filter((e) => r.reasons.some((reason) => reason.includes(e.rule))).map((e) => String(e.fact))))];
  return { ok: false, reasons: results.flatMap((r) => r.reasons), why: [], failed };
}

/**
 * Rank providers for a referral (DOMAIN §4 eligibility, then capabilities and distance).
 * Order: green-channel partners of the origin first (strongly for urgent referrals), then distance
 * by division (same county, same city, same province, elsewhere), then the bed type the planner
 * asked for first, then free capacity. Pure: the projection and the time come in.
 */
export function rankCandidates(request: MatchRequest, providers: readonly ProviderAvailability[], divisions: DivisionTable): MatchResult {
  const excluded: Exclusion[] = [];
  const candidates: Candidate[] = [];
  const facts = request.facts as ElderFacts;
  // A provider counts in eligibility only through its service area, and in distance only through
  // its division: each is worked out once per run, not once per provider.
  const judged = new Map<string, ReturnType<typeof eligibilityOf>>();
  const eligibilityFor = (bedType: BedTypeName, serviceArea: readonly string[]) => {
    const key = `${bedType}|${serviceArea.join(',')}`;
    let found = judged.get(key);
    if (!found) judged.set(key, (found = eligibilityOf(evaluateEligibility(bedType, facts, { asOf: request.asOf, provider: { serviceArea: [...serviceArea] } }))));
    return found;
  };
  const bands = new Map<string, ReturnType<typeof distanceBand>>();
  const bandOf = (divisionCode: string) => {
    let band = bands.get(divisionCode);
    if (!band) bands.set(divisionCode, (band = distanceBand(request.origin.divisionCode, divisionCode, divisions)));
    return band;
  };
  for (const [typeIndex, bedType] of request.bedTypes.entries()) {
    const ofType = providers.filter((p) => p.bedType === bedType);
    if (ofType.length === 0) excluded.push({ bedType, reasons: ['no provider of this bed type has published its capacity'], why: { code: 'no-provider' } });
    for (const p of ofType) {
      const reasons: string[] = [];
      if (request.excludeInstitutions.includes(p.institutionId)) continue;
      const eligibility = eligibilityFor(bedType, p.serviceArea);
      if (!eligibility.ok) {
        excluded.push({ bedType, institutionId: p.institutionId, name: p.name, reasons: [...eligibility.reasons], why: { code: 'not-eligible', facts: [...eligibility.failed] } });
        continue;
      }
      const free = freeMatching(p, request.requirements);
      if (free === 0) {
        excluded.push({ bedType, institutionId: p.institutionId, name: p.name, reasons: [request.requirements ? `no free unit with ${JSON.stringify(request.requirements)}` : 'no free unit'], why: { code: 'no-free-unit' } });
        continue;
      }
      if (request.ltciFunded && LTCI_BED_TYPES.includes(bedType) && !p.capabilities.includes('ltciDesignated')) {
        excluded.push({ bedType, institutionId: p.institutionId, name: p.name, reasons: ['LTCI is authorised and this provider is not LTCI-designated (定点)'], why: { code: 'not-ltci-designated' } });
        continue;
      }
      let score = 0;
      const why: RankReason[] = [];
      if (p.greenChannelPartners.includes(request.origin.institutionId)) {
        score += request.urgency === 'green-channel' ? 2000 : 500;
        reasons.push('green-channel partner of the origin (绿色通道)');
        why.push({ code: 'green-channel-partner' });
      }
      const band = bandOf(p.divisionCode);
      score += BAND_SCORE[band];
      reasons.push(BAND_WORDS[band]);
      why.push({ code: 'distance', band });
      score += 50 * (request.bedTypes.length - typeIndex);
      if (typeIndex === 0) {
        reasons.push('the bed type asked for first');
        why.push({ code: 'first-choice-bed-type' });
      }
      score += Math.min(free, 20);
      reasons.push(`${free} free`);
      why.push({ code: 'free-units', count: free });
      reasons.push(...eligibility.reasons);
      why.push(...eligibility.why);
      candidates.push({ institutionId: p.institutionId, bedType, name: p.name, score, free, reasons, why });
    }
  }
  const chosen = request.preferInstitutionId === undefined ? undefined : best(candidates.filter((c) => c.institutionId === request.preferInstitutionId), 1)[0];
  if (chosen) return { candidates: [{ ...chosen, reasons: ['chosen by the sender', ...chosen.reasons], why: [{ code: 'chosen-by-sender' }, ...chosen.why] }], excluded };
  return { candidates: best(candidates, request.maxOffers), excluded };
}

const byName = new Intl.Collator().compare;
/** Higher score first, then by name as `localeCompare` orders names. */
const ranked = (a: Candidate, b: Candidate) => b.score - a.score || byName(a.name, b.name);

/**
 * The first `k` candidates in rank order, as a stable sort of all of them would give, without
 * sorting them all: candidates that rank equal keep the order they were found in.
 */
export function best(candidates: readonly Candidate[], k: number): Candidate[] {
  const top: Candidate[] = [];
  if (k <= 0) return top;
  for (const c of candidates) {
    if (top.length === k && ranked(c, top[k - 1]!) >= 0) continue;
    let at = top.length;
    while (at > 0 && ranked(c, top[at - 1]!) < 0) at--;
    top.splice(at, 0, c);
    if (top.length > k) top.pop();
  }
  return top;
}
