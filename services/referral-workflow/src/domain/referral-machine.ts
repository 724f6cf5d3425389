import { assign, setup } from 'xstate';

/**
 * The referral machine: one elder's journey toward one bed. Pure: no I/O, no clock, no ids.
 * Its actions only name the commands to send; the host turns them into outbox rows.
 *
 * Version 1 is the walking skeleton: requested → bed held → admitted.
 */
export const MACHINE_VERSION = 1;

/** The bed types, as the workflow names them (the same names as the bed services'). */
export type BedTypeName = 'care' | 'medical' | 'home-care' | 'home-sick' | 'hospice';

export interface ReferralContext {
  referralId: string;
  elderRef: string;
  institutionId: string;
  bedType: BedTypeName;
  requirements?: Record<string, string | boolean>;
  holdId?: string;
  unitId?: string;
  rejection?: string;
}

export interface ReferralInput {
  referralId: string;
  elderRef: string;
  institutionId: string;
  bedType: BedTypeName;
  requirements?: Record<string, string | boolean>;
}

/** Events the machine reacts to: the bed service's answers, named like the messages. */
export type ReferralEvent =
  | { type: 'BedHeld'; holdId: string; unitId: string }
  | { type: 'BedHoldRejected'; reasonCode: string; detail?: string }
  | { type: 'AdmissionRecorded'; holdId: string };

/** Parameters of the `reserveBed` action: the command the host sends. */
export interface ReserveBedParams {
  referralId: string;
  institutionId: string;
  bedType: BedTypeName;
  elderRef: string;
  requirements?: Record<string, string | boolean>;
}

export const referralMachine = setup({
  types: {
    context: {} as ReferralContext,
    events: {} as ReferralEvent,
    input: {} as ReferralInput,
  },
  actions: {
    /** Ask the chosen institution to hold a bed. Bound by the host to a ReserveBed command. */
    reserveBed: (_args, _params: ReserveBedParams) => {},
  },
  guards: {
    isOurHold: ({ context, event }) => event.type === 'AdmissionRecorded' && event.holdId === context.holdId,
  },
}).createMachine({
  id: 'referral',
  context: ({ input }) => ({ ...input }),
  initial: 'requested',
  states: {
    requested: {
      entry: {
        type: 'reserveBed',
        params: ({ context }) => ({
          referralId: context.referralId,
          institutionId: context.institutionId,
          bedType: context.bedType,
          elderRef: context.elderRef,
          ...(context.requirements ? { requirements: context.requirements } : {}),
        }),
      },
      on: {
        BedHeld: { target: 'bedHeld', actions: assign({ holdId: ({ event }) => event.holdId, unitId: ({ event }) => event.unitId }) },
        BedHoldRejected: { target: 'rejected', actions: assign({ rejection: ({ event }) => event.reasonCode }) },
      },
    },
    bedHeld: {
      on: { AdmissionRecorded: { target: 'admitted', guard: 'isOurHold' } },
    },
    admitted: { type: 'final' },
    rejected: { type: 'final' },
  },
});

/** The state names of the machine. */
export type ReferralState = 'requested' | 'bedHeld' | 'admitted' | 'rejected';
