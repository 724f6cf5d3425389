/**
 * `pnpm --filter @fbl/referral-workflow reseal`: re-seal referral packets, consents, decline notes,
 * rankings, attachments, follow-ups and urgent transfers' reasons with the configured suite and key (DATABASE_URL,
 * CRYPTO_SUITE, PII_ENCRYPTION_KEY, and the keys of before a rotation in
 * PII_PREVIOUS_ENCRYPTION_KEYS). The service may keep running; an interrupted run is run again.
 */
import { Sealer } from '@fbl/privacy';
import { runReseal } from '@fbl/service-kit';
import { SEALED_TABLES } from './adapters/db/sealed.js';
import { config } from './config.js';

await runReseal({ name: 'referral-workflow', config: config.process, tables: SEALED_TABLES, sealer: new Sealer(config.encryptionKey) });
