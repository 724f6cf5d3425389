import type { SealedTable } from '@fbl/privacy';

/** Every sealed column of the referral-workflow schema, for the re-seal after a change of suite or key (`pnpm --filter @fbl/referral-workflow reseal`). */
export const SEALED_TABLES: readonly SealedTable[] = [
  { table: 'referral.packets', key: 'referral_id', text: ['sealed'] },
  { table: 'referral.packet_consents', key: 'seq', text: ['giver_name_sealed'] },
  { table: 'referral.offers', key: 'id', text: ['decline_note_sealed'] },
  { table: 'referral.match_runs', key: 'seq', text: ['result_sealed'] },
  { table: 'referral.attachments', key: 'id', text: ['name_sealed'] },
  { table: 'referral.attachment_contents', key: 'attachment_id', bytes: ['sealed'] },
  { table: 'referral.follow_ups', key: 'referral_id', text: ['sealed'] },
  { table: 'referral.transfer_reasons', key: 'referral_id', text: ['reason_sealed'] },
];
