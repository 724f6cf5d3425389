import { evaluateEligibility, serviceAreaOutcome, type ElderFacts, type EligibilityResult } from '@fbl/eligibility';
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

/** A bed type or provider left out, and why (one by one: how a full ranking says it). */
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

/**
 * How many providers of a bed type were left out for one reason (a bed type nobody publishes:
 * none). What a run keeps of its exclusions: a count per reason, not every provider.
 */
export interface ExclusionCount {
  bedType: BedTypeName;
  why: ExclusionReason;
  /** Providers left out so (0 for `no-provider`). */
  institutions: number;
  /** The English words of the first of them (the rules' own wording; the area a service-area failure lists is that provider's). */
  reasons: string[];
}

/** The outcome of one matching run: stored, so a planner sees why each bed ranks or is missing. */
export interface MatchResult {
  /** The best `maxOffers` in rank order (the ones offered). */
  candidates: Candidate[];
  /** Counts of the providers left out, by bed type and reason, in the order first met. */
  exclusions: ExclusionCount[];
}

const exclusionKey = (bedType: string, why: ExclusionReason) => (why.code === 'not-eligible' ? `${bedType}|${why.code}|${why.facts.join(',')}` : `${bedType}|${why.code}`);

/** Count exclusions listed one by one (a full ranking's, or a run stored before counts were kept) by bed type and reason. */
export function countExclusions(excluded: readonly Exclusion[]): ExclusionCount[] {
  const counts = new Map<string, ExclusionCount>();
  for (const e of excluded) {
    const key = exclusionKey(e.bedType, e.why);
    const found = counts.get(key);
    if (found) found.institutions += e.institutionId === undefined ? 0 : 1;
    else counts.set(key, { bedType: e.bedType, why: e.why, institutions: e.institutionId === undefined ? 0 : 1, reasons: e.reasons });
  }
  return [...counts.values()];
}

const BAND_SCORE = { 'same-county': 300, 'same-city': 200, 'same-province': 100, elsewhere: 0 } as const;
const BAND_WORDS = { 'same-county': 'same county', 'same-city': 'same city', 'same-province': 'same province', elsewhere: 'outside the province' } as const;
const LTCI_BED_TYPES: readonly BedTypeName[] = ['care', 'home-care'];

