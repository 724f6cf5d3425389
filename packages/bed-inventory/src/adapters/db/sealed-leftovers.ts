import type { Database, Tx } from '@fbl/db';
import type { Sealer } from '@fbl/privacy';
import { and, asc, eq, gt, isNotNull, or } from 'drizzle-orm';
import type { BedInventoryTables } from './tables.js';

/** How many rows of each table were moved from clear text to sealed columns. */
export interface LeftoversSealed {
  stays: number;
  transfers: number;
  episodeReviews: number;
}

/**
 * Move the health text the bed services wrote in clear before it was sealed (migration
 * `0006_sealed_stay_text`) into the sealed columns, and empty the clear ones: stays' service plans
 * and discharge reasons, transfer reasons, and stage reviews' answers. Rows are taken in key order,
 * a batch per transaction, each locked while it is rewritten, so the service keeps running; a row
 * already moved is not selected again, and a stopped run simply goes on at the next start.
 */
export async function sealLeftovers(database: Database, t: BedInventoryTables, sealer: Sealer, batch = 200): Promise<LeftoversSealed> {
  const moved: LeftoversSealed = { stays: 0, transfers: 0, episodeReviews: 0 };
  const walk = async (take: (tx: Tx, after: string | undefined) => Promise<string[]>): Promise<number> => {
    let after: string | undefined;
    let count = 0;
    for (;;) {
      const ids = await database.transaction((tx) => take(tx, after));
      count += ids.length;
      if (ids.length < batch) return count;
      after = ids.at(-1);
    }
  };
  const seal = (value: string | null) => (value === null ? undefined : sealer.seal(value));

  const { stays, transfers, episodeReviews } = t;
  moved.stays = await walk(async (tx, after) => {
    const rows = await tx
      .select({ id: stays.id, servicePlan: stays.servicePlan, dischargeReason: stays.dischargeReason })
      .from(stays)
      .where(and(or(isNotNull(stays.servicePlan), isNotNull(stays.dischargeReason)), after ? gt(stays.id, after) : undefined))
      .orderBy(asc(stays.id))
      .limit(batch)
      .for('update');
    for (const r of rows) {
      const plan = seal(r.servicePlan ? JSON.stringify(r.servicePlan) : null);
      const reason = seal(r.dischargeReason);
      await tx
        .update(stays)
        .set({ servicePlan: null, dischargeReason: null, ...(plan ? { servicePlanSealed: plan } : {}), ...(reason ? { dischargeReasonSealed: reason } : {}) })
        .where(eq(stays.id, r.id));
    }
    return rows.map((r) => r.id);
  });
  moved.transfers = await walk(async (tx, after) => {
    const rows = await tx.select({ id: transfers.id, reason: transfers.reason }).from(transfers).where(and(isNotNull(transfers.reason), after ? gt(transfers.id, after) : undefined)).orderBy(asc(transfers.id)).limit(batch).for('update');
    for (const r of rows) await tx.update(transfers).set({ reason: null, reasonSealed: sealer.seal(r.reason!) }).where(eq(transfers.id, r.id));
    return rows.map((r) => r.id);
  });
  moved.episodeReviews = await walk(async (tx, after) => {
    const e = episodeReviews;
    const rows = await tx
      .select({ id: e.id, condition: e.condition, decision: e.decision })
      .from(e)
      .where(and(or(isNotNull(e.condition), isNotNull(e.decision)), after ? gt(e.id, after) : undefined))
      .orderBy(asc(e.id))
      .limit(batch)
      .for('update');
    for (const r of rows) {
      const condition = seal(r.condition);
      const decision = seal(r.decision);
      await tx
        .update(e)
        .set({ condition: null, decision: null, ...(condition ? { conditionSealed: condition } : {}), ...(decision ? { decisionSealed: decision } : {}) })
        .where(eq(e.id, r.id));
    }
    return rows.map((r) => r.id);
  });
  return moved;
}
