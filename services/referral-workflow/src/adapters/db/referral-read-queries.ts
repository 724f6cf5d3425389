import { fromJsonRow, fromJsonRows, type Db, type Executor } from '@fbl/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { availability, elderStays, matchRuns, offers, packetConsents, referrals, timeline } from './schema.js';

/** A step of a referral's timeline, as stored. */
export type TimelineRow = typeof timeline.$inferSelect;

/** Which referrals a list shows: by state, origin institution, whether they ended, and number. */
export interface ReferralListFilter {
  state?: string;
  originInstitutionId?: string;
  view: 'active' | 'finished' | 'all';
  /** The running number of the reference asked for. */
  number?: number;
  limit: number;
  offset: number;
}

/** Which offers an inbox shows: by status, and whether they still wait on the provider. */
export interface InboxFilter {
  status?: string;
  view: 'pending' | 'done' | 'all';
  limit: number;
  offset: number;
}

/**
 * The reads behind what people see of referrals: one referral with its offers, timeline and
 * latest ranking, lists and a provider's inbox (a page with the total), elders' stays, referrals
 * waiting for a follow-up, and the capacity providers announced. Rows as stored; what a reader
 * may see of them is decided above.
 */
export class ReferralReadQueries {
  /** `database` is asked for its connection at each read (an embedded one opens after the services are built). */
  constructor(private readonly database: { readonly db: Db }) {}

  private get db(): Db {
    return this.database.db;
  }

  /** The names institutions announced with their capacity, by id. */
  async institutionNames(ids: readonly string[], db: Executor = this.db): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return new Map();
    const rows = await db.selectDistinctOn([availability.institutionId], { id: availability.institutionId, name: availability.name }).from(availability).where(inArray(availability.institutionId, wanted));
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /**
   * A referral with what its page shows of it, by one statement: its row, its offers in the order
   * they were made, its timeline, and, for those who may see the whole referral (`whole`: any
   * referral, or a referral from the reader's institution), its latest matching run and the
   * packet consent standing now. One statement reads one snapshot of the database: a step
   * committed meanwhile shows in the offers and the timeline alike, or in neither. Undefined when
   * there is no such referral.
   */
  async page(id: string, whole: { all: true } | { from: string | undefined }, db: Executor = this.db) {
    const r = referrals;
    const mayRead = 'all' in whole ? sql`true` : whole.from === undefined ? sql`false` : sql`${r.snapshot} -> 'context' -> 'origin' ->> 'institutionId' = ${whole.from}`;
    const [row] = await db
      .select({
        referral: r,
        offers: sql<unknown>`(select coalesce(jsonb_agg(to_jsonb(o) order by o.offered_at, o.rank), '[]'::jsonb) from ${offers} o where o.referral_id = ${r}.id)`,
        timeline: sql<unknown>`(select coalesce(jsonb_agg(to_jsonb(t) order by t.seq), '[]'::jsonb) from ${timeline} t where t.referral_id = ${r}.id)`,
        run: sql<unknown>`case when ${mayRead} then (select to_jsonb(m) from ${matchRuns} m where m.referral_id = ${r}.id order by m.seq desc limit 1) end`,
        consent: sql<unknown>`case when ${mayRead} then (select to_jsonb(c) from ${packetConsents} c where c.referral_id = ${r}.id order by c.seq desc limit 1) end`,
      })
      .from(r)
      .where(eq(r.id, id));
    if (!row) return undefined;
    return {
      row: row.referral,
      offers: fromJsonRows(offers, row.offers),
      timeline: fromJsonRows(timeline, row.timeline),
      run: row.run === null ? undefined : fromJsonRow(matchRuns, row.run),
      consent: row.consent === null ? undefined : fromJsonRow(packetConsents, row.consent),
    };
  }

