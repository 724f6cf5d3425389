import type { Principal } from '@fbl/auth';
import { newId, conflict, notFound, Refusal } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import { userActor, type AuditLog, type AuditOutcome, type FieldProtector } from '@fbl/privacy';
import { run, type Pipeline, type ServicePorts } from '@fbl/service-kit/pipeline';
import { AssessmentStore } from '../adapters/db/assessment-store.js';
import { civilAffairsAuditLog } from '../adapters/db/audit.js';
import { WaitingListStore, type EntryChange, type EntryRow } from '../adapters/db/waiting-list-store.js';
import { changeOf, assessmentDueAt, banOf, classify, HARDSHIP_STATUSES, localDate, MOVES, orderQueue, positionOf, QUEUEING, WAITING_LIST_RULES_2026, type ApplicantFacts, type HardshipStatus, type QueueEntry, type WaitingListRules } from '../domain/waiting-list.js';
import { maySee } from './access.js';

const OBJECT_TYPE = 'waiting-list-entry';
/** Days an ability assessment stays current (as for the workflow's requests). */
const ASSESSMENT_VALID_DAYS = 183;

export type Move = keyof typeof MOVES;

/** A refusal decided inside a transaction, audited after it in a transaction of its own. */
type Refused = { refused: true; outcome: AuditOutcome; problem: Refusal; objectId: string; detail?: Record<string, unknown> };

const forbidden = () => new Refusal('forbidden', 'this record is outside your scope');

/**
 * The public care-home waiting list (轮候, DOMAIN.md §5). The rules live in the domain module as
 * data; this use case loads the facts (valid hardship statuses, the latest ability level and
 * dementia, the birth date), stores entries, and audits every read or change of an entry.
 */
export class WaitingList {
  private readonly log: AuditLog;
  private readonly store = new WaitingListStore();
  private readonly assessments: AssessmentStore;

  constructor(
    private readonly ports: ServicePorts,
    private readonly protector: FieldProtector,
    private readonly rules: WaitingListRules = WAITING_LIST_RULES_2026,
  ) {
    this.log = civilAffairsAuditLog(ports);
    this.assessments = new AssessmentStore(ports.database);
  }

  private get now(): Date {
    return this.ports.clock();
  }

  private entry(who: Principal, action: string, objectId: string, outcome: AuditOutcome, detail?: Record<string, unknown>) {
    return { actor: userActor(who), action, objectType: OBJECT_TYPE, objectId, outcome, ...(detail ? { detail } : {}) };
  }

  /** A change that may end in a refusal: the refusal is audited on its own and thrown. */
  private async decide<T>(who: Principal, action: string, work: Promise<T | Refused>): Promise<T> {
    const result = await work;
    if (typeof result === 'object' && result !== null && 'refused' in result) {
      const r = result as Refused;
      await this.log.alone(this.entry(who, action, r.objectId, r.outcome, r.detail));
      throw r.problem;
    }
    return result;
  }

  /** The facts each elder's class is decided on, on `asOf`. */
  private async factsOf(tx: Tx, elderIds: readonly string[], asOf: Date): Promise<Map<string, ApplicantFacts>> {
    const facts = new Map<string, ApplicantFacts>();
    if (elderIds.length === 0) return facts;
    const ids = [...new Set(elderIds)];
    const on = localDate(asOf, this.rules);
    const { people, statuses, assessed } = await this.store.applicants(tx, ids);
    for (const p of people) {
      const latest = assessed.find((a) => a.elderId === p.id && a.assessedOn <= on);
      const dementia = latest ? (JSON.parse(this.protector.open(latest.answersSealed)) as { adjustments: { dementiaDiagnosis?: boolean } }).adjustments.dementiaDiagnosis === true : false;
      facts.set(p.id, {
        birthDate: this.protector.open(p.birthDateSealed),
        abilityLevel: latest ? latest.level : null,
        dementia,
        hardships: statuses
          .filter((h) => h.elderId === p.id && (HARDSHIP_STATUSES as readonly string[]).includes(h.status))
          .map((h) => ({ status: h.status as HardshipStatus, validFrom: h.validFrom, validUntil: h.validUntil })),
      });
    }
    return facts;
  }

  /** The entries still queueing for a home, with their facts. */
  private async queueOf(tx: Tx, homeInstitutionId: string, asOf: Date): Promise<{ rows: EntryRow[]; entries: QueueEntry[] }> {
    const rows = await this.store.queueing(tx, homeInstitutionId);
    const facts = await this.factsOf(
      tx,
      rows.map((r) => r.elderId),
      asOf,
    );
    const entries = rows.flatMap((r) => {
      const f = facts.get(r.elderId);
      return f ? [{ entryId: r.id, elderId: r.elderId, appliedAt: r.appliedAt, facts: f }] : [];
    });
    return { rows, entries };
  }

