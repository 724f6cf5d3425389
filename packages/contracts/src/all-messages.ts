import { bedMessages } from './messages/beds.js';
import { elderRightsMessages } from './messages/elder-rights.js';
import { eligibilityMessages } from './messages/eligibility.js';
import { insuranceMessages } from './messages/insurance.js';
import { referralMessages } from './messages/referral.js';
import { visitTimerMessages } from './messages/visit-timers.js';
import { visitMessages } from './messages/visits.js';
import type { MessageDefinition } from './registry.js';

/** Every message definition of the system, for registries that read any topic. */
export const allMessages: readonly MessageDefinition[] = [...bedMessages, ...referralMessages, ...eligibilityMessages, ...insuranceMessages, ...visitMessages, ...visitTimerMessages, ...elderRightsMessages];
