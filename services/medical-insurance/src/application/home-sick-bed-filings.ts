import type { Principal } from '@fbl/auth';
import { causedBy, createMessage, newId, type EnvelopeOf, type MessageOrigin } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import type { Outbox } from '@fbl/messaging';
import { chinaDay } from '@fbl/scales';
import type { ServiceKit } from '@fbl/service-kit';
import { and, eq } from 'drizzle-orm';
import { homeSickBedFilings } from '../adapters/db/schema.js';
import { HomeSickBedFiled, type FileHomeSickBed } from '@fbl/contracts';
import { SERVICE } from './application-effects.js';
import { actorOf, serviceActor, type Actor, type AuditLog } from './audit.js';

type FilingRow = typeof homeSickBedFilings.$inferSelect;

/** What is filed: the elder, the primary-care institution, and the referral that asked, if any. */
export interface FilingInput {
  elderRef: string;
  institutionId: string;
  referralId?: string;
}

function present(row: FilingRow) {
  return { filingId: row.id, elderRef: row.elderRef, institutionId: row.institutionId, referralId: row.referralId, validFrom: row.validFrom, filedAt: row.filedAt.toISOString() };
}

/**
 * Home sick bed filings (家庭病床医保备案): a home sick bed episode must be filed with medical
 * insurance before it opens. One filing per elder and institution; filing again finds the
 * first one (and answers a referral that asks again with it).
 */
export class HomeSickBedFilings {
  constructor(
    private readonly kit: ServiceKit,
    private readonly audit: AuditLog,
  ) {}

  /** File in the caller's transaction; publishes HomeSickBedFiled for a new filing, or when a referral asks. */
  private async fileIn(tx: Tx, outbox: Outbox, input: FilingInput, actor: Actor, origin: MessageOrigin): Promise<{ created: boolean; row: FilingRow }> {
    const now = this.kit.deps.clock();
    const [inserted] = await tx
      .insert(homeSickBedFilings)
      .values({ id: newId(), elderRef: input.elderRef, institutionId: input.institutionId, referralId: input.referralId ?? null, validFrom: chinaDay(now), filedBy: actor.id, filedAt: now })
      .onConflictDoNothing()
      .returning();
    const row = inserted ?? (await tx.select().from(homeSickBedFilings).where(and(eq(homeSickBedFilings.elderRef, input.elderRef), eq(homeSickBedFilings.institutionId, input.institutionId))))[0];
    if (!row) throw new Error('a filing neither stored nor found');
    if (inserted || input.referralId) {
      const journey = input.referralId ? { ...origin, correlationId: input.referralId } : origin;
      const data = { filingId: row.id, elderRef: row.elderRef, institutionId: row.institutionId, validFrom: row.validFrom, ...(input.referralId ? { referralId: input.referralId } : {}) };
      await outbox.append(tx, [createMessage(HomeSickBedFiled, row.elderRef, data, journey, { time: now })]);
    }
    await this.audit.write(tx, { actor, action: inserted ? 'file' : 'file-again', objectType: 'home-sick-bed-filing', objectId: row.id, outcome: 'allowed' });
    return { created: inserted !== undefined, row };
  }

  /** An insurance officer files a home sick bed. */
  async file(input: FilingInput, who: Principal, origin: MessageOrigin) {
    const { created, row } = await this.kit.transact((tx, outbox) => this.fileIn(tx, outbox, input, actorOf(who), origin));
    return { created, filing: present(row) };
  }

  /** A service asks for a filing (FileHomeSickBed). */
  async onFileCommand(command: EnvelopeOf<typeof FileHomeSickBed>, tx: Tx, outbox: Outbox): Promise<void> {
    const { elderRef, institutionId, referralId } = command.data;
    await this.fileIn(tx, outbox, { elderRef, institutionId, ...(referralId ? { referralId } : {}) }, serviceActor(command.source), causedBy(command, SERVICE));
  }
}
