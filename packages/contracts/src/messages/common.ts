import Type, { type TLiteral, type TUnion } from 'typebox';

/** A UUID (ids of aggregates and messages). */
export const Uuid = Type.String({ format: 'uuid' });

/** An instant, ISO 8601 with offset. */
export const Instant = Type.String({ format: 'date-time' });

/** GB/T 2260 administrative division code: six digits. */
export const DivisionCode = Type.String({ pattern: '^[1-8][0-9]{5}$' });

/** A free-text note kept short, never personal data. */
export const ShortText = (maxLength = 500) => Type.String({ minLength: 1, maxLength });

type LiteralTuple<T extends readonly string[]> = T extends readonly [infer H extends string, ...infer R extends readonly string[]] ? [TLiteral<H>, ...LiteralTuple<R>] : [];

/** A union of string literals that keeps each literal's type. */
export function Literals<const T extends readonly string[]>(values: T): TUnion<LiteralTuple<T>> {
  return Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<LiteralTuple<T>>;
}
