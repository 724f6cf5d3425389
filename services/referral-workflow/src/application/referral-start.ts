import { createMessage, newId, ReferralRequested, type PacketConsent, type PacketEligibility, type ReferralPacket, Refusal } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import type { Outbox } from '@fbl/messaging';
import { initialTransition } from 'xstate';
import { MACHINE_FACTS, splitFacts } from '../domain/packet.js';
import { referenceOf } from '../domain/reference.js';
import { MACHINE_VERSION, referralMachine, type ReferralInput } from '../domain/referral-machine.js';
import { staysInTheWay, type CurrentStay } from '../domain/stays.js';
import type { BedTypeName, Deadlines, KnownFacts, Origin, ReferralKind, ReturnTarget, Urgency } from '../domain/types.js';
import type { Pipeline } from '@fbl/service-kit/pipeline';
import { storeSnapshot } from './machine-host.js';
import { step, type Cause, type Match, type Step } from './referral-steps.js';

/** A new referral, from a discharge planner or from an urgent transfer. */
export interface NewReferral {
  elderRef: string;
  kind?: ReferralKind;
  urgency: Urgency;
  origin: Origin;
  requestedBedTypes: BedTypeName[];
  widerBedTypes?: BedTypeName[];
  requirements?: Record<string, string | boolean>;
  wantsLtci?: boolean;
  facts?: KnownFacts;
  returnTo?: ReturnTarget;
  parentId?: string;
  /** What the planner sends for providers to decide on (转诊资料); its eligibility facts join `facts`. */
  packet?: ReferralPacket;
  /** The elder's consent to share the packet with providers, given when the referral starts. */
  consent?: PacketConsent;
  /** The referring side confirms the elder leaves the bed they are in elsewhere (转床). */
  confirmMove?: boolean;
  /** The provider the sender chose (an urgent transfer's hospital): offered alone while it can take the elder. */
  preferredInstitutionId?: string;
}

/** Runs after the referral's row exists and before it is matched (the packet, its consent and their audit are written there). */
export type Prepare = (tx: Tx, referralId: string, packet: ReferralPacket | undefined) => Promise<void>;

/** What starting a referral reads and writes, besides the step it takes at once. */
export interface StartPorts {
  now(): Date;
  deadlines: { routine: Deadlines; greenChannel: Deadlines };
  currentStays(tx: Tx, elderRef: string): Promise<CurrentStay[]>;
  elderKnown(tx: Tx, elderRef: string): Promise<{ facts: KnownFacts | undefined; homeDivisionCode: string | undefined }>;
  /** Insert the referral's row; answers its running number. */
  create(tx: Tx, row: { id: string; input: ReferralInput; snapshot: ReturnType<typeof storeSnapshot>; movesFrom: CurrentStay[]; originAdmissionId: string | null; parentId: string | null; now: Date }): Promise<number>;
  match(tx: Tx): Match;
  save(tx: Tx, outbox: Outbox, referral: { id: string; machineVersion: number; snapshot: ReturnType<typeof storeSnapshot>; version: number }, step: Step, cause: Cause, now: Date): Promise<void>;
}

/** How long an ability assessment stays current (DOMAIN §2 default: six months). */
const ASSESSMENT_VALID_MS = 183 * 24 * 3600_000;

/** A referral to start, with what runs once its row exists. */
export interface Starting {
  input: NewReferral;
  cause: Cause;
  prepare?: Prepare | undefined;
}

/** What starting a referral reads: the elder's current stays and what the workflow knows of the elder. */
export interface StartFacts {
  id: string;
  now: Date;
  stays: CurrentStay[];
  known: { facts: KnownFacts | undefined; homeDivisionCode: string | undefined };
}

/** The referral as it is born: the machine's input and initial transition, the packet, the stays it moves from. */
export interface Born {
  kind: ReferralKind;
  movesFrom: CurrentStay[];
  packet: ReferralPacket | undefined;
  machineInput: ReferralInput;
  first: ReturnType<typeof initialTransition<typeof referralMachine>>;
}

/** A started referral, ready for its first step. */
export interface Started {
  stored: { id: string; machineVersion: number; snapshot: ReturnType<typeof storeSnapshot>; version: number };
  first: Born['first'];
  journey: Cause;
  now: Date;
}

/**
 * Whether the referral may start and what it is when it does (pure): a person's referral may not
 * put the elder into a second bed beside one held elsewhere unless it is a confirmed move.
 */
