import { v7 as uuidv7 } from 'uuid';

/** A new time-ordered id (UUIDv7, RFC 9562) for messages and aggregates. */
export function newId(): string {
  return uuidv7();
}

/** Source of ids, passed into application code so tests can make ids deterministic. */
export type IdSource = () => string;
