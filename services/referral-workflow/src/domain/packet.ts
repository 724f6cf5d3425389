import { evaluateCareBedVariant, evaluateEligibility, type ElderFacts, type EligibilityResult } from '@fbl/eligibility';
import { PACKET_FACTS, type PacketFact } from '@fbl/contracts/packet-codes';
import type { ReferralPacket } from '@fbl/contracts';
import type { BedTypeName, KnownFacts, OfferStatus } from './types.js';

/**
 * The referral packet's rules, pure: who may see how much of it (disclosure by stage), what a
 * provider sees before the family chose, what eligibility reads from it, and what it still lacks.
 */

/** How a reader stands to a referral. */
export type PacketAccess =
  /** The referring side: the planner's hospital, or the care home sending its own resident. */
  | 'referrer'
  /** The provider the family chose, that holds the bed, or that keeps the bed the elder returns to. */
  | 'receiver'
  /** A provider offered the referral whose offer is still live (open, or accepted and in reserve). */
  | 'offered'
  /** Anyone else, including providers that declined, let it expire or were not selected. */
  | 'none';

/** Who takes part in a referral, as disclosure needs it. */
export interface PacketParties {
  originInstitutionId: string;
  offers: readonly { institutionId: string; status: OfferStatus }[];
  chosenInstitutionId?: string | undefined;
  placedInstitutionId?: string | undefined;
  keptBedInstitutionId?: string | undefined;
}

/** A reader of a packet: their role and institution. */
export interface PacketReader {
  role: string;
  institutionId?: string | undefined;
}

const LIVE: readonly OfferStatus[] = ['open', 'accepted'];

/** How a reader stands to a referral (see {@link PacketAccess}). */
export function packetAccessOf(p: PacketParties, who: PacketReader): PacketAccess {
  const at = who.institutionId;
  if (at === undefined) return 'none';
  if ((who.role === 'planner' || who.role === 'provider') && at === p.originInstitutionId) return 'referrer';
  if (who.role !== 'provider') return 'none';
  if (at === p.chosenInstitutionId || at === p.placedInstitutionId || at === p.keptBedInstitutionId) return 'receiver';
  if (p.offers.some((o) => o.institutionId === at && LIVE.includes(o.status))) return 'offered';
  return 'none';
}

/**
 * What of the packet a reader sees: the referrer all of it; the receiver all of it once the
 * elder (or guardian) consented to sharing; a live offer the clinical part under that consent;
 * no one else anything. `withheld` says why a party sees nothing.
 */
export type Disclosure = { level: 'full' | 'clinical' } | { level: 'none'; withheld: 'not-a-party' | 'no-consent' };

export function disclosureOf(access: PacketAccess, consented: boolean): Disclosure {
  switch (access) {
    case 'referrer':
      return { level: 'full' };
    case 'receiver':
      return consented ? { level: 'full' } : { level: 'none', withheld: 'no-consent' };
    case 'offered':
      return consented ? { level: 'clinical' } : { level: 'none', withheld: 'no-consent' };
    case 'none':
      return { level: 'none', withheld: 'not-a-party' };
    default: {
      const unreachable: never = access;
      throw new Error(`unknown access ${String(unreachable)}`);
    }
  }
}

/** The packet without what only the receiver may see (the family's contact). */
export function clinicalPart(packet: ReferralPacket): ReferralPacket {
  const { familyContact: _familyContact, ...clinical } = packet;
  return clinical;
}

/** An age band of five years (年龄段), from a birth year: what a provider sees instead of a birth date. */
export function ageBand(birthYear: number, asOf: Date): { from: number; to: number } {
  const age = asOf.getUTCFullYear() - birthYear;
  const from = Math.max(0, Math.floor(age / 5) * 5);
  return { from, to: from + 4 };
}

/** ICD-10 codes of dementia (DOMAIN §2: F00–F03; G30, Alzheimer's disease, is the dagger code of F00). */
const DEMENTIA_CODE = /^(F0[0-3]|G30)/;

/**
 * The facts eligibility reads from a packet: the answers on its form, the care needs as medical
 * needs, and a dementia diagnosis when a diagnosis code says so and the form does not say otherwise.
 */
