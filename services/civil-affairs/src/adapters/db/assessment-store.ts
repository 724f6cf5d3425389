import type { Database, Executor, Tx } from '@fbl/db';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { assessmentRequests, assessments, elders } from './schema.js';

/** A recorded ability assessment, answers sealed. */
export type AssessmentRow = typeof assessments.$inferSelect;
/** An ability assessment as recorded. */
export type NewAssessmentRow = typeof assessments.$inferInsert;
/** A request for an assessment on the assessors' queue. */
export type AssessmentRequestRow = typeof assessmentRequests.$inferSelect;
/** A request for an assessment as it joins the queue. */
export type NewAssessmentRequestRow = typeof assessmentRequests.$inferInsert;

/** An elder's latest assessment (by the day assessed); undefined when never assessed. */
export async function latestAssessment(db: Executor, elderId: string): Promise<AssessmentRow | undefined> {
  const [latest] = await db.select().from(assessments).where(eq(assessments.elderId, elderId)).orderBy(desc(assessments.assessedOn)).limit(1);
  return latest;
}

/** Where ability assessments and the requests for them are kept. */
export class AssessmentStore {
  constructor(private readonly database: Database) {}

  /** Lock the elder's row for the rest of the transaction, so that assessments of one elder are recorded one at a time. */
  async lockElder(tx: Tx, elderId: string): Promise<void> {
    await tx.select({ id: elders.id }).from(elders).where(eq(elders.id, elderId)).for('update');
  }

  /** Whether the register holds this elder. */
  async elderKnown(tx: Tx, elderId: string): Promise<boolean> {
    const [row] = await tx.select({ id: elders.id }).from(elders).where(eq(elders.id, elderId));
    return Boolean(row);
  }

  /**
   * The elder's open requests, oldest first. 'open' is written out, not a parameter, so that a
   * prepared statement's generic plan can use the partial index of open requests by elder.
   */
  openRequests(tx: Tx, elderId: string): Promise<AssessmentRequestRow[]> {
    return tx.select().from(assessmentRequests).where(and(eq(assessmentRequests.elderId, elderId), sql`${assessmentRequests.status} = 'open'`)).orderBy(asc(assessmentRequests.requestedAt));
  }

  async record(tx: Tx, row: NewAssessmentRow): Promise<void> {
    await tx.insert(assessments).values(row);
  }

  /** A request answered by an assessment: done, with the assessment that answered it. */
  async closeRequest(tx: Tx, requestId: string, assessmentId: string): Promise<void> {
    await tx.update(assessmentRequests).set({ status: 'done', assessmentId }).where(eq(assessmentRequests.id, requestId));
  }

  /** A request joins the assessors' queue. */
  async queueRequest(tx: Tx, row: NewAssessmentRequestRow): Promise<void> {
    await tx.insert(assessmentRequests).values(row);
  }

  /** An elder's assessments, newest first, outside a transaction. */
  history(elderId: string): Promise<AssessmentRow[]> {
    return this.database.db.select().from(assessments).where(eq(assessments.elderId, elderId)).orderBy(desc(assessments.assessedOn));
  }
}
