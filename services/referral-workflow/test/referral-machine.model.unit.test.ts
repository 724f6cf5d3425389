import { getShortestPaths, getStateNodes } from '@xstate/graph';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createActor,
  getInitialMicrosteps,
  getMicrosteps,
  getNextTransitions,
  initialTransition,
  transition,
  type AnyTransitionDefinition,
  type SnapshotFrom,
  type StateValue,
} from 'xstate';
import { referralMachine, type ActionParams, type ReferralContext, type ReferralEvent, type ReferralInput } from '../src/domain/referral-machine.js';
import { ROUTINE_DEADLINES, type Offer } from '../src/domain/types.js';

/*
 * Model-based tests of the referral machine. The machine is driven only through the pure
 * `initialTransition` / `transition` functions, as the host drives it; the test plays the host
 * and the other services with a finite set of representative events (offers o1–o3 at i1–i3 for
 * care beds, one more offer o4 at i4 when matching runs again, holds h1, h2…, admission a1).
 *
 * - An exhaustive breadth-first exploration over `transition()` from three inputs. A node is a
 *   snapshot together with what its path did (deadlines still set, admission, follow-up), so the
 *   path invariants hold on every path, not only on one. Transition coverage is measured here,
 *   from the transitions XState reports for each microstep.
 * - Shortest paths from @xstate/graph to every state (value and the context that steers the
 *   machine), replayed twice through `transition()` for purity and the same invariants; they
 *   must reach every state node of the machine, transient ones included.
 *
 * A finished referral (closed, cancelled) is a leaf, as for an actor, which ignores events once
 * done. What the pure `transition()` does with a finished snapshot is checked on its own.
 */

type Snap = SnapshotFrom<typeof referralMachine>;
interface Action {
  type: string;
  params: unknown;
}
type ActionType = keyof ActionParams;

/** The actions the host carries out (it throws on any other that is not built into XState). */
const ACTION_TYPES = new Set<string>([
  'requestAssessment',
  'requestLtci',
  'findMatches',
  'announceOffers',
  'announceAnswer',
  'announceNotSelected',
  'reserveBed',
  'releaseBed',
  'schedule',
  'unschedule',
  'unscheduleAll',
  'escalate',
  'announceCancelled',
  'announceClosed',
  'announceChoice',
  'announceChoiceLapsed',
] satisfies ActionType[]);

// ---- inputs ------------------------------------------------------------------------------------

const discharge: ReferralInput = {
  referralId: 'r1',
  elderRef: 'elder-1',
  kind: 'discharge',
  urgency: 'routine',
  origin: { institutionId: 'hospital-1', bedType: 'medical', divisionCode: '370811', admissionId: 'stay-0' },
  requestedBedTypes: ['care'],
  widerBedTypes: ['home-care'],
  wantsLtci: false,
  facts: { abilityLevel: 2, abilityAssessedOn: '2025-01-10' },
  abilityCurrent: true,
  deadlines: ROUTINE_DEADLINES,
};

const INPUTS: Record<string, ReferralInput> = {
  /** A current assessment and no LTCI: straight to matching. */
  'a discharge with a current assessment, no LTCI': discharge,
  /** Neither a current assessment nor an LTCI answer: eligibility asks for both at once. */
  'a discharge needing an assessment and LTCI': { ...discharge, facts: {}, abilityCurrent: false, wantsLtci: true },
  /** Back to the kept care bed (留床) after a hospital stay. */
  'a return to a kept bed': { ...discharge, kind: 'return', returnTo: { institutionId: 'care-home-9', bedType: 'care', admissionId: 'kept-1' } },
};
const INPUT_NAMES = Object.keys(INPUTS);

// ---- the host and the other services, played by the test ---------------------------------------

const topState = (value: StateValue): string => (typeof value === 'string' ? value : (Object.keys(value)[0] ?? 'unknown'));
const chosenOf = (c: ReferralContext): Offer | undefined => c.offers.find((o) => o.offerId === c.chosenOfferId);

