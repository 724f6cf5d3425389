import type { ReferralContext } from '../domain/referral-machine.js';
import type { OfferStatus } from '../domain/types.js';

/** The parties of a referral, as authorization needs them. */
export interface Parties {
  originInstitutionId: string;
  originDivisionCode: string;
  /** Offer id → the offered institution. */
  offers: Map<string, string>;
  /** Every offer with its institution and status (a declined provider is no longer a live party). */
  offerList: { offerId: string; institutionId: string; status: OfferStatus }[];
  /** The institution of the offer the family chose, while that choice stands. */
  chosenInstitutionId: string | undefined;
  /** The institution holding the bed (or, for a return, the kept bed once the elder is back). */
  placedInstitutionId: string | undefined;
  /** The institution keeping a bed for the elder's return (留床), on a return referral. */
  keptBedInstitutionId: string | undefined;
}

/** The parties of a referral from its machine context and its offers. */
export function partiesOf(context: ReferralContext, offerRows: readonly { id: string; institutionId: string; status: string }[]): Parties {
  return {
    originInstitutionId: context.origin.institutionId,
    originDivisionCode: context.origin.divisionCode,
    offers: new Map(offerRows.map((o) => [o.id, o.institutionId])),
    offerList: offerRows.map((o) => ({ offerId: o.id, institutionId: o.institutionId, status: o.status as OfferStatus })),
    chosenInstitutionId: context.offers.find((o) => o.offerId === context.chosenOfferId)?.institutionId,
    placedInstitutionId: context.hold?.institutionId,
    keptBedInstitutionId: context.returnTo?.institutionId,
  };
}

/** Every institution among a referral's parties. */
export function institutionsIn(p: Parties): string[] {
  return [...new Set([p.originInstitutionId, ...p.offers.values(), ...(p.placedInstitutionId ? [p.placedInstitutionId] : []), ...(p.keptBedInstitutionId ? [p.keptBedInstitutionId] : [])])];
}
