import { describe, expect, it } from 'vitest';
import {
  ADVANCE_CARE_PLAN_WHY,
  BED_TYPES,
  DEFAULT_ELIGIBILITY_RULES,
  INSURANCE_FILING_WHY,
  InvalidEligibilityRulesError,
  createEligibilityRules,
  evaluateEligibility,
  type BedType,
  type ElderFacts,
  type EligibilityContext,
  type EligibilityResult,
  type EligibilityRules,
  type ServiceProvider,
} from '../src/index.js';

/** 10:00 on 2024-09-01 in China. */
const asOf = new Date('2024-09-01T02:00:00Z');
/** 成武县, a county of 菏泽 (371700). */
const CHENGWU = '371723';
const HEZE_CITY = '371700';
/** 茌平区, a district of 聊城 (371500). */
const CHIPING = '371503';
const countyProvider: ServiceProvider = { serviceArea: [CHENGWU] };
const cityProvider: ServiceProvider = { serviceArea: [HEZE_CITY] };
const freshAssessment = { abilityAssessedOn: '2024-08-01' } as const;

function only(bedType: BedType, facts: ElderFacts, context: Partial<EligibilityContext> = {}): EligibilityResult {
  const results = evaluateEligibility(bedType, facts, { asOf, ...context });
  expect(results).toHaveLength(1);
  return results[0]!;
}

function careVariant(variant: string, facts: ElderFacts, context: Partial<EligibilityContext> = {}): EligibilityResult {
  const result = evaluateEligibility('care', facts, { asOf, ...context }).find((r) => r.variant === variant);
  if (!result) throw new Error(`no result for care variant ${variant}`);
  return result;
}

const rulesOf = (result: EligibilityResult): string[] => result.evidence.map((e) => e.rule);
const missingFacts = (result: EligibilityResult): string[] => result.missing.map((m) => m.fact);
const evidenceFacts = (result: EligibilityResult): string[] => result.evidence.map((e) => e.fact);