/** What the host answers to `findMatches` (besides NoMatches): three offers first, then one more. */
function matchesFor(c: ReferralContext): ReferralEvent[] {
  if (c.offers.length === 0) {
    return [{ type: 'MatchesFound', offers: [1, 2, 3].map((n) => ({ offerId: `o${n}`, institutionId: `i${n}`, bedType: 'care', rank: n, status: 'open' })) }];
  }
  if (c.offers.length === 3) {
    const bedType = c.widened ? (c.widerBedTypes[0] ?? c.requestedBedTypes[0]!) : c.requestedBedTypes[0]!;
    return [{ type: 'MatchesFound', offers: [{ offerId: 'o4', institutionId: 'i4', bedType, rank: 1, status: 'open' }] }];
  }
  return [];
}

/** Representative events: those that apply and, for the guards, many that must not. */
function hostEvents(s: Snap): ReferralEvent[] {
  const c = s.context;
  const chosen = chosenOf(c);
  const holdId = c.hold?.holdId ?? `h${c.offers.filter((o) => o.status === 'unavailable').length + 1}`;
  const top = topState(s.value);
  return [
    { type: 'AbilityAssessed', level: 3, assessedOn: '2025-03-01', dementiaDiagnosis: false },
    { type: 'AbilityDeadline' },
    { type: 'LtciAuthorised', grade: 3 },
    { type: 'LtciRefused', ground: 'grade below the threshold' },
    { type: 'LtciDeadline' },
    ...matchesFor(c),
    { type: 'NoMatches' },
    ...c.offers.flatMap((o): ReferralEvent[] => [
      { type: 'OfferAccepted', offerId: o.offerId },
      { type: 'OfferDeclined', offerId: o.offerId, reasonCode: 'no-capacity' },
      { type: 'OfferExpired', offerId: o.offerId },
      { type: 'ChoiceRecorded', offerId: o.offerId, recordedBy: 'family' },
    ]),
    { type: 'OfferAccepted', offerId: 'o-unknown' },
    { type: 'ChoiceRecorded', offerId: 'o-unknown', recordedBy: 'family' },
    { type: 'ChoiceDeadline' },
    { type: 'BedHeld', holdId, unitId: `unit-${holdId}`, institutionId: chosen?.institutionId ?? 'i1' },
    { type: 'BedHoldRejected', institutionId: chosen?.institutionId ?? 'i1', reasonCode: 'no-free-unit' },
    { type: 'BedHoldRejected', institutionId: 'i-other', reasonCode: 'no-free-unit' },
    { type: 'BedHoldExpired', holdId },
    { type: 'BedHoldExpired', holdId: 'h-other' },
    { type: 'AdmissionRecorded', holdId, admissionId: 'a1' },
    { type: 'AdmissionRecorded', holdId: 'h-other', admissionId: 'a-other' },
    // The origin discharges the elder around the transfer; elsewhere only a foreign stay is tried.
    ...(top === 'transferring' ? [{ type: 'OriginDischarged', admissionId: 'stay-0' } as const] : []),
    { type: 'OriginDischarged', admissionId: 'stay-other' },
    { type: 'KeptBedReturned', admissionId: 'kept-1' },
    { type: 'KeptBedReturned', admissionId: 'kept-other' },
    { type: 'KeptBedLost', admissionId: 'kept-1' },
    { type: 'KeptBedLost', admissionId: 'kept-other' },
    { type: 'FollowUpRecorded', recordedBy: 'nurse' },
    { type: 'FollowUpDeadline' },
    { type: 'Cancel', reason: 'family-withdrew', recordedBy: 'planner' },
    { type: 'Reopen', recordedBy: 'commission' },
    { type: 'PacketUpdated' },
  ];
}

/** The events with a transition (guarded or not) from an active state node: no other event can change anything. */
function handledEvents(s: Snap): ReferralEvent[] {
  const handled = new Set(getNextTransitions(s).map((t) => t.eventType));
  return hostEvents(s).filter((e) => handled.has(e.type));
}

// ---- the machine's own structure ---------------------------------------------------------------

const allStateNodes = [referralMachine.root, ...getStateNodes(referralMachine.root)];
const ALL_STATE_IDS = new Set(allStateNodes.map((n) => n.id));

