import { divisionCovers, identityViewOf, type Principal } from '@fbl/auth';
import { shandongDivisions } from '@fbl/codes';
import { AbilityAssessed, causedBy, createMessage, ElderRegistered, newId, type AssessAbility, type EnvelopeOf, type MessageOrigin } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import type { Outbox } from '@fbl/messaging';
import { AuditLog, maskAddress, maskPhone, userActor, type AuditOutcome, type FieldProtector } from '@fbl/privacy';
import { scoreAbility } from '@fbl/scales';
import { conflict, invalidInput, notFound, ProblemError, problemFields, type ServiceKit } from '@fbl/service-kit';
import { maskResidentId } from '@fbl/codes';
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '@fbl/db';
import type { IdentityView } from '@fbl/auth';
import { assessmentRequests, assessments, auditLog, carers, consents, elders, hardships } from '../adapters/db/schema.js';
import { addWorkingDays, checkElder, reassessmentDue, type ElderRegistration } from '../domain/elder.js';
import type { HardshipStatus } from '../domain/waiting-list.js';
import { HardshipStatusChanged } from '@fbl/contracts';

export const SERVICE = 'civil-affairs';

/**
 * Whether a principal may see an elder of this division at all, by role and division: planners
 * every elder (masked), assessors, insurance officers and analysts those of their division.
 * Provider staff see no elder by division; only the elders their institution was chosen for
 * (see {@link Elders}).
 */
