import { notFound } from '@fbl/contracts';
import type { Database } from '@fbl/db';
import type { Sealer } from '@fbl/privacy';
import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { activeHold, type BedInventoryTables } from './tables.js';
import { summarise } from '../../domain/availability.js';
import type { StayStatus } from '../../domain/lifecycle.js';

type StayRow = BedInventoryTables['stays']['$inferSelect'];
type ReviewRow = BedInventoryTables['episodeReviews']['$inferSelect'];

/**
 * Read models of a bed service: institutions with their capacity, units, holds, stays. The
 * residents' reads open their sealed health text; the routes audit them.
 */
export class BedQueries {
  constructor(
    private readonly database: Database,
    private readonly t: BedInventoryTables,
    private readonly sealer: Sealer,
  ) {}

  /** A sealed value opened; a value written in clear before sealing and not moved yet as it is. */
  private opened(sealed: string | null, clear: string | null): string | null {
    return sealed !== null ? this.sealer.open(sealed) : clear;
  }

  private review(r: ReviewRow) {
    return { condition: this.opened(r.conditionSealed, r.condition) ?? '', decision: this.opened(r.decisionSealed, r.decision) ?? '', reviewedAt: r.reviewedAt.toISOString(), reviewedByName: r.reviewedByName };
  }

  private stayView(stay: StayRow, unitLabel: string, lastReview: ReturnType<BedQueries['review']> | null) {
    const plan = this.opened(stay.servicePlanSealed, null);
    return {
      id: stay.id,
      referralId: stay.referralId,
      elderRef: stay.elderRef,
      unitId: stay.unitId,
      unitLabel,
      status: stay.status,
      admittedAt: stay.admittedAt.toISOString(),
      keptUntil: stay.keptUntil?.toISOString() ?? null,
      reviewDueAt: stay.reviewDueAt?.toISOString() ?? null,
      lastReview,
      servicePlan: plan !== null ? (JSON.parse(plan) as { services: string[]; visitsPerWeek: number }) : (stay.servicePlan ?? null),
      dischargedAt: stay.dischargedAt?.toISOString() ?? null,
      dischargeReason: this.opened(stay.dischargeReasonSealed, stay.dischargeReason),
    };
  }

  /** Institutions with their capacity by kind and attributes; all, or one. */
  async institutions(id?: string) {
    const { institutions, unitCounts } = this.t;
    const rows = await this.database.db.select().from(institutions).where(id ? eq(institutions.id, id) : undefined).orderBy(asc(institutions.name));
    // The counts kept with every unit change, not a count of the units.
    const counts = await this.database.db
      .select({ institutionId: unitCounts.institutionId, kind: unitCounts.kind, attributes: unitCounts.attributes, status: unitCounts.status, count: unitCounts.count })
      .from(unitCounts)
      .where(and(id ? eq(unitCounts.institutionId, id) : undefined, gt(unitCounts.count, 0)));
    return rows.map((r) => {
      const lines = summarise(counts.filter((c) => c.institutionId === r.id));
      const totals = { total: 0, free: 0, held: 0, occupied: 0, kept: 0, closed: 0 };
      for (const line of lines) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += line[k];
      return {
        id: r.id,
        name: r.name,
        creditCode: r.creditCode,
        creditCodeOverridden: r.creditCodeOverridden,
        divisionCode: r.divisionCode,
        kind: r.kind,
        ownership: r.ownership,
        capabilities: r.capabilities,
        serviceArea: r.serviceArea,
        greenChannelPartners: r.greenChannelPartners,
        capacity: { ...totals, units: lines },
      };
    });
  }

  async institution(id: string) {
    const [found] = await this.institutions(id);
    if (!found) throw notFound(`institution ${id}`);
    return found;
  }

  async units(institutionId: string) {
    await this.institution(institutionId);
    const rows = await this.database.db.select().from(this.t.units).where(eq(this.t.units.institutionId, institutionId)).orderBy(asc(this.t.units.ordinal));
    return rows.map((u) => ({ id: u.id, kind: u.kind, label: u.label, attributes: u.attributes, status: u.status }));
  }