/** A transition as (source state, event type, target); `always` and `onDone` named as such. */
const transitionKey = (t: AnyTransitionDefinition): string => {
  const event = t.eventType === '' ? 'always' : t.eventType.startsWith('xstate.done.state.') ? 'onDone' : t.eventType;
  return `${t.source.id} --${event}--> ${t.target?.map((n) => n.id).join(',') ?? '(stays)'}`;
};

/** Every transition the machine defines: each `on` event, each `always` and `onDone` branch. */
const DEFINED = allStateNodes.flatMap((node) => [...[...node.transitions.values()].flat(), ...node.always ?? []]);
const ALL_TRANSITIONS = new Set(DEFINED.map(transitionKey));

/** The ids of the state nodes a state value stands in, with their ancestors. */
function stateIds(value: StateValue, prefix = 'referral'): string[] {
  if (typeof value === 'string') return [prefix, `${prefix}.${value}`];
  return [prefix, ...Object.entries(value).flatMap(([key, sub]) => (sub === undefined ? [`${prefix}.${key}`] : stateIds(sub, `${prefix}.${key}`)))];
}

/**
 * The transitions XState takes for one event from a snapshot (or at the start), and the states
 * passed through, transient ones included, as its inspection reports them microstep by microstep.
 */
function observe(input: ReferralInput, from?: Snap, event?: ReferralEvent): { transitions: string[]; states: string[] } {
  const transitions: AnyTransitionDefinition[] = [];
  const states: string[] = [];
  const actor = createActor(referralMachine, {
    input,
    ...(from ? { snapshot: from } : {}),
    inspect: (ev) => {
      if (ev.type !== '@xstate.microstep') return;
      transitions.push(...ev._transitions);
      states.push(...stateIds((ev.snapshot as Snap).value));
    },
  });
  actor.start();
  if (event) actor.send(event);
  actor.stop();
  const ends = transitions.flatMap((t) => [t.source.id, ...(t.target ?? []).map((n) => n.id)]);
  return { transitions: transitions.map(transitionKey), states: [...states, ...ends] };
}

const plain = (actions: readonly { type: string; params?: unknown }[]): Action[] => actions.map((a) => ({ type: a.type, params: a.params }));
const ofType = <T extends ActionType>(actions: Action[], type: T): ActionParams[T][] => actions.filter((a) => a.type === type).map((a) => a.params as ActionParams[T]);
const serialise = (s: Snap): string => JSON.stringify({ value: s.value, context: s.context, status: s.status });

// ---- invariants --------------------------------------------------------------------------------

/** What a path has done so far: deadlines still set (key → the event they fire), admission, follow-up. */
interface History {
  timers: Record<string, string>;
  admitted: boolean;
  followedUp: boolean;
}
const NO_HISTORY: History = { timers: {}, admitted: false, followedUp: false };

/** The history after one step: a deadline that fired is gone, then the step's timer actions apply in order. */
function advance(h: History, prev: Snap, event: ReferralEvent | undefined, next: Snap, actions: Action[]): { history: History; problems: string[] } {
  const problems: string[] = [];
  const timers = { ...h.timers };
  for (const [key, fires] of Object.entries(timers)) if (event && fires === JSON.stringify(event)) delete timers[key];
  for (const a of actions) {
    if (a.type === 'schedule') {
      const p = a.params as ActionParams['schedule'];
      if (p.key in timers) problems.push(`deadline ${p.key} scheduled again while still set`);
      timers[p.key] = JSON.stringify(p.event);
    } else if (a.type === 'unschedule') {
      delete timers[(a.params as ActionParams['unschedule']).key];
    } else if (a.type === 'unscheduleAll') {
      for (const key of Object.keys(timers)) delete timers[key];
    }
  }
  const entered = (state: string) => topState(next.value) === state && topState(prev.value) !== state;
  return {
    history: {
      timers,
      admitted: h.admitted || ((event?.type === 'AdmissionRecorded' || event?.type === 'KeptBedReturned') && entered('followUp')),
      followedUp: h.followedUp || (event?.type === 'FollowUpRecorded' && entered('closed')),
    },
    problems,
  };
}

