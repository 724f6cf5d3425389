import { AuditLog as SharedAuditLog } from '@fbl/privacy';
import type { ServicePorts } from '@fbl/service-kit/pipeline';
import { auditLog } from './schema.js';

/** The medical-insurance audit log: the shared append-only log on this service's table. */
export class AuditLog extends SharedAuditLog {
  constructor(ports: ServicePorts) {
    super({ database: ports.database, table: auditLog, clock: ports.clock });
  }
}