export function bear(facts: StartFacts, input: NewReferral, deadlines: StartPorts['deadlines']): Born {
  const kind = input.kind ?? 'discharge';
  const movesFrom = kind === 'discharge' ? staysInTheWay(facts.stays, input.origin, [...input.requestedBedTypes, ...(input.widerBedTypes ?? [])]) : [];
  if (movesFrom.length > 0 && input.confirmMove !== true) {
    throw new Refusal('conflict', `the elder is in ${movesFrom.map((m) => `a ${m.bedType} bed`).join(' and ')} elsewhere: a referral into another bed must be confirmed as a move (confirmMove: true)`, {
      code: 'elder-in-bed',
      title: 'The elder is in another bed',
      fields: [{ field: 'confirmMove', pointer: '/confirmMove', in: 'body', reason: 'must be true: the elder is in another bed and leaves it by this referral' }],
    });
  }
  const { known, now } = facts;
  // The facts a planner answers live in the sealed packet; the machine keeps only those it reads itself.
  const given = splitFacts(input.facts ?? {});
  // The route validated the separate facts against the same schema as the packet's eligibility.
  const eligibility: PacketEligibility = { ...(given.packet as PacketEligibility), ...(input.packet?.eligibility ?? {}) };
  const packet: ReferralPacket | undefined = input.packet || Object.keys(eligibility).length > 0 ? { ...(input.packet ?? {}), ...(Object.keys(eligibility).length > 0 ? { eligibility } : {}) } : undefined;
  const machineFacts = Object.fromEntries(MACHINE_FACTS.flatMap((k) => (eligibility[k] === undefined ? [] : [[k, eligibility[k]]])));
  const merged: KnownFacts = { ...(known.homeDivisionCode ? { homeDivisionCode: known.homeDivisionCode } : {}), ...(known.facts ?? {}), ...given.other, ...machineFacts };
  const assessedOn = typeof merged.abilityAssessedOn === 'string' ? Date.parse(merged.abilityAssessedOn) : NaN;
  const machineInput: ReferralInput = {
    referralId: facts.id,
    elderRef: input.elderRef,
    kind,
    urgency: input.urgency,
    origin: input.origin,
    requestedBedTypes: input.requestedBedTypes,
    widerBedTypes: input.widerBedTypes ?? [],
    ...(input.requirements ? { requirements: input.requirements } : {}),
    wantsLtci: input.wantsLtci ?? false,
    facts: merged,
    abilityCurrent: typeof merged.abilityLevel === 'number' && !Number.isNaN(assessedOn) && now.getTime() - assessedOn <= ASSESSMENT_VALID_MS,
    deadlines: input.urgency === 'green-channel' ? deadlines.greenChannel : deadlines.routine,
    ...(input.returnTo ? { returnTo: input.returnTo } : {}),
    ...(input.preferredInstitutionId ? { preferredInstitutionId: input.preferredInstitutionId } : {}),
  };
  return { kind, movesFrom, packet, machineInput, first: initialTransition(referralMachine, machineInput) };
}

/** Starting a referral: load the elder's stays and facts, decide what is born, save its row, packet and announcement. */
export function startPipeline(ports: StartPorts): Pipeline<Starting, StartFacts, Born, Started> {
  return {
    load: async (tx, { input }) => ({
      id: newId(),
      now: ports.now(),
      stays: (input.kind ?? 'discharge') === 'discharge' ? await ports.currentStays(tx, input.elderRef) : [],
      known: await ports.elderKnown(tx, input.elderRef),
    }),
    decide: (facts, { input }) => bear(facts, input, ports.deadlines),
    save: async (tx, outbox, { id, now }, born, { input, cause, prepare }) => {
      const snapshot = storeSnapshot(born.first[0]);
      const number = await ports.create(tx, { id, input: born.machineInput, snapshot, movesFrom: born.movesFrom, originAdmissionId: input.origin.admissionId ?? null, parentId: input.parentId ?? null, now });
      const journey: Cause = { ...cause, origin: { ...cause.origin, correlationId: id } };
      await prepare?.(tx, id, born.packet);
      await outbox.append(tx, [
        createMessage(ReferralRequested, id, {
          referralId: id,
          elderRef: input.elderRef,
          kind: born.kind,
          urgency: input.urgency,
          originInstitutionId: input.origin.institutionId,
          originBedType: input.origin.bedType,
          originDivisionCode: input.origin.divisionCode,
          requestedBedTypes: input.requestedBedTypes,
          reference: referenceOf(number, now),
        }, journey.origin, { time: now }),
      ]);
      return { stored: { id, machineVersion: MACHINE_VERSION, snapshot, version: 0 }, first: born.first, journey, now };
    },
  };
}

/** A new referral's first step, taken at once (eligibility, matching): the started referral is its state. */
export function firstStepPipeline(ports: StartPorts): Pipeline<Started, Started, Step, { id: string; state: string }> {
  return {
    load: async (_tx, started) => started,
    decide: (s, _command, tx) => step(s.stored, { type: 'ReferralRequested' }, s.journey, s.now, ports.match(tx), s.first),
    save: async (tx, outbox, s, taken) => {
      await ports.save(tx, outbox, s.stored, taken, s.journey, s.now);
      return { id: s.stored.id, state: taken.state };
    },
  };
}
