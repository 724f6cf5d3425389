import { evaluateEligibility, type ElderFacts, type EligibilityResult } from '@fbl/eligibility';
import { distanceBand, type DivisionTable } from '@fbl/codes';
import type { Candidate, Exclusion, MatchRequest, ProviderAvailability, RankReason } from '../src/domain/matching.js';
import type { BedTypeName } from '../src/domain/types.js';

/*
 * The reference ranking: matching as it was written before it was made cheap. Every provider is
 * judged on its own, every candidate is worded, all of them are sorted (a stable sort by score,
 * then name as localeCompare orders it) and every exclusion is listed. `rankCandidates` must give
 * the same first candidates and the same exclusions, counted by reason.
 */

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
  const failed = [...new Set(results.flatMap((r) => r.evidence.filter((e) => r.reasons.some((reason) => reason.includes(e.rule))).map((e) => String(e.fact))))];
  return { ok: false, reasons: results.flatMap((r) => r.reasons), why: [], failed };
}

/** The whole ranking: every candidate in rank order, every exclusion one by one. */
export function referenceRanking(request: MatchRequest, providers: readonly ProviderAvailability[], divisions: DivisionTable): { candidates: Candidate[]; excluded: Exclusion[] } {
  const excluded: Exclusion[] = [];
  const candidates: Candidate[] = [];
  const facts = request.facts as ElderFacts;
  for (const [typeIndex, bedType] of request.bedTypes.entries()) {
    const ofType = providers.filter((p) => p.bedType === bedType);
    if (ofType.length === 0) excluded.push({ bedType, reasons: ['no provider of this bed type has published its capacity'], why: { code: 'no-provider' } });
    for (const p of ofType) {
      const reasons: string[] = [];
      if (request.excludeInstitutions.includes(p.institutionId)) continue;
      const eligibility = eligibilityOf(evaluateEligibility(bedType, facts, { asOf: request.asOf, provider: { serviceArea: p.serviceArea } }));
      if (!eligibility.ok) {
        excluded.push({ bedType, institutionId: p.institutionId, name: p.name, reasons: eligibility.reasons, why: { code: 'not-eligible', facts: eligibility.failed } });
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
      const band = distanceBand(request.origin.divisionCode, p.divisionCode, divisions);
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
  candidates.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  const chosen = request.preferInstitutionId === undefined ? [] : candidates.filter((c) => c.institutionId === request.preferInstitutionId);
  if (chosen.length > 0) return { candidates: chosen.slice(0, 1).map((c) => ({ ...c, reasons: ['chosen by the sender', ...c.reasons], why: [{ code: 'chosen-by-sender' }, ...c.why] })), excluded };
  return { candidates, excluded };
}
