import type { SealedTable } from '@fbl/privacy';

/**
 * Every sealed column of the civil-affairs schema and the look-up hashes made from them, for the
 * re-seal after a change of suite or key (`pnpm --filter @fbl/civil-affairs reseal`).
 */
export const SEALED_TABLES: readonly SealedTable[] = [
  {
    table: 'civil_affairs.elders',
    key: 'id',
    text: ['id_number_sealed', 'name_sealed', 'birth_date_sealed', 'phone_sealed', 'address_sealed', 'guardian_sealed'],
    hashes: [
      { column: 'id_number_hash', of: 'id_number_sealed', kind: 'lookup' },
      { column: 'name_hash', of: 'name_sealed', kind: 'name' },
    ],
  },
  { table: 'civil_affairs.assessments', key: 'id', text: ['answers_sealed'] },
  { table: 'civil_affairs.elder_facts', key: 'id', text: ['evidence_sealed'] },
];
