import type { DataOf, Envelope } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import type { HomeCareStatementIssued, HomeVisitCompleted, HomeVisitMissed, TanfangScheduled } from '@fbl/contracts';
import type { ProjectionStore, VisitRow } from '../adapters/db/projection-store.js';
import { cityOf } from '../domain/periods.js';

type E<D> = Envelope<string, D>;
type VisitFacts = Omit<DataOf<typeof HomeVisitMissed>, 'flaggedAt'>;

/**
 * Folds home visits, 探访 and statements of government-bought hours into their projections,
 * inside the consumer's transaction. Every step is keyed (the visit, the 探访, the statement's
 * line), so a message read twice counts once and a completion read before its 探访 was
 * scheduled is matched when the schedule arrives (the match is made when figures are asked).
 */
export class VisitProjector {
  constructor(private readonly store: ProjectionStore) {}

  async completed(tx: Tx, e: E<DataOf<typeof HomeVisitCompleted>>): Promise<void> {
    const d = e.data;
    await this.store.completeVisit(tx, { ...this.facts(d), outcome: 'completed', late: d.late, checkedInAt: new Date(d.checkedInAt), minutes: d.minutes });
  }

  async missed(tx: Tx, e: E<DataOf<typeof HomeVisitMissed>>): Promise<void> {
    await this.store.missVisit(tx, { ...this.facts(e.data), outcome: 'missed', late: false, checkedInAt: null, minutes: null });
  }

  async tanfangScheduled(tx: Tx, e: E<DataOf<typeof TanfangScheduled>>): Promise<void> {
    const d = e.data;
    await this.store.scheduleTanfang(tx, {
      tanfangId: d.tanfangId,
      elderRef: d.elderRef,
      month: `${d.month}-01`,
      county: d.divisionCode,
      city: cityOf(d.divisionCode),
      scheduledAt: new Date(d.scheduledAt),
    });
  }

  async statementIssued(tx: Tx, e: E<DataOf<typeof HomeCareStatementIssued>>): Promise<void> {
    const d = e.data;
    await this.store.addStatementLines(
      tx,
      d.lines.map((l, line) => ({
        statementId: d.statementId,
        line,
        correctionOf: d.correctionOf ?? null,
        institutionId: d.institutionId,
        month: `${d.month}-01`,
        elderRef: l.elderRef,
        county: l.divisionCode,
        city: cityOf(l.divisionCode),
        entitledMinutes: l.entitledMinutes,
        deliveredMinutes: l.deliveredMinutes,
        amountFen: l.amountFen,
        issuedAt: new Date(d.issuedAt),
      })),
    );
  }

  private facts(d: VisitFacts): Omit<VisitRow, 'outcome'> {
    return {
      visitId: d.visitId,
      elderRef: d.elderRef,
      county: d.divisionCode,
      city: cityOf(d.divisionCode),
      institutionId: d.institutionId ?? null,
      bedType: d.bedType ?? null,
      planId: d.planId ?? null,
      tanfangId: d.tanfangId ?? null,
      purpose: d.purpose,
      channel: d.channel,
      windowStart: new Date(d.windowStart),
      windowEnd: new Date(d.windowEnd),
    };
  }
}
