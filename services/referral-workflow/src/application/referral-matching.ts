import { shandongDivisions } from '@fbl/codes';
import { newId } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import { rankCandidates, type ProviderAvailability } from '../domain/matching.js';
import { factsOfPacket } from '../domain/packet.js';
import type { BedTypeName, Offer } from '../domain/types.js';
import type { PacketStore } from '../adapters/db/packet-store.js';
import type { Match } from './referral-steps.js';

/** How many providers are offered a referral at once. */
export const OFFERS_AT_ONCE = 3;

/** What matching reads: the providers' capacity as the workflow projects it, and the referral's packet. */
export interface MatchingPorts {
  providers(tx: Tx, bedTypes: readonly BedTypeName[]): Promise<ProviderAvailability[]>;
  packets: PacketStore;
}

/** Rank providers from the capacity projection; the run is kept sealed; answer with offers or none. */
export function matcher(ports: MatchingPorts, tx: Tx, now: Date): Match {
  return async (context, p) => {
    const providers = await ports.providers(tx, p.bedTypes);
    // The planner's answers on the packet (sealed, so not in the machine's context) count as known facts.
    const packet = await ports.packets.load(tx, context.referralId);
    const result = rankCandidates(
      {
        bedTypes: p.bedTypes,
        ...(context.requirements ? { requirements: context.requirements } : {}),
        facts: { ...context.facts, ...factsOfPacket(packet?.packet) },
        origin: { institutionId: context.origin.institutionId, divisionCode: context.origin.divisionCode },
        urgency: context.urgency,
        ltciFunded: context.facts.ltciAuthorised === true,
        excludeInstitutions: [...p.excludeInstitutions, context.origin.institutionId],
        ...(context.preferredInstitutionId ? { preferInstitutionId: context.preferredInstitutionId } : {}),
        maxOffers: OFFERS_AT_ONCE,
        asOf: now,
      },
      providers,
      shandongDivisions,
    );
    // Exclusion reasons cite the elder's health facts (a KPS, a diagnosis): the ranking is sealed at rest.
    const run = { kind: 'matchRun' as const, at: now, widened: p.widened, resultSealed: ports.packets.seal(JSON.stringify(result)) };
    if (result.candidates.length === 0) return { event: { type: 'NoMatches' }, effects: [run] };
    const made: Offer[] = result.candidates.map((c, i) => ({ offerId: newId(), institutionId: c.institutionId, bedType: c.bedType, rank: i + 1, status: 'open' }));
    return { event: { type: 'MatchesFound', offers: made }, effects: [run] };
  };
}