/** Invariants of every visited snapshot, given what its path did. */
function snapshotProblems(s: Snap, h: History): string[] {
  const problems: string[] = [];
  const c = s.context;
  const top = topState(s.value);
  const ids = c.offers.map((o) => o.offerId);
  if (new Set(ids).size !== ids.length) problems.push(`offer ids not unique: ${ids.join(', ')}`);
  if (c.chosenOfferId !== undefined) {
    const chosen = c.offers.filter((o) => o.offerId === c.chosenOfferId);
    if (chosen.length !== 1 || chosen[0]!.status !== 'accepted') problems.push(`chosen offer ${c.chosenOfferId} is not exactly one accepted offer`);
  }
  if ((top === 'reserving' || top === 'transferring') && !chosenOf(c)) problems.push(`${top} without a chosen offer`);
  if (top === 'transferring' && c.hold?.institutionId !== chosenOf(c)?.institutionId) problems.push('transferring without a hold at the chosen provider');
  if ((top === 'closed' || top === 'cancelled') !== (s.status === 'done')) problems.push(`status ${s.status} in ${top}`);
  if (top === 'closed' && !(h.admitted && h.followedUp)) problems.push('closed without an admission (or the kept bed back) and a follow-up');
  // Every deadline still set belongs to where the referral stands, and every wait has its deadline.
  const expected = [
    ...(s.matches({ eligibility: { ability: 'requested' } }) ? ['ability'] : []),
    ...(s.matches({ eligibility: { ltci: 'requested' } }) ? ['ltci'] : []),
    ...(top === 'offering' ? c.offers.filter((o) => o.status === 'open').map((o) => `offer:${o.offerId}`) : []),
    ...(top === 'choosing' ? ['choice'] : []),
    ...(top === 'followUp' && !c.followUpLate ? ['follow-up'] : []),
  ].sort();
  const set = Object.keys(h.timers).sort();
  if (set.join() !== expected.join()) problems.push(`deadlines set [${set.join(', ')}] in ${JSON.stringify(s.value)}, expected [${expected.join(', ')}]`);
  return problems;
}

