import { careBedsMessages } from './messages/care-beds.js';
import { referralMessages } from './messages/referral.js';
import type { MessageDefinition } from './registry.js';

/** Every message definition of the system, for registries that read any topic. */
export const allMessages: readonly MessageDefinition[] = [...careBedsMessages, ...referralMessages];
