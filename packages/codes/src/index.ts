/**
 * Chinese identifiers and codes: resident ID numbers (GB 11643), unified social credit codes
 * (GB 32100) and administrative division codes (GB/T 2260). Pure functions and dated data.
 */
export {
  ageOn,
  maskResidentId,
  parseResidentId,
  residentIdCheckChar,
  type ParseResidentIdOptions,
  type ResidentId,
  type ResidentIdKind,
  type ResidentIdResult,
  type Sex,
} from './resident-id.js';
export {
  creditCodeCheckChar,
  parseCreditCode,
  type CreditCode,
  type CreditCodeResult,
  type ParseCreditCodeOptions,
} from './credit-code.js';
export {
  createDivisionTable,
  distanceBand,
  type DistanceBand,
  type Division,
  type DivisionLevel,
  type DivisionTable,
} from './divisions.js';
export { shandongDivisions } from './data/shandong-2024.js';