/** Invariants of one step, from `prev` by `event` to `next` with `actions`; `after` is the path's history after it. */
function stepProblems(prev: Snap, event: ReferralEvent, next: Snap, actions: Action[], after: History): string[] {
  const problems: string[] = [];
  const before = topState(prev.value);
  const now = topState(next.value);
  const c = prev.context;
  for (const a of actions) if (!a.type.startsWith('xstate.') && !ACTION_TYPES.has(a.type)) problems.push(`action ${a.type} nobody carries out`);
  if (now !== before && ['closed', 'cancelled', 'escalated'].includes(now) && Object.keys(after.timers).length > 0) {
    problems.push(`${now} entered with deadlines still set: ${Object.keys(after.timers).join(', ')}`);
  }
  if (now === 'closed' && before !== 'closed') {
    if (event.type !== 'FollowUpRecorded') problems.push(`closed by ${event.type}`);
    const closed = ofType(actions, 'announceClosed');
    if (JSON.stringify(closed) !== JSON.stringify([{ institutionId: c.hold?.institutionId, bedType: c.hold?.bedType, followUpLate: c.followUpLate }])) {
      problems.push(`announceClosed ${JSON.stringify(closed)} does not name the held bed`);
    }
  }
  if (now === 'cancelled' && before !== 'cancelled') {
    // A bed held and not taken is given back; so is the one being reserved (its hold may be on its way).
    const chosen = chosenOf(c);
    const bed = c.admissionId ? undefined : c.hold ? c.hold : before === 'reserving' && chosen ? chosen : undefined;
    const expected = bed ? [{ referralId: c.referralId, institutionId: bed.institutionId, bedType: bed.bedType, reason: 'cancelled' }] : [];
    const released = ofType(actions, 'releaseBed');
    if (JSON.stringify(released) !== JSON.stringify(expected)) problems.push(`cancelled from ${before} released ${JSON.stringify(released)}, expected ${JSON.stringify(expected)}`);
    if (ofType(actions, 'announceCancelled').length !== 1) problems.push('cancelled without announceCancelled');
    // Every provider still waiting for an answer, or kept in reserve, is told.
    const live = c.offers.filter((o) => o.status === 'open' || (o.status === 'accepted' && o.offerId !== c.chosenOfferId)).map((o) => o.offerId);
    const told = ofType(actions, 'announceNotSelected').flatMap((p) => p.offers.map((o) => o.offerId));
    if (told.join() !== live.join()) problems.push(`cancelled from ${before} told [${told.join()}] they were not selected, expected [${live.join()}]`);
  }
  if (ofType(actions, 'announceNotSelected').some((p) => p.offers.length === 0)) problems.push('announceNotSelected of no offer');
  // Disclosure of who the elder is follows the choice: announced once when made, once when it lapses before arrival.
  const chose = ofType(actions, 'announceChoice').map((p) => p.offer.offerId);
  const madeChoice = event.type === 'ChoiceRecorded' && next.context.chosenOfferId === event.offerId && prev.context.chosenOfferId !== event.offerId;
  if (chose.join() !== (madeChoice ? event.offerId : '')) problems.push(`announceChoice [${chose.join()}] on ${event.type}`);
  const lapsed = ofType(actions, 'announceChoiceLapsed').map((p) => `${p.offer.offerId}:${p.reason}`);
  const chosenBefore = chosenOf(c);
  const lostChoice = chosenBefore !== undefined && next.context.chosenOfferId === undefined ? `${chosenBefore.offerId}:bed-lost` : undefined;
  const cancelledChoice = chosenBefore !== undefined && now === 'cancelled' && before !== 'cancelled' && !c.admissionId && c.kind !== 'return' ? `${chosenBefore.offerId}:cancelled` : undefined;
  const expectedLapse = cancelledChoice ?? lostChoice;
  if (lapsed.join() !== (expectedLapse ?? '')) problems.push(`announceChoiceLapsed [${lapsed.join()}] from ${before} on ${event.type}, expected [${expectedLapse ?? ''}]`);
  if (event.type === 'PacketUpdated' && now !== before && !(before === 'escalated' && now === 'offering') && !(before === 'escalated' && now === 'escalated') && now !== 'matching') problems.push(`PacketUpdated moved ${before} to ${now}`);
  if (now === 'escalated' && before !== 'escalated' && ofType(actions, 'escalate').length !== 1) problems.push('escalated without escalate');
  for (const p of ofType(actions, 'findMatches')) {
    const n = next.context;
    const bedTypes = n.widened ? [...new Set([...n.requestedBedTypes, ...n.widerBedTypes])] : n.requestedBedTypes;
    if (p.widened !== n.widened || JSON.stringify(p.bedTypes) !== JSON.stringify(bedTypes)) problems.push(`findMatches ${JSON.stringify(p)} with widened=${n.widened}`);
  }
  if (event.type === 'MatchesFound' && now !== before) {
    const offered = event.offers.map((o) => o.offerId);
    const announced = ofType(actions, 'announceOffers').flatMap((p) => p.offers.map((o) => o.offerId));
    const deadlines = ofType(actions, 'schedule').map((p) => p.key);
    if (announced.join() !== offered.join()) problems.push(`announced ${announced.join()} for offers ${offered.join()}`);
    if (deadlines.join() !== offered.map((id) => `offer:${id}`).join()) problems.push(`offer deadlines ${deadlines.join()} for offers ${offered.join()}`);
  }
  return problems;
}

// ---- the exhaustive exploration ----------------------------------------------------------------

/**
 * When two snapshots count as the same node: equal up to
 * - the names of the offers (o1–o3 are interchangeable: same bed type, no invariant singles one
 *   out), so an offer is its bed type, status, reason and whether it is the chosen one;
 * - context no guard and no later action reads: the elder's facts, `abilityCurrent` and
 *   `wantsLtci` outside eligibility and returning (only eligibility's guards read them, and only
 *   KeptBedLost leads back there), `returnTo` outside returning, `originDischarged` (recorded,
 *   never read), `escalation` (read by `escalate` on entering escalated, in the same step).
 * Such snapshots answer every event alike, so exploring one of them is enough; inputs share ids so
 * their journeys merge once they differ only there.
 */