describe('eligibility: care beds', () => {
  it('given any facts, when care beds are evaluated, then one result per variant comes back in order', () => {
    const results = evaluateEligibility('care', {}, { asOf });
    expect(results.map((r) => [r.bedType, r.variant])).toEqual([
      ['care', 'ordinary'],
      ['care', 'nursing-type'],
      ['care', 'dementia'],
    ]);
  });

  it.each<{ given: string; facts: ElderFacts; waitingList: string }>([
    { given: 'nothing known', facts: {}, waitingList: 'public care homes admit through the waiting list (轮候)' },
    { given: 'ability level 0', facts: { abilityLevel: 0, ...freshAssessment }, waitingList: 'waiting list (轮候)' },
    {
      given: 'extreme poverty',
      facts: { hardship: ['extreme-poverty'] },
      waitingList: 'extreme poverty (特困): admitted to a public care home without queueing',
    },
  ])('given $given, when the ordinary care bed is evaluated, then it is eligible with waiting-list evidence', ({ facts, waitingList }) => {
    const result = careVariant('ordinary', facts);
    expect(result.outcome).toBe('eligible');
    expect(result.missing).toEqual([]);
    expect(rulesOf(result)).toContain('any ability level (ordinary care bed)');
    expect(rulesOf(result).some((rule) => rule.includes(waitingList))).toBe(true);
  });

  it.each<{ given: string; facts: ElderFacts; outcome: string; evidence?: string; reasons?: string[]; missing?: string[] }>([
    {
      given: 'ability level 1, LTCI grade 1, no medical needs',
      facts: { abilityLevel: 1, ...freshAssessment, ltciGrade: 1, medicalNeeds: [] },
      outcome: 'not-eligible',
      reasons: [
        'ability level 1 < 2 (nursing-type care bed) and LTCI grade 1 < 2 (nursing-type care bed) and no medical needs (nursing-type care bed)',
      ],
    },
    {
      given: 'ability level 2 (boundary)',
      facts: { abilityLevel: 2, ...freshAssessment, ltciGrade: 1, medicalNeeds: [] },
      outcome: 'eligible',
      evidence: 'ability level 2 ≥ 2 (nursing-type care bed)',
    },
    {
      given: 'LTCI grade 2 (boundary) with ability level 1',
      facts: { abilityLevel: 1, ...freshAssessment, ltciGrade: 2, medicalNeeds: [] },
      outcome: 'eligible',
      evidence: 'LTCI grade 2 ≥ 2 (nursing-type care bed)',
    },
    {
      given: 'medical needs only',
      facts: { abilityLevel: 0, ...freshAssessment, ltciGrade: 0, medicalNeeds: ['tube feeding'] },
      outcome: 'eligible',
      evidence: 'medical needs present (tube feeding): the home must be able to meet them (nursing-type care bed)',
    },
    {
      given: 'ability level 1 and nothing else known',
      facts: { abilityLevel: 1, ...freshAssessment },
      outcome: 'unknown',
      missing: ['ltciGrade', 'medicalNeeds'],
    },
    {
      given: 'LTCI grade 3 with nothing else known',
      facts: { ltciGrade: 3 },
      outcome: 'eligible',
      evidence: 'LTCI grade 3 ≥ 2 (nursing-type care bed)',
    },
    {
      given: 'a stale assessment of level 3, LTCI grade 1 and no medical needs',
      facts: { abilityLevel: 3, abilityAssessedOn: '2024-01-15', ltciGrade: 1, medicalNeeds: [] },
      outcome: 'unknown',
      missing: ['abilityAssessedOn'],
    },
    {
      given: 'an off-scale ability level 7',
      facts: { abilityLevel: 7, ...freshAssessment, ltciGrade: 1, medicalNeeds: [] },
      outcome: 'unknown',
      missing: ['abilityLevel'],
    },
  ])('given $given, when the nursing-type care bed is evaluated, then it is $outcome', ({ facts, outcome, evidence, reasons, missing }) => {
    const result = careVariant('nursing-type', facts);
    expect(result.outcome).toBe(outcome);
    if (evidence) expect(rulesOf(result)).toContain(evidence);
    expect(result.reasons).toEqual(reasons ?? []);
    if (missing) expect(missingFacts(result)).toEqual(missing);
    if (outcome !== 'unknown') expect(result.missing).toEqual([]);
  });

  it.each<{ dementiaDiagnosis: boolean | undefined; outcome: string }>([
    { dementiaDiagnosis: true, outcome: 'eligible' },
    { dementiaDiagnosis: false, outcome: 'not-eligible' },
    { dementiaDiagnosis: undefined, outcome: 'unknown' },
  ])('given dementia diagnosis $dementiaDiagnosis, when the dementia care bed is evaluated, then it is $outcome', ({ dementiaDiagnosis, outcome }) => {
    const facts: ElderFacts = dementiaDiagnosis === undefined ? {} : { dementiaDiagnosis };
    const result = careVariant('dementia', facts);
    expect(result.outcome).toBe(outcome);
    switch (outcome) {
      case 'eligible':
        expect(result.evidence).toEqual([
          { fact: 'dementiaDiagnosis', value: true, rule: 'dementia diagnosis; the unit must have secured exits (dementia care bed)' },
        ]);
        break;
      case 'not-eligible':
        expect(result.reasons).toEqual(['no dementia diagnosis (dementia care bed)']);
        break;
      default:
        expect(missingFacts(result)).toEqual(['dementiaDiagnosis']);
    }
  });
});

