/**
 * How the bench speaks: one JSON line per figure on stdout, everything for humans on stderr.
 */
import { cpus, loadavg } from 'node:os';

/** A benchmark target from the issue, so each line says whether it was met. */
export interface Target {
  op: '>=' | '<=';
  value: number;
}

/** Every figure printed so far, for the summary at the end. */
export const printed: Record<string, unknown>[] = [];

/** Print one figure as one JSON line on stdout. */
export function figure(name: string, value: number, unit: string, context: Record<string, unknown> = {}, target?: Target): void {
  const line: Record<string, unknown> = { figure: name, value: round(value), unit, cores: cpus().length, ...(roundDeep(context) as Record<string, unknown>), load1: round(loadavg()[0]!) };
  if (target) {
    line['target'] = `${target.op} ${target.value}`;
    line['met'] = target.op === '>=' ? value >= target.value : value <= target.value;
  }
  printed.push(line);
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** A progress line for people, on stderr. */
export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Round to a sensible number of digits for a report. */
export function round(n: number): number {
  if (!Number.isFinite(n)) return n;
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 4;
  return Number(n.toFixed(digits));
}

/** Every number inside a value rounded for a report. */
function roundDeep(value: unknown): unknown {
  if (typeof value === 'number') return round(value);
  if (Array.isArray(value)) return value.map(roundDeep);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roundDeep(v)]));
  return value;
}

/** Percentiles and friends of a sample (nearest-rank). */
export function summarise(samples: readonly number[]): { n: number; p50: number; p95: number; p99: number; mean: number; max: number; min: number } {
  if (samples.length === 0) return { n: 0, p50: NaN, p95: NaN, p99: NaN, mean: NaN, max: NaN, min: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return {
    n: sorted.length,
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
    max: round(sorted[sorted.length - 1]!),
    min: round(sorted[0]!),
  };
}

export { prng } from '@fbl/testing/random';

/** Seconds since `since` (a performance.now() value). */
export function secondsSince(since: number): number {
  return (performance.now() - since) / 1000;
}
