import { AssessAbility, HomeVisitCompleted, ProviderChoiceLapsed, ProviderChosen } from '@fbl/contracts';
import { on, type HandlerEntry } from '@fbl/messaging';
import type { Elders } from '../../application/elders.js';
import type { HomeCareHours } from '../../application/home-care-hours.js';

/**
 * What civil affairs acts on: the workflow's requests for an assessment, and the family's choice
 * of a provider (whose staff may then see the elder's record) and its lapse, and the visits of
 * home-care bed providers (`home-care-beds.events`), whose item minutes the government's hours count.
 */
export function civilAffairsHandlers(elders: Elders, hours: HomeCareHours): HandlerEntry[] {
  return [
    on(AssessAbility, (m, { tx, outbox }) => elders.requestAssessment(m, tx, outbox)),
    on(ProviderChosen, (m, { tx }) => elders.providerChosen(tx, m.data)),
    on(ProviderChoiceLapsed, (m, { tx }) => elders.providerChoiceLapsed(tx, m.data)),
    on(HomeVisitCompleted, (m, { tx }) => hours.visitCompleted(tx, m.data)),
  ];
}
