import { identityViewOf, type IdentityView, type Principal } from '@fbl/auth';
import { maySee } from './access.js';
import { maskResidentId, chinaDivisions } from '@fbl/codes';
import { createMessage, ElderRegistered, newId, type MessageOrigin, conflict, invalidInput, notFound, problemFields, Refusal } from '@fbl/contracts';
import type { Executor, Tx } from '@fbl/db';
import { maskAddress, maskPhone, userActor, type AuditLog, type AuditOutcome, type FieldProtector } from '@fbl/privacy';
import { run, type Pipeline, type ServicePorts } from '@fbl/service-kit/pipeline';
import { latestAssessment, type AssessmentRow } from '../adapters/db/assessment-store.js';
import { civilAffairsAuditLog } from '../adapters/db/audit.js';
import { ElderStore, type ElderRow } from '../adapters/db/elder-store.js';
import { checkElder, type ElderRegistration } from '../domain/elder.js';
import { AbilityAssessments } from './ability-assessments.js';
import { Hardships } from './hardships.js';

export { SERVICE, type AssessmentInput } from './ability-assessments.js';
export { maySee } from './access.js';
export type { HardshipInput } from './hardships.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Outcome = AuditOutcome;
type Registering = { id: string; elder: Extract<ReturnType<typeof checkElder>, { ok: true }>['elder']; hashes: string[]; who: Principal; origin: MessageOrigin; at: Date };

/**
 * The elder registry and ability assessments. Identity is sealed at rest and shown by role
 * (whole, masked, or not at all); every read or change of a record, allowed or not, writes an
 * audit row in the same transaction.
 */
export class Elders {
  private readonly log: AuditLog;
  /** The register's rows, shared with the use cases that act on the same records (rights, directory). */
  readonly store: ElderStore;

  constructor(
    private readonly ports: ServicePorts,
    private readonly protector: FieldProtector,
  ) {
    this.log = civilAffairsAuditLog(ports);
    this.store = new ElderStore(ports.database);
    this.assessments = new AbilityAssessments(ports, protector, this);
    this.hardships = new Hardships(ports, this);
  }

  private get now(): Date {
    return this.ports.clock();
  }

  /** A registration: the ID number's keyed hash finds one already registered; otherwise the record is sealed and stored. */
  private readonly registering: Pipeline<Registering, boolean, Registering, void> = {
    load: (tx, r) => this.store.idNumberTaken(tx, r.hashes),
    decide: (taken, r) => {
      if (taken) throw conflict('this ID number is already registered');
      return r;
    },
    save: async (tx, outbox, _taken, { id, elder: e, hashes, who, origin, at: now }) => {
      const elder = {
        id,
        idNumberSealed: this.protector.seal(e.idNumber),
        idNumberHash: hashes[0]!,
        idKind: e.idKind,
        nameSealed: this.protector.seal(e.name),
        nameHash: this.protector.nameHash(e.name),
        gender: e.gender,
        birthDateSealed: this.protector.seal(e.birthDate),
        birthYear: e.birthYear,
        phoneSealed: e.phone ? this.protector.seal(e.phone) : null,
        addressSealed: this.protector.seal(e.address.line),
        divisionCode: e.address.divisionCode,
        guardianSealed: e.guardian ? this.protector.seal(JSON.stringify(e.guardian)) : null,
        createdAt: now,
        updatedAt: now,
      };
      await this.store.register(tx, elder, { id: newId(), elderId: id, purpose: 'health-data-processing', granted: e.consent.healthData, givenBy: e.consent.givenBy, recordedBy: who.userId, recordedAt: now });
      await this.audit(tx, who, 'register', id, 'allowed');
      await outbox.append(tx, [createMessage(ElderRegistered, id, { elderRef: id, divisionCode: e.address.divisionCode, birthYear: e.birthYear, gender: e.gender }, origin, { time: now })]);
    },
  };

  private entry(who: Principal, action: string, objectId: string, outcome: Outcome, detail?: Record<string, unknown>) {
    return { actor: userActor(who), action, objectType: 'elder', objectId, outcome, ...(detail ? { detail } : {}) };
  }

