import { divisionCovers, type Principal } from '@fbl/auth';
import { conflict, createMessage, HomeCareStatementIssued, HomeVisitCompleted, newId, notFound, Refusal, type DataOf, type MessageOrigin } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import { userActor, type AuditLog } from '@fbl/privacy';
import { run, type Pipeline, type ServicePorts } from '@fbl/service-kit/pipeline';
import { civilAffairsAuditLog } from '../adapters/db/audit.js';
import { HomeCareStore, type StatementRow } from '../adapters/db/home-care-store.js';
import { correctionLines, monthDays, statement, type DeliveredItem, type ElderFacts, type EntitlementRuleSet, type StatementLine } from '../domain/home-care-hours.js';
import { localDate } from '../domain/waiting-list.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A statement as issued: its lines carry elder references and figures. */
export interface IssuedStatement {
  id: string;
  institutionId: string;
  month: string;
  correctionOf: string | null;
  rulesVersion: string;
  rateFen: number;
  lines: StatementLine[];
  issuedBy: string;
  issuedAt: string;
}

interface Issuing {
  id: string;
  institutionId: string;
  month: string;
  who: Principal;
  origin: MessageOrigin;
  at: Date;
}
interface IssuingState {
  previous: StatementRow[];
  delivered: DeliveredItem[];
  facts: Map<string, ElderFacts>;
}
type Issue = { correctionOf: string | null; rulesVersion: string; rateFen: number; lines: StatementLine[] };

export const presentStatement = (r: StatementRow): IssuedStatement => ({
  id: r.id,
  institutionId: r.institutionId,
  month: r.month,
  correctionOf: r.correctionOf,
  rulesVersion: r.rulesVersion,
  rateFen: r.rateFen,
  lines: r.lines as StatementLine[],
  issuedBy: r.issuedBy,
  issuedAt: r.issuedAt.toISOString(),
});

/**
 * Government-bought home-care hours: the visits of home-care bed providers counted per elder and
 * month, and each provider's monthly statement for civil affairs to pay (entitlement from the
 * dated rules, delivered minutes capped at it, × the rate). Issued statements are closed; issuing
 * again for the same provider and month makes a correction whose lines are the differences.
 */
export class HomeCareHours {
  private readonly store: HomeCareStore;
  private readonly log: AuditLog;
  private readonly issuing: Pipeline<Issuing, IssuingState, Issue, IssuedStatement>;

  constructor(
    private readonly ports: ServicePorts,
    private readonly rules: readonly EntitlementRuleSet[],
  ) {
    this.store = new HomeCareStore(ports.database);
    this.log = civilAffairsAuditLog(ports);
    this.issuing = {
      load: async (tx, c) => {
        await this.store.lockStatement(tx, c.institutionId, c.month);
        const previous = await this.store.statementsOf(tx, c.institutionId, c.month);
        const delivered = await this.store.deliveredFor(tx, c.institutionId, c.month);
        const facts = await this.store.factsFor(tx, [...new Set(delivered.map((d) => d.elderRef))].filter((r) => UUID.test(r)), monthDays(c.month).last);
        return { previous, delivered, facts };
      },
      decide: (s, c) => this.decide(s, c),
      save: async (tx, outbox, _s, d, c) => {
        const row = { id: c.id, institutionId: c.institutionId, month: c.month, correctionOf: d.correctionOf, rulesVersion: d.rulesVersion, rateFen: d.rateFen, lines: d.lines, issuedBy: c.who.userId, issuedAt: c.at };
        await this.store.issue(tx, row);
        await this.log.write(tx, { actor: userActor(c.who), action: 'issue-statement', objectType: 'care-statement', objectId: c.id, outcome: 'allowed', detail: { institutionId: c.institutionId, month: c.month, lines: d.lines.length, ...(d.correctionOf ? { correctionOf: d.correctionOf } : {}) } });
        const lines = d.lines.map((l) => ({ elderRef: l.elderRef, divisionCode: l.divisionCode, entitledMinutes: l.entitledMinutes, deliveredMinutes: l.deliveredMinutes, amountFen: l.amountFen }));
        await outbox.append(tx, [
          createMessage(
            HomeCareStatementIssued,
            c.id,
            { statementId: c.id, ...(d.correctionOf ? { correctionOf: d.correctionOf } : {}), institutionId: c.institutionId, month: c.month, rulesVersion: d.rulesVersion, rateFen: d.rateFen, lines, issuedAt: c.at.toISOString() },
            c.origin,
            { time: c.at },
          ),
        ]);
        return presentStatement({ ...row, correctionOf: d.correctionOf });
      },
    };
  }