export function factsOfPacket(packet: ReferralPacket | undefined): KnownFacts {
  if (!packet) return {};
  const facts: KnownFacts = { ...(packet.eligibility ?? {}) };
  if (packet.careNeeds && packet.careNeeds.length > 0) facts['medicalNeeds'] = packet.careNeeds.map((n) => n.code);
  if (facts.dementiaDiagnosis === undefined && (packet.diagnoses ?? []).some((d) => d.code !== undefined && DEMENTIA_CODE.test(d.code))) facts.dementiaDiagnosis = true;
  return facts;
}

/** The eligibility facts of a packet the referral's machine keeps itself (who handles LTCI depends on the home division). */
export const MACHINE_FACTS = ['homeDivisionCode', 'dementiaDiagnosis'] as const;

/** Facts a planner answers on the packet form, and the others (from civil affairs, medical insurance), apart. */
export function splitFacts(facts: Record<string, unknown>): { packet: Partial<Record<PacketFact, unknown>>; other: Record<string, unknown> } {
  const packet: Partial<Record<PacketFact, unknown>> = {};
  const other: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(facts)) {
    if ((PACKET_FACTS as readonly string[]).includes(key)) packet[key as PacketFact] = value;
    else other[key] = value;
  }
  return { packet, other };
}

/** A fact a bed type's rules still need. */
export interface MissingFact {
  bedType: BedTypeName;
  fact: string;
}

/** The eligibility of a bed type as the referral asks for it: for care beds, the variant its requirements name. */
function resultsFor(bedType: BedTypeName, facts: ElderFacts, asOf: Date, requirements: Record<string, string | boolean>): EligibilityResult[] {
  if (bedType !== 'care') return evaluateEligibility(bedType, facts, { asOf });
  const variant = requirements['dementia'] === true ? 'dementia' : requirements['nursingType'] === true ? 'nursing-type' : 'ordinary';
  return [evaluateCareBedVariant(variant, facts, { asOf })];
}

/**
 * What the rules of the bed types asked for still lack, given what is known: the facts to collect
 * (on the packet form, or from civil affairs and medical insurance). A provider's service area is
 * not a missing fact of the elder's and is left out; a stale ability assessment is missing.
 */
export function missingFacts(bedTypes: readonly BedTypeName[], facts: KnownFacts, asOf: Date, requirements: Record<string, string | boolean> = {}): MissingFact[] {
  const seen = new Set<string>();
  const missing: MissingFact[] = [];
  for (const bedType of bedTypes) {
    for (const result of resultsFor(bedType, facts as ElderFacts, asOf, requirements)) {
      for (const m of result.missing) {
        const fact = String(m.fact);
        if (facts[fact] !== undefined && fact !== 'abilityLevel') continue;
        if (seen.has(`${bedType}:${fact}`)) continue;
        seen.add(`${bedType}:${fact}`);
        missing.push({ bedType, fact });
      }
    }
  }
  return missing;
}

/** Whether two sets of facts differ in anything eligibility reads. */
export function factsDiffer(a: KnownFacts, b: KnownFacts): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].some((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/** What the workflow knows of an elder, as an inbox line shows it: no name, no exact age, no address. */
export interface ElderSummary {
  ageBand: { from: number; to: number } | null;
  sex: string | null;
  countyCode: string | null;
  abilityLevel: number | null;
  ltciGrade: number | null;
}

/** The elder's part of a summary, from civil affairs' profile and the known facts (a packet's facts among them). */
export function elderSummary(profile: { gender: string; birthYear: number; divisionCode: string | null } | undefined, facts: KnownFacts, now: Date): ElderSummary {
  return {
    ageBand: profile ? ageBand(profile.birthYear, now) : null,
    sex: profile?.gender ?? null,
    countyCode: facts.homeDivisionCode ?? profile?.divisionCode ?? null,
    abilityLevel: typeof facts.abilityLevel === 'number' ? facts.abilityLevel : null,
    ltciGrade: typeof facts.ltciGrade === 'number' ? facts.ltciGrade : null,
  };
}

/**
 * What a provider's inbox shows of a live offer: enough to decide whether to open the packet.
 * `basis` says why it may be shown: the elder's consent to share the packet, or (an urgent
 * transfer's hospital, without consent) the emergency, with the transfer's reason.
 */
export interface PacketSummary extends ElderSummary {
  basis: 'consent' | 'emergency';
  diagnoses: { code?: string; name: string }[];
  careNeeds: string[];
  reason: string | null;
  /** 转院原因: why the care home sends the resident to hospital (urgent transfers only, else null). */
  transferReason: string | null;
}
