import type { Tx } from '@fbl/db';
import { and, eq } from 'drizzle-orm';
import { homeSickBedFilings } from './schema.js';

/** A stored home sick bed filing. */
export type FilingRow = typeof homeSickBedFilings.$inferSelect;

/** Where home sick bed filings are kept: one per elder and institution. */
export class FilingStore {
  /** The elder's filing at the institution; undefined when there is none. */
  async find(tx: Tx, elderRef: string, institutionId: string): Promise<FilingRow | undefined> {
    const [row] = await tx.select().from(homeSickBedFilings).where(and(eq(homeSickBedFilings.elderRef, elderRef), eq(homeSickBedFilings.institutionId, institutionId)));
    return row;
  }

  /**
   * Store a new filing; undefined when the elder already has one at the institution. Two filings
   * at the same moment meet on the unique key, which keeps the first.
   */
  async insert(tx: Tx, row: FilingRow): Promise<FilingRow | undefined> {
    const [inserted] = await tx.insert(homeSickBedFilings).values(row).onConflictDoNothing().returning();
    return inserted;
  }
}
