import type { PacketConsent, ReferralPacket } from '@fbl/contracts';
import { ATTACHMENT_MEDIA_TYPES, ICD10_PATTERN, MAX_ATTACHMENT_BYTES, type PacketFact } from '@fbl/contracts/packet-codes';

/**
 * The referral packet as its form holds it while it is being written: text for every input,
 * `''` for what is not stated. `toPacket` turns it into the packet the API takes, with an error
 * for each input that cannot be sent (keyed by the input's id); `fromPacket` fills the form from
 * a stored packet.
 */
export interface PacketDraft {
  reason: string;
  plannedDischargeDate: string;
  diagnoses: { code: string; name: string }[];
  allergies: string;
  medications: { name: string; dose: string; frequency: string }[];
  careNeeds: Record<string, { checked: boolean; note: string }>;
  mobility: string;
  continence: string;
  cognition: string;
  /** Eligibility facts: booleans as 'yes' | 'no' | '', numbers as text, lists as arrays. */
  facts: Partial<Record<PacketFact, string | string[]>>;
  familyName: string;
  familyRelation: string;
  familyPhone: string;
  wishes: string;
  plannerName: string;
  plannerPhone: string;
}

export const emptyDraft = (): PacketDraft => ({
  reason: '',
  plannedDischargeDate: '',
  diagnoses: [{ code: '', name: '' }],
  allergies: '',
  medications: [],
  careNeeds: {},
  mobility: '',
  continence: '',
  cognition: '',
  facts: {},
  familyName: '',
  familyRelation: '',
  familyPhone: '',
  wishes: '',
  plannerName: '',
  plannerPhone: '',
});

/** The kind of input each eligibility fact has on the form. */
export const FACT_INPUT: Record<PacketFact, 'boolean' | 'number' | 'choice' | 'conditions' | 'division'> = {
  clearDiagnosis: 'boolean',
  stableCondition: 'boolean',
  bedBoundOrCannotReachClinic: 'boolean',
  homeSickBedConditions: 'conditions',
  insuranceFiled: 'boolean',
  terminalIllness: 'boolean',
  prognosisMonths: 'number',
  kps: 'number',
  ecog: 'number',
  informedChoice: 'choice',
  advanceCarePlanRecorded: 'boolean',
  dementiaDiagnosis: 'boolean',
  homeDivisionCode: 'division',
};

/** The bounds of the numeric facts: least, most, and the step between allowed values. */
export const FACT_RANGE: Partial<Record<PacketFact, { min: number; max: number; step: number }>> = {
  prognosisMonths: { min: 0, max: 600, step: 0.5 },
  kps: { min: 0, max: 100, step: 10 },
  ecog: { min: 0, max: 5, step: 1 },
};

const PHONE = /^[0-9+() -]{5,20}$/;
const ICD10 = new RegExp(ICD10_PATTERN);

/** The input id of each part of the packet, so the form and the API's errors point at the same place. */
export const inputId = {
  reason: 'pk-reason',
  plannedDischargeDate: 'pk-discharge',
  diagnosisCode: (i: number) => `pk-dx-code-${i}`,
  diagnosisName: (i: number) => `pk-dx-name-${i}`,
  allergies: 'pk-allergies',
  medicationName: (i: number) => `pk-med-name-${i}`,
  careNote: (code: string) => `pk-need-${code}`,
  fact: (fact: string) => `pk-fact-${fact}`,
  familyName: 'pk-family-name',
  familyRelation: 'pk-family-relation',
  familyPhone: 'pk-family-phone',
  plannerName: 'pk-planner-name',
  plannerPhone: 'pk-planner-phone',
};

/** Words the checks need, in the reader's language. */
export interface DraftWords {
  required: string;
  phoneInvalid: string;
  diagnosisCodeInvalid: string;
  outOfRange: (min: number, max: number, step: number) => string;
}

