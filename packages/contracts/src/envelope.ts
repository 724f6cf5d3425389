import Type, { type Static } from 'typebox';

/**
 * The one envelope every message travels in, event or command, over Kafka or in process.
 * `data` is validated against the schema registered for `type` + `version`.
 */
export const EnvelopeSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    type: Type.String({ minLength: 1, maxLength: 100 }),
    version: Type.Integer({ minimum: 1 }),
    source: Type.String({ minLength: 1, maxLength: 100 }),
    subject: Type.String({ minLength: 1, maxLength: 200 }),
    time: Type.String({ format: 'date-time' }),
    correlationId: Type.String({ minLength: 1, maxLength: 200 }),
    causationId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    traceparent: Type.Optional(Type.String({ pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$' })),
    data: Type.Unknown(),
  },
  { additionalProperties: false },
);

/** An envelope whose data has not been checked yet. */
export type RawEnvelope = Static<typeof EnvelopeSchema>;

/** An envelope whose data is known to match its message definition. */
export interface Envelope<TType extends string = string, TData = unknown> {
  id: string;
  type: TType;
  version: number;
  source: string;
  subject: string;
  time: string;
  correlationId: string;
  causationId?: string;
  traceparent?: string;
  data: TData;
}

/** What a producer says about where a message comes from and what caused it. */
export interface MessageOrigin {
  /** The service that publishes it. */
  source: string;
  /** The journey this message belongs to; defaults to the causing message's, else the subject. */
  correlationId?: string;
  /** The id of the message (or request) that caused this one. */
  causationId?: string;
  traceparent?: string;
}

/** Continue a journey: the origin of a message caused by `cause`. */
export function causedBy(cause: Envelope, source: string): MessageOrigin {
  return {
    source,
    correlationId: cause.correlationId,
    causationId: cause.id,
    ...(cause.traceparent ? { traceparent: cause.traceparent } : {}),
  };
}