function nodeKey(s: Snap, h: History): string {
  const { offers, chosenOfferId, hold, facts, abilityCurrent, wantsLtci, returnTo, originDischarged: _o, escalation: _e, ...rest } = s.context;
  const top = topState(s.value);
  const shape = (o: Offer) => JSON.stringify([o.bedType, o.status, o.reasonCode, o.offerId === chosenOfferId]);
  const timers = Object.keys(h.timers).map((key) => {
    const offer = offers.find((o) => `offer:${o.offerId}` === key);
    return offer ? `offer:${shape(offer)}` : key;
  });
  return JSON.stringify({
    value: s.value,
    status: s.status,
    ...rest,
    ...(top === 'eligibility' || top === 'returning' ? { facts, abilityCurrent, wantsLtci } : {}),
    ...(top === 'returning' ? { returnTo } : {}),
    offers: offers.map(shape).sort(),
    hold: hold && [hold.holdId, hold.bedType, hold.institutionId === chosenOf(s.context)?.institutionId],
    history: { ...h, timers: timers.sort() },
  });
}

interface Exploration {
  nodes: number;
  steps: number;
  ignored: number;
  depth: number;
  reached: Set<string>;
  covered: Set<string>;
  problems: string[];
  finished: Snap[];
}

/** Breadth-first over `transition()` from every input at once, to the end of every journey. */
function explore(inputs: Record<string, ReferralInput>): Exploration {
  const result: Exploration = { nodes: 0, steps: 0, ignored: 0, depth: 0, reached: new Set(), covered: new Set(), problems: [], finished: [] };
  const parents = new Map<string, { parent?: string; event?: ReferralEvent; input?: string }>();
  const pathTo = (key: string): string => {
    const events: string[] = [];
    let k: string | undefined = key;
    for (; parents.get(k!)?.event; k = parents.get(k!)?.parent) events.unshift(JSON.stringify(parents.get(k!)!.event));
    return `${parents.get(k!)?.input}: ${events.join(' → ') || '(start)'}`;
  };
  const report = (key: string, problems: string[]) => {
    for (const p of problems) if (result.problems.length < 20) result.problems.push(`${p}\n    on ${pathTo(key)}`);
  };
  const queue: { key: string; input: ReferralInput; snapshot: Snap; history: History; depth: number }[] = [];
  for (const [name, input] of Object.entries(inputs)) {
    const [first, actions] = initialTransition(referralMachine, input);
    const start = observe(input);
    for (const t of start.transitions) result.covered.add(t);
    for (const id of start.states) result.reached.add(id);
    const { history, problems } = advance(NO_HISTORY, first, undefined, first, plain(actions));
    const key = nodeKey(first, history);
    parents.set(key, { input: name });
    report(key, [...problems, ...snapshotProblems(first, history)]);
    queue.push({ key, input, snapshot: first, history, depth: 0 });
  }
  // Observing XState's own account of a step is slow; a step's transitions follow from where it
  // starts and ends and what it does, so one observation per such shape is enough.
  const observed = new Set<string>();
  while (queue.length > 0) {
    const node = queue.shift()!;
    result.nodes += 1;
    result.depth = Math.max(result.depth, node.depth);
    if (node.snapshot.status === 'done') {
      result.finished.push(node.snapshot);
      continue;
    }
    for (const event of handledEvents(node.snapshot)) {
      result.steps += 1;
      const [next, produced] = transition(referralMachine, node.snapshot, event);
      const actions = plain(produced);
      if (actions.length === 0 && serialise(next) === serialise(node.snapshot)) {
        result.ignored += 1;
        continue;
      }
      const shape = JSON.stringify([node.snapshot.value, event.type, next.value, actions.map((a) => a.type)]);
      if (!observed.has(shape)) {
        observed.add(shape);
        const seen = observe(node.input, node.snapshot, event);
        for (const t of seen.transitions) result.covered.add(t);
        for (const id of seen.states) result.reached.add(id);
      }
      const { history, problems } = advance(node.history, node.snapshot, event, next, actions);
      const key = nodeKey(next, history);
      const known = parents.has(key);
      if (!known) parents.set(key, { parent: node.key, event });
      report(known ? node.key : key, [...problems, ...stepProblems(node.snapshot, event, next, actions, history)]);
      if (known) continue;
      report(key, snapshotProblems(next, history));
      queue.push({ key, input: node.input, snapshot: next, history, depth: node.depth + 1 });
    }
  }
  return result;
}

