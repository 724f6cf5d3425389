import type { ScaleItem } from '../src/index.js';

/** Answers to `items` adding up to `total`: each item takes the highest allowed score that still fits. */
export function answersTotalling(items: readonly ScaleItem[], total: number): Record<string, number> {
  let remaining = total;
  const answers: Record<string, number> = {};
  for (const item of items) {
    const score = Math.max(...item.allowed.filter((allowed) => allowed <= remaining));
    answers[item.code] = score;
    remaining -= score;
  }
  if (remaining !== 0) throw new Error(`the items cannot add up to ${total}`);
  return answers;
}

/** Every total the items can add up to, ascending. */
export function reachableTotals(items: readonly ScaleItem[]): number[] {
  let totals = new Set([0]);
  for (const item of items) totals = new Set([...totals].flatMap((sum) => item.allowed.map((score) => sum + score)));
  return [...totals].sort((a, b) => a - b);
}
