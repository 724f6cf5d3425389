import type { Database, Tx } from '@fbl/db';
import { newId } from '@fbl/contracts';
import { and, asc, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { ApplicationStatus } from '../../domain/application.js';
import { applications, assessments, selfAssessments } from './schema.js';

/** A stored application. */
export type ApplicationRow = typeof applications.$inferSelect;
/** A stored self-assessment (自评) of an application. */
export type SelfAssessmentRow = typeof selfAssessments.$inferSelect;
/** A stored assessment of an application. */
export type AssessmentRow = typeof assessments.$inferSelect;

/** Which applications a page lists, in the officer's scope. */
export interface ApplicationQuery {
  statuses?: readonly ApplicationStatus[];
  elderRef?: string;
  number?: number;
  /** The officer's division as a code prefix (a county, a city's 4 digits, a province's 2); none sees only applications without a division. */
  divisionPrefix: string | undefined;
  oldestFirst: boolean;
  limit: number;
  offset: number;
}

/** Where LTCI applications and their assessments are kept. */
export class ApplicationStore {
  constructor(private readonly database: Database) {}

  /** Serialise the work on one elder's applications (apply, AuthoriseLtci) within a transaction. */
  async lockElder(tx: Tx, elderRef: string): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`ltci-elder:${elderRef}`}, 0))`);
  }

  /** An elder's applications, newest first. */
  history(tx: Tx, elderRef: string): Promise<ApplicationRow[]> {
    return tx.select().from(applications).where(eq(applications.elderRef, elderRef)).orderBy(desc(applications.appliedAt));
  }

  /** Open a new application (applied). */
  async open(tx: Tx, values: { elderRef: string; divisionCode: string | null; referralIds: string[]; source: 'officer' | 'referral'; appliedBy: string }, now: Date): Promise<ApplicationRow> {
    const [row] = await tx
      .insert(applications)
      .values({ id: newId(), ...values, status: 'applied', appliedAt: now, updatedAt: now })
      .returning();
    if (!row) throw new Error('the new application was not stored');
    return row;
  }

  /** An application locked for the rest of the transaction; undefined when there is none. */
  async lock(tx: Tx, id: string): Promise<ApplicationRow | undefined> {
    const [row] = await tx.select().from(applications).where(eq(applications.id, id)).for('update');
    return row;
  }

  /** Save an application's new state. */
  async update(tx: Tx, id: string, columns: Partial<ApplicationRow>, at: Date): Promise<ApplicationRow> {
    const [saved] = await tx.update(applications).set({ ...columns, updatedAt: at }).where(eq(applications.id, id)).returning();
    if (!saved) throw new Error(`application ${id} vanished while locked`);
    return saved;
  }

  async insertAssessment(tx: Tx, row: typeof assessments.$inferInsert): Promise<void> {
    await tx.insert(assessments).values(row);
  }

  /** Keep the self-assessment given with an application (one per application). */
  async insertSelfAssessment(tx: Tx, row: SelfAssessmentRow): Promise<void> {
    await tx.insert(selfAssessments).values(row);
  }

  /** One application, its assessments (oldest first) and its self-assessment, if any. */
  async find(tx: Tx, id: string): Promise<{ row: ApplicationRow; done: () => Promise<AssessmentRow[]>; selfAssessed: () => Promise<SelfAssessmentRow | undefined> } | undefined> {
    const [row] = await tx.select().from(applications).where(eq(applications.id, id));
    return (
      row && {
        row,
        done: () => tx.select().from(assessments).where(eq(assessments.applicationId, id)).orderBy(asc(assessments.recordedAt)),
        selfAssessed: async () => (await tx.select().from(selfAssessments).where(eq(selfAssessments.applicationId, id)))[0],
      }
    );
  }

  /** A page of applications and how many there are. */
  async page(tx: Tx, q: ApplicationQuery): Promise<{ total: number; rows: ApplicationRow[] }> {
    const scope: SQL = q.divisionPrefix
      ? sql`(${applications.divisionCode} is null or left(${applications.divisionCode}, ${q.divisionPrefix.length}) = ${q.divisionPrefix})`
      : sql`${applications.divisionCode} is null`;
    const where = and(
      q.statuses ? inArray(applications.status, [...q.statuses]) : undefined,
      q.elderRef ? eq(applications.elderRef, q.elderRef) : undefined,
      q.number !== undefined ? eq(applications.number, q.number) : undefined,
      scope,
    );
    const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(applications).where(where);
    const rows = await tx
      .select()
      .from(applications)
      .where(where)
      .orderBy(q.oldestFirst ? asc(applications.appliedAt) : desc(applications.appliedAt), asc(applications.number))
      .limit(q.limit)
      .offset(q.offset);
    return { total: Number(count?.n ?? 0), rows };
  }

  /**
   * Seal the raw answers of assessments stored in plain before sealing existed; returns how many.
   * Each row is sealed and its plain answers cleared in one statement.
   */
  async sealPlainAnswers(seal: (text: string) => string): Promise<number> {
    const { db } = this.database;
    const plain = await db.select({ id: assessments.id, answers: assessments.answers }).from(assessments).where(isNotNull(assessments.answers));
    for (const row of plain) {
      await db.update(assessments).set({ answersSealed: seal(JSON.stringify(row.answers)), answers: null }).where(and(eq(assessments.id, row.id), isNotNull(assessments.answers)));
    }
    return plain.length;
  }
}
