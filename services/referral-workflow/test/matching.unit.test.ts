import { shandongDivisions } from '@fbl/codes';
import { describe, expect, it } from 'vitest';
import { best, countExclusions, rankCandidates, type Candidate, type MatchRequest, type ProviderAvailability } from '../src/domain/matching.js';
import { shandongCounties, syntheticAvailability, syntheticRequest } from '../../../tests/load/matching.js';
import { referenceRanking } from './matching-reference.js';

/*
 * Ranking providers for a referral: eligibility first (DOMAIN §4), then capacity and LTCI
 * designation, then green-channel partnership, distance by division and the planner's order of
 * bed types. The origin is a hospital in 任城区, 济宁 (370811).
 */

const ORIGIN = { institutionId: 'hospital-1', divisionCode: '370811' };
const SAME_COUNTY = '370811'; // 任城区, 济宁
const SAME_CITY = '370812'; // 兖州区, 济宁
const SAME_PROVINCE = '371002'; // 环翠区, 威海
const ELSEWHERE = '110101'; // 东城区, 北京

const provider = (institutionId: string, over: Partial<ProviderAvailability> = {}): ProviderAvailability => ({
  institutionId,
  bedType: 'care',
  name: `Provider ${institutionId}`,
  divisionCode: SAME_COUNTY,
  capabilities: [],
  serviceArea: ['370800'],
  greenChannelPartners: [],
  units: [{ kind: 'bed', attributes: {}, free: 5 }],
  ...over,
});

const request = (over: Partial<MatchRequest> = {}): MatchRequest => ({
  bedTypes: ['care'],
  facts: { abilityLevel: 3, abilityAssessedOn: '2025-03-01', homeDivisionCode: '370811' },
  origin: ORIGIN,
  urgency: 'routine',
  ltciFunded: false,
  excludeInstitutions: [],
  maxOffers: 10,
  asOf: new Date('2025-06-01T02:00:00Z'),
  ...over,
});

const rank = (over: Partial<MatchRequest>, providers: ProviderAvailability[]) => rankCandidates(request(over), providers, shandongDivisions);
const order = (over: Partial<MatchRequest>, providers: ProviderAvailability[]) => rank(over, providers).candidates.map((c) => c.institutionId);

