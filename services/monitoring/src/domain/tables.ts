/**
 * A metric's figures as a table people read (the CSV and the workbook's sheets): Chinese
 * headings, each group and breakdown in words, and the figures a person reads in order, each with
 * how it is written. Pure: the same table becomes text for CSV and typed cells for Excel.
 */
import type { DivisionTable } from '@fbl/codes';
import type { FigureFormat, MetricDefinition } from './definitions.js';
import type { Grouping } from './periods.js';
import { BREAKDOWN_WORDS, breakdownWord, GROUP_COLUMN_WORDS, groupWord } from './words.js';

/** The rows of a metric as the queries give them. */
export interface FigureRow {
  key: string;
  keyLabel?: string;
  sub?: string;
  values: Record<string, number | null>;
}

export type ColumnFormat = FigureFormat | 'text';

export interface Table {
  header: string[];
  formats: ColumnFormat[];
  rows: (string | number | null)[][];
}

/** A metric's rows under a grouping as a table: the group, the breakdown where there is one, then every figure shown. */
export function metricTable(definition: MetricDefinition, rows: readonly FigureRow[], grouping: Grouping, divisions: DivisionTable): Table {
  const sub = definition.sub;
  return {
    header: [GROUP_COLUMN_WORDS[grouping], ...(sub ? [BREAKDOWN_WORDS[sub.name] ?? sub.name] : []), ...definition.shown.map((f) => f.label.zh)],
    formats: ['text', ...(sub ? (['text'] as const) : []), ...definition.shown.map((f) => f.format)],
    rows: rows.map((r) => [groupWord(grouping, r.key, r.keyLabel), ...(sub ? [breakdownWord(sub.name, r.sub ?? '', divisions)] : []), ...definition.shown.map((f) => r.values[f.name] ?? null)]),
  };
}

/**
 * A figure as text: a share as a percentage with one decimal (0.16666… → 16.7%), minutes, hours
 * and days with one decimal, a count as a whole number; nothing for no figure.
 */
export function written(value: string | number | null, format: ColumnFormat): string | null {
  if (value === null || typeof value === 'string') return value;
  switch (format) {
    case 'rate':
      return `${(value * 100).toFixed(1)}%`;
    case 'minutes':
    case 'hours':
    case 'days':
      return value.toFixed(1);
    case 'count':
      return String(Math.round(value));
    case 'text':
      return String(value);
  }
}

/** The Excel number format of a column: percentages with one decimal on real numbers, and the like. */
export function excelFormat(format: ColumnFormat): string | undefined {
  switch (format) {
    case 'rate':
      return '0.0%';
    case 'minutes':
    case 'hours':
    case 'days':
      return '0.0';
    case 'count':
      return '0';
    case 'text':
      return undefined;
  }
}
