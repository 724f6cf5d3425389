/**
 * `pnpm --filter @fbl/civil-affairs reseal`: re-seal the elder register and assessments, and
 * recompute their look-up hashes, with the configured suite and keys (DATABASE_URL, CRYPTO_SUITE,
 * PII_ENCRYPTION_KEY, PII_HASH_KEY, and the keys of before a rotation in
 * PII_PREVIOUS_ENCRYPTION_KEYS / PII_PREVIOUS_HASH_KEYS). The service may keep running; an
 * interrupted run is run again.
 */
import { FieldProtector } from '@fbl/privacy';
import { runReseal } from '@fbl/service-kit';
import { SEALED_TABLES } from './adapters/db/sealed.js';
import { config } from './config.js';
import { protectorKeysOf } from './secrets.js';

const protector = new FieldProtector(protectorKeysOf(config.secrets));
await runReseal({ name: 'civil-affairs', config: config.process, tables: SEALED_TABLES, sealer: protector.sealer, protector });
