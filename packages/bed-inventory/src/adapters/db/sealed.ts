import type { SealedTable } from '@fbl/privacy';
import { BED_POLICIES } from '../../domain/policies.js';

/**
 * The sealed columns of a bed schema, for a re-seal after a key or suite change: residents' health
 * text (transfer reasons, stage reviews, service plans at admission, discharge reasons) in every
 * bed service, and visit codes, signatures, notes and photos of the home beds.
 */
export function sealedTablesOf(dbSchema: string): SealedTable[] {
  return [
    { table: `${dbSchema}.stays`, key: 'id', text: ['service_plan_sealed', 'discharge_reason_sealed'] },
    { table: `${dbSchema}.transfers`, key: 'id', text: ['reason_sealed'] },
    { table: `${dbSchema}.episode_reviews`, key: 'id', text: ['condition_sealed', 'decision_sealed'] },
    { table: `${dbSchema}.visits`, key: 'id', text: ['code_sealed', 'signature_sealed', 'notes_sealed'] },
    { table: `${dbSchema}.visit_photos`, key: 'id', text: ['sealed'] },
  ];
}

/** The sealed columns of the five bed services. */
export const BED_SEALED: readonly SealedTable[] = Object.values(BED_POLICIES).flatMap((p) => sealedTablesOf(p.dbSchema));
