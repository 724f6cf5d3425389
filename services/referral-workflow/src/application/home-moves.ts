import type { ReferralPacket } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import type { Outbox } from '@fbl/messaging';
import { serviceActor, type AuditLog } from '@fbl/privacy';
import type { PacketStore } from '../adapters/db/packet-store.js';
import type { ReferralEvent } from '../domain/referral-machine.js';
import { decidePacketUpdate } from './packet-changes.js';
import type { Cause } from './referral-steps.js';

/** What a moved home needs of the referrals and their packets. */
export interface HomeMovePorts {
  store: PacketStore;
  log: AuditLog;
  lockedState(tx: Tx, referralId: string): Promise<string>;
  apply(tx: Tx, outbox: Outbox, referralId: string, event: ReferralEvent, cause: Cause): Promise<string>;
  now(): Date;
}

/**
 * Civil affairs corrected the elder's home (PIPL art. 46): an unfinished referral's packet takes
 * the new home division as a new version (written and audited as civil affairs'),
 * so every later matching judges the home beds by it; a referral that had stopped for want of a
 * provider is matched again at once, as after any change of its eligibility facts. Offers already
 * out stand: the provider still answers, and the bed service still decides the hold.
 */
export async function applyHomeMove(ports: HomeMovePorts, tx: Tx, outbox: Outbox, referralId: string, divisionCode: string, cause: Cause): Promise<'moved' | 'unchanged'> {
  const state = await ports.lockedState(tx, referralId);
  const loaded = await ports.store.load(tx, referralId);
  if (!loaded || loaded.packet.eligibility?.homeDivisionCode === divisionCode) return 'unchanged';
  const packet: ReferralPacket = { ...loaded.packet, eligibility: { ...loaded.packet.eligibility, homeDivisionCode: divisionCode } };
  const { rematch } = decidePacketUpdate(state, loaded.packet, packet);
  const version = await ports.store.save(tx, referralId, packet, { userId: cause.actor, at: ports.now() });
  await ports.log.write(tx, { actor: serviceActor(cause.actor), action: 'write', objectType: 'referral-packet', objectId: referralId, outcome: 'allowed', detail: { part: 'home', version } });
  if (rematch) await ports.apply(tx, outbox, referralId, { type: 'PacketUpdated' }, cause);
  return 'moved';
}
