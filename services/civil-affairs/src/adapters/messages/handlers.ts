import { AssessAbility, ProviderChoiceLapsed, ProviderChosen } from '@fbl/contracts';
import { on, type HandlerEntry } from '@fbl/messaging';
import type { Elders } from '../../application/elders.js';

/**
 * What civil affairs acts on: the workflow's requests for an assessment, and the family's choice
 * of a provider (whose staff may then see the elder's record) and its lapse.
 */
export function civilAffairsHandlers(elders: Elders): HandlerEntry[] {
  return [
    on(AssessAbility, (m, { tx, outbox }) => elders.requestAssessment(m, tx, outbox)),
    on(ProviderChosen, (m, { tx }) => elders.providerChosen(tx, m.data)),
    on(ProviderChoiceLapsed, (m, { tx }) => elders.providerChoiceLapsed(tx, m.data)),
  ];
}