  /** Write an audit row about an elder in the caller's transaction. */
  audit(tx: Tx, who: Principal, action: string, objectId: string, outcome: Outcome, detail?: Record<string, unknown>) {
    return this.log.write(tx, this.entry(who, action, objectId, outcome, detail));
  }

  /** Record an audit row on its own (for refusals that change nothing else). */
  auditAlone(who: Principal, action: string, objectId: string, outcome: Outcome, detail?: Record<string, unknown>) {
    return this.log.alone(this.entry(who, action, objectId, outcome, detail));
  }

  /** Register an elder; bad input stores nothing (but is audited as invalid). */
  async register(input: ElderRegistration, who: Principal, origin: MessageOrigin): Promise<{ id: string }> {
    const checked = checkElder(input, chinaDivisions, this.now);
    if (!checked.ok) {
      await this.auditAlone(who, 'register', 'new', 'invalid', { fields: checked.errors.map((e) => e.pointer) });
      throw invalidInput(problemFields(checked.errors));
    }
    const e = checked.elder;
    const id = newId();
    await run(this.ports.transact, this.registering, { id, elder: e, hashes: this.protector.lookupHashes(e.idNumber), who, origin, at: this.now });
    return { id };
  }

  /** Before a change to an elder's record: the elder exists and is in scope, or the refusal is audited on its own and thrown. */
  async requireInScope(who: Principal, action: string, elderId: string): Promise<void> {
    const found = await this.store.divisionOf(elderId);
    if (!found) {
      await this.auditAlone(who, action, elderId, 'not-found');
      throw notFound(`elder ${elderId}`);
    }
    if (!this.allowed(who, found)) {
      await this.auditAlone(who, action, elderId, 'denied');
      throw new Refusal('forbidden', 'this record is outside your scope');
    }
  }

  /** Whether a principal may see this elder's record at all (by role and division; providers never). */
  allowed(who: Principal, row: { divisionCode: string }): boolean {
    return maySee(who, row.divisionCode);
  }

  /**
   * How much of an elder's record a principal sees, or undefined when nothing: provider staff see
   * it whole while the family's choice of their institution stands (they are to receive the
   * elder), and nothing otherwise; other roles as {@link maySee} and their role's view say.
   */
  private async viewFor(db: Executor, who: Principal, row: ElderRow): Promise<IdentityView | undefined> {
    if (who.role === 'provider') return who.institutionId && (await this.store.caredForBy(db, who.institutionId, [row.id])).has(row.id) ? 'full' : undefined;
    return this.allowed(who, row) ? identityViewOf(who.role) : undefined;
  }

  /** The family chose a provider for the elder: its staff may know who the elder is from now on. */
  async providerChosen(tx: Tx, c: { referralId: string; institutionId: string; elderRef: string }): Promise<void> {
    // A referral may name an elder this registry does not hold (registered elsewhere): nothing to grant.
    const known = UUID.test(c.elderRef) && (await this.store.exists(tx, c.elderRef));
    if (!known) {
      this.ports.logger.warn({ referralId: c.referralId }, 'a provider was chosen for an elder not in the registry');
      return;
    }
    await this.store.choose(tx, { referralId: c.referralId, institutionId: c.institutionId, elderId: c.elderRef, since: this.now });
  }

  /** The chosen provider will not receive the elder after all: it no longer sees the record. */
  async providerChoiceLapsed(tx: Tx, c: { referralId: string; institutionId: string }): Promise<void> {
    await this.store.lapse(tx, c, this.now);
  }

  /**
   * The names of several elders, for lists of the people a user works with (arrivals, residents):
   * only those the principal may see, each audited as a read; the others are left out.
   */
  async names(elderIds: readonly string[], who: Principal): Promise<{ elderRef: string; name: string }[]> {
    const wanted = [...new Set(elderIds)];
    if (wanted.length === 0) return [];
    return this.ports.database.transaction(async (tx) => {
      const rows = (await this.store.byIds(tx, wanted)).filter((r) => r.erasedAt === null);
      const cared = who.role === 'provider' && who.institutionId ? await this.store.caredForBy(tx, who.institutionId, wanted) : new Set<string>();
      const shown = rows.filter((r) => (who.role === 'provider' ? cared.has(r.id) : this.allowed(who, r) && identityViewOf(who.role) !== 'none'));
      for (const r of shown) await this.audit(tx, who, 'read-name', r.id, 'allowed');
      for (const id of wanted.filter((id) => !shown.some((r) => r.id === id))) await this.audit(tx, who, 'read-name', id, rows.some((r) => r.id === id) ? 'denied' : 'not-found');
      return shown.map((r) => ({ elderRef: r.id, name: this.protector.open(r.nameSealed) }));
    });
  }

