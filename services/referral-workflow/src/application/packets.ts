import type { Principal } from '@fbl/auth';
import type { FollowUpRecord, PacketConsent, ReferralPacket } from '@fbl/contracts';
import type { Executor, Tx } from '@fbl/db';
import type { Outbox } from '@fbl/messaging';
import { userActor, type AuditLog, type AuditOutcome } from '@fbl/privacy';
import { run, type ServicePorts } from '@fbl/service-kit/pipeline';
import { outOfScope, Refusal } from '@fbl/contracts';
import { ageBand, clinicalPart, disclosureOf, elderSummary, factsOfPacket, missingFacts, packetAccessOf, type Disclosure, type PacketAccess, type PacketSummary } from '../domain/packet.js';

export type { PacketSummary } from '../domain/packet.js';
import type { ReferralContext } from '../domain/referral-machine.js';
import type { KnownFacts } from '../domain/types.js';
import type { ConsentState, PacketStore, Recorder } from '../adapters/db/packet-store.js';
import { applyHomeMove, type HomeMovePorts } from './home-moves.js';
import { consentPipeline, packetUpdatePipeline, type PacketChangePorts } from './packet-changes.js';
import type { Cause, Parties, Referrals } from './referrals.js';

/** A referral as the packet's rules see it, for one reader. */
export interface PacketStanding {
  referralId: string;
  elderRef: string;
  state: string;
  context: ReferralContext;
  parties: Parties;
  access: PacketAccess;
  consent: ConsentState;
  disclosure: Disclosure;
}

/**
 * The referral packet's use cases: written by the referring side (at the start, then as it learns
 * more), consent given and withdrawn, and read by each party as far as its standing allows. Every
 * read and change, allowed or refused, writes an audit row naming the account, the referral and
 * the part read.
 */
export class Packets {
  constructor(
    private readonly ports: ServicePorts,
    private readonly referrals: Referrals,
    private readonly store: PacketStore,
    private readonly log: AuditLog,
  ) {
    const changes: PacketChangePorts = {
      store,
      lockedState: async (tx, referralId) => (await referrals.lock(tx, referralId)).state,
      apply: (tx, outbox, referralId, event, cause) => referrals.apply(tx, outbox, referralId, event, cause),
      audit: (db, who, action, objectId, outcome, detail) => this.audit(db, who, action, objectId, outcome, detail),
      recorder: (who) => this.recorder(who),
    };
    this.homeMoves = { store, log, lockedState: changes.lockedState, apply: changes.apply, now: () => this.now };
    this.updating = packetUpdatePipeline(changes);
    this.consenting = consentPipeline(changes);
  }

  private readonly homeMoves: HomeMovePorts;
  private readonly updating: ReturnType<typeof packetUpdatePipeline>;
  private readonly consenting: ReturnType<typeof consentPipeline>;

  private get now(): Date {
    return this.ports.clock();
  }

  private recorder(who: Principal): Recorder {
    return { userId: who.userId, name: who.name, at: this.now };
  }

  /** Audit an access to a referral's packet (or, with `objectType`, an attachment). */
  audit(db: Executor, who: Principal, action: string, objectId: string, outcome: AuditOutcome, detail?: Record<string, unknown>, objectType = 'referral-packet') {
    return this.log.write(db, { actor: userActor(who), action, objectType, objectId, outcome, ...(detail ? { detail } : {}) });
  }

  /** Audit a refusal in a transaction of its own, so it survives the refusal. */
  auditAlone(who: Principal, action: string, objectId: string, outcome: AuditOutcome, detail?: Record<string, unknown>, objectType = 'referral-packet') {
    return this.log.alone({ actor: userActor(who), action, objectType, objectId, outcome, ...(detail ? { detail } : {}) });
  }

  /** How a reader stands to a referral's packet now; undefined when the referral does not exist. */
  async standing(db: Executor, referralId: string, who: Principal, options: { lock?: boolean } = {}): Promise<PacketStanding | undefined> {
    const found = await this.referrals.queries.withParties(db, referralId, options.lock);
    if (!found) return undefined;
    const { context, parties } = found;
    const access = packetAccessOf({ ...parties, offers: parties.offerList }, who);
    const consent = await this.store.consent(db, referralId);
    return { referralId, elderRef: found.elderRef, state: found.state, context, parties, access, consent, disclosure: disclosureOf(access, consent.granted) };
  }