  /**
   * An elder applies for a public care home. Refused (409, with the reason) while the elder
   * queues already or is barred by a ban; the assessment result is due in three working days,
   * and an assessment request joins the assessors' queue when no current assessment exists.
   */
  async apply(elderId: string, homeInstitutionId: string, who: Principal) {
    return this.decide(who, 'apply', run(this.ports.transact, this.applying, { elderId, homeInstitutionId, who, at: this.now }));
  }

  /** An application: the elder locked with their entries, facts and latest assessment; the rules decide (pure); the entry saved. */
  private readonly applying: Pipeline<Applying, ApplyingState, Refused | { classification: ReturnType<typeof classify>; dueAt: Date; current: boolean }, Refused | Record<string, unknown>> = {
    load: async (tx, { elderId, at }) => {
      const elder = await this.store.lockElder(tx, elderId);
      if (!elder) return { elder };
      const history = await this.store.historyOf(tx, elderId);
      const facts = (await this.factsOf(tx, [elderId], at)).get(elderId);
      const latest = await this.store.latestAssessment(tx, elderId);
      return { elder, history, facts, latest };
    },
    decide: ({ elder, history = [], facts, latest }, { elderId, homeInstitutionId, who, at: now }) => {
      const detail = { elderRef: elderId, homeInstitutionId };
      if (!elder) return { refused: true, outcome: 'not-found', problem: notFound(`elder ${elderId}`), objectId: 'new', detail };
      if (!maySee(who, elder.divisionCode)) return { refused: true, outcome: 'denied', problem: forbidden(), objectId: 'new', detail };
      const queueing = history.find((h) => (QUEUEING as readonly string[]).includes(h.status));
      if (queueing) {
        const reason = `already on the waiting list (entry ${queueing.id}, home ${queueing.homeInstitutionId}, ${queueing.status})`;
        return { refused: true, outcome: 'invalid', problem: conflict(reason), objectId: 'new', detail: { ...detail, reason } };
      }
      const ban = banOf(history, now, this.rules);
      if (ban.banned) return { refused: true, outcome: 'invalid', problem: conflict(ban.reason), objectId: 'new', detail: { ...detail, reason: ban.reason } };
      if (!facts) throw new Error(`elder ${elderId} vanished`);
      const current = latest !== undefined && (now.getTime() - Date.parse(latest.assessedOn)) / 86_400_000 <= ASSESSMENT_VALID_DAYS;
      return { classification: classify(facts, now, this.rules), dueAt: assessmentDueAt(now, this.rules), current };
    },
    save: async (tx, _outbox, _state, decided, { elderId, homeInstitutionId, who, at: now }) => {
      if ('refused' in decided) return decided;
      const { classification, dueAt, current } = decided;
      const id = newId();
      await this.store.insert(tx, { id, elderId, homeInstitutionId, status: 'waiting', appliedAt: now, assessmentDueAt: dueAt, priorityClass: classification.class, rulesVersion: this.rules.version, offersRefused: 0, appliedBy: who.userId, updatedAt: now });
      if (!current) await this.assessments.queueRequest(tx, { id: newId(), elderId, reason: 'waiting-list', status: 'open', requestedAt: now, dueAt });
      await this.log.write(tx, this.entry(who, 'apply', id, 'allowed', { elderRef: elderId, homeInstitutionId, class: classification.class }));
      return { id, elderRef: elderId, homeInstitutionId, status: 'waiting' as const, class: classification.class, noQueue: classification.noQueue, appliedAt: now.toISOString(), assessmentDueAt: dueAt.toISOString(), assessmentRequested: !current };
    },
  };

  /** A home's queue in order, without identity: one audit row per entry read. */
  async list(homeInstitutionId: string, who: Principal) {
    const now = this.now;
    return this.ports.database.transaction(async (tx) => {
      const { rows, entries } = await this.queueOf(tx, homeInstitutionId, now);
      const byId = new Map(rows.map((r) => [r.id, r]));
      const ordered = orderQueue(entries, now, this.rules);
      await this.log.write(tx, ...ordered.map((e) => this.entry(who, 'list', e.entryId, 'allowed', { homeInstitutionId, position: e.position })));
      return {
        homeInstitutionId,
        asOf: now.toISOString(),
        rulesVersion: this.rules.version,
        entries: ordered.map((e) => {
          const row = byId.get(e.entryId);
          return { entryId: e.entryId, elderRef: e.elderId, position: e.position, class: e.class, noQueue: e.noQueue, appliedAt: e.appliedAt.toISOString(), status: row?.status ?? 'waiting', assessmentDueAt: row?.assessmentDueAt.toISOString() ?? null };
        }),
      };
    });
  }

