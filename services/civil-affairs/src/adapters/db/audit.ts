import type { Database } from '@fbl/db';
import { AuditLog } from '@fbl/privacy';
import { auditLog } from './schema.js';

/** The service's append-only audit log, over the audit table of its own schema. */
export function civilAffairsAuditLog(ports: { database: Database; clock: () => Date }): AuditLog {
  return new AuditLog({ database: ports.database, table: auditLog, clock: ports.clock });
}
