import type { Tx } from '@fbl/db';
import { and, eq, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { bedDays, bedMonths, bedWeeks, capacityLatest, institutions, offers, referrals, statementLines, stays, tanfangs, visits } from './schema.js';

/** What a referral's row may hold besides its id. */
export type ReferralFacts = Omit<typeof referrals.$inferInsert, 'referralId'>;
/** An offer's row as first written. */
export type OfferRow = typeof offers.$inferInsert;
/** A stay's row as first written. */
export type StayRow = typeof stays.$inferInsert;
/** The capacity step of an institution still open. */
export type CapacityStep = typeof capacityLatest.$inferSelect;
/** What a later step replaces of the open one. */
export type NextCapacityStep = Omit<CapacityStep, 'institutionId' | 'bedType'>;
/** A visit's row as a completion or a missed flag writes it. */
export type VisitRow = typeof visits.$inferInsert;
/** A 探访's row. */
export type TanfangRow = typeof tanfangs.$inferInsert;
/** A line of a statement of government-bought hours. */
export type StatementLineRow = typeof statementLines.$inferInsert;
/** Unit-milliseconds of one institution for a day or a month, with where it is. */
export type BedTime = Omit<typeof bedDays.$inferInsert, 'day'>;

/**
 * How a column of an existing referral row takes a new fact, where simply replacing it would be
 * wrong (events of different topics arrive in any order): the earlier instant, the instant already
 * there, one more, or the bed type placed into over the one asked for.
 */
export type Merge = { merge: 'earliest'; at: Date } | { merge: 'unless-set'; at: Date } | { merge: 'one-more' } | { merge: 'placed-or'; bedType: string };

/** The earlier of the instant in the row and `at`. */
export const earliest = (at: Date): Merge => ({ merge: 'earliest', at });
/** The instant in the row, or `at` while there is none. */
export const unlessSet = (at: Date): Merge => ({ merge: 'unless-set', at });
/** One more than the count in the row. */
export const oneMore = (): Merge => ({ merge: 'one-more' });
/** The bed type the referral was placed into, or `bedType` while there is none. */
export const placedOr = (bedType: string): Merge => ({ merge: 'placed-or', bedType });

/** What an existing referral row is updated with: facts, or merges of them. */
export type ReferralUpdate = { [K in keyof ReferralFacts]?: ReferralFacts[K] | Merge };

function isMerge(value: unknown): value is Merge {
  return typeof value === 'object' && value !== null && 'merge' in value;
}

function mergeSql(column: AnyColumn, m: Merge): SQL {
  switch (m.merge) {
    case 'earliest':
      return sql`least(coalesce(${column}, ${m.at.toISOString()}::timestamptz), ${m.at.toISOString()}::timestamptz)`;
    case 'unless-set':
      return sql`coalesce(${column}, ${m.at.toISOString()}::timestamptz)`;
    case 'one-more':
      return sql`${column} + 1`;
    case 'placed-or':
      return sql`coalesce(${referrals.placedBedType}, ${m.bedType})`;
  }
}

/** The amounts of a bed-days, -weeks or -months row plus those of `a`. */
function added(table: typeof bedDays | typeof bedWeeks | typeof bedMonths, a: BedTime) {
  return {
    totalMs: sql`${table.totalMs} + ${a.totalMs}`,
    openMs: sql`${table.openMs} + ${a.openMs}`,
    occupiedMs: sql`${table.occupiedMs} + ${a.occupiedMs}`,
    nursingMs: sql`${table.nursingMs} + ${a.nursingMs}`,
    dementiaMs: sql`${table.dementiaMs} + ${a.dementiaMs}`,
  };
}

/**
 * The writes of the monitoring projections, each an upsert or an update inside the consumer's
 * transaction. What changes is the projector's to say; this module only says how in SQL.
 */
export class ProjectionStore {
  /** Insert a referral's row with `insert`, or update the existing one with `update`. */
  async mergeReferral(tx: Tx, referralId: string, insert: ReferralFacts, update: ReferralUpdate): Promise<void> {
    const set = Object.fromEntries(Object.entries(update).map(([key, value]) => [key, isMerge(value) ? mergeSql(referrals[key as keyof ReferralFacts], value) : value]));
    await tx
      .insert(referrals)
      .values({ referralId, ...insert })
      .onConflictDoUpdate({ target: referrals.referralId, set });
  }

  /**
   * Set a referral's readmission to the elder's first medical admission after its arrival, under
   * the elder's lock (as admissions take it), so concurrent consumers of different partitions
   * cannot each miss the other's uncommitted half.
   */
  async relinkReadmission(tx: Tx, referralId: string): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(elder_ref)) from monitoring.referrals where referral_id = ${referralId} and elder_ref is not null`);
    await tx.execute(sql`update monitoring.referrals r set readmitted_at = (
          select min(s.admitted_at) from monitoring.stays s where s.elder_ref = r.elder_ref and s.bed_type = 'medical' and s.admitted_at > r.arrived_at)
        where r.referral_id = ${referralId}`);
  }

  /** A medical admission at `admittedAt`: a readmission for the elder's referrals that arrived before it (under the elder's lock). */
  async markReadmissions(tx: Tx, elderRef: string, admittedAt: Date): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${elderRef}))`);
    await tx.execute(sql`update monitoring.referrals set readmitted_at = least(coalesce(readmitted_at, ${admittedAt.toISOString()}::timestamptz), ${admittedAt.toISOString()}::timestamptz)
        where elder_ref = ${elderRef} and arrived_at < ${admittedAt.toISOString()}::timestamptz`);
  }

  /** A referral entered `stage` at `at`, unless the row already has a later stage. */
  async enterStage(tx: Tx, referralId: string, stage: string, at: Date): Promise<void> {
    await tx
      .insert(referrals)
      .values({ referralId, stage, stageAt: at })
      .onConflictDoUpdate({
        target: referrals.referralId,
        set: { stage, stageAt: at },
        setWhere: sql`${referrals.stageAt} is null or ${referrals.stageAt} <= ${at.toISOString()}::timestamptz`,
      });
  }

  /** Insert an offer's row, or update the existing one with `update`. */
  async mergeOffer(tx: Tx, row: OfferRow, update: Partial<OfferRow>): Promise<void> {
    await tx.insert(offers).values(row).onConflictDoUpdate({ target: offers.offerId, set: update });
  }

  async markNotSelected(tx: Tx, offerId: string): Promise<void> {
    await tx.update(offers).set({ notSelected: true }).where(eq(offers.offerId, offerId));
  }

  /** Insert a stay's row unless it is there already. */
  async addStay(tx: Tx, row: StayRow): Promise<void> {
    await tx.insert(stays).values(row).onConflictDoNothing();
  }

  async discharge(tx: Tx, admissionId: string, dischargedAt: Date, reason: string): Promise<void> {
    await tx.update(stays).set({ dischargedAt, dischargeReason: reason }).where(eq(stays.admissionId, admissionId));
  }

  /** Insert or update an institution's name and place. */
  async mergeInstitution(tx: Tx, institutionId: string, bedType: string, facts: { name: string; county: string; city: string }): Promise<void> {
    await tx
      .insert(institutions)
      .values({ institutionId, bedType, ...facts })
      .onConflictDoUpdate({ target: [institutions.institutionId, institutions.bedType], set: facts });
  }

  /** The institution's open capacity step, its row locked; undefined before the first. */
  async lockCapacityStep(tx: Tx, institutionId: string, bedType: string): Promise<CapacityStep | undefined> {
    const [step] = await tx
      .select()
      .from(capacityLatest)
      .where(and(eq(capacityLatest.institutionId, institutionId), eq(capacityLatest.bedType, bedType)))
      .for('update');
    return step;
  }

  /** Add unit-milliseconds to an institution's day (China Standard Time). */
  async addToDay(tx: Tx, day: string, time: BedTime): Promise<void> {
    await tx
      .insert(bedDays)
      .values({ day, ...time })
      .onConflictDoUpdate({ target: [bedDays.day, bedDays.institutionId, bedDays.bedType], set: added(bedDays, time) });
  }

  /** Add unit-milliseconds to an institution's ISO week (`week` is its Monday). */
  async addToWeek(tx: Tx, week: string, time: BedTime): Promise<void> {
    await tx
      .insert(bedWeeks)
      .values({ week, ...time })
      .onConflictDoUpdate({ target: [bedWeeks.week, bedWeeks.institutionId, bedWeeks.bedType], set: added(bedWeeks, time) });
  }

  /** Add unit-milliseconds to an institution's month (`month` is its first day). */
  async addToMonth(tx: Tx, month: string, time: BedTime): Promise<void> {
    await tx
      .insert(bedMonths)
      .values({ month, ...time })
      .onConflictDoUpdate({ target: [bedMonths.month, bedMonths.institutionId, bedMonths.bedType], set: added(bedMonths, time) });
  }

  /** Open the institution's next capacity step. */
  async setCapacityStep(tx: Tx, institutionId: string, bedType: string, next: NextCapacityStep): Promise<void> {
    await tx
      .insert(capacityLatest)
      .values({ institutionId, bedType, ...next })
      .onConflictDoUpdate({ target: [capacityLatest.institutionId, capacityLatest.bedType], set: next });
  }

  /** A completed visit: inserted, or the row (a missed flag read first, or the same completion again) becomes it. */
  async completeVisit(tx: Tx, row: VisitRow): Promise<void> {
    const { visitId: _id, ...facts } = row;
    await tx.insert(visits).values(row).onConflictDoUpdate({ target: visits.visitId, set: facts });
  }

  /** A missed visit: inserted unless the visit is there already (a completion read first wins). */
  async missVisit(tx: Tx, row: VisitRow): Promise<void> {
    await tx.insert(visits).values(row).onConflictDoNothing();
  }

  /** A 探访 due: inserted unless it is there already. */
  async scheduleTanfang(tx: Tx, row: TanfangRow): Promise<void> {
    await tx.insert(tanfangs).values(row).onConflictDoNothing();
  }

  /** The lines of a statement: inserted unless the statement was read already. */
  async addStatementLines(tx: Tx, rows: StatementLineRow[]): Promise<void> {
    if (rows.length === 0) return;
    await tx.insert(statementLines).values(rows).onConflictDoNothing();
  }
}
