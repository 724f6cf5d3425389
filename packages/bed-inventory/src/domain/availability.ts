import type { Attributes } from './attributes.js';
import type { UnitStatus } from './lifecycle.js';

/** Units of one kind and one set of attributes, counted by status. */
export interface UnitCount {
  kind: 'bed' | 'slot';
  attributes: Attributes;
  total: number;
  free: number;
  held: number;
  occupied: number;
  kept: number;
  closed: number;
}

/** A count of units with the same kind, attributes and status, as the database groups them. */
export interface StatusCount {
  kind: 'bed' | 'slot';
  attributes: Attributes;
  status: UnitStatus;
  count: number;
}

function stableKey(kind: string, attributes: Attributes): string {
  return `${kind}|${JSON.stringify(Object.keys(attributes).sort().map((k) => [k, attributes[k]]))}`;
}

/** Fold status counts into one line per kind and attribute set, in a stable order. */
export function summarise(counts: readonly StatusCount[]): UnitCount[] {
  const lines = new Map<string, UnitCount>();
  for (const c of counts) {
    const key = stableKey(c.kind, c.attributes);
    const line = lines.get(key) ?? { kind: c.kind, attributes: c.attributes, total: 0, free: 0, held: 0, occupied: 0, kept: 0, closed: 0 };
    line[c.status] += c.count;
    line.total += c.count;
    lines.set(key, line);
  }
  return [...lines.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, line]) => line);
}
