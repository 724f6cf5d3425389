import type { BedTypeName } from './types.js';

/** A bed the elder is in now (a stay in any of the five bed services). */
export interface CurrentStay {
  admissionId: string;
  institutionId: string;
  bedType: BedTypeName;
}

/** 两床融合: a home care bed and a home sick bed may serve the same elder at once. */
const FUSED: ReadonlySet<string> = new Set(['home-care→home-sick', 'home-sick→home-care']);

/**
 * The stays a new referral would put the elder in a second bed beside: every current stay except
 * the one the referral leaves (at its origin institution) and a home bed the new bed fuses with
 * (a home sick bed beside a home care bed, or the other way round, when every bed type the
 * referral may end in is the fused one). A referral into another bed while these stand must be
 * an explicit move, confirmed by the referring side.
 */
export function staysInTheWay(stays: readonly CurrentStay[], origin: { institutionId: string }, bedTypes: readonly BedTypeName[]): CurrentStay[] {
  return stays.filter((s) => s.institutionId !== origin.institutionId && !bedTypes.every((b) => FUSED.has(`${s.bedType}→${b}`)));
}
