import type { Tx } from '@fbl/db';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { QUEUEING } from '../../domain/waiting-list.js';
import type { HardshipRow } from './hardship-store.js';
import { assessments, elders, hardships, waitingList } from './schema.js';

/** One application to a public care home. */
export type EntryRow = typeof waitingList.$inferSelect;
/** An application to a home as it is stored. */
export type NewEntryRow = typeof waitingList.$inferInsert;
/** What a move changes of an entry. */
export type EntryChange = Partial<NewEntryRow>;

/** What a class on the waiting list is decided on, as stored: birth dates, hardship statuses, assessments. */
export interface ApplicantRows {
  people: { id: string; birthDateSealed: string }[];
  statuses: HardshipRow[];
  /** Newest first (by day assessed, then by when recorded). */
  assessed: { elderId: string; level: number; assessedOn: string; answersSealed: string }[];
}

/** Where the public care-home waiting list (轮候) is kept, with the elder facts its order is decided on. */
export class WaitingListStore {
  /** The stored facts of these elders (distinct ids). */
  async applicants(tx: Tx, elderIds: readonly string[]): Promise<ApplicantRows> {
    const ids = [...elderIds];
    const people = await tx.select({ id: elders.id, birthDateSealed: elders.birthDateSealed }).from(elders).where(inArray(elders.id, ids));
    const statuses = await tx.select().from(hardships).where(inArray(hardships.elderId, ids));
    const assessed = await tx
      .select({ elderId: assessments.elderId, level: assessments.level, assessedOn: assessments.assessedOn, answersSealed: assessments.answersSealed })
      .from(assessments)
      .where(inArray(assessments.elderId, ids))
      .orderBy(desc(assessments.assessedOn), desc(assessments.recordedAt));
    return { people, statuses, assessed };
  }

  /** The entries still queueing for a home, earliest applied first. */
  queueing(tx: Tx, homeInstitutionId: string): Promise<EntryRow[]> {
    return tx
      .select()
      .from(waitingList)
      .where(and(eq(waitingList.homeInstitutionId, homeInstitutionId), inArray(waitingList.status, [...QUEUEING])))
      .orderBy(asc(waitingList.appliedAt));
  }

  /** An elder's division, the elder's row locked for the rest of the transaction; undefined when there is no such elder. */
  async lockElder(tx: Tx, elderId: string): Promise<{ id: string; divisionCode: string } | undefined> {
    const [elder] = await tx.select({ id: elders.id, divisionCode: elders.divisionCode }).from(elders).where(eq(elders.id, elderId)).for('update');
    return elder;
  }

  /** Every entry an elder ever had, in any home. */
  historyOf(tx: Tx, elderId: string): Promise<EntryRow[]> {
    return tx.select().from(waitingList).where(eq(waitingList.elderId, elderId));
  }

  /** The day of an elder's latest assessment; undefined when never assessed. */
  async latestAssessment(tx: Tx, elderId: string): Promise<{ assessedOn: string } | undefined> {
    const [latest] = await tx.select({ assessedOn: assessments.assessedOn }).from(assessments).where(eq(assessments.elderId, elderId)).orderBy(desc(assessments.assessedOn)).limit(1);
    return latest;
  }

  async insert(tx: Tx, row: NewEntryRow): Promise<void> {
    await tx.insert(waitingList).values(row);
  }

  /** An entry with its elder's division; undefined when there is no such entry. */
  async withDivision(tx: Tx, entryId: string): Promise<{ entry: EntryRow; divisionCode: string } | undefined> {
    const [row] = await tx.select({ entry: waitingList, divisionCode: elders.divisionCode }).from(waitingList).innerJoin(elders, eq(elders.id, waitingList.elderId)).where(eq(waitingList.id, entryId));
    return row;
  }

  /** An entry locked for the rest of the transaction, with its elder's division (undefined when the elder is gone). */
  async lock(tx: Tx, entryId: string): Promise<{ entry: EntryRow; divisionCode: string | undefined } | undefined> {
    const [entry] = await tx.select().from(waitingList).where(eq(waitingList.id, entryId)).for('update');
    if (!entry) return undefined;
    const [elder] = await tx.select({ divisionCode: elders.divisionCode }).from(elders).where(eq(elders.id, entry.elderId));
    return { entry, divisionCode: elder?.divisionCode };
  }

  /** Save a move's change of an entry; undefined when the entry is gone. */
  async update(tx: Tx, entryId: string, change: EntryChange): Promise<EntryRow | undefined> {
    const [updated] = await tx.update(waitingList).set(change).where(eq(waitingList.id, entryId)).returning();
    return updated;
  }
}
