import type { Database, Executor, Tx } from '@fbl/db';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { assessments, carers, consents, elderFacts, elders, waitingList } from './schema.js';

/** An elder's row on the register, identity sealed. */
export type ElderRow = typeof elders.$inferSelect;
/** An elder's row as registered. */
export type NewElderRow = typeof elders.$inferInsert;
/** A consent as recorded at registration. */
export type NewConsentRow = typeof consents.$inferInsert;

/**
 * Where the elder register is kept: elders with their consents, and the institutions chosen to
 * receive them (whose staff may see the record whole while the choice stands).
 */
export class ElderStore {
  constructor(private readonly database: Database) {}

  /** Whether an elder with this ID number (by any keyed hash it may be stored under) is registered already. */
  async idNumberTaken(tx: Tx, idNumberHashes: readonly string[]): Promise<boolean> {
    return (await tx.select({ id: elders.id }).from(elders).where(inArray(elders.idNumberHash, [...idNumberHashes]))).length > 0;
  }

  /** Store a newly registered elder, then the consent given with the registration. */
  async register(tx: Tx, elder: NewElderRow, consent: NewConsentRow): Promise<void> {
    await tx.insert(elders).values(elder);
    await tx.insert(consents).values(consent);
  }

  /** The division of an elder, outside a transaction; undefined when there is no such elder. */
  async divisionOf(elderId: string): Promise<{ divisionCode: string } | undefined> {
    const [found] = await this.database.db.select({ divisionCode: elders.divisionCode }).from(elders).where(eq(elders.id, elderId));
    return found;
  }

  /** The id of the elder with this ID number (by any keyed hash it may be stored under), outside a transaction. */
  async idByIdNumberHash(idNumberHashes: readonly string[]): Promise<{ id: string } | undefined> {
    const [row] = await this.database.db.select({ id: elders.id }).from(elders).where(inArray(elders.idNumberHash, [...idNumberHashes]));
    return row;
  }

  /** Whether the register holds this elder. */
  async exists(tx: Tx, elderId: string): Promise<boolean> {
    const [known] = await tx.select({ id: elders.id }).from(elders).where(eq(elders.id, elderId));
    return Boolean(known);
  }

  /** One elder's row; undefined when there is none. */
  async byId(tx: Tx, elderId: string): Promise<ElderRow | undefined> {
    const [row] = await tx.select().from(elders).where(eq(elders.id, elderId));
    return row;
  }

  /** The rows of these elders that exist, in no particular order. */
  byIds(db: Executor, elderIds: readonly string[]): Promise<ElderRow[]> {
    return db.select().from(elders).where(inArray(elders.id, [...elderIds]));
  }

  /** Of these elders, the ones an institution was chosen for and still is. */
  async caredForBy(db: Executor, institutionId: string, elderIds: readonly string[]): Promise<Set<string>> {
    if (elderIds.length === 0) return new Set();
    const rows = await db.select({ elderId: carers.elderId }).from(carers).where(and(eq(carers.institutionId, institutionId), inArray(carers.elderId, [...elderIds]), isNull(carers.until)));
    return new Set(rows.map((r) => r.elderId));
  }

  /** An institution chosen in a referral receives the elder from `since`; a lapsed choice chosen again stands again. */
  async choose(tx: Tx, c: { referralId: string; institutionId: string; elderId: string; since: Date }): Promise<void> {
    await tx.insert(carers).values(c).onConflictDoUpdate({ target: [carers.referralId, carers.institutionId], set: { until: null } });
  }

  /** The choice of an institution in a referral lapses at `until`, if it still stands. */
  async lapse(tx: Tx, c: { referralId: string; institutionId: string }, until: Date): Promise<void> {
    await tx.update(carers).set({ until }).where(and(eq(carers.referralId, c.referralId), eq(carers.institutionId, c.institutionId), isNull(carers.until)));
  }

  /** Up to `batch` elders registered before names had a blind index. */
  withoutNameIndex(batch: number): Promise<{ id: string; nameSealed: string }[]> {
    return this.database.db.select({ id: elders.id, nameSealed: elders.nameSealed }).from(elders).where(isNull(elders.nameHash)).limit(batch);
  }

  /** Index an elder's name in one statement, unless it was indexed meanwhile. */
  async indexName(elderId: string, nameHash: string): Promise<void> {
    await this.database.db.update(elders).set({ nameHash }).where(and(eq(elders.id, elderId), isNull(elders.nameHash)));
  }

  /** One elder's row locked for a change in this transaction; undefined when there is none. */
  async lockRecord(tx: Tx, elderId: string): Promise<ElderRow | undefined> {
    const [row] = await tx.select().from(elders).where(eq(elders.id, elderId)).for('update');
    return row;
  }

  /** Write the corrected parts of a record (sealed already). */
  async correct(tx: Tx, elderId: string, set: Partial<Pick<ElderRow, 'addressSealed' | 'divisionCode' | 'phoneSealed' | 'guardianSealed'>> & { updatedAt: Date }): Promise<void> {
    await tx.update(elders).set(set).where(eq(elders.id, elderId));
  }

  /** What an erasure must wait for: the elder's places still queueing on a waiting list, and the providers still receiving or caring for them. */
  async standing(tx: Tx, elderId: string): Promise<{ queueing: number; caredFor: number }> {
    const [row] = await this.database.rows<{ queueing: number; cared_for: number }>(
      tx,
      sql`select (select count(*)::int from ${waitingList} where ${waitingList.elderId} = ${elderId} and ${waitingList.status} in ('waiting', 'offered')) as queueing,
                 (select count(*)::int from ${carers} where ${carers.elderId} = ${elderId} and ${carers.until} is null) as cared_for`,
    );
    return { queueing: Number(row?.queueing ?? 0), caredFor: Number(row?.cared_for ?? 0) };
  }

  /**
   * Erase an elder's personal information: identity, birth date, contacts and guardian are
   * overwritten with the given empty seals, the look-up hashes freed (the ID number may be
   * registered again), and the answers of every assessment and the evidence of every register fact
   * overwritten; the levels and the facts' dates stay.
   */
  async erase(tx: Tx, elderId: string, e: { emptySeal: string; emptyAnswers: string; ground: 'request' | 'retention'; at: Date }): Promise<void> {
    await tx
      .update(elders)
      .set({ idNumberSealed: e.emptySeal, idNumberHash: `erased:${elderId}`, nameSealed: e.emptySeal, nameHash: 'erased', birthDateSealed: e.emptySeal, phoneSealed: null, addressSealed: e.emptySeal, guardianSealed: null, erasedAt: e.at, erasureGround: e.ground, updatedAt: e.at })
      .where(eq(elders.id, elderId));
    await tx.update(assessments).set({ answersSealed: e.emptyAnswers }).where(eq(assessments.elderId, elderId));
    await tx.update(elderFacts).set({ evidenceSealed: e.emptySeal }).where(eq(elderFacts.elderId, elderId));
  }
}