describe('eligibility: ability assessment freshness', () => {
  const homeCare = (abilityAssessedOn: string | undefined, at: Date, rules?: EligibilityRules): EligibilityResult =>
    only('home-care', { abilityLevel: 3, homeDivisionCode: CHENGWU, ...(abilityAssessedOn ? { abilityAssessedOn } : {}) }, {
      asOf: at,
      provider: countyProvider,
      ...(rules ? { rules } : {}),
    });

  it.each<{ given: string; assessedOn: string | undefined; at: string; outcome: string; why?: string }>([
    { given: 'assessed exactly 6 months before', assessedOn: '2024-03-01', at: '2024-09-01T02:00:00Z', outcome: 'eligible' },
    {
      given: 'assessed 6 months and 1 day before',
      assessedOn: '2024-03-01',
      at: '2024-09-02T02:00:00Z',
      outcome: 'unknown',
      why: 'ability assessment of 2024-03-01 is older than 6 months (valid until 2024-09-01): reassess (home care bed)',
    },
    {
      given: 'evaluated at 00:30 China time on the day after expiry (still the 1st in UTC)',
      assessedOn: '2024-03-01',
      at: '2024-09-01T16:30:00Z',
      outcome: 'unknown',
    },
    { given: 'assessed on 31 August, checked on 28 February', assessedOn: '2024-08-31', at: '2025-02-28T02:00:00Z', outcome: 'eligible' },
    { given: 'assessed on 31 August, checked on 1 March', assessedOn: '2024-08-31', at: '2025-03-01T02:00:00Z', outcome: 'unknown' },
    { given: 'no assessment date', assessedOn: undefined, at: '2024-09-01T02:00:00Z', outcome: 'unknown' },
    { given: 'an assessment dated in the future', assessedOn: '2024-09-05', at: '2024-09-01T02:00:00Z', outcome: 'unknown' },
    { given: 'an impossible date', assessedOn: '2024-02-30', at: '2024-09-01T02:00:00Z', outcome: 'unknown' },
  ])('given $given, when a home care bed is evaluated, then it is $outcome', ({ assessedOn, at, outcome, why }) => {
    const result = homeCare(assessedOn, new Date(at));
    expect(result.outcome).toBe(outcome);
    if (outcome === 'unknown') {
      expect(missingFacts(result)).toEqual(['abilityAssessedOn']);
      expect(evidenceFacts(result)).not.toContain('abilityLevel');
    }
    if (why) expect(result.missing[0]?.why).toBe(why);
  });

  it('given a 12-month validity override, when a 6-month-old assessment is evaluated, then it still counts', () => {
    const rules = createEligibilityRules({ version: 'test-12-months', abilityAssessmentValidMonths: 12 });
    const result = homeCare('2024-03-01', new Date('2024-09-02T02:00:00Z'), rules);
    expect(result.outcome).toBe('eligible');
    expect(rulesOf(result)).toContain('ability assessment of 2024-03-01 valid until 2025-03-01 (home care bed)');
  });
});

