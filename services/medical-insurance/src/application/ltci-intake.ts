import { divisionCovers, type Principal } from '@fbl/auth';
import { causedBy, createMessage, invalidInput, LtciAuthorised, LtciRefused, type AuthoriseLtci, type EnvelopeOf, outOfScope, Refusal } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import type { Outbox } from '@fbl/messaging';
import type { Sealer } from '@fbl/privacy';
import { run, runIn, type Pipeline, type ServicePorts } from '@fbl/service-kit/pipeline';
import type { ApplicationRow, ApplicationStore } from '../adapters/db/application-store.js';
import { mayApply } from '../domain/application.js';
import type { InsuranceRules } from '../domain/rules.js';
import { SERVICE } from './application-effects.js';
import { pastOf, presentApplication, stateOf } from './application-rows.js';
import { actorOf, serviceActor, type AuditLog } from './audit.js';
import { applyRefused } from './ltci-problems.js';
import { applicationEntry, inScope } from './ltci-queries.js';
import { gradeSelfAssessment, presentSelfAssessment, selfAssessmentRow, type GradedSelfAssessment, type SelfAssessmentInput } from './self-assessments.js';

type Changed = { ok: true; row: ApplicationRow } | { ok: false; problem: Refusal };
type Applying = { elderRef: string; who: Principal; division: string; at: Date; selfAssessment?: GradedSelfAssessment };
type Asking = { command: EnvelopeOf<typeof AuthoriseLtci>; at: Date };

/**
 * How applications open: by an officer, or when the workflow asks whether an elder has LTCI.
 * Both take the elder's lock, so one elder has one live application whoever asks.
 */
export class LtciIntake {
  constructor(
    private readonly ports: ServicePorts,
    private readonly store: ApplicationStore,
    private readonly audit: AuditLog,
    /** Seals the answers of self-assessments (health data) at rest. */
    private readonly sealer: Sealer,
    private readonly rules: InsuranceRules,
  ) {
    this.applying = {
      load: (tx, a) => this.history(tx, a.elderRef),
      decide: (past, a) => mayApply(past.map(pastOf), a.at),
      save: async (tx, _outbox, past, may, { elderRef, who, division, at, selfAssessment }) => {
        const actor = actorOf(who);
        if (!may.ok) {
          await this.audit.write(tx, applicationEntry(actor, 'apply', may.applicationId, 'invalid', { elderRef, because: may.because }));
          // Another division's application is not described to this officer.
          const blocking = past.find((p) => p.id === may.applicationId);
          return { ok: false, problem: applyRefused(may, blocking !== undefined && inScope(who, blocking)) };
        }
        const row = await this.store.open(tx, { elderRef, divisionCode: division, referralIds: [], source: 'officer', appliedBy: actor.id }, at);
        await this.audit.write(tx, applicationEntry(actor, 'apply', row.id, 'allowed'));
        if (selfAssessment) {
          await this.store.insertSelfAssessment(tx, selfAssessmentRow(row.id, selfAssessment, this.sealer, actor.id, at));
          await this.audit.write(tx, applicationEntry(actor, 'record-self-assessment', row.id, 'allowed', { filledBy: selfAssessment.input.filledBy }));
        }
        return { ok: true, row };
      },
    };
    this.asking = {
      load: (tx, { command }) => this.history(tx, command.data.elderRef),
      decide: (past, { at }) => mayApply(past.map(pastOf), at),
      save: (tx, outbox, past, may, asking) => this.answer(tx, outbox, past, may, asking),
    };
  }

