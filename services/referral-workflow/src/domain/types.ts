/** The words of the referral domain, shared by the machine, matching and the host. Pure types. */

export type BedTypeName = 'care' | 'medical' | 'home-care' | 'home-sick' | 'hospice';
export type Urgency = 'routine' | 'green-channel';
export type ReferralKind = 'discharge' | 'urgent-transfer' | 'return';
export type CancelReason = 'death' | 'family-withdrew' | 'condition-changed' | 'duplicate' | 'other';
export type DeclineReason = 'no-capacity' | 'care-needs-exceed-capability' | 'outside-service-area' | 'payment-or-insurance' | 'elder-or-family-refused' | 'other';
export type OfferStatus = 'open' | 'accepted' | 'declined' | 'expired' | 'not-selected' | 'withdrawn' | 'unavailable';

/** Durations of the referral's deadlines, in milliseconds (configuration, with defaults). */
export interface Deadlines {
  assessmentMs: number;
  ltciMs: number;
  offerMs: number;
  choiceMs: number;
  followUpMs: number;
}

const HOUR = 3600_000;
/** Default deadlines of a routine referral. */
export const ROUTINE_DEADLINES: Deadlines = { assessmentMs: 72 * HOUR, ltciMs: 72 * HOUR, offerMs: 24 * HOUR, choiceMs: 48 * HOUR, followUpMs: 7 * 24 * HOUR };
/** Default deadlines of a green-channel referral: short, the partner first. */
export const GREEN_CHANNEL_DEADLINES: Deadlines = { assessmentMs: 24 * HOUR, ltciMs: 24 * HOUR, offerMs: 2 * HOUR, choiceMs: 4 * HOUR, followUpMs: 7 * 24 * HOUR };

/** An offer to one provider. */
export interface Offer {
  offerId: string;
  institutionId: string;
  bedType: BedTypeName;
  rank: number;
  status: OfferStatus;
  reasonCode?: DeclineReason;
}

/** What is known about the elder's eligibility when matching. */
export interface KnownFacts {
  abilityLevel?: number;
  abilityAssessedOn?: string;
  dementiaDiagnosis?: boolean;
  ltciGrade?: number;
  ltciAuthorised?: boolean;
  /** Where the elder lives, when known (a home bed's service area, the insurance officers' division). */
  homeDivisionCode?: string;
  [fact: string]: unknown;
}

/** Where the elder comes from. */
export interface Origin {
  institutionId: string;
  bedType: BedTypeName;
  divisionCode: string;
  /** The stay at the origin, when the origin's bed service knows it. */
  admissionId?: string;
}

/** The kept bed a return referral goes back to (留床). */
export interface ReturnTarget {
  institutionId: string;
  bedType: BedTypeName;
  admissionId: string;
}

/** Who or what took a step, as people read it. */
export type StepActor =
  | { kind: 'person'; name: string | null; role: string | null; institutionName: string | null }
  | { kind: 'service'; service: string; institutionName: string | null }
  | { kind: 'deadline'; deadline: string };