  /**
   * The standing of a reader who must see the packet (`need`: the clinical part, or all of it);
   * otherwise the refusal is audited and thrown: 404 for no referral, 403 for anyone else (a
   * party kept out by missing consent is told so, nothing more).
   */
  async admit(referralId: string, who: Principal, action: string, need: 'clinical' | 'full' | 'referrer', objectType = 'referral-packet', detail?: Record<string, unknown>): Promise<PacketStanding> {
    const standing = await this.standing(this.ports.database.db, referralId, who);
    if (!standing) {
      await this.auditAlone(who, action, referralId, 'not-found', detail, objectType);
      throw new Refusal('not-found', `referral ${referralId} was not found`);
    }
    const allowed = need === 'referrer' ? standing.access === 'referrer' : need === 'full' ? standing.disclosure.level === 'full' : standing.disclosure.level !== 'none';
    if (!allowed) {
      await this.auditAlone(who, action, referralId, 'denied', detail, objectType);
      if (standing.disclosure.level === 'none' && standing.disclosure.withheld === 'no-consent') {
        throw new Refusal('forbidden', "the elder's consent to share the referral packet with providers is not on record", { code: 'consent-required', title: 'Not shared' });
      }
      throw outOfScope('referral');
    }
    return standing;
  }

  /** Write the packet and the consent a referral starts with, in the transaction that starts it. */
  async writeAtStart(tx: Tx, referralId: string, packet: ReferralPacket | undefined, consent: PacketConsent | undefined, who: Principal): Promise<void> {
    const by = this.recorder(who);
    if (packet) {
      await this.store.save(tx, referralId, packet, by);
      await this.audit(tx, who, 'write', referralId, 'allowed', { part: 'full', version: 1 });
    }
    if (consent) {
      await this.store.recordConsent(tx, referralId, consent, true, by);
      await this.audit(tx, who, 'give-consent', referralId, 'allowed', { givenBy: consent.givenBy, method: consent.method });
    }
  }

  /**
   * The referring side replaces the packet with a new version. When its eligibility facts changed
   * and the referral stopped because no provider could take it, matching runs again at once.
   */
  async update(referralId: string, packet: ReferralPacket, who: Principal, cause: Cause): Promise<{ version: number; state: string; rematched: boolean }> {
    await this.admit(referralId, who, 'write', 'referrer');
    return run(this.ports.transact, this.updating, { referralId, packet, who, cause });
  }

  /** Civil affairs corrected the elder's home: the referral's packet takes the new division (see `applyHomeMove`). */
  homeMoved = (tx: Tx, outbox: Outbox, referralId: string, divisionCode: string, cause: Cause) => applyHomeMove(this.homeMoves, tx, outbox, referralId, divisionCode, cause);

  /** Keep the receiver's follow-up with the step that closes the loop (in the decision's transaction). */
  async recordFollowUp(tx: Tx, referralId: string, record: FollowUpRecord, who: Principal): Promise<void> {
    await this.store.saveFollowUp(tx, referralId, record, this.recorder(who));
    await this.audit(tx, who, 'record-follow-up', referralId, 'allowed', undefined, 'follow-up');
  }

  /**
   * The follow-up as the referring side and the receiver read it (both took part in it, consent
   * aside: the receiver wrote it). Anyone else is refused and audited; null before it was recorded.
   */
  async readFollowUp(referralId: string, who: Principal) {
    const standing = await this.standing(this.ports.database.db, referralId, who);
    if (!standing) {
      await this.auditAlone(who, 'read', referralId, 'not-found', undefined, 'follow-up');
      throw new Refusal('not-found', `referral ${referralId} was not found`);
    }
    if (standing.access !== 'referrer' && standing.access !== 'receiver') {
      await this.auditAlone(who, 'read', referralId, 'denied', undefined, 'follow-up');
      throw outOfScope('referral');
    }
    return this.ports.transact(async (tx) => {
      const found = await this.store.followUp(tx, referralId);
      if (found) await this.audit(tx, who, 'read', referralId, 'allowed', undefined, 'follow-up');
      return found ?? null;
    });
  }

  /** Keep a provider's own words on its decline, sealed (they may name the elder's health needs). */
  async noteDecline(tx: Tx, offerId: string, note: string): Promise<void> {
    await this.store.saveDeclineNote(tx, offerId, note);
  }