describe('rankCandidates', () => {
  it('offers the provider the sender chose alone while it can take the elder, and ranks as usual when it cannot', () => {
    const providers = [provider('county'), provider('city', { divisionCode: SAME_CITY }), provider('full', { divisionCode: SAME_CITY, units: [{ kind: 'bed', attributes: {}, free: 0 }] })];
    const chosen = rank({ preferInstitutionId: 'city' }, providers);
    expect(chosen.candidates.map((c) => c.institutionId)).toEqual(['city']);
    expect(chosen.candidates[0]!.why[0]).toEqual({ code: 'chosen-by-sender' });
    expect(order({ preferInstitutionId: 'full' }, providers)).toEqual(['county', 'city']);
    expect(order({ preferInstitutionId: 'county', excludeInstitutions: ['county'] }, providers)).toEqual(['city']);
  });

  it('ranks by distance: same county, then same city, then same province, then elsewhere', () => {
    const providers = [
      provider('far', { divisionCode: ELSEWHERE }),
      provider('province', { divisionCode: SAME_PROVINCE }),
      provider('county', { divisionCode: SAME_COUNTY }),
      provider('city', { divisionCode: SAME_CITY }),
    ];
    const result = rank({}, providers);
    expect(result.candidates.map((c) => c.institutionId)).toEqual(['county', 'city', 'province', 'far']);
    expect(result.candidates.map((c) => c.reasons[0])).toEqual(['same county', 'same city', 'same province', 'outside the province']);
    expect(result.exclusions).toEqual([]);
  });

  it('gives every reason as a code too, one for one, for screens to word in Chinese', () => {
    const providers = [provider('county', { divisionCode: SAME_COUNTY }), provider('partner', { divisionCode: ELSEWHERE, greenChannelPartners: ['hospital-1'] })];
    const result = rank({ urgency: 'green-channel' }, providers);
    for (const c of result.candidates) expect(c.why.length, c.institutionId).toBe(c.reasons.length);
    const [partner, county] = result.candidates;
    expect(partner!.why.slice(0, 3)).toEqual([{ code: 'green-channel-partner' }, { code: 'distance', band: 'elsewhere' }, { code: 'first-choice-bed-type' }]);
    expect(county!.why).toContainEqual({ code: 'distance', band: 'same-county' });
    expect(county!.why).toContainEqual({ code: 'free-units', count: county!.free });
    expect(county!.why.some((w) => w.code === 'eligible')).toBe(true);
  });

  it('puts a green-channel partner of the origin first, even from outside the province', () => {
    const providers = [provider('near'), provider('partner', { divisionCode: ELSEWHERE, greenChannelPartners: ['hospital-1'] })];
    for (const urgency of ['routine', 'green-channel'] as const) {
      const result = rank({ urgency }, providers);
      expect(result.candidates.map((c) => c.institutionId)).toEqual(['partner', 'near']);
      expect(result.candidates[0]!.reasons).toContain('green-channel partner of the origin (绿色通道)');
    }
    // a partner of another hospital counts for nothing
    expect(order({ origin: { institutionId: 'hospital-2', divisionCode: SAME_COUNTY } }, providers)).toEqual(['near', 'partner']);
  });

  it('weighs the partnership strongly for a green-channel referral: there it beats a nearer provider of the first bed type, for a routine one it does not', () => {
    // the partner is far and offers only the last bed type asked for, with one free bed
    const bedTypes = ['care', 'home-sick', 'hospice', 'home-care', 'medical'] as const;
    const providers = [
      provider('near-care', { units: [{ kind: 'bed', attributes: {}, free: 20 }] }),
      provider('partner-medical', { bedType: 'medical', divisionCode: ELSEWHERE, greenChannelPartners: ['hospital-1'], units: [{ kind: 'bed', attributes: {}, free: 1 }] }),
    ];
    expect(order({ bedTypes: [...bedTypes], urgency: 'routine' }, providers)).toEqual(['near-care', 'partner-medical']);
    expect(order({ bedTypes: [...bedTypes], urgency: 'green-channel' }, providers)).toEqual(['partner-medical', 'near-care']);
  });

  it('follows the order of the bed types asked for', () => {
    const providers = [provider('care-home'), provider('hospital-2', { bedType: 'medical' })];
    expect(order({ bedTypes: ['medical', 'care'] }, providers)).toEqual(['hospital-2', 'care-home']);
    expect(order({ bedTypes: ['care', 'medical'] }, providers)).toEqual(['care-home', 'hospital-2']);
    const result = rank({ bedTypes: ['care', 'medical'] }, providers);
    expect(result.candidates[0]!.reasons).toContain('the bed type asked for first');
    expect(result.candidates[1]!.reasons).not.toContain('the bed type asked for first');
  });

  it('only ranks providers of the bed types asked for, and says which bed type nobody offers', () => {
    const result = rank({ bedTypes: ['care', 'hospice'] }, [provider('care-home'), provider('hospital-2', { bedType: 'medical' })]);
    expect(result.candidates.map((c) => c.institutionId)).toEqual(['care-home']);
    expect(result.exclusions).toEqual([{ bedType: 'hospice', institutions: 0, reasons: ['no provider of this bed type has published its capacity'], why: { code: 'no-provider' } }]);
  });

  it('leaves out a provider without a free unit, and one whose free units lack the requirements', () => {
    const providers = [
      provider('full', { units: [{ kind: 'bed', attributes: { nursingType: true }, free: 0 }] }),
      provider('ordinary-only', { units: [{ kind: 'bed', attributes: { nursingType: false }, free: 9 }] }),
      provider('fits', { units: [{ kind: 'bed', attributes: { nursingType: true }, free: 2 }, { kind: 'bed', attributes: { nursingType: false }, free: 9 }] }),
    ];
    const withoutRequirements = rank({}, providers);
    expect(withoutRequirements.exclusions).toEqual([{ bedType: 'care', institutions: 1, reasons: ['no free unit'], why: { code: 'no-free-unit' } }]);
    const withRequirements = rank({ requirements: { nursingType: true } }, providers);
    expect(withRequirements.candidates.map((c) => [c.institutionId, c.free])).toEqual([['fits', 2]]);
    expect(withRequirements.exclusions).toEqual([{ bedType: 'care', institutions: 2, reasons: ['no free unit with {"nursingType":true}'], why: { code: 'no-free-unit' } }]);
  });

  it('when LTCI pays, leaves out care and home care providers that are not LTCI-designated (定点), but not other bed types', () => {
    const providers = [
      provider('designated', { capabilities: ['ltciDesignated'] }),
      provider('not-designated'),
      provider('hospital-2', { bedType: 'medical' }),
    ];
    const funded = rank({ bedTypes: ['care', 'medical'], ltciFunded: true }, providers);
    expect(funded.candidates.map((c) => c.institutionId)).toEqual(['designated', 'hospital-2']);
    expect(funded.exclusions).toEqual([{ bedType: 'care', institutions: 1, reasons: ['LTCI is authorised and this provider is not LTCI-designated (定点)'], why: { code: 'not-ltci-designated' } }]);
    expect(order({ bedTypes: ['care', 'medical'], ltciFunded: false }, providers).sort()).toEqual(['designated', 'hospital-2', 'not-designated']);
  });

  it('leaves out a bed type the elder is not eligible for, with the reasons: a home care bed needs ability level 2 or worse', () => {
    const homeCare = provider('home-care-1', { bedType: 'home-care', serviceArea: ['370800'] });
    const notEligible = rank({ bedTypes: ['home-care'], facts: { abilityLevel: 1, abilityAssessedOn: '2025-03-01', homeDivisionCode: '370811' } }, [homeCare]);
    expect(notEligible.candidates).toEqual([]);
    expect(notEligible.exclusions).toHaveLength(1);
    expect(notEligible.exclusions[0]).toMatchObject({ bedType: 'home-care', institutions: 1 });
    expect(notEligible.exclusions[0]!.reasons.join(' ')).toMatch(/ability level 1 < 2/);
    // the failing fact, as a code a screen can word
    expect(notEligible.exclusions[0]!.why).toEqual({ code: 'not-eligible', facts: ['abilityLevel'] });
    // the same elder with level 3 is eligible
    const eligible = rank({ bedTypes: ['home-care'], facts: { abilityLevel: 3, abilityAssessedOn: '2025-03-01', homeDivisionCode: '370811' } }, [homeCare]);
    expect(eligible.candidates.map((c) => c.institutionId)).toEqual(['home-care-1']);
    expect(eligible.candidates[0]!.reasons).toContain('eligible: eligible');
  });

  it('leaves out a home care provider whose service area does not cover the home', () => {
    const result = rank({ bedTypes: ['home-care'] }, [provider('weihai', { bedType: 'home-care', divisionCode: SAME_PROVINCE, serviceArea: ['371000'] })]);
    expect(result.candidates).toEqual([]);
    expect(result.exclusions[0]!.reasons.join(' ')).toMatch(/outside the provider's service area/);
  });

  it('skips the institutions it is told to exclude, silently', () => {
    const result = rank({ excludeInstitutions: ['a', 'c'] }, [provider('a'), provider('b'), provider('c')]);
    expect(result.candidates.map((c) => c.institutionId)).toEqual(['b']);
    expect(result.exclusions).toEqual([]);
  });

  it('offers at most maxOffers, the best ranked', () => {
    const providers = [provider('far', { divisionCode: ELSEWHERE }), provider('county'), provider('city', { divisionCode: SAME_CITY }), provider('province', { divisionCode: SAME_PROVINCE })];
    expect(order({ maxOffers: 2 }, providers)).toEqual(['county', 'city']);
    expect(order({ maxOffers: 0 }, providers)).toEqual([]);
  });

  it('prefers more free capacity between otherwise equal providers, then the name', () => {
    const providers = [
      provider('b', { name: 'Beta', units: [{ kind: 'bed', attributes: {}, free: 3 }] }),
      provider('a', { name: 'Alpha', units: [{ kind: 'bed', attributes: {}, free: 3 }] }),
      provider('c', { name: 'Gamma', units: [{ kind: 'bed', attributes: {}, free: 8 }] }),
    ];
    const result = rank({}, providers);
    expect(result.candidates.map((c) => c.name)).toEqual(['Gamma', 'Alpha', 'Beta']);
    expect(result.candidates[0]!.reasons).toContain('8 free');
  });
});

describe('the best candidates without sorting them all', () => {
  it('gives what a stable sort by score, then name as localeCompare orders it, would give first', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const names = ['颐养院', '康乐护理院', 'Anning', 'anning', '康乐护理院', 'Zhongxin', '东区护理院'];
    for (let round = 0; round < 200; round++) {
      const candidates: Candidate[] = Array.from({ length: Math.floor(random() * 40) }, (_, i) => ({
        institutionId: `i-${i}`,
        bedType: 'care',
        name: names[Math.floor(random() * names.length)]!,
        score: Math.floor(random() * 4) * 100,
        free: 1,
        reasons: [],
        why: [],
      }));
      const sorted = [...candidates].sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
      for (const k of [0, 1, 3, 50]) expect(best(candidates, k)).toEqual(sorted.slice(0, k));
    }
  });
});