describe('eligibility: home care bed', () => {
  const base: ElderFacts = { abilityLevel: 2, ...freshAssessment, homeDivisionCode: CHENGWU };

  it.each<{ given: string; facts: ElderFacts; rules?: Partial<EligibilityRules>; outcome: string; reason?: string }>([
    { given: 'ability level 1', facts: { ...base, abilityLevel: 1 }, outcome: 'not-eligible', reason: 'ability level 1 < 2 (home care bed)' },
    { given: 'ability level 2', facts: base, outcome: 'eligible' },
    {
      given: 'ability level 2 and a minimum of 3',
      facts: base,
      rules: { version: 'test-home-care-3', homeCareMinAbilityLevel: 3 },
      outcome: 'not-eligible',
      reason: 'ability level 2 < 3 (home care bed)',
    },
    { given: 'ability level 3 and a minimum of 3', facts: { ...base, abilityLevel: 3 }, rules: { version: 'test-home-care-3', homeCareMinAbilityLevel: 3 }, outcome: 'eligible' },
    { given: 'no ability level', facts: { homeDivisionCode: CHENGWU }, outcome: 'unknown' },
  ])('given $given, when a home care bed is evaluated, then it is $outcome', ({ facts, rules, outcome, reason }) => {
    const result = only('home-care', facts, { provider: countyProvider, ...(rules ? { rules: createEligibilityRules(rules) } : {}) });
    expect(result.outcome).toBe(outcome);
    expect(result.reasons).toEqual(reason ? [reason] : []);
    if (rules?.version) expect(result.rulesVersion).toBe(rules.version);
  });

  it.each<{ given: string; home: string | undefined; provider: ServiceProvider | undefined; outcome: string; text: string }>([
    { given: 'the county listed', home: CHENGWU, provider: countyProvider, outcome: 'eligible', text: `home division ${CHENGWU} listed in the provider's service area (home care bed)` },
    {
      given: 'its city listed',
      home: CHENGWU,
      provider: cityProvider,
      outcome: 'eligible',
      text: `home division ${CHENGWU} inside city ${HEZE_CITY} listed in the provider's service area (home care bed)`,
    },
    {
      given: 'a county of another city',
      home: CHIPING,
      provider: { serviceArea: [CHENGWU, HEZE_CITY] },
      outcome: 'not-eligible',
      text: `home division ${CHIPING} outside the provider's service area [${CHENGWU}, ${HEZE_CITY}] (home care bed)`,
    },
    { given: 'another county of the same city, only a county listed', home: '371702', provider: countyProvider, outcome: 'not-eligible', text: 'home division 371702 outside' },
    { given: 'no provider', home: CHENGWU, provider: undefined, outcome: 'unknown', text: 'no provider given' },
    { given: 'no home division', home: undefined, provider: countyProvider, outcome: 'unknown', text: 'home division code not recorded' },
    { given: 'a home known only to city level', home: HEZE_CITY, provider: countyProvider, outcome: 'unknown', text: 'the county is needed' },
    { given: 'a malformed division code', home: '37172', provider: countyProvider, outcome: 'unknown', text: 'is not 6 digits' },
  ])('given a home with $given, when a home care bed is evaluated, then it is $outcome', ({ home, provider, outcome, text }) => {
    const { homeDivisionCode: _home, ...rest } = base;
    const facts: ElderFacts = home === undefined ? rest : { ...rest, homeDivisionCode: home };
    const result = only('home-care', facts, provider ? { provider } : {});
    expect(result.outcome).toBe(outcome);
    const texts = [...rulesOf(result), ...result.reasons, ...result.missing.map((m) => m.why)];
    expect(texts.some((t) => t.includes(text))).toBe(true);
    if (outcome === 'unknown') expect(missingFacts(result)).toEqual(['homeDivisionCode']);
  });

  it.each<{ hardship: ElderFacts['hardship']; evidence: string | undefined }>([
    { hardship: ['low-income', 'severe-disability'], evidence: 'hardship (low-income, severe-disability) gives priority, not eligibility (home care bed)' },
    { hardship: [], evidence: 'no hardship status giving priority (home care bed)' },
    { hardship: undefined, evidence: undefined },
  ])('given hardship $hardship, when a home care bed is evaluated, then hardship is priority evidence only', ({ hardship, evidence }) => {
    const eligible = only('home-care', { ...base, ...(hardship ? { hardship } : {}) }, { provider: countyProvider });
    expect(eligible.outcome).toBe('eligible');
    if (evidence) expect(rulesOf(eligible)).toContain(evidence);
    else expect(evidenceFacts(eligible)).not.toContain('hardship');
    const tooAble = only('home-care', { ...base, abilityLevel: 1, ...(hardship ? { hardship } : {}) }, { provider: countyProvider });
    expect(tooAble.outcome).toBe('not-eligible');
  });

  it('given an eligible elder with hardship, when a home care bed is evaluated, then the evidence lists exactly the facts used', () => {
    const result = only('home-care', { ...base, hardship: ['low-income'], dementiaDiagnosis: true, kps: 40 }, { provider: countyProvider });
    expect(result.evidence).toEqual([
      { fact: 'abilityLevel', value: 2, rule: 'ability level 2 ≥ 2 (home care bed)' },
      { fact: 'abilityAssessedOn', value: '2024-08-01', rule: 'ability assessment of 2024-08-01 valid until 2025-02-01 (home care bed)' },
      { fact: 'homeDivisionCode', value: CHENGWU, rule: `home division ${CHENGWU} listed in the provider's service area (home care bed)` },
      { fact: 'hardship', value: ['low-income'], rule: 'hardship (low-income) gives priority, not eligibility (home care bed)' },
    ]);
  });
});