  /** Why an entry is where it is: the position and the reason in words, for anyone who may see the elder. */
  async position(entryId: string, who: Principal) {
    const now = this.now;
    return this.decide(who, 'read-position', this.ports.database.transaction(async (tx) => {
      const row = await this.store.withDivision(tx, entryId);
      if (!row) return { refused: true, outcome: 'not-found', problem: notFound(`waiting-list entry ${entryId}`), objectId: entryId } satisfies Refused;
      if (!maySee(who, row.divisionCode)) return { refused: true, outcome: 'denied', problem: forbidden(), objectId: entryId } satisfies Refused;
      const e = row.entry;
      const base = { entryId, elderRef: e.elderId, homeInstitutionId: e.homeInstitutionId, status: e.status, appliedAt: e.appliedAt.toISOString(), asOf: now.toISOString(), rulesVersion: this.rules.version };
      if (!(QUEUEING as readonly string[]).includes(e.status)) {
        await this.log.write(tx, this.entry(who, 'read-position', entryId, 'allowed'));
        return { ...base, position: null, class: e.priorityClass, noQueue: false, ahead: [], explanation: `no longer queueing: ${e.status}${e.endedAt ? ` on ${localDate(e.endedAt, this.rules)}` : ''}` };
      }
      const { entries } = await this.queueOf(tx, e.homeInstitutionId, now);
      const p = positionOf(entries, e.elderId, now, this.rules);
      if (!p) throw new Error(`entry ${entryId} is queueing but not in its home's queue`);
      await this.log.write(tx, this.entry(who, 'read-position', entryId, 'allowed', { position: p.position, class: p.class }));
      return { ...base, position: p.position, class: p.class, noQueue: p.noQueue, reason: p.reason, ahead: p.ahead, explanation: p.explanation };
    }));
  }

  /** Offer a bed, accept it, refuse it, or withdraw: each move only from the statuses that allow it (409 otherwise). */
  async move(entryId: string, move: Move, who: Principal, input: { institutionId?: string } = {}) {
    return this.decide(who, move, run(this.ports.transact, this.moving, { entryId, move, who, institutionId: input.institutionId, at: this.now }));
  }

  /** A move: the entry locked with its elder's division, the move decided (pure), the entry saved and audited. */
  private readonly moving: Pipeline<Moving, { entry: EntryRow; divisionCode: string | undefined } | undefined, Refused | EntryChange, Refused | ReturnType<typeof presentMove>> = {
    load: (tx, { entryId }) => this.store.lock(tx, entryId),
    decide: (found, m) => decideMove(found, m, this.rules),
    save: async (tx, _outbox, found, change, { entryId, move, who }) => {
      if ('refused' in change) return change;
      const updated = await this.store.update(tx, entryId, change);
      if (!updated) throw new Error(`entry ${entryId} vanished`);
      await this.log.write(tx, this.entry(who, move, entryId, 'allowed', { from: found!.entry.status, to: updated.status }));
      return presentMove(updated);
    },
  };
}

type Applying = { elderId: string; homeInstitutionId: string; who: Principal; at: Date };
type ApplyingState = { elder: { id: string; divisionCode: string } | undefined; history?: EntryRow[]; facts?: ApplicantFacts | undefined; latest?: { assessedOn: string } | undefined };
type Moving = { entryId: string; move: Move; who: Principal; institutionId: string | undefined; at: Date };

/** Whether a move applies to an entry, and the entry's change when it does. Pure. */
export function decideMove(found: { entry: EntryRow; divisionCode: string | undefined } | undefined, { entryId, move, who, institutionId, at: now }: Moving, rules: WaitingListRules): Refused | EntryChange {
  if (!found) return { refused: true, outcome: 'not-found', problem: notFound(`waiting-list entry ${entryId}`), objectId: entryId };
  const e = found.entry;
  if (found.divisionCode === undefined || !maySee(who, found.divisionCode)) return { refused: true, outcome: 'denied', problem: forbidden(), objectId: entryId };
  if (!MOVES[move].includes(e.status)) {
    const reason = `cannot ${move} an entry that is ${e.status}`;
    return { refused: true, outcome: 'invalid', problem: conflict(reason), objectId: entryId, detail: { reason } };
  }
  return changeOf(move, e, institutionId, now, rules);
}

function presentMove(updated: EntryRow) {
  return {
    entryId: updated.id,
    elderRef: updated.elderId,
    homeInstitutionId: updated.homeInstitutionId,
    status: updated.status,
    offersRefused: updated.offersRefused,
    offeredAt: updated.offeredAt?.toISOString() ?? null,
    offeredInstitutionId: updated.offeredInstitutionId,
    endedAt: updated.endedAt?.toISOString() ?? null,
  };
}
