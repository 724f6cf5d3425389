import { causedBy, type Envelope, conflict, notFound, outOfScope } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import { CannotApply, type Outbox } from '@fbl/messaging';
import { runIn, type Pipeline, type ServicePorts } from '@fbl/service-kit/pipeline';
import { AvailabilityView, type AvailabilityViewOptions } from '../adapters/db/availability-view.js';
import { Projections } from '../adapters/db/projections.js';
import { ReferralQueries } from '../adapters/db/referral-queries.js';
import { ReferralStore, type ReferralRow } from '../adapters/db/referral-store.js';
import { MACHINE_VERSION, type ReferralContext, type ReferralEvent } from '../domain/referral-machine.js';
import type { BedTypeName, Deadlines } from '../domain/types.js';
import type { StoredSnapshot } from './machine-host.js';
import type { PacketStore } from '../adapters/db/packet-store.js';
import type { ReferralChange } from './changes.js';
import { institutionsIn, partiesOf, type Parties } from './parties.js';
import { matcher } from './referral-matching.js';
import { firstStepPipeline, startPipeline, type Born, type NewReferral, type Prepare, type StartFacts, type Started, type Starting, type StartPorts } from './referral-start.js';
import { step, type Cause, type LoadedReferral, type Step } from './referral-steps.js';

export { StaleReferralVersion } from '../adapters/db/referral-store.js';
export { timerKey } from './referral-effects.js';
export { OFFERS_AT_ONCE } from './referral-matching.js';
export { partiesOf, type Parties } from './parties.js';
export type { NewReferral } from './referral-start.js';
export type { Cause } from './referral-steps.js';

export const SERVICE = 'referral-workflow';

/** An event for a referral, what to say when the referral does not exist, and who may ask for it. */
interface ReferralCommand {
  id: string;
  event: ReferralEvent;
  cause: Cause;
  missing: () => Error;
  /** Whether the asker takes part as the event needs, judged on the locked referral; else 403. */
  may?: ((parties: Parties) => boolean) | undefined;
}

/**
 * The host of the referral machine. Every change, a person's or a message's, goes through one
 * pipeline: load the referral row-locked, take the step (the machine's pure transitions, with
 * matching answered at once), and save the snapshot under a version check with the timeline,
 * the offers, the deadlines and the outgoing messages in one transaction.
 */
export class Referrals {
  readonly queries: ReferralQueries;
  readonly projections: Projections;
  /** The availability projection in memory, which matching ranks from (a background job of the service). */
  readonly availability: AvailabilityView;
  private readonly store: ReferralStore;
  private readonly pipeline: Pipeline<ReferralCommand, { row: ReferralRow; referral: LoadedReferral; cause: Cause; now: Date }, Step, { state: string; changed: boolean; stateBefore: string }>;
  private readonly starting: Pipeline<Starting, StartFacts, Born, Started>;
  private readonly firstStep: Pipeline<Started, Started, Step, { id: string; state: string }>;

  constructor(
    private readonly ports: ServicePorts,
    deadlines: { routine: Deadlines; greenChannel: Deadlines },
    packets: PacketStore,
    availabilityOptions: AvailabilityViewOptions = {},
  ) {
    const now = () => ports.clock();
    this.store = new ReferralStore(ports.timers);
    this.queries = new ReferralQueries(ports.database);
    this.projections = new Projections(now);
    this.availability = new AvailabilityView(ports.database, ports.logger, availabilityOptions);
    const matching = { providers: this.projections.providers.bind(this.projections), viewed: (bedTypes: readonly BedTypeName[]) => this.availability.providers(bedTypes), packets };
    this.pipeline = {
      load: async (tx, command) => {
        const row = await this.store.lock(tx, command.id);
        if (!row) throw command.missing();
        if (command.may && !command.may(await this.partiesIn(tx, row))) throw outOfScope('referral');
        return { row, referral: { id: row.id, machineVersion: row.machineVersion, snapshot: row.snapshot as StoredSnapshot, version: row.version }, cause: command.cause, now: now() };
      },
      decide: (loaded, command, tx) => step(loaded.referral, command.event, command.cause, loaded.now, matcher(matching, tx, loaded.now)),
      save: async (tx, outbox, loaded, taken) => {
        await this.store.save(tx, outbox, loaded.referral, taken, loaded.cause, loaded.now);
        return { state: taken.state, changed: taken.changed, stateBefore: loaded.row.state };
      },
    };
    const starting: StartPorts = {
      now,
      deadlines,
      currentStays: (tx, elderRef) => this.queries.currentStays(tx, elderRef),
      elderKnown: (tx, elderRef) => this.projections.elderKnown(tx, elderRef),
      create: (tx, row) => this.store.create(tx, row),
      match: (tx) => matcher(matching, tx, now()),
      save: this.store.save.bind(this.store),
    };
    this.starting = startPipeline(starting);
    this.firstStep = firstStepPipeline(starting);
  }

  /** Start a referral in its own transaction; `prepare` runs once its row exists and before it is matched. */
  request(input: NewReferral, cause: Cause, prepare?: Prepare): Promise<{ id: string; state: string }> {
    return this.ports.transact((tx, outbox) => this.start(tx, outbox, input, cause, prepare));
  }