describe('eligibility: home sick bed', () => {
  const eligible: ElderFacts = {
    clearDiagnosis: true,
    stableCondition: true,
    bedBoundOrCannotReachClinic: true,
    homeSickBedConditions: ['pressure-injury-or-stoma'],
    homeDivisionCode: CHENGWU,
    insuranceFiled: true,
  };
  const evaluate = (facts: ElderFacts, rules?: EligibilityRules): EligibilityResult =>
    only('home-sick', facts, { provider: cityProvider, ...(rules ? { rules } : {}) });

  it('given every condition and the filing made, when a home sick bed is evaluated, then it is eligible and uses every fact', () => {
    const result = evaluate(eligible);
    expect(result.outcome).toBe('eligible');
    expect(result.missing).toEqual([]);
    expect(evidenceFacts(result)).toEqual([
      'clearDiagnosis',
      'stableCondition',
      'bedBoundOrCannotReachClinic',
      'homeSickBedConditions',
      'homeDivisionCode',
      'insuranceFiled',
    ]);
  });

  it.each<{ insuranceFiled: boolean | undefined }>([{ insuranceFiled: undefined }, { insuranceFiled: false }])(
    'given insurance filing $insuranceFiled, when a home sick bed is evaluated, then it stays eligible and the filing is missing',
    ({ insuranceFiled }) => {
      const { insuranceFiled: _filed, ...rest } = eligible;
      const result = evaluate(insuranceFiled === undefined ? rest : { ...rest, insuranceFiled });
      expect(result.outcome).toBe('eligible');
      expect(result.missing).toEqual([{ fact: 'insuranceFiled', why: 'insurance filing (医保备案) must be made before the episode opens' }]);
      expect(INSURANCE_FILING_WHY).toBe('insurance filing (医保备案) must be made before the episode opens');
    },
  );

  it.each<{ given: string; change: ElderFacts; outcome: string; reason?: string; missing?: string[] }>([
    { given: 'no clear diagnosis', change: { clearDiagnosis: false }, outcome: 'not-eligible', reason: 'diagnosis not clear (home sick bed)' },
    { given: 'an unstable condition', change: { stableCondition: false }, outcome: 'not-eligible', reason: 'condition not stable (home sick bed)' },
    {
      given: 'an elder who can reach a clinic',
      change: { bedBoundOrCannotReachClinic: false },
      outcome: 'not-eligible',
      reason: 'neither bed-bound nor unable to reach a clinic (home sick bed)',
    },
    { given: 'no qualifying condition', change: { homeSickBedConditions: [] }, outcome: 'not-eligible', reason: 'no qualifying condition (home sick bed)' },
    { given: 'a home outside the service area', change: { homeDivisionCode: CHIPING }, outcome: 'not-eligible', reason: `home division ${CHIPING} outside the provider's service area [${HEZE_CITY}] (home sick bed)` },
    { given: 'stability not recorded', change: { stableCondition: undefined }, outcome: 'unknown', missing: ['stableCondition'] },
    { given: 'conditions not recorded', change: { homeSickBedConditions: undefined }, outcome: 'unknown', missing: ['homeSickBedConditions'] },
  ])('given $given, when a home sick bed is evaluated, then it is $outcome', ({ change, outcome, reason, missing }) => {
    const facts = Object.fromEntries(Object.entries({ ...eligible, ...change }).filter(([, v]) => v !== undefined)) as ElderFacts;
    const result = evaluate(facts);
    expect(result.outcome).toBe(outcome);
    expect(result.reasons).toEqual(reason ? [reason] : []);
    if (missing) expect(missingFacts(result)).toEqual(missing);
  });

  it('given a failing fact and an absent one, when a home sick bed is evaluated, then it is not-eligible and still lists what is missing', () => {
    const { clearDiagnosis: _clear, insuranceFiled: _filed, ...rest } = eligible;
    const result = evaluate({ ...rest, stableCondition: false });
    expect(result.outcome).toBe('not-eligible');
    expect(result.reasons).toEqual(['condition not stable (home sick bed)']);
    expect(missingFacts(result)).toEqual(['clearDiagnosis', 'insuranceFiled']);
  });

  it('given diabetic foot and rules that drop it, when a home sick bed is evaluated, then it is not-eligible under the new version', () => {
    const rules = createEligibilityRules({
      version: 'test-no-diabetic-foot',
      homeSickBedQualifyingConditions: DEFAULT_ELIGIBILITY_RULES.homeSickBedQualifyingConditions.filter((c) => c !== 'diabetic-foot'),
    });
    const facts: ElderFacts = { ...eligible, homeSickBedConditions: ['diabetic-foot'] };
    expect(evaluate(facts).outcome).toBe('eligible');
    const result = evaluate(facts, rules);
    expect(result.outcome).toBe('not-eligible');
    expect(result.reasons).toEqual(['no qualifying condition among diabetic-foot (home sick bed)']);
    expect(result.rulesVersion).toBe('test-no-diabetic-foot');
  });
});

