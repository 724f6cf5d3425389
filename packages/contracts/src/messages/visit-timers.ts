import Type from 'typebox';
import { defineMessage } from '../registry.js';
import { commandsTopic } from '../topics.js';
import { Instant, Literals, Uuid } from './common.js';

// Nominal topic; a home bed service sends these to its own commands topic.
const commands = commandsTopic('visits');

/**
 * A timer's message of a home bed service: a visit's window ended. The service flags the visit
 * missed unless it was checked in (or cancelled) meanwhile. Subject: the institution.
 */
export const FlagVisitMissed = defineMessage({
  type: 'FlagVisitMissed',
  version: 1,
  kind: 'command',
  topic: commands,
  schema: Type.Object({ visitId: Uuid, institutionId: Uuid, bedType: Literals(['home-care', 'home-sick']), windowEnd: Instant }),
});

/**
 * A timer's message of a home bed service: a service plan's visits are laid out only some weeks
 * ahead; when the laid-out part runs short the service lays out the next weeks. Subject: the institution.
 */
export const ExtendVisitSchedule = defineMessage({
  type: 'ExtendVisitSchedule',
  version: 1,
  kind: 'command',
  topic: commands,
  schema: Type.Object({ planId: Uuid, institutionId: Uuid, bedType: Literals(['home-care', 'home-sick']), until: Instant }),
});

/** The timer commands of home bed visits. */
export const visitTimerMessages = [FlagVisitMissed, ExtendVisitSchedule] as const;
