import { assign, setup } from 'xstate';

/**
 * The referral machine: one elder's journey toward one bed. Pure: no I/O, no clock, no ids.
 * Its actions only name the commands to send; the host turns them into outbox rows.
 *
 * Version 1 is the walking skeleton: requested → bed held → admitted.
 */
export const MACHINE_VERSION = 1;

export interface ReferralContext {
  referralId: string;
  elderRef: string;
  institutionId: string;
  holdId?: string;
  bedId?: string;
  rejection?: string;
}

export interface ReferralInput {
  referralId: string;
  elderRef: string;
  institutionId: string;
}

/** Events the machine reacts to: the bed service's answers, named like the messages. */
export type ReferralEvent =
  | { type: 'BedHeld'; holdId: string; bedId: string }
  | { type: 'BedHoldRejected'; reasonCode: string; detail?: string }
  | { type: 'AdmissionRecorded'; holdId: string };

/** Parameters of the `reserveBed` action: the command the host sends. */
export interface ReserveBedParams {
  referralId: string;
  institutionId: string;
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
  context: ({ input }) => ({ referralId: input.referralId, elderRef: input.elderRef, institutionId: input.institutionId }),
  initial: 'requested',
  states: {
    requested: {
      entry: { type: 'reserveBed', params: ({ context }) => ({ referralId: context.referralId, institutionId: context.institutionId }) },
      on: {
        BedHeld: { target: 'bedHeld', actions: assign({ holdId: ({ event }) => event.holdId, bedId: ({ event }) => event.bedId }) },
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
