import type { Principal } from '@fbl/auth';
import type { Executor } from '@fbl/db';
import type { ServiceKit } from '@fbl/service-kit';
import { and, desc, eq } from 'drizzle-orm';
import { auditLog } from '../adapters/db/schema.js';

/** How an access ended: done, refused by role or scope, nothing there, or bad input / not allowed in this state. */
export type AuditOutcome = 'allowed' | 'denied' | 'not-found' | 'invalid';

/** Who acted: a signed-in user, or a service acting on a message. */
export interface Actor {
  readonly id: string;
  readonly role: string;
}

/** The actor of an HTTP request. */
export function actorOf(principal: Principal): Actor {
  return { id: principal.userId, role: principal.role };
}

/** The actor of a message: the service that sent it. */
export function serviceActor(source: string): Actor {
  return { id: `service:${source}`, role: 'service' };
}

/** One audit row to write. */
export interface AuditEntry {
  actor: Actor;
  action: string;
  objectType: 'ltci-application' | 'home-sick-bed-filing';
  objectId: string;
  outcome: AuditOutcome;
  detail?: Record<string, unknown>;
}

/**
 * The append-only audit log (等保三级: subject, object, action, time, outcome). Rows are written
 * in the transaction of the change they record; a refusal that changes nothing gets a
 * transaction of its own, so it is never lost with a rollback.
 */
export class AuditLog {
  constructor(private readonly kit: ServiceKit) {}

  /** Write entries in the caller's transaction. */
  async write(tx: Executor, ...entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const at = this.kit.deps.clock();
    await tx.insert(auditLog).values(
      entries.map((e) => ({ at, actor: e.actor.id, role: e.actor.role, action: e.action, objectType: e.objectType, objectId: e.objectId, outcome: e.outcome, detail: e.detail ?? null })),
    );
  }

  /** Write entries in a transaction of their own. */
  async alone(...entries: AuditEntry[]): Promise<void> {
    await this.kit.deps.database.transaction((tx) => this.write(tx, ...entries));
  }

  /** The log, newest first, by object or by actor. */
  async trail(filter: { objectId?: string; actor?: string; limit: number }) {
    const rows = await this.kit.deps.database.db
      .select()
      .from(auditLog)
      .where(and(filter.objectId ? eq(auditLog.objectId, filter.objectId) : undefined, filter.actor ? eq(auditLog.actor, filter.actor) : undefined))
      .orderBy(desc(auditLog.seq))
      .limit(filter.limit);
    return rows.map((r) => ({ seq: r.seq, at: r.at.toISOString(), actor: r.actor, role: r.role, action: r.action, objectType: r.objectType, objectId: r.objectId, outcome: r.outcome }));
  }
}
