import { identityViewOf, type Principal } from '@fbl/auth';
import { invalidInput, newId } from '@fbl/contracts';
import type { FieldProtector } from '@fbl/privacy';
import { run, type Pipeline, type ServicePorts } from '@fbl/service-kit/pipeline';
import { HomeCareStore } from '../adapters/db/home-care-store.js';
import type { RegisterFact } from '../domain/home-care-hours.js';
import type { Elders } from './elders.js';

/** A fact of the register an assessor records: a special-hardship category or a fact the hours rules need, with its evidence. */
export interface FactInput {
  fact: RegisterFact;
  /** Where it comes from (a certificate, a village committee's confirmation …): personal data, sealed. */
  evidence: string;
  validFrom: string;
  validUntil?: string;
}

interface Recording {
  id: string;
  elderId: string;
  input: FactInput;
  who: Principal;
  at: Date;
}

/**
 * Facts of the register with evidence and validity: 独居, 空巢, 留守, 失能, 重残, 计划生育特殊家庭
 * (the special-hardship register of the monthly 探访) and 分散居住, 市级以上劳动模范, 建国前老党员
 * (for the home-care hours rules). Recorded by assessors and admins, audited like the rest of the
 * record; the evidence is sealed and shown only to roles that see the record whole.
 */
export class RegisterFacts {
  private readonly store: HomeCareStore;
  private readonly recording: Pipeline<Recording, void, void, void>;

  constructor(
    private readonly ports: ServicePorts,
    private readonly protector: FieldProtector,
    private readonly registry: Elders,
  ) {
    this.store = new HomeCareStore(ports.database);
    this.recording = {
      load: async () => {},
      decide: () => {},
      save: async (tx, _outbox, _s, _d, r) => {
        const { input } = r;
        await this.store.recordFact(tx, { id: r.id, elderId: r.elderId, fact: input.fact, evidenceSealed: this.protector.seal(input.evidence), validFrom: input.validFrom, validUntil: input.validUntil ?? null, recordedBy: r.who.userId, recordedAt: r.at });
        await this.registry.audit(tx, r.who, 'record-fact', r.elderId, 'allowed', { factId: r.id, fact: input.fact });
      },
    };
  }

  /** Record a fact with its evidence and validity; refusals are audited on their own. */
  async record(elderId: string, input: FactInput, who: Principal): Promise<{ id: string }> {
    if (input.validUntil !== undefined && input.validUntil < input.validFrom) {
      await this.registry.auditAlone(who, 'record-fact', elderId, 'invalid');
      throw invalidInput([{ field: 'validUntil', pointer: '/validUntil', in: 'body', reason: 'must not be before validFrom' }]);
    }
    if (input.evidence.trim() === '') {
      await this.registry.auditAlone(who, 'record-fact', elderId, 'invalid');
      throw invalidInput([{ field: 'evidence', pointer: '/evidence', in: 'body', reason: 'must say where the fact comes from' }]);
    }
    await this.registry.requireInScope(who, 'record-fact', elderId);
    const id = newId();
    await run(this.ports.transact, this.recording, { id, elderId, input, who, at: this.ports.clock() });
    return { id };
  }

  /** An elder's facts, oldest first; a read of the record (audited), the evidence only for roles that see it whole. */
  async of(elderId: string, who: Principal) {
    await this.registry.view(elderId, who);
    const whole = identityViewOf(who.role) === 'full';
    const rows = await this.store.factsOf(elderId);
    return rows.map((f) => ({ id: f.id, fact: f.fact, ...(whole ? { evidence: this.protector.open(f.evidenceSealed) } : {}), validFrom: f.validFrom, validUntil: f.validUntil, recordedBy: f.recordedBy, recordedAt: f.recordedAt.toISOString() }));
  }
}