  /** An elder's record as this principal may see it; every call is audited. */
  async view(elderId: string, who: Principal) {
    return this.ports.database.transaction(async (tx) => {
      const row = await this.store.byId(tx, elderId);
      if (!row) {
        await this.audit(tx, who, 'read', elderId, 'not-found');
        return { outcome: 'not-found' as const };
      }
      const view = await this.viewFor(tx, who, row);
      if (!view) {
        await this.audit(tx, who, 'read', elderId, 'denied');
        return { outcome: 'denied' as const };
      }
      await this.audit(tx, who, 'read', elderId, 'allowed');
      const latest = await latestAssessment(tx, elderId);
      return { outcome: 'allowed' as const, view: this.present(row, view, latest) };
    }).then((r) => {
      if (r.outcome === 'not-found') throw notFound(`elder ${elderId}`);
      if (r.outcome === 'denied') throw new Refusal('forbidden', 'this record is outside your scope');
      return r.view;
    });
  }

  /** Find an elder by ID number (through its keyed hash); audited like a read. */
  async findByIdNumber(idNumber: string, who: Principal) {
    const row = await this.store.idByIdNumberHash(this.protector.lookupHashes(idNumber));
    if (!row) {
      await this.auditAlone(who, 'find', 'by-id-number', 'not-found');
      throw notFound('an elder with this ID number');
    }
    return this.view(row.id, who);
  }

  private present(row: ElderRow, view: IdentityView, latest: AssessmentRow | undefined) {
    const base = {
      elderRef: row.id,
      divisionCode: row.divisionCode,
      gender: row.gender,
      birthYear: row.birthYear,
      ability: latest ? { level: latest.level, assessedOn: latest.assessedOn, rulesVersion: latest.rulesVersion } : null,
      view,
    };
    if (row.erasedAt) return { ...base, erasedAt: row.erasedAt.toISOString() };
    if (view === 'none') return base;
    const name = this.protector.open(row.nameSealed);
    const idNumber = this.protector.open(row.idNumberSealed);
    const phone = row.phoneSealed ? this.protector.open(row.phoneSealed) : null;
    const address = this.protector.open(row.addressSealed);
    if (view === 'masked') {
      return { ...base, name, idNumber: maskResidentId(idNumber), phone: phone ? maskPhone(phone) : null, address: maskAddress(address) };
    }
    return {
      ...base,
      name,
      idNumber,
      birthDate: this.protector.open(row.birthDateSealed),
      phone,
      address,
      guardian: row.guardianSealed ? (JSON.parse(this.protector.open(row.guardianSealed)) as unknown) : null,
    };
  }

  /** Ability assessments (GB/T 42195-2022): recorded by assessors, asked for by the workflow. */
  readonly assessments: AbilityAssessments;

  assess: AbilityAssessments['assess'] = (elderId, input, who, origin) => this.assessments.assess(elderId, input, who, origin);
  history: AbilityAssessments['history'] = (elderId, who) => this.assessments.history(elderId, who);
  requestAssessment: AbilityAssessments['requestAssessment'] = (command, tx, outbox) => this.assessments.requestAssessment(command, tx, outbox);

  /** Hardship statuses (特困, 低保 ...) with their validity. */
  readonly hardships: Hardships;

  recordHardship: Hardships['record'] = (elderId, input, who, origin) => this.hardships.record(elderId, input, who, origin);
  hardshipsOf: Hardships['of'] = (elderId, who) => this.hardships.of(elderId, who);

  /** The audit log, newest first, by record or by user (admins only; the route checks). */
  auditTrail(filter: { objectId?: string; actor?: string; from?: Date; before?: Date; limit: number }) {
    return this.log.trail(filter);
  }
}
