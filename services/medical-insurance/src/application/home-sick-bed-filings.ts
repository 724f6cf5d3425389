import type { Principal } from '@fbl/auth';
import { causedBy, createMessage, newId, type EnvelopeOf, type MessageOrigin } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import type { Outbox } from '@fbl/messaging';
import { chinaDay } from '@fbl/scales';
import { run, runIn, type Pipeline, type ServicePorts } from '@fbl/service-kit/pipeline';
import { FilingStore, type FilingRow } from '../adapters/db/filing-store.js';
import { HomeSickBedFiled, type FileHomeSickBed } from '@fbl/contracts';
import { SERVICE } from './application-effects.js';
import { actorOf, serviceActor, type Actor, type AuditLog } from './audit.js';

type Filing = { input: FilingInput; actor: Actor; origin: MessageOrigin; at: Date };

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
  private readonly store = new FilingStore();

  constructor(
    private readonly ports: ServicePorts,
    private readonly audit: AuditLog,
  ) {}

  /**
   * A filing: the elder's filing at the institution is looked for; a new one is stored, an
   * existing one found. HomeSickBedFiled goes out for a new filing, or to a referral that asks
   * again; either way it is audited.
   */
  private readonly filing: Pipeline<Filing, FilingRow | undefined, { existing: FilingRow } | { new: FilingRow }, { created: boolean; row: FilingRow }> = {
    load: (tx, { input }) => this.store.find(tx, input.elderRef, input.institutionId),
    decide: (existing, { input, actor, at }) =>
      existing ? { existing } : { new: { id: newId(), elderRef: input.elderRef, institutionId: input.institutionId, referralId: input.referralId ?? null, validFrom: chinaDay(at), filedBy: actor.id, filedAt: at } },
    save: async (tx, outbox, _existing, decided, { input, actor, origin, at }) => {
      // Two filings at the same moment: the unique key keeps the first, the other finds it.
      const inserted = 'new' in decided ? await this.store.insert(tx, decided.new) : undefined;
      const row = inserted ?? ('existing' in decided ? decided.existing : await this.filing.load(tx, { input, actor, origin, at }));
      if (!row) throw new Error('a filing neither stored nor found');
      if (inserted || input.referralId) {
        const journey = input.referralId ? { ...origin, correlationId: input.referralId } : origin;
        const data = { filingId: row.id, elderRef: row.elderRef, institutionId: row.institutionId, validFrom: row.validFrom, ...(input.referralId ? { referralId: input.referralId } : {}) };
        await outbox.append(tx, [createMessage(HomeSickBedFiled, row.elderRef, data, journey, { time: at })]);
      }
      await this.audit.write(tx, { actor, action: inserted ? 'file' : 'file-again', objectType: 'home-sick-bed-filing', objectId: row.id, outcome: 'allowed' });
      return { created: inserted !== undefined, row };
    },
  };

  /** An insurance officer files a home sick bed. */
  async file(input: FilingInput, who: Principal, origin: MessageOrigin) {
    const { created, row } = await run(this.ports.transact, this.filing, { input, actor: actorOf(who), origin, at: this.ports.clock() });
    return { created, filing: present(row) };
  }

  /** A service asks for a filing (FileHomeSickBed). */
  async onFileCommand(command: EnvelopeOf<typeof FileHomeSickBed>, tx: Tx, outbox: Outbox): Promise<void> {
    const { elderRef, institutionId, referralId } = command.data;
    await runIn(tx, outbox, this.filing, { input: { elderRef, institutionId, ...(referralId ? { referralId } : {}) }, actor: serviceActor(command.source), origin: causedBy(command, SERVICE), at: this.ports.clock() });
  }
}
