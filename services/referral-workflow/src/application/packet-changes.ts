import type { Principal } from '@fbl/auth';
import { conflict, type PacketConsent, type ReferralPacket } from '@fbl/contracts';
import type { Executor, Tx } from '@fbl/db';
import type { Outbox } from '@fbl/messaging';
import type { AuditOutcome } from '@fbl/privacy';
import type { Pipeline } from '@fbl/service-kit/pipeline';
import type { ConsentState, PacketStore, Recorder } from '../adapters/db/packet-store.js';
import { factsDiffer, factsOfPacket } from '../domain/packet.js';
import type { ReferralEvent } from '../domain/referral-machine.js';
import type { Cause } from './referrals.js';

/** What the packet's changes need of the packets and referrals around them. */
export interface PacketChangePorts {
  store: PacketStore;
  /** The referral's state, its row locked (404 when there is none). */
  lockedState(tx: Tx, referralId: string): Promise<string>;
  apply(tx: Tx, outbox: Outbox, referralId: string, event: ReferralEvent, cause: Cause): Promise<string>;
  audit(db: Executor, who: Principal, action: string, objectId: string, outcome: AuditOutcome, detail?: Record<string, unknown>): Promise<unknown>;
  recorder(who: Principal): Recorder;
}

export interface PacketUpdate {
  referralId: string;
  packet: ReferralPacket;
  who: Principal;
  cause: Cause;
}

/**
 * Whether the referring side may replace a referral's packet, and whether matching runs again
 * (pure): a finished referral keeps its packet as it was; changed eligibility facts ask the
 * referral to match again.
 */
export function decidePacketUpdate(state: string, before: ReferralPacket | undefined, after: ReferralPacket): { rematch: boolean } {
  if (state === 'closed' || state === 'cancelled') throw conflict(`the referral is ${state}: its packet is kept as it was`);
  return { rematch: factsDiffer(factsOfPacket(before), factsOfPacket(after)) };
}

/** Replacing the packet: the referral locked with the packet it has, the rules deciding, the new version and its audit saved, and matching asked again when the facts changed. */
export function packetUpdatePipeline(ports: PacketChangePorts): Pipeline<PacketUpdate, { state: string; before: ReferralPacket | undefined }, { rematch: boolean }, { version: number; state: string; rematched: boolean }> {
  return {
    load: async (tx, { referralId }) => ({ state: await ports.lockedState(tx, referralId), before: (await ports.store.load(tx, referralId))?.packet }),
    decide: (loaded, { packet }) => decidePacketUpdate(loaded.state, loaded.before, packet),
    save: async (tx, outbox, loaded, { rematch }, { referralId, packet, who, cause }) => {
      const version = await ports.store.save(tx, referralId, packet, ports.recorder(who));
      await ports.audit(tx, who, 'write', referralId, 'allowed', { part: 'full', version });
      const state = rematch ? await ports.apply(tx, outbox, referralId, { type: 'PacketUpdated' }, cause) : loaded.state;
      return { version, state, rematched: state !== loaded.state };
    },
  };
}

export interface ConsentChange {
  referralId: string;
  consent: PacketConsent;
  granted: boolean;
  who: Principal;
}

/** Giving or withdrawing consent: the referral locked, the consent recorded and audited; any referral that exists may have its consent changed. */
export function consentPipeline(ports: PacketChangePorts): Pipeline<ConsentChange, string, 'give-consent' | 'withdraw-consent', ConsentState> {
  return {
    load: (tx, { referralId }) => ports.lockedState(tx, referralId),
    decide: (_state, { granted }) => (granted ? 'give-consent' : 'withdraw-consent'),
    save: async (tx, _outbox, _state, action, { referralId, consent, granted, who }) => {
      await ports.store.recordConsent(tx, referralId, consent, granted, ports.recorder(who));
      await ports.audit(tx, who, action, referralId, 'allowed', { givenBy: consent.givenBy, method: consent.method });
      return ports.store.consent(tx, referralId);
    },
  };
}