  /** Answer the workflow's question, or open an application for it; audited either way. */
  private async answer(tx: Tx, outbox: Outbox, past: ApplicationRow[], may: ReturnType<typeof mayApply>, { command, at: now }: Asking): Promise<void> {
    const { elderRef, referralId } = command.data;
    const origin = causedBy(command, SERVICE);
    const actor = serviceActor(command.source);
    if (may.ok) {
      const row = await this.store.open(tx, { elderRef, divisionCode: command.data.divisionCode ?? null, referralIds: [referralId], source: 'referral', appliedBy: actor.id }, now);
      await this.audit.write(tx, applicationEntry(actor, 'apply', row.id, 'allowed', { referralId }));
      return;
    }
    const row = past.find((p) => p.id === may.applicationId);
    if (!row) throw new Error(`application ${may.applicationId} vanished`);
    switch (may.because) {
      case 'authorised': {
        if (row.grade === null || row.effectiveFrom === null) throw new Error(`authorised application ${row.id} has no grade or start`);
        await outbox.append(tx, [createMessage(LtciAuthorised, elderRef, { elderRef, grade: row.grade, referralId, effectiveFrom: row.effectiveFrom }, origin, { time: now })]);
        break;
      }
      case 'barred':
        await outbox.append(tx, [createMessage(LtciRefused, elderRef, { elderRef, referralId, ground: stateOf(row).refusalGround ?? 'other' }, origin, { time: now })]);
        break;
      case 'in-progress':
        if (!row.referralIds.includes(referralId)) await this.store.update(tx, row.id, { referralIds: [...row.referralIds, referralId] }, now);
        break;
      default: {
        const unreachable: never = may;
        throw new Error(`unknown refusal ${JSON.stringify(unreachable)}`);
      }
    }
    await this.audit.write(tx, applicationEntry(actor, 'authorise-request', row.id, 'allowed', { referralId, answered: may.because }));
  }

  private readonly applying: Pipeline<Applying, ApplicationRow[], ReturnType<typeof mayApply>, Changed>;
  private readonly asking: Pipeline<Asking, ApplicationRow[], ReturnType<typeof mayApply>, void>;

  /** Both lock the elder and read the elder's applications; `mayApply` decides (pure). */
  private readonly history = async (tx: Tx, elderRef: string) => {
    await this.store.lockElder(tx, elderRef);
    return this.store.history(tx, elderRef);
  };

  private get now(): Date {
    return this.ports.clock();
  }

  /**
   * An insurance officer opens an application for an elder (one live application per elder), in
   * the officer's division unless a division within it is named, with the applicant's
   * self-assessment (自评) when one was given: graded by the same rules and kept sealed, advisory
   * only (it never refuses). Answers the rules refuse are refused by field, and nothing is opened.
   */
  async apply(elderRef: string, who: Principal, divisionCode?: string, selfAssessment?: SelfAssessmentInput) {
    // Nothing is published when an application opens: acceptance or refusal is the first fact.
    const actor = actorOf(who);
    const division = divisionCode ?? who.divisionCode ?? null;
    if (division === null || !divisionCovers(who.divisionCode, division)) {
      await this.audit.alone(applicationEntry(actor, 'apply', elderRef, 'denied', { divisionCode: division }));
      throw outOfScope('division');
    }
    const graded = selfAssessment ? gradeSelfAssessment(selfAssessment, this.rules) : undefined;
    if (graded && !graded.ok) {
      await this.audit.alone(applicationEntry(actor, 'apply', elderRef, 'invalid', { fields: graded.fields.map((f) => f.field) }));
      throw invalidInput(graded.fields);
    }
    const result = await run(this.ports.transact, this.applying, { elderRef, who, division, at: this.now, ...(graded ? { selfAssessment: graded.graded } : {}) });
    if (!result.ok) throw result.problem;
    if (!graded) return presentApplication(result.row);
    const { filledBy, answers } = graded.graded.input;
    const kept = { filledBy, answers, grade: graded.graded.grade, rulesVersion: graded.graded.rulesVersion, recordedBy: actor.id, recordedAt: result.row.appliedAt };
    return { ...presentApplication(result.row), selfAssessment: presentSelfAssessment(kept, this.rules, null) };
  }

  /**
   * The workflow asks whether an elder has LTCI. Authorised benefits answer at once; a refusal
   * still barring a new application answers with its ground; an application being worked takes
   * the referral on; otherwise a new application joins the officers' queue.
   */
  async requestAuthorisation(command: EnvelopeOf<typeof AuthoriseLtci>, tx: Tx, outbox: Outbox): Promise<void> {
    await runIn(tx, outbox, this.asking, { command, at: this.now });
  }
}
