import { bedCommandsTopic, createMessage, ReserveBed, type MessageOrigin, type OutgoingMessage } from '@fbl/contracts';
import type { AnyMachineSnapshot } from 'xstate';
import { MACHINE_VERSION, referralMachine, type ReserveBedParams } from '../domain/referral-machine.js';

/** Machines by version; a referral finishes on the version it started on. */
export const machines = { [MACHINE_VERSION]: referralMachine } as const;

/** The machine a stored referral runs on. */
export function machineFor(version: number): typeof referralMachine {
  const machine = (machines as Record<number, typeof referralMachine>)[version];
  if (!machine) throw new Error(`no referral machine of version ${version}`);
  return machine;
}

/** The persisted form of a snapshot: plain JSON. */
export interface StoredSnapshot {
  value: string;
  context: Record<string, unknown>;
}

/** What is stored of a snapshot. */
export function storeSnapshot(snapshot: AnyMachineSnapshot): StoredSnapshot {
  return { value: String(snapshot.value), context: snapshot.context as Record<string, unknown> };
}

/** Restore a stored snapshot on its machine. */
export function restoreSnapshot(version: number, stored: StoredSnapshot) {
  const machine = machineFor(version);
  return machine.resolveState({ value: stored.value, context: stored.context as never });
}

/** An action the pure transition returned. */
export interface MachineAction {
  type: string;
  params: unknown;
}

/**
 * Turn the machine's actions into the messages they stand for. Built-in XState actions
 * (assign and the like) are already applied to the snapshot and send nothing.
 */
export function messagesOfActions(actions: readonly MachineAction[], origin: MessageOrigin, time: Date): OutgoingMessage[] {
  const messages: OutgoingMessage[] = [];
  for (const action of actions) {
    if (action.type.startsWith('xstate.')) continue;
    switch (action.type) {
      case 'reserveBed': {
        const p = action.params as ReserveBedParams;
        messages.push(createMessage(ReserveBed, p.institutionId, p, origin, { time, topic: bedCommandsTopic(p.bedType) }));
        break;
      }
      default:
        throw new Error(`the referral machine emitted an action nobody sends: ${action.type}`);
    }
  }
  return messages;
}
