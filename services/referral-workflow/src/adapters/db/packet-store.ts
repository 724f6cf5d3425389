import type { FollowUpRecord, PacketConsent, ReferralPacket } from '@fbl/contracts';
import type { Executor } from '@fbl/db';
import type { Sealer } from '@fbl/privacy';
import { desc, eq, sql } from 'drizzle-orm';
import type { KnownFacts } from '../../domain/types.js';
import { elderFacts, elderProfiles, followUps, offers, packetConsents, packets } from './schema.js';

const sqlIncrement = sql`${packets.version} + 1`;

/** The consent standing now: given (with who and how), withdrawn, or never recorded. */
export interface ConsentState {
  granted: boolean;
  givenBy?: string;
  giverName?: string;
  method?: string;
  recordedBy?: string;
  recordedByName?: string;
  recordedAt?: string;
}

/** Who recorded something, and when. */
export interface Recorder {
  userId: string;
  name?: string | undefined;
  at: Date;
}

/**
 * The packet's rows: the packet sealed whole with the personal-data key (it is health data and
 * contacts), its consents (a guardian's or agent's name sealed), and what is known of the elder
 * from civil affairs and medical insurance. Reads and writes only; who may is decided above.
 */
export class PacketStore {
  constructor(private readonly sealer: Sealer) {}

  /** The packet of a referral, opened, with its version; undefined when none was sent. */
  async load(db: Executor, referralId: string): Promise<{ packet: ReferralPacket; version: number; updatedAt: Date } | undefined> {
    const [row] = await db.select().from(packets).where(eq(packets.referralId, referralId));
    return row && { packet: JSON.parse(this.sealer.open(row.sealed)) as ReferralPacket, version: row.version, updatedAt: row.updatedAt };
  }

  /** Write the packet whole (a new version of it). */
  async save(tx: Executor, referralId: string, packet: ReferralPacket, by: Recorder): Promise<number> {
    const sealed = this.sealer.seal(JSON.stringify(packet));
    const [row] = await tx
      .insert(packets)
      .values({ referralId, sealed, version: 1, updatedBy: by.userId, updatedAt: by.at })
      .onConflictDoUpdate({ target: packets.referralId, set: { sealed, version: sqlIncrement, updatedBy: by.userId, updatedAt: by.at } })
      .returning({ version: packets.version });
    return row!.version;
  }

  /** Record consent given (or, with `granted: false`, withdrawn). */
  async recordConsent(tx: Executor, referralId: string, consent: PacketConsent, granted: boolean, by: Recorder): Promise<void> {
    await tx.insert(packetConsents).values({
      referralId,
      granted,
      givenBy: consent.givenBy,
      giverNameSealed: consent.giverName ? this.sealer.seal(consent.giverName) : null,
      method: consent.method,
      recordedBy: by.userId,
      recordedByName: by.name ?? null,
      recordedAt: by.at,
    });
  }

  /** The consent standing now. */
  async consent(db: Executor, referralId: string): Promise<ConsentState> {
    const [row] = await db.select().from(packetConsents).where(eq(packetConsents.referralId, referralId)).orderBy(desc(packetConsents.seq)).limit(1);
    return this.consentOf(row);
  }

  /** The consent a referral's latest consent row records (none: not granted). */
  consentOf(row: typeof packetConsents.$inferSelect | undefined): ConsentState {
    if (!row) return { granted: false };
    return {
      granted: row.granted,
      givenBy: row.givenBy,
      ...(row.giverNameSealed ? { giverName: this.sealer.open(row.giverNameSealed) } : {}),
      method: row.method,
      recordedBy: row.recordedBy,
      ...(row.recordedByName ? { recordedByName: row.recordedByName } : {}),
      recordedAt: row.recordedAt.toISOString(),
    };
  }

  /** What civil affairs announced of the elder (sex, birth year, home division), if anything. */
  async profile(db: Executor, elderRef: string) {
    const [row] = await db.select().from(elderProfiles).where(eq(elderProfiles.elderRef, elderRef));
    return row && { gender: row.gender, birthYear: row.birthYear, divisionCode: row.divisionCode };
  }

  /** What civil affairs and medical insurance said of the elder's ability and LTCI grade. */
  async knownFacts(db: Executor, elderRef: string): Promise<KnownFacts> {
    const [row] = await db.select({ facts: elderFacts.facts }).from(elderFacts).where(eq(elderFacts.elderRef, elderRef));
    return (row?.facts as KnownFacts | undefined) ?? {};
  }

  /** Keep the receiver's follow-up, sealed whole (it says how the elder is). */
  async saveFollowUp(tx: Executor, referralId: string, record: FollowUpRecord, by: Recorder): Promise<void> {
    await tx.insert(followUps).values({ referralId, sealed: this.sealer.seal(JSON.stringify(record)), recordedBy: by.userId, recordedByName: by.name ?? null, recordedAt: by.at });
  }

  /** The follow-up of a referral, opened, with who recorded it and when; undefined before it was recorded. */
  async followUp(db: Executor, referralId: string): Promise<(FollowUpRecord & { recordedByName: string | null; recordedAt: string }) | undefined> {
    const [row] = await db.select().from(followUps).where(eq(followUps.referralId, referralId));
    return row && { ...(JSON.parse(this.sealer.open(row.sealed)) as FollowUpRecord), recordedByName: row.recordedByName, recordedAt: row.recordedAt.toISOString() };
  }

  /** Keep a provider's own words on its decline, sealed. */
  async saveDeclineNote(tx: Executor, offerId: string, note: string): Promise<void> {
    await tx.update(offers).set({ declineNoteSealed: this.sealer.seal(note) }).where(eq(offers.id, offerId));
  }

  /** Seal a short text (a decline's note, a ranking). */
  seal(text: string): string {
    return this.sealer.seal(text);
  }

  /** Open what {@link seal} sealed. */
  open(sealed: string): string {
    return this.sealer.open(sealed);
  }
}
