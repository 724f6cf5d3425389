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
  /** The projection's rows of some bed types, read in the step's transaction. */
  providers(tx: Tx, bedTypes: readonly BedTypeName[]): Promise<ProviderAvailability[]>;
  /** The same from the process's in-memory view of the projection; undefined while it is not loaded. */
  viewed?(bedTypes: readonly BedTypeName[]): ProviderAvailability[] | undefined;
  packets: PacketStore;
}

/**
 * Rank providers from the capacity projection; the run is kept sealed; answer with offers or none.
 *
 * The ranking is made from the in-memory view of the projection when it is loaded, else from the
 * table. The view may be a moment behind the table (see `AvailabilityView`); that can only offer a
 * provider that has just filled up, who then declines or whose bed service refuses the hold (the
 * bed service alone holds a bed). Where it could cost more, the table decides: a ranking from the
 * view without candidates (which would widen or escalate the referral) or without the provider
 * the sender chose is made again from the table.
 */
export function matcher(ports: MatchingPorts, tx: Tx, now: Date): Match {
  return async (context, p) => {
    // The planner's answers on the packet (sealed, so not in the machine's context) count as known facts.
    const packet = await ports.packets.load(tx, context.referralId);
    const rank = (providers: readonly ProviderAvailability[]) => rankCandidates(
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
    const viewed = ports.viewed?.(p.bedTypes);
    let result = viewed ? rank(viewed) : rank(await ports.providers(tx, p.bedTypes));
    const missesChosen = context.preferredInstitutionId !== undefined && result.candidates[0]?.why[0]?.code !== 'chosen-by-sender';
    if (viewed && (result.candidates.length === 0 || missesChosen)) result = rank(await ports.providers(tx, p.bedTypes));
    // The offered candidates and the exclusions counted by reason; the reasons cite the elder's health facts (a KPS, a diagnosis): sealed at rest.
    const run = { kind: 'matchRun' as const, at: now, widened: p.widened, resultSealed: ports.packets.seal(JSON.stringify(result)) };
    if (result.candidates.length === 0) return { event: { type: 'NoMatches' }, effects: [run] };
    const made: Offer[] = result.candidates.map((c, i) => ({ offerId: newId(), institutionId: c.institutionId, bedType: c.bedType, rank: i + 1, status: 'open' }));
    return { event: { type: 'MatchesFound', offers: made }, effects: [run] };
  };
}
