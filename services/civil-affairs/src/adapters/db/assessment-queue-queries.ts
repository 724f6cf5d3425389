import type { Tx } from '@fbl/db';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { AssessmentRequestRow } from './assessment-store.js';
import { scopeCondition, type ElderScope } from './elder-queries.js';
import { assessmentRequests, elders } from './schema.js';

/** Reads of the assessors' work queue. */
export class AssessmentQueueQueries {
  /**
   * A page of the open requests about elders in scope, green-channel ones first, then by due date
   * and by when asked, and how many there are in all.
   */
  async open(tx: Tx, scope: ElderScope, page: { limit: number; offset: number }): Promise<{ total: number; rows: AssessmentRequestRow[] }> {
    const where = and(eq(assessmentRequests.status, 'open'), isNull(elders.erasedAt), scopeCondition(scope));
    const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(assessmentRequests).innerJoin(elders, eq(elders.id, assessmentRequests.elderId)).where(where);
    const rows = await tx
      .select({ request: assessmentRequests })
      .from(assessmentRequests)
      .innerJoin(elders, eq(elders.id, assessmentRequests.elderId))
      .where(where)
      .orderBy(sql`(${assessmentRequests.urgency} = 'green-channel') desc`, asc(assessmentRequests.dueAt), asc(assessmentRequests.requestedAt), asc(assessmentRequests.id))
      .limit(page.limit)
      .offset(page.offset);
    return { total: Number(count?.n ?? 0), rows: rows.map((r) => r.request) };
  }
}
