import type { Principal } from '@fbl/auth';
import { AbilityAssessed, causedBy, createMessage, newId, type AssessAbility, type EnvelopeOf, type MessageOrigin, type OutgoingMessage, invalidInput, problemFields } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import type { Outbox } from '@fbl/messaging';
import type { FieldProtector } from '@fbl/privacy';
import { scoreAbility, type AbilityResult } from '@fbl/scales';
import { run, runIn, type Pipeline, type ServicePorts } from '@fbl/service-kit/pipeline';
import { AssessmentStore, latestAssessment, type AssessmentRequestRow, type AssessmentRow } from '../adapters/db/assessment-store.js';
import { addWorkingDays, reassessmentDue } from '../domain/elder.js';
import type { Elders } from './elders.js';

export const SERVICE = 'civil-affairs';

/** What an assessor records (GB/T 42195-2022): raw answers, adjustments, two assessors, the reason. */
export interface AssessmentInput {
  answers: Record<string, number>;
  adjustments: { coma?: boolean; dementiaDiagnosis?: boolean; otherPsychiatricDiagnosis?: boolean; careRiskEventsLast30Days?: number };
  assessors: [string, string];
  reason: 'first' | 'routine' | 'immediate' | 'review' | 'other';
  assessedOn: string;
}

type Latest = AssessmentRow;

/** An assessment to record: who, of whom, the scored result, and the origin of what it says. */
interface Recording {
  elderId: string;
  id: string;
  input: AssessmentInput;
  result: AbilityResult;
  who: Principal;
  origin: MessageOrigin;
  at: Date;
}

/** The workflow's request for an assessment. */
interface Asking {
  command: EnvelopeOf<typeof AssessAbility>;
  at: Date;
}

/** A recorded assessment answers every open request for the elder, each referral on its own journey (one answer when none asked). */
export function answersOf(r: Recording, openRequests: readonly { referralId: string | null }[]): OutgoingMessage[] {
  const referralIds = openRequests.flatMap((o) => (o.referralId ? [o.referralId] : []));
  const dementia = r.input.adjustments.dementiaDiagnosis === true;
  return (referralIds.length > 0 ? referralIds : [undefined]).map((referralId) =>
    createMessage(AbilityAssessed, r.elderId, { assessmentId: r.id, elderRef: r.elderId, level: r.result.level, assessedOn: r.input.assessedOn, dementiaDiagnosis: dementia, ...(referralId ? { referralId } : {}) }, { ...r.origin, ...(referralId ? { correlationId: referralId } : {}) }, { time: r.at }),
  );
}

/** Whether a request is answered at once by a current assessment, joins the queue, or names no elder here. */
export function answerOrQueue(known: boolean, latest: Latest | undefined, reason: string, now: Date): { kind: 'unknown' } | { kind: 'answer'; latest: Latest } | { kind: 'queue'; dueAt: Date } {
  if (!known) return { kind: 'unknown' };
  if (latest && !reassessmentDue(latest.assessedOn, now) && reason !== 'review') return { kind: 'answer', latest };
  return { kind: 'queue', dueAt: addWorkingDays(now, 3) };
}

/** Ability assessments: recorded by assessors and sealed, asked for by the workflow, answered to every referral that waits. */
export class AbilityAssessments {
  private readonly recording: Pipeline<Recording, { open: AssessmentRequestRow[] }, { messages: OutgoingMessage[]; close: string[] }, void>;
  private readonly asking: Pipeline<Asking, { known: boolean; latest: Latest | undefined }, ReturnType<typeof answerOrQueue>, void>;
  private readonly store: AssessmentStore;

