import type { Principal } from '@fbl/auth';
import { AuditLog, userActor } from '@fbl/privacy';
import type { ServicePorts } from '@fbl/service-kit/pipeline';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { assessmentRequests, auditLog, elders } from '../adapters/db/schema.js';
import type { ElderDirectory, ElderSummary, Page } from './elder-directory.js';

/** One open request of the assessors' queue, with the elder it is about. */
export interface QueuedRequest {
  id: string;
  elderRef: string;
  referralId: string | null;
  reason: string;
  /** `green-channel` (绿色通道) requests come first. */
  urgency: 'routine' | 'green-channel';
  divisionCode: string;
  requestedAt: string;
  dueAt: string;
  overdue: boolean;
  elder: ElderSummary;
}

/**
 * The assessors' work queue: open assessment requests of the caller's division, green-channel
 * ones first, then by due date (the most urgent first), a page at a time. Each elder named is an
 * audited read.
 */
export class AssessmentQueue {
  private readonly log: AuditLog;

  constructor(
    private readonly ports: ServicePorts,
    private readonly directory: ElderDirectory,
  ) {
    this.log = new AuditLog({ database: ports.database, table: auditLog, clock: ports.clock });
  }

  async list(who: Principal, page: { limit: number; offset: number }): Promise<Page<QueuedRequest>> {
    const now = this.ports.clock();
    const where = and(eq(assessmentRequests.status, 'open'), this.directory.scope(who));
    return this.ports.database.transaction(async (tx) => {
      const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(assessmentRequests).innerJoin(elders, eq(elders.id, assessmentRequests.elderId)).where(where);
      const rows = await tx
        .select({ request: assessmentRequests })
        .from(assessmentRequests)
        .innerJoin(elders, eq(elders.id, assessmentRequests.elderId))
        .where(where)
        .orderBy(sql`(${assessmentRequests.urgency} = 'green-channel') desc`, asc(assessmentRequests.dueAt), asc(assessmentRequests.requestedAt), asc(assessmentRequests.id))
        .limit(page.limit)
        .offset(page.offset);
      const elderIds = [...new Set(rows.map((r) => r.request.elderId))];
      const elderRows = elderIds.length > 0 ? await tx.select().from(elders).where(inArray(elders.id, elderIds)) : [];
      const summaries = new Map((await this.directory.summaries(tx, elderRows)).map((s) => [s.elderRef, s]));
      await this.log.write(tx, ...elderIds.map((id) => ({ actor: userActor(who), action: 'list', objectType: 'elder', objectId: id, outcome: 'allowed' as const, detail: { list: 'assessment-requests' } })));
      const items = rows.map(({ request }) => {
        const elder = summaries.get(request.elderId)!;
        return {
          id: request.id,
          elderRef: request.elderId,
          referralId: request.referralId,
          reason: request.reason,
          urgency: request.urgency,
          divisionCode: elder.divisionCode,
          requestedAt: request.requestedAt.toISOString(),
          dueAt: request.dueAt.toISOString(),
          overdue: request.dueAt.getTime() < now.getTime(),
          elder,
        };
      });
      return { total: Number(count?.n ?? 0), items };
    });
  }
}
