import Type from 'typebox';
import { invalidField } from './problem.js';

/** A day as a query names it: `YYYY-MM-DD`, in China Standard Time. */
const Day = (description: string) => Type.String({ format: 'date', description });

/**
 * The query fields of a search over a period of whole days in China time (UTC+8): `from` and `to`,
 * both optional, both days included. Spread into a route's querystring schema.
 */
export const DayPeriodQuery = {
  from: Type.Optional(Day('first day (YYYY-MM-DD, China Standard Time), included')),
  to: Type.Optional(Day('last day (YYYY-MM-DD, China Standard Time), included')),
};

/** The instants of a period of days: from the start of `from` in China, up to (not including) the start of the day after `to`. */
export interface InstantPeriod {
  from?: Date;
  before?: Date;
}

const CHINA_OFFSET = '+08:00';
const DAY_MS = 86_400_000;

/**
 * The instants a query's period of China days covers; a period that ends before it starts is a
 * 400 naming `from` (in the query).
 */
export function dayPeriod(query: { from?: string | undefined; to?: string | undefined }): InstantPeriod {
  if (query.from && query.to && query.from > query.to) throw invalidField('from', `the period must start on or before its last day (${query.to})`, 'query');
  return {
    ...(query.from ? { from: new Date(`${query.from}T00:00:00${CHINA_OFFSET}`) } : {}),
    ...(query.to ? { before: new Date(Date.parse(`${query.to}T00:00:00${CHINA_OFFSET}`) + DAY_MS) } : {}),
  };
}