describe('eligibility: hospice bed', () => {
  const eligible: ElderFacts = {
    terminalIllness: true,
    prognosisMonths: 3,
    kps: 40,
    ecog: 3,
    informedChoice: 'elder',
    advanceCarePlanRecorded: true,
  };
  const evaluate = (facts: ElderFacts, rules?: EligibilityRules): EligibilityResult =>
    only('hospice', facts, rules ? { rules } : {});

  it.each<{ given: string; change: ElderFacts; outcome: string; reason?: string; evidence?: string }>([
    { given: 'prognosis 6 months', change: { prognosisMonths: 6 }, outcome: 'eligible', evidence: 'prognosis 6 months ≤ 6 (hospice bed)' },
    { given: 'prognosis 7 months', change: { prognosisMonths: 7 }, outcome: 'not-eligible', reason: 'prognosis 7 months > 6 (hospice bed)' },
    { given: 'KPS 50 and ECOG 2', change: { kps: 50, ecog: 2 }, outcome: 'eligible', evidence: 'KPS 50 ≤ 50 (hospice bed)' },
    {
      given: 'KPS 51 and ECOG 2',
      change: { kps: 51, ecog: 2 },
      outcome: 'not-eligible',
      reason: 'KPS 51 > 50 (hospice bed) and ECOG 2 < 3 (hospice bed)',
    },
    { given: 'ECOG 3 and KPS 60', change: { kps: 60, ecog: 3 }, outcome: 'eligible', evidence: 'ECOG 3 ≥ 3 (hospice bed)' },
    { given: 'ECOG 2 and KPS 60', change: { kps: 60, ecog: 2 }, outcome: 'not-eligible', reason: 'KPS 60 > 50 (hospice bed) and ECOG 2 < 3 (hospice bed)' },
    { given: 'no terminal illness', change: { terminalIllness: false }, outcome: 'not-eligible', reason: 'not terminally ill (hospice bed)' },
    {
      given: 'a choice by the legal representative',
      change: { informedChoice: 'legal-representative' },
      outcome: 'eligible',
      evidence: 'informed choice made by the legal representative (hospice bed)',
    },
  ])('given $given, when a hospice bed is evaluated, then it is $outcome', ({ change, outcome, reason, evidence }) => {
    const result = evaluate({ ...eligible, ...change });
    expect(result.outcome).toBe(outcome);
    expect(result.reasons).toEqual(reason ? [reason] : []);
    if (evidence) expect(rulesOf(result)).toContain(evidence);
  });

  it.each<{ given: string; facts: ElderFacts; outcome: string; missing: string[] }>([
    { given: 'KPS unknown and ECOG 2', facts: { ...eligible, kps: undefined, ecog: 2 }, outcome: 'unknown', missing: ['kps'] },
    { given: 'KPS unknown and ECOG 3', facts: { ...eligible, kps: undefined, ecog: 3 }, outcome: 'eligible', missing: [] },
    { given: 'no informed choice', facts: { ...eligible, informedChoice: undefined }, outcome: 'unknown', missing: ['informedChoice'] },
    { given: 'no prognosis', facts: { ...eligible, prognosisMonths: undefined }, outcome: 'unknown', missing: ['prognosisMonths'] },
    { given: 'a negative prognosis', facts: { ...eligible, prognosisMonths: -1 }, outcome: 'unknown', missing: ['prognosisMonths'] },
    { given: 'prognosis 8 months and no informed choice', facts: { ...eligible, prognosisMonths: 8, informedChoice: undefined }, outcome: 'not-eligible', missing: ['informedChoice'] },
  ])('given $given, when a hospice bed is evaluated, then it is $outcome', ({ facts, outcome, missing }) => {
    const defined = Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) as ElderFacts;
    const result = evaluate(defined);
    expect(result.outcome).toBe(outcome);
    expect(missingFacts(result)).toEqual(missing);
  });

  it.each<{ advanceCarePlanRecorded: boolean | undefined }>([{ advanceCarePlanRecorded: undefined }, { advanceCarePlanRecorded: false }])(
    'given advance care planning $advanceCarePlanRecorded, when a hospice bed is evaluated, then it is eligible with the plan missing',
    ({ advanceCarePlanRecorded }) => {
      const { advanceCarePlanRecorded: _acp, ...rest } = eligible;
      const result = evaluate(advanceCarePlanRecorded === undefined ? rest : { ...rest, advanceCarePlanRecorded });
      expect(result.outcome).toBe('eligible');
      expect(result.missing).toEqual([{ fact: 'advanceCarePlanRecorded', why: ADVANCE_CARE_PLAN_WHY }]);
    },
  );

  it('given an eligible elder, when a hospice bed is evaluated, then the evidence lists every fact used', () => {
    const result = evaluate({ ...eligible, abilityLevel: 4, homeDivisionCode: CHENGWU });
    expect(evidenceFacts(result)).toEqual(['terminalIllness', 'prognosisMonths', 'kps', 'ecog', 'informedChoice', 'advanceCarePlanRecorded']);
    expect(result.evidence.find((e) => e.fact === 'prognosisMonths')).toEqual({
      fact: 'prognosisMonths',
      value: 3,
      rule: 'prognosis 3 months ≤ 6 (hospice bed)',
    });
  });

  it('given a 3-month prognosis limit, when a 4-month prognosis is evaluated, then it is not-eligible', () => {
    const rules = createEligibilityRules({ version: 'test-hospice-3', hospiceMaxPrognosisMonths: 3 });
    const result = evaluate({ ...eligible, prognosisMonths: 4 }, rules);
    expect(result.outcome).toBe('not-eligible');
    expect(result.reasons).toEqual(['prognosis 4 months > 3 (hospice bed)']);
  });
});