describe('the ranking against the reference (every provider judged, every candidate sorted)', () => {
  let seed = 20261206;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const COUNTIES = ['370811', '370812', '370829', '370102', '370103', '370202', '371002', '110101'];
  // Few names and many equal scores, so ties (by name, then the order found) decide often.
  const NAMES = ['颐养院', '康乐护理院', 'Anning', 'anning', '东区护理院', '安宁病房', '中心医院'];
  const BED_TYPES = ['care', 'home-care', 'home-sick', 'hospice', 'medical'] as const;
  const inventory = (n: number): ProviderAvailability[] =>
    Array.from({ length: n }, (_, i) => {
      const bedType = pick(BED_TYPES);
      const divisionCode = pick(COUNTIES);
      return {
        institutionId: `p-${i % Math.floor(n * 0.8)}`, // some institutions offer two bed types
        bedType,
        name: pick(NAMES),
        divisionCode,
        capabilities: ['ltciDesignated', 'nursingType'].filter(() => random() < 0.5),
        serviceArea: [divisionCode, ...COUNTIES.filter(() => random() < 0.2), ...(random() < 0.2 ? [`${divisionCode.slice(0, 4)}00`] : [])],
        greenChannelPartners: random() < 0.2 ? ['hospital-1'] : [],
        units: Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({ kind: 'bed' as const, attributes: { nursingType: random() < 0.5 }, free: Math.floor(random() * 4) })),
      };
    });
  const randomRequest = (providers: readonly ProviderAvailability[]): MatchRequest => {
    const bedTypes = [...BED_TYPES].filter(() => random() < 0.5);
    const home = pick([...COUNTIES, '370800', 'nowhere', undefined]);
    return request({
      bedTypes: bedTypes.length > 0 ? bedTypes : ['care'],
      ...(random() < 0.5 ? { requirements: { nursingType: true } } : {}),
      facts: {
        abilityLevel: Math.floor(random() * 5),
        abilityAssessedOn: pick(['2025-03-01', '2024-01-01']),
        ...(home === undefined ? {} : { homeDivisionCode: home }),
        ...(random() < 0.3 ? { terminalIllness: true, prognosisMonths: pick([3, 12]), kps: pick([40, 80]), informedChoice: 'elder' } : {}),
      },
      origin: { institutionId: 'hospital-1', divisionCode: pick(COUNTIES) },
      urgency: random() < 0.3 ? 'green-channel' : 'routine',
      ltciFunded: random() < 0.3,
      excludeInstitutions: random() < 0.5 ? [pick(providers).institutionId, pick(providers).institutionId] : [],
      ...(random() < 0.3 ? { preferInstitutionId: pick(providers).institutionId } : {}),
      maxOffers: pick([0, 1, 3, 3, 3, 10]),
    });
  };

  it('gives the first candidates of the full ranking, reasons and all, and its exclusions counted by reason, on 600 random requests', () => {
    let compared = 0;
    let chosen = 0;
    for (let round = 0; round < 20; round++) {
      const providers = inventory(10 + Math.floor(random() * 150));
      for (let i = 0; i < 30; i++) {
        const req = randomRequest(providers);
        const fast = rankCandidates(req, providers, shandongDivisions);
        const full = referenceRanking(req, providers, shandongDivisions);
        const expected = full.candidates[0]?.why[0]?.code === 'chosen-by-sender' ? full.candidates : full.candidates.slice(0, Math.max(req.maxOffers, 0));
        expect(fast.candidates).toEqual(expected);
        expect(fast.exclusions).toEqual(countExclusions(full.excluded));
        compared += fast.candidates.length;
        if (fast.candidates[0]?.why[0]?.code === 'chosen-by-sender') chosen++;
      }
    }
    // The requests did reach candidates, and the sender's choice, often.
    expect(compared).toBeGreaterThan(600);
    expect(chosen).toBeGreaterThan(20);
  }, 300_000);

  it('and on the 5,000 institutions of the bench', () => {
    const bench = prngOf(7);
    const providers = syntheticAvailability(5000, 20, bench);
    const counties = shandongCounties();
    for (let i = 0; i < 40; i++) {
      const req = syntheticRequest(bench, counties, new Date('2026-12-01T02:00:00Z'));
      const full = referenceRanking(req, providers, shandongDivisions);
      const fast = rankCandidates(req, providers, shandongDivisions);
      expect(fast.candidates).toEqual(full.candidates.slice(0, req.maxOffers));
      expect(fast.exclusions).toEqual(countExclusions(full.excluded));
    }
  }, 300_000);
});

/** A small deterministic generator for the bench's inventory. */
function prngOf(start: number): () => number {
  let s = start;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}
