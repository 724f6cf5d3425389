import type { Database, Tx } from '@fbl/db';
import type { Outbox, Timers } from '@fbl/messaging';
import type { Logger } from '@fbl/observability';

/**
 * One shape for every change a service makes, whether a person's request or a message asks
 * for it:
 *
 * 1. **load** what the decision needs, row-locked, in the transaction;
 * 2. **decide**: pure (a machine's `transition()`, a decider); it may ask read-only ports
 *    (matching reads the capacity projection), never write;
 * 3. **save** the new state with everything the decision carries (rows, timers, outgoing
 *    messages through the outbox) in the same transaction.
 *
 * Decisions become effects through an {@link EffectMap}: a typed map from each action a decider
 * can emit to the effects it stands for, so an action nobody carries out is a compile error.
 */
export interface Pipeline<Command, State, Decision, Result> {
  load(tx: Tx, command: Command): Promise<State>;
  decide(state: State, command: Command, tx: Tx): Decision | Promise<Decision>;
  save(tx: Tx, outbox: Outbox, state: State, decision: Decision, command: Command): Promise<Result>;
}

/** How a service runs a change in one transaction with its outbox (`ServiceKit.transact`). */
export type Transact = <T>(fn: (tx: Tx, outbox: Outbox) => Promise<T>) => Promise<T>;

/**
 * What application code is given of its service, and nothing more: no routes, no consumers,
 * no relay, no configuration. A service's composition root hands `ServiceKit.ports` to its use
 * cases.
 */
export interface ServicePorts {
  /** For reads outside a change (queries, projections). */
  readonly database: Database;
  /** A change in one transaction with the outbox; the relay is woken once it commits. */
  readonly transact: Transact;
  /** Durable timers, set and cancelled in a change's transaction. */
  readonly timers: Timers;
  /** The current time; tests pass a controllable clock. */
  readonly clock: () => Date;
  readonly logger: Logger;
}

/** Run one command through a pipeline in the caller's transaction (a message handler's). */
export async function runIn<C, S, D, R>(tx: Tx, outbox: Outbox, pipeline: Pipeline<C, S, D, R>, command: C): Promise<R> {
  const state = await pipeline.load(tx, command);
  const decision = await pipeline.decide(state, command, tx);
  return pipeline.save(tx, outbox, state, decision, command);
}

/** Run one command through a pipeline in a transaction of its own. */
export function run<C, S, D, R>(transact: Transact, pipeline: Pipeline<C, S, D, R>, command: C): Promise<R> {
  return transact((tx, outbox) => runIn(tx, outbox, pipeline, command));
}

/**
 * Run several commands in one transaction, one after another, each seeing what the ones before
 * it saved: the unit a batching consumer commits.
 */
export function runAll<C, S, D, R>(transact: Transact, pipeline: Pipeline<C, S, D, R>, commands: readonly C[]): Promise<R[]> {
  return transact(async (tx, outbox) => {
    const results: R[] = [];
    for (const command of commands) results.push(await runIn(tx, outbox, pipeline, command));
    return results;
  });
}

/** For every action a decider emits (by name, with its parameters), the effects it stands for. */
export type EffectMap<Params, Scope, Effect> = {
  readonly [K in keyof Params]-?: (params: Params[K], scope: Scope) => readonly Effect[];
};

/** An action as a decider emits it. */
export interface Action {
  type: string;
  params?: unknown;
}

/**
 * The effects of one action. Actions the map does not name are an error unless `ignored` says
 * they are the decider's own bookkeeping (xstate's internal actions, say).
 */
export function effectsOf<Params, Scope, Effect>(map: EffectMap<Params, Scope, Effect>, action: Action, scope: Scope, ignored: (type: string) => boolean = () => false): readonly Effect[] {
  if (Object.hasOwn(map, action.type)) {
    const handler = map[action.type as keyof Params] as (params: unknown, scope: Scope) => readonly Effect[];
    return handler(action.params, scope);
  }
  if (ignored(action.type)) return [];
  throw new Error(`an action nobody carries out: ${action.type}`);
}