describe('eligibility: medical bed and every bed type', () => {
  it('given nothing known, when a medical bed is evaluated, then the receiving hospital decides', () => {
    const result = only('medical', {});
    expect(result).toMatchObject({ bedType: 'medical', outcome: 'eligible', missing: [], reasons: [] });
    expect(rulesOf(result)).toEqual(['admission decided by the receiving hospital (medical bed)']);
  });

  it.each(BED_TYPES.filter((t) => t !== 'care'))('given bed type %s, when evaluated, then one result of that type comes back', (bedType) => {
    const result = only(bedType, {});
    expect(result.bedType).toBe(bedType);
    expect(result.variant).toBeUndefined();
    expect(result.rulesVersion).toBe(DEFAULT_ELIGIBILITY_RULES.version);
  });

  it.each<{ bedType: BedType; variant?: string }>([{ bedType: 'care', variant: 'nursing-type' }, { bedType: 'home-care' }])(
    'given LTCI funding wanted, when $bedType is evaluated, then the grade is reported without deciding the bed',
    ({ bedType, variant }) => {
      const facts: ElderFacts = { abilityLevel: 3, ...freshAssessment, homeDivisionCode: CHENGWU, wantsLtciFunding: true };
      const pick = (f: ElderFacts): EligibilityResult =>
        evaluateEligibility(bedType, f, { asOf, provider: countyProvider }).find((r) => r.variant === variant)!;
      const unknownGrade = pick(facts);
      expect(unknownGrade.outcome).toBe('eligible');
      expect(missingFacts(unknownGrade)).toEqual(['ltciGrade']);
      const lowGrade = pick({ ...facts, ltciGrade: 2 });
      expect(lowGrade.outcome).toBe('eligible');
      expect(rulesOf(lowGrade).some((r) => r.startsWith('LTCI grade 2 < 3: no LTCI funding'))).toBe(true);
      const highGrade = pick({ ...facts, ltciGrade: 3 });
      expect(rulesOf(highGrade).some((r) => r.startsWith('LTCI grade 3 ≥ 3: LTCI funding can be applied for'))).toBe(true);
    },
  );
});

function refusal(attempt: () => unknown): readonly string[] {
  try {
    attempt();
  } catch (error) {
    if (error instanceof InvalidEligibilityRulesError) return error.problems;
    throw error;
  }
  throw new Error('rules were accepted but should have been refused');
}

