import { compileChecker, describeFieldErrors } from '@fbl/contracts';
import { ConfigError } from '@fbl/service-kit';
import Type, { type Static } from 'typebox';
import { GREEN_CHANNEL_DEADLINES, ROUTINE_DEADLINES, type Deadlines } from './domain/types.js';

const Seconds = Type.Optional(Type.String({ pattern: '^[1-9][0-9]*$' }));
const DeadlineEnv = Type.Object({
  ASSESSMENT_DEADLINE_SECONDS: Seconds,
  LTCI_DEADLINE_SECONDS: Seconds,
  OFFER_DEADLINE_SECONDS: Seconds,
  CHOICE_DEADLINE_SECONDS: Seconds,
  FOLLOW_UP_DEADLINE_SECONDS: Seconds,
  GREEN_CHANNEL_OFFER_DEADLINE_SECONDS: Seconds,
  GREEN_CHANNEL_CHOICE_DEADLINE_SECONDS: Seconds,
});
const checker = compileChecker<Static<typeof DeadlineEnv>>(DeadlineEnv);

/** The referral deadlines of routine and green-channel referrals, from an environment over the defaults. */
export function readDeadlines(env: Record<string, string | undefined>): { routine: Deadlines; greenChannel: Deadlines } {
  const picked = Object.fromEntries(Object.keys(DeadlineEnv.properties).flatMap((k) => (env[k] ? [[k, env[k]]] : [])));
  if (!checker.check(picked)) throw new ConfigError(`invalid referral-workflow configuration: ${describeFieldErrors(checker.errors(picked))}`);
  const ms = (key: keyof Static<typeof DeadlineEnv>, fallback: number) => (picked[key] ? Number(picked[key]) * 1000 : fallback);
  const routine: Deadlines = {
    assessmentMs: ms('ASSESSMENT_DEADLINE_SECONDS', ROUTINE_DEADLINES.assessmentMs),
    ltciMs: ms('LTCI_DEADLINE_SECONDS', ROUTINE_DEADLINES.ltciMs),
    offerMs: ms('OFFER_DEADLINE_SECONDS', ROUTINE_DEADLINES.offerMs),
    choiceMs: ms('CHOICE_DEADLINE_SECONDS', ROUTINE_DEADLINES.choiceMs),
    followUpMs: ms('FOLLOW_UP_DEADLINE_SECONDS', ROUTINE_DEADLINES.followUpMs),
  };
  const greenChannel: Deadlines = {
    ...GREEN_CHANNEL_DEADLINES,
    followUpMs: routine.followUpMs,
    offerMs: ms('GREEN_CHANNEL_OFFER_DEADLINE_SECONDS', GREEN_CHANNEL_DEADLINES.offerMs),
    choiceMs: ms('GREEN_CHANNEL_CHOICE_DEADLINE_SECONDS', GREEN_CHANNEL_DEADLINES.choiceMs),
  };
  return { routine, greenChannel };
}

/** Days an attachment's bytes are kept after its referral ended (`ATTACHMENT_RETENTION_DAYS`, default 90). */
export function readRetentionDays(env: Record<string, string | undefined>): number {
  const text = env['ATTACHMENT_RETENTION_DAYS']?.trim();
  if (!text) return 90;
  if (!/^[0-9]{1,5}$/.test(text)) throw new ConfigError(`invalid referral-workflow configuration: ATTACHMENT_RETENTION_DAYS must be a whole number of days, got ${JSON.stringify(text)}`);
  return Number(text);
}