let exploration: Exploration | undefined;
/** The exploration from all the inputs, made once for the tests that read it. */
const explored = (): Exploration => (exploration ??= explore(INPUTS));

const missing = <T>(all: Set<T>, got: Set<T>): T[] => [...all].filter((x) => !got.has(x));

// ---- tests -------------------------------------------------------------------------------------

describe('the referral machine', () => {
  it('defines 23 state nodes and each transition once, as a distinct (source, event, target) triple', () => {
    expect(ALL_STATE_IDS.size).toBe(allStateNodes.length);
    expect(ALL_STATE_IDS.size).toBe(23);
    expect(ALL_TRANSITIONS.size).toBe(DEFINED.length);
  });
});

describe('the referral machine, explored exhaustively over transition()', () => {
  let e: Exploration;
  beforeAll(() => {
    e = explored();
  }, 120_000);

  it('keeps every invariant on every visited snapshot and every step', () => {
    expect(e.problems).toEqual([]);
    expect(e.nodes).toBeGreaterThan(500);
    // Guards were exercised: events with a transition that did not apply left the snapshot alone.
    expect(e.ignored).toBeGreaterThan(0);
  });

  it('ends journeys both closed and cancelled', () => {
    expect([...new Set(e.finished.map((s) => topState(s.value)))].sort()).toEqual(['cancelled', 'closed']);
  });

  it('reaches every state node of the machine', () => {
    expect(missing(ALL_STATE_IDS, e.reached)).toEqual([]);
    expect([...e.reached].filter((id) => !ALL_STATE_IDS.has(id))).toEqual([]);
  });

  it('takes every transition the machine defines', () => {
    expect([...e.covered].filter((t) => !ALL_TRANSITIONS.has(t))).toEqual([]);
    expect(missing(ALL_TRANSITIONS, e.covered)).toEqual([]);
    console.info(
      `referral machine explored: ${e.nodes} nodes, ${e.steps} events tried (${e.ignored} ignored), depth ${e.depth}; ` +
        `states ${e.reached.size}/${ALL_STATE_IDS.size}; transitions ${e.covered.size}/${ALL_TRANSITIONS.size}`,
    );
  });
});

