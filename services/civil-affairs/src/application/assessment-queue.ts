import type { Principal } from '@fbl/auth';
import { userActor, type AuditLog } from '@fbl/privacy';
import type { ServicePorts } from '@fbl/service-kit/pipeline';
import { AssessmentQueueQueries } from '../adapters/db/assessment-queue-queries.js';
import { civilAffairsAuditLog } from '../adapters/db/audit.js';
import { ElderStore } from '../adapters/db/elder-store.js';
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
  private readonly queries = new AssessmentQueueQueries();
  private readonly elders: ElderStore;

  constructor(
    private readonly ports: ServicePorts,
    private readonly directory: ElderDirectory,
  ) {
    this.log = civilAffairsAuditLog(ports);
    this.elders = new ElderStore(ports.database);
  }

  async list(who: Principal, page: { limit: number; offset: number }): Promise<Page<QueuedRequest>> {
    const now = this.ports.clock();
    const scope = this.directory.scope(who);
    return this.ports.database.transaction(async (tx) => {
      const { total, rows } = await this.queries.open(tx, scope, page);
      const elderIds = [...new Set(rows.map((r) => r.elderId))];
      const elderRows = elderIds.length > 0 ? await this.elders.byIds(tx, elderIds) : [];
      const summaries = new Map((await this.directory.summaries(tx, elderRows)).map((s) => [s.elderRef, s]));
      await this.log.write(tx, ...elderIds.map((id) => ({ actor: userActor(who), action: 'list', objectType: 'elder', objectId: id, outcome: 'allowed' as const, detail: { list: 'assessment-requests' } })));
      const items = rows.map((request) => {
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
      return { total, items };
    });
  }
}