  /** Record the elder's (or guardian's, or agent's) consent to share the packet with providers. */
  async giveConsent(referralId: string, consent: PacketConsent, who: Principal): Promise<ConsentState> {
    return this.changeConsent(referralId, consent, true, who);
  }

  /** Record that consent was withdrawn: from now on providers see nothing of the packet. */
  async withdrawConsent(referralId: string, withdrawal: PacketConsent, who: Principal): Promise<ConsentState> {
    return this.changeConsent(referralId, withdrawal, false, who);
  }

  private async changeConsent(referralId: string, consent: PacketConsent, granted: boolean, who: Principal): Promise<ConsentState> {
    await this.admit(referralId, who, granted ? 'give-consent' : 'withdraw-consent', 'referrer');
    return run(this.ports.transact, this.consenting, { referralId, consent, granted, who });
  }

  /** The packet as this reader may see it, with what is known of the elder's functioning and what the rules still lack. */
  async read(referralId: string, who: Principal) {
    const standing = await this.admit(referralId, who, 'read', 'clinical');
    const { db } = this.ports.database;
    const level = standing.disclosure.level as 'full' | 'clinical';
    const stored = await this.store.load(db, referralId);
    const packet = stored ? (level === 'full' ? stored.packet : clinicalPart(stored.packet)) : {};
    const profile = await this.store.profile(db, standing.elderRef);
    const facts: KnownFacts = { ...standing.context.facts, ...factsOfPacket(stored?.packet) };
    await this.audit(db, who, 'read', referralId, 'allowed', { part: level });
    const { consent } = standing;
    return {
      referralId,
      disclosure: level,
      version: stored?.version ?? 0,
      updatedAt: stored?.updatedAt.toISOString() ?? null,
      elder: {
        ageBand: profile ? ageBand(profile.birthYear, this.now) : null,
        sex: profile?.gender ?? null,
        countyCode: facts.homeDivisionCode ?? profile?.divisionCode ?? null,
      },
      functional: {
        abilityLevel: typeof facts.abilityLevel === 'number' ? facts.abilityLevel : null,
        abilityAssessedOn: typeof facts.abilityAssessedOn === 'string' ? facts.abilityAssessedOn : null,
        ltciGrade: typeof facts.ltciGrade === 'number' ? facts.ltciGrade : null,
        ltciAuthorised: typeof facts.ltciAuthorised === 'boolean' ? facts.ltciAuthorised : null,
      },
      packet,
      consent: {
        granted: consent.granted,
        givenBy: consent.givenBy ?? null,
        method: consent.method ?? null,
        recordedAt: consent.recordedAt ?? null,
        recordedByName: consent.recordedByName ?? null,
        ...(level === 'full' && consent.giverName ? { giverName: consent.giverName } : {}),
      },
      missing: missingFacts(standing.context.requestedBedTypes, facts, this.now, standing.context.requirements),
    };
  }

  /**
   * What an inbox shows of each live offer's packet, for a provider's staff: only where the
   * offer is still live and the elder consented; each summary read is audited.
   */
  async summaries(who: Principal, items: readonly { referralId: string; elderRef: string; live: boolean }[]): Promise<Map<string, PacketSummary>> {
    const { db } = this.ports.database;
    const shown = new Map<string, PacketSummary>();
    for (const item of items) {
      if (!item.live || shown.has(item.referralId)) continue;
      const consent = await this.store.consent(db, item.referralId);
      if (!consent.granted) continue;
      const stored = await this.store.load(db, item.referralId);
      const profile = await this.store.profile(db, item.elderRef);
      const known = await this.store.knownFacts(db, item.elderRef);
      const facts: KnownFacts = { ...known, ...factsOfPacket(stored?.packet) };
      shown.set(item.referralId, {
        basis: 'consent',
        ...elderSummary(profile, facts, this.now),
        diagnoses: stored?.packet.diagnoses ?? [],
        careNeeds: (stored?.packet.careNeeds ?? []).map((n) => n.code),
        reason: stored?.packet.reason ?? null,
        transferReason: null,
      });
    }
    if (shown.size > 0) await this.log.write(db, ...[...shown.keys()].map((referralId) => ({ actor: userActor(who), action: 'read', objectType: 'referral-packet', objectId: referralId, outcome: 'allowed' as const, detail: { part: 'summary' } })));
    return shown;
  }
}
