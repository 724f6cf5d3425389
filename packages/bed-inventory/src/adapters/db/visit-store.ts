import { newId } from '@fbl/contracts';
import type { Database, Tx } from '@fbl/db';
import { and, asc, eq, gt, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Actor, NewVisit, PlanState, VisitCommand, VisitDecisionState, VisitState } from '../../domain/visit-decider.js';
import type { BedInventoryTables } from './tables.js';

type VisitRow = BedInventoryTables['visits']['$inferSelect'];
type PlanRow = BedInventoryTables['visitPlans']['$inferSelect'];

const visitState = (r: VisitRow): VisitState & { codeSealed: string } => ({
  id: r.id,
  planId: r.planId,
  stayId: r.stayId,
  institutionId: r.institutionId,
  elderRef: r.elderRef,
  divisionCode: r.divisionCode,
  purpose: r.purpose,
  windowStart: r.windowStart,
  windowEnd: r.windowEnd,
  workerId: r.workerId,
  workerName: r.workerName,
  items: r.items,
  status: r.status,
  checkedInAt: r.checkedInAt,
  graceMinutes: r.graceMinutes,
  codeSealed: r.codeSealed,
});
const planState = (r: PlanRow): PlanState => ({ id: r.id, stayId: r.stayId, institutionId: r.institutionId, elderRef: r.elderRef, version: r.version, content: r.content, scheduledUntil: r.scheduledUntil });

/** Where a home bed service keeps service plans, their versions and visits. Rows a change is decided on are locked. */
export class VisitStore {
  constructor(
    private readonly t: BedInventoryTables,
    readonly database: Database,
  ) {}

  private async stay(tx: Tx, stayId: string) {
    const [stay] = await tx.select({ id: this.t.stays.id, institutionId: this.t.stays.institutionId, elderRef: this.t.stays.elderRef, status: this.t.stays.status }).from(this.t.stays).where(eq(this.t.stays.id, stayId)).for('update');
    return stay;
  }

  private async plan(tx: Tx, where: { id: string } | { stayId: string }) {
    const p = this.t.visitPlans;
    const [row] = await tx.select().from(p).where('id' in where ? eq(p.id, where.id) : eq(p.stayId, where.stayId)).for('update');
    return row ? planState(row) : undefined;
  }

  /** What a command is decided on; the visit's sealed code comes along for a check-out. */
  async load(tx: Tx, command: VisitCommand, now: Date): Promise<VisitDecisionState & { codeSealed?: string }> {
    switch (command.type) {
      case 'SetPlan': {
        const stay = await this.stay(tx, command.stayId);
        const plan = await this.plan(tx, { stayId: command.stayId });
        const v = this.t.visits;
        const upcoming = plan ? (await tx.select().from(v).where(and(eq(v.planId, plan.id), eq(v.status, 'scheduled'), gt(v.windowStart, now), inArray(v.purpose, ['service', 'doctor-round']))).for('update')).map(visitState) : [];
        return { ...(stay ? { stay } : {}), ...(plan ? { plan } : {}), upcoming };
      }
      case 'ExtendSchedule':
      case 'AddVisit': {
        const plan = await this.plan(tx, { id: command.planId });
        const stay = plan ? await this.stay(tx, plan.stayId) : undefined;
        return { ...(plan ? { plan } : {}), ...(stay ? { stay } : {}) };
      }
      case 'CheckIn':
      case 'CheckOut':
      case 'FlagMissed': {
        const [row] = await tx.select().from(this.t.visits).where(eq(this.t.visits.id, command.visitId)).for('update');
        return row ? { visit: visitState(row), codeSealed: row.codeSealed } : {};
      }
    }
  }

  async savePlan(tx: Tx, plan: PlanState, by: Actor, now: Date): Promise<void> {
    const row = { id: plan.id, stayId: plan.stayId, institutionId: plan.institutionId, elderRef: plan.elderRef, version: plan.version, content: plan.content, scheduledUntil: plan.scheduledUntil, updatedAt: now };
    await tx
      .insert(this.t.visitPlans)
      .values(row)
      .onConflictDoUpdate({ target: this.t.visitPlans.id, set: { version: row.version, content: row.content, scheduledUntil: row.scheduledUntil, updatedAt: now } });
    await tx.insert(this.t.visitPlanVersions).values({ planId: plan.id, version: plan.version, content: plan.content, changedBy: by.userId, changedByName: by.name ?? null, changedAt: now });
  }

  async setScheduledUntil(tx: Tx, planId: string, until: Date): Promise<void> {
    await tx.update(this.t.visitPlans).set({ scheduledUntil: until }).where(eq(this.t.visitPlans.id, planId));
  }

