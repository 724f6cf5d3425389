/**
 * Topic and key builders. Topics are `<context>.events` and `<context>.commands`; dead letters
 * go to `<topic>.dlq`. The Kafka key is always the aggregate id (the envelope's subject), so
 * each aggregate's messages keep their order within one partition.
 */

/** Topic carrying the facts a bounded context publishes. */
export function eventsTopic(context: string): string {
  return `${context}.events`;
}

/** Topic carrying the requests addressed to a bounded context. */
export function commandsTopic(context: string): string {
  return `${context}.commands`;
}

/** Dead-letter topic of a topic. */
export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** Whether a topic is a dead-letter topic. */
export function isDlqTopic(topic: string): boolean {
  return topic.endsWith('.dlq');
}

/** The message key of an aggregate: its id. */
export function messageKey(subject: string): string {
  return subject;
}
