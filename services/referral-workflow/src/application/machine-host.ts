import type { AnyMachineSnapshot, StateValue } from 'xstate';
import { MACHINE_VERSION, referralMachine } from '../domain/referral-machine.js';

/**
 * Machines by version. A referral finishes on the version it started on; when a version is
 * retired, its stored snapshots are moved by an explicit migration (see `migrateSnapshot`).
 */
export const machines = { [MACHINE_VERSION]: referralMachine } as const;

/** The machine a stored referral runs on. */
export function machineFor(version: number): typeof referralMachine {
  const machine = (machines as Record<number, typeof referralMachine>)[version];
  if (!machine) throw new Error(`no referral machine of version ${version}; migrate its snapshots first`);
  return machine;
}

/** The persisted form of a snapshot: plain JSON. */
export interface StoredSnapshot {
  value: StateValue;
  context: Record<string, unknown>;
  status: 'active' | 'done' | 'error' | 'stopped';
}

/** What is stored of a snapshot. */
export function storeSnapshot(snapshot: AnyMachineSnapshot): StoredSnapshot {
  return { value: snapshot.value, context: snapshot.context as Record<string, unknown>, status: snapshot.status };
}

/** The top-level state name of a state value (`{ eligibility: {...} }` → `eligibility`). */
export function topState(value: StateValue): string {
  return typeof value === 'string' ? value : (Object.keys(value)[0] ?? 'unknown');
}

/** Restore a stored snapshot on its machine. */
export function restoreSnapshot(version: number, stored: StoredSnapshot) {
  return machineFor(version).resolveState({ value: stored.value, context: stored.context as never });
}

/**
 * Move a snapshot stored by machine version 1 (requested → bedHeld → admitted, care beds only)
 * onto version 2: requested becomes reserving with one accepted, chosen offer; bedHeld becomes
 * transferring; admitted becomes followUp. Tested; run by the host when it loads a version-1 row.
 */
export function migrateSnapshot(version: number, stored: StoredSnapshot, ids: { offerId: string }): { version: number; stored: StoredSnapshot } {
  if (version === MACHINE_VERSION) return { version, stored };
  if (version !== 1) throw new Error(`no migration from referral machine version ${version}`);
  const c = stored.context as { referralId: string; elderRef: string; institutionId: string; bedType?: string; holdId?: string; unitId?: string; requirements?: Record<string, string | boolean> };
  const bedType = (c.bedType ?? 'care') as 'care';
  const value = ({ requested: 'reserving', bedHeld: 'transferring', admitted: 'followUp', rejected: 'escalated' } as Record<string, string>)[String(stored.value)] ?? 'escalated';
  const context = {
    referralId: c.referralId,
    elderRef: c.elderRef,
    kind: 'discharge',
    urgency: 'routine',
    origin: { institutionId: c.institutionId, bedType: 'medical', divisionCode: '370000' },
    requestedBedTypes: [bedType],
    widerBedTypes: [],
    ...(c.requirements ? { requirements: c.requirements } : {}),
    wantsLtci: false,
    facts: {},
    abilityCurrent: true,
    deadlines: { assessmentMs: 72 * 3600_000, ltciMs: 72 * 3600_000, offerMs: 24 * 3600_000, choiceMs: 48 * 3600_000, followUpMs: 7 * 24 * 3600_000 },
    widened: false,
    offers: [{ offerId: ids.offerId, institutionId: c.institutionId, bedType, rank: 1, status: 'accepted' }],
    chosenOfferId: ids.offerId,
    ...(c.holdId ? { hold: { holdId: c.holdId, unitId: c.unitId ?? c.holdId, institutionId: c.institutionId, bedType } } : {}),
    // Version 1 recorded the arrival but not the stay's id: the marker keeps a cancel from releasing an occupied bed.
    ...(value === 'followUp' ? { admissionId: 'admitted-before-version-2' } : {}),
    originDischarged: false,
    followUpLate: false,
    ...(value === 'escalated' ? { escalation: 'the bed could not be held (migrated from version 1)' } : {}),
  };
  return { version: MACHINE_VERSION, stored: { value, context, status: 'active' } };
}
