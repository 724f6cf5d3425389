import type { NumericScale } from './check.js';

/** 老年人能力评估 level, GB/T 42195-2022: 0 intact … 4 complete loss. */
export const ABILITY_LEVEL: NumericScale = { name: 'ability level', min: 0, max: 4, integer: true };

/** 失能等级 LTCI disability grade: 0 normal … 5 severe III. */
export const LTCI_GRADE: NumericScale = { name: 'LTCI grade', min: 0, max: 5, integer: true };

/** Karnofsky performance status, 0–100 (lower = worse). */
export const KPS: NumericScale = { name: 'KPS', min: 0, max: 100, integer: false };

/** ECOG performance status, 0–5 (higher = worse). */
export const ECOG: NumericScale = { name: 'ECOG', min: 0, max: 5, integer: true };

/** Expected survival; fractions of a month are allowed. */
export const PROGNOSIS_MONTHS: NumericScale = {
  name: 'prognosis',
  min: 0,
  max: Number.MAX_SAFE_INTEGER,
  integer: false,
  unit: ' months',
};