  private decide(s: IssuingState, c: Issuing): Issue {
    const computed = statement(c.institutionId, c.month, s.facts, s.delivered, this.rules);
    if (!computed.ok) throw conflict(`the elders of this statement fall under different rule sets (${computed.versions.join(', ')}); statements are issued per rule set`);
    const original = s.previous.find((p) => p.correctionOf === null);
    const now = computed.statement;
    const lines = original ? correctionLines(now?.lines ?? [], s.previous.flatMap((p) => p.lines as StatementLine[])) : (now?.lines ?? []);
    if (lines.length === 0) throw conflict(original ? 'nothing has changed since the statements issued for this provider and month' : 'this provider delivered no hours to entitled elders in this month');
    const outside = lines.filter((l) => c.who.role !== 'admin' && !divisionCovers(c.who.divisionCode, l.divisionCode));
    if (outside.length > 0) throw new Refusal('forbidden', 'this statement has elders outside your division');
    return { correctionOf: original?.id ?? null, rulesVersion: now?.rulesVersion ?? original!.rulesVersion, rateFen: now?.rateFen ?? original!.rateFen, lines };
  }

  /** A home-care bed provider's visit: kept once (a redelivery changes nothing), its month the local one of the check-in. */
  async visitCompleted(tx: Tx, v: DataOf<typeof HomeVisitCompleted>): Promise<void> {
    const added = await this.store.recordVisit(tx, {
      visitId: v.visitId,
      elderRef: v.elderRef,
      divisionCode: v.divisionCode,
      institutionId: v.institutionId ?? null,
      bedType: v.bedType ?? null,
      planId: v.planId ?? null,
      tanfangId: v.tanfangId ?? null,
      purpose: v.purpose,
      channel: v.channel,
      windowStart: new Date(v.windowStart),
      windowEnd: new Date(v.windowEnd),
      checkedInAt: new Date(v.checkedInAt),
      checkedOutAt: new Date(v.checkedOutAt),
      minutes: v.minutes,
      items: v.items,
      confirmation: v.confirmation,
      late: v.late,
      month: localDate(new Date(v.checkedInAt)).slice(0, 7),
      recordedBy: null,
    });
    if (!added) this.ports.logger.debug({ visitId: v.visitId }, 'visit already recorded');
  }

  /**
   * Issue a provider's statement for a month that has ended (China time). The first is the
   * statement; any later one a correction of it holding the differences. 409 when there is
   * nothing to state or nothing changed.
   */
  async issue(institutionId: string, month: string, who: Principal, origin: MessageOrigin): Promise<IssuedStatement> {
    const at = this.ports.clock();
    if (month >= localDate(at).slice(0, 7)) {
      await this.log.alone({ actor: userActor(who), action: 'issue-statement', objectType: 'care-statement', objectId: `${institutionId}:${month}`, outcome: 'invalid' });
      throw conflict('a statement is issued once its month has ended');
    }
    try {
      return await run(this.ports.transact, this.issuing, { id: newId(), institutionId, month, who, origin, at });
    } catch (error) {
      if (error instanceof Refusal) await this.log.alone({ actor: userActor(who), action: 'issue-statement', objectType: 'care-statement', objectId: `${institutionId}:${month}`, outcome: error.kind === 'forbidden' ? 'denied' : 'invalid' });
      throw error;
    }
  }

  /** What a statement would hold now, without issuing it (for the officer to check first). */
  async preview(institutionId: string, month: string) {
    const delivered = await this.store.deliveredFor(this.ports.database.db, institutionId, month);
    const facts = await this.store.factsFor(this.ports.database.db, [...new Set(delivered.map((d) => d.elderRef))].filter((r) => UUID.test(r)), monthDays(month).last);
    return statement(institutionId, month, facts, delivered, this.rules);
  }

  /** Providers with visits in a month and the statements issued for it. */
  async month(month: string) {
    const providers = await this.store.providersOf(month);
    const statements = await this.store.statementsIn(month);
    return { month, providers: providers.filter((p) => p.institutionId !== null).map((p) => ({ institutionId: p.institutionId!, visits: p.visits })), statements: statements.map(presentStatement) };
  }

  /** One issued statement, or 404. */
  async one(id: string): Promise<IssuedStatement> {
    const row = await this.store.statement(id);
    if (!row) throw notFound(`statement ${id}`);
    return presentStatement(row);
  }
}
