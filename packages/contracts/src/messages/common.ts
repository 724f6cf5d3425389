import Type from 'typebox';

/** A UUID (ids of aggregates and messages). */
export const Uuid = Type.String({ format: 'uuid' });

/** An instant, ISO 8601 with offset. */
export const Instant = Type.String({ format: 'date-time' });

/** GB/T 2260 administrative division code: six digits. */
export const DivisionCode = Type.String({ pattern: '^[1-8][0-9]{5}$' });

/** A free-text note kept short, never personal data. */
export const ShortText = (maxLength = 500) => Type.String({ minLength: 1, maxLength });
