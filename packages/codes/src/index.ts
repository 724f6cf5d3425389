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
  DEFAULT_PROVINCE,
  distanceBand,
  divisionInUseProblem,
  inProvince,
  provinceDivisionProblem,
  type DistanceBand,
  type Division,
  type DivisionLevel,
  type DivisionTable,
  type GeneratedDivisions,
  type RetiredDivision,
} from './divisions.js';
export { chinaDivisions, chinaDivisionsSource } from './data/china.js';
import { chinaDivisions } from './data/china.js';
/**
 * @deprecated The whole country's table, under the name it had when it held only Shandong; use
 * `chinaDivisions`, and `inProvince` for the deployment's province.
 */
export const shandongDivisions = chinaDivisions;