export function maySee(who: Principal, divisionCode: string): boolean {
  switch (who.role) {
    case 'admin':
    case 'planner':
      return true;
    case 'provider':
      return false;
    case 'assessor':
    case 'insurer':
    case 'analyst':
      return divisionCovers(who.divisionCode, divisionCode);
    default: {
      const unreachable: never = who.role;
      throw new Error(`unknown role ${String(unreachable)}`);
    }
  }
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Outcome = AuditOutcome;
type ElderRow = typeof elders.$inferSelect;

/** What an assessor records (GB/T 42195-2022): raw answers, adjustments, two assessors, the reason. */
export interface AssessmentInput {
  answers: Record<string, number>;
  adjustments: { coma?: boolean; dementiaDiagnosis?: boolean; otherPsychiatricDiagnosis?: boolean; careRiskEventsLast30Days?: number };
  assessors: [string, string];
  reason: 'first' | 'routine' | 'immediate' | 'review' | 'other';
  assessedOn: string;
}

/** A hardship status an assessor records, with its validity (dates `YYYY-MM-DD`). */
export interface HardshipInput {
  status: HardshipStatus;
  validFrom: string;
  validUntil?: string;
}

/**
 * The elder registry and ability assessments. Identity is sealed at rest and shown by role
 * (whole, masked, or not at all); every read or change of a record, allowed or not, writes an
 * audit row in the same transaction.
 */
export class Elders {
  private readonly log: AuditLog;

  constructor(
    private readonly kit: ServiceKit,
    private readonly protector: FieldProtector,
  ) {
    this.log = new AuditLog({ database: kit.deps.database, table: auditLog, clock: kit.deps.clock });
  }

  private get now(): Date {
    return this.kit.deps.clock();
  }

  private entry(who: Principal, action: string, objectId: string, outcome: Outcome, detail?: Record<string, unknown>) {
    return { actor: userActor(who), action, objectType: 'elder', objectId, outcome, ...(detail ? { detail } : {}) };
  }

  private audit(tx: Tx, who: Principal, action: string, objectId: string, outcome: Outcome, detail?: Record<string, unknown>) {
    return this.log.write(tx, this.entry(who, action, objectId, outcome, detail));
  }

  /** Record an audit row on its own (for refusals that change nothing else). */
  private auditAlone(who: Principal, action: string, objectId: string, outcome: Outcome, detail?: Record<string, unknown>) {
    return this.log.alone(this.entry(who, action, objectId, outcome, detail));
  }

  /** Register an elder; bad input stores nothing (but is audited as invalid). */
  async register(input: ElderRegistration, who: Principal, origin: MessageOrigin): Promise<{ id: string }> {
    const checked = checkElder(input, shandongDivisions, this.now);
    if (!checked.ok) {
      await this.auditAlone(who, 'register', 'new', 'invalid', { fields: checked.errors.map((e) => e.pointer) });
      throw invalidInput(problemFields(checked.errors));
    }
    const e = checked.elder;
    const hash = this.protector.lookupHash(e.idNumber);
    const id = newId();
    const now = this.now;
    await this.kit.transact(async (tx, outbox) => {
      const [existing] = await tx.select({ id: elders.id }).from(elders).where(eq(elders.idNumberHash, hash));
      if (existing) throw conflict('this ID number is already registered');
      await tx.insert(elders).values({
        id,
        idNumberSealed: this.protector.seal(e.idNumber),
        idNumberHash: hash,
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
      });
      await tx.insert(consents).values({ id: newId(), elderId: id, purpose: 'health-data-processing', granted: e.consent.healthData, givenBy: e.consent.givenBy, recordedBy: who.userId, recordedAt: now });
      await this.audit(tx, who, 'register', id, 'allowed');
      await outbox.append(tx, [createMessage(ElderRegistered, id, { elderRef: id, divisionCode: e.address.divisionCode, birthYear: e.birthYear, gender: e.gender }, origin, { time: now })]);
    });
    return { id };
  }

  /** Whether a principal may see this elder's record at all (by role and division; providers never). */
  private allowed(who: Principal, row: ElderRow): boolean {
    return maySee(who, row.divisionCode);
  }

  /**
   * How much of an elder's record a principal sees, or undefined when nothing: provider staff see
   * it whole while the family's choice of their institution stands (they are to receive the
   * elder), and nothing otherwise; other roles as {@link maySee} and their role's view say.
   */
  private async viewFor(db: Executor, who: Principal, row: ElderRow): Promise<IdentityView | undefined> {
    if (who.role === 'provider') return who.institutionId && (await this.caredForBy(db, who.institutionId, [row.id])).has(row.id) ? 'full' : undefined;
    return this.allowed(who, row) ? identityViewOf(who.role) : undefined;
  }

  /** Of these elders, the ones an institution was chosen for and still is. */
  private async caredForBy(db: Executor, institutionId: string, elderIds: readonly string[]): Promise<Set<string>> {
    if (elderIds.length === 0) return new Set();
    const rows = await db.select({ elderId: carers.elderId }).from(carers).where(and(eq(carers.institutionId, institutionId), inArray(carers.elderId, [...elderIds]), isNull(carers.until)));
    return new Set(rows.map((r) => r.elderId));
  }

  /** The family chose a provider for the elder: its staff may know who the elder is from now on. */
  async providerChosen(tx: Tx, c: { referralId: string; institutionId: string; elderRef: string }): Promise<void> {
    // A referral may name an elder this registry does not hold (registered elsewhere): nothing to grant.
    const [known] = UUID.test(c.elderRef) ? await tx.select({ id: elders.id }).from(elders).where(eq(elders.id, c.elderRef)) : [];
    if (!known) {
      this.kit.logger.warn({ referralId: c.referralId }, 'a provider was chosen for an elder not in the registry');
      return;
    }
    await tx.insert(carers).values({ referralId: c.referralId, institutionId: c.institutionId, elderId: c.elderRef, since: this.now }).onConflictDoUpdate({ target: [carers.referralId, carers.institutionId], set: { until: null } });
  }

  /** The chosen provider will not receive the elder after all: it no longer sees the record. */
  async providerChoiceLapsed(tx: Tx, c: { referralId: string; institutionId: string }): Promise<void> {
    await tx.update(carers).set({ until: this.now }).where(and(eq(carers.referralId, c.referralId), eq(carers.institutionId, c.institutionId), isNull(carers.until)));
  }

  /**
   * The names of several elders, for lists of the people a user works with (arrivals, residents):
   * only those the principal may see, each audited as a read; the others are left out.
   */
  async names(elderIds: readonly string[], who: Principal): Promise<{ elderRef: string; name: string }[]> {
    const wanted = [...new Set(elderIds)];
    if (wanted.length === 0) return [];
    return this.kit.deps.database.transaction(async (tx) => {
      const rows = await tx.select().from(elders).where(inArray(elders.id, wanted));
      const cared = who.role === 'provider' && who.institutionId ? await this.caredForBy(tx, who.institutionId, wanted) : new Set<string>();
      const shown = rows.filter((r) => (who.role === 'provider' ? cared.has(r.id) : this.allowed(who, r) && identityViewOf(who.role) !== 'none'));
      for (const r of shown) await this.audit(tx, who, 'read-name', r.id, 'allowed');
      for (const id of wanted.filter((id) => !shown.some((r) => r.id === id))) await this.audit(tx, who, 'read-name', id, rows.some((r) => r.id === id) ? 'denied' : 'not-found');
      return shown.map((r) => ({ elderRef: r.id, name: this.protector.open(r.nameSealed) }));
    });
  }

  /** An elder's record as this principal may see it; every call is audited. */
  async view(elderId: string, who: Principal) {
    return this.kit.deps.database.transaction(async (tx) => {
      const [row] = await tx.select().from(elders).where(eq(elders.id, elderId));
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
      const [latest] = await tx.select().from(assessments).where(eq(assessments.elderId, elderId)).orderBy(desc(assessments.assessedOn)).limit(1);
      return { outcome: 'allowed' as const, view: this.present(row, view, latest) };
    }).then((r) => {
      if (r.outcome === 'not-found') throw notFound(`elder ${elderId}`);
      if (r.outcome === 'denied') throw new ProblemError(403, 'forbidden', 'Not allowed', 'this record is outside your scope');
      return r.view;
    });
  }

  /** Find an elder by ID number (through its keyed hash); audited like a read. */
  async findByIdNumber(idNumber: string, who: Principal) {
    const [row] = await this.kit.deps.database.db.select({ id: elders.id }).from(elders).where(eq(elders.idNumberHash, this.protector.lookupHash(idNumber)));
    if (!row) {
      await this.auditAlone(who, 'find', 'by-id-number', 'not-found');
      throw notFound('an elder with this ID number');
    }
    return this.view(row.id, who);
  }

  private present(row: ElderRow, view: IdentityView, latest: typeof assessments.$inferSelect | undefined) {
    const base = {
      elderRef: row.id,
      divisionCode: row.divisionCode,
      gender: row.gender,
      birthYear: row.birthYear,
      ability: latest ? { level: latest.level, assessedOn: latest.assessedOn, rulesVersion: latest.rulesVersion } : null,
      view,
    };
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

  /** An assessor records an ability assessment; its result goes to whoever asked for it. */
  async assess(elderId: string, input: AssessmentInput, who: Principal, origin: MessageOrigin) {
    const scored = scoreAbility(input.answers, input.adjustments);
    if (!scored.ok) {
      await this.auditAlone(who, 'assess', elderId, 'invalid');
      throw invalidInput(problemFields([...scored.errors]));
    }
    if (input.assessors[0] === input.assessors[1]) {
      await this.auditAlone(who, 'assess', elderId, 'invalid');
      throw invalidInput([{ field: 'assessors.1', pointer: '/assessors/1', in: 'body', reason: 'two different assessors are required' }]);
    }
    const r = scored.result;
    const id = newId();
    // Refusals are audited in their own transaction, so the audit row survives the refusal.
    const [found] = await this.kit.deps.database.db.select().from(elders).where(eq(elders.id, elderId));
    if (!found) {
      await this.auditAlone(who, 'assess', elderId, 'not-found');
      throw notFound(`elder ${elderId}`);
    }
    if (!this.allowed(who, found)) {
      await this.auditAlone(who, 'assess', elderId, 'denied');
      throw new ProblemError(403, 'forbidden', 'Not allowed', 'this record is outside your scope');
    }
    await this.kit.transact(async (tx, outbox) => {
      await tx.select({ id: elders.id }).from(elders).where(eq(elders.id, elderId)).for('update');
      await tx.insert(assessments).values({
        id,
        elderId,
        assessedOn: input.assessedOn,
        reason: input.reason,
        assessors: input.assessors,
        answersSealed: this.protector.seal(JSON.stringify({ answers: input.answers, adjustments: input.adjustments })),
        level: r.level,
        total: r.total,
        result: r,
        rulesVersion: r.rulesVersion,
        recordedBy: who.userId,
        recordedAt: this.now,
      });
      await this.audit(tx, who, 'assess', elderId, 'allowed', { assessmentId: id, level: r.level });
      const open = await tx.select().from(assessmentRequests).where(and(eq(assessmentRequests.elderId, elderId), eq(assessmentRequests.status, 'open'))).orderBy(asc(assessmentRequests.requestedAt));
      for (const request of open) await tx.update(assessmentRequests).set({ status: 'done', assessmentId: id }).where(eq(assessmentRequests.id, request.id));
      const referralIds = open.flatMap((o) => (o.referralId ? [o.referralId] : []));
      const dementia = input.adjustments.dementiaDiagnosis === true;
      const messages = (referralIds.length > 0 ? referralIds : [undefined]).map((referralId) =>
        createMessage(AbilityAssessed, elderId, { assessmentId: id, elderRef: elderId, level: r.level, assessedOn: input.assessedOn, dementiaDiagnosis: dementia, ...(referralId ? { referralId } : {}) }, { ...origin, ...(referralId ? { correlationId: referralId } : {}) }, { time: this.now }),
      );
      await outbox.append(tx, messages);
    });
    return { id, level: r.level, total: r.total, levelName: r.levelName, adjustmentsApplied: r.adjustmentsApplied, rulesVersion: r.rulesVersion };
  }

  /** An elder's assessments, newest first (scores and levels; raw answers stay sealed). */
  async history(elderId: string, who: Principal) {
    await this.view(elderId, who);
    const rows = await this.kit.deps.database.db.select().from(assessments).where(eq(assessments.elderId, elderId)).orderBy(desc(assessments.assessedOn));
    return rows.map((a) => ({ id: a.id, assessedOn: a.assessedOn, reason: a.reason, level: a.level, total: a.total, assessors: a.assessors, rulesVersion: a.rulesVersion }));
  }

  /**
   * The workflow asks for an assessment. A current one answers at once; otherwise the request
   * joins the assessors' queue, due in three working days.
   */
  async requestAssessment(command: EnvelopeOf<typeof AssessAbility>, tx: Tx, outbox: Outbox): Promise<void> {
    const { elderRef, referralId, reason } = command.data;
    const origin = causedBy(command, SERVICE);
    const [row] = await tx.select({ id: elders.id }).from(elders).where(eq(elders.id, elderRef));
    if (!row) {
      this.kit.logger.warn({ elderRef, referralId }, 'assessment asked for an elder not in the registry');
      return;
    }
    const [latest] = await tx.select().from(assessments).where(eq(assessments.elderId, elderRef)).orderBy(desc(assessments.assessedOn)).limit(1);
    if (latest && !reassessmentDue(latest.assessedOn, this.now) && reason !== 'review') {
      const dementia = (JSON.parse(this.protector.open(latest.answersSealed)) as { adjustments: { dementiaDiagnosis?: boolean } }).adjustments.dementiaDiagnosis === true;
      await outbox.append(tx, [createMessage(AbilityAssessed, elderRef, { assessmentId: latest.id, elderRef, level: latest.level, assessedOn: latest.assessedOn, dementiaDiagnosis: dementia, referralId }, origin, { time: this.now })]);
      return;
    }
    await tx.insert(assessmentRequests).values({ id: newId(), elderId: elderRef, referralId, reason, urgency: command.data.urgency ?? 'routine', status: 'open', requestedAt: this.now, dueAt: addWorkingDays(this.now, 3) });
  }

  /**
   * Record a hardship status with its validity; `HardshipStatusChanged` goes out with it.
   * Refusals (bad dates, unknown elder, out of scope) are audited on their own.
   */
  async recordHardship(elderId: string, input: HardshipInput, who: Principal, origin: MessageOrigin): Promise<{ id: string }> {
    if (input.validUntil !== undefined && input.validUntil < input.validFrom) {
      await this.auditAlone(who, 'record-hardship', elderId, 'invalid');
      throw invalidInput([{ field: 'validUntil', pointer: '/validUntil', in: 'body', reason: 'must not be before validFrom' }]);
    }
    const [found] = await this.kit.deps.database.db.select().from(elders).where(eq(elders.id, elderId));
    if (!found) {
      await this.auditAlone(who, 'record-hardship', elderId, 'not-found');
      throw notFound(`elder ${elderId}`);
    }
    if (!this.allowed(who, found)) {
      await this.auditAlone(who, 'record-hardship', elderId, 'denied');
      throw new ProblemError(403, 'forbidden', 'Not allowed', 'this record is outside your scope');
    }
    const id = newId();
    await this.kit.transact(async (tx, outbox) => {
      await tx.insert(hardships).values({ id, elderId, status: input.status, validFrom: input.validFrom, validUntil: input.validUntil ?? null, recordedBy: who.userId, recordedAt: this.now });
      await this.audit(tx, who, 'record-hardship', elderId, 'allowed', { hardshipId: id, status: input.status });
      await outbox.append(tx, [
        createMessage(HardshipStatusChanged, elderId, { hardshipId: id, elderRef: elderId, status: input.status, validFrom: input.validFrom, ...(input.validUntil ? { validUntil: input.validUntil } : {}) }, origin, { time: this.now }),
      ]);
    });
    return { id };
  }

  /** An elder's hardship statuses, oldest first; audited like a read of the record. */
  async hardshipsOf(elderId: string, who: Principal) {
    await this.view(elderId, who);
    const rows = await this.kit.deps.database.db.select().from(hardships).where(eq(hardships.elderId, elderId)).orderBy(asc(hardships.validFrom));
    return rows.map((h) => ({ id: h.id, status: h.status, validFrom: h.validFrom, validUntil: h.validUntil, recordedBy: h.recordedBy, recordedAt: h.recordedAt.toISOString() }));
  }

  /** The audit log, newest first, by record or by user (admins only; the route checks). */
  auditTrail(filter: { objectId?: string; actor?: string; from?: Date; before?: Date; limit: number }) {
    return this.log.trail(filter);
  }

}
