import type { Envelope } from '@fbl/contracts';
import type { Executor, Tx } from '@fbl/db';
import { eq, inArray, sql } from 'drizzle-orm';
import type { ProviderAvailability } from '../../domain/matching.js';
import type { BedTypeName, KnownFacts } from '../../domain/types.js';
import { providerOf } from './availability-view.js';
import { availability, elderFacts, elderProfiles, elderStays } from './schema.js';

type AvailabilityData = Envelope<'BedAvailabilityChanged', { institutionId: string; bedType: string; sequence: number; name: string; divisionCode: string; capabilities: string[]; serviceArea: string[]; greenChannelPartners: string[]; units: unknown[] }>['data'];

/** What the workflow keeps of other services' facts: providers' capacity, elders' profiles, facts and stays. */
export class Projections {
  constructor(private readonly now: () => Date) {}

  /** Keep the latest availability of a provider (an older sequence changes nothing). */
  async projectAvailability(tx: Tx, data: AvailabilityData): Promise<void> {
    const row = { ...data, units: data.units, updatedAt: this.now() };
    await tx
      .insert(availability)
      .values(row)
      .onConflictDoUpdate({ target: [availability.institutionId, availability.bedType], set: { ...row }, setWhere: sql`${availability.sequence} < ${data.sequence}` });
  }

  /** The providers of some bed types with their capacity, for matching, in institution order (as the in-memory view keeps them). */
  async providers(tx: Executor, bedTypes: readonly BedTypeName[]): Promise<ProviderAvailability[]> {
    const rows = await tx.select().from(availability).where(inArray(availability.bedType, [...bedTypes])).orderBy(availability.institutionId);
    return rows.map(providerOf);
  }

  /** Keep what civil affairs announced of a registered elder (sex, birth year, home division). */
  async projectProfile(tx: Tx, p: { elderRef: string; gender: string; birthYear: number; divisionCode: string }): Promise<void> {
    const row = { ...p, updatedAt: this.now() };
    await tx.insert(elderProfiles).values(row).onConflictDoUpdate({ target: elderProfiles.elderRef, set: row });
  }

  /** The elder's home moved (a correction at civil affairs): the profile says the new division. */
  async moveHome(tx: Tx, elderRef: string, divisionCode: string): Promise<void> {
    await tx.update(elderProfiles).set({ divisionCode, updatedAt: this.now() }).where(eq(elderProfiles.elderRef, elderRef));
  }

  /** Merge what civil affairs or medical insurance said about an elder. */
  async projectFacts(tx: Tx, elderRef: string, facts: KnownFacts): Promise<void> {
    const [existing] = await tx.select().from(elderFacts).where(eq(elderFacts.elderRef, elderRef)).for('update');
    const merged = { ...((existing?.facts as KnownFacts | undefined) ?? {}), ...facts };
    await tx.insert(elderFacts).values({ elderRef, facts: merged, updatedAt: this.now() }).onConflictDoUpdate({ target: elderFacts.elderRef, set: { facts: merged, updatedAt: this.now() } });
  }

  /** What is known of an elder when a referral starts: the facts others announced and the home division. */
  async elderKnown(tx: Executor, elderRef: string): Promise<{ facts: KnownFacts | undefined; homeDivisionCode: string | undefined }> {
    const [known] = await tx.select().from(elderFacts).where(eq(elderFacts.elderRef, elderRef));
    const [profile] = await tx.select({ divisionCode: elderProfiles.divisionCode }).from(elderProfiles).where(eq(elderProfiles.elderRef, elderRef));
    return { facts: known?.facts as KnownFacts | undefined, homeDivisionCode: profile?.divisionCode };
  }

  /** Project a stay that began (any bed service's AdmissionRecorded). */
  async stayBegan(tx: Tx, stay: { admissionId: string; elderRef: string; institutionId: string; bedType: string; admittedAt: string }): Promise<void> {
    await tx.insert(elderStays).values({ ...stay, admittedAt: new Date(stay.admittedAt) }).onConflictDoNothing();
  }

  /** Project a stay that ended (DischargeRecorded). */
  async stayEnded(tx: Tx, admissionId: string): Promise<void> {
    await tx.delete(elderStays).where(eq(elderStays.admissionId, admissionId));
  }
}
