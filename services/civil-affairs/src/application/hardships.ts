import type { Principal } from '@fbl/auth';
import { createMessage, HardshipStatusChanged, newId, type MessageOrigin, invalidInput } from '@fbl/contracts';
import { run, type Pipeline, type ServicePorts } from '@fbl/service-kit/pipeline';
import { HardshipStore } from '../adapters/db/hardship-store.js';
import type { HardshipStatus } from '../domain/waiting-list.js';
import type { Elders } from './elders.js';

/** A hardship status an assessor records, with its validity (dates `YYYY-MM-DD`). */
export interface HardshipInput {
  status: HardshipStatus;
  validFrom: string;
  validUntil?: string;
}

interface Recording {
  id: string;
  elderId: string;
  input: HardshipInput;
  who: Principal;
  origin: MessageOrigin;
  at: Date;
}

/** Hardship statuses (特困, 低保 ...) of elders, with their validity; each one recorded is announced. */
export class Hardships {
  private readonly recording: Pipeline<Recording, void, void, void>;
  private readonly store: HardshipStore;

  constructor(
    private readonly ports: ServicePorts,
    private readonly registry: Elders,
  ) {
    this.store = new HardshipStore(ports.database);
    this.recording = {
      load: async () => {},
      decide: () => {},
      save: async (tx, outbox, _state, _decided, r) => {
        const { input } = r;
        await this.store.record(tx, { id: r.id, elderId: r.elderId, status: input.status, validFrom: input.validFrom, validUntil: input.validUntil ?? null, recordedBy: r.who.userId, recordedAt: r.at });
        await this.registry.audit(tx, r.who, 'record-hardship', r.elderId, 'allowed', { hardshipId: r.id, status: input.status });
        await outbox.append(tx, [
          createMessage(HardshipStatusChanged, r.elderId, { hardshipId: r.id, elderRef: r.elderId, status: input.status, validFrom: input.validFrom, ...(input.validUntil ? { validUntil: input.validUntil } : {}) }, r.origin, { time: r.at }),
        ]);
      },
    };
  }

  /**
   * Record a hardship status with its validity; `HardshipStatusChanged` goes out with it.
   * Refusals (bad dates, unknown elder, out of scope) are audited on their own.
   */
  async record(elderId: string, input: HardshipInput, who: Principal, origin: MessageOrigin): Promise<{ id: string }> {
    if (input.validUntil !== undefined && input.validUntil < input.validFrom) {
      await this.registry.auditAlone(who, 'record-hardship', elderId, 'invalid');
      throw invalidInput([{ field: 'validUntil', pointer: '/validUntil', in: 'body', reason: 'must not be before validFrom' }]);
    }
    await this.registry.requireInScope(who, 'record-hardship', elderId);
    const id = newId();
    await run(this.ports.transact, this.recording, { id, elderId, input, who, origin, at: this.ports.clock() });
    return { id };
  }

  /** An elder's hardship statuses, oldest first; audited like a read of the record. */
  async of(elderId: string, who: Principal) {
    await this.registry.view(elderId, who);
    const rows = await this.store.of(elderId);
    return rows.map((h) => ({ id: h.id, status: h.status, validFrom: h.validFrom, validUntil: h.validUntil, recordedBy: h.recordedBy, recordedAt: h.recordedAt.toISOString() }));
  }
}