describe('eligibility rules', () => {
  it('given the defaults, when read, then they carry the DOMAIN.md thresholds and are frozen', () => {
    expect(DEFAULT_ELIGIBILITY_RULES).toMatchObject({
      version: 'shandong-default-2024',
      effectiveFrom: '2024-01-01',
      nursingTypeMinAbilityLevel: 2,
      nursingTypeMinLtciGrade: 2,
      homeCareMinAbilityLevel: 2,
      hospiceMaxPrognosisMonths: 6,
      hospiceMaxKps: 50,
      hospiceMinEcog: 3,
      abilityAssessmentValidMonths: 6,
    });
    expect(Object.isFrozen(DEFAULT_ELIGIBILITY_RULES)).toBe(true);
    expect(Object.isFrozen(DEFAULT_ELIGIBILITY_RULES.homeSickBedQualifyingConditions)).toBe(true);
  });

  it('given valid overrides, when rules are created, then a frozen copy differs only there', () => {
    const rules = createEligibilityRules({ version: 'heze-2025', effectiveFrom: '2025-01-01', homeCareMinAbilityLevel: 3 });
    expect(rules).toEqual({ ...DEFAULT_ELIGIBILITY_RULES, version: 'heze-2025', effectiveFrom: '2025-01-01', homeCareMinAbilityLevel: 3 });
    expect(Object.isFrozen(rules)).toBe(true);
    expect(DEFAULT_ELIGIBILITY_RULES.homeCareMinAbilityLevel).toBe(2);
  });

  it.each<{ given: string; overrides: Record<string, unknown>; problem: string }>([
    { given: 'negative validity months', overrides: { abilityAssessmentValidMonths: -1 }, problem: 'abilityAssessmentValidMonths must be a whole number from 1 to 120' },
    { given: 'zero validity months', overrides: { abilityAssessmentValidMonths: 0 }, problem: 'abilityAssessmentValidMonths' },
    { given: 'ability level 5', overrides: { homeCareMinAbilityLevel: 5 }, problem: 'homeCareMinAbilityLevel must be a whole number from 0 to 4, got 5' },
    { given: 'ability level -1', overrides: { nursingTypeMinAbilityLevel: -1 }, problem: 'nursingTypeMinAbilityLevel' },
    { given: 'ability level 1.5', overrides: { nursingTypeMinAbilityLevel: 1.5 }, problem: 'nursingTypeMinAbilityLevel' },
    { given: 'LTCI grade 6', overrides: { nursingTypeMinLtciGrade: 6 }, problem: 'nursingTypeMinLtciGrade' },
    { given: 'negative prognosis months', overrides: { hospiceMaxPrognosisMonths: -6 }, problem: 'hospiceMaxPrognosisMonths must be a positive number' },
    { given: 'KPS 120', overrides: { hospiceMaxKps: 120 }, problem: 'hospiceMaxKps must be from 0 to 100' },
    { given: 'ECOG 6', overrides: { hospiceMinEcog: 6 }, problem: 'hospiceMinEcog' },
    { given: 'a bad effective date', overrides: { effectiveFrom: '2024-13-01' }, problem: 'effectiveFrom must be an ISO date' },
    { given: 'an empty version', overrides: { version: ' ' }, problem: 'version must be a non-empty string' },
    { given: 'an unknown key', overrides: { homeCareMinLevel: 3 }, problem: 'unknown rule keys: homeCareMinLevel' },
    { given: 'an unknown condition', overrides: { homeSickBedQualifyingConditions: ['flu'] }, problem: 'unknown codes: "flu"' },
    { given: 'no qualifying condition', overrides: { homeSickBedQualifyingConditions: [] }, problem: 'homeSickBedQualifyingConditions must not be empty' },
    {
      given: 'a threshold change under the old version',
      overrides: { version: DEFAULT_ELIGIBILITY_RULES.version, homeCareMinAbilityLevel: 3 },
      problem: 'homeCareMinAbilityLevel changed: give a new version (still "shandong-default-2024")',
    },
  ])('given $given, when rules are created, then they are refused', ({ overrides, problem }) => {
    const problems = refusal(() => createEligibilityRules({ version: 'test', ...overrides } as Partial<EligibilityRules>));
    expect(problems.some((p) => p.includes(problem)), problems.join('; ')).toBe(true);
  });

  it('given a threshold change without a version, when rules are created, then they are refused', () => {
    expect(refusal(() => createEligibilityRules({ hospiceMaxKps: 60 }))).toEqual([
      'hospiceMaxKps changed: give a new version (still "shandong-default-2024")',
    ]);
  });

  it('given rules effective from 2025, when evaluated in 2024, then evaluation refuses', () => {
    const rules = createEligibilityRules({ version: 'heze-2025', effectiveFrom: '2025-01-01' });
    expect(() => evaluateEligibility('hospice', {}, { asOf, rules })).toThrow(/take effect on 2025-01-01/);
    expect(() => evaluateEligibility('hospice', {}, { asOf: new Date('2024-12-31T16:00:00Z'), rules })).not.toThrow();
  });
});
