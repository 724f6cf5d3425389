import type { Database, Executor, Tx } from '@fbl/db';
import { and, asc, desc, eq, inArray, isNull, like, lte, sql } from 'drizzle-orm';
import type { DatedQualifier, DeliveredItem, ElderFacts } from '../../domain/home-care-hours.js';
import { assessments, careStatements, elderFacts, elders, hardships, homeVisits, tanfang } from './schema.js';

export type ElderFactRow = typeof elderFacts.$inferSelect;
export type HomeVisitRow = typeof homeVisits.$inferInsert;
export type StatementRow = typeof careStatements.$inferSelect;
export type TanfangRow = typeof tanfang.$inferSelect;

/** Where register facts, visits, statements and 探访 of civil affairs are kept. */
export class HomeCareStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  async recordFact(tx: Tx, row: typeof elderFacts.$inferInsert): Promise<void> {
    await tx.insert(elderFacts).values(row);
  }

  factsOf(elderId: string): Promise<ElderFactRow[]> {
    return this.db.select().from(elderFacts).where(eq(elderFacts.elderId, elderId)).orderBy(asc(elderFacts.validFrom), asc(elderFacts.recordedAt));
  }

  /** A visit once: a redelivered one changes nothing. Whether it was new. */
  async recordVisit(tx: Tx, row: HomeVisitRow): Promise<boolean> {
    const inserted = await tx.insert(homeVisits).values(row).onConflictDoNothing().returning({ id: homeVisits.visitId });
    return inserted.length > 0;
  }

  /**
   * The item minutes of every home-care service visit in a month to the elders this provider
   * visited that month (other providers' visits included: the entitlement is shared).
   */
  async deliveredFor(db: Executor, institutionId: string, month: string): Promise<DeliveredItem[]> {
    const served = db.selectDistinct({ ref: homeVisits.elderRef }).from(homeVisits).where(and(eq(homeVisits.institutionId, institutionId), eq(homeVisits.month, month), eq(homeVisits.purpose, 'service'), eq(homeVisits.bedType, 'home-care')));
    const rows = await db
      .select({ visitId: homeVisits.visitId, elderRef: homeVisits.elderRef, institutionId: homeVisits.institutionId, at: homeVisits.checkedInAt, items: homeVisits.items })
      .from(homeVisits)
      .where(and(eq(homeVisits.month, month), eq(homeVisits.purpose, 'service'), eq(homeVisits.bedType, 'home-care'), inArray(homeVisits.elderRef, served)));
    return rows.flatMap((r) => r.items.map((i) => ({ elderRef: r.elderRef, institutionId: r.institutionId ?? '', at: r.at.toISOString(), visitId: r.visitId, code: i.code, minutes: i.minutes })));
  }

  /** Providers that made home-care service visits in a month, with how many. */
  providersOf(month: string): Promise<{ institutionId: string | null; visits: number }[]> {
    return this.db
      .select({ institutionId: homeVisits.institutionId, visits: sql<number>`count(*)::int` })
      .from(homeVisits)
      .where(and(eq(homeVisits.month, month), eq(homeVisits.purpose, 'service'), eq(homeVisits.bedType, 'home-care')))
      .groupBy(homeVisits.institutionId);
  }

  /**
   * What the rules look at for these elders in a month: division, the latest ability level
   * assessed on or before its last day, hardship statuses and register facts with their dates.
   */
  async factsFor(db: Executor, elderIds: readonly string[], lastDay: string): Promise<Map<string, ElderFacts>> {
    const out = new Map<string, ElderFacts>();
    if (elderIds.length === 0) return out;
    const ids = [...elderIds];
    const people = await db.select({ id: elders.id, divisionCode: elders.divisionCode }).from(elders).where(inArray(elders.id, ids));
    const levels = await db
      .selectDistinctOn([assessments.elderId], { elderId: assessments.elderId, level: assessments.level })
      .from(assessments)
      .where(and(inArray(assessments.elderId, ids), lte(assessments.assessedOn, lastDay)))
      .orderBy(assessments.elderId, desc(assessments.assessedOn), desc(assessments.recordedAt));
    const statuses = await db.select({ elderId: hardships.elderId, code: hardships.status, validFrom: hardships.validFrom, validUntil: hardships.validUntil }).from(hardships).where(inArray(hardships.elderId, ids));
    const facts = await db.select({ elderId: elderFacts.elderId, code: elderFacts.fact, validFrom: elderFacts.validFrom, validUntil: elderFacts.validUntil }).from(elderFacts).where(inArray(elderFacts.elderId, ids));
    for (const p of people) {
      const qualifiers: DatedQualifier[] = [...statuses, ...facts].filter((q) => q.elderId === p.id).map((q) => ({ code: q.code, validFrom: q.validFrom, validUntil: q.validUntil }));
      out.set(p.id, { divisionCode: p.divisionCode, abilityLevel: levels.find((l) => l.elderId === p.id)?.level ?? null, qualifiers });
    }
    return out;
  }

  /** The statements of a provider and month, oldest first, locked for a new one to be worked out against them. */
  statementsOf(db: Executor, institutionId: string, month: string, lock = false): Promise<StatementRow[]> {
    const q = db.select().from(careStatements).where(and(eq(careStatements.institutionId, institutionId), eq(careStatements.month, month))).orderBy(asc(careStatements.issuedAt), asc(careStatements.id));
    return lock ? q.for('update') : q;
  }

  /** Serialises issuing for one provider and month (an advisory lock until the transaction ends). */
  async lockStatement(tx: Tx, institutionId: string, month: string): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`care-statement:${institutionId}:${month}`}))`);
  }

  async issue(tx: Tx, row: typeof careStatements.$inferInsert): Promise<void> {
    await tx.insert(careStatements).values(row);
  }

  statement(id: string): Promise<StatementRow | undefined> {
    return this.db.select().from(careStatements).where(eq(careStatements.id, id)).then((r) => r[0]);
  }

  statementsIn(month: string): Promise<StatementRow[]> {
    return this.db.select().from(careStatements).where(eq(careStatements.month, month)).orderBy(asc(careStatements.institutionId), asc(careStatements.issuedAt));
  }

  /** Elders with a special-hardship category valid on some day of `first`–`last`, their division within a scope (a code prefix; '' for all), optionally one elder. */
  async registered(tx: Tx, categories: readonly string[], first: string, last: string, divisionPrefix: string, elderId?: string): Promise<{ elderId: string; divisionCode: string; categories: string[] }[]> {
    const rows = await tx
      .select({ elderId: elderFacts.elderId, fact: elderFacts.fact, divisionCode: elders.divisionCode })
      .from(elderFacts)
      .innerJoin(elders, eq(elders.id, elderFacts.elderId))
      .where(and(inArray(elderFacts.fact, [...categories]), lte(elderFacts.validFrom, last), sql`(${elderFacts.validUntil} is null or ${elderFacts.validUntil} >= ${first})`, like(elders.divisionCode, `${divisionPrefix}%`), elderId ? eq(elderFacts.elderId, elderId) : undefined));
    const by = new Map<string, { elderId: string; divisionCode: string; categories: string[] }>();
    for (const r of rows) {
      const e = by.get(r.elderId) ?? { elderId: r.elderId, divisionCode: r.divisionCode, categories: [] };
      if (!e.categories.includes(r.fact)) e.categories.push(r.fact);
      by.set(r.elderId, e);
    }
    return [...by.values()].map((e) => ({ ...e, categories: e.categories.sort() }));
  }

  /** A 探访 for an elder and month, unless there is one: the rows made. */
  async schedule(tx: Tx, rows: (typeof tanfang.$inferInsert)[]): Promise<TanfangRow[]> {
    if (rows.length === 0) return [];
    return tx.insert(tanfang).values(rows).onConflictDoNothing().returning();
  }

  async tanfangById(db: Executor, id: string, lock = false): Promise<TanfangRow | undefined> {
    const q = db.select().from(tanfang).where(eq(tanfang.id, id));
    return (await (lock ? q.for('update') : q))[0];
  }

  /** The 探访 of a month within a division scope: those not yet visited first, then by division. */
  tanfangOf(month: string, divisionPrefix: string, onlyDue: boolean): Promise<TanfangRow[]> {
    return this.db
      .select()
      .from(tanfang)
      .where(and(eq(tanfang.month, month), like(tanfang.divisionCode, `${divisionPrefix}%`), onlyDue ? isNull(tanfang.visitId) : undefined))
      .orderBy(sql`${tanfang.visitId} is not null`, asc(tanfang.divisionCode), asc(tanfang.scheduledAt), asc(tanfang.id));
  }

  async assign(tx: Tx, id: string, userId: string, name: string | null): Promise<void> {
    await tx.update(tanfang).set({ assignedTo: userId, assignedName: name }).where(eq(tanfang.id, id));
  }

  async visited(tx: Tx, id: string, visitId: string, at: Date): Promise<void> {
    await tx.update(tanfang).set({ visitId, visitedAt: at }).where(eq(tanfang.id, id));
  }
}