  async addVisits(tx: Tx, visits: readonly (NewVisit & { codeSealed: string; planVersion: number })[]): Promise<void> {
    if (visits.length === 0) return;
    await tx.insert(this.t.visits).values(visits.map((v) => ({ ...v, status: 'scheduled' as const })));
  }

  async cancel(tx: Tx, visitIds: readonly string[]): Promise<void> {
    if (visitIds.length === 0) return;
    await tx.update(this.t.visits).set({ status: 'cancelled' }).where(and(inArray(this.t.visits.id, [...visitIds]), eq(this.t.visits.status, 'scheduled')));
  }

  async checkIn(tx: Tx, visitId: string, at: Date, late: boolean, by: string): Promise<void> {
    await tx.update(this.t.visits).set({ status: 'in-progress', checkedInAt: at, late, checkedInBy: by }).where(eq(this.t.visits.id, visitId));
  }

  async complete(tx: Tx, visitId: string, done: { at: Date; minutes: number; items: { code: string; minutes: number }[]; confirmation: 'signature' | 'code' | 'none'; signatureSealed: string | null; notesSealed: string | null; photosSealed: readonly string[] }): Promise<void> {
    if (done.photosSealed.length > 0) await tx.insert(this.t.visitPhotos).values(done.photosSealed.map((sealed) => ({ id: newId(), visitId, sealed, addedAt: done.at })));
    await tx
      .update(this.t.visits)
      .set({ status: 'completed', checkedOutAt: done.at, minutes: done.minutes, itemsDone: done.items, confirmation: done.confirmation, signatureSealed: done.signatureSealed, notesSealed: done.notesSealed })
      .where(eq(this.t.visits.id, visitId));
  }

  async miss(tx: Tx, visitId: string, at: Date): Promise<void> {
    await tx.update(this.t.visits).set({ status: 'missed', missedAt: at }).where(eq(this.t.visits.id, visitId));
  }

  // ---- reads ---------------------------------------------------------------------------

  /** The institution a plan or visit belongs to (for the role check); undefined when there is none. */
  async institutionOf(kind: 'plan' | 'visit', id: string): Promise<string | undefined> {
    const table = kind === 'plan' ? this.t.visitPlans : this.t.visits;
    const [row] = await this.database.db.select({ institutionId: table.institutionId }).from(table).where(eq(table.id, id));
    return row?.institutionId;
  }

  async planOfStay(stayId: string) {
    const [row] = await this.database.db.select().from(this.t.visitPlans).where(eq(this.t.visitPlans.stayId, stayId));
    if (!row) return undefined;
    const versions = await this.database.db.select().from(this.t.visitPlanVersions).where(eq(this.t.visitPlanVersions.planId, row.id)).orderBy(asc(this.t.visitPlanVersions.version));
    return { plan: row, versions };
  }

  /** Visits of an institution whose windows start within [from, to), optionally one worker's. */
  async visitsBetween(institutionId: string, from: Date, to: Date, workerId?: string): Promise<VisitRow[]> {
    const v = this.t.visits;
    return this.database.db
      .select()
      .from(v)
      .where(and(eq(v.institutionId, institutionId), gte(v.windowStart, from), lt(v.windowStart, to), workerId ? eq(v.workerId, workerId) : undefined, sql`${v.status} <> 'cancelled'`))
      .orderBy(asc(v.windowStart));
  }

  /** Missed and late visits of an institution within [from, to), and all its visits then, by status. */
  async counts(institutionId: string, from: Date, to: Date): Promise<{ status: string; late: boolean | null; count: number }[]> {
    const v = this.t.visits;
    const rows = await this.database.db
      .select({ status: v.status, late: v.late, count: sql<number>`count(*)::int` })
      .from(v)
      .where(and(eq(v.institutionId, institutionId), gte(v.windowStart, from), lt(v.windowStart, to)))
      .groupBy(v.status, v.late);
    return rows;
  }

  /** A visit's photos, sealed, in the order they were added. */
  async photos(visitId: string): Promise<string[]> {
    const rows = await this.database.db.select({ sealed: this.t.visitPhotos.sealed }).from(this.t.visitPhotos).where(eq(this.t.visitPhotos.visitId, visitId)).orderBy(asc(this.t.visitPhotos.id));
    return rows.map((r) => r.sealed);
  }

  async visit(id: string): Promise<VisitRow | undefined> {
    const [row] = await this.database.db.select().from(this.t.visits).where(eq(this.t.visits.id, id));
    return row;
  }
}
