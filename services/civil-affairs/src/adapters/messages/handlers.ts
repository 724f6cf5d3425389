import { AssessAbility } from '@fbl/contracts';
import { on, type HandlerEntry } from '@fbl/messaging';
import type { Elders } from '../../application/elders.js';

/** Commands civil affairs acts on. */
export function civilAffairsHandlers(elders: Elders): HandlerEntry[] {
  return [on(AssessAbility, (m, { tx, outbox }) => elders.requestAssessment(m, tx, outbox))];
}
