import type { Principal } from '@fbl/auth';
import { AuditLog as SharedAuditLog, serviceActor, userActor, type Actor, type AuditEntry as SharedEntry, type AuditOutcome } from '@fbl/privacy';
import type { ServicePorts } from '@fbl/service-kit/pipeline';
import { auditLog } from '../adapters/db/schema.js';

export { serviceActor, type Actor, type AuditOutcome };

/** The actor of an HTTP request. */
export function actorOf(principal: Principal): Actor {
  return userActor(principal);
}

/** One audit row of this service: about an LTCI application or a home sick bed filing. */
export interface AuditEntry extends SharedEntry {
  objectType: 'ltci-application' | 'home-sick-bed-filing';
}

/** The medical-insurance audit log: the shared append-only log on this service's table. */
export class AuditLog extends SharedAuditLog {
  constructor(ports: ServicePorts) {
    super({ database: ports.database, table: auditLog, clock: ports.clock });
  }
}