  constructor(
    private readonly ports: ServicePorts,
    private readonly protector: FieldProtector,
    private readonly registry: Elders,
  ) {
    this.store = new AssessmentStore(ports.database);
    this.recording = {
      load: async (tx, r) => {
        await this.store.lockElder(tx, r.elderId);
        return { open: await this.store.openRequests(tx, r.elderId) };
      },
      decide: ({ open }, r) => ({ messages: answersOf(r, open), close: open.map((o) => o.id) }),
      save: async (tx, outbox, _state, decided, r) => {
        await this.store.record(tx, {
          id: r.id,
          elderId: r.elderId,
          assessedOn: r.input.assessedOn,
          reason: r.input.reason,
          assessors: r.input.assessors,
          answersSealed: this.protector.seal(JSON.stringify({ answers: r.input.answers, adjustments: r.input.adjustments })),
          level: r.result.level,
          total: r.result.total,
          result: r.result,
          rulesVersion: r.result.rulesVersion,
          recordedBy: r.who.userId,
          recordedAt: r.at,
        });
        await this.registry.audit(tx, r.who, 'assess', r.elderId, 'allowed', { assessmentId: r.id, level: r.result.level });
        for (const id of decided.close) await this.store.closeRequest(tx, id, r.id);
        await outbox.append(tx, decided.messages);
      },
    };
    this.asking = {
      load: async (tx, { command }) => {
        const known = await this.store.elderKnown(tx, command.data.elderRef);
        const latest = known ? await latestAssessment(tx, command.data.elderRef) : undefined;
        return { known, latest };
      },
      decide: ({ known, latest }, { command, at }) => answerOrQueue(known, latest, command.data.reason, at),
      save: async (tx, outbox, _state, decided, { command, at }) => {
        const { elderRef, referralId, reason } = command.data;
        switch (decided.kind) {
          case 'unknown':
            this.ports.logger.warn({ elderRef, referralId }, 'assessment asked for an elder not in the registry');
            return;
          case 'answer': {
            const { latest } = decided;
            const dementia = (JSON.parse(this.protector.open(latest.answersSealed)) as { adjustments: { dementiaDiagnosis?: boolean } }).adjustments.dementiaDiagnosis === true;
            await outbox.append(tx, [createMessage(AbilityAssessed, elderRef, { assessmentId: latest.id, elderRef, level: latest.level, assessedOn: latest.assessedOn, dementiaDiagnosis: dementia, referralId }, causedBy(command, SERVICE), { time: at })]);
            return;
          }
          case 'queue':
            await this.store.queueRequest(tx, { id: newId(), elderId: elderRef, referralId, reason, urgency: command.data.urgency ?? 'routine', status: 'open', requestedAt: at, dueAt: decided.dueAt });
            return;
        }
      },
    };
  }

  private get now(): Date {
    return this.ports.clock();
  }

  /** An assessor records an ability assessment; its result goes to whoever asked for it. */
  async assess(elderId: string, input: AssessmentInput, who: Principal, origin: MessageOrigin) {
    const scored = scoreAbility(input.answers, input.adjustments);
    if (!scored.ok) {
      await this.registry.auditAlone(who, 'assess', elderId, 'invalid');
      throw invalidInput(problemFields([...scored.errors]));
    }
    if (input.assessors[0] === input.assessors[1]) {
      await this.registry.auditAlone(who, 'assess', elderId, 'invalid');
      throw invalidInput([{ field: 'assessors.1', pointer: '/assessors/1', in: 'body', reason: 'two different assessors are required' }]);
    }
    const r = scored.result;
    await this.registry.requireInScope(who, 'assess', elderId);
    const id = newId();
    await run(this.ports.transact, this.recording, { elderId, id, input, result: r, who, origin, at: this.now });
    return { id, level: r.level, total: r.total, levelName: r.levelName, adjustmentsApplied: r.adjustmentsApplied, rulesVersion: r.rulesVersion };
  }

  /** An elder's assessments, newest first (scores and levels; raw answers stay sealed). */
  async history(elderId: string, who: Principal) {
    await this.registry.view(elderId, who);
    const rows = await this.store.history(elderId);
    return rows.map((a) => ({ id: a.id, assessedOn: a.assessedOn, reason: a.reason, level: a.level, total: a.total, assessors: a.assessors, rulesVersion: a.rulesVersion }));
  }

  /**
   * The workflow asks for an assessment. A current one answers at once; otherwise the request
   * joins the assessors' queue, due in three working days.
   */
  async requestAssessment(command: EnvelopeOf<typeof AssessAbility>, tx: Tx, outbox: Outbox): Promise<void> {
    await runIn(tx, outbox, this.asking, { command, at: this.now });
  }
}
