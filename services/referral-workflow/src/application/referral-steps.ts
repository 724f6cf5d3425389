import { createMessage, newId, ReferralStateChanged, type MessageOrigin } from '@fbl/contracts';
import { effectsOf } from '@fbl/service-kit/pipeline';
import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { MACHINE_VERSION, type ReferralContext, type ReferralEvent, type referralMachine } from '../domain/referral-machine.js';
import { machineFor, migrateSnapshot, restoreSnapshot, storeSnapshot, topState, type StoredSnapshot } from './machine-host.js';
import { offerStatusChanges, REFERRAL_EFFECTS, type ReferralEffect } from './referral-effects.js';

/** Who or what caused a step: a person (HTTP), a service's message, or a deadline. */
export interface Cause {
  actor: string;
  causationId: string;
  origin: MessageOrigin;
  /** For a person: their display name and role; `service` or `deadline` otherwise. */
  actorName?: string | undefined;
  actorRole?: string | undefined;
  /** The institution the actor acted for (a person's own, or the one a service's message is about). */
  actorInstitutionId?: string | undefined;
}

/** A referral as a step loads it: its stored snapshot on the machine version it runs on. */
export interface LoadedReferral {
  id: string;
  machineVersion: number;
  snapshot: StoredSnapshot;
  version: number;
}

/** A line of a referral's timeline: what happened, from which state to which, caused by whom. */
export interface TimelineEntry {
  event: string;
  from: string | null;
  to: string;
  detail: string | null;
}

/** Where a step took a referral, and what it leaves to be saved. */
export interface Step {
  /** False when nothing applied (the timeline still says so). */
  changed: boolean;
  state: string;
  machineVersion: number;
  snapshot: StoredSnapshot;
  timeline: TimelineEntry[];
  effects: ReferralEffect[];
}

/** Matching: the one action answered at once, with the providers' capacity read in the step's transaction. */
export type Match = (context: ReferralContext, params: Extract<ReferralEffect, { kind: 'match' }>['params']) => Promise<{ event: ReferralEvent; effects: ReferralEffect[] }>;

type First = ReturnType<typeof initialTransition<typeof referralMachine>>;
type Pending = { event: ReferralEvent | { type: 'ReferralRequested' }; actions?: First[1] };

/**
 * Run the machine from the stored snapshot through `event` and whatever its actions answer at
 * once; pure but for `match`. `first` is the already computed initial transition of a new referral.
 */
export async function step(referral: LoadedReferral, event: ReferralEvent | { type: 'ReferralRequested' }, cause: Cause, now: Date, match: Match, first?: First): Promise<Step> {
  let { machineVersion: version, snapshot: stored } = referral;
  if (version !== MACHINE_VERSION) ({ version, stored } = migrateSnapshot(version, stored, { offerId: newId() }));
  const machine = machineFor(version);
  let snapshot: AnyMachineSnapshot = first?.[0] ?? restoreSnapshot(version, stored);
  const startState = first ? 'intake' : topState(stored.value);
  const storedOffers = (stored.context as unknown as ReferralContext).offers ?? [];
  const timeline: TimelineEntry[] = [];
  const effects: ReferralEffect[] = [];
  const queue: Pending[] = [{ event, ...(first ? { actions: first[1] } : {}) }];
  let changed = Boolean(first) || version !== referral.machineVersion;
  while (queue.length > 0) {
    const pending = queue.shift()!;
    // A new referral is stored in intake; where its first step took it (eligibility, matching) is a move others must hear of.
    const before = pending.actions && first ? startState : topState(snapshot.value);
    let actions = pending.actions;
    if (!actions && snapshot.status === 'done') {
      timeline.push({ event: pending.event.type, from: before, to: before, detail: `the referral is finished (${before})` });
      continue;
    }
    if (!actions) {
      const beforeContext = JSON.stringify(snapshot.context);
      const [next, produced] = transition(machine, snapshot as ReturnType<typeof restoreSnapshot>, pending.event as ReferralEvent);
      const moved = JSON.stringify(next.value) !== JSON.stringify(snapshot.value) || JSON.stringify(next.context) !== beforeContext || produced.length > 0;
      snapshot = next;
      actions = produced;
      if (!moved) {
        timeline.push({ event: pending.event.type, from: before, to: before, detail: `not applicable in state ${before}` });
        continue;
      }
    }
    changed = true;
    const after = topState(snapshot.value);
    const context = snapshot.context as ReferralContext;
    timeline.push({ event: pending.event.type, from: pending.event.type === 'ReferralRequested' ? null : before, to: after, detail: describe(pending.event) });
    const scope = { referralId: referral.id, now, origin: cause.origin, stage: before };
    for (const action of actions) {
      for (const effect of effectsOf(REFERRAL_EFFECTS, action, scope, (type) => type.startsWith('xstate.'))) {
        if (effect.kind !== 'match') {
          effects.push(effect);
          continue;
        }
        const answered = await match(context, effect.params);
        effects.push(...answered.effects);
        queue.push({ event: answered.event });
      }
    }
    if (after !== before) {
      effects.push({ kind: 'send', message: createMessage(ReferralStateChanged, referral.id, { referralId: referral.id, from: before, to: after, machineVersion: version }, cause.origin, { time: now }) });
    }
  }
  const next = storeSnapshot(snapshot);
  if (changed) effects.push(...offerStatusChanges(storedOffers, effects, (snapshot.context as ReferralContext).offers));
  return { changed, state: changed ? topState(next.value) : startState, machineVersion: version, snapshot: next, timeline, effects };
}

/** The timeline's words for an event's particulars. */
function describe(event: { type: string } & Record<string, unknown>): string | null {
  switch (event.type) {
    case 'OfferDeclined':
      return `declined: ${String(event['reasonCode'])}`;
    case 'Cancel':
      return `reason: ${String(event['reason'])}`;
    case 'BedHoldRejected':
      return `rejected: ${String(event['reasonCode'])}`;
    case 'LtciRefused':
      return `refused: ${String(event['ground'])}`;
    case 'AbilityAssessed':
      return `ability level ${String(event['level'])}`;
    case 'MatchesFound':
      return `${(event['offers'] as unknown[]).length} providers offered`;
    default:
      return null;
  }
}
