import type { Principal } from '@fbl/auth';
import { chinaDivisions } from '@fbl/codes';
import { createMessage, ElderErased, ElderRecordCorrected, invalidInput, problemFields, Refusal, type MessageOrigin } from '@fbl/contracts';
import type { FieldProtector } from '@fbl/privacy';
import { run, type Pipeline, type ServicePorts } from '@fbl/service-kit/pipeline';
import type { ElderRow, ElderStore } from '../adapters/db/elder-store.js';
import { checkCorrection, decideCorrection, decideErasure, type CorrectablePart, type Correction, type ErasureGround, type RecordFacts } from '../domain/elder-rights.js';
import type { Elders } from './elders.js';

type Correcting = { elderId: string; correction: Correction; who: Principal; origin: MessageOrigin; at: Date };
type Erasing = { elderId: string; ground: ErasureGround; who: Principal; origin: MessageOrigin; at: Date };

/**
 * An elder's rights over their record (PIPL art. 46–47), exercised through civil-affairs staff:
 * correcting the home, phone or guardian, and erasing the personal information on request or
 * after the time to keep it. Each is one transaction with its audit row and its event; a moved
 * home tells the workflow, which checks the home-bed referrals again.
 */
export class ElderRights {
  constructor(
    private readonly ports: ServicePorts,
    private readonly protector: FieldProtector,
    private readonly elders: Elders,
    private readonly store: ElderStore,
  ) {}

  private facts(row: ElderRow): RecordFacts {
    const open = (sealed: string | null) => (sealed === null ? null : this.protector.open(sealed));
    return {
      erased: row.erasedAt !== null,
      divisionCode: row.divisionCode,
      addressLine: row.erasedAt ? '' : this.protector.open(row.addressSealed),
      phone: row.erasedAt ? null : open(row.phoneSealed),
      guardian: row.erasedAt || row.guardianSealed === null ? null : (JSON.parse(this.protector.open(row.guardianSealed)) as RecordFacts['guardian']),
    };
  }

  private readonly correcting: Pipeline<Correcting, RecordFacts, { parts: CorrectablePart[]; homeMoved: boolean }, { parts: CorrectablePart[]; homeMoved: boolean }> = {
    load: async (tx, { elderId }) => this.facts((await this.store.lockRecord(tx, elderId))!),
    decide: (record, { correction }) => decideCorrection(record, correction),
    save: async (tx, outbox, record, decided, { elderId, correction: c, who, origin, at }) => {
      const divisionCode = c.address?.divisionCode ?? record.divisionCode;
      await this.store.correct(tx, elderId, {
        ...(decided.parts.includes('address') && c.address ? { addressSealed: this.protector.seal(c.address.line), divisionCode } : {}),
        ...(decided.parts.includes('phone') ? { phoneSealed: c.phone ? this.protector.seal(c.phone) : null } : {}),
        ...(decided.parts.includes('guardian') ? { guardianSealed: c.guardian ? this.protector.seal(JSON.stringify(c.guardian)) : null } : {}),
        updatedAt: at,
      });
      await this.elders.audit(tx, who, 'correct', elderId, 'allowed', { parts: decided.parts, ...(decided.homeMoved ? { homeMoved: true } : {}) });
      await outbox.append(tx, [createMessage(ElderRecordCorrected, elderId, { elderRef: elderId, parts: decided.parts, divisionCode, homeMoved: decided.homeMoved, correctedAt: at.toISOString() }, origin, { time: at })]);
      return decided;
    },
  };

  private readonly erasing: Pipeline<Erasing, { erased: boolean; queueing: number; caredFor: number }, void, { erasedAt: string }> = {
    load: async (tx, { elderId }) => ({ erased: (await this.store.lockRecord(tx, elderId))!.erasedAt !== null, ...(await this.store.standing(tx, elderId)) }),
    decide: (standing) => decideErasure(standing),
    save: async (tx, outbox, _standing, _decided, { elderId, ground, who, origin, at }) => {
      await this.store.erase(tx, elderId, { emptySeal: this.protector.seal(''), emptyAnswers: this.protector.seal('{}'), ground, at });
      await this.elders.audit(tx, who, 'erase', elderId, 'allowed', { ground });
      await outbox.append(tx, [createMessage(ElderErased, elderId, { elderRef: elderId, ground, erasedAt: at.toISOString() }, origin, { time: at })]);
      return { erasedAt: at.toISOString() };
    },
  };

  /** Correct an elder's home, phone or guardian; bad input changes nothing and is audited as invalid. */
  async correct(elderId: string, input: Correction, who: Principal, origin: MessageOrigin): Promise<{ parts: CorrectablePart[]; homeMoved: boolean }> {
    await this.elders.requireInScope(who, 'correct', elderId);
    const checked = checkCorrection(input, chinaDivisions);
    if (!checked.ok) {
      await this.elders.auditAlone(who, 'correct', elderId, 'invalid', { fields: checked.errors.map((e) => e.pointer) });
      throw invalidInput(problemFields(checked.errors));
    }
    return this.auditingConflicts(who, 'correct', elderId, () => run(this.ports.transact, this.correcting, { elderId, correction: checked.correction, who, origin, at: this.ports.clock() }));
  }

  /** Erase an elder's personal information, for a ground; what statistics and public funds need stays. */
  async erase(elderId: string, ground: ErasureGround, who: Principal, origin: MessageOrigin): Promise<{ erasedAt: string }> {
    await this.elders.requireInScope(who, 'erase', elderId);
    return this.auditingConflicts(who, 'erase', elderId, () => run(this.ports.transact, this.erasing, { elderId, ground, who, origin, at: this.ports.clock() }));
  }

  /** A change the record's state refuses is audited too, in a transaction of its own. */
  private async auditingConflicts<T>(who: Principal, action: string, elderId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof Refusal && error.kind === 'conflict') await this.elders.auditAlone(who, action, elderId, 'invalid', { refused: error.detail });
      throw error;
    }
  }
}
