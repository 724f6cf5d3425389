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

  /**
   * Keep the latest availability of providers, one statement for any number of snapshots: an older
   * sequence changes nothing, and of several of one provider and bed type the greatest sequence
   * stands (the first given on a tie, as the consumer's coalescing keeps it), as if each were applied in turn.
   */
  async projectAvailability(tx: Tx, snapshots: readonly AvailabilityData[]): Promise<void> {
    const latest = new Map<string, AvailabilityData>();
    for (const d of snapshots) {
      const key = `${d.institutionId}/${d.bedType}`;
      const held = latest.get(key);
      if (held === undefined || d.sequence > held.sequence) latest.set(key, d);
    }
    if (latest.size === 0) return;
    const rows = JSON.stringify(
      [...latest.values()].map((d) => ({
        institution_id: d.institutionId,
        bed_type: d.bedType,
        sequence: d.sequence,
        name: d.name,
        division_code: d.divisionCode,
        capabilities: d.capabilities,
        service_area: d.serviceArea,
        green_channel_partners: d.greenChannelPartners,
        units: d.units,
      })),
      // A lone surrogate would be an escape jsonb refuses; as in a text column, it becomes U+FFFD.
      (_key, value: unknown) => (typeof value === 'string' ? (value as string & { toWellFormed(): string }).toWellFormed() : value),
    );
    // The rows travel as one JSON text parameter (a jsonb parameter would be encoded again by the driver).
    await tx.execute(sql`
      insert into ${availability} (institution_id, bed_type, sequence, name, division_code, capabilities, service_area, green_channel_partners, units, updated_at)
      select r.institution_id, r.bed_type, r.sequence, r.name, r.division_code, r.capabilities, r.service_area, r.green_channel_partners, r.units, ${this.now().toISOString()}::timestamptz
      from jsonb_to_recordset(${rows}::text::jsonb) as r(institution_id uuid, bed_type text, sequence integer, name text, division_code text, capabilities jsonb, service_area jsonb, green_channel_partners jsonb, units jsonb)
      on conflict (institution_id, bed_type) do update set
        sequence = excluded.sequence, name = excluded.name, division_code = excluded.division_code, capabilities = excluded.capabilities,
        service_area = excluded.service_area, green_channel_partners = excluded.green_channel_partners, units = excluded.units, updated_at = excluded.updated_at
      where availability.sequence < excluded.sequence`);
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