/** The free units of a provider whose attributes have every required value. */
function freeMatching(p: ProviderAvailability, required: readonly (readonly [string, string | boolean])[]): number {
  let free = 0;
  for (const u of p.units) {
    let fits = true;
    for (const [k, v] of required) {
      if (u.attributes[k] !== v) {
        fits = false;
        break;
      }
    }
    if (fits) free += u.free;
  }
  return free;
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

const HOME_DIVISION = /^\d{6}$/;

/**
 * Rank providers for a referral (DOMAIN §4 eligibility, then capabilities and distance).
 * Order: green-channel partners of the origin first (strongly for urgent referrals), then distance
 * by division (same county, same city, same province, elsewhere), then the bed type the planner
 * asked for first, then free capacity; ties by name. Pure: the projection and the time come in.
 *
 * The same as ranking every provider and sorting them all (test/matching-reference.ts), at less
 * cost: eligibility is judged once per bed type and outcome of the service-area check (the only
 * thing of a provider it depends on), the distance band once per division, a candidate's reasons
 * are worded only when it enters the best `maxOffers`, and exclusions are counted by reason.
 */
export function rankCandidates(request: MatchRequest, providers: readonly ProviderAvailability[], divisions: DivisionTable): MatchResult {
  const exclusions = new Map<string, ExclusionCount>();
  const exclude = (key: string, bedType: BedTypeName, why: ExclusionReason, institutions: number, reasons: () => string[]) => {
    const found = exclusions.get(key);
    if (found) found.institutions += institutions;
    else exclusions.set(key, { bedType, why, institutions, reasons: reasons() });
  };
  const facts = request.facts as ElderFacts;
  const home = typeof facts.homeDivisionCode === 'string' && HOME_DIVISION.test(facts.homeDivisionCode) ? facts.homeDivisionCode : undefined;
  const judged = new Map<string, ReturnType<typeof eligibilityOf> & { notEligible?: ExclusionReason; key?: string }>();
  const eligibilityFor = (bedType: BedTypeName, serviceArea: readonly string[]) => {
    // Without a home division of 6 digits the area is not looked at; otherwise only where the home lies against it counts.
    const key = `${bedType}|${home === undefined ? '' : serviceAreaOutcome(home, serviceArea)}`;
    let found = judged.get(key);
    if (!found) {
      const judgedNow = eligibilityOf(evaluateEligibility(bedType, facts, { asOf: request.asOf, provider: { serviceArea: [...serviceArea] } }));
      const notEligible: ExclusionReason = { code: 'not-eligible', facts: judgedNow.failed };
      judged.set(key, (found = judgedNow.ok ? judgedNow : { ...judgedNow, notEligible, key: exclusionKey(bedType, notEligible) }));
    }
    return found;
  };
  const bands = new Map<string, ReturnType<typeof distanceBand>>();
  const bandOf = (divisionCode: string) => {
    let band = bands.get(divisionCode);
    if (!band) bands.set(divisionCode, (band = distanceBand(request.origin.divisionCode, divisionCode, divisions)));
    return band;
  };
  const required = Object.entries(request.requirements ?? {});
  const noFreeUnit: ExclusionReason = { code: 'no-free-unit' };
  const notDesignated: ExclusionReason = { code: 'not-ltci-designated' };
  const skipped = new Set(request.excludeInstitutions);
  const preferred = request.preferInstitutionId;
  const k = request.maxOffers;
  // The best so far, in rank order (as a stable sort of all would give); the preferred provider's best entry apart.
  const top: Scored[] = [];
  let chosen: Scored | undefined;
  for (const [typeIndex, bedType] of request.bedTypes.entries()) {
    let ofType = 0;
    const bedTypeScore = 50 * (request.bedTypes.length - typeIndex);
    const noFreeUnitKey = exclusionKey(bedType, noFreeUnit);
    const notDesignatedKey = exclusionKey(bedType, notDesignated);
    const ltciApplies = request.ltciFunded && LTCI_BED_TYPES.includes(bedType);
    for (const p of providers) {
      if (p.bedType !== bedType) continue;
      ofType++;
      if (skipped.has(p.institutionId)) continue;
      const eligibility = eligibilityFor(bedType, p.serviceArea);
      if (eligibility.notEligible) {
        exclude(eligibility.key!, bedType, eligibility.notEligible, 1, () => [...eligibility.reasons]);
        continue;
      }
      const free = freeMatching(p, required);
      if (free === 0) {
        exclude(noFreeUnitKey, bedType, noFreeUnit, 1, () => [request.requirements ? `no free unit with ${JSON.stringify(request.requirements)}` : 'no free unit']);
        continue;
      }
      if (ltciApplies && !p.capabilities.includes('ltciDesignated')) {
        exclude(notDesignatedKey, bedType, notDesignated, 1, () => ['LTCI is authorised and this provider is not LTCI-designated (定点)']);
        continue;
      }
      const partner = p.greenChannelPartners.includes(request.origin.institutionId);
      const band = bandOf(p.divisionCode);
      const score = (partner ? (request.urgency === 'green-channel' ? 2000 : 500) : 0) + BAND_SCORE[band] + bedTypeScore + Math.min(free, 20);
      if (p.institutionId === preferred) {
        const scored: Scored = { p, name: p.name, bedType, typeIndex, partner, band, free, score, eligibility };
        if (!chosen || ranked(scored, chosen) < 0) chosen = scored;
        continue;
      }
      // Most providers rank below the k-th best: they are passed over before anything is made of them.
      if (k <= 0 || (top.length === k && ranked({ score, name: p.name }, top[k - 1]!) >= 0)) continue;
      keepIfBest(top, { p, name: p.name, bedType, typeIndex, partner, band, free, score, eligibility }, k);
    }
    if (ofType === 0) exclude(exclusionKey(bedType, { code: 'no-provider' }), bedType, { code: 'no-provider' }, 0, () => ['no provider of this bed type has published its capacity']);
  }
  const counted = [...exclusions.values()];
  if (chosen) {
    const c = candidateOf(chosen);
    return { candidates: [{ ...c, reasons: ['chosen by the sender', ...c.reasons], why: [{ code: 'chosen-by-sender' }, ...c.why] }], exclusions: counted };
  }
  // The preferred provider cannot take the elder (none of its entries is a candidate): the ranking goes as usual.
  return { candidates: top.map(candidateOf), exclusions: counted };
}

/** A provider that can take the elder, with what its rank and reasons are made of. */
interface Scored {
  p: ProviderAvailability;
  name: string;
  bedType: BedTypeName;
  typeIndex: number;
  partner: boolean;
  band: ReturnType<typeof distanceBand>;
  free: number;
  score: number;
  eligibility: ReturnType<typeof eligibilityOf>;
}

/** A ranked candidate with its reasons, in words and as codes. */
function candidateOf(s: Scored): Candidate {
  const reasons: string[] = [];
  const why: RankReason[] = [];
  if (s.partner) {
    reasons.push('green-channel partner of the origin (绿色通道)');
    why.push({ code: 'green-channel-partner' });
  }
  reasons.push(BAND_WORDS[s.band]);
  why.push({ code: 'distance', band: s.band });
  if (s.typeIndex === 0) {
    reasons.push('the bed type asked for first');
    why.push({ code: 'first-choice-bed-type' });
  }
  reasons.push(`${s.free} free`);
  why.push({ code: 'free-units', count: s.free });
  reasons.push(...s.eligibility.reasons);
  why.push(...s.eligibility.why.map((w) => ({ ...w })));
  return { institutionId: s.p.institutionId, bedType: s.bedType, name: s.p.name, score: s.score, free: s.free, reasons, why };
}

const byName = new Intl.Collator().compare;
/** Higher score first, then by name as `localeCompare` orders names. */
const ranked = (a: { score: number; name: string }, b: { score: number; name: string }) => b.score - a.score || byName(a.name, b.name);

/**
 * The first `k` candidates in rank order, as a stable sort of all of them would give, without
 * sorting them all: candidates that rank equal keep the order they were found in.
 */
export function best<T extends { score: number; name: string }>(candidates: readonly T[], k: number): T[] {
  const top: T[] = [];
  for (const c of candidates) keepIfBest(top, c, k);
  return top;
}

/** Put `c` into `top` (the best at most `k`, in rank order) if it ranks among them; after its equals. */
function keepIfBest<T extends { score: number; name: string }>(top: T[], c: T, k: number): void {
  if (k <= 0 || (top.length === k && ranked(c, top[k - 1]!) >= 0)) return;
  let at = top.length;
  while (at > 0 && ranked(c, top[at - 1]!) < 0) at--;
  top.splice(at, 0, c);
  if (top.length > k) top.pop();
}

/**
 * A stored run as readers get it: the first `keep` candidates and the exclusions counted by
 * reason. Runs stored before counts were kept listed every candidate and every exclusion; they
 * are read the same way.
 */
export function rankingOfRun(stored: unknown, keep: number): MatchResult | null {
  if (stored === null || typeof stored !== 'object') return null;
  const run = stored as { candidates?: Candidate[]; exclusions?: ExclusionCount[]; excluded?: Exclusion[] };
  return {
    candidates: (run.candidates ?? []).slice(0, keep),
    exclusions: run.exclusions ?? countExclusions(run.excluded ?? []),
  };
}
