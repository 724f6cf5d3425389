import type { SealedTable } from '@fbl/privacy';
import { BED_POLICIES } from '../../domain/policies.js';

/** The sealed columns of a bed schema (visit codes, signatures, notes and photos), for a re-seal after a key or suite change. */
export function sealedTablesOf(dbSchema: string): SealedTable[] {
  return [
    { table: `${dbSchema}.visits`, key: 'id', text: ['code_sealed', 'signature_sealed', 'notes_sealed'] },
    { table: `${dbSchema}.visit_photos`, key: 'id', text: ['sealed'] },
  ];
}

/** The sealed columns of the bed services that keep visits (the home beds). */
export const BED_SEALED: readonly SealedTable[] = Object.values(BED_POLICIES)
  .filter((p) => p.visits)
  .flatMap((p) => sealedTablesOf(p.dbSchema));
