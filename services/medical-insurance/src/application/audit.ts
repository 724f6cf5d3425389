import type { Principal } from '@fbl/auth';
import { serviceActor, userActor, type Actor, type AuditEntry as SharedEntry, type AuditOutcome } from '@fbl/privacy';

export { serviceActor, type Actor, type AuditOutcome };
export type { AuditLog } from '../adapters/db/audit-log.js';

/** The actor of an HTTP request. */
export function actorOf(principal: Principal): Actor {
  return userActor(principal);
}

/** One audit row of this service: about an LTCI application or a home sick bed filing. */
export interface AuditEntry extends SharedEntry {
  objectType: 'ltci-application' | 'home-sick-bed-filing';
}