describe('shortest paths from @xstate/graph, replayed through transition()', () => {
  /** The graph's notion of a state: the value and what of the context steers the machine, coarsely. */
  const graphState = (s: Snap): string => {
    const c = s.context;
    const accepted = Math.min(2, c.offers.filter((o) => o.status === 'accepted').length);
    const open = c.offers.some((o) => o.status === 'open');
    return JSON.stringify([s.value, s.status, c.kind, c.widened, c.offers.length, accepted, open, Boolean(c.chosenOfferId), Boolean(c.hold), Boolean(c.admissionId), c.followUpLate]);
  };
  const pathsOf = (input: ReferralInput) =>
    getShortestPaths(referralMachine, { input, events: handledEvents, serializeState: graphState, stopWhen: (s) => s.status === 'done' });

  /** Replays a path's events from the input through `transition()`; the states passed through, microsteps included. */
  function replay(input: ReferralInput, events: ReferralEvent[]) {
    const passed = getInitialMicrosteps(referralMachine, input).flatMap(([s]) => stateIds(s.value));
    const [first, firstActions] = initialTransition(referralMachine, input);
    const steps: { snapshot: Snap; actions: Action[] }[] = [{ snapshot: first, actions: plain(firstActions) }];
    for (const event of events) {
      const prev = steps.at(-1)!.snapshot;
      passed.push(...getMicrosteps(referralMachine, prev, event).flatMap(([s]) => stateIds(s.value)));
      const [next, actions] = transition(referralMachine, prev, event);
      steps.push({ snapshot: next, actions: plain(actions) });
    }
    return { passed, steps };
  }

  interface GraphRun {
    paths: number;
    reached: Set<string>;
    ends: Set<string>;
    problems: string[];
  }
  const runs = new Map<string, GraphRun>();
  /** Every shortest path from one input, replayed twice with the invariants checked; made once per input. */
  function graphRun(name: string): GraphRun {
    const done = runs.get(name);
    if (done) return done;
    const input = INPUTS[name]!;
    const paths = pathsOf(input);
    const run: GraphRun = { paths: paths.length, reached: new Set(), ends: new Set(), problems: [] };
    for (const path of paths) {
      const events = path.steps.slice(1).map((s) => s.event);
      const once = replay(input, events);
      const twice = replay(input, events);
      for (const id of once.passed) run.reached.add(id);
      const last = once.steps.at(-1)!.snapshot;
      run.ends.add(topState(last.value));
      const problems: string[] = [];
      if (graphState(last) !== graphState(path.state)) problems.push(`the replay ends in ${graphState(last)}, the graph in ${graphState(path.state)}`);
      const alike = once.steps.every((s, i) => serialise(s.snapshot) === serialise(twice.steps[i]!.snapshot) && JSON.stringify(s.actions) === JSON.stringify(twice.steps[i]!.actions));
      if (!alike) problems.push('two replays differ');
      let { history } = advance(NO_HISTORY, once.steps[0]!.snapshot, undefined, once.steps[0]!.snapshot, once.steps[0]!.actions);
      problems.push(...snapshotProblems(once.steps[0]!.snapshot, history));
      for (const [i, event] of events.entries()) {
        const prev = once.steps[i]!.snapshot;
        const { snapshot: next, actions } = once.steps[i + 1]!;
        const step = advance(history, prev, event, next, actions);
        history = step.history;
        problems.push(...step.problems, ...stepProblems(prev, event, next, actions, history), ...snapshotProblems(next, history));
      }
      for (const p of problems) if (run.problems.length < 20) run.problems.push(`${p}\n    on the path ${events.map((ev) => ev.type).join(' → ')}`);
    }
    runs.set(name, run);
    return run;
  }

  it.each(INPUT_NAMES)('from %s: each path replays to its state, alike twice, keeping the invariants', (name) => {
    const run = graphRun(name);
    expect(run.paths).toBeGreaterThan(20);
    expect(run.problems).toEqual([]);
    expect(run.ends).toContain('closed');
    expect(run.ends).toContain('cancelled');
  }, 60_000);

  it('the generated paths reach every state node of the machine', () => {
    const reached = new Set(INPUT_NAMES.flatMap((name) => [...graphRun(name).reached]));
    expect(missing(ALL_STATE_IDS, reached)).toEqual([]);
    console.info(`referral machine, @xstate/graph paths: states ${[...ALL_STATE_IDS].filter((id) => reached.has(id)).length}/${ALL_STATE_IDS.size}`);
  }, 60_000);
});

describe('a finished referral', () => {
  // The host applies events with the pure `transition()`, which does not stop at a done snapshot
  // as an actor does: the machine itself must ignore events once finished.
  it('ignores every event (snapshot unchanged, no actions), as the host applies events with transition()', () => {
    const applied = new Set<string>();
    const finished = new Map(explored().finished.map((s) => [JSON.stringify([s.value, Boolean(s.context.hold), Boolean(s.context.admissionId), s.context.kind]), s]));
    for (const s of finished.values()) {
      for (const event of hostEvents(s)) {
        const [next, actions] = transition(referralMachine, s, event);
        if (actions.length > 0 || serialise(next) !== serialise(s)) applied.add(`${topState(s.value)} + ${event.type} → ${topState(next.value)}`);
      }
    }
    expect([...applied]).toEqual([]);
  }, 120_000);
});
