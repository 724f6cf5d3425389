import type { DivisionTable } from '@fbl/codes';
import { InstitutionRegistered, newId, type MessageOrigin, conflict, invalidInput, notFound, problemFields } from '@fbl/contracts';
import { run, type Pipeline, type ServicePorts } from '@fbl/service-kit/pipeline';
import type { BedStore } from '../adapters/db/bed-store.js';
import { checkRegistration, checkUnitBatch, type CheckedRegistration, type InstitutionRegistration, type UnitBatch } from '../domain/institution.js';
import { canSetInService, type UnitStatus } from '../domain/lifecycle.js';
import type { BedTypePolicy } from '../domain/policy.js';
import type { BedMessages } from './messages.js';

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if ((e as { code?: string }).code === '23505') return true;
  return false;
}

type Registering = { id: string; registration: CheckedRegistration; origin: MessageOrigin; at: Date };
type Adding = { institutionId: string; batch: UnitBatch; origin: MessageOrigin };
type Setting = { unitId: string; inService: boolean; origin: MessageOrigin };

/**
 * An institution's capacity: registered with its first units, units added, a unit taken out of
 * service or put back. Each goes through the pipeline: what it needs is loaded (the institution's
 * row locked), the rule decides, and the change is saved with the institution's whole
 * availability, in one transaction.
 */
export class Capacity {
  private readonly registering: Pipeline<Registering, boolean, Registering, void>;
  private readonly adding: Pipeline<Adding, boolean, Adding, void>;
  private readonly setting: Pipeline<Setting, { institutionId: string; status: UnitStatus } | undefined, { institutionId: string; status: UnitStatus }, { id: string; status: UnitStatus }>;

  constructor(
    private readonly ports: ServicePorts,
    private readonly policy: BedTypePolicy,
    private readonly store: BedStore,
    private readonly messages: BedMessages,
    private readonly divisions: DivisionTable,
    private readonly province: string,
  ) {
    this.registering = {
      load: (tx, r) => this.store.creditCodeTaken(tx, r.registration.creditCode),
      decide: (taken, r) => {
        if (taken) throw this.duplicate(r.registration.creditCode);
        return r;
      },
      save: async (tx, outbox, _taken, { id, registration: r, origin, at }) => {
        const facts = { name: r.name, creditCode: r.creditCode, divisionCode: r.divisionCode, ownership: r.ownership, capabilities: r.capabilities, serviceArea: r.serviceArea, greenChannelPartners: r.greenChannelPartners };
        await this.store.insertInstitution(tx, { id, ...facts, creditCodeOverridden: r.creditCodeOverridden, creditCodeOverrideReason: r.creditCodeOverridden ? (r.creditCodeOverrideReason ?? null) : null, kind: r.kind, createdAt: at });
        for (const batch of r.units) await this.store.insertUnits(tx, id, batch);
        await outbox.append(tx, [this.messages.event(InstitutionRegistered, id, { institutionId: id, bedType: this.policy.bedType, ...facts }, origin)]);
        await this.store.publishAvailability(tx, outbox, id, origin);
      },
    };
    this.adding = {
      load: async (tx, a) => Boolean(await this.store.lockInstitution(tx, a.institutionId)),
      decide: (exists, a) => {
        if (!exists) throw notFound(`institution ${a.institutionId}`);
        return a;
      },
      save: async (tx, outbox, _exists, a) => {
        await this.store.insertUnits(tx, a.institutionId, a.batch);
        await this.store.publishAvailability(tx, outbox, a.institutionId, a.origin);
      },
    };
    this.setting = {
      load: async (tx, s) => {
        const found = await this.store.findUnit(tx, s.unitId);
        if (!found) return undefined;
        await this.store.lockInstitution(tx, found.institutionId);
        const unit = (await this.store.findUnit(tx, s.unitId))!;
        return { institutionId: unit.institutionId, status: unit.status };
      },
      decide: (unit, s) => {
        if (!unit) throw notFound(`unit ${s.unitId}`);
        const decision = canSetInService(unit, s.inService);
        if (!decision.ok) throw conflict(decision.reason);
        return { institutionId: unit.institutionId, status: s.inService ? 'free' : 'closed' };
      },
      save: async (tx, outbox, _unit, next, s) => {
        await this.store.setUnitStatus(tx, s.unitId, next.status);
        await this.store.publishAvailability(tx, outbox, next.institutionId, s.origin);
        return { id: s.unitId, status: next.status };
      },
    };
  }

  private duplicate(creditCode: string) {
    return conflict(`an institution with credit code ${creditCode} is already registered for ${this.policy.title.en}`);
  }

  private get transact() {
    return this.ports.transact;
  }

  /** Register an institution with its starting units. Bad input changes nothing. */
  async register(input: InstitutionRegistration, origin: MessageOrigin): Promise<{ id: string }> {
    const checked = checkRegistration(this.policy, input, this.divisions, this.province);
    if (!checked.ok) throw invalidInput(problemFields(checked.errors));
    const id = newId();
    await run(this.transact, this.registering, { id, registration: checked.registration, origin, at: this.ports.clock() }).catch((error: unknown) => {
      // Two registrations of one code at the same moment: the unique index decides, the loser gets 409.
      if (isUniqueViolation(error)) throw this.duplicate(checked.registration.creditCode);
      throw error;
    });
    return { id };
  }

  /** Add units to an institution's capacity. */
  async addUnits(institutionId: string, batch: UnitBatch, origin: MessageOrigin): Promise<{ added: number }> {
    const errors = checkUnitBatch(this.policy, batch, '');
    if (errors.length > 0) throw invalidInput(problemFields(errors));
    await run(this.transact, this.adding, { institutionId, batch, origin });
    return { added: batch.count };
  }

  /** Take a free unit out of service, or put a closed one back. */
  setUnitInService(unitId: string, inService: boolean, origin: MessageOrigin): Promise<{ id: string; status: UnitStatus }> {
    return run(this.transact, this.setting, { unitId, inService, origin });
  }
}