  /** Start a referral in the caller's transaction (a message handler's). */
  async start(tx: Tx, outbox: Outbox, input: NewReferral, cause: Cause, prepare?: Prepare): Promise<{ id: string; state: string }> {
    const started = await runIn(tx, outbox, this.starting, { input, cause, prepare });
    return runIn(tx, outbox, this.firstStep, started);
  }

  /**
   * Apply an event to a referral in the caller's transaction. A message naming a referral that
   * does not exist can never apply: {@link CannotApply} sends it to the dead-letter topic.
   */
  async apply(tx: Tx, outbox: Outbox, referralId: string, event: ReferralEvent, cause: Cause): Promise<string> {
    const missing = () => new CannotApply(`${event.type} names referral ${referralId}, which does not exist`);
    return (await runIn(tx, outbox, this.pipeline, { id: referralId, event, cause, missing })).state;
  }

  /**
   * Apply a person's decision in its own transaction; 404 when the referral does not exist, 403
   * when `may` says the person does not take part as the decision needs (judged on the locked
   * referral, in the same transaction), 409 when the decision does not apply. `then` runs in the
   * same transaction once it applied.
   */
  decide(referralId: string, event: ReferralEvent, cause: Cause, then?: (tx: Tx) => Promise<void>, may?: (parties: Parties) => boolean): Promise<{ id: string; state: string; applied: boolean }> {
    return this.ports.transact(async (tx, outbox) => {
      const done = await runIn(tx, outbox, this.pipeline, { id: referralId, event, cause, missing: () => notFound(`referral ${referralId}`), may });
      if (!done.changed) throw conflict(`${event.type} does not apply to this referral in state ${done.stateBefore}`);
      await then?.(tx);
      return { id: referralId, state: done.state, applied: true };
    });
  }

  /**
   * The parties of a locked referral: from its machine context, which carries every offer made,
   * or, for a snapshot of an older machine version, with the offers table's rows.
   */
  private async partiesIn(tx: Tx, row: ReferralRow): Promise<Parties> {
    const context = (row.snapshot as StoredSnapshot).context as unknown as ReferralContext;
    const offers = row.machineVersion === MACHINE_VERSION ? context.offers.map((o) => ({ id: o.offerId, institutionId: o.institutionId, status: o.status })) : await this.queries.offersIn(tx, row.id);
    return partiesOf(context, offers);
  }

  /** Lock a referral for a change made beside the machine (its packet, consent, attachments); 404 when there is none. */
  async lock(tx: Tx, referralId: string): Promise<ReferralRow> {
    const row = await this.store.lock(tx, referralId);
    if (!row) throw notFound(`referral ${referralId}`);
    return row;
  }

  /** Referrals' states and versions now, each with every institution taking part in it (for the live feed), by one read; a referral that is gone is left out. */
  async current(ids: readonly string[]): Promise<Map<string, { change: ReferralChange; parties: readonly string[] }>> {
    const found = await this.queries.partiesNow(ids);
    return new Map([...found].map(([id, now]) => [id, { change: { id, state: now.state, version: now.version }, parties: institutionsIn(now.parties) }]));
  }

  registeredDivisionOf = (institutionId: string) => this.queries.registeredDivisionOf(institutionId);
  openReferralsOf = (tx: Tx, elderRef: string, state: string) => this.queries.openReferralsOf(tx, elderRef, state);
  unfinishedReferralsOf = (tx: Tx, elderRef: string) => this.queries.unfinishedReferralsOf(tx, elderRef);
  referralsFromStay = (tx: Tx, admissionId: string) => this.queries.referralsFromStay(tx, admissionId);
  returnWaitingFor = (tx: Tx, admissionId: string) => this.queries.returnWaitingFor(tx, admissionId);
  urgentTransferPendingFor = (tx: Tx, admissionId: string) => this.queries.urgentTransferPendingFor(tx, admissionId);
  contextOf = (tx: Tx, referralId: string) => this.queries.contextOf(tx, referralId);
  /** Keep a provider's availability; once the transaction committed, the in-memory view (this replica's and the others') reads the row again. */
  async projectAvailability(tx: Tx, snapshots: Parameters<Projections['projectAvailability']>[1], afterCommit: (fn: () => Promise<void>) => void): Promise<void> {
    await this.projections.projectAvailability(tx, snapshots);
    afterCommit(() => this.availability.changed(snapshots.map((d) => ({ institutionId: d.institutionId, bedType: d.bedType }))));
  }
  projectProfile: Projections['projectProfile'] = (tx, p) => this.projections.projectProfile(tx, p);
  projectFacts: Projections['projectFacts'] = (tx, elderRef, facts) => this.projections.projectFacts(tx, elderRef, facts);
  moveHome: Projections['moveHome'] = (tx, elderRef, divisionCode) => this.projections.moveHome(tx, elderRef, divisionCode);
  stayBegan: Projections['stayBegan'] = (tx, stay) => this.projections.stayBegan(tx, stay);
  stayEnded: Projections['stayEnded'] = (tx, admissionId) => this.projections.stayEnded(tx, admissionId);

  /** The cause of a step taken on a message. */
  static messageCause(envelope: Envelope): Cause {
    const institutionId = (envelope.data as { institutionId?: unknown } | null)?.institutionId;
    return { actor: envelope.source, actorRole: 'service', ...(typeof institutionId === 'string' ? { actorInstitutionId: institutionId } : {}), causationId: envelope.id, origin: causedBy(envelope, SERVICE) };
  }
}