/** The packet the form says, or the errors that keep it from being sent. */
export function toPacket(d: PacketDraft, words: DraftWords): { packet: ReferralPacket; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const text = (v: string) => v.trim();
  const packet: ReferralPacket = {};
  if (text(d.reason)) packet.reason = text(d.reason);
  if (d.plannedDischargeDate) packet.plannedDischargeDate = d.plannedDischargeDate;
  const diagnoses = d.diagnoses.flatMap((x, i) => {
    const code = text(x.code).toUpperCase();
    const name = text(x.name);
    if (!code && !name) return [];
    if (code && !ICD10.test(code)) errors[inputId.diagnosisCode(i)] = words.diagnosisCodeInvalid;
    if (!name) errors[inputId.diagnosisName(i)] = words.required;
    return [{ ...(code ? { code } : {}), name }];
  });
  if (diagnoses.length > 0) packet.diagnoses = diagnoses;
  if (text(d.allergies)) packet.allergies = text(d.allergies);
  const medications = d.medications.flatMap((m, i) => {
    if (!text(m.name) && !text(m.dose) && !text(m.frequency)) return [];
    if (!text(m.name)) errors[inputId.medicationName(i)] = words.required;
    return [{ name: text(m.name), ...(text(m.dose) ? { dose: text(m.dose) } : {}), ...(text(m.frequency) ? { frequency: text(m.frequency) } : {}) }];
  });
  if (medications.length > 0) packet.medications = medications;
  const needs = Object.entries(d.careNeeds).filter(([, n]) => n.checked);
  if (needs.length > 0) packet.careNeeds = needs.map(([code, n]) => ({ code: code as NonNullable<ReferralPacket['careNeeds']>[number]['code'], ...(text(n.note) ? { note: text(n.note) } : {}) }));
  const functional = { ...(d.mobility ? { mobility: d.mobility } : {}), ...(d.continence ? { continence: d.continence } : {}), ...(d.cognition ? { cognition: d.cognition } : {}) };
  if (Object.keys(functional).length > 0) packet.functional = functional as ReferralPacket['functional'];
  const eligibility: Record<string, unknown> = {};
  for (const [fact, value] of Object.entries(d.facts) as [PacketFact, string | string[]][]) {
    if (value === '' || value === undefined) continue;
    switch (FACT_INPUT[fact]) {
      case 'boolean':
        eligibility[fact] = value === 'yes';
        break;
      case 'number': {
        const n = Number(value);
        const range = FACT_RANGE[fact]!;
        const onStep = Math.abs(n / range.step - Math.round(n / range.step)) < 1e-9;
        if (!Number.isFinite(n) || n < range.min || n > range.max || !onStep) errors[inputId.fact(fact)] = words.outOfRange(range.min, range.max, range.step);
        else eligibility[fact] = n;
        break;
      }
      case 'conditions':
        if ((value as string[]).length > 0) eligibility[fact] = value;
        break;
      case 'choice':
      case 'division':
        eligibility[fact] = value;
        break;
    }
  }
  if (Object.keys(eligibility).length > 0) packet.eligibility = eligibility as ReferralPacket['eligibility'];
  if (text(d.familyName) || text(d.familyPhone) || d.familyRelation) {
    if (!text(d.familyName)) errors[inputId.familyName] = words.required;
    if (!d.familyRelation) errors[inputId.familyRelation] = words.required;
    if (!PHONE.test(text(d.familyPhone))) errors[inputId.familyPhone] = text(d.familyPhone) ? words.phoneInvalid : words.required;
    packet.familyContact = { name: text(d.familyName), relation: d.familyRelation as NonNullable<ReferralPacket['familyContact']>['relation'], phone: text(d.familyPhone) };
  }
  if (text(d.wishes)) packet.wishes = text(d.wishes);
  if (text(d.plannerName) || text(d.plannerPhone)) {
    if (!text(d.plannerName)) errors[inputId.plannerName] = words.required;
    if (!PHONE.test(text(d.plannerPhone))) errors[inputId.plannerPhone] = text(d.plannerPhone) ? words.phoneInvalid : words.required;
    packet.plannerContact = { name: text(d.plannerName), phone: text(d.plannerPhone) };
  }
  return { packet, errors };
}

/** The form filled from a stored packet. */
export function fromPacket(p: ReferralPacket): PacketDraft {
  const facts: PacketDraft['facts'] = {};
  for (const [fact, value] of Object.entries(p.eligibility ?? {}) as [PacketFact, unknown][]) {
    facts[fact] = typeof value === 'boolean' ? (value ? 'yes' : 'no') : Array.isArray(value) ? (value as string[]) : String(value);
  }
  return {
    reason: p.reason ?? '',
    plannedDischargeDate: p.plannedDischargeDate ?? '',
    diagnoses: p.diagnoses && p.diagnoses.length > 0 ? p.diagnoses.map((x) => ({ code: x.code ?? '', name: x.name })) : [{ code: '', name: '' }],
    allergies: p.allergies ?? '',
    medications: (p.medications ?? []).map((m) => ({ name: m.name, dose: m.dose ?? '', frequency: m.frequency ?? '' })),
    careNeeds: Object.fromEntries((p.careNeeds ?? []).map((n) => [n.code, { checked: true, note: n.note ?? '' }])),
    mobility: p.functional?.mobility ?? '',
    continence: p.functional?.continence ?? '',
    cognition: p.functional?.cognition ?? '',
    facts,
    familyName: p.familyContact?.name ?? '',
    familyRelation: p.familyContact?.relation ?? '',
    familyPhone: p.familyContact?.phone ?? '',
    wishes: p.wishes ?? '',
    plannerName: p.plannerContact?.name ?? '',
    plannerPhone: p.plannerContact?.phone ?? '',
  };
}

/** Consent as its form holds it. */
export interface ConsentDraft {
  given: boolean;
  givenBy: string;
  giverName: string;
  method: string;
}

export const emptyConsent = (): ConsentDraft => ({ given: false, givenBy: 'elder', giverName: '', method: 'written' });

/** The consent to send, undefined when it was not given, or the errors of its inputs. */
export function toConsent(c: ConsentDraft, words: { required: string }): { consent: PacketConsent | undefined; errors: Record<string, string> } {
  if (!c.given) return { consent: undefined, errors: {} };
  const errors: Record<string, string> = {};
  if (c.givenBy !== 'elder' && !c.giverName.trim()) errors['pk-consent-giver-name'] = words.required;
  return { consent: { givenBy: c.givenBy as PacketConsent['givenBy'], method: c.method as PacketConsent['method'], ...(c.givenBy !== 'elder' && c.giverName.trim() ? { giverName: c.giverName.trim() } : {}) }, errors };
}

const FILE_TYPES: readonly string[] = ATTACHMENT_MEDIA_TYPES;

/** Why a chosen file cannot be attached, before it is sent: its type or its size (the service checks both again, the type from the content). */
export function fileProblem(file: { type: string; size: number; name: string }): 'wrongFileType' | 'fileTooLarge' | undefined {
  const byName = /\.(pdf|jpe?g|png)$/i.test(file.name);
  if (!(FILE_TYPES.includes(file.type) || (file.type === '' && byName))) return 'wrongFileType';
  if (file.size > MAX_ATTACHMENT_BYTES) return 'fileTooLarge';
  return undefined;
}
