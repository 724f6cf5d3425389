import type { Database, Executor } from '@fbl/db';
import { and, desc, eq, gte, lt } from 'drizzle-orm';
import type { auditTable } from './audit.js';

/** How an access ended: done, refused by role or scope, nothing there, or bad input. */
export type AuditOutcome = 'allowed' | 'denied' | 'not-found' | 'invalid';

/** Who acted: a signed-in user, or a service acting on a message. */
export interface Actor {
  readonly id: string;
  readonly role: string;
}

/** The actor of a signed-in user. */
export function userActor(principal: { userId: string; role: string }): Actor {
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
  objectType: string;
  objectId: string;
  outcome: AuditOutcome;
  detail?: Record<string, unknown>;
}

/**
 * A service's append-only audit log (等保三级: subject, object, action, time, outcome). Rows are
 * written in the transaction of the change they record; a refusal that changes nothing gets a
 * transaction of its own, so it is never lost with a rollback.
 */
export class AuditLog {
  constructor(
    private readonly options: { database: Database; table: ReturnType<typeof auditTable>; clock: () => Date },
  ) {}

  /** Write entries in the caller's transaction. */
  async write(tx: Executor, ...entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const at = this.options.clock();
    await tx.insert(this.options.table).values(
      entries.map((e) => ({ at, actor: e.actor.id, role: e.actor.role, action: e.action, objectType: e.objectType, objectId: e.objectId, outcome: e.outcome, detail: e.detail ?? null })),
    );
  }

  /** Write entries in a transaction of their own. */
  async alone(...entries: AuditEntry[]): Promise<void> {
    await this.options.database.transaction((tx) => this.write(tx, ...entries));
  }

  /** The log, newest first, by object, by actor, and within a period (from an instant, up to but not including another). */
  async trail(filter: { objectId?: string; actor?: string; from?: Date; before?: Date; limit: number }) {
    const { table } = this.options;
    const rows = await this.options.database.db
      .select()
      .from(table)
      .where(
        and(
          filter.objectId ? eq(table.objectId, filter.objectId) : undefined,
          filter.actor ? eq(table.actor, filter.actor) : undefined,
          filter.from ? gte(table.at, filter.from) : undefined,
          filter.before ? lt(table.at, filter.before) : undefined,
        ),
      )
      .orderBy(desc(table.seq))
      .limit(filter.limit);
    return rows.map((r) => ({ seq: r.seq, at: r.at.toISOString(), actor: r.actor, role: r.role, action: r.action, objectType: r.objectType, objectId: r.objectId, outcome: r.outcome, detail: r.detail }));
  }
}