  async hold(id: string) {
    const [hold] = await this.database.db.select().from(this.t.holds).where(eq(this.t.holds.id, id));
    if (!hold) throw notFound(`hold ${id}`);
    return { id: hold.id, referralId: hold.referralId, institutionId: hold.institutionId, unitId: hold.unitId, status: hold.status, expiresAt: hold.expiresAt.toISOString() };
  }

  /** The institution a hold, stay or unit belongs to (for authorization); 404 when there is none. */
  async institutionOf(kind: 'hold' | 'stay' | 'unit', id: string): Promise<string> {
    const table = kind === 'hold' ? this.t.holds : kind === 'stay' ? this.t.stays : this.t.units;
    const [row] = await this.database.db.select({ institutionId: table.institutionId }).from(table).where(eq(table.id, id));
    if (!row) throw notFound(`${kind} ${id}`);
    return row.institutionId;
  }

  /** An institution's holds waiting for the elder's arrival, soonest expiry first. */
  async activeHolds(institutionId: string) {
    await this.institution(institutionId);
    const { holds, units } = this.t;
    const rows = await this.database.db
      .select({ hold: holds, unitLabel: units.label })
      .from(holds)
      .innerJoin(units, eq(units.id, holds.unitId))
      .where(and(eq(holds.institutionId, institutionId), activeHold(holds)))
      .orderBy(asc(holds.expiresAt));
    return rows.map(({ hold, unitLabel }) => ({ id: hold.id, referralId: hold.referralId, elderRef: hold.elderRef, unitId: hold.unitId, unitLabel, status: hold.status, expiresAt: hold.expiresAt.toISOString() }));
  }

  /** Current residents or cases of an institution (or all stays with a status). */
  async stays(institutionId: string, status?: StayStatus) {
    await this.institution(institutionId);
    const { stays, units } = this.t;
    const rows = await this.database.db
      .select({ stay: stays, unitLabel: units.label })
      .from(stays)
      .innerJoin(units, eq(units.id, stays.unitId))
      .where(and(eq(stays.institutionId, institutionId), status ? eq(stays.status, status) : sql`${stays.status} in ('in-care', 'away')`))
      .orderBy(asc(stays.admittedAt));
    const reviews = rows.length === 0 ? [] : await this.database.db
      .selectDistinctOn([this.t.episodeReviews.stayId])
      .from(this.t.episodeReviews)
      .where(inArray(this.t.episodeReviews.stayId, rows.map((r) => r.stay.id)))
      .orderBy(this.t.episodeReviews.stayId, desc(this.t.episodeReviews.reviewedAt));
    const lastReview = new Map(reviews.map((r) => [r.stayId, this.review(r)]));
    return rows.map(({ stay, unitLabel }) => this.stayView(stay, unitLabel, lastReview.get(stay.id) ?? null));
  }

  /** One admission with its urgent transfers (their reasons) and stage reviews, newest first; 404 when there is none. */
  async admission(id: string) {
    const { stays, units, transfers, episodeReviews } = this.t;
    const [found] = await this.database.db.select({ stay: stays, unitLabel: units.label }).from(stays).innerJoin(units, eq(units.id, stays.unitId)).where(eq(stays.id, id));
    if (!found) throw notFound(`admission ${id}`);
    const [reviews, moves] = await Promise.all([
      this.database.db.select().from(episodeReviews).where(eq(episodeReviews.stayId, id)).orderBy(desc(episodeReviews.reviewedAt)),
      this.database.db.select().from(transfers).where(eq(transfers.stayId, id)).orderBy(desc(transfers.requestedAt)),
    ]);
    const opened = reviews.map((r) => this.review(r));
    return {
      ...this.stayView(found.stay, found.unitLabel, opened[0] ?? null),
      institutionId: found.stay.institutionId,
      transfers: moves.map((m) => ({ id: m.id, reason: this.opened(m.reasonSealed, m.reason) ?? '', bedKept: m.bedKept, requestedAt: m.requestedAt.toISOString() })),
      reviews: opened.map((r, i) => ({ ...r, nextReviewDueAt: reviews[i]!.nextReviewDueAt.toISOString() })),
    };
  }
}
