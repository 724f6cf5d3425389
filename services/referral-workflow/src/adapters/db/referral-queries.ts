import { parsedJson, type Db, type Executor, type Tx } from '@fbl/db';
import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { StoredSnapshot } from '../../application/machine-host.js';
import { partiesOf, type Parties } from '../../application/parties.js';
import type { ReferralContext } from '../../domain/referral-machine.js';
import type { CurrentStay } from '../../domain/stays.js';
import type { BedTypeName } from '../../domain/types.js';
import { availability, elderStays, offers, referrals } from './schema.js';

/** Questions about referrals that change nothing: who takes part, which referrals wait on what. */
export class ReferralQueries {
  /** `database` is asked for its connection at each read (an embedded one opens after the services are built). */
  constructor(private readonly database: { readonly db: Db }) {}

  private get db(): Db {
    return this.database.db;
  }

  /**
   * Referrals' states and versions now, with their parties, by one statement however many are
   * asked (the live feed reads every referral of an announcement at once); a referral that does
   * not exist is absent from the answer. Of the snapshot only what the parties need is read.
   */
  async partiesNow(ids: readonly string[]): Promise<Map<string, { state: string; version: number; parties: Parties }>> {
    const found = new Map<string, { state: string; version: number; parties: Parties }>();
    if (ids.length === 0) return found;
    const context = sql`${referrals.snapshot} -> 'context'`;
    const rows = await this.db
      .select({
        id: referrals.id,
        state: referrals.state,
        version: referrals.version,
        context: sql<unknown>`jsonb_build_object('origin', ${context} -> 'origin', 'offers', coalesce(${context} -> 'offers', '[]'::jsonb), 'chosenOfferId', ${context} -> 'chosenOfferId', 'hold', ${context} -> 'hold', 'returnTo', ${context} -> 'returnTo')`,
        // Named by alias: in a select list drizzle writes a column without its table.
        offers: sql<unknown>`coalesce((select jsonb_agg(jsonb_build_object('id', o.id, 'institutionId', o.institution_id, 'status', o.status) order by o.rank, o.id) from ${offers} o where o.referral_id = ${referrals}.id), '[]'::jsonb)`,
      })
      .from(referrals)
      // One statement whatever the number of ids: they go as one array parameter.
      .where(sql`${referrals.id} = any(${sql.param([...new Set(ids)])}::uuid[])`);
    for (const row of rows) {
      const parties = partiesOf(parsedJson<ReferralContext>(row.context), parsedJson<{ id: string; institutionId: string; status: string }[]>(row.offers));
      found.set(row.id, { state: row.state, version: row.version, parties });
    }
    return found;
  }

  /** A referral's state, elder and context with its parties (row-locked when asked); undefined when there is none. */
  async withParties(db: Executor, referralId: string, lock = false): Promise<{ state: string; elderRef: string; context: ReferralContext; parties: Parties } | undefined> {
    const query = db.select({ state: referrals.state, elderRef: referrals.elderRef, snapshot: referrals.snapshot }).from(referrals).where(eq(referrals.id, referralId));
    const [row] = lock ? await query.for('update') : await query;
    if (!row) return undefined;
    const context = (row.snapshot as StoredSnapshot).context as unknown as ReferralContext;
    const offerRows = await db.select({ id: offers.id, institutionId: offers.institutionId, status: offers.status }).from(offers).where(eq(offers.referralId, referralId));
    return { state: row.state, elderRef: row.elderRef, context, parties: partiesOf(context, offerRows) };
  }

  /** The division an institution is registered in, as its bed service announced it. */
  async registeredDivisionOf(institutionId: string): Promise<string | undefined> {
    const [row] = await this.db.select({ divisionCode: availability.divisionCode }).from(availability).where(eq(availability.institutionId, institutionId)).limit(1);
    return row?.divisionCode;
  }

  /** The beds an elder is in now, in any bed service (admitted and not discharged). */
  async currentStays(tx: Executor, elderRef: string): Promise<CurrentStay[]> {
    const rows = await tx.select().from(elderStays).where(eq(elderStays.elderRef, elderRef)).orderBy(elderStays.admittedAt);
    return rows.map((r) => ({ admissionId: r.admissionId, institutionId: r.institutionId, bedType: r.bedType as BedTypeName }));
  }

  /** Referrals of an elder still in a given state. */
  async openReferralsOf(tx: Tx, elderRef: string, state: string): Promise<string[]> {
    const rows = await tx.select({ id: referrals.id }).from(referrals).where(and(eq(referrals.elderRef, elderRef), eq(referrals.state, state)));
    return rows.map((r) => r.id);
  }

  /** Referrals of an elder not yet closed or cancelled. */
  async unfinishedReferralsOf(tx: Tx, elderRef: string): Promise<string[]> {
    const rows = await tx.select({ id: referrals.id }).from(referrals).where(and(eq(referrals.elderRef, elderRef), notInArray(referrals.state, ['closed', 'cancelled'])));
    return rows.map((r) => r.id);
  }

  /** Referrals whose elder's stay at the origin is `admissionId`. */
  async referralsFromStay(tx: Tx, admissionId: string): Promise<string[]> {
    const rows = await tx.select({ id: referrals.id }).from(referrals).where(eq(referrals.originAdmissionId, admissionId));
    return rows.map((r) => r.id);
  }

  /** The return referral waiting for the elder to be back in the kept bed of stay `admissionId`. */
  async returnWaitingFor(tx: Tx, admissionId: string): Promise<string | undefined> {
    const [row] = await tx
      .select({ id: referrals.id })
      .from(referrals)
      .where(and(eq(referrals.kind, 'return'), sql`${referrals.snapshot}->'context'->'returnTo'->>'admissionId' = ${admissionId}`, sql`${referrals.state} in ('returning', 'intake')`));
    return row?.id;
  }

  /** The urgent transfer started from a stay that has not brought the elder to hospital yet. */
  async urgentTransferPendingFor(tx: Tx, admissionId: string): Promise<string | undefined> {
    const [row] = await tx
      .select({ id: referrals.id })
      .from(referrals)
      .where(and(eq(referrals.kind, 'urgent-transfer'), eq(referrals.originAdmissionId, admissionId), sql`${referrals.state} not in ('followUp', 'closed', 'cancelled')`));
    return row?.id;
  }

  /** A referral's machine context. */
  /** A referral's offers as the offers table has them, in the caller's transaction. */
  async offersIn(tx: Tx, referralId: string): Promise<{ id: string; institutionId: string; status: string }[]> {
    return tx.select({ id: offers.id, institutionId: offers.institutionId, status: offers.status }).from(offers).where(eq(offers.referralId, referralId));
  }

  async contextOf(tx: Tx, referralId: string): Promise<ReferralContext | undefined> {
    const [row] = await tx.select({ snapshot: referrals.snapshot }).from(referrals).where(eq(referrals.id, referralId));
    return row ? ((row.snapshot as StoredSnapshot).context as unknown as ReferralContext) : undefined;
  }
}
