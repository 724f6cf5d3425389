import { chinaTime, t, type Lang } from './i18n.js';

/** Who or what took a step, as the API names it. */
export type StepActor =
  | { kind: 'person'; name: string | null; role: string | null; institutionName: string | null }
  | { kind: 'service'; service: string; institutionName: string | null }
  | { kind: 'deadline'; deadline: string };

/** One step of a referral's timeline. */
export interface Step {
  at: string;
  event: string;
  to: string;
  actor: StepActor;
}

/** A state's name in the reader's language (stages of an open referral, or its end). */
export const stateLabel = (lang: Lang, state: string) => (t(lang, `stage_${state}`) !== `stage_${state}` ? t(lang, `stage_${state}`) : t(lang, `state_${state}`));

/** Who took a step, in words: a person by name (or role) and institution, an institution's system, or a deadline. */
export function actorText(lang: Lang, actor: StepActor): string {
  switch (actor.kind) {
    case 'person': {
      const who = actor.name ?? (actor.role ? t(lang, `role_${actor.role}`) : t(lang, 'actor_system'));
      return actor.institutionName ? `${who}（${actor.institutionName}）` : who;
    }
    case 'service': {
      const where = actor.institutionName ?? t(lang, `service_${actor.service}`);
      return `${where}（${t(lang, 'actor_system')}）`;
    }
    case 'deadline':
      return t(lang, 'actor_deadline');
  }
}

/** What happened at a step, in words. */
export const eventText = (lang: Lang, event: string) => (t(lang, `event_${event}`) !== `event_${event}` ? t(lang, `event_${event}`) : stateLabel(lang, event));

/** A referral's steps: when, what happened, the state it led to, and who. */
export function Timeline({ lang, steps }: { lang: Lang; steps: Step[] }) {
  return (
    <ol class="timeline">
      {steps.map((s, i) => (
        <li key={i} data-event={s.event}>
          <time>{chinaTime(lang, s.at)}</time> · <strong>{eventText(lang, s.event)}</strong> → {stateLabel(lang, s.to)} · <span class="actor">{actorText(lang, s.actor)}</span>
        </li>
      ))}
    </ol>
  );
}
