import type { SealedTable } from '@fbl/privacy';

/** Every sealed column of the medical-insurance schema, for the re-seal after a change of suite or key (`pnpm --filter @fbl/medical-insurance reseal`). */
export const SEALED_TABLES: readonly SealedTable[] = [
  { table: 'medical_insurance.assessments', key: 'id', text: ['answers_sealed'] },
  { table: 'medical_insurance.self_assessments', key: 'application_id', text: ['answers_sealed'] },
];
