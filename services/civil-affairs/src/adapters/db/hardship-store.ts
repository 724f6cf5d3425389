import type { Database, Tx } from '@fbl/db';
import { asc, eq } from 'drizzle-orm';
import { hardships } from './schema.js';

/** A recorded hardship status with its validity. */
export type HardshipRow = typeof hardships.$inferSelect;
/** A hardship status as recorded. */
export type NewHardshipRow = typeof hardships.$inferInsert;

/** Where elders' hardship statuses are kept. */
export class HardshipStore {
  constructor(private readonly database: Database) {}

  async record(tx: Tx, row: NewHardshipRow): Promise<void> {
    await tx.insert(hardships).values(row);
  }

  /** An elder's hardship statuses, oldest validity first, outside a transaction. */
  of(elderId: string): Promise<HardshipRow[]> {
    return this.database.db.select().from(hardships).where(eq(hardships.elderId, elderId)).orderBy(asc(hardships.validFrom));
  }
}