  /** A page of referrals, newest first, with how many match in all. */
  async referrals(filter: ReferralListFilter) {
    const finished = sql`${referrals.state} in ('closed', 'cancelled')`;
    const where = and(
      filter.state ? eq(referrals.state, filter.state) : undefined,
      filter.originInstitutionId ? eq(referrals.originInstitutionId, filter.originInstitutionId) : undefined,
      filter.view === 'active' ? sql`not ${finished}` : filter.view === 'finished' ? finished : undefined,
      filter.number !== undefined ? eq(referrals.number, filter.number) : undefined,
    );
    const [count] = await this.db.select({ n: sql<number>`count(*)::int` }).from(referrals).where(where);
    const rows = await this.db
      .select({ id: referrals.id, number: referrals.number, state: referrals.state, kind: referrals.kind, urgency: referrals.urgency, elderRef: referrals.elderRef, originInstitutionId: referrals.originInstitutionId, snapshot: referrals.snapshot, createdAt: referrals.createdAt, updatedAt: referrals.updatedAt })
      .from(referrals)
      .where(where)
      .orderBy(sql`${referrals.createdAt} desc`)
      .limit(filter.limit)
      .offset(filter.offset);
    return { total: Number(count?.n ?? 0), rows };
  }

  /** A page of a provider's offers, open ones first, each with its referral's columns, and how many match in all. */
  async inbox(institutionId: string, filter: InboxFilter) {
    // Pending: waiting for an answer, or accepted while the referral goes on; done: everything else.
    // Written so the index by provider and status reads only open and accepted offers, not every offer the provider ever had.
    const pending = sql`(${offers.status} in ('open', 'accepted') and (${offers.status} = 'open' or ${referrals.state} not in ('closed', 'cancelled')))`;
    const where = and(eq(offers.institutionId, institutionId), filter.status ? eq(offers.status, filter.status) : undefined, filter.view === 'pending' ? pending : filter.view === 'done' ? sql`not ${pending}` : undefined);
    const [count] = await this.db.select({ n: sql<number>`count(*)::int` }).from(offers).innerJoin(referrals, eq(referrals.id, offers.referralId)).where(where);
    const rows = await this.db
      .select({ offer: offers, elderRef: referrals.elderRef, referralState: referrals.state, number: referrals.number, createdAt: referrals.createdAt, origin: referrals.originInstitutionId, kind: referrals.kind, movesFrom: referrals.movesFrom, chosenOfferId: sql<string | null>`${referrals.snapshot}->'context'->>'chosenOfferId'` })
      .from(offers)
      .innerJoin(referrals, eq(referrals.id, offers.referralId))
      .where(where)
      .orderBy(sql`${offers.status} = 'open' desc`, filter.view === 'done' ? sql`${offers.respondBy} desc` : offers.respondBy)
      .limit(filter.limit)
      .offset(filter.offset);
    return { total: Number(count?.n ?? 0), rows };
  }

  /** The stays an elder has now, earliest first. */
  async staysOf(elderRef: string) {
    return await this.db.select().from(elderStays).where(eq(elderStays.elderRef, elderRef)).orderBy(elderStays.admittedAt);
  }

  /** Referrals placed with an institution and waiting for its follow-up, oldest arrival first. */
  async awaitingFollowUp(institutionId: string) {
    return await this.db
      .select({ id: referrals.id, number: referrals.number, createdAt: referrals.createdAt, kind: referrals.kind, urgency: referrals.urgency, elderRef: referrals.elderRef, snapshot: referrals.snapshot, updatedAt: referrals.updatedAt })
      .from(referrals)
      .where(and(eq(referrals.state, 'followUp'), sql`${referrals.snapshot}->'context'->'hold'->>'institutionId' = ${institutionId}`))
      .orderBy(referrals.updatedAt);
  }

  /** The capacity providers announced, optionally of one bed type, by name. */
  async capacity(bedType?: string) {
    return await this.db.select().from(availability).where(bedType ? eq(availability.bedType, bedType) : undefined).orderBy(availability.name);
  }
}
