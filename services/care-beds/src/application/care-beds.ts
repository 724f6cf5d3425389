import {
  AdmissionRecorded,
  BedHeld,
  BedHoldRejected,
  causedBy,
  createMessage,
  InstitutionRegistered,
  newId,
  type EnvelopeOf,
  type MessageOrigin,
  type ReserveBed,
} from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import type { Outbox } from '@fbl/messaging';
import { conflict, notFound, type ServiceKit } from '@fbl/service-kit';
import { and, eq, sql } from 'drizzle-orm';
import { canAdmit, holdExpiry } from '../domain/holds.js';
import { beds, holds, institutions } from '../adapters/db/schema.js';

export const SERVICE = 'care-beds';

/** Input of registering a care home. */
export interface RegisterInstitution {
  name: string;
  divisionCode: string;
  beds: number;
}

/** The use cases of the care-beds service; each runs in one transaction with its messages. */
export class CareBeds {
  constructor(private readonly kit: ServiceKit) {}

  private get now(): Date {
    return this.kit.deps.clock();
  }

  /** Register a care home with `beds` free beds. */
  async registerInstitution(input: RegisterInstitution, origin: MessageOrigin): Promise<{ id: string }> {
    const id = newId();
    await this.kit.transact(async (tx, outbox) => {
      await tx.insert(institutions).values({ id, name: input.name, divisionCode: input.divisionCode });
      if (input.beds > 0) {
        await tx.insert(beds).values(
          Array.from({ length: input.beds }, (_, i) => ({ id: newId(), institutionId: id, label: `${i + 1}`, ordinal: i + 1 })),
        );
      }
      await outbox.append(tx, [
        createMessage(InstitutionRegistered, id, { institutionId: id, name: input.name, divisionCode: input.divisionCode, bedCount: input.beds }, origin, { time: this.now }),
      ]);
    });
    return { id };
  }

  /** How many institutions are registered. */
  async institutionCount(): Promise<number> {
    const [row] = await this.kit.deps.database.db.select({ n: sql<number>`count(*)::int` }).from(institutions);
    return Number(row?.n ?? 0);
  }

  /** Institutions with their bed counts by status, by name; all of them or one. */
  async listInstitutions(id?: string) {
    const { db } = this.kit.deps.database;
    const rows = await db
      .select({
        id: institutions.id,
        name: institutions.name,
        divisionCode: institutions.divisionCode,
        free: sql<number>`count(*) filter (where ${beds.status} = 'free')::int`,
        held: sql<number>`count(*) filter (where ${beds.status} = 'held')::int`,
        occupied: sql<number>`count(*) filter (where ${beds.status} = 'occupied')::int`,
      })
      .from(institutions)
      .leftJoin(beds, eq(beds.institutionId, institutions.id))
      .where(id ? eq(institutions.id, id) : undefined)
      .groupBy(institutions.id)
      .orderBy(institutions.name);
    return rows.map((r) => ({ id: r.id, name: r.name, divisionCode: r.divisionCode, beds: { free: Number(r.free), held: Number(r.held), occupied: Number(r.occupied) } }));
  }

  /** An institution with its bed counts by status. */
  async getInstitution(id: string) {
    const [institution] = await this.listInstitutions(id);
    if (!institution) throw notFound(`institution ${id}`);
    return institution;
  }

  /** A hold by id. */
  async getHold(id: string) {
    const [hold] = await this.kit.deps.database.db.select().from(holds).where(eq(holds.id, id));
    if (!hold) throw notFound(`hold ${id}`);
    return hold;
  }

  /** The active or admitted hold of a referral, if any. */
  async holdOfReferral(referralId: string) {
    const [hold] = await this.kit.deps.database.db.select().from(holds).where(eq(holds.referralId, referralId)).orderBy(sql`created_at desc`).limit(1);
    return hold;
  }

  /**
   * Hold one free bed for a referral. The bed is taken by a single `UPDATE ... FOR UPDATE SKIP
   * LOCKED`, and a partial unique index allows one active hold per bed, so concurrent requests
   * for the last bed cannot both win.
   */
  async reserveBed(command: EnvelopeOf<typeof ReserveBed>, tx: Tx, outbox: Outbox): Promise<void> {
    const { referralId, institutionId, holdHours } = command.data;
    const origin = causedBy(command, SERVICE);
    const at = { time: this.now };
    const reject = (reasonCode: 'no-free-bed' | 'unknown-institution', detail: string) =>
      outbox.append(tx, [createMessage(BedHoldRejected, institutionId, { referralId, institutionId, reasonCode, detail }, origin, at)]);

    const [institution] = await tx.select({ id: institutions.id }).from(institutions).where(eq(institutions.id, institutionId));
    if (!institution) return reject('unknown-institution', `institution ${institutionId} is not registered`);
    const [existing] = await tx.select().from(holds).where(and(eq(holds.referralId, referralId), eq(holds.status, 'active')));
    if (existing) {
      // The same referral asking again gets the hold it already has.
      await outbox.append(tx, [createMessage(BedHeld, institutionId, { holdId: existing.id, referralId, institutionId, bedId: existing.bedId, expiresAt: existing.expiresAt.toISOString() }, origin, at)]);
      return;
    }
    const taken = await this.kit.deps.database.rows<{ id: string }>(
      tx,
      sql`update ${beds} set status = 'held'
          where id = (select id from ${beds} where institution_id = ${institutionId} and status = 'free'
                      order by ordinal limit 1 for update skip locked)
          returning id`,
    );
    const bed = taken[0];
    if (!bed) return reject('no-free-bed', 'no free bed at this institution');
    const holdId = newId();
    const expiresAt = holdExpiry(this.now, holdHours);
    await tx.insert(holds).values({ id: holdId, referralId, institutionId, bedId: bed.id, status: 'active', expiresAt });
    await outbox.append(tx, [createMessage(BedHeld, institutionId, { holdId, referralId, institutionId, bedId: bed.id, expiresAt: expiresAt.toISOString() }, origin, at)]);
  }

  /** Provider staff record that the elder arrived and took the held bed. */
  async recordAdmission(holdId: string, origin: MessageOrigin): Promise<{ holdId: string; admittedAt: string }> {
    return this.kit.transact(async (tx, outbox) => {
      const [hold] = await tx.select().from(holds).where(eq(holds.id, holdId)).for('update');
      if (!hold) throw notFound(`hold ${holdId}`);
      const decision = canAdmit(hold, this.now);
      if (!decision.ok) throw conflict(decision.reason);
      const admittedAt = this.now;
      await tx.update(holds).set({ status: 'admitted', admittedAt }).where(eq(holds.id, holdId));
      await tx.update(beds).set({ status: 'occupied' }).where(eq(beds.id, hold.bedId));
      await outbox.append(tx, [
        createMessage(
          AdmissionRecorded,
          hold.institutionId,
          { holdId, referralId: hold.referralId, institutionId: hold.institutionId, bedId: hold.bedId, admittedAt: admittedAt.toISOString() },
          { ...origin, correlationId: hold.referralId },
          { time: admittedAt },
        ),
      ]);
      return { holdId, admittedAt: admittedAt.toISOString() };
    });
  }
}
