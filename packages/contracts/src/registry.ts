import type { Static, TSchema } from 'typebox';
import { EnvelopeSchema, type Envelope, type MessageOrigin, type RawEnvelope } from './envelope.js';
import { newId } from './ids.js';
import { messageKey } from './topics.js';
import { compileChecker, describeFieldErrors, type Checker } from './validation.js';

/** An older version of a message that readers still accept, and how to lift it one version up. */
export interface PastVersion {
  version: number;
  schema: TSchema;
  /** Turns data of this version into data of the next version. */
  upcast(data: unknown): unknown;
}

/** One message type: its current schema, where it travels, and the versions it upcasts from. */
export interface MessageDefinition<TType extends string = string, TSchemaT extends TSchema = TSchema> {
  type: TType;
  version: number;
  kind: 'event' | 'command';
  topic: string;
  schema: TSchemaT;
  past?: PastVersion[];
}

/** Declare a message type; the literal type of `type` is kept for typed handlers. */
export function defineMessage<TType extends string, TSchemaT extends TSchema>(
  definition: MessageDefinition<TType, TSchemaT>,
): MessageDefinition<TType, TSchemaT> {
  return definition;
}

/** The data type of a message definition. */
export type DataOf<D> = D extends MessageDefinition<string, infer S> ? Static<S> : never;

/** The envelope type of a message definition. */
export type EnvelopeOf<D> = D extends MessageDefinition<infer T, infer S> ? Envelope<T, Static<S>> : never;

/** A message ready to be written to an outbox. */
export interface OutgoingMessage {
  topic: string;
  key: string;
  envelope: Envelope;
}

/**
 * Build the envelope of a new message. Ids and time come from the caller when it has them
 * (tests, replays); otherwise a fresh UUIDv7 and the current time. `topic` overrides the
 * definition's for message types several contexts publish (the five bed services).
 */
export function createMessage<D extends MessageDefinition>(
  definition: D,
  subject: string,
  data: DataOf<D>,
  origin: MessageOrigin,
  at: { id?: string; time?: Date; topic?: string } = {},
): OutgoingMessage {
  const envelope: Envelope = {
    id: at.id ?? newId(),
    type: definition.type,
    version: definition.version,
    source: origin.source,
    subject,
    time: (at.time ?? new Date()).toISOString(),
    correlationId: origin.correlationId ?? subject,
    ...(origin.causationId ? { causationId: origin.causationId } : {}),
    ...(origin.traceparent ? { traceparent: origin.traceparent } : {}),
    data,
  };
  return { topic: at.topic ?? definition.topic, key: messageKey(subject), envelope };
}

/** The outcome of reading a message off the wire. */
export type DecodeResult =
  | { ok: true; envelope: Envelope; definition: MessageDefinition }
  | { ok: false; reason: string; envelope?: RawEnvelope };

interface Entry {
  definition: MessageDefinition;
  current: Checker<unknown>;
  past: Map<number, { checker: Checker<unknown>; index: number }>;
}

const envelopeChecker = compileChecker<RawEnvelope>(EnvelopeSchema);

/**
 * Every message type a process knows. Decoding validates the envelope and the data, and lifts
 * older versions to the current one through their upcasters, so handlers only see the current shape.
 */
export class MessageRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(definitions: Iterable<MessageDefinition>) {
    for (const definition of definitions) this.add(definition);
  }

  private add(definition: MessageDefinition): void {
    if (this.entries.has(definition.type)) throw new Error(`message type ${definition.type} defined twice`);
    const past = new Map<number, { checker: Checker<unknown>; index: number }>();
    const history = [...(definition.past ?? [])].sort((a, b) => a.version - b.version);
    history.forEach((p, index) => past.set(p.version, { checker: compileChecker(p.schema), index }));
    this.entries.set(definition.type, {
      definition: { ...definition, past: history },
      current: compileChecker(definition.schema),
      past,
    });
  }

  /** The definition of a type, if known. */
  get(type: string): MessageDefinition | undefined {
    return this.entries.get(type)?.definition;
  }

  /** Every topic a set of types travels on. */
  topicsOf(types: Iterable<string>): string[] {
    const topics = new Set<string>();
    for (const type of types) {
      const definition = this.get(type);
      if (!definition) throw new Error(`unknown message type ${type}`);
      topics.add(definition.topic);
    }
    return [...topics];
  }

  /** Validate and upcast a parsed message. */
  decode(value: unknown): DecodeResult {
    if (!envelopeChecker.check(value)) {
      return { ok: false, reason: `invalid envelope: ${describeFieldErrors(envelopeChecker.errors(value))}` };
    }
    const raw = value;
    const entry = this.entries.get(raw.type);
    if (!entry) return { ok: false, reason: `unknown message type ${raw.type}`, envelope: raw };
    const { definition } = entry;
    if (raw.version > definition.version) {
      return { ok: false, reason: `unsupported version ${raw.version} of ${raw.type} (newest known ${definition.version})`, envelope: raw };
    }
    let data: unknown = raw.data;
    if (raw.version < definition.version) {
      const from = entry.past.get(raw.version);
      if (!from) return { ok: false, reason: `no upcaster from version ${raw.version} of ${raw.type}`, envelope: raw };
      if (!from.checker.check(data)) {
        return { ok: false, reason: `invalid data for ${raw.type} v${raw.version}: ${describeFieldErrors(from.checker.errors(data))}`, envelope: raw };
      }
      for (const step of (definition.past ?? []).slice(from.index)) data = step.upcast(data);
    }
    if (!entry.current.check(data)) {
      return { ok: false, reason: `invalid data for ${raw.type} v${definition.version}: ${describeFieldErrors(entry.current.errors(data))}`, envelope: raw };
    }
    return { ok: true, envelope: { ...raw, version: definition.version, data }, definition };
  }
}
